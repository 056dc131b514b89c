"""Hostile and broken input files: YAML bombs, sizes, nesting, random packs, random bytes and
every error path give one clear, located message, never a traceback.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefpack.cli import cli
from briefpack.content.loader import parse_yaml
from briefpack.content.validate import load_pack, validate_pack
from briefpack.errors import BriefpackError

from conftest import BUNDLED_PACK, MINIMAL_PACK, WritePack, problems, run
from pdf_helpers import normalise, page_texts


def test_alias_bomb_is_refused_at_the_first_alias(write_pack: WritePack) -> None:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 9):
        previous = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        levels.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
    path = write_pack("\n".join(levels) + "\n")
    assert problems(path) == [
        "pack.yaml:2:8: aliases (*a) are not supported in content; write the value out in full"
    ]


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text(MINIMAL_PACK + "#" * (6 * 1024 * 1024) + "\n", encoding="utf-8")
    code, _, err = run("validate", str(path))
    assert code == 1
    assert err.startswith(f"{path}: the file is 6.0 MB, over the limit of 5.0 MB for a pack")
    code, out, _ = run("validate", "--max-size", "10MB", str(path))
    assert (code, out) == (0, f"{path}: ok: 1 day, 1 session, 1 question\n")


def test_max_size_must_be_a_size() -> None:
    code, _, err = run("validate", "--max-size", "lots")
    assert code == 2
    assert "'lots' is not a size such as 500k or 5MB" in err


def test_nesting_deeper_than_the_limit_is_refused(write_pack: WritePack) -> None:
    path = write_pack("title: " + "[" * 40 + "]" * 40 + "\n")
    assert problems(path) == [
        "pack.yaml:1:40: nesting deeper than 32 levels; a pack needs far fewer"
    ]


@pytest.mark.parametrize("name", ["..yaml", "...yaml", ".hidden.yaml"])
def test_a_file_name_that_cannot_name_an_output_folder_is_refused(
    tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    path.write_text(MINIMAL_PACK, encoding="utf-8")
    with pytest.raises(BriefpackError, match="cannot name a pack's output folder"):
        load_pack(path)


def test_every_cli_error_is_one_message_without_a_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("in the way", encoding="utf-8")
    broken_docx = tmp_path / "broken.docx"
    broken_docx.write_bytes(b"not a zip")
    cases = [
        ("validate", str(tmp_path / "missing.yaml")),
        ("build", str(tmp_path / "missing")),
        ("build", str(BUNDLED_PACK), "-o", str(blocker), "--no-sessions", "-j", "1"),
        (
            "build",
            str(BUNDLED_PACK),
            "-o",
            str(tmp_path / "o"),
            "-f",
            "docx",
            "--no-sessions",
            "--reference-docx",
            str(broken_docx),
        ),
        ("build", "--paper", "a3"),
        ("build", "--jobs", "0"),
    ]
    for args in cases:
        result = CliRunner().invoke(cli, list(args))
        assert result.exit_code != 0, args
        assert "Traceback" not in result.stderr, args
        assert not isinstance(result.exception, Exception) or isinstance(
            result.exception, SystemExit
        ), (args, result.exception)
        assert result.stderr.strip(), args


def theme_characters() -> list[str]:
    """The allowed set: printable characters that the theme's fonts can show."""
    import unicodedata

    from fontTools.ttLib import TTFont

    from briefpack.render.builtin_themes import templates_dir

    covered: set[int] = set()
    for path in (templates_dir() / "fonts").glob("*.[ot]tf"):
        with TTFont(path, lazy=True) as font:
            covered |= set(font["cmap"].getBestCmap())
    return [
        chr(code)
        for code in sorted(covered)
        if unicodedata.category(chr(code))[0] in "LNPS" and chr(code) not in "\ufffe\uffff"
    ]


TEXT = st.text(
    alphabet=st.sampled_from(theme_characters()) | st.just(" "), min_size=1, max_size=40
).filter(lambda text: text.strip() == text and bool(text))


def quoted(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


@st.composite
def packs(draw: st.DrawFn) -> tuple[str, list[str]]:
    """YAML for a random valid pack, and every question's text."""
    lines = [f"title: {quoted(draw(TEXT))}", "days:"]
    questions: list[str] = []
    for day in range(draw(st.integers(1, 2))):
        lines += [f"  - date: 2026-03-{day + 1:02d}", "    sessions:"]
        for session in range(draw(st.integers(1, 2))):
            lines += [
                f"      - title: {quoted(draw(TEXT))}",
                f"        id: s{day}-{session}",
                '        start: "09:00"',
                '        end: "10:00"',
                "        questions:",
            ]
            for _ in range(draw(st.integers(1, 3))):
                text = draw(TEXT)
                questions.append(text)
                lines += [
                    f"          - title: {quoted(draw(TEXT))}",
                    f"            question: {quoted(text)}",
                ]
    return "\n".join(lines) + "\n", questions


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(packs())
def test_random_valid_packs_build_with_every_question_in_both_formats(
    pack_and_questions: tuple[str, list[str]],
) -> None:
    from briefpack.build.chosen_settings import resolve_settings
    from briefpack.model.rich_text import plain_text
    from briefpack.render.docx.writer import render_docx
    from briefpack.render.pdf import render_pdf

    text, _ = pack_and_questions
    pack = validate_pack(parse_yaml(text, "random.yaml"), "random.yaml", "random")
    settings = resolve_settings(pack, {})
    pdf_text = normalise(" ".join(page_texts(render_pdf(pack, settings).data))).replace(" ", "")
    docx = render_docx(pack, settings).data
    from docx import Document

    paragraphs = " ".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
    for question in pack.questions:
        words = plain_text(question.question.blocks)
        assert normalise(words).replace(" ", "") in pdf_text
        assert words in paragraphs


BUNDLED_TEXT = BUNDLED_PACK.read_text(encoding="utf-8")


@st.composite
def mutations(draw: st.DrawFn) -> str:
    """The bundled pack with random lines deleted, re-indented, cut or sprinkled with bytes."""
    lines = BUNDLED_TEXT.splitlines(keepends=True)[: draw(st.integers(1, 120))]
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "indent", "dedent", "insert", "truncate"]))
        if kind == "delete":
            del lines[index]
        elif kind == "indent":
            lines[index] = "  " + lines[index]
        elif kind == "dedent":
            lines[index] = lines[index].lstrip()
        elif kind == "insert":
            junk = draw(st.text(min_size=1, max_size=8))
            position = draw(st.integers(0, len(lines[index])))
            lines[index] = lines[index][:position] + junk + lines[index][position:]
        else:
            lines[index] = lines[index][: draw(st.integers(0, len(lines[index])))]
    return "".join(lines)


@settings(max_examples=300, deadline=None)
@given(mutations())
def test_broken_yaml_is_valid_or_a_located_error(text: str) -> None:
    try:
        validate_pack(parse_yaml(text, "broken.yaml"), "broken.yaml", "broken")
    except BriefpackError as error:
        for problem in error.problems:
            assert str(problem).startswith("broken.yaml:"), str(problem)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_give_a_located_error_never_a_crash(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    path = tmp_path_factory.mktemp("bytes") / "random.yaml"
    path.write_bytes(data)
    try:
        load_pack(path, label="random.yaml")
    except BriefpackError as error:
        for problem in error.problems:
            assert str(problem).startswith("random.yaml"), str(problem)
