"""Which question of the new version is which question of the old one.

The rules, in order (the module :mod:`briefpack.model.changes` and the README's
"Changes" section say the same): an explicit ``id``; the same title in the same
session; the same title anywhere; and otherwise how alike their title and text
are (at least :data:`SIMILAR` of difflib's ratio), the most alike pairs first.
Two different explicit ids are never the same question, however alike.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable

from briefpack.model.pack import Pack, Question, Session
from briefpack.model.rich_text import plain_text

#: How alike two questions' title and text must be (difflib's ratio) to be the same question.
SIMILAR = 0.6


def match_questions(old: Pack, new: Pack) -> dict[int, Question]:
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
