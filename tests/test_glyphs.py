"""A character no font of the theme has is a warning at its YAML line, naming the character."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

from briefpack.build.chosen_settings import default_theme
from briefpack.content import glyphs
from briefpack.content.glyphs import glyph_warnings, theme_font_files
from briefpack.content.theme_file import load_theme
from briefpack.content.validate import load_pack
from briefpack.model import Pack

from conftest import BUNDLED_PACK, run

#: U+F0000 is private use in plane 15, U+2A6A5 a rare CJK ideograph: in no shipped font.
PRIVATE = "\U000f0000"
RARE = "\U0002a6a5"
GRIN = "\U0001f600"

PACK = f"""\
title: Offsite {GRIN}
days:
  - date: 2026-03-02
    sessions:
      - title: Strategy
        start: "09:00"
        end: "10:00"
        speakers:
          - name: José Ñúñez
            role: "CTO {PRIVATE}"
        questions:
          - title: Direction
            question: |
              Where are we going? {RARE}{RARE} and {RARE} again,
              with joiners (a\u200db), a selector (\u2764\ufe0f) and a thin\u2009space.
          - title: Budget {GRIN}
            question: How much {RARE}?
"""


def warning(where: str, code: str, name: str, char: str) -> str:
    return (
        f"{where}: warning: '{code} {name}' ({char}) is in no font of the theme 'executive'; "
        "it prints as a box"
    )


@pytest.fixture
def pack(tmp_path: Path) -> Pack:
    path = tmp_path / "pack.yaml"
    path.write_text(PACK, encoding="utf-8")
    return load_pack(path)


def test_each_character_no_font_has_is_named_once_per_place(pack: Pack) -> None:
    where = pack.source
    assert [str(problem) for problem in glyph_warnings(pack, default_theme())] == [
        warning(f"{where}:1:1", "U+1F600", "GRINNING FACE", GRIN),
        warning(f"{where}:5:9", "U+F0000", "private use character", PRIVATE),
        warning(f"{where}:13:23", "U+2A6A5", "CJK UNIFIED IDEOGRAPH-2A6A5", RARE),
        warning(f"{where}:16:13", "U+1F600", "GRINNING FACE", GRIN),
        warning(f"{where}:17:23", "U+2A6A5", "CJK UNIFIED IDEOGRAPH-2A6A5", RARE),
    ]


def smile_font(path: Path, family: str = "Smile") -> Path:
    """A font whose one glyph is U+1F600 (and A to Z, so that it can be a theme's font)."""
    codes = {0x1F600: "smile", **{code: f"g{code}" for code in range(0x20, 0x7F)}}
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", *codes.values()])
    builder.setupCharacterMap(codes)
    pen = TTGlyphPen(None)
    pen.moveTo((0, 0))
    pen.lineTo((0, 500))
    pen.lineTo((500, 0))
    pen.closePath()
    square = pen.glyph()
    builder.setupGlyf({name: square for name in [".notdef", *codes.values()]})
    builder.setupHorizontalMetrics({name: (600, 0) for name in [".notdef", *codes.values()]})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": family, "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    path.parent.mkdir(parents=True, exist_ok=True)
    builder.save(str(path))
    return path


def test_the_check_takes_the_fonts_the_render_uses_fallbacks_included(
    pack: Pack, tmp_path: Path
) -> None:
    theme = default_theme()
    fonts = [*theme_font_files(theme), smile_font(tmp_path / "Smile.ttf")]
    found = {problem.message.split("'")[1] for problem in glyph_warnings(pack, theme, fonts)}
    assert found == {"U+F0000 private use character", "U+2A6A5 CJK UNIFIED IDEOGRAPH-2A6A5"}


def test_a_theme_declaring_a_font_with_the_character_silences_its_warning(
    pack: Pack, tmp_path: Path
) -> None:
    folder = tmp_path / "smiling"
    smile_font(folder / "fonts" / "Smile.ttf")
    (folder / "theme.yaml").write_text(
        "name: smiling\nfonts:\n  mono:\n    regular: fonts/Smile.ttf\n", encoding="utf-8"
    )
    theme = load_theme(folder, default_theme())
    assert folder / "fonts" / "Smile.ttf" in theme_font_files(theme)
    messages = [problem.message for problem in glyph_warnings(pack, theme)]
    assert not any("GRINNING FACE" in message for message in messages)
    assert any("U+F0000" in message and "'smiling'" in message for message in messages)


def test_a_pack_in_latin_script_reads_one_font_once_per_process() -> None:
    pack = load_pack(BUNDLED_PACK)
    glyphs._read_cmap.cache_clear()
    assert glyph_warnings(pack, default_theme()) == []
    assert glyphs._read_cmap.cache_info().currsize == 1
    assert glyph_warnings(pack, default_theme()) == []
    assert glyphs._read_cmap.cache_info().misses == 1


@pytest.mark.unchecked_outputs(
    "prints on purpose a character no font has, which PDF/UA forbids drawing; the warning is "
    "what this test checks"
)
def test_build_warns_at_the_line_of_the_pack_and_of_a_debrief_answer(tmp_path: Path) -> None:
    from briefpack.authoring.harvest import answers_yaml
    from briefpack.model.answers import Answer

    content = tmp_path / "content"
    content.mkdir()
    pack = content / "pack.yaml"
    shutil.copy(BUNDLED_PACK, pack)
    text = pack.read_text(encoding="utf-8").replace("defining meaningful SLIs", f"defining {RARE}")
    pack.write_text(text, encoding="utf-8")
    key = "devops-culture-at-amazon--observability-reliability-engineering"
    answers = content / "pack.answers.yaml"
    answers.write_text(answers_yaml(pack, [Answer(key, answer=f"Yes {PRIVATE}")]), "utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if f"defining {RARE}" in row)
    code, _, err = run("build", str(pack), "-o", str(tmp_path / "out"), "--no-sessions")
    assert code == 0, err
    rare = [row for row in err.splitlines() if "'U+2A6A5 CJK UNIFIED IDEOGRAPH-2A6A5'" in row]
    assert len(rare) == 1
    assert rare[0].startswith(f"{pack}:")
    assert int(rare[0].split(":")[1]) <= line  # the question's line, or its block's first
    answer_line = (
        answers.read_text(encoding="utf-8").splitlines().index(f"    answer: Yes {PRIVATE}")
    )
    assert (
        warning(f"{answers}:{answer_line + 1}:13", "U+F0000", "private use character", PRIVATE)
        in err.splitlines()
    )


def test_validate_warns_as_build_does(tmp_path: Path) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(PACK, encoding="utf-8")
    code, _, err = run("validate", str(pack))
    assert code == 0, err
    assert warning(f"{pack}:5:9", "U+F0000", "private use character", PRIVATE) in err
