"""The pages before the pack's parts: a changes copy's list of changes, a debrief's summary.

A mixin of the Word writer (:class:`briefpack.render.docx.writer._DocxWriter`),
kept apart so that each module stays readable; it uses the writer's body
and view, declared here.  What the pages say, and the bookmarks their
entries point at, are the view's (:mod:`briefpack.render.view`): this only
lays them out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from docx.document import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from briefpack.model import Pack
from briefpack.render.column_widths import GAP_MM, changes_widths, text_width_mm
from briefpack.render.docx import ooxml
from briefpack.render.docx.body import Body
from briefpack.render.docx.style_finish import right_aligned
from briefpack.render.docx.style_specs import Look
from briefpack.render.settings import RenderSettings
from briefpack.render.view import ChangesPage, Debrief, GivenAnswer, Labels, PackView

#: What follows a leader's tab, so that every layout engine draws the leader.
ZERO_WIDTH_SPACE = "\u200b"


#: A data table's cells, padded as the PDF's (pack.css, ``.glance-table td``): on their right
#: only, so that the text lines up with the margin, and 2.4 mm above and below.
TABLE_PADDING = {"top": 2.4, "left": 0.0, "bottom": 2.4, "right": GAP_MM}
#: The debrief's count columns, and the share of its follow-ups' width their questions take.
DEBRIEF_COUNT_MM = 28.0
FOLLOW_UP_QUESTION_SHARE = 0.35


def fixed_grid(table: Table, widths: Sequence[float], margins: Mapping[str, float]) -> None:
    """Give ``table`` the columns ``widths`` (millimetres), the text width in all, and cells
    padded ``margins`` (by side, millimetres; a side not given keeps the table style's)."""
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
    properties = table._tbl.tblPr
    total = properties.find(qn("w:tblW"))
    if total is not None:
        total.set(qn("w:w"), twips(sum(widths)))
        total.set(qn("w:type"), "dxa")
    cell_margins = ooxml.element("w:tblCellMar")
    # In the schema's order of sides.
    for side in (side for side in ("top", "left", "bottom", "right") if side in margins):
        cell_margins.append(ooxml.element(f"w:{side}", w=twips(margins[side]), type="dxa"))
    ooxml.insert_before(properties, cell_margins, ("w:tblLook", "w:tblCaption", "w:tblDescription"))


def table_cell(cell: _Cell, width: float, count: bool) -> None:
    """A cell ``width`` millimetres wide; a count's (right-aligned by its style) has the gap
    between columns on its left, where a text's has it on its right."""
    cell.width = Mm(width)
    if not count:
        return
    margins = ooxml.element("w:tcMar")
    margins.append(ooxml.element("w:left", w=twips(GAP_MM), type="dxa"))
    margins.append(ooxml.element("w:right", w="0", type="dxa"))
    following = ("w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")
    ooxml.insert_before(cell._tc.get_or_add_tcPr(), margins, following)


def rule_table(table: Table, rule: str, ink: str) -> None:
    """Rule ``table`` as the PDF's (pack.css, ``.glance-table``): a 1 pt line in ``ink``
    under its header row, hairlines in ``rule`` under every other row, none above."""
    borders = ooxml.element("w:tblBorders")
    borders.append(ooxml.element("w:top", val="nil"))
    for side in ("bottom", "insideH"):
        borders.append(ooxml.element(f"w:{side}", val="single", sz="4", space="0", color=rule))
    following = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption")
    ooxml.insert_before(table._tbl.tblPr, borders, (*following, "w:tblDescription"))
    for cell in table.rows[0].cells:
        under = ooxml.element("w:tcBorders")
        under.append(ooxml.element("w:bottom", val="single", sz="8", space="0", color=ink))
        cell_following = ("w:shd", "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText")
        ooxml.insert_before(
            cell._tc.get_or_add_tcPr(), under, (*cell_following, "w:vAlign", "w:hideMark")
        )


def twips(mm: float) -> str:
    """A length in millimetres as Word's twentieths of a point."""
    return str(round(mm * 72 / 25.4 * 20))


class FrontMatter:
    """The changes page and the debrief's first page, and what the writer's parts share."""

    document: Document
    pack: Pack
    settings: RenderSettings
    body: Body
    #: What the document contains, as the new version has it (:mod:`briefpack.render.view`).
    view: PackView

    @property
    def labels(self) -> Labels:
        """The fixed words of the pages, in the reader's language."""
        return self.view.labels

    def _changes_page(self, page: ChangesPage) -> None:
        """The page after the cover: what changed since the earlier version, as the PDF's table.

        A row per entry: what changed, the entry (linked, its details under it)
        with a dotted leader, and its page, right-aligned.  Shown as it is, never
        as a tracked change: both versions' readers need it.
        """
        labels = self.labels
        self.body.paragraph(page.title, "Briefing Part Title")
        if not page.entries:
            self.body.paragraph(labels.no_changes, "Briefing Speakers")
            return
        right_aligned(self.body.style("Briefing Change Page"))
        right_aligned(self.body.style("Briefing Table Count Heading"))
        widths = changes_widths(self.settings.chosen_theme, self.settings.paper)
        table = self.document.add_table(rows=1, cols=3)
        table.autofit = False
        fixed_grid(table, widths, {"left": 0, "right": 0})
        headings = (labels.change, labels.section, labels.page)
        styles = ("Briefing Table Heading",) * 2 + ("Briefing Table Count Heading",)
        for cell, text, style in zip(table.rows[0].cells, headings, styles, strict=True):
            self.body.reset(cell.paragraphs[0], text, style)
        ooxml.repeat_as_header(table.rows[0])
        for entry in page.entries:
            row = table.add_row()
            ooxml.keep_row_together(row)
            kind, section, number = row.cells
            self.body.reset(kind.paragraphs[0], entry.label, "Briefing Change Kind")
            title = self.body.reset(section.paragraphs[0], "", "Briefing Change Entry")
            heading = ooxml.text_run(entry.heading)
            if entry.bookmark is None:
                title._p.append(heading)
            else:
                title._p.append(ooxml.internal_link(entry.bookmark, heading))
                # The page, as Word computes it when it updates the fields.
                page_number = self.body.reset(number.paragraphs[0], "", "Briefing Change Page")
                ooxml.add_field(page_number, f"PAGEREF {entry.bookmark} \\h", "")
            # The dotted leader, to the title column's end, as the PDF's; LibreOffice draws
            # none for a tab that ends its paragraph, hence the zero-width space after it.
            ooxml.add_tab(title)
            title._p.append(ooxml.text_run(ZERO_WIDTH_SPACE))
            # What changed besides the text, worded as on the PDF's changes page.
            for line in entry.details:
                self.body.reset(section.add_paragraph(), line, "Briefing Change Detail")

    def _debrief_page(self, debrief: Debrief) -> None:
        """A debrief's first page: per session, what was answered; then every follow-up.

        Its tables' columns are the PDF's (pack.css, ``.debrief-table``,
        ``.follow-up-table``): the counts 28 mm each, right-aligned, the session the rest;
        a follow-up's question 35 % of the width.
        """
        labels = self.labels
        self.body.paragraph(labels.debrief, "Briefing Front Title")
        for name in ("Briefing Table Count", "Briefing Table Count Heading"):
            right_aligned(self.body.style(name))
        text = text_width_mm(self.settings.chosen_theme, self.settings.paper)
        widths = (round(text - 3 * DEBRIEF_COUNT_MM, 2), *(DEBRIEF_COUNT_MM,) * 3)
        table = self.document.add_table(rows=1, cols=4)
        table.style = self.body.style("Briefing Table")
        table.autofit = False
        fixed_grid(table, widths, TABLE_PADDING)
        look = Look.of(self.settings.chosen_theme)
        headings = (labels.session, labels.answered, labels.unanswered, labels.follow_ups)
        for index, (cell, text_) in enumerate(zip(table.rows[0].cells, headings, strict=True)):
            style = "Briefing Table Count Heading" if index else "Briefing Table Heading"
            table_cell(cell, widths[index], count=index > 0)
            self.body.reset(cell.paragraphs[0], text_, style)
        ooxml.repeat_as_header(table.rows[0])
        rule_table(table, look.hairline, look.text)
        for tally in debrief.tallies:
            cells = table.add_row().cells
            counts = (tally.answered, tally.unanswered, tally.follow_ups)
            texts = (tally.heading, *(str(count) for count in counts))
            for index, (cell, value) in enumerate(zip(cells, texts, strict=True)):
                table_cell(cell, widths[index], count=index > 0)
                style = "Briefing Table Count" if index else "Briefing Table Text"
                self.body.reset(cell.paragraphs[0], value, style)
        self.body.paragraph(labels.follow_ups, "Briefing Debrief Heading")
        if not debrief.follow_ups:
            self.body.paragraph(labels.no_follow_ups, "Briefing Speakers")
            return
        listing = self.document.add_table(rows=1, cols=2)
        listing.style = self.body.style("Briefing Table")
        listing.autofit = False
        question = round(text * FOLLOW_UP_QUESTION_SHARE, 2)
        fixed_grid(listing, (question, round(text - question, 2)), TABLE_PADDING)
        for cell, text_ in zip(
            listing.rows[0].cells, (labels.question, labels.follow_up), strict=True
        ):
            self.body.reset(cell.paragraphs[0], text_, "Briefing Table Heading")
        ooxml.repeat_as_header(listing.rows[0])
        rule_table(listing, look.hairline, look.text)
        for follow_up in debrief.follow_ups:
            cells = listing.add_row().cells
            self.body.reset(cells[0].paragraphs[0], follow_up.question, "Briefing Table Text")
            self._lines(cells[1].paragraphs[0], follow_up.text, "Briefing Table Text")

    def _debrief_answer(self, given: GivenAnswer) -> None:
        """Under a question in a debrief: its answer and follow-ups, or that it went unanswered."""
        labels = self.labels
        self.body.paragraph(labels.answer, "Briefing Answer Label")
        if given.answer is None:
            self.body.paragraph(labels.not_answered, "Briefing Label")
        else:
            self._lines(self.body.paragraph("", "Briefing Answer"), given.answer, None)
        if given.follow_up is not None:
            self.body.paragraph(labels.follow_up, "Briefing Answer Label")
            self._lines(self.body.paragraph("", "Briefing Answer"), given.follow_up, None)

    def _lines(self, paragraph: Paragraph, text: str, style: str | None) -> None:
        """``text`` in ``paragraph``, its line breaks kept as breaks."""
        if style is not None:
            self.body.reset(paragraph, "", style)
        for number, line in enumerate(text.split("\n")):
            if number:
                paragraph.add_run().add_break()
            self.body.run(paragraph, line)
