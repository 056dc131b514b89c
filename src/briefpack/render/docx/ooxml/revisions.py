"""Tracked changes (ECMA-376 17.13.5): insertions, deletions and moves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docx.oxml.ns import qn

from briefpack.render.docx.ooxml.elements import add_paragraph_property, element

#: The revision elements: inserted, deleted, moved away (the old place), moved here.
REVISIONS = tuple(qn(f"w:{kind}") for kind in ("ins", "del", "moveFrom", "moveTo"))


def revision(kind: str, number: int, author: str, date: str) -> Any:
    """An empty ``w:ins``, ``w:del``, ``w:moveFrom`` or ``w:moveTo`` (``kind``) to hold runs."""
    return element(f"w:{kind}", id=str(number), author=author, date=date)


def as_deleted(container: Any) -> Any:
    """Turn the text under ``container`` into deleted text, which Word keeps in ``w:delText``."""
    renamed = {qn("w:t"): qn("w:delText"), qn("w:instrText"): qn("w:delInstrText")}
    for node in container.iter(*renamed):
        node.tag = renamed[node.tag]
    return container


def is_tracked(paragraph: Any) -> bool:
    """Whether ``paragraph`` is already wholly a revision (its paragraph mark is one)."""
    marks = paragraph.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
    return marks is not None and any(child.tag in REVISIONS for child in marks)


def track_paragraph(paragraph: Any, mark: Callable[[], Any], deleting: bool) -> None:
    """Make the whole of ``paragraph`` one revision: its runs, in links too, and its mark.

    ``mark`` makes a revision element; runs already inside one are left as they are.
    """
    properties = paragraph.get_or_add_pPr()
    marks = properties.find(qn("w:rPr"))
    if marks is None:
        marks = element("w:rPr")
        add_paragraph_property(properties, marks)
    # In CT_ParaRPr the revision marks come before any formatting.
    marks.insert(0, mark())
    _wrap_runs(paragraph, mark, deleting)


def _wrap_runs(parent: Any, mark: Callable[[], Any], deleting: bool) -> None:
    group = None
    for child in list(parent):
        if child.tag == qn("w:hyperlink"):
            # A hyperlink holds revisions, never the other way round.
            _wrap_runs(child, mark, deleting)
            group = None
        elif child.tag == qn("w:r"):
            if group is None:
                group = mark()
                child.addprevious(group)
            group.append(child)
            if deleting:
                as_deleted(child)
        else:
            group = None


def track_row(row: Any, mark: Any) -> None:
    """Mark a table row (``w:tr``) inserted or deleted as a whole."""
    row.get_or_add_trPr().append(mark)


def move_range(
    paragraphs: list[Any], kind: str, number: int, name: str, author: str, date: str
) -> None:
    """Enclose ``paragraphs`` in a move's range, named ``name`` in both its halves."""
    start = element(f"w:{kind}RangeStart", id=str(number), name=name, author=author, date=date)
    properties = paragraphs[0].find(qn("w:pPr"))
    if properties is not None:
        properties.addnext(start)
    else:
        paragraphs[0].insert(0, start)
    paragraphs[-1].append(element(f"w:{kind}RangeEnd", id=str(number)))
