"""What the lines of a Markdown agenda say: a day's date, a session's times, the speakers.

Each reader takes the text of one line, already known by its shape (a
``##`` heading, a ``###`` heading, a ``**Speakers:**`` line: see
:mod:`briefpack.authoring.importer`) and returns what it says, or ``None``
when it cannot read it, so that the line is reported as skipped.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Callable
from typing import Any

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
# Every reader below goes through its text once, left to right, with string
# methods: the regular expressions they replace (a lazy ``.*?`` before ``\s*``,
# ``\s*#*\s*``) took minutes over a heading with 10,000 spaces in it.  They read
# what those patterns read, so an agenda imports as it did: compared on 300,000
# generated lines, with one difference kept on purpose: a "letter" is ASCII, where
# ``[a-z]`` ignoring case also took four others, such as the Kelvin sign.
_SUFFIXES = ("st", "nd", "rd", "th")
_DASHES = ("-", "\u2013", "\u2014", "to")
_LABEL_WORDS = (
    *("session", "track", "part", "panel", "keynote"),
    *("workshop", "meeting", "breakout", "day", "block"),
)
_LETTERS = frozenset(string.ascii_letters)


def skip_while(text: str, at: int, wanted: Callable[[str], bool]) -> int:
    """Where the run of characters from ``at`` that are all ``wanted`` ends."""
    while at < len(text) and wanted(text[at]):
        at += 1
    return at


def _is_letter(character: str) -> bool:
    return character in _LETTERS


def parse_date(text: str) -> dt.date | None:
    """A date as people write it, or ``None``."""
    text = text.strip()
    iso = _iso_date(text)
    try:
        if iso:
            return dt.date(*iso)
        for found in (_day_first(text), _month_first(text)):
            if found and found[1].lower() in _MONTHS:
                return dt.date(int(found[2]), _MONTHS[found[1].lower()], int(found[0]))
    except ValueError:
        return None
    return None


def _iso_date(text: str) -> tuple[int, int, int] | None:
    """The first ``YYYY-MM-DD`` in ``text``, as numbers."""
    dash = text.find("-", 4)
    while dash >= 0:
        found = text[dash - 4 : dash + 6]  # YYYY-MM-DD, its first dash at ``dash``
        year, month, day = found[:4], found[5:7], found[8:]
        if len(found) == 10 and found[7] == "-" and (year + month + day).isdecimal():
            return int(year), int(month), int(day)
        dash = text.find("-", dash + 1)
    return None


def _day_first(text: str) -> tuple[str, str, str] | None:
    """Day, month word and year of the first "23rd (of) October, 2025" in ``text``.

    A weekday before it ("Thursday, 23 ...") needs no reading: it never
    changes which day, month and year are found.
    """
    for start, character in enumerate(text):
        if not character.isdecimal():
            continue
        day_end = start + (2 if text[start + 1 : start + 2].isdecimal() else 1)
        if text[day_end : day_end + 1].isdecimal():
            continue  # more than two digits
        end = day_end + (2 if text[day_end : day_end + 2].lower() in _SUFFIXES else 0)
        gap = skip_while(text, end, str.isspace)
        if gap == end:
            continue
        after_of = skip_while(text, gap + 2, str.isspace)
        if text[gap : gap + 2].lower() == "of" and after_of > gap + 2:
            found = _month_year(text, after_of)
            if found:
                return (text[start:day_end], *found)
        found = _month_year(text, gap)
        if found:
            return (text[start:day_end], *found)
    return None


def _month_year(text: str, at: int) -> tuple[str, str] | None:
    """The month word and year of "October, 2025" at ``at``."""
    end = skip_while(text, at, _is_letter)
    if end == at:
        return None
    month = text[at:end]
    end += text.startswith(".", end)
    end += text.startswith(",", end)
    gap = skip_while(text, end, str.isspace)
    year = text[gap : gap + 4]
    if gap == end or len(year) < 4 or not year.isdecimal():
        return None
    return month, year


def _month_first(text: str) -> tuple[str, str, str] | None:
    """Day, month word and year of the first "October 24th, 2025" in ``text``.

    A word is read from its first letter: starting inside it finds the same
    end, so it could only find the same thing, or nothing.
    """
    start = 0
    while start < len(text):
        end = skip_while(text, start, _is_letter)
        if end == start:
            start += 1
            continue
        found = _day_year(text, end + text.startswith(".", end))
        if found:
            return found[0], text[start:end], found[1]
        start = end
    return None


def _day_year(text: str, at: int) -> tuple[str, str] | None:
    """The day and year of " 24th, 2025" at ``at``: spaces first, as "October" ends."""
    gap = skip_while(text, at, str.isspace)
    if gap == at or not text[gap : gap + 1].isdecimal():
        return None
    end = gap + (2 if text[gap + 1 : gap + 2].isdecimal() else 1)
    day = text[gap:end]
    if text[end : end + 2].lower() in _SUFFIXES:
        end += 2
    end += text.startswith(",", end)
    year_at = skip_while(text, end, str.isspace)
    year = text[year_at : year_at + 4]
    if year_at == end or len(year) < 4 or not year.isdecimal():
        return None
    return day, year


def parse_session(heading: str) -> dict[str, Any] | None:
    """Label, title and times from "Session 1: Title (9:00 AM - 10:00 AM)"."""
    parts = _session_parts(heading.strip())
    if parts is None:
        return None
    title, (hours, minutes, meridiem), (end_hours, end_minutes, end_meridiem) = parts
    start = _clock(hours, minutes, meridiem)
    end = _clock(end_hours, end_minutes, end_meridiem)
    if start is None or end is None:
        return None
    session: dict[str, Any] = {}
    if ": " in title:
        label, rest = title.split(": ", 1)
        if len(label.split()) <= 3 and _is_label(label):
            session["label"], title = label, rest
    session["title"] = title
    # A start without AM/PM takes the end's, as in "9:00 - 10:00 AM", unless that
    # puts it after the end, or cannot be read ("13:00 - 5:00 PM"): then it is 24-hour.
    if meridiem is None and end_meridiem is not None:
        with_end = _clock(hours, minutes, end_meridiem)
        if with_end is not None and with_end < end:
            start = with_end
    session["start"], session["end"] = start, end
    session["speakers"] = []
    session["questions"] = []
    return session


_Time = tuple[str, str | None, str | None]


def _session_parts(heading: str) -> tuple[str, _Time, _Time] | None:
    """The title and the two times of "Title (9:00 AM - 10:00 AM)".

    The times are in the last parentheses, which end the heading: no time
    holds a parenthesis, so no earlier one could start them.
    """
    opening = heading.rfind("(")
    title = heading[:opening].rstrip()
    if opening < 0 or not heading.endswith(")") or "\n" in title:
        return None
    inner = heading[opening + 1 : -1]
    first = _time(inner, skip_while(inner, 0, str.isspace))
    if first is None:
        return None
    at = skip_while(inner, first[1], str.isspace)
    dash = next((dash for dash in _DASHES if inner.startswith(dash, at)), None)
    if dash is None:
        return None
    second = _time(inner, skip_while(inner, at + len(dash), str.isspace))
    if second is None or skip_while(inner, second[1], str.isspace) != len(inner):
        return None
    return title, first[0], second[0]


def _time(text: str, at: int) -> tuple[_Time, int] | None:
    """Hours, minutes and AM/PM of "9", "9:30", "9.30 p.m." at ``at``, and where it ends."""
    end = skip_while(text, at, str.isdecimal)
    if not 1 <= end - at <= 2:
        return None
    hours, minutes = text[at:end], None
    digits = text[end + 1 : end + 3]
    if text[end : end + 1] in (":", ".") and len(digits) == 2 and digits.isdecimal():
        minutes, end = digits, end + 3
    at = skip_while(text, end, str.isspace)
    meridiem = None
    if text[at : at + 1] in ("A", "a", "P", "p"):
        close = at + 1 + text.startswith(".", at + 1)
        if text[close : close + 1] in ("M", "m"):
            close += 1 + text.startswith(".", close + 1)
            meridiem, end = text[at:close], close
    return (hours, minutes, meridiem), end


def _is_label(label: str) -> bool:
    """A session's label: a word such as "Session" or "Track" first, or any digit."""
    if any(character.isdecimal() for character in label):
        return True
    for word in _LABEL_WORDS:
        after = label[len(word) : len(word) + 1]
        if label[: len(word)].lower() == word and not (after.isalnum() or after == "_"):
            return True
    return False


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
    depth, begun = 0, 0
    for at, character in enumerate(text):
        if character == "(":
            depth += 1
        elif character == ")":
            depth = max(0, depth - 1)
        elif character in ",;" and depth == 0:
            pieces.append(text[begun:at])
            begun = at + 1
    pieces.append(text[begun:])
    speakers = []
    for piece in (piece.strip() for piece in pieces):
        if not piece:
            continue
        # The role is everything from the first "(" to the closing one at the end
        # (on the last line, should a piece hold several).
        opening = piece.find("(", piece.rfind("\n") + 1)
        name = piece[:opening].rstrip()
        if opening > 0 and piece.endswith(")") and name and "\n" not in name:
            speakers.append({"name": name, "role": piece[opening + 1 : -1].strip()})
        else:
            speakers.append({"name": piece})
    return speakers
