"""The view of a copy that tracks its changes: both versions' pages, paired in one order.

A changes copy in Word shows the earlier version and the new one at once, as
tracked changes (*Accept All* gives the new one, *Reject All* the earlier).
Everything it shows comes from the one pack the model marked
(:func:`briefpack.model.changes.compare`), as the PDF's changes copy does:
the order of both versions' entries is :func:`~briefpack.model.both_versions.both_versions`',
the earlier version is the one the marked pack records
(:func:`~briefpack.model.marked_versions.earlier_of`), and each version's
pages (numbers, counts, worded lines) are this view's, computed once
(:func:`briefpack.render.view.build_view`).  Any other copy has one version,
the same on both sides.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from briefpack.model import Pack
from briefpack.model.both_versions import NEW_SIDES, OLD_SIDES, both_versions, version_of
from briefpack.model.change_details import SessionChange
from briefpack.model.marked_versions import earlier_of
from briefpack.model.rich_text import Text
from briefpack.render.settings import RenderSettings
from briefpack.render.view import PackView, build_view
from briefpack.render.view.paired import PairedDay, paired


@dataclass(frozen=True, slots=True)
class TrackedView:
    """What a copy shows of each version, paired entry by entry."""

    #: The pack its body is written from: in a changes copy, the marked one.
    pack: Pack
    #: The pack as the new version has it, and its view: what the pages say.
    new_pack: Pack
    view: PackView
    #: The earlier version's view, in a changes copy; else :attr:`view` itself.
    old_view: PackView
    #: The days as both versions have them, with each version's view of each entry.
    days: tuple[PairedDay, ...]


def tracked_view(pack: Pack, settings: RenderSettings) -> TrackedView:
    """The view of ``pack`` (the marked pack in a changes copy) as a tracking copy shows it."""
    listed = pack
    pack, earlier = _versions(pack, settings)
    days, session = pack.scope(settings.session)
    entries = both_versions(days, earlier, pack.renamed, whole=session is None)
    if settings.changes_since is None:
        view = build_view(pack, settings)
        return TrackedView(pack, pack, view, view, paired(entries, view, view))
    new_pack = version_of(pack, entries, NEW_SIDES)
    view = build_view(new_pack, settings, marked=listed)
    old = version_of(pack, entries, OLD_SIDES)
    if earlier is not None:
        old = _with_attendees_of(old, earlier)
    old_view = view
    if settings.session is None or settings.session in {s.id for s in old.sessions}:
        # A session new in this version has no earlier view but the new one.
        old_view = build_view(
            old, replace(settings, changes_since=None, changes_date=None), marked=listed
        )
    return TrackedView(pack, new_pack, view, old_view, paired(entries, old_view, view))


def _versions(pack: Pack, settings: RenderSettings) -> tuple[Pack, Pack | None]:
    """The change-marked pack a changes copy's body is written from, and the earlier version.

    The earlier version is the one ``pack`` records
    (:func:`~briefpack.model.marked_versions.earlier_of`): where a moved question
    or session was, the attendees it had.  A session's own copy of a session new
    in this version shows the session as if it had been there with no
    questions, its questions added.
    """
    if settings.changes_since is None or all(s.change is None for s in pack.sessions):
        return pack, None
    if settings.session is not None:
        pack = _as_if_there(pack, settings.session)
    return pack, earlier_of(pack)


def _as_if_there(pack: Pack, session_id: str) -> Pack:
    """``pack`` with the session ``session_id``, if added, as if it had been there empty."""
    days = []
    for day in pack.days:
        sessions = []
        for position, session in enumerate(day.sessions):
            change = session.change
            if session.id == session_id and change is not None and change.status == "added":
                change = SessionChange(
                    "same",
                    title=(Text(session.title),),
                    label=(Text(session.label),) if session.label else (),
                    speakers=tuple((None, speaker) for speaker in session.speakers),
                    old_date=day.date,
                    old_position=position,
                    old_attendees=session.attendees,
                )
            sessions.append(replace(session, change=change))
        days.append(replace(day, sessions=tuple(sessions)))
    return replace(pack, days=tuple(days))


def _with_attendees_of(old: Pack, earlier: Pack) -> Pack:
    """The earlier version with the attendees it had, and each session with its own.

    The marked pack's attendees are the new version's; the earlier version's
    are those it records (:attr:`briefpack.model.pack.Pack.attendee_versions`).
    """
    had = {session.id: session.attendees for session in earlier.sessions}
    days = tuple(
        replace(
            day,
            sessions=tuple(
                replace(session, attendees=had.get(session.id, session.attendees))
                for session in day.sessions
            ),
        )
        for day in old.days
    )
    return replace(old, attendees=earlier.attendees, days=days)
