"""Tables: repeated header rows, rows kept whole, and the table's title and description.

Word's Accessibility Checker asks every table either for a header row
(``w:tblHeader`` on its first row) or to be in Table Normal, Word's default
table style, by which it knows a layout table; a data table may also carry a
title and description (Table Properties > Alt Text), which screen readers
announce on entering it.
"""

from __future__ import annotations

from docx.oxml.ns import qn
from docx.table import Table, _Row

from briefpack.render.docx.ooxml.elements import element, insert_before


def repeat_as_header(row: _Row) -> None:
    """Repeat ``row`` at the top of every page the table runs onto, and never split it.

    A screen reader announces the cells of such a row as the column headers of
    every cell below them.
    """
    properties = row._tr.get_or_add_trPr()
    for name in ("w:cantSplit", "w:tblHeader"):
        if properties.find(qn(name)) is None:
            properties.append(element(name))


def keep_row_together(row: _Row) -> None:
    """Never split ``row`` across pages."""
    properties = row._tr.get_or_add_trPr()
    if properties.find(qn("w:cantSplit")) is None:
        properties.append(element("w:cantSplit"))


def describe_table(table: Table, title: str, description: str = "") -> None:
    """Give ``table`` a title (``w:tblCaption``) and a description (``w:tblDescription``).

    Word shows them as the table's alt text; a screen reader speaks the title
    as it enters the table, so the title names what the table lists.
    """
    properties = table._tbl.tblPr
    for name, text in (("w:tblCaption", title), ("w:tblDescription", description)):
        found = properties.find(qn(name))
        if not text:
            if found is not None:
                properties.remove(found)
            continue
        if found is None:
            found = element(name)
            # CT_TblPr: ... w:tblLook, w:tblCaption, w:tblDescription, w:tblPrChange.
            following = ("w:tblDescription", "w:tblPrChange") if name == "w:tblCaption" else ()
            insert_before(properties, found, (*following, "w:tblPrChange"))
        found.set(qn("w:val"), text)
