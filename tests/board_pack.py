"""A second pack, unlike the bundled one: a three-day board meeting, written at test time.

The bundled pack is two days of short English titles and no pictures.  This
one has what a board secretary's pack has and the bundled one lacks: titles
of 80 characters and more, Greek and accented names, an emoji, a tagged
pre-read (made by WeasyPrint as PDF/UA-1) and an untagged one, attendees
with photos (PNG, PNG with transparency, JPEG) and without, three recipients
with exclusions (one of them hides the only session of an attendee),
speakers with roles, and contexts long enough that questions fall near the
ends of pages.  Beside it, :func:`write_earlier_copy` writes the version it
replaced (for ``--changes-since``) and :func:`write_answers` the answers
harvested after the meeting (for the debrief).

Every file is made here, so no binary file is committed: the photos by
Pillow, the pre-reads by WeasyPrint and :mod:`pdf_makers`.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from PIL import Image

from pdf_makers import make_pdf

#: The pack's file name; its outputs are OUT/board/...
NAME = "board"
#: The earlier version, beside it, for --changes-since.
EARLIER_NAME = "board-earlier"

CHAIR = "Νικόλαος Παπαδόπουλος"
CEO = "José Ñúñez"
SECRETARY = "Zoë Brontë-Łukasiewicz"
STRATEGIST = "Αικατερίνη Οικονόμου"
#: Takes part in the audit session alone, which José Ñúñez's pack leaves out:
#: his attendee list must not name her.
AUDITOR = "Ingrid Søreide"
DIRECTOR = "François d'Aubigné-Müller"

#: Paragraphs that contexts are made of, of different lengths, so that
#: questions start and end at different heights of the page.
PARAGRAPHS = (
    "The portfolio now holds **fourteen** concessions in five countries, from the toll "
    "roads of Attica to the regional airports of Andalucía. Traffic recovered to 104% of "
    "its 2019 level in the last quarter, but the recovery is uneven: the two Portuguese "
    "motorways remain below 90%, while the Greek regional airports have passed 120%.",
    "Financing conditions have changed more than traffic. The average cost of the "
    "group's debt rose from 2.1% to 4.6% in three years, and €1.2 billion of it falls "
    "due before the end of 2028. The treasury team has prepared three refinancing "
    "scenarios, set out in the pre-read, each with a different mix of green bonds, "
    "project finance and a revolving credit facility.",
    "Management proposes to:\n\n"
    "- dispose of the two smallest Portuguese concessions;\n"
    "- reinvest the proceeds in the Thessaloniki metro extension;\n"
    "- hold the dividend at last year's level of €0.84 per share.",
    "The rating agencies have said informally that a fall in the net debt to EBITDA "
    "ratio below 5.5x would support an upgrade to BBB+. The plan reaches 5.3x in 2028 "
    "only if the disposals close on time and the metro extension is not delayed.",
    "Employee turnover in the operations and maintenance companies rose to 14% last "
    "year, twice the rate of 2021. Exit interviews point to shift patterns, to pay that "
    "lags the local market in Madrid and Lisbon, and to the slow rollout of the new "
    "rostering system, which the works councils have asked to be consulted on.",
    "Revenue grew 12% year on year 📈, the strongest growth since the group was listed, "
    "driven by tariff indexation rather than by volume.",
)


def context(*numbers: int) -> str:
    """A context made of the paragraphs ``numbers``, blank lines between them."""
    return "\n\n".join(PARAGRAPHS[number] for number in numbers)


def question(
    title: str, text: str, paragraphs: tuple[int, ...] = (), id: str | None = None
) -> dict[str, Any]:
    """One question, in the order a pack file writes its keys."""
    entry: dict[str, Any] = {"title": title}
    if id is not None:
        entry["id"] = id
    if paragraphs:
        entry["context"] = context(*paragraphs)
    entry["question"] = text
    return entry


def board_pack() -> dict[str, Any]:
    """The pack as the data its YAML holds: three days, five sessions, 18 questions."""
    opening = {
        "label": "Session 1",
        "id": "opening",
        "title": "Opening of the Annual Meeting, Approval of the Agenda and of the Minutes "
        "of the Previous Board Meeting",
        "start": "09:00",
        "end": "10:15",
        "speakers": [
            {"name": CHAIR, "role": "Chair of the Board"},
            {"name": SECRETARY, "role": "Company Secretary"},
        ],
        "attendees": [CHAIR, SECRETARY, CEO, DIRECTOR],
        "questions": [
            question(
                "Declarations of Interest in the Matters on the Agenda of This Annual Meeting "
                "of the Board",
                "Has any director an interest, direct or indirect, in a matter on today's "
                "agenda that the board should record before it is discussed?",
                (3,),
            ),
            question(
                "Minutes of the Meeting of 17 March 2026",
                "Are the minutes a true record, and are the actions marked *closed* closed?",
                (0,),
            ),
            question(
                "Actions Carried Over",
                "Which of the four actions carried over since December need a new owner?",
            ),
        ],
        "attachments": [
            {"file": "pre-reads/minutes.pdf", "title": "Minutes of the Meeting of 17 March 2026"}
        ],
    }
    strategy = {
        "label": "Session 2",
        "id": "strategy",
        "title": "Strategic Review of the Southern European Infrastructure Portfolio and the "
        "Five-Year Capital Plan 2027–2031",
        "start": "10:30",
        "end": "13:00",
        "speakers": [
            {"name": CEO, "role": "Chief Executive Officer"},
            {"name": STRATEGIST, "role": "Chief Strategy Officer"},
        ],
        "attendees": [CHAIR, CEO, STRATEGIST, DIRECTOR],
        "questions": [
            question(
                "Disposal of the Two Smallest Portuguese Motorway Concessions Before the "
                "Refinancing Window",
                "What price would make the disposal worth more than holding both concessions "
                "to the end of their terms in 2034, and who are the credible buyers?",
                (0, 2, 3),
                id="portuguese-disposal",
            ),
            question(
                "Refinancing €1.2 Billion of Debt Falling Due Before 2028",
                "Which of the three refinancing scenarios keeps the most options open if "
                "rates stay where they are for two more years?",
                (1, 3, 0),
            ),
            question(
                "Thessaloniki Metro Extension",
                "What does the group commit to before the environmental permit is granted, "
                "and what can it still walk away from?",
                (2, 1),
            ),
            question(
                "Growth Driven by Indexation Rather Than by Volume",
                "How much of this year's growth 📈 would survive a year of flat tariffs?",
                (5, 0, 1),
            ),
            question(
                "Dividend Policy",
                "Should the dividend be held at €0.84 while net debt is above 5.5x EBITDA?",
                (3,),
            ),
        ],
    }
    audit = {
        "label": "Session 3",
        "id": "audit",
        "title": "Audit and Risk Committee Report: Internal Controls, the External Auditor's "
        "Findings and the Risk Register",
        "start": "09:00",
        "end": "10:30",
        "speakers": [{"name": AUDITOR, "role": "Chair of the Audit and Risk Committee"}],
        "attendees": [AUDITOR],
        "questions": [
            question(
                "Management Letter Points Raised by the External Auditor on Revenue "
                "Recognition for Concessions",
                "Which of the auditor's seven points does management dispute, and why?",
                (1, 0, 4),
            ),
            question(
                "Cyber Risk in the Tolling Systems",
                "When was the tolling system last tested by an outside team, and what did "
                "it find that is not yet fixed?",
                (4, 3),
            ),
            question(
                "The Risk Register's Top Five",
                "Which risk has moved most since March, and is its owner the right one?",
                (2, 1, 0),
            ),
        ],
        "attachments": [
            {"file": "pre-reads/management-letter.pdf", "title": "The Auditor's Management Letter"}
        ],
    }
    digital = {
        "label": "Session 4",
        "id": "digital",
        "title": "Στρατηγική Ψηφιακού Μετασχηματισμού και Κυβερνοασφάλεια των Υποδομών "
        "του Ομίλου έως το 2030",
        "start": "14:00",
        "end": "15:30",
        "speakers": [{"name": STRATEGIST, "role": "Διευθύντρια Στρατηγικής"}],
        "attendees": [STRATEGIST, CEO, SECRETARY],
        "questions": [
            question(
                "Ψηφιακά δίδυμα των αυτοκινητοδρόμων",
                "Ποιο είναι το κόστος και ποιο το όφελος ενός ψηφιακού διδύμου για κάθε "
                "παραχώρηση;",
                (4, 1),
                id="digital-twins",
            ),
            question(
                "Rostering System Rollout Across the Operations and Maintenance Companies in "
                "Spain and Portugal",
                "What would it take to finish the rollout before the summer peak, and what "
                "have the works councils asked for?",
                (4, 0, 2),
            ),
            question(
                "Data Residency",
                "Where is the data of the tolling systems held, and who can reach it?",
            ),
        ],
    }
    sustainability = {
        "label": "Session 5",
        "id": "sustainability",
        "title": "Sustainability, the Climate Transition Plan and Readiness for the Corporate "
        "Sustainability Reporting Directive",
        "start": "09:30",
        "end": "11:30",
        "speakers": [
            {"name": SECRETARY, "role": "Company Secretary"},
            {"name": STRATEGIST, "role": "Chief Strategy Officer"},
        ],
        "attendees": [CHAIR, SECRETARY, STRATEGIST, DIRECTOR, CEO],
        "questions": [
            question(
                "Scope 3 Emissions of the Traffic Using Our Roads",
                "Should the transition plan count the emissions of the vehicles on the group's "
                "roads, and if so, which targets can the group credibly set for them?",
                (3, 1, 0, 4),
            ),
            question(
                "Assurance of the First CSRD Report",
                "Is the group ready for limited assurance of its first sustainability report, "
                "and which data points are weakest?",
                (2, 4),
            ),
            question(
                "Biodiversity Net Gain on New Construction",
                "Which of the metro extension's sites can show a net gain, and at what cost?",
                (1,),
            ),
            question(
                "Evaluation of the Board's Effectiveness by an External Facilitator Before the "
                "End of the Financial Year",
                "Which facilitator, and should the evaluation include the committees?",
                (2,),
            ),
        ],
    }
    return {
        "title": "Annual Board Meeting of Hellenic–Iberian Infrastructure Holdings, Athens, "
        "May 2026",
        "subtitle": "Board papers and questions for the directors",
        "organisation": "Hellenic–Iberian Infrastructure Holdings S.A.",
        "author": "Office of the Company Secretary",
        "classification": "Strictly confidential — board members only",
        "attendees": attendees(),
        "recipients": [
            {"name": CHAIR},
            {"name": CEO, "exclude": ["audit"]},
            {"name": SECRETARY, "exclude": ["digital"]},
        ],
        "days": [
            {"date": "2026-05-18", "sessions": [opening, strategy]},
            {"date": "2026-05-19", "sessions": [audit, digital]},
            {"date": "2026-05-20", "sessions": [sustainability]},
        ],
    }


def attendees() -> list[dict[str, Any]]:
    """Six attendees: three photos (PNG, PNG with transparency, JPEG) and three without."""
    return [
        {
            "name": CHAIR,
            "role": "Chair of the Board",
            "organisation": "Independent non-executive director",
            "photo": "people/chair.png",
            "bio": "Chair since 2021; formerly governor of the **Bank of Greece**'s audit "
            "committee.",
        },
        {
            "name": CEO,
            "role": "Chief Executive Officer",
            "organisation": "Hellenic–Iberian Infrastructure Holdings",
            "photo": "people/ceo.jpg",
            "bio": "Joined from Autopistas del Sureste in 2019; engineer by training.",
        },
        {
            "name": SECRETARY,
            "role": "Company Secretary",
            "photo": "people/secretary.png",
            "bio": "Born in Kraków, qualified in London; secretary to three listed boards.",
        },
        {"name": STRATEGIST, "role": "Chief Strategy Officer"},
        {
            "name": AUDITOR,
            "role": "Chair of the Audit and Risk Committee",
            "organisation": "Independent non-executive director",
            "photo": "people/auditor.jpg",
        },
        {
            "name": DIRECTOR,
            "role": "Senior Independent Director",
            "bio": "Chairs the remuneration committee and the board's evaluation.",
        },
    ]


def earlier_pack() -> dict[str, Any]:
    """The version the current pack replaced: five kinds of change between them.

    From this version to the current one: a question's text changed, one
    question removed, one added, a speaker's role changed, a session's time
    changed.
    """
    pack = board_pack()
    sessions = {session["id"]: session for day in pack["days"] for session in day["sessions"]}
    # A changed question: its wording was sharpened since.
    disposal = sessions["strategy"]["questions"][0]
    disposal["question"] = (
        "At what price is the disposal worth more than holding both concessions to the end of "
        "their terms, and who might buy them?"
    )
    # A removed question: the earlier version asked it, the current one does not.
    sessions["audit"]["questions"].append(
        question(
            "Whistleblowing Reports Since March",
            "Have any of the reports made since March reached the committee, and how?",
            (3,),
        )
    )
    # An added question: the current version asks it, the earlier did not.
    sessions["sustainability"]["questions"].pop(2)
    # A speaker's role changed.
    sessions["strategy"]["speakers"][0]["role"] = "Chief Executive Officer (interim)"
    # A session's time changed.
    sessions["audit"]["start"] = "09:30"
    sessions["audit"]["end"] = "11:00"
    return pack


def dump(pack: dict[str, Any], options: dict[str, Any] | None = None) -> str:
    """The pack file's text, with ``options`` (if any) as its ``options`` mapping."""
    data = copy.deepcopy(pack)
    if options:
        data["options"] = dict(options)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=88)
    return "# A board meeting written by tests/board_pack.py.\n" + text


def write_files(folder: Path) -> None:
    """The photos and pre-reads the pack names, made here rather than committed."""
    people = folder / "people"
    people.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (160, 200), (40, 80, 120)).save(people / "chair.png")
    Image.new("RGB", (180, 180), (150, 90, 60)).save(people / "ceo.jpg", quality=85)
    # A cut-out portrait: transparent around a coloured disc.
    secretary = Image.new("RGBA", (120, 120), (0, 0, 0, 0))
    for x in range(120):
        for y in range(120):
            if (x - 60) ** 2 + (y - 60) ** 2 < 55**2:
                secretary.putpixel((x, y), (90, 140, 90, 255))
    secretary.save(people / "secretary.png")
    Image.new("L", (100, 130), 128).save(people / "auditor.jpg", quality=90)
    reads = folder / "pre-reads"
    reads.mkdir(exist_ok=True)
    write_tagged_preread(reads / "minutes.pdf")
    make_pdf(reads / "management-letter.pdf", 3, text="Management letter, page")


def write_tagged_preread(path: Path) -> Path:
    """Two pages of headings, paragraphs, a list and languages: PDF/UA-1 by WeasyPrint."""
    import weasyprint

    html = f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>Minutes of the Meeting of 17 March 2026</title></head>
<body>
<h1>Minutes of the Meeting of 17 March 2026</h1>
<p>Present: {CHAIR} (Chair), {CEO}, {SECRETARY}, {DIRECTOR}.</p>
<h2>1. Capital plan</h2>
<p>The board discussed the five-year capital plan and asked management for three
refinancing scenarios.</p>
<ul><li>Disposals: to be valued by an adviser.</li>
<li>Metro extension: permit expected in May.</li></ul>
<h2 style="break-before: page">2. Any other business</h2>
<p lang="el">Η επόμενη συνεδρίαση θα γίνει στην Αθήνα.</p>
</body></html>"""
    weasyprint.HTML(string=html).write_pdf(path, pdf_variant="pdf/ua-1")
    return path


def write_board_pack(folder: Path, options: dict[str, Any] | None = None) -> Path:
    """Write ``FOLDER/board.yaml`` and the files it names; ``options`` as its options mapping."""
    folder.mkdir(parents=True, exist_ok=True)
    write_files(folder)
    path = folder / f"{NAME}.yaml"
    path.write_text(dump(board_pack(), options), encoding="utf-8")
    return path


def write_earlier_copy(folder: Path, options: dict[str, Any] | None = None) -> Path:
    """Write ``FOLDER/board-earlier.yaml``, the earlier version, beside the pack and its files."""
    path = folder / f"{EARLIER_NAME}.yaml"
    path.write_text(dump(earlier_pack(), options), encoding="utf-8")
    return path


#: Answers typed into the filled copies after the meeting, by question title.
DISPOSAL = (
    "Disposal of the Two Smallest Portuguese Motorway Concessions Before the Refinancing Window"
)
ANSWERS = {
    DISPOSAL: (
        "Above €310 million for both, on the adviser's valuation.\n"
        "Two infrastructure funds and one Spanish operator have asked for the data room.",
        "Adviser to report to the board in July.",
    ),
    "Growth Driven by Indexation Rather Than by Volume": (
        "About a third of it 📈; the rest is indexation.",
        None,
    ),
    "Ψηφιακά δίδυμα των αυτοκινητοδρόμων": (
        "Περίπου 2 εκατ. ευρώ ανά παραχώρηση· απόσβεση σε τέσσερα χρόνια.",
        "Πιλοτικό έργο στην Αττική Οδό.",
    ),
    "Cyber Risk in the Tolling Systems": (None, "Commission an outside test before September."),
}


def write_answers(
    pack_path: Path,
    answers: Mapping[str, tuple[str | None, str | None]] = ANSWERS,
    source: str = "board.docx",
) -> Path:
    """Write the answers file a harvest of filled copies leaves beside the pack.

    ``answers``: the answer and follow-up typed under each question, by its
    title.  Keyed as harvest keys them, by each question's key as the loader
    makes it, so that the next build writes the debrief.
    """
    from briefpack.authoring.harvest import answers_yaml
    from briefpack.content.validate import load_pack
    from briefpack.model.answers import Answer

    pack = load_pack(pack_path)
    keys = {q.title: q.key for session in pack.sessions for q in session.questions}
    harvested = [
        Answer(
            keys[title], answer=answer, follow_up=follow_up, source=source,
            harvested=dt.date(2026, 5, 21),
        )
        for title, (answer, follow_up) in answers.items()
    ]  # fmt: skip
    path = pack_path.with_name(f"{pack_path.stem}.answers.yaml")
    path.write_text(answers_yaml(pack_path, harvested), encoding="utf-8")
    return path
