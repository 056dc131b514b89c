"""A theme's values reach CSS escaped: a string, a url, a colour or a size cannot end
its token, block or the ``<style>`` element, and a hostile font file name stays one url.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest
import tinycss2
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from briefpack.build.chosen_settings import choose_theme
from briefpack.render.theme_css import css_colour, css_number, css_string, css_url, theme_css

from conftest import run
from theme_helpers import build_pack, one_line_at, pack_with_theme

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
#: A font file name made to close ``url(...)`` and hide every page's text.
HOSTILE_FONT = "a'); } body { display: none } @font-face { src: url('x.ttf"
#: Strings that would end a CSS string, url, block or the <style> element if pasted in.
HOSTILE_STRINGS = [
    HOSTILE_FONT,
    'x"; } body { display: none } a { b: "',
    "x\\",
    "line\nbreak\r\x0c",
    "</style><script>alert(1)</script>",
    "/* comment */ @import url(http://example.com/x.css);",
    "nul\x00 and esc\x1b and del\x7f",
    "ünïcödé ✓ 漢字",
    ")",
]


@pytest.mark.parametrize("text", HOSTILE_STRINGS)
def test_css_string_is_one_string_token_holding_exactly_the_text(text: str) -> None:
    written = css_string(text)
    assert "<" not in written
    assert "\n" not in written
    rules = tinycss2.parse_stylesheet(f"a {{ b: {written} }} c {{ d: e }}", True, True)
    assert [rule.type for rule in rules] == ["qualified-rule", "qualified-rule"]
    declarations = tinycss2.parse_blocks_contents(rules[0].content, skip_whitespace=True)
    assert [d.name for d in declarations if d.type == "declaration"] == ["b"]
    tokens = [token for token in declarations[0].value if token.type != "whitespace"]
    assert [token.type for token in tokens] == ["string"]
    # CSS reads NUL as U+FFFD: nothing can carry it through.
    assert tokens[0].value == text.replace("\x00", "\ufffd")


@pytest.mark.parametrize("text", HOSTILE_STRINGS)
def test_css_url_is_one_url_of_exactly_the_path(text: str) -> None:
    path = f"fonts/{text}"
    rules = tinycss2.parse_stylesheet(
        f"@font-face {{ src: {css_url(path)}; }} c {{ d: e }}", True, True
    )
    assert [rule.type for rule in rules] == ["at-rule", "qualified-rule"]
    declarations = [
        d for d in tinycss2.parse_blocks_contents(rules[0].content) if d.type == "declaration"
    ]
    assert [d.name for d in declarations] == ["src"]
    tokens = [token for token in declarations[0].value if token.type != "whitespace"]
    assert [token.type for token in tokens] == ["url"]
    assert unquote(tokens[0].value) == path


@pytest.mark.parametrize("colour", ["red; } body { display: none", "#fff", "#12345g", "#1234567"])
def test_css_colour_refuses_anything_but_rrggbb(colour: str) -> None:
    with pytest.raises(ValueError, match="colour"):
        css_colour(colour)


@pytest.mark.parametrize("number", [float("nan"), float("inf"), "12pt; }", True])
def test_css_number_refuses_anything_but_a_finite_number(number: object) -> None:
    with pytest.raises(ValueError, match="number"):
        css_number(number, "pt")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("theme_yaml", "line", "words"),
    [
        ('colours:\n  accent: "#000; } body { display: none"\n', 2, "#rrggbb"),
        ("colours:\n  ink: red\n", 2, "#rrggbb"),
        ('sizes:\n  title: "12pt; } body { display: none"\n', 2, "number of pt"),
        ("sizes:\n  title: nan\n", 2, "number of pt"),
        ('margins:\n  left: "1e999"\n', 2, "number of mm"),
    ],
)
def test_a_hostile_colour_or_size_is_refused_at_its_line_by_validate_and_build(
    tmp_path: Path, theme_yaml: str, line: int, words: str
) -> None:
    pack = pack_with_theme(tmp_path, theme_yaml=theme_yaml)
    where = f"{tmp_path / 'brand' / 'theme.yaml'}:{line}:"
    code, _, err = run("validate", str(pack))
    assert code == 1
    assert words in one_line_at(err, where)
    code, err = build_pack(pack)
    assert code == 1
    assert words in one_line_at(err, where)


@pytest.mark.skipif(not DEJAVU.is_file(), reason="DejaVu Sans is not installed (fonts-dejavu-core)")
def test_a_hostile_font_file_name_stays_one_url_and_the_pdf_keeps_its_text(
    tmp_path: Path,
) -> None:
    pack = pack_with_theme(tmp_path)
    theme = tmp_path / "brand"
    (theme / "fonts").mkdir()
    shutil.copy(DEJAVU, theme / "fonts" / HOSTILE_FONT)
    quoted = HOSTILE_FONT.replace("'", "''")
    (theme / "theme.yaml").write_text(
        f"fonts:\n  body:\n    regular: 'fonts/{quoted}'\n    word: DejaVu Sans\n",
        encoding="utf-8",
    )
    css = theme_css(choose_theme("brand", tmp_path))
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    kinds = [
        rule.lower_at_keyword if rule.type == "at-rule" else tinycss2.serialize(rule.prelude)
        for rule in rules
    ]
    # Heading's four faces, the body's one, mono's one, the emoji fallback's one;
    # the properties; the margins.
    assert kinds == ["font-face"] * 7 + [":root ", "page"]
    sources = []
    for rule in rules:
        if rule.type == "at-rule" and rule.lower_at_keyword == "font-face":
            declarations = tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True)
            names = [d.name for d in declarations if d.type == "declaration"]
            # The emoji fallback's face is any weight and style: it names neither.
            assert names in (
                ["font-family", "font-weight", "font-style", "src"],
                ["font-family", "src"],
            )
            src = [t for t in declarations[-1].value if t.type != "whitespace"]
            assert [t.type for t in src] == ["url"]
            sources.append(unquote(src[0].value))
    assert f"fonts/{HOSTILE_FONT}" in sources
    code, err = build_pack(pack, "pdf")
    assert code == 0, err
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "out" / "pack" / "pack.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Where are we going?" in text
    assert "DejaVu Sans" in _embedded_families(tmp_path / "out" / "pack" / "pack.pdf")


def _embedded_families(pdf: Path) -> set[str]:
    """The family names the embedded font programs give themselves."""
    families = set()
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            program = descendant["/FontDescriptor"]["/FontFile2"].get_object().get_data()
            names = TTFont(io.BytesIO(program))["name"]
            families.add(str(names.getDebugName(16) or names.getDebugName(1)))
    return families
