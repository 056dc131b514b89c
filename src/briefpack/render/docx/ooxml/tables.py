"""Table row properties: repeated header rows, rows kept whole."""

from __future__ import annotations

from docx.table import _Row

from briefpack.render.docx.ooxml.elements import element


def repeat_as_header(row: _Row) -> None:
    """Repeat ``row`` at the top of every page the table runs onto, and never split it."""
    properties = row._tr.get_or_add_trPr()
    properties.append(element("w:cantSplit"))
    properties.append(element("w:tblHeader"))


def keep_row_together(row: _Row) -> None:
    """Never split ``row`` across pages."""
    row._tr.get_or_add_trPr().append(element("w:cantSplit"))
