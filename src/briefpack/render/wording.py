"""How model values read on the page: times, dates, headings and counts.

Shared by every writer, so the PDF and the Word copy say the same thing in
the same words.  English forms, independent of the machine's locale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from briefpack.model.pack import count

__all__ = ["count"]  # with the functions below: counts read the same in the model's summary

if TYPE_CHECKING:
    from briefpack.model import Pack, Session

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
EN_DASH = "\u2013"


def clock_time(time: dt.time) -> str:
    """``9:00 AM``, ``12:15 PM``."""
    hour = (time.hour - 1) % 12 + 1
    return f"{hour}:{time.minute:02d} {'AM' if time.hour < 12 else 'PM'}"


def time_range(session: Session) -> str:
    """``9:00 AM – 10:00 AM``."""
    return f"{clock_time(session.start)} {EN_DASH} {clock_time(session.end)}"


def long_date(date: dt.date) -> str:
    """``23 October 2025``."""
    return f"{date.day} {_MONTHS[date.month - 1]} {date.year}"


def day_heading(date: dt.date) -> str:
    """``Thursday 23 October 2025``."""
    return f"{_WEEKDAYS[date.weekday()]} {long_date(date)}"


def date_span(dates: Sequence[dt.date]) -> str:
    """The dates of an event as people write them.

    ``23 October 2025``; ``23–24 October 2025`` for consecutive days;
    ``30 September – 2 October 2025`` across months; ``23 and 25 October 2025``
    for separate days of one month.
    """
    first, last = min(dates), max(dates)
    if first == last:
        return long_date(first)
    consecutive = len(dates) == (last - first).days + 1
    same_month = (first.year, first.month) == (last.year, last.month)
    if same_month and not consecutive:
        days = [str(date.day) for date in sorted(dates)]
        listed = ", ".join(days[:-1]) + " and " + days[-1]
        return f"{listed} {_MONTHS[last.month - 1]} {last.year}"
    if same_month:
        return f"{first.day}{EN_DASH}{long_date(last)}"
    if first.year == last.year:
        return f"{first.day} {_MONTHS[first.month - 1]} {EN_DASH} {long_date(last)}"
    return f"{long_date(first)} {EN_DASH} {long_date(last)}"


def event_dates(pack: Pack) -> str:
    """The date span of the whole pack."""
    return date_span([day.date for day in pack.days])


def session_heading(session: Session) -> str:
    """``Session 1: DevOps Culture at Amazon``, or the title alone when there is no label."""
    return f"{session.label}: {session.title}" if session.label else session.title


def keywords(pack: Pack) -> list[str]:
    """Document keywords: each distinct session title, then the organisation."""
    words = [session.title for session in pack.sessions]
    if pack.organisation:
        words.append(pack.organisation)
    return list(dict.fromkeys(words))


def fit(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, marked with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;") + "…"


#: Words that mark a classification as sensitive, to be shown in the accent colour.
SENSITIVE_WORDS = ("confidential", "secret", "restricted", "sensitive", "private", "internal")


def is_sensitive(classification: str | None) -> bool:
    """True when a classification such as "Confidential" asks for care in handling."""
    return classification is not None and any(
        word in classification.lower() for word in SENSITIVE_WORDS
    )
