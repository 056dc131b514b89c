"""Reading ``NAME.answers.yaml``: the answers harvested for a pack, checked like a pack.

Every problem of the file is collected and reported at its line; keys are the
questions' keys (see :attr:`briefpack.model.Question.key`).  Text is kept as
written: the harvest already trimmed what was typed, and a person editing the
file means what they write.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from briefpack.content.loader import MappingNode, ScalarNode, parse_yaml, read_text
from briefpack.content.read_limits import DEFAULT_MAX_SIZE
from briefpack.content.record import Checker, problem_order
from briefpack.content.schema import ANSWER_KEYS, ANSWERS_KEYS
from briefpack.errors import BriefpackError
from briefpack.model.answers import Answer, Answers

#: What an answers file is called beside its pack ``NAME.yaml``.
ANSWERS_SUFFIX = ".answers.yaml"
#: What no text of an answers file may hold: what a pack's text may not (the
#: characters XML 1.0, and so Word and PDF text, cannot carry: controls but
#: tab, newline and CR, lone surrogates, U+FFFE, U+FFFF), every other control
#: character too (DEL, and C1 controls such as U+0085, which YAML reads back
#: as a line break), and every Unicode noncharacter (U+FDD0 to U+FDEF, and
#: the last two code points of each of the 17 planes): they are reserved for
#: a program's own use and never text to exchange, as docs/answers.md promises.
#: Harvest refuses by the same rule, so it never writes a file this reader
#: would then refuse.
_REFUSED_CHARACTER = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF) for plane in range(17))
    + "]"
)
#: Longest text, in characters, an answer, a follow-up or a source may be,
#: and longest run of characters without a space in it.  The debrief sets
#: each answer as a paragraph and each follow-up in a table cell, and
#: WeasyPrint's time grows with the square of a word's length: measured for
#: an answer and a follow-up on one question (2 shared cores, the whole
#: build), 10,000 characters of prose take 3 s and 40,000 take 4 s, while an
#: unbroken word takes 2 s at 2,500 characters, 6 s at 5,000 and 19 s at
#: 10,000.  (Before the follow-up table's layout was fixed, a 40,000-character
#: follow-up ran past the 300 s time limit.)  Harvest refuses by the same
#: caps, so validate and build accept whatever harvest writes.
MAX_ANSWER_CHARACTERS = 10_000
MAX_WORD_CHARACTERS = 2_000
#: Where a line may break, and so what ends a word for
#: :data:`MAX_WORD_CHARACTERS`: the space, tab and line ends, and the spaces
#: Unicode lets a line break at (U+1680, U+2000 to U+2006, U+2008 to U+200A,
#: U+205F, U+3000, and the zero-width space U+200B).  The no-break spaces
#: (U+00A0, U+2007, U+202F) and the word joiners (U+2060, U+FEFF) glue their
#: neighbours into one word the layout cannot break, so they do not end one:
#: 100-letter words joined by U+00A0 cost the debrief what one long word does.
_BREAKS = " \t\n\r\u1680\u2000-\u2006\u2008-\u200a\u205f\u3000\u200b\u2028\u2029"
_LONG_WORD = re.compile(f"[^{_BREAKS}]{{{MAX_WORD_CHARACTERS + 1},}}")
#: Most characters all the texts of one answers file (answers, follow-ups and
#: sources together) may hold.  Each text is capped above, but the debrief
#: sets them all, in time growing with their total: measured with N questions
#: each answered by 10,000 characters of prose and followed up by as many
#: (2 shared cores, the whole build), the debrief took 18 s for 600,000
#: characters, 72 s for 1,800,000, and 79 s for 1,500,000 on a busy machine
#: (about 60 s when idle).  Harvest refuses a run that would go over it, and
#: the reader refuses such a file, so the build at its default time limit
#: (300 s) never meets a debrief it cannot finish.
MAX_ANSWERS_TOTAL = 1_500_000
#: In that total a word longer than this counts ``length / _WEIGHED_WORD``
#: times its length: its cost grows with the square of its length.  4
#: questions answered and followed up with 2,000-character words (80,000
#: characters) took 48 s, 15 times prose's cost a character, and 30 such ran
#: past the 300 s limit; counted 20 times over, 75,000 characters of them fit.
_WEIGHED_WORD = 100
_WORD = re.compile(f"[^{_BREAKS}]{{{_WEIGHED_WORD + 1},}}")


def debrief_weight(text: str) -> int:
    """What ``text`` counts towards :data:`MAX_ANSWERS_TOTAL`: its length, long words more."""
    extra = sum(
        len(word) * (len(word) - _WEIGHED_WORD) // _WEIGHED_WORD for word in _WORD.findall(text)
    )
    return len(text) + extra


#: The texts of an answer, as the answers file names them.
ANSWER_TEXTS = ("answer", "follow_up", "source")


def answers_path(pack_path: Path) -> Path:
    """Where the answers to the pack at ``pack_path`` are kept."""
    return pack_path.with_name(pack_path.stem + ANSWERS_SUFFIX)


def is_answers_file(path: Path) -> bool:
    """Whether ``path`` is an answers file rather than a pack."""
    return path.name.endswith(ANSWERS_SUFFIX)


def refused_character(text: str) -> str | None:
    """The first character of ``text`` an answers file may not hold, as ``U+001B``, or None."""
    found = _REFUSED_CHARACTER.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def described(code: str, article: str = "the") -> str:
    """``the control character U+001B``, or what else the refused character ``code`` is.

    Harvest names the character a filled field holds as ``a control
    character (U+001B)``: ``article="a"`` words it so.
    """
    category = unicodedata.category(chr(int(code[2:], 16)))
    if category == "Cs":
        return f"half of a surrogate pair ({code}), which is no character"
    kind = "control character" if category == "Cc" else "noncharacter"
    return f"the {kind} {code}" if article == "the" else f"a {kind} ({code})"


def too_long(text: str) -> str | None:
    """Why ``text`` is too long for an answer (see :data:`MAX_ANSWER_CHARACTERS`), or None."""
    if len(text) > MAX_ANSWER_CHARACTERS:
        return (
            f"is {len(text):,} characters long, over the {MAX_ANSWER_CHARACTERS:,} an answer "
            "may be; shorten it"
        )
    word = _LONG_WORD.search(text)
    if word is not None:
        return (
            f"holds {len(word.group()):,} characters without a space a line may break at, "
            f"over the "
            f"{MAX_WORD_CHARACTERS:,} a word of an answer may be; break it up"
        )
    return None


def total_too_long(total: int) -> str | None:
    """Why ``total`` characters of answers are too many for one pack, or None."""
    if total > MAX_ANSWERS_TOTAL:
        return (
            f"the answers hold {total:,} characters in all (a word over {_WEIGHED_WORD} "
            f"counting more), over the {MAX_ANSWERS_TOTAL:,} "
            "one pack's debrief may set within the build's time limit; shorten them"
        )
    return None


def load_answers(path: Path, max_size: int = DEFAULT_MAX_SIZE) -> Answers:
    """Read and check the answers file at ``path``; raise with every problem found."""
    label = str(path)
    return answers_from_text(read_text(path, label, max_size), label, path.parent)


def answers_from_text(text: str, label: str, folder: Path) -> Answers:
    """The answers in ``text``, an answers file's content shown as ``label``, checked.

    Harvest reads what it is about to write with this, so that what it writes
    is exactly what the build will read.
    """
    root = parse_yaml(text, label)
    checker = Checker(folder)
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
            for name in ANSWER_TEXTS:
                text_value, mark = entry.value(name), entry.mark(name)
                if mark is None or not text_value:
                    continue
                refused = refused_character(text_value)
                if refused is not None:
                    checker.problem(mark, f"'{name}' contains {described(refused)}; remove it")
                length = too_long(text_value)
                if length is not None:
                    checker.problem(mark, f"'{name}' {length}")
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
    total = sum(
        debrief_weight(getattr(answer, name) or "") for answer in answers for name in ANSWER_TEXTS
    )
    over = total_too_long(total)
    if over is not None:
        checker.problem(root.mark, over)
    if checker.problems:
        raise BriefpackError(sorted(checker.problems, key=problem_order))
    return Answers(tuple(answers), source=label)
