"""Emoji in the Word copy: set in the theme's emoji font, as the PDF sets them.

The PDF's every font stack falls back to Noto Emoji (see
:func:`briefpack.render.theme_css.emoji_font`); Word does not fall back
through a stack, and where the reader's fonts lack a glyph LibreOffice draws
a blank.  So every run of emoji becomes a run of its own that names the
emoji font, which :mod:`~briefpack.render.docx.embedded_fonts` then embeds.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from docx.document import Document
from docx.opc.part import XmlPart
from docx.oxml.ns import qn

from briefpack.render.docx.ooxml.runs import run_text, split_run

#: Where emoji live: the pictographic blocks, dingbats and miscellaneous symbols.
_EMOJI_BLOCKS = ((0x1F000, 0x1FAFF), (0x2600, 0x27BF), (0x2B00, 0x2BFF))
#: Any character of those blocks: a text without one has no emoji, found without a
#: loop over its characters (a 1,400-question copy has a million).
_IN_BLOCKS = re.compile(
    "[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in _EMOJI_BLOCKS) + "]"
)
#: What joins or varies an emoji, kept in its run: ZWJ, variation selectors, keycap.
_JOINERS = frozenset("\u200d\ufe0e\ufe0f\u20e3")
_RUN = qn("w:r")
_TEXT_TAGS = (qn("w:t"), qn("w:delText"))


@cache
def _covered(font: Path) -> frozenset[str]:
    import io

    from fontTools.ttLib import TTFont

    # Read first: a file TTFont opens itself would stay open.
    return frozenset(chr(code) for code in TTFont(io.BytesIO(font.read_bytes())).getBestCmap())


def is_emoji(character: str, font: Path) -> bool:
    """Whether ``character`` is an emoji that ``font`` (the emoji font) draws."""
    return _IN_BLOCKS.match(character) is not None and character in _covered(font)


def emoji_pieces(text: str, font: Path) -> list[tuple[str, bool]]:
    """``text`` cut where emoji start and end: each piece, and whether it is emoji."""
    pieces: list[tuple[str, bool]] = []
    for character in text:
        emoji = is_emoji(character, font) or (
            character in _JOINERS and bool(pieces) and pieces[-1][1]
        )
        if pieces and pieces[-1][1] == emoji:
            pieces[-1] = (pieces[-1][0] + character, emoji)
        else:
            pieces.append((character, emoji))
    return pieces


def set_emoji_font(document: Document, font: Path, family: str) -> bool:
    """Give every run of emoji in ``document`` the font ``family``; whether there were any."""
    found = False
    for part in document.part.package.iter_parts():
        if not isinstance(part, XmlPart):
            continue
        # Only runs whose text has a character of the emoji blocks can need a split.
        candidates = [
            node.getparent()
            for node in part.element.iter(*_TEXT_TAGS)
            if node.text and _IN_BLOCKS.search(node.text) and node.getparent().tag == _RUN
        ]
        for run in candidates:
            text = run_text(run)
            if text is None or not any(is_emoji(c, font) for c in text[1]):
                continue
            split_run(run, emoji_pieces(text[1], font), family)
            found = True
    return found
