"""How model values read on the page, in the pack's language: labels, dates, times and counts.

Shared by every writer, so the PDF and the Word copy say the same thing in
the same words.  Two sources, both maintained elsewhere:

* Dates, times, day and month names come from the Unicode CLDR through Babel,
  for the language tag exactly as written (``en`` reads ``October 23, 2025``,
  ``en-GB`` ``23 October 2025``, ``de`` ``23. Oktober 2025``).
* Labels ("Question", "Page 3 of 15") and counted nouns ("27 questions") come
  from a gettext catalogue, one file per language
  (:mod:`briefpack.render.catalogues`).

A language that Babel knows but no catalogue covers falls back to English,
dates included, so that a page never mixes two languages.  Nothing here
reads the machine's locale.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from babel import Locale
from babel.dates import format_date, format_interval, format_skeleton, match_skeleton
from babel.lists import format_list
from babel.support import Translations

from briefpack.model.change_details import AttendeeChange, Detail
from briefpack.model.pack import Purpose, TimeFormat
from briefpack.render.catalogues import (
    FALLBACK_LANGUAGE,
    catalogue_for,
    printed_language,
    translations,
)
from briefpack.render.settings import copy_number

if TYPE_CHECKING:
    from briefpack.model import Day, Pack, Session
    from briefpack.model.changes import QuestionChange, SessionChange
    from briefpack.render.settings import RenderSettings


#: The most characters of a version's label a footer shows: the rest is cut, marked "…".
VERSION_LIMIT = 24


@dataclass(frozen=True)
class Wording:
    """Labels, dates, times and counts in one language.

    ``locale`` is Babel's locale for dates and times; ``translations`` the
    catalogue's messages; ``twelve_hour`` whether clocks show AM and PM.
    """

    language: str
    locale: Locale
    translations: Translations
    twelve_hour: bool

    @property
    def printed_language(self) -> str:
        """The tag of the words this wording prints: ``en`` for a ``ja`` pack, ``de-CH`` as is.

        What the HTML ``lang`` and the Word copy's language must say; see
        :func:`briefpack.render.catalogues.printed_language`.
        """
        return printed_language(self.language)

    # ------------------------------------------------------------ labels

    def gettext(self, message: str) -> str:
        """``message`` in this language: ``Question`` is ``Frage`` in German."""
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, number: int) -> str:
        """The form of a counted message for ``number``, its ``%(num)d`` filled in."""
        return self.translations.ngettext(singular, plural, number) % {"num": number}

    def questions(self, number: int) -> str:
        """``1 question``, ``27 questions``; ``27 Fragen`` in German."""
        return self.ngettext("%(num)d question", "%(num)d questions", number)

    def pages(self, number: int) -> str:
        """``1 page``, ``12 pages``: the length of a pre-read."""
        return self.ngettext("%(num)d page", "%(num)d pages", number)

    def summary(self, days: int, sessions: int, questions: int) -> str:
        """A pack's size: ``2 days, 4 sessions, and 27 questions``.

        The view counts them (:func:`briefpack.render.view.sessions.pack_size`):
        what a changes copy shows as removed does not count.
        """
        return format_list(
            [
                self.ngettext("%(num)d day", "%(num)d days", days),
                self.ngettext("%(num)d session", "%(num)d sessions", sessions),
                self.questions(questions),
            ],
            locale=self.locale,
        )

    def purpose(self, purpose: Purpose) -> str:
        """``For decision``: the tag of an agenda item, on its band, in the tables."""
        _ = self.gettext
        return {
            "decision": _("For decision"),
            "discussion": _("For discussion"),
            "noting": _("For noting"),
            "information": _("For information"),
        }[purpose]

    def purposes(self, counts: Sequence[tuple[Purpose, int]]) -> str | None:
        """``3 decisions, 2 for discussion``: what a cover says the meeting is asked for.

        ``None`` when no item says what it is for.
        """
        parts = []
        for purpose, number in counts:
            if not number:
                continue
            if purpose == "decision":
                parts.append(self.ngettext("%(num)d decision", "%(num)d decisions", number))
            elif purpose == "discussion":
                parts.append(
                    self.ngettext("%(num)d for discussion", "%(num)d for discussion", number)
                )
            elif purpose == "noting":
                parts.append(self.ngettext("%(num)d for noting", "%(num)d for noting", number))
            else:
                parts.append(
                    self.ngettext("%(num)d for information", "%(num)d for information", number)
                )
        return ", ".join(parts) if parts else None

    def reading_time(self, minutes: int) -> str:
        """``12 min``, ``1 h 40 min``, ``2 h``: how long a pre-reading takes."""
        hours, rest = divmod(minutes, 60)
        if not hours:
            return self.gettext("%(minutes)d min") % {"minutes": rest}
        if not rest:
            return self.gettext("%(hours)d h") % {"hours": hours}
        return self.gettext("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": rest}

    def pre_reading(self, minutes: int, pages: int) -> str:
        """``Pre-reading: 1 h 40 min, 84 pages`` on a cover; without pre-reads, the time alone."""
        time = self.reading_time(minutes)
        if not pages:
            return self.gettext("Pre-reading: %(time)s") % {"time": time}
        return self.gettext("Pre-reading: %(time)s, %(pages)s") % {
            "time": time,
            "pages": self.pages(pages),
        }

    def owner(self, name: str) -> str:
        """``Owner: Dana Kim``: who presents an agenda item, on its band."""
        return self.gettext("Owner: %(name)s") % {"name": name}

    def prepared_for(self, name: str, date: dt.date) -> str:
        """``Prepared for Jane Doe · Oct 23, 2025``: on every page of a recipient's pack."""
        return self.gettext("Prepared for %(name)s · %(date)s") % {
            "name": name,
            "date": format_date(date, "medium", locale=self.locale),
        }

    def version_line(self, version: str, issued: dt.date) -> str:
        """``Version 3 · issued Oct 21, 2025``: every page's footer (one line: a long label
        is cut, :func:`fit`) and the cover."""
        return self.gettext("Version %(version)s · issued %(date)s") % {
            "version": fit(version, VERSION_LIMIT),
            "date": format_date(issued, "medium", locale=self.locale),
        }

    def earlier_version(self, name: str, version: str | None) -> str:
        """``Version 2 (pack-v2.yaml)``: what a changes page compares with; else ``name``."""
        if not version:
            return name
        return self.gettext("Version %(version)s (%(name)s)") % {
            "version": fit(version, VERSION_LIMIT),
            "name": name,
        }

    def copy_line(self, copy: int, copies: int, prepared_for: str) -> str:
        """``Copy 2 of 5 · Prepared for Jane Doe · Oct 23, 2025``: a recipient's cover."""
        return self.gettext("Copy %(copy)s of %(copies)s · %(prepared_for)s") % {
            "copy": copy,
            "copies": copies,
            "prepared_for": prepared_for,
        }

    def status_label(
        self, change: QuestionChange | SessionChange | AttendeeChange, what: str
    ) -> str:
        """``Question added``, ``Session moved``: how a changes page names a change.

        ``what`` is ``session``, ``question`` or ``attendee``.
        """
        _ = self.gettext
        if not isinstance(change, AttendeeChange) and change.status == "same" and change.moved:
            return _("Session moved") if what == "session" else _("Question moved")
        labels = {
            ("session", "added"): _("Session added"),
            ("session", "removed"): _("Session removed"),
            ("session", "edited"): _("Session changed"),
            ("question", "added"): _("Question added"),
            ("question", "removed"): _("Question removed"),
            ("question", "edited"): _("Question edited"),
            ("attendee", "added"): _("Attendee added"),
            ("attendee", "removed"): _("Attendee removed"),
            ("attendee", "edited"): _("Attendee changed"),
        }
        return labels[(what, change.status)]

    def change_lines(
        self, change: QuestionChange | SessionChange | AttendeeChange | None
    ) -> list[str]:
        """The lines under an entry of the changes page, one per thing that changed about it.

        Both writers print these as they are, so the PDF and the Word copy say
        the same: ``Time changed from 9:00 – 10:00 AM to 9:30 – 10:30 AM``,
        ``José Ñúñez: role changed from CTO to CEO``.  Text changes are shown
        in place, marked, and are not repeated here.
        """
        return [] if change is None else [self.detail(detail) for detail in change.details]

    def detail(self, detail: Detail) -> str:
        """One :class:`~briefpack.model.change_details.Detail` in words."""
        _ = self.gettext
        old, new = self._value(detail.old), self._value(detail.new)
        values = {"name": detail.who or "", "old": old, "new": new}
        if detail.attribute == "added":
            return _("Speaker added: %(name)s") % values
        if detail.attribute == "removed":
            return _("Speaker removed: %(name)s") % values
        if detail.attribute == "moved_from":
            return _("Moved from %(session)s") % {"session": old}
        if detail.attribute == "title":
            return _("Title changed from %(old)s to %(new)s") % values
        if detail.attribute == "time":
            return _("Time changed from %(old)s to %(new)s") % values
        # An attribute that may be absent: changed, given where there was none, taken away.
        messages = {
            "label": (
                _("Label changed from %(old)s to %(new)s"),
                _("Label added: %(new)s"),
                _("Label removed: %(old)s"),
            ),
            "role": (
                _("%(name)s: role changed from %(old)s to %(new)s"),
                _("%(name)s: role set to %(new)s"),
                _("%(name)s: role %(old)s removed"),
            ),
            "organisation": (
                _("%(name)s: organisation changed from %(old)s to %(new)s"),
                _("%(name)s: organisation set to %(new)s"),
                _("%(name)s: organisation %(old)s removed"),
            ),
        }
        edited, given, taken = messages[detail.attribute]
        message = given if detail.old is None else taken if detail.new is None else edited
        return message % values

    def _value(self, value: str | tuple[dt.time, dt.time] | None) -> str:
        """A detail's old or new value as a page shows it: a time range in the language's way."""
        if isinstance(value, tuple):
            return self.times(*value)
        return value or ""

    def page_footer(self) -> list[str]:
        """ "Page X of Y" as text with the markers ``{page}`` and ``{pages}`` split out.

        ``["Page ", "{page}", " of ", "{pages}"]``: the PDF turns the markers
        into CSS counters and the Word copy into PAGE and NUMPAGES fields.
        """
        message = self.gettext("Page %(page)s of %(pages)s")
        pieces = re.split(r"%\((pages?)\)s", message)
        return [
            "{" + piece + "}" if index % 2 else piece
            for index, piece in enumerate(pieces)
            if piece or index % 2
        ]

    # ------------------------------------------------------------ dates and times

    def clock_time(self, time: dt.time) -> str:
        """``9:00 AM`` in English, ``09:00`` in German; never broken inside (``9:00\u00a0AM``)."""
        return unbreakable_time(format_skeleton(self._hours_minutes, time, locale=self.locale))

    def time_range(self, session: Session) -> str:
        """``9:00 – 10:00 AM``, ``09:00–10:00 Uhr``."""
        return self.times(session.start, session.end)

    def times(self, start: dt.time, end: dt.time) -> str:
        """The range from ``start`` to ``end``, as :meth:`time_range` writes a session's.

        It may break after its dash only: ``9:00\u202f\u2013\u200910:30\u00a0AM``.
        """
        return unbreakable_time(
            format_interval(start, end, self._hours_minutes, locale=self.locale)
        )

    def day_heading(self, date: dt.date) -> str:
        """``Thursday, October 23, 2025``; ``Donnerstag, 23. Oktober 2025``."""
        return format_date(date, "full", locale=self.locale)

    def long_date(self, date: dt.date) -> str:
        """``October 23, 2025``; ``23. Oktober 2025``."""
        return format_date(date, "long", locale=self.locale)

    def weekday(self, date: dt.date) -> str:
        """``Thursday``; ``Donnerstag``."""
        return format_date(date, "EEEE", locale=self.locale)

    def day_and_month(self, date: dt.date) -> str:
        """``October 23``; ``23. Oktober``: one unbreakable word (``23.\u00a0Oktober``)."""
        return format_skeleton("MMMMd", date, locale=self.locale).replace(" ", NBSP)

    def date_span(self, dates: Sequence[dt.date]) -> str:
        """The dates of an event as people write them.

        ``October 23–24, 2025`` for consecutive days, as a range across months
        or years too; separate days of one year are listed:
        ``October 23 and October 25, 2025``.  Each day is kept with its month
        (:func:`unbreakable_date`): the cover never breaks "23. / Oktober".
        """
        first, last = min(dates), max(dates)
        if first == last:
            return unbreakable_date(self.long_date(first))
        consecutive = len(set(dates)) == (last - first).days + 1
        if consecutive:
            return unbreakable_date(self._full_month_interval(first, last))
        ordered = sorted(set(dates))
        if first.year == last.year:
            listed = [self.day_and_month(date) for date in ordered[:-1]] + [self.long_date(last)]
        else:
            listed = [self.long_date(date) for date in ordered]
        # Each date kept whole on its own: the list's words ("and") may still break.
        return format_list([unbreakable_date(date) for date in listed], locale=self.locale)

    def event_dates(self, pack: Pack) -> str:
        """The date span of the whole pack."""
        return self.date_span([day.date for day in pack.days])

    @property
    def _hours_minutes(self) -> str:
        return "hm" if self.twelve_hour else "Hm"

    def _full_month_interval(self, first: dt.date, last: dt.date) -> str:
        # Most locales have no interval pattern for full month names, only
        # abbreviated ones ("Oct 23 - 24"); ICU widens the month field of the
        # closest pattern, as CLDR's matching rules allow, and Babel does not.
        skeleton = match_skeleton("yMMMMd", self.locale.interval_formats)
        if skeleton is None:
            return format_interval(first, last, "yMMMMd", locale=self.locale)
        greatest = "y" if first.year != last.year else "M" if first.month != last.month else "d"
        patterns = self.locale.interval_formats[skeleton].get(greatest)
        if not patterns:
            return format_interval(first, last, "yMMMMd", locale=self.locale)
        return "".join(
            format_date(date, _full_month(pattern), locale=self.locale)
            for pattern, date in zip(patterns, (first, last), strict=True)
        )


#: The no-break space that keeps a time with its "AM" and a day with its month.
NBSP = "\u00a0"
#: A space before a range's dash: kept with what precedes (the thin space, narrow too).
_BEFORE_DASH = re.compile(r"[ \u00a0\u2009\u202f](?=[\u2013\u2014-])")
#: A space that ends a range's dash: where the range may break, and only there.
_AFTER_DASH = re.compile(r"(?<=[\u2013\u2014-])[ \u00a0\u2009\u202f]")
#: A space after a day's number (``23``, ``23.``) before a word, and one before a day's number.
_AFTER_DAY = re.compile(r"(?<!\d)(\d{1,2}\.?) (?=[^\d\s])")
_BEFORE_DAY = re.compile(r"(?<=[^\W\d]) (?=\d{1,2}(?!\d))")


def unbreakable_time(text: str) -> str:
    """A time or range as one unbreakable word, except after a range's dash.

    ``10:00 AM`` -> ``10:00\u00a0AM``; ``9:00\u2009\u2013\u200910:30\u202fAM`` ->
    ``9:00\u202f\u2013\u200910:30\u00a0AM``; ``09:00\u201310:30 Uhr`` ->
    ``09:00\u201310:30\u00a0Uhr``.  A narrow table column then wraps a time only
    where a reader would ("10:00 /AM" never).
    """
    marked = _AFTER_DASH.sub("\x00", _BEFORE_DASH.sub("\u202f", text))
    return re.sub(r"[ \u202f](?![\u2013\u2014-])", NBSP, marked).replace("\x00", "\u2009")


def unbreakable_date(text: str) -> str:
    """``text`` with each day's number kept with its month: ``October\u00a023, 2025``,
    ``23.\u00a0Oktober 2025``; a range's dash keeps its spaces as :func:`unbreakable_time`."""
    kept = _BEFORE_DAY.sub(NBSP, _AFTER_DAY.sub(r"\1" + NBSP, text))
    return _BEFORE_DASH.sub("\u202f", kept)


def _full_month(pattern: str) -> str:
    """``pattern`` with abbreviated month names (MMM, LLL) widened to full ones, quotes kept."""
    pieces = re.split(r"('[^']*')", pattern)
    return "".join(
        piece
        if piece.startswith("'")
        else re.sub(r"(?<![ML])([ML])\1\1(?![ML])", r"\1\1\1\1", piece)
        for piece in pieces
    )


def wording_for(language: str, time_format: TimeFormat | None = None) -> Wording:
    """The wording of a pack written in ``language``; ``time_format`` overrides its clock."""
    return _wording(language, time_format)


@cache
def _wording(language: str, time_format: TimeFormat | None) -> Wording:
    catalogue = catalogue_for(language)
    locale = Locale.parse(language if catalogue else FALLBACK_LANGUAGE, sep="-")
    twelve_hour = (
        time_format == "12h"
        if time_format
        else "h" in locale.time_formats["short"].pattern.replace("'h'", "")
    )
    return Wording(language, locale, translations(catalogue or FALLBACK_LANGUAGE), twelve_hour)


def issue_lines(
    pack: Pack, settings: RenderSettings, wording: Wording, prepared_for: str | None
) -> tuple[str | None, str | None]:
    """The version line (with ``settings.version``) and a recipient's copy line, or ``None``.

    The copy's number is the build's (``settings.copy``), else the recipient's
    place among the pack's recipients: every copy of one issue is numbered alike.
    """
    version = settings.version and wording.version_line(settings.version, settings.created.date())
    number = settings.copy or copy_number(pack, settings.recipient)
    copy = wording.copy_line(*number, prepared_for) if prepared_for and number else None
    return version or None, copy


def shown_title(session: Session) -> str:
    """A session's title as printed: its paper's reference first (``3.2 FY26 budget``)."""
    return f"{session.paper} {session.title}" if session.paper else session.title


def session_heading(session: Session) -> str:
    """``Session 1: DevOps Culture at Amazon``, or the title alone when there is no label."""
    title = shown_title(session)
    return f"{session.label}: {title}" if session.label else title


def document_title(pack: Pack, session: Session | None) -> str:
    """The document's title (a PDF's window title, a Word file's): a session's pack
    names its session first, then the event, as a file list or a screen reader
    says it; the full pack, a recipient's (their name is on every page) the pack's."""
    return f"{session_heading(session)} \u2013 {pack.title}" if session else pack.title


def logo_description(pack: Pack) -> str:
    """What a screen reader says for the theme's logo: whose it is, never the theme's folder.

    The organisation the pack is prepared for or by; without one, its author (who
    prepared it, whose logo a theme most likely carries); else the pack's title, as
    the logo heads it.  Words the reader can place, in the pack's own words, where a
    folder name (``executive``, ``acme-theme``) says nothing.
    """
    return pack.organisation or pack.author or pack.title


def keywords(pack: Pack, days: Sequence[Day] | None = None) -> list[str]:
    """Document keywords: each distinct session title of ``days`` (the pack's), then the
    organisation: a session's pack names its own session, not every other one."""
    shown = pack.days if days is None else days
    words = [shown_title(session) for day in shown for session in day.sessions]
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
