"""The parts that survey the pack: at a glance, the attendees and the contents.

A mixin of the Word writer (:class:`briefpack.render.docx.writer._DocxWriter`),
kept apart so that each module stays readable.  In a changes copy each row,
line and entry is written as both versions have it
(:mod:`~briefpack.render.docx.versions`): one only one version has is
tracked whole, and words that differ are tracked where they differ.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from docx.oxml.ns import qn
from docx.shared import Mm

from briefpack.model import Attendee, Session
from briefpack.render import wording as display
from briefpack.render.docx import ooxml, package
from briefpack.render.docx.front_matter import FrontMatter
from briefpack.render.docx.rich_text import RichText
from briefpack.render.docx.versions import (
    NEW_SIDES,
    OLD_SIDES,
    DayEntry,
    SessionEntry,
    Side,
    iter_sessions,
    marked_speakers,
    old_label,
    old_question_title,
    old_times,
    old_title,
    sided,
)
from briefpack.render.theme_css import GLANCE_COLUMNS


class Overview(FrontMatter):
    """At a glance, attendees and contents; uses the writer's days in both versions."""

    days: tuple[DayEntry, ...]
    rich_text: RichText

    def _day_anchors(self) -> list[str]:
        """Each day's bookmark; a day only the earlier version has links to the first."""
        anchors, number = [], 0
        for day in self.days:
            number += day.side in NEW_SIDES
            anchors.append(f"d{max(number, 1)}")
        return anchors

    def _at_a_glance(self) -> None:
        self.body.paragraph(self._("At a glance"), "Briefing Part Title")
        # A column for the pre-reads only when the pack has any, as in the PDF.
        pre_reads = bool(self.pack.attachments)
        headings = [
            self._("Day"),
            self._("Time"),
            self._("Session"),
            self._("Speakers"),
            self._("Questions"),
        ]
        columns = GLANCE_COLUMNS
        margins = self.settings.chosen_theme.margins
        text_width = package.PAPER[self.settings.paper][0] - margins.left - margins.right
        counts = [columns["count"]] * (2 if pre_reads else 1)
        session_width = text_width - sum(columns.values()) - sum(counts[1:])
        widths = [columns["day"], columns["time"], session_width, columns["speakers"], *counts]
        if pre_reads:
            headings.append(self._("Pre-reads"))
        table = self.document.add_table(rows=1, cols=len(headings))
        table.style = self.document.styles["Briefing Table"]
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Mm(width)
        header = table.rows[0]
        ooxml.repeat_as_header(header)
        for cell, text, width in zip(header.cells, headings, widths, strict=True):
            cell.width = Mm(width)
            self.body.reset(cell.paragraphs[0], text, "Briefing Table Heading")
        for day in self.days:
            firsts = [
                next((e for e in day.sessions if e.side in version), None)
                for version in (OLD_SIDES, NEW_SIDES)
            ]
            for entry in day.sessions:
                row = table.add_row()
                ooxml.keep_row_together(row)
                # As in the PDF: weekday over date, start over end, so that
                # the narrow columns never break a word in any language.
                date = [
                    self.wording.weekday(day.day.date),
                    self.wording.day_and_month(day.day.date),
                ]
                before, now = old_times(entry.session)
                texts = [
                    sided(
                        entry.side,
                        date if entry is firsts[0] else [],
                        date if entry is firsts[1] else [],
                    ),
                    sided(entry.side, self._time_lines(before), self._time_lines(now)),
                    ([], []),
                    self._speaker_names(entry),
                    sided(entry.side, [str(entry.count(OLD_SIDES))], [str(entry.count(NEW_SIDES))]),
                ]
                if pre_reads:
                    attachments = entry.session.attachments
                    shown = [str(len(attachments))] if attachments else []
                    texts.append((shown, shown))
                for cell, (old, new), width in zip(row.cells, texts, widths, strict=True):
                    cell.width = Mm(width)
                    paragraph = self.body.reset(cell.paragraphs[0], "", "Briefing Table Text")
                    self.body.lines_pair(paragraph, old, new)
                link = ooxml.internal_link(self._anchor_for(entry.session))
                heading = sided(entry.side, *self._session_headings(entry))
                self.body.text_pair(link, *heading, self.body.style_id("Hyperlink"))
                row.cells[2].paragraphs[0]._p.append(link)
                self.body.track_row(row._tr, entry.side)

    def _time_lines(self, session: Session) -> list[str]:
        return [self.wording.clock_time(session.start), self.wording.clock_time(session.end)]

    def _speaker_names(self, entry: SessionEntry) -> tuple[list[str], list[str]]:
        speakers = marked_speakers(entry.session)
        old = [speaker.name for kind, speaker in speakers if kind != "insert"]
        new = [speaker.name for kind, speaker in speakers if kind != "delete"]
        return sided(entry.side, old, new)

    def _session_headings(self, entry: SessionEntry) -> tuple[str, str]:
        """``Session 1: Title`` as each version has it."""
        session = entry.session
        old = replace(session, title=old_title(session), label=old_label(session))
        return display.session_heading(old), display.session_heading(session)

    def _attendees(self, attendees: Sequence[Attendee]) -> None:
        """A grid of two columns: each attendee's photo, name, role, biography and sessions."""
        if not attendees:
            return
        self.body.paragraph(self._("Attendees"), "Briefing Part Title")
        shown = list(iter_sessions(self.days))
        columns = 2
        rows = -(-len(attendees) // columns)
        table = self.document.add_table(rows=rows, cols=columns)
        table.autofit = False
        for index, attendee in enumerate(attendees):
            cell = table.cell(index // columns, index % columns)
            with self.body.inside(cell):
                if attendee.photo is not None and attendee.photo.path.suffix.lower() != ".svg":
                    picture = self.body.paragraph("", "Briefing Logo")
                    shape = picture.add_run().add_picture(str(attendee.photo.path), width=Mm(20))
                    ooxml.describe_picture(shape, attendee.name)
                self.body.paragraph(attendee.name, "Briefing Attendee Name")
                role = " · ".join(part for part in (attendee.role, attendee.organisation) if part)
                if role:
                    self.body.paragraph(role, "Briefing Session Meta")
                if attendee.bio is not None:
                    self.rich_text.markdown(attendee.bio, "Briefing Attendee Text")
                old, new = (
                    " · ".join(
                        title(e.session)
                        for e in shown
                        if e.side in version and attendee.name in e.session.attendees
                    )
                    for version, title in ((OLD_SIDES, old_title), (NEW_SIDES, _title))
                )
                self.body.paragraph_pair(old, new, "Briefing Attendee Sessions")

    def _contents(self) -> None:
        self.body.paragraph(self._("Contents"), "Briefing Part Title")
        # Each entry: its style, bookmark, text in each version and which versions have it.
        entries: list[tuple[str, str, str, str, Side]] = []
        for day, day_anchor in zip(self.days, self._day_anchors(), strict=True):
            heading = self.wording.day_heading(day.day.date)
            entries.append(("toc 1", day_anchor, heading, heading, day.side))
            for entry in day.sessions:
                anchor = self._anchor_for(entry.session)
                entries.append(("toc 2", anchor, *self._session_headings(entry), entry.side))
                for question in entry.questions:
                    side = question.side if entry.side == "both" else entry.side
                    number = question.new_number
                    entries.append(
                        (
                            "toc 3",
                            f"{anchor}q{number}" if number else anchor,
                            f"{question.old_number}. {old_question_title(question.question)}",
                            f"{number}. {question.question.title}",
                            side,
                        )
                    )
        # One field spans the entries: its cached result lists them as links
        # until the word processor refreshes it with page numbers.  The field's
        # own runs are never tracked: either version keeps the whole field.
        for index, (style, anchor, old, new, side) in enumerate(entries):
            with self.body.tracked(side):
                paragraph = self.body.paragraph("", style)
                link = ooxml.internal_link(anchor)
                self.body.text_pair(link, *sided(side, old, new))
                paragraph._p.append(link)
            if index == 0:
                content = [child for child in paragraph._p if child.tag != qn("w:pPr")]
                ooxml.begin_field(paragraph, 'TOC \\o "1-3" \\h \\z')
                for child in content:
                    paragraph._p.append(child)
            if index == len(entries) - 1:
                ooxml.end_field(paragraph)


def _title(session: Session) -> str:
    return session.title
