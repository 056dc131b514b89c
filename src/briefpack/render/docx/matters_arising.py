"""The Word copy's Matters arising: the register's open actions and last decisions.

Tables ruled and padded as the at-a-glance table is (and as the PDF's
section), so the two formats show one page: the overdue state is a word in
its own column, in bold, never colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docx.document import Document

from briefpack.render.column_widths import text_width_mm
from briefpack.render.docx import ooxml
from briefpack.render.docx.body import Body
from briefpack.render.docx.front_matter import TABLE_PADDING, fixed_grid, rule_table, table_cell
from briefpack.render.docx.style_specs import Look
from briefpack.render.settings import RenderSettings
from briefpack.render.view.matters import MattersArising

#: The share of the text's width each column of the actions' table takes.
_ACTION_SHARES = (0.11, 0.45, 0.17, 0.15, 0.12)
_DECISION_SHARES = (0.11, 0.59, 0.30)


def write_matters(
    document: Document, body: Body, matters: MattersArising, settings: RenderSettings
) -> None:
    """The section: its title and summary, the open actions, the last meeting's decisions."""
    body.paragraph(matters.title, "Briefing Part Title")
    body.paragraph(matters.summary, "Briefing Cover Note")
    body.paragraph(matters.actions_heading, "Heading 3")
    width = text_width_mm(settings.chosen_theme, settings.paper)
    if matters.actions:
        rows = [
            [row.id, row.text + (f"\n{row.raised}" if row.raised else ""), row.owner, row.due,
             row.status]
            for row in matters.actions
        ]  # fmt: skip
        bold = [row.overdue for row in matters.actions]
        widths = [width * share for share in _ACTION_SHARES]
        data_table(document, body, settings, matters.action_columns, rows, widths, bold, True)
    else:
        body.paragraph(matters.no_actions, "Normal")
    if matters.decisions_heading:
        body.paragraph(matters.decisions_heading, "Heading 3")
        rows = [[row.id, row.text, row.item] for row in matters.decisions]
        widths = [width * share for share in _DECISION_SHARES]
        data_table(document, body, settings, matters.decision_columns, rows, widths)


def data_table(
    document: Document,
    body: Body,
    settings: RenderSettings,
    headings: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    strong_status: Sequence[bool] = (),
    notes: bool = False,
) -> None:
    """A table of ``rows`` under ``headings``, ``widths`` millimetres, ruled as at a glance.

    A row's last cell is in bold where ``strong_status`` says; with ``notes``, a cell's
    lines after its first are muted (an action's "Raised …" under it).  The minutes'
    tables are these too.
    """
    table: Any = document.add_table(rows=1, cols=len(headings))
    table.style = body.style("Briefing Table")
    table.autofit = False
    fixed_grid(table, widths, TABLE_PADDING)
    header = table.rows[0]
    ooxml.repeat_as_header(header)
    look = Look.of(settings.chosen_theme)
    rule_table(table, look.hairline, look.text)
    for cell, text, column in zip(header.cells, headings, widths, strict=True):
        table_cell(cell, column, False)
        body.reset(cell.paragraphs[0], text, "Briefing Table Heading")
    for number, texts in enumerate(rows):
        row = table.add_row()
        ooxml.keep_row_together(row)
        for index, (cell, text, column) in enumerate(zip(row.cells, texts, widths, strict=True)):
            table_cell(cell, column, False)
            paragraph = body.reset(cell.paragraphs[0], "", "Briefing Table Text")
            strong = (
                index == len(texts) - 1 and number < len(strong_status) and strong_status[number]
            )
            lines = text.split("\n")
            for line_number, line in enumerate(lines):
                if line_number:
                    paragraph._p.append(ooxml.line_break())
                muted = notes and line_number > 0
                style = "Strong" if strong else ("Briefing Table Muted" if muted else None)
                body.run(paragraph, line, style)
