"""briefpack preview: served on loopback, a page per pack, reloaded in a real browser."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from briefpack.authoring.preview import EVENTS_PATH, addressed_here, own_hosts

from conftest import BUNDLED_PACK

CHROMIUM = "/usr/bin/chromium"


def wait_for(condition: Callable[[], object], what: str, seconds: float = 60) -> object:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@contextlib.contextmanager
def running_preview(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A running ``briefpack preview`` of a copy of the bundled pack: its URL and pack file."""
    content = tmp_path / "content"
    content.mkdir()
    pack = content / BUNDLED_PACK.name
    shutil.copy(BUNDLED_PACK, pack)
    stdout = tmp_path / "stdout.txt"
    with stdout.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "briefpack.cli",
                "preview",
                str(content),
                "-o",
                str(tmp_path / "out"),
                "--port",
                "0",
                "--no-sessions",
                "-j",
                "1",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for(lambda: "watching" in stdout.read_text(), "the first build")
        found = re.search(r"serving (http://127\.0\.0\.1:\d+/)", stdout.read_text())
        assert found, stdout.read_text()
        yield found.group(1), pack
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=30)
    assert process.returncode == 130, stdout.read_text()  # Ctrl-C, as a shell reports it


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A preview of the test's own, for a test that edits the pack it shows."""
    with running_preview(tmp_path) as running:
        yield running


@pytest.fixture(scope="module")
def shared_preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """One preview for the tests that only read what it serves: its first build takes seconds."""
    with running_preview(tmp_path_factory.mktemp("preview")) as running:
        yield running


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode("utf-8"))


def test_index_links_each_packs_page_pdf_and_word_copy(shared_preview: tuple[str, Path]) -> None:
    url, _ = shared_preview
    index = fetch(url)
    for target in (
        "aws-devex-2025/aws-devex-2025.html",
        "aws-devex-2025/aws-devex-2025.pdf",
        "aws-devex-2025/aws-devex-2025.docx",
    ):
        assert f'href="{target}"' in index
    page = fetch(url + "aws-devex-2025/aws-devex-2025.html")
    assert "Observability &amp; Reliability Engineering" in page
    assert "EventSource" in page
    with urllib.request.urlopen(url + "aws-devex-2025/aws-devex-2025.pdf", timeout=10) as response:
        assert response.read(5) == b"%PDF-"


def test_the_server_shows_nothing_outside_the_output_folder(
    shared_preview: tuple[str, Path],
) -> None:
    url, _ = shared_preview
    for path in ("../content/aws-devex-2025.yaml", "%2e%2e/content/aws-devex-2025.yaml"):
        with pytest.raises(urllib.error.HTTPError) as error:
            fetch(url + path)
        # An HTTPError holds the open response: close it here, not whenever it is collected.
        error.value.close()
        assert error.value.code == 404


@pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Chromium is not installed (Debian package chromium)"
)
def test_an_open_page_shows_an_edit_without_a_manual_reload(preview: tuple[str, Path]) -> None:
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    url, pack = preview
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            page = browser.new_page()
            page.goto(url)
            page.click("text=page")
            page.wait_for_selector("text=Observability & Reliability Engineering")
            text = pack.read_text(encoding="utf-8")
            pack.write_text(
                text.replace("Observability & Reliability Engineering", "Observability, Revised"),
                encoding="utf-8",
            )
            page.wait_for_selector("text=Observability, Revised", timeout=60_000)
        finally:
            browser.close()


# ---------------------------------------------------------------- Host header (DNS rebinding)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[int]:
    """``serve`` alone, on loopback, over a folder with one pack's page: its port."""
    from briefpack.authoring.preview import Reloads, serve

    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "pack.html").write_text("<body>secret answers</body>", encoding="utf-8")
    reloads = Reloads()
    running = serve(tmp_path, "127.0.0.1", 0, reloads)
    try:
        yield running.server_address[1]
    finally:
        reloads.close()
        running.shutdown()
        running.server_close()


def ask(port: int, path: str, hosts: list[str], method: str = "GET") -> tuple[int, str]:
    """Send one request with exactly these ``Host`` headers (none, one or several)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for host in hosts:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


@pytest.mark.parametrize(
    "hosts",
    [
        ["evil.example"],
        ["evil.example:{port}"],
        ["127.0.0.1.evil.example:{port}"],
        ["127.0.0.1:{other}"],
        ["127.0.0.1"],
        ["localhost"],
        ["0.0.0.0:{port}"],
        [""],
        [],
        ["127.0.0.1:{port}", "evil.example"],
    ],
    ids=lambda hosts: repr(hosts),
)
@pytest.mark.parametrize("path", ["/", "/pack/pack.html", EVENTS_PATH])
def test_a_request_not_addressed_to_the_preview_is_refused(
    server: int, hosts: list[str], path: str
) -> None:
    headers = [host.format(port=server, other=server + 1) for host in hosts]
    status, body = ask(server, path, headers)
    assert status == 421
    assert "secret answers" not in body
    assert "pack.html" not in body
    assert len(body) < 1000


@pytest.mark.parametrize(
    "host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}", "[::1]:{port}"]
)
def test_a_request_to_the_previews_own_address_is_answered(server: int, host: str) -> None:
    status, body = ask(server, "/pack/pack.html", [host.format(port=server)])
    assert status == 200
    assert "secret answers" in body


def test_a_head_request_for_another_host_is_refused_too(server: int) -> None:
    assert ask(server, "/pack/pack.html", ["evil.example"], method="HEAD")[0] == 421
    assert ask(server, "/pack/pack.html", [f"127.0.0.1:{server}"], method="HEAD")[0] == 200


def test_an_http_1_0_request_without_a_host_is_refused(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server), timeout=10) as connection:
        connection.sendall(b"GET /pack/pack.html HTTP/1.0\r\n\r\n")
        reply = b""
        while chunk := connection.recv(4096):
            reply += chunk
    assert reply.startswith(b"HTTP/1.0 421 ")
    assert b"secret answers" not in reply


def test_a_host_given_to_serve_on_is_the_one_answered() -> None:
    assert own_hosts("192.0.2.10", "192.0.2.10", 8080) == {"192.0.2.10:8080"}
    assert own_hosts("Box.Example", "192.0.2.10", 8080) == {"box.example:8080", "192.0.2.10:8080"}
    # A browser leaves out the default port.
    assert own_hosts("192.0.2.10", "192.0.2.10", 80) == {"192.0.2.10:80", "192.0.2.10"}
    assert own_hosts("127.0.0.1", "127.0.0.1", 8000) == {
        "127.0.0.1:8000",
        "localhost:8000",
        "[::1]:8000",
    }


@pytest.mark.parametrize("bound", ["0.0.0.0", "::"])
def test_a_preview_on_every_interface_answers_any_address_of_its_port_but_no_other_name(
    bound: str,
) -> None:
    allowed = own_hosts(bound, bound, 8000)
    where = (bound, 8000)
    for host in ["192.0.2.10:8000", "[2001:db8::1]:8000", "10.0.0.7:8000"]:
        assert addressed_here(host, allowed, where), host
    for host in ["evil.example:8000", "192.0.2.10:8001", "192.0.2.10", "192.0.2.10.nip.io:8000"]:
        assert not addressed_here(host, allowed, where), host
    # Bound to one address, another address is not this server.
    assert not addressed_here(
        "192.0.2.10:8000", own_hosts("127.0.0.1", "127.0.0.1", 8000), ("127.0.0.1", 8000)
    )


def test_the_running_preview_refuses_another_host_and_answers_its_own(
    shared_preview: tuple[str, Path],
) -> None:
    url, _ = shared_preview
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    for path in ("/", "/aws-devex-2025/aws-devex-2025.html", EVENTS_PATH):
        assert ask(port, path, ["evil.example"])[0] == 421
    status, body = ask(port, "/", [f"127.0.0.1:{port}"])
    assert status == 200
    assert "aws-devex-2025.html" in body


@pytest.mark.parametrize(
    "path",
    [
        "/.briefpack-rendered/pack/recipients/jane-doe.pdf",
        "/%2ebriefpack-rendered/pack/recipients/jane-doe.pdf",
        "/.briefpack-rendered/",
        "/.briefpack-parts/pack/part.pdf",
    ],
)
def test_the_builds_own_state_with_readers_renders_before_encryption_is_never_served(
    tmp_path: Path, path: str
) -> None:
    from briefpack.authoring.preview import Reloads, serve

    kept = tmp_path / ".briefpack-rendered" / "pack" / "recipients"
    kept.mkdir(parents=True)
    (kept / "jane-doe.pdf").write_bytes(b"%PDF-1.7 Jane's copy in the clear")
    (tmp_path / ".briefpack-parts" / "pack").mkdir(parents=True)
    (tmp_path / ".briefpack-parts" / "pack" / "part.pdf").write_bytes(b"%PDF-1.7 part")
    reloads = Reloads()
    running = serve(tmp_path, "127.0.0.1", 0, reloads)
    port = running.server_address[1]
    try:
        status, body = ask(port, path, [f"127.0.0.1:{port}"])
    finally:
        reloads.close()
        running.shutdown()
        running.server_close()
    assert status == 404
    assert "in the clear" not in body
