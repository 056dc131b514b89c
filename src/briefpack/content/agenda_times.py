"""A day's agenda timed: each session's start and end, from its times or its duration.

A secretary plans a meeting as a start and a list of items with their minutes;
times written out by hand go stale when one item moves.  So a session may give
its ``start`` and ``end``, or a ``duration`` alone (it then follows the item
before it, or the day's ``start``), and ``break: MINUTES`` items leave pauses.
Times written and durations are checked against each other, each problem at
its line; a day that runs past the ``end`` it declares is a warning that says
by how much.  The entries (:mod:`briefpack.content.entities`) read each item;
this module only puts times on them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from briefpack.content.record import Checker
from briefpack.errors import Mark
from briefpack.model import Break, Session

#: Where the day has got to after an item whose times are wrong: the items that
#: follow on from it are not timed, nor reported for it.
_UNKNOWN = -1


@dataclass(frozen=True, slots=True)
class Timing:
    """A session as written, before its times are known: what it says of them."""

    #: The session, its ``start`` and ``end`` not yet decided.
    session: Session
    start: dt.time | None
    end: dt.time | None
    duration: int | None
    start_mark: Mark | None
    end_mark: Mark | None
    duration_mark: Mark | None


@dataclass(frozen=True, slots=True)
class Pause:
    """A ``break: MINUTES`` item between two sessions."""

    minutes: int
    title: str | None
    mark: Mark


@dataclass(frozen=True, slots=True)
class DayTimes:
    """What a day says of its times: a start the sessions follow on from, an end to keep to."""

    start: dt.time | None
    end: dt.time | None
    end_mark: Mark | None


def _minutes(time: dt.time) -> int:
    return time.hour * 60 + time.minute


def _clock(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)


def _duration_words(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} minutes" if rest != 1 else "1 minute"
    return f"{hours} h {rest:02d} min" if rest else f"{hours} h"


def timed_day(
    checker: Checker, day: DayTimes, items: tuple[Timing | Pause, ...]
) -> tuple[tuple[Session, ...], tuple[Break, ...]] | None:
    """The day's sessions with their times, and its breaks; ``None`` once problems are reported.

    Every item is checked, so one wrong duration does not hide the next.
    """
    cursor = None if day.start is None else _minutes(day.start)
    sessions: list[Session] = []
    breaks: list[Break] = []
    failed = False
    written = 0  # the sessions written so far: where a break is, as written
    for item in items:
        if isinstance(item, Pause):
            if cursor is None:
                checker.problem(
                    item.mark,
                    "a break needs a time to follow: give the day a 'start:', "
                    "or put the break after a session",
                )
                failed = True
                continue
            if cursor == _UNKNOWN:
                continue
            end = cursor + item.minutes
            if end >= 24 * 60:
                checker.problem(item.mark, "the break would end at or after midnight")
                failed, cursor = True, _UNKNOWN
                continue
            pause = Break(_clock(cursor), _clock(end), item.title, after=written, mark=item.mark)
            breaks.append(pause)
            cursor = end
            continue
        written += 1
        if cursor == _UNKNOWN and item.start is None:
            continue  # follows an item whose times are wrong: that one is reported
        times = _session_times(checker, item, cursor)
        if times is None:
            failed = True
            cursor = _UNKNOWN if item.end is None else _minutes(item.end)
            continue
        start, end = times
        sessions.append(replace(item.session, start=_clock(start), end=_clock(end)))
        cursor = end
    if failed:
        return None
    _check_day_end(checker, day, sessions, breaks)
    return tuple(sessions), tuple(breaks)


def _session_times(checker: Checker, item: Timing, cursor: int | None) -> tuple[int, int] | None:
    """A session's start and end in minutes of the day; ``None`` once a problem is reported."""
    mark = item.session.mark
    if item.start is not None:
        start = _minutes(item.start)
    elif cursor is not None:
        start = cursor
    else:
        checker.problem(
            mark,
            "the session has no start: give it 'start:', or give its day a 'start:' "
            "so that it follows on from the item before it",
        )
        return None
    if item.end is not None:
        end = _minutes(item.end)
        if end <= start:
            checker.problem(
                item.end_mark or mark,
                f"the session ends at {item.end:%H:%M}, which is not after its start "
                f"at {_clock(start):%H:%M}",
            )
            return None
        if item.duration is not None and end - start != item.duration:
            checker.problem(
                item.duration_mark or mark,
                f"'duration' says {_duration_words(item.duration)}, but the session runs "
                f"from {_clock(start):%H:%M} to {item.end:%H:%M} "
                f"({_duration_words(end - start)}); correct one of them, or leave one out",
            )
            return None
        return start, end
    assert item.duration is not None
    end = start + item.duration
    if end >= 24 * 60:
        checker.problem(
            item.duration_mark or mark,
            f"the session would end after midnight: it starts at {_clock(start):%H:%M} "
            f"and lasts {_duration_words(item.duration)}",
        )
        return None
    return start, end


def _check_day_end(
    checker: Checker, day: DayTimes, sessions: list[Session], breaks: list[Break]
) -> None:
    """A warning at the day's ``end:`` when its last item ends after it, saying by how much."""
    if day.end is None or day.end_mark is None:
        return
    ends = [_minutes(session.end) for session in sessions] + [_minutes(b.end) for b in breaks]
    last = max(ends, default=0)
    over = last - _minutes(day.end)
    if over > 0:
        checker.warning(
            day.end_mark,
            f"the day runs {_duration_words(over)} past its end at {day.end:%H:%M}: "
            f"its last item ends at {_clock(last):%H:%M}",
        )
