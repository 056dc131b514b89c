"""Reading ``NAME.answers.yaml``: the answers harvested for a pack, checked like a pack.

Every problem of the file is collected and reported at its line; keys are the
questions' keys (see :attr:`briefpack.model.Question.key`).  Text is kept as
written: the harvest already trimmed what was typed, and a person editing the
file means what they write.
"""

from __future__ import annotations

from pathlib import Path

from briefpack.content.limits import DEFAULT_MAX_SIZE
from briefpack.content.loader import MappingNode, ScalarNode, load_file
from briefpack.content.schema import ANSWER_KEYS, ANSWERS_KEYS
from briefpack.content.validate import Checker, problem_order
from briefpack.errors import BriefpackError
from briefpack.model.answers import Answer, Answers

#: What an answers file is called beside its pack ``NAME.yaml``.
ANSWERS_SUFFIX = ".answers.yaml"


def answers_path(pack_path: Path) -> Path:
    """Where the answers to the pack at ``pack_path`` are kept."""
    return pack_path.with_name(pack_path.stem + ANSWERS_SUFFIX)


def is_answers_file(path: Path) -> bool:
    """Whether ``path`` is an answers file rather than a pack."""
    return path.name.endswith(ANSWERS_SUFFIX)


def load_answers(path: Path, max_size: int = DEFAULT_MAX_SIZE) -> Answers:
    """Read and check the answers file at ``path``; raise with every problem found."""
    label = str(path)
    root = load_file(path, label, max_size)
    checker = Checker(path.parent)
    answers: list[Answer] = []
    if isinstance(root, ScalarNode) and root.is_null:
        return Answers(source=label)
    record = checker.record(root, ANSWERS_KEYS, "the answers file")
    node = record.mapping("answers") if record is not None else None
    if record is not None and "answers" not in record.values:
        checker.problem(root.mark, "an answers file needs 'answers:', a mapping of question keys")
    if isinstance(node, MappingNode):
        for key_node, value in node.pairs:
            entry = checker.record(value, ANSWER_KEYS, f"the answer to '{key_node.value}'")
            if entry is None:
                continue
            answers.append(
                Answer(
                    key=key_node.value,
                    answer=entry.value("answer"),
                    follow_up=entry.value("follow_up"),
                    source=entry.value("source"),
                    harvested=entry.value("harvested"),
                    mark=key_node.mark,
                    answer_mark=entry.mark("answer"),
                    follow_up_mark=entry.mark("follow_up"),
                )
            )
    if checker.problems:
        raise BriefpackError(sorted(checker.problems, key=problem_order))
    return Answers(tuple(answers), source=label)
