"""What changed between two versions of a pack, as one pack that shows both.

:func:`compare` matches the old version's sessions and questions to the
new one's and returns the new pack with everything that changed marked in it:

* text that changed carries :class:`~briefpack.model.rich_text.Revision`
  nodes (word by word) and whole blocks :class:`~briefpack.model.rich_text.RevisedBlock`;
* a removed question or session stays where it was, marked removed;
* each session and question carries a :class:`SessionChange` or
  :class:`QuestionChange` saying what happened to it, with the
  :class:`~briefpack.model.change_details.Detail` of each attribute that
  changed (a speaker's role, the time), and the pack the attendees that
  came, went or changed (:func:`~briefpack.model.change_details.attendee_changes`).

Every writer can then show the changes its own way: the PDF underlines and
strikes through, the Word copy makes real tracked changes.

Matching (the README's "Changes" section says the same):

1. Sessions match by id.
2. Questions match, in this order, by an explicit ``id``; by the same title in
   the same session; by the same title anywhere; and otherwise by how alike
   their title and text are (at least :data:`SIMILAR` of difflib's ratio),
   the most alike pairs first.  A retitled question with the same text is
   therefore an edit, not a removal and an addition.
3. A matched question in another session, or out of order among the
   questions it kept, is moved.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from briefpack.model.change_details import (
    Detail,
    Status,
    attendee_changes,
    changed,
    session_details,
)
from briefpack.model.pack import Day, Pack, Question, Session, Speaker
from briefpack.model.rich_text import (
    Block,
    BulletList,
    Code,
    CodeBlock,
    Emphasis,
    Image,
    Inline,
    LineBreak,
    Link,
    Markdown,
    OrderedList,
    Paragraph,
    Quote,
    RevisedBlock,
    Revision,
    RevisionKind,
    Strong,
    Text,
    plain_text,
)

#: How alike two questions' title and text must be (difflib's ratio) to be the same question.
SIMILAR = 0.6


@dataclass(frozen=True, slots=True)
class QuestionChange:
    """What happened to one question between the versions."""

    status: Status
    #: Whether it moved: to another session, or among the questions of its own.
    moved: bool = False
    #: Its title with its changes marked.
    title: tuple[Inline, ...] = ()
    #: The title it had, when that changed.
    old_title: str | None = None
    #: The title of the session it came from, when it moved from another one.
    moved_from: str | None = None
    #: What changed about it besides its text: its title, where it came from.
    details: tuple[Detail, ...] = ()


@dataclass(frozen=True, slots=True)
class SessionChange:
    """What happened to one session between the versions."""

    status: Status
    moved: bool = False
    title: tuple[Inline, ...] = ()
    old_title: str | None = None
    label: tuple[Inline, ...] = ()
    #: Its times before, when they changed.
    old_start: dt.time | None = None
    old_end: dt.time | None = None
    #: Its speakers, each marked ``insert`` or ``delete`` when added or removed, else
    #: ``None``; a speaker whose role changed is the old one deleted and the new inserted.
    speakers: tuple[tuple[RevisionKind | None, Speaker], ...] = ()
    #: What changed about it, one thing each (title, label, time, each speaker), in order.
    details: tuple[Detail, ...] = ()


def session_changed(session: Session) -> bool:
    """Whether anything in ``session`` (of a pack made by :func:`compare`) changed."""
    return any(
        change is not None and (change.status != "same" or change.moved)
        for change in (session.change, *(question.change for question in session.questions))
    )


def anything_changed(pack: Pack) -> bool:
    """Whether a pack made by :func:`compare` marks any change at all."""
    return any(
        change is not None and (change.status != "same" or change.moved)
        for change in (
            *(session.change for session in pack.sessions),
            *(question.change for question in pack.questions),
        )
    )


# ---------------------------------------------------------------- text


def diff_text(old: str, new: str) -> tuple[Inline, ...]:
    """``new`` with the words that differ from ``old`` marked as revisions."""
    return diff_inlines((Text(old),) if old else (), (Text(new),) if new else ())


def diff_inlines(old: Sequence[Inline], new: Sequence[Inline]) -> tuple[Inline, ...]:
    """``new`` with its differences from ``old`` marked, word by word, formatting kept."""
    old_tokens, new_tokens = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(
        None, [t.key for t in old_tokens], [t.key for t in new_tokens], autojunk=False
    )
    marked: list[tuple[RevisionKind | None, _Token]] = []
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            marked += [(None, token) for token in new_tokens[j1:j2]]
        if operation in ("delete", "replace"):
            marked += [("delete", token) for token in old_tokens[i1:i2]]
        if operation in ("insert", "replace"):
            marked += [("insert", token) for token in new_tokens[j1:j2]]
    return _merge([_node(kind, token) for kind, token in marked])


def mark_all(kind: RevisionKind, inlines: Sequence[Inline]) -> tuple[Inline, ...]:
    """``inlines`` wholly inserted or deleted, links kept outermost."""
    return _merge([_node(kind, token) for token in _tokens(inlines)])


@dataclass(frozen=True, slots=True)
class _Token:
    """A word, a run of spaces, or an atom (code, picture, line break), with its formatting."""

    content: str | Code | Image | LineBreak
    href: str | None
    strong: bool
    emphasis: bool

    @property
    def key(self) -> tuple[object, ...]:
        content = self.content
        if isinstance(content, Image):
            content = ("image", content.name)  # type: ignore[assignment]
        return (content, self.href, self.strong, self.emphasis)


_WORDS = re.compile(r"\s+|[^\s]+")


def _tokens(
    inlines: Iterable[Inline],
    href: str | None = None,
    strong: bool = False,
    emphasis: bool = False,
) -> list[_Token]:
    tokens: list[_Token] = []
    for inline in inlines:
        if isinstance(inline, Text):
            tokens += [_Token(w, href, strong, emphasis) for w in _WORDS.findall(inline.text)]
        elif isinstance(inline, Code | Image | LineBreak):
            tokens.append(_Token(inline, href, strong, emphasis))
        elif isinstance(inline, Strong):
            tokens += _tokens(inline.children, href, True, emphasis)
        elif isinstance(inline, Emphasis):
            tokens += _tokens(inline.children, href, strong, True)
        elif isinstance(inline, Link):
            tokens += _tokens(inline.children, inline.href, strong, emphasis)
        else:  # an earlier revision: compare what it shows
            tokens += _tokens(inline.children, href, strong, emphasis)
    return tokens


def _node(kind: RevisionKind | None, token: _Token) -> Inline:
    """One token as a tree: link, then revision, then strong and emphasis, then the text.

    The link is outermost because Word allows tracked changes inside a
    hyperlink, not a hyperlink inside a tracked change.
    """
    content = token.content
    node: Inline = Text(content) if isinstance(content, str) else content
    if token.emphasis:
        node = Emphasis((node,))
    if token.strong:
        node = Strong((node,))
    if kind is not None:
        node = Revision(kind, (node,))
    if token.href is not None:
        node = Link(token.href, (node,))
    return node


def _merge(nodes: Sequence[Inline]) -> tuple[Inline, ...]:
    """Join neighbours of one kind (texts, the same link, the same revision) into one node."""
    merged: list[Inline] = []
    for node in nodes:
        last = merged[-1] if merged else None
        if isinstance(last, Text) and isinstance(node, Text):
            merged[-1] = Text(last.text + node.text)
        elif isinstance(last, Link) and isinstance(node, Link) and last.href == node.href:
            merged[-1] = Link(last.href, _merge([*last.children, *node.children]))
        elif isinstance(last, Revision) and isinstance(node, Revision) and last.kind == node.kind:
            merged[-1] = Revision(last.kind, _merge([*last.children, *node.children]))
        elif isinstance(last, Strong) and isinstance(node, Strong):
            merged[-1] = Strong(_merge([*last.children, *node.children]))
        elif isinstance(last, Emphasis) and isinstance(node, Emphasis):
            merged[-1] = Emphasis(_merge([*last.children, *node.children]))
        else:
            merged.append(node)
    return tuple(merged)


# ---------------------------------------------------------------- blocks


def diff_markdown(old: Markdown | None, new: Markdown | None) -> Markdown | None:
    """``new`` with its changes from ``old`` marked; a field that went is kept, deleted."""
    if old is None and new is None:
        return None
    old_blocks = old.blocks if old else ()
    new_blocks = new.blocks if new else ()
    source = new.source if new else old.source if old else ""
    return Markdown(source, diff_blocks(old_blocks, new_blocks))


def diff_blocks(old: Sequence[Block], new: Sequence[Block]) -> tuple[Block, ...]:
    """``new`` with its changes from ``old`` marked, block by block, then word by word."""
    matcher = difflib.SequenceMatcher(
        None, [_block_key(b) for b in old], [_block_key(b) for b in new], autojunk=False
    )
    result: list[Block] = []
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            result += new[j1:j2]
            continue
        olds, news = list(old[i1:i2]), list(new[j1:j2])
        while olds and news and type(olds[0]) is type(news[0]):
            result.append(_diff_block(olds.pop(0), news.pop(0)))
        result += [RevisedBlock("delete", block) for block in olds]
        result += [RevisedBlock("insert", block) for block in news]
    return tuple(result)


def mark_blocks(kind: RevisionKind, markdown: Markdown | None) -> Markdown | None:
    """Every block of ``markdown`` wholly inserted or deleted."""
    if markdown is None:
        return None
    return Markdown(markdown.source, tuple(RevisedBlock(kind, b) for b in markdown.blocks))


def _block_key(block: Block) -> tuple[str, str]:
    return type(block).__name__, plain_text((block,))


def _diff_block(old: Block, new: Block) -> Block:
    if isinstance(old, Paragraph) and isinstance(new, Paragraph):
        return Paragraph(diff_inlines(old.children, new.children))
    if isinstance(old, Quote) and isinstance(new, Quote):
        return Quote(diff_blocks(old.children, new.children))
    if isinstance(old, BulletList) and isinstance(new, BulletList):
        return BulletList(_diff_items(old.items, new.items))
    if isinstance(old, OrderedList) and isinstance(new, OrderedList):
        return OrderedList(new.start, _diff_items(old.items, new.items))
    if isinstance(old, CodeBlock) and isinstance(new, CodeBlock) and old.text == new.text:
        return new
    return Quote((RevisedBlock("delete", old), RevisedBlock("insert", new)))


def _diff_items(
    old: Sequence[tuple[Block, ...]], new: Sequence[tuple[Block, ...]]
) -> tuple[tuple[Block, ...], ...]:
    matcher = difflib.SequenceMatcher(
        None, [plain_text(item) for item in old], [plain_text(item) for item in new], False
    )
    items: list[tuple[Block, ...]] = []
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            items += new[j1:j2]
            continue
        olds, news = list(old[i1:i2]), list(new[j1:j2])
        while olds and news:
            items.append(diff_blocks(olds.pop(0), news.pop(0)))
        items += [tuple(RevisedBlock("delete", b) for b in item) for item in olds]
        items += [tuple(RevisedBlock("insert", b) for b in item) for item in news]
    return tuple(items)


# ---------------------------------------------------------------- packs


def compare(old: Pack, new: Pack) -> Pack:
    """``new`` with its changes since ``old`` marked; see the module's matching rules.

    Every session and question of the result has its ``change`` set.
    """
    old_sessions = {session.id: session for session in old.sessions}
    new_ids = {session.id for session in new.sessions}
    pairs = _match_questions(old, new)
    old_home = {id(q): s for s in old.sessions for q in s.questions}
    matched_old = {id(old_question) for old_question in pairs.values()}
    days: list[Day] = []
    for day in new.days:
        sessions = tuple(
            _merge_session(old_sessions.get(session.id), session, pairs, old_home, matched_old)
            for session in day.sessions
        )
        days.append(replace(day, sessions=sessions))
    # Removed sessions stay where they were: after the session before them, on their day.
    for old_day in old.days:
        for position, session in enumerate(old_day.sessions):
            if session.id not in new_ids:
                removed = _removed_session(session, matched_old)
                days = _insert_session(days, old_day, old_day.sessions[:position], removed)
    return replace(
        new,
        days=tuple(_mark_moved_sessions(old, days)),
        attendee_changes=attendee_changes(old, new),
    )


def _match_questions(old: Pack, new: Pack) -> dict[int, Question]:
    """For each new question (by ``id()``, within this call) the old question it is, if any."""
    old_questions = [(s, q) for s in old.sessions for q in s.questions]
    new_questions = [(s, q) for s in new.sessions for q in s.questions]
    pairs: dict[int, Question] = {}
    taken: set[int] = set()

    def match(rule: Callable[[Session, Question, Session, Question], bool]) -> None:
        for new_session, new_question in new_questions:
            if id(new_question) in pairs:
                continue
            for old_session, old_question in old_questions:
                if id(old_question) not in taken and rule(
                    old_session, old_question, new_session, new_question
                ):
                    pairs[id(new_question)] = old_question
                    taken.add(id(old_question))
                    break

    def unnamed(old_question: Question, new_question: Question) -> bool:
        # Two different explicit ids are two different questions, however alike.
        return old_question.id is None or new_question.id is None

    match(lambda _os, oq, _ns, nq: nq.id is not None and oq.id == nq.id)
    match(lambda os, oq, ns, nq: os.id == ns.id and oq.title == nq.title and unnamed(oq, nq))
    match(lambda _os, oq, _ns, nq: oq.title == nq.title and unnamed(oq, nq))
    scored = sorted(
        (
            (_likeness(oq, nq), index, new_index)
            for new_index, (_ns, nq) in enumerate(new_questions)
            for index, (_os, oq) in enumerate(old_questions)
            if id(nq) not in pairs and id(oq) not in taken and unnamed(oq, nq)
        ),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    for score, index, new_index in scored:
        if score < SIMILAR:
            break
        old_question, new_question = old_questions[index][1], new_questions[new_index][1]
        if id(new_question) in pairs or id(old_question) in taken:
            continue
        pairs[id(new_question)] = old_question
        taken.add(id(old_question))
    return pairs


def _likeness(old: Question, new: Question) -> float:
    def words(question: Question) -> str:
        return f"{question.title}\n{plain_text(question.question.blocks)}"

    matcher = difflib.SequenceMatcher(None, words(old), words(new), autojunk=False)
    if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
        return 0.0
    return matcher.ratio()


def _merge_session(
    old: Session | None,
    new: Session,
    pairs: dict[int, Question],
    old_home: dict[int, Session],
    matched_old: set[int],
) -> Session:
    """``new`` with its questions merged (removed ones kept in place) and its change noted."""
    questions: list[Question] = []
    stayers: list[tuple[int, int]] = []  # (old position, index in questions) of those kept here
    for question in new.questions:
        before = pairs.get(id(question))
        home = old_home.get(id(before)) if before is not None else None
        if before is not None and home is not None and old is not None and home.id == new.id:
            stayers.append((old.questions.index(before), len(questions)))
        questions.append(_merge_question(before, question, home, new))
    # Out of order among the questions it kept: moved.
    in_order = _longest_increasing([position for position, _ in stayers])
    for number, (_, index) in enumerate(stayers):
        if number not in in_order:
            questions[index] = _with_change(questions[index], moved=True)
    if old is not None:
        for position, question in enumerate(old.questions):
            if id(question) not in matched_old:
                at = _place_after(questions, old.questions[:position])
                questions.insert(at, _removed_question(question))
    if old is None:
        change = SessionChange(
            "added",
            title=mark_all("insert", (Text(new.title),)),
            label=mark_all("insert", (Text(new.label),)) if new.label else (),
            speakers=tuple(("insert", speaker) for speaker in new.speakers),
        )
    else:
        speakers = _diff_speakers(old.speakers, new.speakers)
        retimed = (old.start, old.end) != (new.start, new.end)
        edited = (
            old.title != new.title
            or old.label != new.label
            or retimed
            or any(kind for kind, _ in speakers)
        )
        change = SessionChange(
            "edited" if edited else "same",
            title=diff_text(old.title, new.title),
            old_title=old.title if old.title != new.title else None,
            label=diff_text(old.label or "", new.label or ""),
            old_start=old.start if retimed else None,
            old_end=old.end if retimed else None,
            speakers=speakers,
            details=session_details(old, new),
        )
    return replace(new, questions=tuple(questions), change=change)


def _merge_question(
    old: Question | None, new: Question, home: Session | None, session: Session
) -> Question:
    if old is None:
        return replace(
            new,
            context=mark_blocks("insert", new.context),
            question=mark_blocks("insert", new.question) or new.question,
            change=QuestionChange("added", title=mark_all("insert", (Text(new.title),))),
        )
    old_context = old.context.blocks if old.context else ()
    new_context = new.context.blocks if new.context else ()
    edited = (
        old.title != new.title
        or old.question.blocks != new.question.blocks
        or old_context != new_context
    )
    moved_from = home.title if home is not None and home.id != session.id else None
    return replace(
        new,
        context=diff_markdown(old.context, new.context),
        question=diff_markdown(old.question, new.question) or new.question,
        change=QuestionChange(
            "edited" if edited else "same",
            moved=moved_from is not None,
            title=diff_text(old.title, new.title),
            old_title=old.title if old.title != new.title else None,
            moved_from=moved_from,
            details=(
                *changed("title", old.title, new.title),
                *((Detail("moved_from", moved_from),) if moved_from is not None else ()),
            ),
        ),
    )


def _with_change(question: Question, moved: bool) -> Question:
    assert question.change is not None
    return replace(question, change=replace(question.change, moved=moved))


def _removed_question(old: Question) -> Question:
    return replace(
        old,
        context=mark_blocks("delete", old.context),
        question=mark_blocks("delete", old.question) or old.question,
        change=QuestionChange("removed", title=mark_all("delete", (Text(old.title),))),
    )


def _removed_session(old: Session, matched_old: set[int]) -> Session:
    questions = tuple(
        _removed_question(question) for question in old.questions if id(question) not in matched_old
    )
    return replace(
        old,
        questions=questions,
        change=SessionChange(
            "removed",
            title=mark_all("delete", (Text(old.title),)),
            label=mark_all("delete", (Text(old.label),)) if old.label else (),
            speakers=tuple(("delete", speaker) for speaker in old.speakers),
        ),
    )


def _longest_increasing(values: Sequence[int]) -> set[int]:
    """Indexes of a longest increasing run (not necessarily contiguous) in ``values``."""
    best: list[list[int]] = []
    for index, value in enumerate(values):
        chains = [chain for chain in best if values[chain[-1]] < value]
        longest = max(chains, key=len, default=[])
        best.append([*longest, index])
    longest_chain: list[int] = max(best, key=len, default=[])
    return set(longest_chain)


def _place_after(merged: list[Question], before: Sequence[Question]) -> int:
    """Where a removed question goes: right after the nearest question before it that stayed."""
    for earlier in reversed(before):
        for index, question in enumerate(merged):
            change = question.change
            if question.title == earlier.title and change is not None and change.status != "added":
                return index + 1
    return 0


def _insert_session(
    days: list[Day], old_day: Day, before: Sequence[Session], removed: Session
) -> list[Day]:
    for index, day in enumerate(days):
        if day.date == old_day.date:
            ids = [session.id for session in day.sessions]
            at = 0
            for earlier in reversed(before):
                if earlier.id in ids:
                    at = ids.index(earlier.id) + 1
                    break
            sessions = (*day.sessions[:at], removed, *day.sessions[at:])
            return [*days[:index], replace(day, sessions=sessions), *days[index + 1 :]]
    # Its whole day went: the day comes back, in date order, holding what was removed.
    restored = replace(old_day, sessions=(removed,))
    return sorted([*days, restored], key=lambda day: day.date)


def _mark_moved_sessions(old: Pack, days: list[Day]) -> list[Day]:
    """A session on another day, or out of order among the sessions kept, has moved."""
    old_dates = {session.id: day.date for day in old.days for session in day.sessions}
    old_positions = {session.id: n for n, session in enumerate(old.sessions)}
    kept = [
        (day.date, session)
        for day in days
        for session in day.sessions
        if session.id in old_dates and session.change and session.change.status != "removed"
    ]
    in_order = _longest_increasing([old_positions[session.id] for _, session in kept])
    moved = {
        session.id
        for index, (date, session) in enumerate(kept)
        if index not in in_order or date != old_dates[session.id]
    }
    return [
        replace(
            day,
            sessions=tuple(
                replace(session, change=replace(session.change, moved=True))
                if session.id in moved and session.change is not None
                else session
                for session in day.sessions
            ),
        )
        for day in days
    ]


def _diff_speakers(
    old: Sequence[Speaker], new: Sequence[Speaker]
) -> tuple[tuple[RevisionKind | None, Speaker], ...]:
    matcher = difflib.SequenceMatcher(None, list(old), list(new), autojunk=False)
    marked: list[tuple[RevisionKind | None, Speaker]] = []
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            marked += [(None, speaker) for speaker in new[j1:j2]]
            continue
        marked += [("delete", speaker) for speaker in old[i1:i2]]
        marked += [("insert", speaker) for speaker in new[j1:j2]]
    return tuple(marked)
