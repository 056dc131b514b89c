"""Make the fonts that stand in for a pre-read's unembedded standard fonts (a developer's tool).

A pre-read that names Helvetica, Times or Courier (or Arial, Times New Roman,
Courier New) without embedding them cannot be drawn into a PDF/UA or PDF/A
book as it is; the book embeds a metric-compatible face in their place
(:mod:`briefpack.render.preread_fonts`).  Liberation 2 is drawn to the same
advance widths as those fonts, and is under the SIL Open Font License 1.1.

A simple font (one byte a character) reaches at most 256 glyphs, named by an
encoding: WinAnsi, MacRoman, Standard, or a Differences array of glyph
names.  So each face is cut once, here, to the characters those encodings
reach (Latin-1 and the WinAnsi, MacRoman and Standard extras), not at build
time:

- **Outlines, advances and the (3,1) and (1,0) cmaps**, which a PDF reader
  uses to find a non-symbolic TrueType font's glyphs; glyph names are kept.
- **No hinting, no layout tables**: a PDF places every glyph itself.
- **Renamed**: a subset is a Modified Version under the OFL, which may not use
  the Reserved Font Names (Liberation, Arimo, Tinos, Cousine), so the family is
  "Briefpack Sans" (Serif, Mono); the copyright and licence names stay.

Run it with the folder of upstream files, as Debian packages them::

    apt-get download fonts-liberation2
    dpkg-deb -x fonts-liberation2_*.deb upstream
    python tools/subset_substitute_fonts.py upstream src/briefpack/render/fonts

The result is byte-identical from run to run (no timestamps are recalculated).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fontTools import agl, subset
from fontTools.encodings.MacRoman import MacRoman
from fontTools.encodings.StandardEncoding import StandardEncoding
from fontTools.ttLib import TTFont

#: Upstream family, and the name it is shipped under (see the module's docstring).
FAMILIES = {"LiberationSans": "Sans", "LiberationSerif": "Serif", "LiberationMono": "Mono"}
STYLES = {"Regular": "Regular", "Bold": "Bold", "Italic": "Italic", "BoldItalic": "Bold Italic"}


def reachable() -> set[int]:
    """Every character a simple font's usual encodings can name."""
    characters = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    for codec in ("cp1252", "mac_roman"):
        for code in range(0x20, 0x100):
            try:
                characters.add(ord(bytes([code]).decode(codec)))
            except UnicodeDecodeError:
                continue
    for name in [*StandardEncoding, *MacRoman]:
        text = agl.toUnicode(name)
        if len(text) == 1:
            characters.add(ord(text))
    # Often in a Differences array: the minus sign, the Euro, typographic spaces and dashes.
    characters |= {0x2212, 0x20AC, 0x2002, 0x2003, 0x2009, 0x2010, 0x2011, 0x2015, 0x2033}
    return characters


def cut(font: TTFont) -> TTFont:
    """``font`` with only the characters :func:`reachable` lists, unhinted, names kept."""
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.glyph_names = True
    options.legacy_cmap = True
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.drop_tables += ["DSIG", "FFTM", "GDEF", "GPOS", "GSUB", "kern", "gasp"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=reachable())
    subsetter.subset(font)
    return font


def renamed(font: TTFont, family: str, style: str) -> TTFont:
    """``font`` called Briefpack ``family`` ``style``: the OFL's Reserved Font Names go."""
    full_family = f"Briefpack {family}"
    postscript = f"Briefpack{family}-{style.replace(' ', '')}"
    plain = style in ("Regular", "Bold", "Italic", "Bold Italic")
    names = {
        1: full_family if plain else f"{full_family} {style}",
        2: style,
        3: f"{postscript};briefpack",
        4: f"{full_family} {style}" if style != "Regular" else full_family,
        6: postscript,
    }
    table = font["name"]
    table.names = [record for record in table.names if record.nameID not in (16, 17, 21, 22)]
    for record in table.names:
        if record.nameID in names:
            record.string = names[record.nameID]
    description = (
        f"Derived from Liberation {family} 2 (SIL OFL 1.1): cut to the characters of "
        "WinAnsi, MacRoman and Standard encodings and renamed, to stand in for an "
        "unembedded standard font of a pre-read."
    )
    table.setName(description, 10, 3, 1, 0x409)
    return font


def main() -> None:
    """Write the twelve substitute faces from the upstream files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("upstream", type=Path, help="folder holding the Liberation 2 fonts")
    parser.add_argument("target", type=Path, help="briefpack's render/fonts folder")
    arguments = parser.parse_args()
    arguments.target.mkdir(parents=True, exist_ok=True)
    total = 0
    for upstream, family in FAMILIES.items():
        for style_file, style in STYLES.items():
            matches = sorted(arguments.upstream.rglob(f"{upstream}-{style_file}.ttf"))
            if not matches:
                raise SystemExit(f"{upstream}-{style_file}.ttf not found in {arguments.upstream}")
            font = renamed(cut(TTFont(matches[0], recalcTimestamp=False)), family, style)
            target = arguments.target / f"Briefpack{family}-{style_file}.ttf"
            font.recalcTimestamp = False
            font.save(target)
            total += target.stat().st_size
            glyphs = len(font.getGlyphOrder())
            print(f"wrote {target} ({target.stat().st_size:,} bytes, {glyphs} glyphs)")
    print(f"total {total:,} bytes")


if __name__ == "__main__":
    main()
