"""The Word minutes: the secretary's draft of the meeting's record, to edit and circulate.

What the minutes say is the view's (:mod:`briefpack.render.view.minutes`),
the same the PDF's minutes print; this lays it out in the theme's Word
styles, set up as the pack's own copy sets them up
(:func:`~briefpack.render.docx.styles.apply_styles`, the same page, fonts,
properties and language), so that the minutes look like the pack they
follow.  Everything is plain paragraphs and tables: a secretary edits the
words, adds what was said that no one typed into a copy, and sends it on.

Headings keep Word's order for assistive technology and the navigation
pane: the title (level 1), then each list of names and each item (level 2),
and under an item its discussion, decisions and actions (level 3).
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document

from briefpack.model import Pack
from briefpack.render.column_widths import text_width_mm
from briefpack.render.docx import package
from briefpack.render.docx.body import Body
from briefpack.render.docx.matters_arising import data_table
from briefpack.render.docx.writer import finished_document
from briefpack.render.rendered import Rendered
from briefpack.render.settings import RenderSettings
from briefpack.render.view.minutes import MinutedItem, Minutes, minutes

#: The share of the text's width each column of the actions' and decisions' tables takes.
_ACTION_SHARES = (0.12, 0.52, 0.18, 0.18)
_DECISION_SHARES = (0.12, 0.88)


def render_minutes_docx(pack: Pack, settings: RenderSettings) -> Rendered:
    """The minutes of ``pack``'s meeting as a .docx file, from its answers and register.

    ``settings.answers`` are the answers harvested for the pack (the
    discussion); ``settings.reference_docx``, a company template, restyles
    them as it does the pack's copy.
    """
    view = minutes(pack, settings.answers)
    document = package.styled_document(settings)
    _MinutesWriter(document, settings).write(view)
    package.set_properties(document, pack, settings, view.title, view.keywords, view.language)
    return finished_document(document, settings, view.language)


class _MinutesWriter:
    """Writes the minutes' parts, in order, into the document's body."""

    def __init__(self, document: Document, settings: RenderSettings) -> None:
        self.document = document
        self.settings = settings
        self.body = Body(document)
        self.width = text_width_mm(settings.chosen_theme, settings.paper)

    def write(self, view: Minutes) -> None:
        """The title and the meeting's details, who came, then each item."""
        body = self.body
        body.paragraph(view.title, "Title")
        body.paragraph(view.dates, "Briefing Cover Detail")
        if view.location:
            body.paragraph(view.location, "Briefing Cover Note")
        self._names(view.present_heading, view.present, view.none_recorded)
        self._names(view.apologies_heading, view.apologies, view.none_recorded)
        if view.unmarked:
            self._names(view.unmarked_heading, view.unmarked, view.none_recorded)
        for item in view.items:
            self._item(view, item)

    def _names(self, heading: str, names: Sequence[str], none: str) -> None:
        """A heading and the names under it, one a line; ``none`` if there are none."""
        self.body.paragraph(heading, "Heading 2")
        for name in names or (none,):
            self.body.paragraph(name, "Normal")

    def _item(self, view: Minutes, item: MinutedItem) -> None:
        """An item: its heading and line, the discussion, the decisions, the actions."""
        body = self.body
        body.paragraph(item.heading, "Heading 2")
        body.paragraph(item.meta, "Briefing Session Meta")
        body.paragraph(view.discussion_heading, "Heading 3")
        if not item.discussion:
            body.paragraph(view.no_discussion, "Normal")
        for said in item.discussion:
            title = body.paragraph("", "Normal")
            body.run(title, said.title, "Strong")
            if said.answer:
                self._lines(said.answer)
            if said.follow_up:
                label = body.paragraph("", "Normal")
                body.run(label, view.follow_ups_label, "Strong")
                self._lines(said.follow_up)
        body.paragraph(view.decisions_heading, "Heading 3")
        if item.decisions:
            rows = [[decision.id, decision.text] for decision in item.decisions]
            self._table(view.decision_columns, rows, _DECISION_SHARES)
        else:
            body.paragraph(view.no_decisions, "Normal")
        body.paragraph(view.actions_heading, "Heading 3")
        if item.actions:
            rows = [[action.id, action.text, action.owner, action.due] for action in item.actions]
            self._table(view.action_columns, rows, _ACTION_SHARES)
        else:
            body.paragraph(view.no_actions, "Normal")

    def _lines(self, text: str) -> None:
        """A text as typed into a copy: a paragraph for each of its lines that has words."""
        for line in text.splitlines():
            if line.strip():
                self.body.paragraph(line, "Normal")

    def _table(
        self, headings: Sequence[str], rows: Sequence[Sequence[str]], shares: Sequence[float]
    ) -> None:
        """A table of ``rows`` under a header row, ruled and padded as the pack's tables."""
        widths = [self.width * share for share in shares]
        data_table(self.document, self.body, self.settings, headings, rows, widths)
        # A paragraph after the table: Word joins two tables that touch, and an
        # edit typed after the last table needs somewhere to go.
        self.body.paragraph("", "Normal")
