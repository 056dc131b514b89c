"""Import a Markdown agenda (in the shape of the bundled pack's source) as pack data.

The shape:

* the first ``#`` heading is the title;
* ``##`` headings are days, with dates as people write them
  ("23rd October 2025", "Thursday 24 October 2025", "October 24, 2025", "2025-10-24");
* ``###`` headings are sessions: "Session 1: Title (9:00 AM - 10:00 AM)" gives
  the label, the title and the times (12- or 24-hour);
* ``**Speakers:**`` or ``**Speaker:**`` lines give "Name (Role), Name (Role)";
* ``####`` headings are questions ("1. Title"), filled by ``**Context:**`` and
  ``**Question:**`` paragraphs;
* ``---`` rules and blank lines are ignored.

Nothing is dropped silently: every other line is returned as skipped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from briefpack.errors import Mark, Problem

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_DAY_FIRST = re.compile(
    _WEEKDAY + r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)\.?,?\s+(\d{4})", re.IGNORECASE
)
_MONTH_FIRST = re.compile(
    _WEEKDAY + r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", re.IGNORECASE
)
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TIME = r"(\d{1,2})(?:[:.](\d{2}))?\s*([AaPp]\.?[Mm]\.?)?"
_SESSION = re.compile(
    r"(?P<heading>.*?)\s*\(\s*" + _TIME + "\\s*(?:-|\u2013|\u2014|to)\\s*" + _TIME + r"\s*\)\s*$"
)
_LABEL_WORDS = re.compile(
    r"(session|track|part|panel|keynote|workshop|meeting|breakout|day|block)\b|.*\d",
    re.IGNORECASE,
)
_FIELD = re.compile(r"\*\*(Context|Question|Speakers?)\s*:\s*\*\*\s*(.*)", re.IGNORECASE)
_NUMBERED = re.compile(r"(?:\d+[.)]|Q\d+[.:)])\s+(.*)", re.IGNORECASE)


@dataclass
class ImportResult:
    """Pack data ready for the YAML writer, and the lines that were not understood."""

    pack: dict[str, Any] = field(default_factory=dict)
    skipped: list[Problem] = field(default_factory=list)


def import_markdown(text: str, label: str) -> ImportResult:
    """Read a Markdown agenda; ``label`` is how the file is named in messages."""
    result = ImportResult()
    pack = result.pack
    days: list[dict[str, Any]] = []
    session: dict[str, Any] | None = None
    question: dict[str, Any] | None = None
    current_field: str | None = None
    paragraph_open = False

    def skip(number: int, line: str, why: str) -> None:
        result.skipped.append(Problem(Mark(label, number, 1), f"skipped: {why}: {line.strip()}"))

    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            paragraph_open = False
            continue
        if re.fullmatch(r"(-{3,}|\*{3,}|_{3,})", stripped):
            current_field, paragraph_open = None, False
            continue
        heading = re.match(r"(#{1,6})\s+(.*?)\s*#*\s*$", stripped)
        if heading:
            level, content = len(heading.group(1)), heading.group(2)
            current_field, paragraph_open = None, False
            if level == 1 and "title" not in pack:
                pack["title"] = content
            elif level == 2:
                date = parse_date(content)
                if date is None:
                    skip(number, line, "a day heading without a date I can read")
                    continue
                days.append({"date": date.isoformat(), "sessions": []})
                session = question = None
            elif level == 3:
                if not days:
                    skip(number, line, "a session before any day")
                    continue
                session = parse_session(content)
                if session is None:
                    skip(number, line, "a session heading without '(start - end)' times")
                    continue
                days[-1]["sessions"].append(session)
                question = None
            elif level == 4:
                if session is None:
                    skip(number, line, "a question before any session")
                    continue
                numbered = _NUMBERED.fullmatch(content)
                question = {"title": numbered.group(1) if numbered else content}
                session["questions"].append(question)
            else:
                skip(number, line, "a heading of a level this format does not use")
            continue
        marker = _FIELD.match(stripped)
        if marker:
            name, rest = marker.group(1).lower(), marker.group(2).strip()
            if name.startswith("speaker"):
                if session is None:
                    skip(number, line, "speakers before any session")
                    continue
                session["speakers"] = parse_speakers(rest)
                current_field, paragraph_open = None, False
                continue
            if question is None:
                skip(number, line, f"a {name} before any question")
                continue
            question[name] = rest
            current_field, paragraph_open = name, bool(rest)
            continue
        if question is not None and current_field is not None:
            # More of the current field: a continued paragraph, or a new one.
            joiner = "\n" if paragraph_open else "\n\n"
            question[current_field] = (question[current_field] + joiner + stripped).strip()
            paragraph_open = True
            continue
        skip(number, line, "not part of the agenda format")
    if days:
        pack["days"] = days
    return result


def parse_date(text: str) -> dt.date | None:
    """A date as people write it, or ``None``."""
    text = text.strip()
    iso = _ISO.search(text)
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        for pattern, day_group, month_group in ((_DAY_FIRST, 1, 2), (_MONTH_FIRST, 2, 1)):
            found = pattern.search(text)
            if found and found.group(month_group).lower() in _MONTHS:
                month = _MONTHS[found.group(month_group).lower()]
                return dt.date(int(found.group(3)), month, int(found.group(day_group)))
    except ValueError:
        return None
    return None


def parse_session(heading: str) -> dict[str, Any] | None:
    """Label, title and times from "Session 1: Title (9:00 AM - 10:00 AM)"."""
    found = _SESSION.fullmatch(heading.strip())
    if found is None:
        return None
    groups = found.groups()
    start = _clock(groups[1], groups[2], groups[3])
    end = _clock(groups[4], groups[5], groups[6] or None)
    if start is None or end is None:
        return None
    title = found.group("heading").strip()
    session: dict[str, Any] = {}
    if ": " in title:
        label, rest = title.split(": ", 1)
        if len(label.split()) <= 3 and _LABEL_WORDS.match(label):
            session["label"], title = label, rest
    session["title"] = title
    # A start without AM/PM takes the end's, as in "9:00 - 10:00 AM".
    if groups[3] is None and groups[6] is not None:
        start = _clock(groups[1], groups[2], groups[6])
        if start is not None and end is not None and start >= end:
            start = _clock(groups[1], groups[2], None)
    assert start is not None
    session["start"], session["end"] = start, end
    session["speakers"] = []
    session["questions"] = []
    return session


def _clock(hours: str, minutes: str | None, meridiem: str | None) -> str | None:
    hour, minute = int(hours), int(minutes or 0)
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem[0] in "Pp" else 0)
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def parse_speakers(text: str) -> list[dict[str, str]]:
    """ "Name (Role), Name (Role), Name" as speakers; commas inside a role stay in it."""
    pieces: list[str] = []
    depth, current = 0, ""
    for character in text:
        if character == "(":
            depth += 1
        elif character == ")":
            depth = max(0, depth - 1)
        if character in ",;" and depth == 0:
            pieces.append(current)
            current = ""
        else:
            current += character
    pieces.append(current)
    speakers = []
    for piece in (piece.strip() for piece in pieces):
        if not piece:
            continue
        found = re.fullmatch(r"(.*?)\s*\((.*)\)", piece)
        if found and found.group(1):
            speakers.append({"name": found.group(1), "role": found.group(2).strip()})
        else:
            speakers.append({"name": piece})
    return speakers
