"""Harvest writes no answers the build would refuse or take too long over: each answer and
the answers in all are capped at what the debrief renders in seconds.
"""

from __future__ import annotations

import base64
import os
import time
from pathlib import Path

import pytest

from conftest import run
from harvest_copies import (
    FIRST,
    answered_folder,
    build_copies,
    fill_docx,
    fill_pdf,
    harvested,
    refused,
)

FIRST_TITLE = "Observability & Reliability Engineering"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The copies every test fills in, built once for the module."""
    return build_copies(tmp_path_factory.mktemp("hostile"))


@pytest.fixture
def pack(built: Path, tmp_path: Path) -> Path:
    """A fresh folder with the pack and an answers file already holding one answer."""
    return answered_folder(built, tmp_path)


def test_answers_too_large_for_the_build_to_read_are_not_written(built: Path, pack: Path) -> None:
    """Far larger than the answers file a build reads: refused as the field it is, at the copy."""
    text = base64.b64encode(os.urandom(5 * 1024 * 1024)).decode("ascii")
    filled = fill_docx(
        built / "out" / "pack" / "pack.docx",
        pack / "large.docx",
        {f"briefpack:answer:{FIRST}": text},
    )
    refused(
        [str(filled)],
        pack / "pack.answers.yaml",
        f'{filled}: the answer to "{FIRST_TITLE}" ({FIRST}) is {len(text):,} characters long, '
        "over the 10,000 an answer may be; shorten it; nothing was harvested",
    )


#: Prose exactly as long as an answer may be, with a word exactly as long as a word may be.
AT_THE_CAP = ("x" * 2000 + " " + "Words of an answer. " * 500)[:10_000]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (AT_THE_CAP + "y",
         "is 10,001 characters long, over the 10,000 an answer may be; shorten it"),
        ("A link: " + "x" * 2001, "holds 2,001 characters without a space a line may break at, "
         "over the 2,000 a word of an answer may be; break it up"),
        ("x" * 1000 + "\u00a0" + "x" * 1000, "holds 2,001 characters without a space a line may "
         "break at, over the 2,000 a word of an answer may be; break it up"),
    ],
)  # fmt: skip
def test_an_answer_longer_than_the_debrief_renders_in_seconds_is_refused_at_the_copy(
    built: Path, pack: Path, text: str, why: str
) -> None:
    """40,000 characters ran past the build's 300 s time limit; harvest must not write them."""
    filled = fill_pdf(
        built / "out" / "pack" / "pack.pdf", pack / "long.pdf", {f"follow-up:{FIRST}": text}
    )
    refused(
        [str(filled)],
        pack / "pack.answers.yaml",
        f'{filled}: the follow-up to "{FIRST_TITLE}" ({FIRST}) {why}; nothing was harvested',
    )


def test_an_answer_at_the_cap_is_harvested_and_its_debrief_built_within_seconds(
    built: Path, pack: Path
) -> None:
    assert len(AT_THE_CAP) == 10_000
    filled = fill_pdf(
        built / "out" / "pack" / "pack.pdf",
        pack / "long.pdf",
        {f"answer:{FIRST}": AT_THE_CAP, f"follow-up:{FIRST}": AT_THE_CAP},
    )
    code, _, err = run("harvest", str(filled), "--into", str(pack / "pack.answers.yaml"))
    assert code == 0, err
    assert harvested(pack / "pack.answers.yaml").get(FIRST).follow_up == AT_THE_CAP.strip()
    started = time.monotonic()
    code, _, err = run(
        "build", str(pack / "pack.yaml"), "-o", str(pack / "out"), "-f", "pdf", "--no-sessions",
        "-j", "1", "--time-limit", "120",
    )  # fmt: skip
    assert code == 0, err
    assert (pack / "out" / "pack" / "pack.debrief.pdf").is_file()
    assert time.monotonic() - started < 120


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"a\\uFDD0b"', "'answer' contains the noncharacter U+FDD0; remove it"),
        ('"a\\U0001FFFEb"', "'answer' contains the noncharacter U+1FFFE; remove it"),
        ("x" * 10_001, "'answer' is 10,001 characters long, over the 10,000 an answer may be; "
         "shorten it"),
        ("x" * 2_001, "'answer' holds 2,001 characters without a space a line may break at, "
         "over the 2,000 a word of an answer may be; break it up"),
        *[
            ('"' + ("x" * 99 + joiner) * 20 + 'x"', "'answer' holds 2,001 characters without a "
             "space a line may break at, over the 2,000 a word of an answer may be; break it up")
            for joiner in ("\\u00A0", "\\u2007", "\\u202F", "\\u2060", "\\uFEFF")
        ],
    ],
)  # fmt: skip
def test_an_answers_file_refuses_what_harvest_refuses_at_its_line(
    tmp_path: Path, value: str, message: str
) -> None:
    """So that validate and build agree with harvest, whoever edited the file."""
    from briefpack.content.answers_file import load_answers
    from briefpack.errors import BriefpackError

    answers = tmp_path / "pack.answers.yaml"
    answers.write_text(f"answers:\n  key:\n    answer: {value}\n", encoding="utf-8")
    with pytest.raises(BriefpackError) as raised:
        load_answers(answers)
    assert [str(problem) for problem in raised.value.problems] == [f"{answers}:3:13: {message}"]


def _answers_totalling(total: int) -> str:
    """An answers file whose texts hold ``total`` characters of prose, 10,000 to a text."""
    prose = ("Words of an answer. " * 500)[:10_000]
    lines = ["answers:"]
    number = 0
    while total > 0:
        text = prose[: min(total, 10_000)].strip() or "x"
        lines += [f"  earlier-{number}:", f"    answer: {text}"]
        total -= len(text)
        number += 1
    return "\n".join(lines) + "\n"


def test_an_answers_file_over_the_total_the_debrief_sets_in_time_is_refused(
    tmp_path: Path,
) -> None:
    from briefpack.content.answers_file import MAX_ANSWERS_TOTAL, load_answers
    from briefpack.errors import BriefpackError

    answers = tmp_path / "pack.answers.yaml"
    answers.write_text(_answers_totalling(MAX_ANSWERS_TOTAL), encoding="utf-8")
    load_answers(answers)
    answers.write_text(_answers_totalling(MAX_ANSWERS_TOTAL + 1), encoding="utf-8")
    with pytest.raises(BriefpackError) as raised:
        load_answers(answers)
    assert [str(problem) for problem in raised.value.problems] == [
        f"{answers}:1:1: the answers hold {MAX_ANSWERS_TOTAL + 1:,} characters in all (a word "
        f"over 100 counting more), over the {MAX_ANSWERS_TOTAL:,} one pack's debrief may set "
        "within the build's time limit; shorten them"
    ]


def test_a_harvest_that_would_pass_the_total_is_refused_with_nothing_written(
    built: Path, pack: Path
) -> None:
    from briefpack.content.answers_file import MAX_ANSWERS_TOTAL

    answers = pack / "pack.answers.yaml"
    answers.write_text(_answers_totalling(MAX_ANSWERS_TOTAL - 5), encoding="utf-8")
    copy = fill_pdf(
        built / "out" / "pack" / "pack.pdf", pack / "more.pdf", {f"answer:{FIRST}": "Ten words"}
    )
    total = MAX_ANSWERS_TOTAL - 5 + len("Ten words") + len("more.pdf")
    refused(
        [str(copy)],
        answers,
        f"{copy}: with its answers in {answers}, the answers hold {total:,} characters in all "
        f"(a word over 100 counting more), over the {MAX_ANSWERS_TOTAL:,} one pack's debrief "
        "may set within the build's time limit; shorten them; nothing was harvested",
    )


def test_long_words_count_more_towards_the_total_as_they_cost_the_debrief_more(
    tmp_path: Path,
) -> None:
    """600,000 characters of 2,000-character words ran past 300 s; as much prose takes 18 s."""
    from briefpack.content.answers_file import MAX_ANSWERS_TOTAL, load_answers
    from briefpack.errors import BriefpackError

    words = " ".join(["x" * 2_000] * 5)
    answers = tmp_path / "pack.answers.yaml"
    entries = "".join(f"  q-{number}:\n    answer: {words}\n" for number in range(60))
    answers.write_text("answers:\n" + entries, encoding="utf-8")
    assert len(words) * 60 < MAX_ANSWERS_TOTAL
    with pytest.raises(BriefpackError) as raised:
        load_answers(answers)
    assert "characters in all (a word over 100 counting more)" in str(raised.value.problems[0])
