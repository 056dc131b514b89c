"""``validate`` refuses a theme (a logo, a missing theme) or an answers file that
``build`` would refuse, and warns as ``build`` does.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefpack.build.chosen_settings import choose_theme, resolve_settings
from briefpack.content.validate import load_pack
from briefpack.errors import BriefpackError
from briefpack.render.html import html_document
from briefpack.render.pdf import render_pdf

from conftest import MINIMAL_PACK, run
from theme_helpers import build_pack, one_line_at, pack_with_theme

DOCTYPE_SVG = (
    '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/hostname">]>\n'
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&x;</text></svg>\n'
)


@pytest.mark.parametrize(
    ("logo", "words"),
    [
        (DOCTYPE_SVG, "DOCTYPE"),
        ('<!DOCTYPE svg><svg xmlns="http://www.w3.org/2000/svg"/>', "DOCTYPE"),
        ("<svg xmlns='http://www.w3.org/2000/svg'><g></svg>", "not well-formed"),
        ("<html/>", "not an SVG"),
    ],
)
def test_a_logo_the_renderer_cannot_draw_is_refused_by_validate_and_build_naming_it(
    tmp_path: Path, logo: str, words: str
) -> None:
    pack = pack_with_theme(tmp_path, theme_yaml="logo: logo.svg\n")
    (tmp_path / "brand" / "logo.svg").write_text(logo, encoding="utf-8")
    where = f"{tmp_path / 'brand' / 'theme.yaml'}:1:7: "
    code, _, err = run("validate", str(pack))
    assert code == 1
    line = one_line_at(err, where)
    assert words in line
    assert str(tmp_path / "brand" / "logo.svg") in line
    code, err = build_pack(pack)
    assert code == 1
    assert words in one_line_at(err, where)


def test_a_logo_that_breaks_after_the_theme_is_read_fails_with_a_reason_and_its_path(
    tmp_path: Path,
) -> None:
    pack_path = pack_with_theme(tmp_path, theme_yaml="logo: logo.svg\n")
    logo = tmp_path / "brand" / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>', "utf-8")
    pack = load_pack(pack_path)
    theme = choose_theme("brand", tmp_path)
    logo.write_text(DOCTYPE_SVG, encoding="utf-8")  # changed once the theme was read
    settings = resolve_settings(pack, os.environ, theme=theme)
    with pytest.raises(BriefpackError) as raised:
        render_pdf(pack, settings)
    message = str(raised.value)
    assert str(logo) in message
    assert not message.rstrip().endswith(":")


def test_validate_reports_a_missing_theme_at_the_pack_line_naming_it(tmp_path: Path) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(MINIMAL_PACK + "options:\n  theme: nowhere\n", encoding="utf-8")
    code, _, err = run("validate", str(pack))
    assert code == 1
    assert "nowhere" in one_line_at(err, f"{pack}:12:")


def test_validate_reports_an_answers_file_the_build_would_refuse(tmp_path: Path) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(MINIMAL_PACK, encoding="utf-8")
    answers = tmp_path / "pack.answers.yaml"
    answers.write_text("answers:\n  direction:\n    answr: Forward\n", encoding="utf-8")
    code, out, err = run("validate", str(pack))
    assert code == 1
    assert "ok" not in out
    assert "answr" in one_line_at(err, f"{answers}:3:")
    assert "1 of 1 pack invalid" in err


def test_validate_warns_of_a_faint_theme_colour_as_build_does(tmp_path: Path) -> None:
    pack = pack_with_theme(tmp_path, theme_yaml='colours:\n  ink: "#eeeeee"\n')
    code, out, err = run("validate", str(pack))
    assert code == 0, err
    assert "ok" in out
    assert "warning: ink text on page has a contrast of" in err


def test_a_theme_with_the_built_in_template_renders_as_before(tmp_path: Path) -> None:
    pack_path = pack_with_theme(tmp_path, theme_yaml='colours:\n  accent: "#b00020"\n')
    pack = load_pack(pack_path)
    theme = choose_theme("brand", tmp_path)
    plain = choose_theme(None, tmp_path)
    html = html_document(pack, resolve_settings(pack, os.environ, theme=theme))
    before = html_document(pack, resolve_settings(pack, os.environ, theme=plain))
    assert html.replace("#b00020", "#0b4a7d") == before
