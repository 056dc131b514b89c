"""Preview stays quiet when a browser resets a connection, and a page gone is a 404."""

from __future__ import annotations

import http.client
import socket
import struct
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefpack.authoring.preview import Reloads, serve


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[int, Path, object]]:
    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "pack.html").write_text("<!DOCTYPE html><p>pack</p>", encoding="utf-8")
    reloads = Reloads()
    running = serve(tmp_path, "127.0.0.1", 0, reloads)
    try:
        yield int(running.server_address[1]), tmp_path, running
    finally:
        reloads.close()
        running.shutdown()
        running.server_close()


def reset_after_asking(port: int, path: str) -> None:
    """Send a request, then close with SO_LINGER 0: a reset, as a browser may do."""
    client = socket.create_connection(("127.0.0.1", port))
    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    client.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    client.close()


def get(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    finally:
        connection.close()


def test_a_connection_reset_by_the_browser_prints_nothing(
    server: tuple[int, Path, object], capsys: pytest.CaptureFixture[str]
) -> None:
    port, _, _ = server
    for path in ("/nope.html", "/pack/pack.pdf", "/pack/pack.html", "/"):
        reset_after_asking(port, path)
    time.sleep(1)
    assert get(port, "/pack/pack.html") == 200  # still serving
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out == ""


def test_a_page_that_is_not_a_readable_file_is_not_found_without_a_traceback(
    server: tuple[int, Path, object], capsys: pytest.CaptureFixture[str]
) -> None:
    port, folder, _ = server
    (folder / "dir.html").mkdir()
    (folder / "latin.html").write_bytes(b"<p>caf\xe9</p>")
    assert get(port, "/dir.html") == 404
    assert get(port, "/latin.html") == 404
    assert get(port, "/gone.html") == 404
    assert capsys.readouterr().err == ""


def test_any_other_failure_of_a_request_is_one_line(
    server: tuple[int, Path, object], capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, running = server
    try:
        raise ValueError("odd")
    except ValueError:
        running.handle_error(None, ("127.0.0.1", 1))  # type: ignore[attr-defined]
    assert capsys.readouterr().err == "preview: a request failed: ValueError('odd')\n"
