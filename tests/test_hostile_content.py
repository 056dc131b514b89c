"""Hostile content: nothing fetched, read or leaked (urls, secrets beside the folder, unsafe
links), and hostile text (template syntax, raw HTML, invisible or unprintable characters,
endless words) renders as text or is named at its field.
"""

from __future__ import annotations

import io
import logging
import socket
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import MINIMAL_PACK, WritePack, run, valid
from pdf_helpers import page_texts


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return " ".join(
            archive.read(name).decode("utf-8", "replace")
            for name in archive.namelist()
            if name.endswith((".xml", ".rels"))
        )


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
    from briefpack.build.chosen_settings import resolve_settings
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


def test_template_syntax_and_raw_html_are_text_in_the_word_copy(write_pack: WritePack) -> None:
    from briefpack.build.chosen_settings import resolve_settings
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
    from briefpack.build.chosen_settings import resolve_settings
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
    from briefpack.build.chosen_settings import resolve_settings
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
    from briefpack.build.chosen_settings import resolve_settings
    from briefpack.render.pdf import render_pdf

    word = "x" * 10_000
    pack = valid(write_pack(MINIMAL_PACK.replace("Where are we going?", word)))
    pages = page_texts(render_pdf(pack, resolve_settings(pack, {})).data)
    assert "".join(pages).count("x") >= 10_000
    assert len(pages) < 20
