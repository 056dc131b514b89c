"""The bundled pack carries its Markdown source word for word."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from briefpack.content.validate import load_pack

from conftest import BUNDLED_PACK, BUNDLED_SOURCE, REPO

SHARED_SEED = REPO.parent / "shared" / "seed" / "000_5070647b906b6393.txt"
#: SHA-256 of that seed file, taken from ../shared/seed when the copy was made.
SEED_SHA256 = "a8ea87cd5da209e3229dc3fb0acf64d77a1c4e18d815433c17a0bbf5a32dd989"


@dataclass
class SourceSession:
    heading: str
    speakers: str = ""
    titles: list[str] = field(default_factory=list)
    contexts: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)


@dataclass
class Source:
    title: str = ""
    days: list[str] = field(default_factory=list)
    sessions: list[SourceSession] = field(default_factory=list)


def read_source(path: Path) -> Source:
    """Split the Markdown source into its parts, line by line, as a reader would."""
    source = Source()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            source.title = line[2:]
        elif line.startswith("## "):
            source.days.append(line[3:])
        elif line.startswith("### "):
            source.sessions.append(SourceSession(line[4:]))
        elif line.startswith(("**Speakers:** ", "**Speaker:** ")):
            source.sessions[-1].speakers = line.split(":** ", 1)[1]
        elif line.startswith("#### "):
            source.sessions[-1].titles.append(line[5:])
        elif line.startswith("**Context:** "):
            source.sessions[-1].contexts.append(line.removeprefix("**Context:** "))
        elif line.startswith("**Question:** "):
            source.sessions[-1].questions.append(line.removeprefix("**Question:** "))
        else:
            assert line in ("", "---"), f"unexpected line in the source: {line!r}"
    return source


def twelve_hour(time: dt.time) -> str:
    return f"{(time.hour - 1) % 12 + 1}:{time.minute:02d} {'AM' if time.hour < 12 else 'PM'}"


def ordinal_date(date: dt.date) -> str:
    suffix = "th" if 11 <= date.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(date.day % 10, "th")
    return f"{date.day}{suffix} {date:%B %Y}"


def test_bundled_pack_has_two_days_four_sessions_and_27_questions() -> None:
    pack = load_pack(BUNDLED_PACK)
    assert pack.summary() == "2 days, 4 sessions, 27 questions"
    assert [session.label for session in pack.sessions] == [
        "Session 1",
        "Session 2",
        "Session 3",
        None,
    ]
    assert [session.id for session in pack.sessions] == [
        "devops-culture-at-amazon",
        "agentcore",
        "leveraging-ai-in-the-software-development-lifecycle",
        "executive-meeting-with-aws-developer-experience",
    ]


def test_bundled_pack_carries_its_source_word_for_word() -> None:
    pack = load_pack(BUNDLED_PACK)
    source = read_source(BUNDLED_SOURCE)

    assert pack.title == source.title
    assert [ordinal_date(day.date) for day in pack.days] == source.days
    assert len(pack.sessions) == len(source.sessions)
    for session, written in zip(pack.sessions, source.sessions, strict=True):
        label = f"{session.label}: " if session.label else ""
        times = f"({twelve_hour(session.start)} - {twelve_hour(session.end)})"
        assert f"{label}{session.title} {times}" == written.heading
        speakers = ", ".join(f"{s.name} ({s.role})" for s in session.speakers)
        assert speakers == written.speakers
        numbered = [f"{n}. {q.title}" for n, q in enumerate(session.questions, start=1)]
        assert numbered == written.titles
        assert [q.context and q.context.source for q in session.questions] == written.contexts
        assert [q.question.source for q in session.questions] == written.questions


def test_source_copy_matches_the_shared_seed() -> None:
    """The copy is the seed, checked by its hash on a fresh clone and byte for byte beside it.

    The seed lives outside this repository (``../shared/seed``), so a clone
    alone cannot compare bytes; the hash was taken of that seed file
    (``sha256sum ../shared/seed/000_5070647b906b6393.txt``) when the copy was
    made, and so the test holds, and never skips, with or without it.
    """
    copy = BUNDLED_SOURCE.read_bytes()
    assert hashlib.sha256(copy).hexdigest() == SEED_SHA256
    if SHARED_SEED.exists():
        assert copy == SHARED_SEED.read_bytes()
