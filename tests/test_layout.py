"""The layout rules (tests/layout_rules.py) on real packs, and proof that each catches a bad PDF.

The bundled pack and a pack of long titles and contexts are built with the
variants that strain the pages (answer fields, notes, Letter, classic, Spanish's
long words, a change-marked copy); every PDF keeps every rule.  Then one theme
folder per rule, of this test's own, breaks that rule on purpose, and the rule
must say so.  Builds are shared by the whole module (each takes seconds).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from briefpack.render.builtin_themes import templates_dir
from briefpack.render.wording import wording_for

from checkers import pdf_findings
from conftest import BUNDLED_PACK, run
from layout_rules import (
    ELLIPSIS,
    layout_violations,
    outside_or_overlapping,
    read_layout,
    running_lines,
    sparse_pages,
    split_questions,
    text_lines,
)
from pdf_helpers import outline

#: A board's pack, unlike the bundled one: session titles of 80 characters and more,
#: long question titles, long contexts, Greek and accented names, an emoji.
LONG_PACK = """\
title: Annual Strategy Offsite of the Supervisory Board and the Executive Leadership Committee 2026
subtitle: Capital, people and the next decade
organisation: Ñúñez & Partners Holding
classification: Strictly Confidential
days:
  - date: 2026-03-02
    sessions:
      - label: Session 1
        title: Capital Allocation, Dividend Policy and the Refinancing of the 2027 and 2028 Bond Maturities
        start: "09:00"
        end: "10:30"
        speakers:
          - name: José Ñúñez
            role: Chief Financial Officer and Deputy Chair of the Executive Leadership Committee
          - name: Αθηνά Παπαδοπούλου
            role: Treasurer
        questions:
          - title: How should we weigh the trade-off between share buybacks, special dividends and accelerated deleveraging over the planning horizon?
            context: |
              The group generated free cash flow well above plan in each of the last three years, while leverage fell from 3.1x to 2.2x net debt to EBITDA. The board's policy, last revised four years ago, targets a payout of 40 to 60 percent of underlying earnings, with buybacks used opportunistically. Since then, interest rates have risen sharply, the bond maturities of 2027 and 2028 will reprice at materially higher coupons, and two rating agencies have signalled that a move to a single-A rating would require leverage below 2.0x sustained for at least two years.

              Shareholders are divided: long-only holders favour a progressive dividend, while activist holders who bought in the last year have asked publicly for a large tender offer. Management has modelled four scenarios, each with different consequences for the rating, the cost of the refinancing and the room left for acquisitions in the core markets. The scenarios differ in their assumptions on margins, working capital and the timing of the disposals announced last autumn.

              The audit committee has also asked for a clearer framework for how the board will decide between these uses of cash when the outlook changes during the year, rather than at the annual results only.
            question: Which of the four scenarios best protects the rating while keeping enough headroom for acquisitions, and what would make you change your recommendation during the year? How will the board communicate the framework to shareholders who expect a large tender offer?
          - title: Refinancing
            context: Short context.
            question: When do we go to market?
          - title: Counterparty exposure and the concentration of our deposits with a small number of regional banks after last year's failures
            context: |
              After the failures of several regional banks last year, treasury moved part of the deposits to global systemically important banks. About 35 percent remain with three regional banks, mainly for historical and operational reasons such as payroll and local tax payments.
            question: What limits should the board set on exposure to a single counterparty, and how fast can treasury move the remaining deposits without disrupting operations?
      - label: Session 2
        title: People
        start: "11:00"
        end: "12:00"
        questions:
          - title: Succession
            context: The succession plan for the executive committee was last reviewed two years ago.
            question: Who are the ready-now successors for each executive role, and what gaps remain?
          - title: Culture and engagement across the newly acquired businesses in Southern Europe and Latin America
            context: |
              Engagement scores in the acquired businesses are 12 points below the group average, with the lowest scores in middle management. Attrition of high performers has doubled since the acquisitions closed, and exit interviews cite unclear career paths and the loss of local decision rights.

              The integration office proposes a common leadership programme, a harmonised grading structure and the return of some decisions to the local boards.
            question: Which of the integration office's three proposals would you fund first, and how will we know within a year whether it worked?
  - date: 2026-03-03
    sessions:
      - label: Session 3
        title: Technology, Data and Artificial Intelligence in Operations, Customer Service and the Supply Chain
        start: "09:00"
        end: "11:00"
        questions:
          - title: Where is the value?
            context: |
              Pilots in customer service reduced handling time by 18 percent; supply-chain forecasting pilots improved accuracy by 6 points. None has yet been scaled beyond a single country.
            question: Which two use cases should be scaled first 🚀, and what would it take? 👍
"""  # noqa: E501

LONG_SESSION = (
    "Session 1: Capital Allocation, Dividend Policy and the Refinancing of the 2027 and 2028 "
    "Bond Maturities"
)

Build = Callable[..., Path]


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """Build a pack once per set of options in this module; the path of its PDF."""
    root = tmp_path_factory.mktemp("layout")
    built: dict[tuple[str, ...], Path] = {}

    def make(pack: str, *options: str, language: str | None = None, pdf: str = "") -> Path:
        key = (pack, language or "", pdf, *options)
        if key not in built:
            folder = root / f"build-{len(built)}"
            folder.mkdir()
            source = folder / "pack.yaml"
            text = LONG_PACK if pack == "long" else BUNDLED_PACK.read_text(encoding="utf-8")
            if language:
                text += f"options:\n  language: {language}\n"
            source.write_text(text, encoding="utf-8")
            code, _, err = run(
                "build", str(source), "-o", str(folder / "out"), "-f", "pdf", "--no-sessions",
                *options,
            )  # fmt: skip
            assert code == 0, err
            built[key] = folder / "out" / "pack" / (pdf or "pack.pdf")
        return built[key]

    return make


def bad_theme(tmp_path: Path, rules: str) -> Path:
    """A theme folder whose stylesheet is the default one with ``rules`` added after it."""
    folder = tmp_path / "bad-theme"
    folder.mkdir()
    stylesheet = (templates_dir() / "pack.css").read_text(encoding="utf-8")
    (folder / "bad.css").write_text(stylesheet + "\n" + textwrap.dedent(rules), encoding="utf-8")
    (folder / "theme.yaml").write_text("stylesheet: bad.css\n", encoding="utf-8")
    return folder


# ---------------------------------------------------------------- the packs keep every rule

VARIANTS = {
    "a4": (),
    "answer fields and notes": ("--answer-fields", "--notes"),
    "letter, classic, answer fields": (
        "--paper",
        "letter",
        "--theme",
        "classic",
        "--answer-fields",
    ),
    "classic with notes": ("--theme", "classic", "--notes"),
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_bundled_pack_keeps_every_layout_rule(build: Build, variant: str) -> None:
    path = build("bundled", *VARIANTS[variant])
    assert [str(v) for v in layout_violations(path)] == []


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_pack_of_long_titles_keeps_every_layout_rule(build: Build, variant: str) -> None:
    path = build("long", *VARIANTS[variant])
    assert [str(v) for v in layout_violations(path)] == []


@pytest.mark.parametrize("pack", ["bundled", "long"])
def test_spanish_long_words_keep_every_layout_rule(build: Build, pack: str) -> None:
    path = build(pack, "--answer-fields", language="es")
    assert [str(v) for v in layout_violations(path)] == []


def test_the_pdfs_built_here_pass_the_independent_checkers(build: Build) -> None:
    for path in (build("bundled"), build("long", "--theme", "classic", "--notes")):
        assert pdf_findings(path) == [], path


# ---------------------------------------------------------------- what the rules protect


def test_a_long_session_title_is_shortened_in_the_running_header_and_whole_elsewhere(
    build: Build,
) -> None:
    path = build("long")
    layout = read_layout(path)
    try:
        page = layout.pdf.pages[4]
        (header,) = text_lines(layout.header_chars(page))
        contents = layout.pdf.pages[2].extract_text()
    finally:
        layout.pdf.close()
    assert header.endswith(ELLIPSIS)
    assert LONG_SESSION.startswith(header.split(" | ")[-1].removesuffix(ELLIPSIS).strip())
    assert LONG_SESSION in [entry.title for entry in layout.entries]
    assert LONG_SESSION in " ".join(contents.split())


def test_the_contents_page_heading_is_one_word_in_every_language(build: Build) -> None:
    for language in ("es", "de", "fr"):
        path = build("bundled", language=language)
        word = wording_for(language).gettext("Page").upper()
        with pdfplumber.open(path) as pdf:
            words = [w["text"] for w in pdf.pages[2].extract_words()]
        assert word in words, (language, words[:12])


def test_the_front_matter_is_in_the_outline_in_the_pack_s_language(build: Build) -> None:
    wording = wording_for("es")
    entries = outline(build("bundled", "--answer-fields", language="es").read_bytes())
    assert [(entry.title, entry.page) for entry in entries[:3]] == [
        ("Questions for AWS Developer Experience Sessions", 1),
        (wording.gettext("At a glance"), 2),
        (wording.gettext("Contents"), 3),
    ]


def leader_ends(path: Path, page: int) -> list[tuple[float, float, float]]:
    """Each contents row's leader: the x its dots end at, the whole tiles in it, its dots' room.

    A leader is a tiled pattern painted over the title cell; the room is the stretch
    between the end of the title's last line (its white mask) and the leader's end.
    """
    found = []
    with pikepdf.open(path) as pdf:
        patterns = pdf.pages[page].Resources.get("/Pattern", {})
        tiles = {
            str(name)[1:]: (float(p.Matrix[0]) * float(p.XStep), float(p.Matrix[4]))
            for name, p in patterns.items()
            if "/XStep" in p
        }
    with pdfplumber.open(path) as plumber:
        rects = plumber.pages[page].rects
    masks = [r for r in rects if r["non_stroking_color"] == (1.0, 1.0, 1.0)]
    for rect in rects:
        tile = tiles.get(str(rect["non_stroking_color"]))
        if tile is None or not 4 < tile[0] < 6:
            continue
        step, origin = tile
        inside = [m for m in masks if rect["top"] <= m["top"] and m["bottom"] <= rect["bottom"]]
        last_line = max(inside, key=lambda m: (m["bottom"], m["x1"]))
        found.append((rect["x1"], (rect["x1"] - origin) / step, rect["x1"] - last_line["x1"]))
    return found


@pytest.mark.parametrize("theme", ["executive", "classic"])
def test_every_contents_leader_ends_at_one_x_on_a_whole_dot_never_a_lone_one(
    build: Build, theme: str
) -> None:
    ends = leader_ends(build("long", "--theme", theme), 2)
    assert len(ends) >= 9
    assert len({round(x1, 2) for x1, _, _ in ends}) == 1
    for _, tiles, room in ends:
        assert abs(tiles - round(tiles)) < 0.01
        assert room >= 3 * 5  # three dots at least after a title's last line


def test_the_changes_page_follows_the_cover_and_the_pack_keeps_its_page_numbers(
    build: Build, tmp_path: Path
) -> None:
    earlier = tmp_path / "earlier.yaml"
    earlier.write_text(
        BUNDLED_PACK.read_text(encoding="utf-8").replace("What frameworks", "Which frameworks"),
        encoding="utf-8",
    )
    clean = build("bundled")
    marked = build("bundled", "--changes-since", str(earlier), pdf="pack.changes.pdf")
    with pdfplumber.open(clean) as pdf:
        clean_pages = [page.extract_text() for page in pdf.pages]
    with pdfplumber.open(marked) as pdf:
        marked_pages = [page.extract_text() for page in pdf.pages]
    assert "What changed since" in marked_pages[1]
    assert re.search(r"Page i$", marked_pages[1].strip())
    total = len(clean_pages)
    assert len(marked_pages) == total + 1
    for number in range(2, total + 1):
        footer = f"Page {number} of {total}"
        assert clean_pages[number - 1].strip().endswith(footer)
        assert marked_pages[number].strip().endswith(footer)
    # The contents ("see page 6") agree, row for row.
    assert clean_pages[2].splitlines()[2:] == marked_pages[3].splitlines()[2:]
    assert [str(v) for v in layout_violations(marked)] == []


def test_an_emoji_prints_from_the_shipped_fallback_font(build: Build) -> None:
    with pdfplumber.open(build("long")) as pdf:
        chars = [c for page in pdf.pages for c in page.chars if c["text"] in "🚀👍"]
    assert {c["text"] for c in chars} == {"🚀", "👍"}
    assert all("Emoji" in c["fontname"] for c in chars)


# ---------------------------------------------------------------- each rule catches a bad PDF


def bad_build(tmp_path: Path, rules: str, pack: str, *options: str) -> Path:
    theme = bad_theme(tmp_path, rules)
    source = tmp_path / "pack.yaml"
    text = LONG_PACK if pack == "long" else BUNDLED_PACK.read_text(encoding="utf-8")
    source.write_text(text, encoding="utf-8")
    code, _, err = run(
        "build", str(source), "-o", str(tmp_path / "out"), "-f", "pdf", "--no-sessions",
        "--theme", str(theme), *options,
    )  # fmt: skip
    assert code == 0, err
    return tmp_path / "out" / "pack" / "pack.pdf"


def violations_of(rule: Callable[..., list[object]], path: Path) -> list[str]:
    layout = read_layout(path)
    try:
        return [str(violation) for violation in rule(layout)]
    finally:
        layout.pdf.close()


def test_the_rule_of_whole_questions_catches_a_question_split_from_its_fields(
    tmp_path: Path,
) -> None:
    path = bad_build(
        tmp_path,
        """
        .question, .answer-fields, .session-band + .question > * { break-inside: auto; }
        .answer-field { height: 60mm; }
        """,
        "bundled",
        "--answer-fields",
    )
    found = violations_of(split_questions, path)
    assert found
    assert all("question split" in violation for violation in found)


def test_the_rule_of_filled_pages_catches_a_session_band_alone(tmp_path: Path) -> None:
    path = bad_build(tmp_path, ".session-band { break-after: page; }", "bundled")
    found = violations_of(sparse_pages, path)
    assert found
    assert all("sparse page" in violation for violation in found)


def test_the_rule_of_one_line_running_heads_catches_a_wrapped_header(tmp_path: Path) -> None:
    path = bad_build(
        tmp_path,
        """
        @page {
          @top-left { white-space: normal; font-size: 14pt; }
          @top-right { white-space: normal; font-size: 14pt; }
        }
        """,
        "long",
    )
    found = violations_of(running_lines, path)
    assert any("running header: on 2 lines" in violation for violation in found)


def test_the_rule_of_the_printable_area_catches_text_off_the_paper_and_text_over_text(
    tmp_path: Path,
) -> None:
    path = bad_build(
        tmp_path,
        """
        .question-title { margin-left: -25mm; }
        .context { margin-top: -6mm; }
        """,
        "bundled",
    )
    found = violations_of(outside_or_overlapping, path)
    assert any("outside the printable area" in violation for violation in found)
    assert any("text over text" in violation for violation in found)


def test_a_shortened_header_must_shorten_a_title_of_the_outline(tmp_path: Path) -> None:
    path = bad_build(
        tmp_path, '@page { @top-right { content: "Nowhere in the outline at all…"; } }', "long"
    )
    found = violations_of(running_lines, path)
    assert any("shortens no title of the outline" in violation for violation in found)


# ---------------------------------------------------------------- a recipient's mark

#: Recipients whose marks are long: on A4 the mark at the theme's size ran off the paper.
LONG_NAMES = (
    "Νικόλαος Παπαδόπουλος",
    "Maria Alexandra Konstantinopoulou-Chatzigeorgiou de la Fuente y Ñúñez",
)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_a_recipient_s_mark_of_any_length_stays_within_the_margins(
    tmp_path: Path, paper: str
) -> None:
    source = tmp_path / "pack.yaml"
    names = "".join(f"  - name: {name}\n" for name in LONG_NAMES)
    source.write_text(LONG_PACK + "recipients:\n" + names, encoding="utf-8")
    code, _, err = run(
        "build", str(source), "-o", str(tmp_path / "out"), "-f", "pdf", "--no-sessions",
        "--paper", paper, "--per-recipient",
    )  # fmt: skip
    assert code == 0, err
    books = sorted((tmp_path / "out" / "pack" / "recipients").glob("*.pdf"))
    assert len(books) == len(LONG_NAMES)
    for path in books:
        # The mark is left out of "text over text" (it is meant to lie over the page),
        # not out of "outside the printable area".
        assert [str(v) for v in layout_violations(path)] == [], path.name
        with pdfplumber.open(path) as pdf:
            page = pdf.pages[1]
            mark = [c for c in page.chars if abs(float(c["matrix"][1])) > 0.01]
            assert mark, "the mark is drawn, turned"
            inset = 15 * 72 / 25.4  # no theme's margin is narrower
            assert min(c["x0"] for c in mark) >= inset
            assert max(c["x1"] for c in mark) <= float(page.width) - inset
            assert min(c["top"] for c in mark) >= inset
            assert max(c["bottom"] for c in mark) <= float(page.height) - inset


def test_the_layout_rules_read_a_link_whose_text_is_in_pdfdocencoding(
    build: Build, tmp_path: Path
) -> None:
    """pdfplumber reads annotation strings as UTF-8 or UTF-16; "miércoles" in
    PDFDocEncoding (valid PDF, as pikepdf writes it) made it raise."""
    path = tmp_path / "link.pdf"
    with pikepdf.open(build("bundled")) as pdf:
        annotations = [a for page in pdf.pages for a in page.get("/Annots", [])]
        assert annotations
        annotations[0].Contents = pikepdf.String("miércoles, 20 de mayo de 2026")
        assert bytes(annotations[0].Contents).startswith(b"mi\xe9")
        pdf.save(path)
    assert [str(v) for v in layout_violations(path)] == []


def test_a_session_s_pack_names_the_pack_s_whole_title_first_in_its_outline(
    tmp_path: Path,
) -> None:
    """Its running header shortens the pack's title; the cover's entry gives it whole."""
    source = tmp_path / "pack.yaml"
    source.write_text(LONG_PACK, encoding="utf-8")
    code, _, err = run("build", str(source), "-o", str(tmp_path / "out"), "-f", "pdf")
    assert code == 0, err
    path = sorted((tmp_path / "out" / "pack" / "sessions").glob("*.pdf"))[0]
    entries = outline(path.read_bytes())
    assert entries[0].title == LONG_PACK.splitlines()[0].removeprefix("title: ")
    assert entries[0].page == 1
    assert any(entry.title == LONG_SESSION for day in entries for entry in day.children)
    assert violations_of(running_lines, path) == []


def test_a_band_over_a_context_too_long_for_its_page_is_not_left_alone(tmp_path: Path) -> None:
    # The classic theme's band, tall with six speakers, left no room for a long first
    # context, which moved whole to the next page and left the band alone.
    paragraph = " ".join(["The committee reviewed the grant pipeline in detail."] * 15)
    context = "".join(f"              {paragraph}\n\n" for _ in range(4))
    context += "".join(f"              - fact number {n}\n" for n in range(5))
    speakers = "".join(
        f"          - name: Person Number {n}\n            role: Trustee of the foundation\n"
        for n in range(6)
    )
    text = (
        "title: Board\ndays:\n  - date: 2026-03-02\n    sessions:\n      - title: Grants\n"
        '        start: "09:00"\n        end: "10:00"\n        speakers:\n' + speakers
        + "        questions:\n          - title: Capacity\n            context: |\n"
        + context + "            question: What will the team do?\n"
    )  # fmt: skip
    pack = tmp_path / "pack.yaml"
    pack.write_text(text, encoding="utf-8")
    code, _, err = run(
        "build", str(pack), "-o", str(tmp_path / "out"), "-f", "pdf", "--theme", "classic",
        "--answer-fields", "--no-sessions",
    )  # fmt: skip
    assert code == 0, err
    assert layout_violations(tmp_path / "out" / "pack" / "pack.pdf") == []
