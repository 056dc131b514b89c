"""Tracked changes in the Word copy: who made them, when, and each one's number.

A changes copy is written once, from the pack that
:func:`briefpack.model.changes.compare` marked: text that changed is a
``Revision`` there and becomes ``w:ins`` or ``w:del`` here, and an entry
that only one version has (:mod:`~briefpack.model.both_versions`) is
written whole and then marked, paragraph by paragraph, as inserted,
deleted or one half of a move.  Word's *Accept All* then gives the new
version and *Reject All* the earlier one.  The XML is
:mod:`briefpack.render.docx.ooxml`'s.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from docx.oxml.ns import qn

from briefpack.model.both_versions import Side
from briefpack.model.rich_text import RevisionKind
from briefpack.render.docx import ooxml

#: The revision element that marks what only one version has, by that version.
_KINDS: dict[Side, str] = {
    "new": "ins",
    "old": "del",
    "moved_to": "moveTo",
    "moved_from": "moveFrom",
}
#: The revision element of a ``Revision`` node of the model.
_INLINE_KINDS: dict[RevisionKind, str] = {"insert": "ins", "delete": "del"}


class Tracker:
    """Makes the revisions of one document, numbered in order, by ``author`` at ``date``."""

    def __init__(self, author: str, date: str) -> None:
        self.author = author
        self.date = date
        self._numbers = 0

    def _number(self) -> int:
        self._numbers += 1
        return self._numbers

    def inline(self, kind: RevisionKind) -> Any:
        """An empty ``w:ins`` or ``w:del`` for a ``Revision`` node's runs."""
        return ooxml.revision(_INLINE_KINDS[kind], self._number(), self.author, self.date)

    def blocks(self, blocks: Sequence[Any], side: Side, move: str | None = None) -> None:
        """Mark ``blocks`` (paragraphs, tables, content controls) as only ``side`` has them.

        A move's half is also enclosed in a range named ``move``, which links it
        to its other half; without a name it stays a plain insertion or deletion.
        """
        if side == "both":
            return
        if move is None and side in ("moved_to", "moved_from"):
            side = "new" if side == "moved_to" else "old"
        kind = _KINDS[side]
        paragraphs: list[Any] = []
        for block in blocks:
            if block.tag == qn("w:tbl"):
                for row in block.iter(qn("w:tr")):
                    self.row(row, side)
            elif block.tag == qn("w:p"):
                paragraphs.append(block)
            else:
                paragraphs += block.iter(qn("w:p"))
        for paragraph in paragraphs:
            if not ooxml.is_tracked(paragraph):
                ooxml.track_paragraph(paragraph, lambda: self._mark(kind), kind == "del")
        if move is not None and paragraphs:
            ooxml.move_range(paragraphs, kind, self._number(), move, self.author, self.date)

    def row(self, row: Any, side: Side) -> None:
        """Mark a table row, and the paragraphs in its cells, as only ``side`` has it."""
        if side == "both":
            return
        kind = _KINDS["new" if side in ("new", "moved_to") else "old"]
        ooxml.track_row(row, self._mark(kind))
        for paragraph in row.iter(qn("w:p")):
            if not ooxml.is_tracked(paragraph):
                ooxml.track_paragraph(paragraph, lambda: self._mark(kind), kind == "del")

    def _mark(self, kind: str) -> Any:
        return ooxml.revision(kind, self._number(), self.author, self.date)


#: What a paragraph wholly tracked is, by the mark on its paragraph mark: inserted or deleted.
_WHOLE = {qn("w:ins"): "ins", qn("w:moveTo"): "ins", qn("w:del"): "del", qn("w:moveFrom"): "del"}


def untangle_paragraph_ends(body: Any) -> None:
    """End no paragraph with the same kind of revision as the paragraph after it.

    A value that changed is its earlier text deleted, then the new inserted
    (:meth:`briefpack.render.docx.body.Body.text_pair`).  At a paragraph's end,
    before a paragraph wholly inserted, LibreOffice joins the two insertions
    into one and its *Reject All* takes the paragraph break between them too,
    joining the paragraphs around; so there the two change places (the
    insertion first), as they do before a paragraph wholly deleted, for
    *Accept All*.
    """
    paragraphs = list(body.iter(qn("w:p")))
    for paragraph, following in itertools.pairwise(paragraphs):
        marks = following.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
        if marks is None:
            continue
        kinds = [_WHOLE[child.tag] for child in marks if child.tag in _WHOLE]
        if not kinds:
            continue
        last = paragraph[-1] if len(paragraph) else None
        while last is not None and last.tag == qn("w:hyperlink") and len(last):
            last = last[-1]
        if last is None or _WHOLE.get(last.tag) != kinds[0]:
            continue
        before = last.getprevious()
        if before is not None and before.tag in _WHOLE and _WHOLE[before.tag] != kinds[0]:
            before.addprevious(last)
