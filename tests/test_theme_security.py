"""A theme is untrusted: its template runs in a sandbox, its values reach CSS escaped, and
``validate`` refuses a theme (or an answers file) that ``build`` would refuse."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
import tinycss2
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from briefpack.build.settings import choose_theme, resolve_settings
from briefpack.content.validate import load_pack
from briefpack.errors import BriefpackError
from briefpack.render.html import html_document
from briefpack.render.pdf import render_pdf
from briefpack.render.theme_css import css_colour, css_number, css_string, css_url, theme_css

from conftest import MINIMAL_PACK, run

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


def _pack(tmp_path: Path, template: str | None = None, theme_yaml: str = "") -> Path:
    """A minimal pack using the theme folder ``brand`` beside it, with ``template`` if given."""
    theme = tmp_path / "brand"
    theme.mkdir(exist_ok=True)
    if template is not None:
        (theme / "pack.html.j2").write_text(template, encoding="utf-8")
        theme_yaml = "template: pack.html.j2\n" + theme_yaml
    (theme / "theme.yaml").write_text(theme_yaml or "name: brand\n", encoding="utf-8")
    pack = tmp_path / "pack.yaml"
    pack.write_text(MINIMAL_PACK + "options:\n  theme: brand\n", encoding="utf-8")
    return pack


def _build(pack: Path, *formats: str, fresh: bool = False) -> tuple[int, str]:
    out = pack.parent / "out"
    args = [arg for format_ in formats or ("html",) for arg in ("-f", format_)]
    code, _, err = (run_fresh if fresh else run)(
        "build", str(pack), "-o", str(out), "--no-sessions", *args
    )
    return code, err


def run_fresh(*args: str) -> tuple[int, str, str]:
    """``briefpack ARGS`` in a new process, as a person runs it.

    For templates that recurse without end: late in a full test run, a worker
    forked from pytest's own process died (exit status 1, its output lost)
    where one forked from a fresh ``briefpack`` reports the recursion.
    """
    done = subprocess.run(
        [sys.executable, "-m", "briefpack.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def _one_line_at(err: str, where: str) -> str:
    """The one problem line that starts at ``where``; no traceback anywhere."""
    assert "Traceback" not in err, err
    assert "internal error" not in err, err
    lines = [line for line in err.splitlines() if line.startswith(where)]
    assert len(lines) == 1, err
    return lines[0]


# Each escape sits on line 3, inside a branch that is taken; MARKER is the file it
# tries to create, so the test can tell that nothing ran.
ESCAPES = {
    "subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "cycler globals": "{{ cycler.__init__.__globals__.os.system('touch MARKER') }}",
    "lipsum globals": "{{ lipsum.__globals__['os'].popen('touch MARKER').read() }}",
    "range self": "{{ range.__self__.__import__('os').system('touch MARKER') }}",
    "pack class": "{{ pack.__class__.__init__.__globals__ }}",
    "template reference": "{{ self._TemplateReference__context }}",
    "attr filter": "{{ (pack|attr('__class__')).__base__ }}",
    "computed name": "{{ pack|attr('_' ~ '_class__') }}",
    "str.format": "{{ '{0.__class__.__init__.__globals__}'.format(pack) }}",
    "computed format": "{{ ('{0.' ~ '__class__}').format(pack) }}",
    "path method": "{{ settings.chosen_theme.folder.joinpath('MARKER').touch() }}",
    "path read": "{{ settings.chosen_theme.template.read_text() }}",
    "mutating call": "{% set found = [] %}{{ found.append(1) }}",
    "map attribute": "{{ pack.days|map(attribute='date.__class__')|list }}",
    "unused private": "{% set c = pack.__class__ %}",
    "huge repeat": "{{ 'x' * 10 ** 10 }}",
    "huge power": "{{ 2 ** (10 ** 9) }}",
}


def _escaping_template(escape: str, marker: Path) -> str:
    body = escape.replace("MARKER", str(marker))
    return f"<html><body>\n{{% if pack.title %}}\n{body}\n{{% endif %}}\n</body></html>\n"


@pytest.mark.parametrize("escape", ESCAPES.values(), ids=ESCAPES.keys())
def test_a_template_that_reaches_outside_the_sandbox_is_refused_at_its_line_by_validate(
    tmp_path: Path, escape: str
) -> None:
    marker = tmp_path / "marker"
    pack = _pack(tmp_path, _escaping_template(escape, marker))
    code, out, err = run("validate", str(pack))
    assert code == 1
    assert "ok" not in out
    line = _one_line_at(err, f"{tmp_path / 'brand' / 'pack.html.j2'}:3:1: ")
    assert "sandbox" in line
    assert not marker.exists()


@pytest.mark.parametrize("escape", ESCAPES.values(), ids=ESCAPES.keys())
def test_a_template_that_reaches_outside_the_sandbox_fails_the_build_at_its_line(
    tmp_path: Path, escape: str
) -> None:
    marker = tmp_path / "marker"
    pack = _pack(tmp_path, _escaping_template(escape, marker))
    code, err = _build(pack)
    assert code == 1
    line = _one_line_at(err, f"{tmp_path / 'brand' / 'pack.html.j2'}:3:1: ")
    assert "sandbox" in line
    assert not marker.exists()
    assert not (tmp_path / "out" / "pack" / "pack.html").exists()


def test_an_escape_that_stops_every_output_of_a_pack_is_reported_once(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    pack = _pack(tmp_path, _escaping_template(ESCAPES["path method"], marker))
    code, err = _build(pack, "html", "pdf")
    assert code == 1
    _one_line_at(err, f"{tmp_path / 'brand' / 'pack.html.j2'}:3:1: ")
    assert "0 written, 0 up to date, 1 problem," in err
    assert not marker.exists()


def test_validate_finds_an_escape_in_a_branch_the_render_does_not_take(tmp_path: Path) -> None:
    pack = _pack(tmp_path, "<html>\n{% if false %}\n\n\n{{ x.__init__ }}\n{% endif %}\n</html>\n")
    code, _, err = run("validate", str(pack))
    assert code == 1
    assert "'__init__'" in _one_line_at(err, f"{tmp_path / 'brand' / 'pack.html.j2'}:5:1: ")


def test_an_include_that_links_outside_the_theme_folder_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the secret", encoding="utf-8")
    pack = _pack(tmp_path, "<html>{% include 'part.j2' %}</html>\n")
    (tmp_path / "brand" / "part.j2").symlink_to(secret)
    code, err = _build(pack)
    assert code == 1
    _one_line_at(err, f"{tmp_path / 'brand' / 'part.j2'}: ")
    code, _, err = run("validate", str(pack))
    assert code == 1
    assert "the secret" not in err


def test_the_sandbox_leaves_a_template_what_briefpack_gives_it(tmp_path: Path) -> None:
    template = (
        "<html><body>{% set ns = namespace(n=0) %}{% for i in range(3) %}"
        "{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }}|{{ pack.title|upper }}|"
        "{{ _('Question') }}|{{ initials('Jane Doe') }}|{{ settings.chosen_theme.logo }}|"
        "{{ settings.chosen_theme.template.name }}</body></html>\n"
    )
    pack = _pack(tmp_path, template)
    code, err = _build(pack)
    assert code == 0, err
    html = (tmp_path / "out" / "pack" / "pack.html").read_text(encoding="utf-8")
    assert "3|OFFSITE|Question|JD|None|pack.html.j2" in html


@pytest.mark.parametrize("name", ["lipsum", "cycler", "joiner", "dict"])
def test_jinja_globals_briefpack_does_not_give_are_undefined(tmp_path: Path, name: str) -> None:
    pack = _pack(tmp_path, f"<html>\n{{{{ {name}() }}}}\n</html>\n")
    code, _, err = run("validate", str(pack))
    assert code == 1
    assert f"'{name}' is undefined" in _one_line_at(err, f"{tmp_path / 'brand' / 'pack.html.j2'}:2")


@pytest.mark.parametrize(
    ("template", "line", "words"),
    [
        ("<html>\n\n{% for %}\n", 3, "template syntax error"),
        ("<html>\n{{ nothing_of_that_name }}\n", 2, "'nothing_of_that_name' is undefined"),
        ("<html>\n{{ 1 / 0 }}\n", 2, "ZeroDivisionError"),
        ("<html>\n{% include 'missing.j2' %}\n", 2, "no template 'missing.j2'"),
        ("<html>\n{% macro f() %}{{ f() }}{% endmacro %}\n{{ f() }}\n", 2, "without end"),
    ],
)
def test_a_broken_template_is_reported_at_its_line_by_build_and_validate(
    tmp_path: Path, template: str, line: int, words: str
) -> None:
    pack = _pack(tmp_path, template)
    where = f"{tmp_path / 'brand' / 'pack.html.j2'}:{line}:1: "
    fresh = "without end" in words
    code, _, err = (run_fresh if fresh else run)("validate", str(pack))
    assert code == 1
    assert words in _one_line_at(err, where)
    code, err = _build(pack, fresh=fresh)
    assert code == 1
    assert words in _one_line_at(err, where)


# ------------------------------------------------------------------ CSS


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
    pack = _pack(tmp_path, theme_yaml=theme_yaml)
    where = f"{tmp_path / 'brand' / 'theme.yaml'}:{line}:"
    code, _, err = run("validate", str(pack))
    assert code == 1
    assert words in _one_line_at(err, where)
    code, err = _build(pack)
    assert code == 1
    assert words in _one_line_at(err, where)


@pytest.mark.skipif(not DEJAVU.is_file(), reason="DejaVu Sans is not installed (fonts-dejavu-core)")
def test_a_hostile_font_file_name_stays_one_url_and_the_pdf_keeps_its_text(
    tmp_path: Path,
) -> None:
    pack = _pack(tmp_path)
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
    code, err = _build(pack, "pdf")
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


# --------------------------------------------------------- validate as build


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
    pack = _pack(tmp_path, theme_yaml="logo: logo.svg\n")
    (tmp_path / "brand" / "logo.svg").write_text(logo, encoding="utf-8")
    where = f"{tmp_path / 'brand' / 'theme.yaml'}:1:7: "
    code, _, err = run("validate", str(pack))
    assert code == 1
    line = _one_line_at(err, where)
    assert words in line
    assert str(tmp_path / "brand" / "logo.svg") in line
    code, err = _build(pack)
    assert code == 1
    assert words in _one_line_at(err, where)


def test_a_logo_that_breaks_after_the_theme_is_read_fails_with_a_reason_and_its_path(
    tmp_path: Path,
) -> None:
    pack_path = _pack(tmp_path, theme_yaml="logo: logo.svg\n")
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
    assert "nowhere" in _one_line_at(err, f"{pack}:12:")


def test_validate_reports_an_answers_file_the_build_would_refuse(tmp_path: Path) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(MINIMAL_PACK, encoding="utf-8")
    answers = tmp_path / "pack.answers.yaml"
    answers.write_text("answers:\n  direction:\n    answr: Forward\n", encoding="utf-8")
    code, out, err = run("validate", str(pack))
    assert code == 1
    assert "ok" not in out
    assert "answr" in _one_line_at(err, f"{answers}:3:")
    assert "1 of 1 pack invalid" in err


def test_validate_warns_of_a_faint_theme_colour_as_build_does(tmp_path: Path) -> None:
    pack = _pack(tmp_path, theme_yaml='colours:\n  ink: "#eeeeee"\n')
    code, out, err = run("validate", str(pack))
    assert code == 0, err
    assert "ok" in out
    assert "warning: ink text on page has a contrast of" in err


def test_a_theme_with_the_built_in_template_renders_as_before(tmp_path: Path) -> None:
    pack_path = _pack(tmp_path, theme_yaml='colours:\n  accent: "#b00020"\n')
    pack = load_pack(pack_path)
    theme = choose_theme("brand", tmp_path)
    plain = choose_theme(None, tmp_path)
    html = html_document(pack, resolve_settings(pack, os.environ, theme=theme))
    before = html_document(pack, resolve_settings(pack, os.environ, theme=plain))
    assert html.replace("#b00020", "#0b4a7d") == before


def test_a_template_that_never_ends_stops_validate_at_the_time_limit_not_forever(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The sandbox bounds what a template may reach, not how long it runs: validate's
    # trial render runs in a worker under the build's limits (shortened here).
    from briefpack.build import trial
    from briefpack.build.limits import Limits

    monkeypatch.setattr(trial, "TRIAL_LIMITS", Limits(seconds=2))
    endless = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    pack = _pack(tmp_path, f"<html><body>\n{endless}\n</body></html>\n")
    code, out, err = run("validate", str(pack))
    assert code == 1
    assert "ok" not in out
    line = _one_line_at(err, f"{tmp_path / 'brand' / 'pack.html.j2'}: ")
    assert "time limit of 2 s (the build's default" in line
    assert "--time-limit" not in line  # validate has no such option


# Templates that Python cannot compile: Jinja turns each {% for %} into a Python loop
# (Python allows 20 nested) and each {% if %} into a level of indentation (about 100),
# and parses each parenthesis or method call by recursing once more.
TOO_DEEP = {
    "nested for": "\n" + "{% for a in [1] %}" * 25 + "x" + "{% endfor %}" * 25,
    "nested if": "\n" + "{% if true %}" * 150 + "x" + "{% endif %}" * 150,
    "nested parentheses": "\n{{ " + "(" * 300 + "1" + ")" * 300 + " }}",
    "method chain": "\n{{ 'a'" + ".title()" * 1000 + " }}",
    "not chain": "\n{{ " + "not " * 2000 + "true }}",
}


@pytest.mark.parametrize("body", TOO_DEEP.values(), ids=TOO_DEEP.keys())
def test_a_template_too_deep_to_compile_is_one_line_at_the_template_in_validate_and_build(
    tmp_path: Path, body: str
) -> None:
    pack = _pack(tmp_path, f"<html><body>{body}\n</body></html>\n")
    template = tmp_path / "brand" / "pack.html.j2"
    code, _, err = run_fresh("validate", str(pack))
    assert code == 1
    line = _one_line_at(err, f"{template}:")
    assert "the template nests too deeply for Python to compile" in line
    assert "calls itself without end" not in line
    code, err = _build(pack, fresh=True)
    assert code == 1
    assert "the template nests too deeply for Python to compile" in _one_line_at(
        err, f"{template}:"
    )


def test_a_block_python_cannot_nest_is_placed_at_its_template_line(tmp_path: Path) -> None:
    # Python's SyntaxError names a line of Jinja's generated code; the template's is told.
    loops = "{% for a in [1] %}\n" * 25 + "x\n" + "{% endfor %}\n" * 25
    pack = _pack(tmp_path, f"<html>\n<body>\n{loops}</body></html>\n")
    code, _, err = run("validate", str(pack))
    assert code == 1
    line = _one_line_at(err, f"{tmp_path / 'brand' / 'pack.html.j2'}:")
    # Python refuses the 21st loop, which opens on the template's line 23.
    assert line.startswith(f"{tmp_path / 'brand' / 'pack.html.j2'}:23:1: ")
    assert "too many statically nested blocks" in line


# SVG logos WeasyPrint fails to draw or draws without end: validate refused none of them.
_SVG_OPEN = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'width="100" height="20">'
)
_BOMB_LEVELS = "".join(
    f'<g id="a{level}">' + f'<use href="#a{level - 1}"/>' * 10 + "</g>" for level in range(1, 10)
)
HOSTILE_SVGS = {
    "style import": (
        _SVG_OPEN
        + "<style>@import url(file:///etc/passwd);</style><rect width='9' height='9'/></svg>",
        "@import",
    ),
    "escaped import": (_SVG_OPEN + r"<style>@\69mport 'x.css';</style></svg>", "@import"),
    "deep nesting": (_SVG_OPEN + "<g>" * 100_000 + "</g>" * 100_000 + "</svg>", "100 deep"),
    "use loop": (
        _SVG_OPEN + '<g id="a"><use href="#b"/></g><g id="b"><use xlink:href="#a"/></g></svg>',
        "loop",
    ),
    "use of its own ancestor": (_SVG_OPEN + '<g id="a"><use href="#a"/></g></svg>', "loop"),
    "use bomb": (
        _SVG_OPEN + '<defs><rect id="a0" width="1" height="1"/>' + _BOMB_LEVELS + "</defs>"
        '<use href="#a9"/></svg>',
        "over 10000 elements",
    ),
    "nested svg image": (
        _SVG_OPEN + '<image href="other.svg" width="9" height="9"/></svg>',
        "another SVG",
    ),
}


@pytest.mark.parametrize(("logo", "words"), HOSTILE_SVGS.values(), ids=HOSTILE_SVGS.keys())
def test_a_logo_svg_the_renderer_fails_or_draws_without_end_is_refused_by_validate_and_build(
    tmp_path: Path, logo: str, words: str
) -> None:
    pack = _pack(tmp_path, theme_yaml="logo: logo.svg\n")
    (tmp_path / "brand" / "logo.svg").write_text(logo, encoding="utf-8")
    (tmp_path / "brand" / "other.svg").write_text(_SVG_OPEN + "</svg>", encoding="utf-8")
    where = f"{tmp_path / 'brand' / 'theme.yaml'}:1:7: "
    code, _, err = run("validate", str(pack))
    assert code == 1
    assert words in _one_line_at(err, where)
    code, err = _build(pack, "pdf")
    assert code == 1
    assert words in _one_line_at(err, where)


def test_a_content_svg_that_draws_without_end_is_left_out_with_a_warning_at_its_line(
    tmp_path: Path,
) -> None:
    # Pictures in content pass the same check as a theme's logo; one refused is
    # not embedded (its description is kept), by validate and build alike.
    svg, words = HOSTILE_SVGS["use bomb"]
    (tmp_path / "bomb.svg").write_text(svg, encoding="utf-8")
    pack = tmp_path / "pack.yaml"
    question = "question: Where are we going?"
    pack.write_text(MINIMAL_PACK.replace(question, f"{question} ![bomb](bomb.svg)"), "utf-8")
    code, _, err = run("validate", str(pack))
    assert code == 0, err
    warning = _one_line_at(err, f"{pack}:10:")
    assert "image 'bomb.svg' not embedded" in warning
    assert words in warning
    code, err = _build(pack, "pdf")
    assert code == 0, err
    assert words in _one_line_at(err, f"{pack}:10:")


def test_a_logo_svg_with_defs_uses_and_groups_as_designers_make_them_validates_and_builds(
    tmp_path: Path,
) -> None:
    # The bounds are far from a real logo: 40 deep, 200 uses of a shape, a <style>.
    nested = "<g>" * 40 + '<use href="#dot" x="1"/>' * 200 + "</g>" * 40
    logo = (
        _SVG_OPEN + "<style>rect { fill: #0b4a7d }</style>"
        '<defs><g id="dot"><rect width="1" height="1"/><use href="#bar"/></g>'
        '<rect id="bar" width="2" height="1"/></defs>' + nested + "</svg>"
    )
    pack = _pack(tmp_path, theme_yaml="logo: logo.svg\n")
    (tmp_path / "brand" / "logo.svg").write_text(logo, encoding="utf-8")
    code, _, err = run("validate", str(pack))
    assert code == 0, err
    code, err = _build(pack, "pdf")
    assert code == 0, err


# A template's branches that only some of the build's renders take: validate's trial
# render takes each (reproducer tpl/branch.txt: validate said ok, build refused).
_SESSIONS = "".join(
    f'      - title: Topic {n}\n        start: "1{n}:00"\n        end: "1{n}:30"\n'
    f"        questions:\n          - title: Item {n}\n            question: Why {n}?\n"
    for n in range(1, 4)
)
#: Four sessions (a book), a recipient, and an answers file beside it (a debrief).
BRANCHING_PACK = (
    MINIMAL_PACK.replace("days:", "recipients:\n  - name: Jane Doe\ndays:", 1)
    + _SESSIONS
    + "options:\n  theme: brand\n"
)
BRANCHES = {
    "session pack": "settings.session",
    "PDF (no inline stylesheet)": "stylesheet is none",
    "recipient's pack": "settings.recipient",
    "change-marked pack": "changes_title",
    "debrief": "settings.answers",
    "answer fields": "settings.answer_fields",
    "notes": "settings.notes",
    "letter paper": "page_size == 'letter'",
    "archival PDF": "settings.pdf_variant == 'pdf/a-3b'",
    "book part": "part",
}


@pytest.mark.parametrize("condition", BRANCHES.values(), ids=BRANCHES.keys())
def test_validate_refuses_a_sandbox_refusal_in_a_branch_only_some_outputs_take(
    tmp_path: Path, condition: str
) -> None:
    pack = _pack(
        tmp_path,
        "<html><body>\n"
        f"{{% if {condition} %}}\n{{{{ [].append(1) }}}}\n{{% endif %}}\n"
        "</body></html>\n",
    )
    pack.write_text(BRANCHING_PACK, encoding="utf-8")
    (tmp_path / "pack.answers.yaml").write_text("answers: {}\n", encoding="utf-8")
    code, out, err = run("validate", str(pack))
    assert code == 1, out
    assert "refused" in _one_line_at(err, f"{tmp_path / 'brand' / 'pack.html.j2'}:3:1: ")


def test_a_refusal_only_in_the_pdf_is_refused_alike_by_validate_and_build(tmp_path: Path) -> None:
    # The PDF's HTML has no inline stylesheet; the HTML file, which validate rendered, has.
    pack = _pack(
        tmp_path,
        "<html><body>\n{% if stylesheet is none %}{{ {}.update(a=1) }}{% endif %}ok\n"
        "</body></html>\n",
    )
    where = f"{tmp_path / 'brand' / 'pack.html.j2'}:2:1: "
    code, _, err = run("validate", str(pack))
    assert code == 1
    line = _one_line_at(err, where)
    code, err = _build(pack, "html", "pdf")
    assert code == 1
    assert _one_line_at(err, where) == line


def test_svg_pictures_the_renderer_fails_on_are_refused_by_validate_as_the_build_fails(
    tmp_path: Path,
) -> None:
    # No list of checks holds every way WeasyPrint fails a picture: validate draws each.
    pack = _pack(tmp_path, theme_yaml="logo: logo.svg\n")
    logo = tmp_path / "brand" / "logo.svg"
    logo.write_text(_SVG_OPEN + '<rect width="5" height="5" opacity="x"/></svg>', "utf-8")
    picture = tmp_path / "clipped.svg"
    picture.write_text(
        _SVG_OPEN + '<clipPath id="c"><rect width="5" height="5" clip-path="url(#c)"/></clipPath>'
        '<rect width="9" height="9" clip-path="url(#c)"/></svg>',
        "utf-8",
    )
    question = "question: Where are we going?"
    text = pack.read_text(encoding="utf-8")
    pack.write_text(text.replace(question, f"{question} ![clipped](clipped.svg)"), "utf-8")
    code, _, err = run("validate", str(pack))
    assert code == 1
    assert "ValueError" in _one_line_at(err, f"{logo}: the renderer cannot draw this SVG picture")
    assert "RecursionError" in _one_line_at(err, f"{picture}: the renderer cannot draw")
    code, err = _build(pack, "pdf")
    assert code == 1
    assert err.count("rendering failed: Failed to render SVG image") == 2


# Widths and counts that build gigabyte strings (attacker A2 #4): `*` was bounded,
# these were not; each is refused at its line before anything is built.
_HUGE = 1_500_000_000
WIDTH_BOMBS = {
    "center filter": f'{{{{ "x"|center({_HUGE})|length }}}}',
    "format filter's width": f'{{{{ "%0{_HUGE}d"|format(1)|length }}}}',
    "% operator's precision": f'{{{{ ("%.{_HUGE}f" % 1.0)|length }}}}',
    "% operator's width from an argument": f'{{{{ ("%*d" % ({_HUGE}, 1))|length }}}}',
    "str.ljust": f"{{{{ 'x'.ljust({_HUGE})|length }}}}",
    "str.zfill": f"{{{{ 'x'.zfill({_HUGE})|length }}}}",
    "str.expandtabs": f"{{{{ 'a\\tb'.expandtabs({_HUGE})|length }}}}",
    "str.format's width": f"{{{{ '{{:>{_HUGE}}}'.format('x')|length }}}}",
    "str.format's width from an argument": f"{{{{ '{{:>{{}}}}'.format('x', {_HUGE})|length }}}}",
    "indent filter": f"{{{{ 'a\\nb'|indent({_HUGE})|length }}}}",
    "wordwrap filter": f"{{{{ 'a b'|wordwrap({_HUGE})|length }}}}",
    "truncate filter": f"{{{{ 'a b'|truncate({_HUGE})|length }}}}",
    "replace filter doubling": "{{ ('x' * 1000000)|replace('x', 'xx')|length }}",
    "str.replace doubling": "{{ ('x' * 1000000).replace('x', 'xx')|length }}",
}


@pytest.mark.parametrize("bomb", WIDTH_BOMBS.values(), ids=WIDTH_BOMBS.keys())
def test_a_filter_or_string_method_asked_for_a_gigabyte_string_is_refused_at_its_line(
    tmp_path: Path, bomb: str
) -> None:
    pack = _pack(tmp_path, _escaping_template(bomb, tmp_path / "marker"))
    code, _, err = run("validate", str(pack))
    assert code == 1
    line = _one_line_at(err, f"{tmp_path / 'brand' / 'pack.html.j2'}:3:1: ")
    assert "over 1000000" in line


def test_widths_counts_and_formats_as_themes_use_them_still_render(tmp_path: Path) -> None:
    used = (
        '{{ "x"|center(9) }}|{{ "%05d"|format(3) }}|{{ "%s-%s" % (1, 2) }}|{{ 7 % 3 }}|'
        '{{ "{:>5}".format("a") }}|{{ "a\\nb"|indent(2) }}|{{ "a b c"|wordwrap(2) }}|'
        '{{ "abc"|replace("b", "B") }}|{{ "hello world foo"|truncate(9) }}|{{ "x".rjust(3) }}.'
    )
    pack = _pack(tmp_path, f"<html><body>\n{used}\n</body></html>\n")
    code, err = _build(pack)
    assert code == 0, err
    html = (tmp_path / "out" / "pack" / "pack.html").read_text(encoding="utf-8")
    assert "    x    |00003|1-2|1|    a|a\n  b|a\nb\nc|aBc|hello...|  x." in html


def test_a_marker_bomb_logo_or_picture_is_refused_at_its_line_not_after_the_time_limit(
    tmp_path: Path,
) -> None:
    # The attacker's markers.py: markers three deep on 1,000-vertex paths took
    # validate 300 s and 1.4 GB, then named neither the picture nor its line.
    d = "M0 0" + " l0.01 0" * 1000
    markers = f'<marker id="m0"><path d="{d}"/></marker>' + "".join(
        f'<marker id="m{i}"><path d="{d}" marker-mid="url(#m{i - 1})"/></marker>' for i in (1, 2)
    )
    svg = f'{_SVG_OPEN}<defs>{markers}</defs><path d="{d}" marker-mid="url(#m2)"/></svg>'
    pack = _pack(tmp_path, theme_yaml="logo: logo.svg\n")
    (tmp_path / "brand" / "logo.svg").write_text(svg, encoding="utf-8")
    code, _, err = run("validate", str(pack))
    assert code == 1
    assert "marker" in _one_line_at(err, f"{tmp_path / 'brand' / 'theme.yaml'}:1:7: ")
    (tmp_path / "brand" / "theme.yaml").write_text("name: brand\n", encoding="utf-8")
    (tmp_path / "brand" / "logo.svg").unlink()
    (tmp_path / "markers.svg").write_text(svg, encoding="utf-8")
    question = "question: Where are we going?"
    pack.write_text(pack.read_text("utf-8").replace(question, f"{question} ![m](markers.svg)"))
    code, _, err = run("validate", str(pack))
    assert code == 0, err
    assert "marker" in _one_line_at(err, f"{pack}:10:")


def test_a_picture_that_draws_past_validates_time_limit_is_named_not_a_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A pack with no template of its own was told it 'took longer than the time
    # limit ... which validate holds a template to', at the pack file: each SVG is
    # now drawn as a job of its own, named by its file (limit shortened here).
    from briefpack.build import trial
    from briefpack.build.limits import Limits

    monkeypatch.setattr(trial, "TRIAL_LIMITS", Limits(seconds=0.2))
    # 2,000 dots along a path: within the SVG check's bounds, 0.5 s to draw.
    d = "M0 0" + " l0.01 0.01" * 2000
    (tmp_path / "dots.svg").write_text(
        f'{_SVG_OPEN}<marker id="m"><circle cx="1" cy="1" r="1"/></marker>'
        f'<path d="{d}" marker-mid="url(#m)"/></svg>',
        encoding="utf-8",
    )
    (tmp_path / "plain.svg").write_text(_SVG_OPEN + "</svg>", encoding="utf-8")
    pack = tmp_path / "pack.yaml"
    question = "question: Where are we going?"
    pack.write_text(MINIMAL_PACK.replace(question, f"{question} ![d](dots.svg)"), "utf-8")
    code, _, err = run("validate", str(pack))
    assert code == 1
    line = _one_line_at(err, f"{tmp_path / 'dots.svg'}: ")
    assert "time limit of 0.2 s" in line
    assert "each SVG picture" in line
    assert str(pack) not in err


def test_a_worker_recurses_under_pythons_own_limit_whatever_its_parent_set(
    tmp_path: Path,
) -> None:
    # Forked with a parent's limit of 100,000, the worker overflowed the C stack
    # (SIGSEGV) before any RecursionError could name the template's line.  Run in
    # a fresh process, like the other recursion tests (see run_fresh).
    pack = _pack(tmp_path, "<html>\n{% macro f() %}{{ f() }}{% endmacro %}\n{{ f() }}\n")
    out = tmp_path / "out"
    arguments = ["briefpack", "build", str(pack), "-o", str(out), "--no-sessions", "-f", "html"]
    code = (
        "import sys; sys.setrecursionlimit(100_000); "
        f"sys.argv = {arguments!r}; "
        "from briefpack.cli import main; main()"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 1
    where = f"{tmp_path / 'brand' / 'pack.html.j2'}:2:1: "
    assert "without end" in _one_line_at(done.stderr, where)
