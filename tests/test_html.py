"""The HTML writer: the page the PDF is rendered from, compared with a golden file."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from briefpack.build.chosen_settings import default_theme
from briefpack.content.theme_file import load_theme
from briefpack.model.answers import Answer, Answers
from briefpack.model.theme import Theme
from briefpack.render.html import html_document
from briefpack.render.settings import RenderSettings
from briefpack.render.theme_css import EMOJI_FAMILY, EMOJI_FONT, font_files, theme_css

from conftest import MINIMAL_PACK, RICH_PACK, WritePack, matches_golden, valid


def test_html_matches_the_golden_file(write_pack: WritePack) -> None:
    pack = valid(write_pack(RICH_PACK))
    created = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    settings = RenderSettings(created=created, theme=default_theme())
    # Without the inline stylesheet: the golden file shows the markup, and a
    # change to pack.css alone is not a change to the writer.
    matches_golden("rich-document.html", html_document(pack, settings, inline_stylesheet=False))


def _logo_theme(tmp_path: Path) -> Theme:
    """A theme folder of its own, named like a folder, with a logo."""
    folder = tmp_path / "acme-theme-v2"
    folder.mkdir()
    (folder / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<rect width="10" height="10"/></svg>',
        encoding="utf-8",
    )
    (folder / "theme.yaml").write_text("logo: logo.svg\n", encoding="utf-8")
    return load_theme(folder, base=default_theme())


def _logo_alts(html: str) -> set[str]:
    return set(re.findall(r'<img[^>]*src="logo/[^"]*"[^>]*alt="([^"]*)"', html))


def test_the_logo_is_described_by_the_organisation_never_the_theme_folder(
    write_pack: WritePack, tmp_path: Path
) -> None:
    theme = _logo_theme(tmp_path)
    settings = RenderSettings(theme=theme)
    with_organisation = valid(write_pack(MINIMAL_PACK + "organisation: Ñúñez Holding\n"))
    assert _logo_alts(html_document(with_organisation, settings)) == {"Ñúñez Holding"}


def test_without_an_organisation_the_logo_is_the_author_s_or_else_the_pack_s(
    write_pack: WritePack, tmp_path: Path
) -> None:
    theme = _logo_theme(tmp_path)
    settings = RenderSettings(theme=theme)
    by_author = valid(write_pack(MINIMAL_PACK + "author: Board Office\n", "a.yaml"))
    untitled_owner = valid(write_pack(MINIMAL_PACK, "b.yaml"))
    assert _logo_alts(html_document(by_author, settings)) == {"Board Office"}
    assert _logo_alts(html_document(untitled_owner, settings)) == {"Offsite"}
    assert theme.name not in html_document(untitled_owner, settings).split("<body>")[1]


def test_a_debrief_shows_answers_without_new_fields_even_with_answer_fields_on(
    write_pack: WritePack,
) -> None:
    pack = valid(write_pack(MINIMAL_PACK))
    key = pack.sessions[0].questions[0].key
    answers = Answers((Answer(key, answer="North", follow_up="Check the map"),))
    settings = RenderSettings(theme=default_theme(), answer_fields=True, answers=answers)
    html = html_document(pack, settings)
    assert "North" in html
    assert "Check the map" in html
    assert "<textarea" not in html


def test_every_font_role_falls_back_to_the_shipped_emoji_font() -> None:
    theme = default_theme()
    css = theme_css(theme)
    for role in ("heading", "body", "mono"):
        assert re.search(rf'--{role}-font: "[^"]+", "{EMOJI_FAMILY}";', css), role
    assert f"url(fonts/{EMOJI_FONT})" in css
    assert font_files(theme)[EMOJI_FONT].is_file()


#: A theme's template written against the names a template had before the view.
EARLIER_TEMPLATE = (
    "<html><body>{{ lang }}|{{ event_dates }}|{{ summary }}|{{ sensitive }}|{{ prepared_for }}|"
    "{{ changes_title }}|{{ session_pack }}|"
    "{% for day in days %}{% for s in day.sessions %}{{ anchors[s.id] }}:"
    "{{ debrief_tally(s) | join(',') }}:{{ kept_questions(s) | length }}:"
    "{{ marked_speakers(s) | length }};{% endfor %}{% endfor %}"
    "{% for q, text in debrief_follow_ups() %}{{ q.title }}={{ text }}{% endfor %}|"
    "{{ initials('Jane Doe') }}</body></html>\n"
)


#: The same, for the attendees' sessions and the tally outside a debrief.
EARLIER_ATTENDEES_TEMPLATE = (
    "<html><body>{% for a in pack.attendees %}{{ a.name }}="
    "{% for s in sessions_of(a) %}{{ s.id }},{% endfor %};{% endfor %}|"
    "{% for day in days %}{% for s in day.sessions %}{{ debrief_tally(s) | join(',') }};"
    "{% endfor %}{% endfor %}</body></html>\n"
)


def test_an_earlier_template_reads_the_attendees_sessions_and_an_empty_tally(
    write_pack: WritePack, tmp_path: Path
) -> None:
    folder = tmp_path / "brand"
    folder.mkdir()
    (folder / "pack.html.j2").write_text(EARLIER_ATTENDEES_TEMPLATE, encoding="utf-8")
    (folder / "theme.yaml").write_text("template: pack.html.j2\n", encoding="utf-8")
    theme = load_theme(folder, default_theme())
    text = MINIMAL_PACK.replace(
        "        questions:", "        attendees: [Jane Doe]\n        questions:", 1
    )
    text += "      - title: Budget\n        start: '11:00'\n        end: '12:00'\n"
    text += "        questions:\n          - title: Cost\n            question: How much?\n"
    text += "          - title: Time\n            question: How long?\n"
    text += "attendees:\n  - name: Jane Doe\n  - name: Li Wei\n"
    pack = valid(write_pack(text))
    html = html_document(pack, RenderSettings(theme=theme), inline_stylesheet=False)
    assert "Jane Doe=strategy,;Li Wei=;|0,1,0;0,2,0;" in html


def test_a_theme_template_written_before_the_view_keeps_its_names(
    write_pack: WritePack, tmp_path: Path
) -> None:
    folder = tmp_path / "brand"
    folder.mkdir()
    (folder / "pack.html.j2").write_text(EARLIER_TEMPLATE, encoding="utf-8")
    (folder / "theme.yaml").write_text("template: pack.html.j2\n", encoding="utf-8")
    theme = load_theme(folder, default_theme())
    pack = valid(write_pack(MINIMAL_PACK + "classification: Confidential\n"))
    key = pack.sessions[0].questions[0].key
    answers = Answers((Answer(key, answer="North", follow_up="Check the map"),))
    settings = RenderSettings(theme=theme, answers=answers, recipient="Jane Doe")
    html = html_document(pack, settings, inline_stylesheet=False)
    assert (
        "en|March\u00a02, 2026|1 day, 1 session, and 1 question|True|"
        "Prepared for Jane Doe · Jan 1, 2000|None|None|session-strategy:1,0,1:1:0;"
        "Direction=Check the map|JD"
    ) in html
