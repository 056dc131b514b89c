"""The HTML writer: the page the PDF is rendered from, compared with a golden file."""

from __future__ import annotations

import datetime as dt

from briefpack.build.settings import default_theme
from briefpack.render.html import html_document
from briefpack.render.settings import RenderSettings

from conftest import RICH_PACK, WritePack, matches_golden, valid


def test_html_matches_the_golden_file(write_pack: WritePack) -> None:
    pack = valid(write_pack(RICH_PACK))
    created = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    settings = RenderSettings(created=created, theme=default_theme())
    # Without the inline stylesheet: the golden file shows the markup, and a
    # change to pack.css alone is not a change to the writer.
    matches_golden("rich-document.html", html_document(pack, settings, inline_stylesheet=False))
