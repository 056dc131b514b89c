"""The parts that survey the pack: at a glance and the attendees.

A mixin of the Word writer (:class:`briefpack.render.docx.writer._DocxWriter`),
kept apart so that each module stays readable.  In a changes copy each row,
line and entry is written as both versions have it
(:mod:`~briefpack.model.both_versions`): one only one version has is
tracked whole, and words that differ are tracked where they differ.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docx.shared import Mm
from docx.text.paragraph import Paragraph

from briefpack.model.both_versions import Side
from briefpack.model.pack import AttendeeVersions
from briefpack.model.rich_text import Markdown
from briefpack.render.column_widths import glance_widths
from briefpack.render.docx import ooxml
from briefpack.render.docx.contents import Contents
from briefpack.render.docx.front_matter import TABLE_PADDING, fixed_grid, rule_table, table_cell
from briefpack.render.docx.markdown_writer import RichText
from briefpack.render.docx.style_finish import right_aligned
from briefpack.render.docx.style_specs import Look
from briefpack.render.view import AttendeeCard, Glance, PackView
from briefpack.render.view.front import BreakRow
from briefpack.render.view.paired import Pair, PairedDay, PairedSession


class Overview(Contents):
    """At a glance and attendees, from both versions' views of the writer's days."""

    days: tuple[PairedDay, ...]
    rich_text: RichText
    #: The earlier version's view, in a changes copy; else :attr:`view` itself.
    old_view: PackView

    def _at_a_glance(self, glance: Glance) -> None:
        """The table of every session, its columns as wide as their words (as in the PDF)."""
        labels = self.labels
        self.body.paragraph(labels.at_a_glance, "Briefing Part Title")
        # A column for the pre-reads only when the pack has any, as in the PDF.
        # A changes copy's table holds both versions' words: each column fits either's.
        glances = [glance]
        if self.old_view.glance is not None and self.old_view is not self.view:
            glances.insert(0, self.old_view.glance)
        # A column of speakers only when a session has any, as in the PDF.
        speakers = any(g.speakers for g in glances)
        headings = [labels.day, labels.time, labels.session]
        headings += [labels.speakers] if speakers else []
        headings.append(labels.questions)
        if glance.pre_reads:
            headings.append(labels.pre_reads)
        # Pre-reading times last, right-aligned as the counts, where the pack shows them.
        reading = any(g.reading for g in glances)
        if reading:
            headings.append(labels.reading)
        first_count = 4 if speakers else 3
        theme = self.settings.chosen_theme
        measured = glance_widths(glances, labels, theme, self.settings.paper)
        widths = [measured.day, measured.time, measured.session]
        widths += [measured.speakers] if measured.speakers is not None else []
        widths += measured.counts[: 2 if glance.pre_reads else 1]
        widths += [measured.reading] if measured.reading is not None else []
        for name in ("Briefing Table Count", "Briefing Table Count Heading"):
            right_aligned(self.body.style(name))
        table = self.document.add_table(rows=1, cols=len(headings))
        table.style = self.body.style("Briefing Table")
        table.autofit = False
        fixed_grid(table, widths, TABLE_PADDING)
        header = table.rows[0]
        ooxml.repeat_as_header(header)
        look = Look.of(theme)
        rule_table(table, look.hairline, look.text)
        for index, (cell, text) in enumerate(zip(header.cells, headings, strict=True)):
            count = index >= first_count
            style = "Briefing Table Count Heading" if count else "Briefing Table Heading"
            table_cell(cell, widths[index], count)
            self.body.reset(cell.paragraphs[0], text, style)
        for session in (session for day in self.days for session in day.sessions):
            assert session.row is not None
            # The pauses as this version has them: a changes copy does not track them.
            _, shown = session.row(lambda r: r)
            for pause in shown.breaks_before:
                self._glance_break(table, pause, widths, first_count)
            row = table.add_row()
            ooxml.keep_row_together(row)
            texts = [
                session.row(lambda r: list(r.day)),
                session.row(lambda r: list(r.times)),
                ([], []),
                *([session.row(lambda r: list(r.speakers))] if speakers else []),
                session.row(lambda r: [str(r.questions)]),
            ]
            if glance.pre_reads:
                texts.append(session.row(lambda r: [str(r.pre_reads)] if r.pre_reads else []))
            if reading:
                texts.append(session.row(lambda r: [r.reading] if r.reading else []))
            for index, (cell, (old, new)) in enumerate(zip(row.cells, texts, strict=True)):
                count = index >= first_count
                table_cell(cell, widths[index], count)
                style = "Briefing Table Count" if count else "Briefing Table Text"
                paragraph = self.body.reset(cell.paragraphs[0], "", style)
                # The day in bold, as the PDF sets it (semibold); times and speakers muted.
                run = _GLANCE_RUNS[index] if index < first_count else None
                self.body.lines_pair(paragraph, old, new, run)
            self._glance_session(row.cells[2].paragraphs[0], session)
            self.body.track_row(row._tr, session.entry.side)
            for pause in shown.breaks_after:
                self._glance_break(table, pause, widths, first_count)

    def _glance_break(
        self, table: Any, pause: BreakRow, widths: Sequence[float], first_count: int
    ) -> None:
        """A pause between two sessions: its times and its name, muted, the other cells empty."""
        row = table.add_row()
        ooxml.keep_row_together(row)
        for index, cell in enumerate(row.cells):
            count = index >= first_count
            table_cell(cell, widths[index], count)
            style = "Briefing Table Count" if count else "Briefing Table Text"
            paragraph = self.body.reset(cell.paragraphs[0], "", style)
            if index == 1:
                self.body.lines_pair(
                    paragraph, list(pause.times), list(pause.times), "Briefing Table Muted"
                )
            elif index == 2:
                self.body.run(paragraph, pause.title, "Briefing Table Muted")

    def _glance_session(self, paragraph: Paragraph, session: PairedSession) -> None:
        """A session's cell: its label, small, over its title in bold, which links to it."""
        assert session.row is not None
        label = session.row(lambda r: r.label or "")
        if any(label):
            self.body.text_pair(paragraph._p, *label, self.body.style_id("Briefing Glance Label"))
            paragraph._p.append(ooxml.line_break())
        link = ooxml.internal_link(session.view.shown.bookmark)
        title = session.row(lambda r: r.title)
        self.body.text_pair(link, *title, self.body.style_id("Briefing Glance Title"))
        paragraph._p.append(link)
        purpose = session.row(lambda r: r.purpose_text or "")
        if any(purpose):
            paragraph._p.append(ooxml.line_break())
            self.body.text_pair(paragraph._p, *purpose, self.body.style_id("Briefing Glance Label"))

    def _attendees(self) -> None:
        """A grid of two columns: each attendee's photo, name, role, biography and sessions.

        In a changes copy, an attendee only one version has is tracked whole (one
        who replaced another shares their cell, so that the grid keeps its shape
        in either version), and one both have shows what changed where it changed.
        """
        cells = _attendee_cells(
            self.old_view.attendees, self.view.attendees, self.pack.attendee_versions
        )
        if not cells:
            return
        self.body.paragraph(self.labels.attendees, "Briefing Part Title")
        columns = 2
        rows = -(-len(cells) // columns)
        table = self.document.add_table(rows=rows, cols=columns)
        table.autofit = False
        for index, cards in enumerate(cells):
            with self.body.inside(table.cell(index // columns, index % columns)):
                for side, card, bio in cards:
                    with self.body.tracked(side):
                        self._attendee(card, bio)

    def _attendee(self, card: Pair[AttendeeCard], bio: Markdown | None) -> None:
        """An attendee's cell; ``bio`` is the biography, its changes marked by the model."""
        shown = card.shown
        if shown.photo is not None and shown.photo.path.suffix.lower() != ".svg":
            picture = self.body.paragraph("", "Briefing Logo")
            shape = picture.add_run().add_picture(str(shown.photo.path), width=Mm(20))
            ooxml.describe_picture(shape, shown.name)
        self.body.paragraph(shown.name, "Briefing Attendee Name")
        self.body.paragraph_pair(*card(lambda c: c.role_line or ""), "Briefing Session Meta")
        if bio is not None:
            self.rich_text.markdown(bio, "Briefing Attendee Text")
        sessions = card(lambda c: " · ".join(c.sessions))
        self.body.paragraph_pair(*sessions, "Briefing Attendee Sessions")


#: The character style of a glance cell's lines, by column: the day bold, the times and
#: the speakers muted (the session's cell is written apart, the counts as they are).
_GLANCE_RUNS: dict[int, str | None] = {
    0: "Strong",
    1: "Briefing Table Muted",
    2: None,
    3: "Briefing Table Muted",
}
#: One attendee in a cell of the grid: which versions show them, their card in
#: each, and their biography (its changes marked).
_Card = tuple[Side, Pair[AttendeeCard], Markdown | None]


def _attendee_cells(
    old: Sequence[AttendeeCard], new: Sequence[AttendeeCard], versions: Sequence[AttendeeVersions]
) -> list[list[_Card]]:
    """The grid's cells, in the model's one order of both versions' attendees.

    Outside a changes copy (no ``versions``) each card has a cell.  One who came
    or went shares a cell with whom they replaced, the earlier first.
    """
    if not versions:
        return [[("both", Pair(card, card), card.bio)] for card in new]
    old_cards, new_cards = {c.name: c for c in old}, {c.name: c for c in new}
    cells: list[list[_Card]] = []
    gone: list[_Card] = []
    came: list[_Card] = []

    def flush() -> None:
        for index in range(max(len(gone), len(came))):
            cells.append([*gone[index : index + 1], *came[index : index + 1]])
        gone.clear()
        came.clear()

    for version in versions:
        before = old_cards.get(version.old.name) if version.old is not None else None
        after = new_cards.get(version.new.name) if version.new is not None else None
        if before is not None and after is not None:
            flush()
            cells.append([("both", Pair(before, after), version.bio)])
        elif before is not None:
            gone.append(("old", Pair(before, None), before.bio))
        elif after is not None:
            came.append(("new", Pair(None, after), after.bio))
    flush()
    return cells
