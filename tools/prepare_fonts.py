"""Make the default theme's fonts from their upstream files (a developer's tool).

The theme ships its fonts in the form that costs least to subset, because
WeasyPrint subsets every font of every PDF it writes:

- **TrueType outlines.** Inter is published as CFF (``.otf``), whose
  charstrings both subsetters must desubroutinize; its TrueType instances are
  cheaper to subset and give subsets about half the size.  They are made
  from Inter's variable font of the same release by fontTools' instancer, so
  the shapes are Inter's own, not converted curves.
- **Only the layout features the theme uses**: those HarfBuzz applies to
  Latin, Greek and Cyrillic text by default, and ``tnum`` for the
  tabular figures the stylesheet asks for.  Stylistic sets, character
  variants, small capitals and the like are dropped with the glyphs that only
  they reach.
- **No hinting and no glyph names**, which a PDF does not use.

Every character of the original fonts is kept.  Run it with the folder of
upstream files, as Debian packages them::

    apt-get download fonts-inter-variable fonts-noto-core fonts-noto-mono
    for deb in *.deb; do dpkg-deb -x "$deb" upstream; done
    python tools/prepare_fonts.py upstream templates/fonts

The result is byte-identical from run to run (no timestamps are recalculated).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

#: Features HarfBuzz applies by default to horizontal Latin, Greek and
#: Cyrillic text, and tabular figures (``font-variant-numeric: tabular-nums``).
FEATURES = [
    "abvm", "blwm", "calt", "ccmp", "clig", "curs", "dist", "kern", "liga",
    "locl", "mark", "mkmk", "rclt", "rlig", "rvrn", "tnum",
]  # fmt: skip

#: Inter's variable font and the weights the theme uses, by file name.
INTER = "Inter-roman.var.ttf"
INTER_WEIGHTS = {"Regular": 400, "Medium": 500, "SemiBold": 600, "Bold": 700}
#: Noto fonts used as they are published, apart from the pruning above.
NOTO = [
    "NotoSerif-Regular.ttf",
    "NotoSerif-Italic.ttf",
    "NotoSerif-Bold.ttf",
    "NotoSerif-BoldItalic.ttf",
    "NotoSansMono-Regular.ttf",
]


def find(upstream: Path, name: str) -> Path:
    """The one file called ``name`` anywhere under ``upstream``."""
    matches = sorted(upstream.rglob(name))
    if not matches:
        raise SystemExit(f"{name} not found under {upstream}")
    return matches[0]


def prune(font: TTFont) -> TTFont:
    """Keep every character, the theme's layout features, no hinting, no glyph names."""
    options = subset.Options()
    options.layout_features = FEATURES
    options.layout_scripts = ["*"]
    options.hinting = False
    options.glyph_names = False
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.drop_tables += ["DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=font.getBestCmap().keys())
    subsetter.subset(font)
    return font


def save(font: TTFont, target: Path) -> None:
    """Write ``font`` without stamping the current time into its ``head`` table."""
    font.recalcTimestamp = False
    font.save(target)
    print(f"wrote {target} ({target.stat().st_size:,} bytes, {len(font.getGlyphOrder())} glyphs)")


def main() -> None:
    """Write the theme's fonts from the upstream files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("upstream", type=Path, help="folder holding the upstream font files")
    parser.add_argument("target", type=Path, help="the theme's fonts folder")
    arguments = parser.parse_args()
    arguments.target.mkdir(parents=True, exist_ok=True)
    inter = find(arguments.upstream, INTER)
    for style, weight in INTER_WEIGHTS.items():
        variable = TTFont(inter, recalcTimestamp=False)
        static = instancer.instantiateVariableFont(
            variable, {"wght": weight}, static=True, updateFontNames=True
        )
        save(prune(static), arguments.target / f"Inter-{style}.ttf")
    for name in NOTO:
        save(
            prune(TTFont(find(arguments.upstream, name), recalcTimestamp=False)),
            arguments.target / name,
        )


if __name__ == "__main__":
    main()
