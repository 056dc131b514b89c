"""Hostile and broken input: clear errors, nothing fetched, read or leaked, never a traceback."""

from __future__ import annotations

import io
import logging
import socket
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefpack.cli import cli
from briefpack.content.loader import parse_yaml
from briefpack.content.validate import load_pack, validate_pack
from briefpack.errors import BriefpackError

from conftest import BUNDLED_PACK, MINIMAL_PACK, WritePack, interfere, problems, run, valid
from pdf_helpers import normalise, page_texts


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return " ".join(
            archive.read(name).decode("utf-8", "replace")
            for name in archive.namelist()
            if name.endswith((".xml", ".rels"))
        )


# ---------------------------------------------------------------- YAML


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


# ---------------------------------------------------------------- resources


@pytest.fixture
def listening_server() -> Iterator[tuple[int, list[object]]]:
    """A TCP port on 127.0.0.1 that records every connection made to it."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    connections: list[object] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            connections.append(connection)
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], connections
    stop.set()
    thread.join()
    server.close()


def test_a_build_never_connects_to_urls_in_the_content(
    tmp_path: Path, listening_server: tuple[int, list[object]]
) -> None:
    port, connections = listening_server
    url = f"http://127.0.0.1:{port}"
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        MINIMAL_PACK.replace(
            "question: Where are we going?",
            f'question: "![chart]({url}/chart.png) [report]({url}/report) '
            f'![svg](https://localhost:{port}/x.svg)"',
        ),
        encoding="utf-8",
    )
    code, _, err = run(
        "build",
        str(pack),
        "-o",
        str(tmp_path / "out"),
        "-f",
        "pdf",
        "-f",
        "docx",
        "-f",
        "html",
        "-j",
        "1",
    )
    assert code == 0, err
    assert connections == []


def test_a_secret_beside_the_content_folder_is_nowhere_in_the_outputs(tmp_path: Path) -> None:
    secret = tmp_path / "secret.svg"
    secret.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><text>TOPSECRET-7731</text></svg>',
        encoding="utf-8",
    )
    content = tmp_path / "content"
    content.mkdir()
    pack = content / "pack.yaml"
    pack.write_text(
        MINIMAL_PACK.replace(
            "question: Where are we going?",
            f'question: "![a](../secret.svg) ![b]({secret.as_uri()}) [c](../secret.svg) '
            f'[d]({secret.as_uri()})"',
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    code, _, err = run(
        "build", str(pack), "-o", str(out), "-f", "pdf", "-f", "docx", "-f", "html", "-j", "1"
    )
    assert code == 0, err
    assert err.count("warning:") == 4
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"TOPSECRET" not in data, path
            if path.suffix == ".pdf":
                assert "TOPSECRET" not in " ".join(page_texts(data))
            if path.suffix == ".docx":
                assert "TOPSECRET" not in docx_text(data)
                assert "secret.svg" not in docx_text(data)


def test_unsafe_links_lose_their_target_but_keep_their_text_in_both_formats(
    write_pack: WritePack,
) -> None:
    from briefpack.build.settings import resolve_settings
    from briefpack.render.docx.writer import render_docx
    from briefpack.render.pdf import render_pdf

    pack = valid(
        write_pack(
            MINIMAL_PACK.replace(
                "question: Where are we going?",
                "question: '[run](javascript:alert(1)) [file](file:///etc/passwd) "
                "[data](data:text/html,x) [ok](https://example.com)'",
            )
        )
    )
    settings = resolve_settings(pack, {})
    pdf = render_pdf(pack, settings).data
    assert b"javascript:" not in pdf
    assert b"/etc/passwd" not in pdf
    assert "run file data ok" in " ".join(page_texts(pdf))
    docx = docx_text(render_docx(pack, settings).data)
    assert "javascript:" not in docx
    assert "/etc/passwd" not in docx
    assert "https://example.com" in docx


# ---------------------------------------------------------------- text


def test_template_syntax_and_raw_html_are_text_in_the_word_copy(write_pack: WritePack) -> None:
    from briefpack.build.settings import resolve_settings
    from briefpack.render.docx.writer import render_docx

    pack = valid(
        write_pack(
            MINIMAL_PACK.replace(
                "question: Where are we going?",
                "question: '{{ 7*7 }} {% for x in y %} <script>alert(1)</script> <b>bold</b>'",
            )
        )
    )
    text = docx_text(render_docx(pack, resolve_settings(pack, {})).data)
    assert "{{ 7*7 }} {% for x in y %} &lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;bold" in text


def test_zero_width_and_bidirectional_characters_render(write_pack: WritePack) -> None:
    from briefpack.build.settings import resolve_settings
    from briefpack.render.docx.writer import render_docx
    from briefpack.render.pdf import render_pdf

    tricky = "a\u200bb\u200dc \u202eevil\u202c \u2066iso\u2069 \u200fRTL \ufeffBOM"
    pack = valid(write_pack(MINIMAL_PACK.replace("Where are we going?", f'"{tricky}"')))
    settings = resolve_settings(pack, {})
    text = " ".join(page_texts(render_pdf(pack, settings).data))
    # The right-to-left override is honoured: "evil" is drawn, and read back, as "live".
    assert "live" in text
    assert "iso" in text
    assert tricky in docx_text(render_docx(pack, settings).data)


@pytest.mark.unchecked_outputs(
    "prints on purpose a character no font has, which PDF/UA forbids drawing; the warning is "
    "what this test checks"
)
def test_characters_no_font_can_show_are_named_once_at_their_field(
    write_pack: WritePack, tmp_path: Path
) -> None:
    pack = write_pack(MINIMAL_PACK.replace("Where are we going?", "Ask \U0002d402 now"))
    code, _, err = run("build", str(pack), "-o", str(tmp_path / "out"), "-f", "pdf")
    assert code == 0, err
    warnings = [line for line in err.splitlines() if "U+2D402" in line]
    assert len(warnings) == 1, err
    assert warnings[0].startswith(f"{pack}:10:23: warning: ")


def test_characters_the_template_prints_that_no_font_can_show_are_named(
    write_pack: WritePack, caplog: pytest.LogCaptureFixture
) -> None:
    from briefpack.build.settings import resolve_settings
    from briefpack.render.pdf import _report_missing_glyphs

    pack = valid(write_pack(MINIMAL_PACK.replace("Where are we going?", "Ask \U0002d402")))
    # What WeasyPrint logs for a character no font has: one from the pack's own
    # text (warned of when the pack is read), one only the template prints.
    records = [
        logging.LogRecord(
            "weasyprint", logging.WARNING, "", 0, ".notdef glyph rendered for %s", (c,), None
        )
        for c in ("\U0002d402", "\U0002d403")
    ]
    _report_missing_glyphs(pack, resolve_settings(pack, {}), records)
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 1
    assert "U+2D403" in messages[0]
    assert "U+2D402" not in messages[0]


def test_a_ten_thousand_character_word_wraps(write_pack: WritePack) -> None:
    from briefpack.build.settings import resolve_settings
    from briefpack.render.pdf import render_pdf

    word = "x" * 10_000
    pack = valid(write_pack(MINIMAL_PACK.replace("Where are we going?", word)))
    pages = page_texts(render_pdf(pack, resolve_settings(pack, {})).data)
    assert "".join(pages).count("x") >= 10_000
    assert len(pages) < 20


# ---------------------------------------------------------------- every error path


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


# ---------------------------------------------------------------- property-based


def theme_characters() -> list[str]:
    """The allowed set: printable characters that the theme's fonts can show."""
    import unicodedata

    from fontTools.ttLib import TTFont

    from briefpack.render.theme import templates_dir

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
    from briefpack.build.settings import resolve_settings
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


# ---------------------------------------------------------------- bounded cost


def test_a_render_over_the_time_limit_fails_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    interfere(monkeypatch, lambda job: job.pack.name == "slow", lambda job: time.sleep(60))
    for name in ("slow", "quick"):
        (tmp_path / f"{name}.yaml").write_text(MINIMAL_PACK, encoding="utf-8")
    out = tmp_path / "out"
    started = time.monotonic()
    code, _, err = run(
        "build",
        str(tmp_path),
        "-o",
        str(out),
        "--no-sessions",
        "-f",
        "pdf",
        "--time-limit",
        "1",
        "-j",
        "2",
    )
    assert time.monotonic() - started < 30
    assert code == 1
    assert (
        f"{tmp_path / 'slow.yaml'}: {out / 'slow' / 'slow.pdf'}: took longer than the time limit "
        "of 1 s (--time-limit raises it)"
    ) in err
    assert (out / "quick" / "quick.pdf").is_file()
    assert not (out / "slow" / "slow.pdf").exists()


def test_a_pathological_pack_hits_the_time_limit_while_the_others_build(tmp_path: Path) -> None:
    words = " ".join(f"word{number}" for number in range(120_000))
    (tmp_path / "wall.yaml").write_text(
        MINIMAL_PACK.replace("Where are we going?", words), encoding="utf-8"
    )
    (tmp_path / "normal.yaml").write_text(MINIMAL_PACK, encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run(
        "build",
        str(tmp_path),
        "-o",
        str(out),
        "--no-sessions",
        "-f",
        "pdf",
        "--time-limit",
        "3",
        "-j",
        "2",
    )
    assert code == 1
    assert "wall.pdf: took longer than the time limit of 3 s" in err
    assert (out / "normal" / "normal.pdf").is_file()


def test_a_render_over_the_memory_limit_fails_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hoards: list[bytearray] = []
    interfere(
        monkeypatch,
        lambda job: job.pack.name == "hungry",
        lambda job: hoards.append(bytearray(3 * 1024**3)),
    )
    for name in ("hungry", "modest"):
        (tmp_path / f"{name}.yaml").write_text(MINIMAL_PACK, encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run(
        "build",
        str(tmp_path),
        "-o",
        str(out),
        "--no-sessions",
        "-f",
        "docx",
        "--memory-limit",
        "2GB",
        "-j",
        "1",
    )
    assert code == 1
    assert "hungry.docx: needed more memory than the limit of 2.0 GB" in err
    assert (out / "modest" / "modest.docx").is_file()
