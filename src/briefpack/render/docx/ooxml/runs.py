"""Runs split by font: a run whose text needs two fonts becomes one run per font.

Word picks a run's font from its ``w:rFonts`` (ECMA-376 Part 1, 17.3.2.26), not
character by character as a browser falls back through a font stack; so text
that the style's font lacks (an emoji) needs runs of its own that name the
font that has it.
"""

from __future__ import annotations

import copy
from typing import Any

from docx.oxml.ns import qn

from briefpack.render.docx.ooxml.elements import element

_TEXT_TAGS = (qn("w:t"), qn("w:delText"))


def run_text(run: Any) -> tuple[Any, str] | None:
    """The one text node of ``run`` and its text, if the run holds text and nothing else."""
    children = [child for child in run if child.tag != qn("w:rPr")]
    if len(children) != 1 or children[0].tag not in _TEXT_TAGS:
        return None
    return children[0], children[0].text or ""


def split_run(run: Any, pieces: list[tuple[str, bool]], font: str) -> None:
    """Replace ``run`` by one run per piece of its text; a piece marked ``True`` names ``font``.

    Each new run keeps the run's formatting (its style, bold, revision's
    ``w:delText``); only the font of the marked pieces changes, for every script.
    """
    node, _ = run_text(run) or (None, "")
    assert node is not None, "split_run needs a run of text"
    for text, marked in pieces:
        piece = copy.deepcopy(run)
        piece_node = next(child for child in piece if child.tag == node.tag)
        piece_node.text = text
        if text != text.strip():
            piece_node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        if marked:
            _name_font(piece, font)
        run.addprevious(piece)
    run.getparent().remove(run)


def _name_font(run: Any, font: str) -> None:
    properties = run.find(qn("w:rPr"))
    if properties is None:
        properties = element("w:rPr")
        run.insert(0, properties)
    for existing in properties.findall(qn("w:rFonts")):
        properties.remove(existing)
    fonts = element("w:rFonts", ascii=font, hAnsi=font, cs=font, eastAsia=font)
    style = properties.find(qn("w:rStyle"))
    # In CT_RPr the font comes right after the character style, before all else.
    if style is not None:
        style.addnext(fonts)
    else:
        properties.insert(0, fonts)
