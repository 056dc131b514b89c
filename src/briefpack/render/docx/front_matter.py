"""The pages before the pack's parts: a changes copy's list of changes, a debrief's summary.

A mixin of the Word writer (:class:`briefpack.render.docx.writer._DocxWriter`),
kept apart so that each module stays readable; it uses the writer's body
and view, declared here.  What the pages say, and the bookmarks their
entries point at, are the view's (:mod:`briefpack.render.view`): this only
lays them out.
"""

from __future__ import annotations

from docx.document import Document
from docx.text.paragraph import Paragraph

from briefpack.model import Pack
from briefpack.render.docx import ooxml
from briefpack.render.docx.body import Body
from briefpack.render.settings import RenderSettings
from briefpack.render.view import ChangesPage, Debrief, GivenAnswer, Labels, PackView


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
        """The page after the cover: what changed since the earlier version, one line each.

        Shown as it is, never as a tracked change: both versions' readers need it.
        """
        self.body.paragraph(page.title, "Briefing Part Title")
        if not page.entries:
            self.body.paragraph(self.labels.no_changes, "Briefing Speakers")
        for entry in page.entries:
            paragraph = self.body.paragraph(f"{entry.label}: {entry.title}", "Briefing Speakers")
            target = entry.bookmark
            if target is not None:
                # The page, as Word computes it when it updates the fields on opening.
                ooxml.add_tab(paragraph)
                ooxml.add_field(paragraph, f"PAGEREF {target} \\h", "")
            # What changed besides the text, worded as on the PDF's changes page.
            for line in entry.details:
                self.body.paragraph(line, "Briefing Session Meta")

    def _debrief_page(self, debrief: Debrief) -> None:
        """A debrief's first page: per session, what was answered; then every follow-up."""
        labels = self.labels
        self.body.paragraph(labels.debrief, "Briefing Front Title")
        table = self.document.add_table(rows=1, cols=4)
        table.style = self.document.styles["Briefing Table"]
        headings = (labels.session, labels.answered, labels.unanswered, labels.follow_ups)
        for cell, text in zip(table.rows[0].cells, headings, strict=True):
            self.body.reset(cell.paragraphs[0], text, "Briefing Table Heading")
        ooxml.repeat_as_header(table.rows[0])
        for tally in debrief.tallies:
            cells = table.add_row().cells
            texts = (
                tally.heading,
                str(tally.answered),
                str(tally.unanswered),
                str(tally.follow_ups),
            )
            for cell, text in zip(cells, texts, strict=True):
                self.body.reset(cell.paragraphs[0], text, "Briefing Table Text")
        self.body.paragraph(labels.follow_ups, "Briefing Debrief Heading")
        if not debrief.follow_ups:
            self.body.paragraph(labels.no_follow_ups, "Briefing Speakers")
            return
        listing = self.document.add_table(rows=1, cols=2)
        listing.style = self.document.styles["Briefing Table"]
        for cell, text in zip(
            listing.rows[0].cells, (labels.question, labels.follow_up), strict=True
        ):
            self.body.reset(cell.paragraphs[0], text, "Briefing Table Heading")
        ooxml.repeat_as_header(listing.rows[0])
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
