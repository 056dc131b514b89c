"""Readers of single values: text, dates, times, flags, colours, sizes, language tags, ids.

Each reader takes one node of a file as written and returns the value the
model holds, or ``None`` after reporting why it cannot; it never raises, so
that every problem of a file is collected in one pass.  Problems go to a
``report`` callback (a :class:`~briefpack.content.record.Checker`'s
``problem``), so these rules know nothing of which file or record a value
comes from: a pack, a theme and an answers file read their values alike.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
from collections.abc import Callable, Sequence

from briefpack.content.loader import MappingNode, Node, ScalarNode, SequenceNode
from briefpack.content.slug import MAX_SLUG_LENGTH, is_slug, slugify
from briefpack.errors import Mark

#: Where a reader sends a problem: the place it is at, and what is wrong.
Report = Callable[[Mark, str], None]

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})")
_TWELVE_HOUR = re.compile(r"(\d{1,2})(?::(\d{2}))?\s*([AaPp])\.?[Mm]\.?")
# Characters that XML 1.0 (and so PDF text and Word) cannot carry.
_ILLEGAL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
_TRUE_WORDS = ("true", "True", "TRUE")
_FALSE_WORDS = ("false", "False", "FALSE")


def describe(node: Node) -> str:
    """How a message names what was written where something else was expected."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.is_null:
        return "nothing"
    shown = node.value if len(node.value) <= 40 else node.value[:37] + "..."
    return f"text ({shown!r})"


def _scalar(node: Node, name: str, expected: str, report: Report) -> ScalarNode | None:
    """``node`` if a value is written there; else a problem: ``name`` must be ``expected``."""
    if not isinstance(node, ScalarNode) or node.is_null:
        report(node.mark, f"'{name}' must be {expected}, not {describe(node)}")
        return None
    return node


def read_text(node: Node, name: str, required: bool, report: Report) -> str | None:
    """The text of ``node``, exactly as written but for trailing space; ``None`` if empty.

    Empty is a problem only for a ``required`` key.  A character no document
    can hold is refused here, once, rather than by each output.
    """
    if not isinstance(node, ScalarNode):
        report(node.mark, f"'{name}' must be text, not {describe(node)}")
        return None
    text = "" if node.is_null else node.value.rstrip()
    if not text:
        if required:
            report(node.mark, f"'{name}' must not be empty")
        return None
    illegal = _ILLEGAL_CHARACTER.search(text)
    if illegal:
        report(
            node.mark,
            f"'{name}' contains the character U+{ord(illegal.group()):04X}, "
            "which cannot be printed or stored in a document; remove it",
        )
        return None
    return text


def read_language(language: str, mark: Mark, name: str, report: Report) -> str | None:
    """A language tag such as ``en`` or ``en-GB``, one the Unicode CLDR knows."""
    if not _LANGUAGE_TAG.fullmatch(language):
        report(mark, f"'{name}' must be a language tag such as en or en-GB, not {language!r}")
        return None
    if not _known_language(language):
        report(
            mark,
            f"'{name}': unknown language {language!r}; write a language tag such as "
            "en, en-GB, de, fr or es",
        )
        return None
    return language


def _known_language(tag: str) -> bool:
    """Whether the Unicode CLDR, through Babel, knows the language ``tag``."""
    # Imported here: Babel's locale data is only needed when a pack names a language.
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        return False
    return True


def read_slug(text: str, mark: Mark, name: str, report: Report) -> str | None:
    """An id: ``[a-z0-9-]+``; a refused one is shown with an id that would do."""
    if is_slug(text):
        return text
    suggestion = slugify(text)
    hint = f'; for example "{suggestion}"' if suggestion and is_slug(suggestion) else ""
    if len(text) > MAX_SLUG_LENGTH:
        reason = f"at most {MAX_SLUG_LENGTH} characters"
    else:
        reason = "only lowercase letters a-z, digits and '-'"
    report(mark, f"'{name}' must be {reason}, not {text!r}{hint}")
    return None


def read_colour(node: Node, name: str, report: Report) -> str | None:
    """A colour written ``#rrggbb``, returned in lower case."""
    value = _scalar(node, name, "a colour (#rrggbb)", report)
    if value is None:
        return None
    if _COLOUR.fullmatch(value.value):
        return value.value.lower()
    report(value.mark, f"'{name}' must be a colour written #rrggbb, not {value.value!r}")
    return None


def read_points(node: Node, name: str, report: Report) -> float | None:
    """A type size in points: ``11.5`` or ``11.5pt``, above 0 and at most 200."""
    return _read_measure(node, name, "pt", 200, report)


def read_millimetres(node: Node, name: str, report: Report) -> float | None:
    """A length in millimetres: ``20`` or ``20mm``, from 0 to 100."""
    return _read_measure(node, name, "mm", 100, report, allow_zero=True)


def _read_measure(
    node: Node, name: str, unit: str, largest: float, report: Report, allow_zero: bool = False
) -> float | None:
    value = _scalar(node, name, f"a number of {unit}", report)
    if value is None:
        return None
    text = value.value.strip().removesuffix(unit).strip()
    try:
        number = float(text)
    except ValueError:
        number = -1.0
    low_ok = number >= 0 if allow_zero else number > 0
    if not (low_ok and number <= largest) or text.lower() in ("nan", "inf", "infinity"):
        report(
            value.mark,
            f"'{name}' must be a number of {unit} up to {largest:g}, not {value.value!r}",
        )
        return None
    return number


def read_flag(node: Node, name: str, report: Report) -> bool | None:
    """``true`` or ``false``, as YAML 1.2 writes them (``yes`` and ``on`` are refused)."""
    value = _scalar(node, name, "true or false", report)
    if value is None:
        return None
    if value.value in _TRUE_WORDS:
        return True
    if value.value in _FALSE_WORDS:
        return False
    report(value.mark, f"'{name}' must be true or false, not {value.value!r}")
    return None


def read_choice(node: Node, name: str, choices: Sequence[str], report: Report) -> str | None:
    """One of ``choices``, compared without regard to case and returned in lower case."""
    value = _scalar(node, name, " or ".join(choices), report)
    if value is None:
        return None
    if value.value.lower() in choices:
        return value.value.lower()
    report(value.mark, f"'{name}' must be {' or '.join(choices)}, not {value.value!r}")
    return None


def read_date(node: Node, name: str, report: Report) -> dt.date | None:
    """An ISO date, ``YYYY-MM-DD``; an impossible one says why (no month 13, no 30 February)."""
    value = _scalar(node, name, "a date (YYYY-MM-DD)", report)
    if value is None:
        return None
    match = _DATE.fullmatch(value.value)
    if match is None:
        report(value.mark, f"'{name}' must be a date written YYYY-MM-DD, not {value.value!r}")
        return None
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        report(value.mark, f"impossible date {value.value}: there is no month {month}")
        return None
    days_in_month = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days_in_month:
        month_name = calendar.month_name[month]
        report(
            value.mark,
            f"impossible date {value.value}: {month_name} {year} has {days_in_month} days",
        )
        return None
    return dt.date(year, month, day)


def read_time(node: Node, name: str, report: Report) -> dt.time | None:
    """A 24-hour ``HH:MM`` time; a 12-hour one is refused with the 24-hour way to write it.

    The value is read as written, so YAML 1.1's reading of ``9:30`` as the
    base-60 integer 570 never happens.
    """
    value = _scalar(node, name, "a time (HH:MM)", report)
    if value is None:
        return None
    match = _TIME.fullmatch(value.value)
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return dt.time(int(match[1]), int(match[2]))
    message = f"'{name}' must be a 24-hour time written HH:MM, not {value.value!r}"
    twelve_hour = _TWELVE_HOUR.fullmatch(value.value.strip())
    if twelve_hour and 1 <= int(twelve_hour[1]) <= 12:
        hour = int(twelve_hour[1]) % 12 + (12 if twelve_hour[3] in "Pp" else 0)
        minute = int(twelve_hour[2] or 0)
        if minute < 60:
            message += f'; write "{hour:02d}:{minute:02d}"'
    report(value.mark, message)
    return None


#: The longest duration a session or break may have: a whole day.
MAX_MINUTES = 24 * 60


def read_minutes(node: Node, name: str, report: Report) -> int | None:
    """A whole number of minutes, from 1 to a day's 1440: a duration or a break."""
    value = _scalar(node, name, "a number of minutes", report)
    if value is None:
        return None
    text = value.value.strip()
    if text.isdigit() and 1 <= int(text) <= MAX_MINUTES:
        return int(text)
    report(
        value.mark,
        f"'{name}' must be a whole number of minutes from 1 to {MAX_MINUTES}, not {value.value!r}",
    )
    return None


#: The slowest and fastest reading rates a pack may set, in words a minute.
READING_RATES = (60, 1000)


def read_rate(node: Node, name: str, report: Report) -> int | None:
    """A reading rate: a whole number of words a minute."""
    value = _scalar(node, name, "a number of words a minute", report)
    if value is None:
        return None
    text = value.value.strip()
    low, high = READING_RATES
    if text.isdigit() and low <= int(text) <= high:
        return int(text)
    report(
        value.mark,
        f"'{name}' must be a whole number of words a minute from {low} to {high}, "
        f"not {value.value!r}",
    )
    return None


def read_timezone(node: Node, name: str, report: Report) -> str | None:
    """An IANA time zone name such as ``Europe/London``, as the time zone database spells it."""
    value = _scalar(node, name, "a time zone such as Europe/London", report)
    if value is None:
        return None
    import zoneinfo

    text = value.value.strip()
    if text in zoneinfo.available_timezones():
        return text
    close = difflib.get_close_matches(text, sorted(zoneinfo.available_timezones()), n=1)
    hint = (
        f"; did you mean {close[0]!r}?" if close else "; write an IANA name such as Europe/London"
    )
    report(value.mark, f"'{name}': unknown time zone {text!r}{hint}")
    return None
