"""Themes: theme.yaml read like a pack, every problem at its line, only set keys overriding."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from briefpack.content.theme_file import load_theme
from briefpack.errors import BriefpackError
from briefpack.model.theme import Theme
from briefpack.render.builtin_themes import templates_dir
from briefpack.render.theme_css import running_text, running_width, text_width


@pytest.fixture(scope="module")
def executive() -> Theme:
    return load_theme(templates_dir())


def theme_folder(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "theme"
    folder.mkdir(exist_ok=True)
    (folder / "theme.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def theme_problems(folder: Path, base: Theme) -> list[str]:
    try:
        load_theme(folder, base, label="theme.yaml")
    except BriefpackError as error:
        return [str(problem) for problem in error.problems]
    raise AssertionError("the theme loaded, but problems were expected")


def test_the_built_in_theme_sets_everything(executive: Theme) -> None:
    assert executive.name == "executive"
    assert executive.colours.accent == "#0b4a7d"
    assert executive.sizes.title == 30
    assert executive.sizes.question == 11.5
    assert executive.margins.top == 22
    assert executive.fonts.heading.word == "Inter"  # the family's own name, embedded
    assert executive.fonts.heading.embed
    assert (
        executive.fonts.heading.semibold == templates_dir().resolve() / "fonts/Inter-SemiBold.ttf"
    )
    assert executive.extends is None
    assert executive.folders() == [templates_dir().resolve()]


def test_a_theme_overrides_only_what_it_sets(tmp_path: Path, executive: Theme) -> None:
    folder = theme_folder(
        tmp_path,
        """\
        colours:
          accent: "#B00020"
        sizes:
          question: 12pt
        margins:
          left: 25mm
        """,
    )
    theme = load_theme(folder, executive)
    assert theme.colours.accent == "#b00020"
    assert theme.colours.ink == executive.colours.ink
    assert theme.sizes.question == 12
    assert theme.sizes.title == executive.sizes.title
    assert theme.margins.left == 25
    assert theme.margins.top == executive.margins.top
    assert theme.fonts == executive.fonts
    assert theme.name == "theme"
    assert theme.folders() == [folder.resolve(), executive.folder]


def test_a_new_font_family_replaces_every_face_and_names_itself_in_word(
    tmp_path: Path, executive: Theme
) -> None:
    folder = theme_folder(tmp_path, "fonts:\n  body:\n    regular: fonts/Text.ttf\n")
    (folder / "fonts").mkdir()
    shutil.copy(templates_dir() / "fonts" / "NotoSansMono-Regular.ttf", folder / "fonts/Text.ttf")
    theme = load_theme(folder, executive)
    assert theme.fonts.body.regular == folder.resolve() / "fonts/Text.ttf"
    assert theme.fonts.body.bold is None  # not Noto Serif's bold with another family
    assert theme.fonts.body.word == "Noto Sans Mono"
    assert theme.fonts.heading == executive.fonts.heading


def test_every_problem_of_a_theme_is_reported_at_its_line(tmp_path: Path, executive: Theme) -> None:
    outside = tmp_path / "secret.ttf"
    outside.write_bytes(b"not yours")
    folder = theme_folder(
        tmp_path,
        """\
        colors:
          accent: "#0b4a7d"
        colours:
          accent: blue
          rule: "#12345"
        sizes:
          title: -3
          question: large
        margins:
          top: 500mm
        fonts:
          body:
            regular: ../secret.ttf
            bold: fonts/missing.ttf
            italic: theme.yaml
          serif:
            regular: fonts/x.ttf
        logo: logo.gif
        """,
    )
    assert theme_problems(folder, executive) == [
        "theme.yaml:1:1: unknown key 'colors' in the theme; did you mean 'colours'?",
        "theme.yaml:4:11: 'accent' must be a colour written #rrggbb, not 'blue'",
        "theme.yaml:5:9: 'rule' must be a colour written #rrggbb, not '#12345'",
        "theme.yaml:7:10: 'title' must be a number of pt up to 200, not '-3'",
        "theme.yaml:8:13: 'question' must be a number of pt up to 200, not 'large'",
        "theme.yaml:10:8: 'top' must be a number of mm up to 100, not '500mm'",
        "theme.yaml:13:14: 'regular' must be a file in the theme's folder, not '../secret.ttf'",
        "theme.yaml:14:11: 'bold': no such file 'fonts/missing.ttf' in the theme's folder",
        "theme.yaml:15:13: 'italic' must be a .ttf or .otf file, not 'theme.yaml'",
        "theme.yaml:16:3: unknown key 'serif' in 'fonts'; expected one of: heading, body, mono",
        "theme.yaml:18:7: 'logo' must be a .svg or .png file, not 'logo.gif'",
    ]


def test_a_symlink_out_of_the_theme_folder_is_outside_it(tmp_path: Path, executive: Theme) -> None:
    outside = tmp_path / "elsewhere.png"
    outside.write_bytes(b"\x89PNG")
    folder = theme_folder(tmp_path, "logo: logo.png\n")
    (folder / "logo.png").symlink_to(outside)
    assert theme_problems(folder, executive) == [
        "theme.yaml:1:7: 'logo' must be a file in the theme's folder, not 'logo.png'"
    ]


def test_a_folder_without_theme_yaml_is_an_error(tmp_path: Path, executive: Theme) -> None:
    with pytest.raises(BriefpackError, match=r"no theme\.yaml in the theme folder"):
        load_theme(tmp_path, executive)


# ---------------------------------------------------------------- running heads


def _running_font_of(theme: Theme) -> Path:
    return next(path for weight, _, path in theme.fonts.heading.faces() if weight == 500)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_a_title_that_fits_the_running_header_is_shown_whole(paper: str) -> None:
    theme = load_theme(templates_dir())
    assert running_text("Session 2: AgentCore", theme, paper, "right") == "Session 2: AgentCore"


@pytest.mark.parametrize("box", ["left", "right"])
def test_a_long_title_is_cut_at_a_word_with_an_ellipsis_to_fit_its_box(box: str) -> None:
    theme = load_theme(templates_dir())
    title = (
        "Session 1: Capital Allocation, Dividend Policy and the Refinancing of the 2027 "
        "and 2028 Bond Maturities of the Group and its Subsidiaries in Europe"
    )
    shown = running_text(title, theme, "a4", box)
    assert shown.endswith("…")
    assert title.startswith(shown.removesuffix("…"))
    assert title[len(shown) - 1] == " "  # cut where a word ends
    font = _running_font_of(theme)
    width = text_width(shown, font, theme.sizes.header)
    assert width <= running_width(theme, "a4", box)
    # The box is used: no more than a word and an ellipsis short of it.
    assert width > running_width(theme, "a4", box) * 0.7


def test_a_shortened_title_never_ends_inside_an_emoji_or_an_accented_letter() -> None:
    theme = load_theme(templates_dir())
    for title in ("👍🏽" * 80, "e\u0301" * 200):
        shown = running_text(title, theme, "a4", "right")
        kept = shown.removesuffix("…")
        assert title.startswith(kept)
        assert kept
        assert title[len(kept)] not in "\u0301\U0001f3fd"
