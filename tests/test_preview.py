"""briefpack preview: served on loopback, a page per pack, reloaded in a real browser."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

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


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[str, Path]]:
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
    assert process.returncode == 0, stdout.read_text()


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode("utf-8"))


def test_index_links_each_packs_page_pdf_and_word_copy(preview: tuple[str, Path]) -> None:
    url, _ = preview
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


def test_the_server_shows_nothing_outside_the_output_folder(preview: tuple[str, Path]) -> None:
    url, _ = preview
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
