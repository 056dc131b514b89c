"""Each version a change-marked pack holds: its revisions settled one way or the other.

:func:`briefpack.model.changes.compare` merges two versions into one pack that
shows both: text that changed carries ``Revision`` nodes, each session and
question records where it was in the earlier version.  A writer that must give
back either version (the Word copy, whose *Reject All* gives the earlier one)
reads it from here: :func:`earlier_of` is the earlier version as the marked
pack records it, and :func:`settled` keeps one kind of revision of a text.
Nothing is compared again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from briefpack.model.pack import Day, Pack, Question, Session
from briefpack.model.rich_text import (
    Block,
    BulletList,
    Emphasis,
    Inline,
    Link,
    Markdown,
    OrderedList,
    Paragraph,
    Quote,
    RevisedBlock,
    Revision,
    RevisionKind,
    Strong,
    plain_text,
)


def earlier_of(marked: Pack) -> Pack:
    """The earlier version of ``marked`` (a pack :func:`~briefpack.model.changes.compare` made).

    Its days, sessions and questions in their earlier order, each with its
    earlier title, label, times, speakers, attendees and text, and the earlier
    attendees; unmarked.
    """
    questions: dict[str, list[tuple[int, Question]]] = {}
    for question in marked.questions:
        change = question.change
        if change is not None and change.old_session is not None:
            earlier = question_as(question, "delete")
            questions.setdefault(change.old_session, []).append((change.old_position or 0, earlier))
    days: dict[dt.date, list[tuple[int, Session]]] = {}
    for session in marked.sessions:
        was = session.change
        if was is None or was.old_date is None:
            continue
        kept = sorted(questions.get(session.id, []), key=lambda item: item[0])
        before = replace(
            session_as(session, "delete"),
            questions=tuple(question for _, question in kept),
            attendees=was.old_attendees if was.old_attendees is not None else (),
        )
        days.setdefault(was.old_date, []).append((was.old_position or 0, before))
    known = {day.date: day for day in marked.days}
    old_days = tuple(
        replace(
            known.get(date, Day(date, ())),
            sessions=tuple(s for _, s in sorted(days[date], key=lambda item: item[0])),
        )
        for date in sorted(days)
    )
    return replace(
        marked,
        days=old_days,
        attendees=tuple(a.old for a in marked.attendee_versions if a.old is not None),
        attendee_changes=(),
        attendee_versions=(),
        renamed=(),
    )


def session_as(session: Session, keep: RevisionKind) -> Session:
    """A session of a marked pack as the version that keeps ``keep`` revisions has it."""
    change = session.change
    if change is None or change.status != "edited":
        return replace(session, change=None)
    if keep == "insert":
        speakers = tuple(s for kind, s in change.speakers if kind != "delete")
        return replace(session, speakers=speakers, change=None)
    return replace(
        session,
        title=change.old_title or session.title,
        label=plain_text((Paragraph(settle_inlines(change.label, keep)),)) or None,
        start=change.old_start or session.start,
        end=change.old_end or session.end,
        speakers=tuple(s for kind, s in change.speakers if kind != "insert"),
        change=None,
    )


def question_as(question: Question, keep: RevisionKind) -> Question:
    """A question of a marked pack as the version that keeps ``keep`` revisions has it."""
    title = old_question_title(question) if keep == "delete" else question.title
    return replace(
        question,
        title=title,
        context=settled(question.context, keep),
        question=settled(question.question, keep) or question.question,
        change=None,
    )


def old_question_title(question: Question) -> str:
    """The title a question had in the earlier version."""
    change = question.change
    return change.old_title if change is not None and change.old_title else question.title


def accepted(question: Question) -> Question:
    """``question`` as the new version has it, its revisions accepted and its change forgotten."""
    return replace(
        question,
        context=settled(question.context, "insert"),
        question=settled(question.question, "insert") or question.question,
        change=None,
    )


def settled(markdown: Markdown | None, keep: RevisionKind) -> Markdown | None:
    """``markdown`` with the revisions of kind ``keep`` kept and the others dropped."""
    if markdown is None:
        return None
    blocks = _settle_blocks(markdown.blocks, keep)
    return Markdown(markdown.source, blocks) if blocks else None


def _settle_blocks(blocks: Sequence[Block], keep: RevisionKind) -> tuple[Block, ...]:
    settled_blocks: list[Block] = []
    for block in blocks:
        if isinstance(block, RevisedBlock):
            if block.kind == keep:
                settled_blocks += _settle_blocks((block.block,), keep)
        elif isinstance(block, Paragraph):
            settled_blocks.append(Paragraph(settle_inlines(block.children, keep)))
        elif isinstance(block, Quote):
            settled_blocks.append(Quote(_settle_blocks(block.children, keep)))
        elif isinstance(block, BulletList | OrderedList):
            items = tuple(
                item for item in (_settle_blocks(item, keep) for item in block.items) if item
            )
            if items:
                settled_blocks.append(
                    OrderedList(block.start, items)
                    if isinstance(block, OrderedList)
                    else BulletList(items)
                )
        else:
            settled_blocks.append(block)
    return tuple(settled_blocks)


def settle_inlines(inlines: Sequence[Inline], keep: RevisionKind) -> tuple[Inline, ...]:
    """``inlines`` with the revisions of kind ``keep`` kept (unwrapped) and the others dropped."""
    result: list[Inline] = []
    for inline in inlines:
        if isinstance(inline, Revision):
            if inline.kind == keep:
                result += settle_inlines(inline.children, keep)
        elif isinstance(inline, Strong):
            result.append(Strong(settle_inlines(inline.children, keep)))
        elif isinstance(inline, Emphasis):
            result.append(Emphasis(settle_inlines(inline.children, keep)))
        elif isinstance(inline, Link):
            result.append(Link(inline.href, settle_inlines(inline.children, keep)))
        else:
            result.append(inline)
    return tuple(result)
