"""One view of the page: what each document of a pack contains, in order, already worded.

Both writers read it and decide only how it looks: the HTML writer
(:mod:`briefpack.render.html`, which hands it to the theme's template as
``view``) and the Word writer (:mod:`briefpack.render.docx.writer`).  Every
fact about the contents of a pack is computed here once: which questions
are kept and their numbers, the line under a session's title, the rows of
the at-a-glance table, a debrief's tally, the entries of the changes page,
each label in the reader's language.  Before, the template and the Word
writer each computed them, and a test kept the two copies in step.

The view is immutable (frozen dataclasses of plain values and model
nodes), so a theme's template, which runs in Jinja's sandbox, may read
every field and change none.  Its parts:

- :class:`PackView` (:func:`build_view`): ``labels``, ``cover``,
  ``changes``, ``debrief``, ``glance``, ``attendees``, ``days`` (the shown
  days with their sessions, questions and pre-reads), ``contents``,
  ``prepared_for``, ``logo_alt``, ``page_footer``, the document's title
  and keywords.
- :mod:`~briefpack.render.view.labels` (every fixed label),
  :mod:`~briefpack.render.view.front` (the pages before the sessions),
  :mod:`~briefpack.render.view.sessions` (days, sessions, questions,
  pre-reads) and :mod:`~briefpack.render.view.anchors` (where links lead,
  and what they are called) hold the parts.
- :mod:`~briefpack.render.view.tracked` is what a copy that tracks its
  changes (the Word copy) shows: from the one pack the model marked, each
  version's view, paired entry by entry (:mod:`~briefpack.render.view.paired`)
  in the one order of both versions.

A writer builds the view once per document and lays it out: it asks the
catalogue for no label and counts, numbers or words nothing itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefpack.model import Pack
from briefpack.render.settings import RenderSettings
from briefpack.render.view.anchors import session_bookmarks
from briefpack.render.view.front import (
    AttendeeCard,
    ChangeEntry,
    ChangesPage,
    Cover,
    Debrief,
    FollowUp,
    Glance,
    GlanceRow,
    Tally,
    attendee_cards,
    changes_page,
    cover,
    debrief,
    glance,
)
from briefpack.render.view.labels import Labels, labels_for
from briefpack.render.view.matters import MattersArising, matters_arising
from briefpack.render.view.sessions import (
    DayView,
    GivenAnswer,
    MarkedSpeaker,
    PreReadView,
    QuestionView,
    SessionView,
    day_views,
    pack_size,
)
from briefpack.render.wording import (
    Wording,
    document_title,
    keywords,
    logo_description,
    wording_for,
)

__all__ = [
    "AttendeeCard",
    "ChangeEntry",
    "ChangesPage",
    "Cover",
    "DayView",
    "Debrief",
    "FollowUp",
    "GivenAnswer",
    "Glance",
    "GlanceRow",
    "Labels",
    "MarkedSpeaker",
    "PackView",
    "PreReadView",
    "QuestionView",
    "SessionView",
    "Tally",
    "build_view",
]


@dataclass(frozen=True, slots=True)
class PackView:
    """What one document of a pack contains, in the order it is printed."""

    #: The language of the words printed: English for a pack in one without a catalogue.
    language: str
    #: The document's title in its properties: a session's pack names its session first.
    document_title: str
    #: Its keywords: each distinct session title, then the organisation.
    keywords: tuple[str, ...]
    labels: Labels
    #: Whether this is a session's pack (its own cover, no table, no contents).
    session_pack: bool
    #: The event's dates and size (``2 days, 4 sessions, and 27 questions``), whatever the
    #: cover shows: the full pack's cover prints them.
    event_dates: str
    summary: str
    cover: Cover
    #: A changes copy's page after the cover; ``None`` otherwise.
    changes: ChangesPage | None
    #: A debrief's first page; ``None`` otherwise.
    debrief: Debrief | None
    #: The full pack's at-a-glance table; ``None`` in a session's pack.
    glance: Glance | None
    #: The open actions and last decisions of the pack's register, after the table;
    #: ``None`` without a register, and in a session's pack.
    matters: MattersArising | None
    #: The attendees' pages: all the pack's, or those a session's pack names.
    attendees: tuple[AttendeeCard, ...]
    #: The days shown, each with its sessions, questions and pre-reads.
    days: tuple[DayView, ...]
    #: The days the contents list (the full pack's); none in a session's pack.
    contents: tuple[DayView, ...]
    #: ``Prepared for Jane Doe · Oct 23, 2025`` in a recipient's pack, else ``None``.
    prepared_for: str | None
    #: What a screen reader says for the theme's logo: whose it is.
    logo_alt: str
    #: Whether each question has ruled space for notes under it.
    notes: bool
    #: "Page X of Y" in pieces: ``{page}`` and ``{pages}`` stand for the numbers.
    page_footer: tuple[str, ...]


def build_view(pack: Pack, settings: RenderSettings, marked: Pack | None = None) -> PackView:
    """The view of ``pack`` rendered with ``settings``.

    ``marked`` is the change-marked pack, where that is not ``pack`` itself (the
    Word copy renders each version unmarked): the changes page lists its
    changes, when the settings name the earlier version and its date, and the
    Word copy's bookmarks are named in its order, the same in both versions.
    """
    wording = wording_for(pack.options.language, pack.options.time_format)
    days, session = pack.scope(settings.session)
    names = {attendee.name for attendee in pack.attendees}
    order = (marked or pack).scope(settings.session)[0]
    bookmarks = session_bookmarks(order, days)
    recording = pack.register is not None
    shown = day_views(days, wording, settings, names, bookmarks, recording)
    prepared_for = (
        wording.prepared_for(settings.recipient, settings.created.date())
        if settings.recipient
        else None
    )
    event_dates = wording.event_dates(pack)
    summary = wording.summary(*pack_size(pack))
    changes = None
    if settings.changes_since and settings.changes_date:
        # The changes page lists the marked pack's days: this pack's, unless it is one version.
        listed = (
            shown
            if marked is None
            else day_views(order, wording, settings, names, bookmarks, recording)
        )
        changes = _changes(marked or pack, listed, settings, wording)
    return PackView(
        language=wording.printed_language,
        document_title=document_title(pack, session),
        keywords=tuple(keywords(pack, days)),
        labels=labels_for(wording),
        session_pack=session is not None,
        event_dates=event_dates,
        summary=summary,
        cover=cover(
            pack,
            session,
            shown,
            wording,
            dates=event_dates,
            summary=summary,
            prepared_for=prepared_for,
            settings=settings,
        ),
        changes=changes,
        debrief=debrief(shown) if settings.answers is not None else None,
        glance=glance(pack, shown, wording) if session is None else None,
        matters=matters_arising(pack, wording) if session is None else None,
        attendees=attendee_cards(
            pack.attendees if session is None else pack.attendees_of(session), days
        ),
        days=shown,
        contents=shown if session is None else (),
        prepared_for=prepared_for,
        logo_alt=logo_description(pack),
        notes=settings.notes,
        page_footer=tuple(wording.page_footer()),
    )


def _changes(
    marked: Pack, days: tuple[DayView, ...], settings: RenderSettings, wording: Wording
) -> ChangesPage:
    """The changes page of ``marked``, whose shown days' views are ``days``."""
    assert settings.changes_since is not None
    assert settings.changes_date is not None
    title = wording.gettext("What changed since %(version)s of %(date)s") % {
        "version": settings.changes_since,
        "date": wording.long_date(settings.changes_date),
    }
    # The attendees who came, went or changed: on the full pack's page only.
    attendees = marked.attendee_changes if settings.session is None else ()
    return changes_page(days, attendees, title, wording)
