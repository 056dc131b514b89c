"""The pages before the pack's parts: a changes copy's list of changes, a debrief's summary.

A mixin of the Word writer (:class:`briefpack.render.docx.writer._DocxWriter`),
kept apart so that each module stays readable; it uses the writer's body,
wording and bookmarks, declared here.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document
from docx.text.paragraph import Paragraph

from briefpack.model import Day, Pack, Question, Session
from briefpack.model.change_details import AttendeeChange
from briefpack.model.changes import QuestionChange, SessionChange
from briefpack.render import wording as display
from briefpack.render.docx import ooxml
from briefpack.render.docx.body import Body
from briefpack.render.settings import RenderSettings


class FrontMatter:
    """The changes page and the debrief's first page, and what the writer's parts share."""

    document: Document
    pack: Pack
    settings: RenderSettings
    body: Body
    wording: display.Wording
    _anchors: dict[str, str]

    def _(self, message: str) -> str:
        """``message`` in the pack's language (named as gettext names it, for extraction)."""
        return self.wording.gettext(message)

    def _anchor_for(self, session: Session) -> str:
        # Bookmark names must start with a letter, have no hyphen and at most 40 characters.
        if session.id not in self._anchors:
            self._anchors[session.id] = f"s{len(self._anchors) + 1}"
        return self._anchors[session.id]

    def _changes_page(self, marked: Pack) -> None:
        """The page after the cover: what changed since the earlier version, one line each.

        The same in both versions compared, so it is not itself a tracked change.
        """
        settings = self.settings
        assert settings.changes_since is not None
        assert settings.changes_date is not None
        title = self._("What changed since %(version)s of %(date)s") % {
            "version": settings.changes_since,
            "date": self.wording.long_date(settings.changes_date),
        }
        self.body.paragraph(title, "Briefing Part Title")
        days, _ = marked.scope(settings.session)
        # Each line: its text, the bookmark of where it is, and whether it is a detail.
        lines: list[tuple[str, str | None, bool]] = []
        for session in [s for day in days for s in day.sessions]:
            change = session.change
            # Bookmarks are named in the order they are first asked for: asking
            # here, in the marked pack's order, names them alike in both versions.
            anchor = self._anchor_for(session)
            here = None if change is not None and change.status == "removed" else anchor
            if change is not None and (change.status != "same" or change.moved):
                lines.append((f"{self._status(change, 'session')}: {session.title}", here, False))
                # What changed besides the text, worded as on the PDF's changes page.
                lines += [(line, None, True) for line in self.wording.change_lines(change)]
            number = 0
            for question in session.questions:
                qchange = question.change
                removed = qchange is not None and qchange.status == "removed"
                number += 0 if removed else 1
                if qchange is None or (qchange.status == "same" and not qchange.moved):
                    continue
                target = None if removed or here is None else f"{anchor}q{number}"
                status = self._status(qchange, "question")
                lines.append((f"{status}: {question.title}", target, False))
                lines += [(line, None, True) for line in self.wording.change_lines(qchange)]
        for attendee in marked.attendee_changes:
            lines.append((f"{self._status(attendee, 'attendee')}: {attendee.name}", None, False))
            lines += [(line, None, True) for line in self.wording.change_lines(attendee)]
        if not lines:
            self.body.paragraph(self._("No changes"), "Briefing Speakers")
        for text, target, detail in lines:
            if detail:
                self.body.paragraph(text, "Briefing Session Meta")
                continue
            paragraph = self.body.paragraph(text, "Briefing Speakers")
            if target is not None:
                # The page, as Word computes it when it updates the fields on opening.
                ooxml.add_tab(paragraph)
                ooxml.add_field(paragraph, f"PAGEREF {target} \\h", "")

    def _status(self, change: QuestionChange | SessionChange | AttendeeChange, what: str) -> str:
        return self.wording.status_label(change, what)

    def _debrief_page(self, days: Sequence[Day]) -> None:
        """A debrief's first page: per session, what was answered; then every follow-up."""
        answers = self.settings.answers
        assert answers is not None
        self.body.paragraph(self._("Debrief"), "Briefing Front Title")
        sessions = [session for day in days for session in day.sessions]
        table = self.document.add_table(rows=1, cols=4)
        table.style = self.document.styles["Briefing Table"]
        headings = (
            self._("Session"),
            self._("Answered"),
            self._("Unanswered"),
            self._("Follow-ups"),
        )
        for cell, text in zip(table.rows[0].cells, headings, strict=True):
            self.body.reset(cell.paragraphs[0], text, "Briefing Table Heading")
        ooxml.repeat_as_header(table.rows[0])
        follow_ups: list[tuple[str, str]] = []
        for session in sessions:
            given = [answers.get(question.key) for question in session.questions]
            answered = sum(1 for item in given if item is not None and item.answer)
            counted = [item for item in given if item is not None and item.follow_up]
            cells = table.add_row().cells
            texts = (
                display.session_heading(session),
                str(answered),
                str(len(given) - answered),
                str(len(counted)),
            )
            for cell, text in zip(cells, texts, strict=True):
                self.body.reset(cell.paragraphs[0], text, "Briefing Table Text")
            for question in session.questions:
                item = answers.get(question.key)
                if item is not None and item.follow_up:
                    follow_ups.append((question.title, item.follow_up))
        self.body.paragraph(self._("Follow-ups"), "Briefing Debrief Heading")
        if not follow_ups:
            self.body.paragraph(self._("No follow-ups"), "Briefing Speakers")
            return
        listing = self.document.add_table(rows=1, cols=2)
        listing.style = self.document.styles["Briefing Table"]
        for cell, text in zip(
            listing.rows[0].cells, (self._("Question"), self._("Follow-up")), strict=True
        ):
            self.body.reset(cell.paragraphs[0], text, "Briefing Table Heading")
        ooxml.repeat_as_header(listing.rows[0])
        for title, text in follow_ups:
            cells = listing.add_row().cells
            self.body.reset(cells[0].paragraphs[0], title, "Briefing Table Text")
            self._lines(cells[1].paragraphs[0], text, "Briefing Table Text")

    def _debrief_answer(self, question: Question) -> None:
        """Under a question in a debrief: its answer and follow-ups, or that it went unanswered."""
        answers = self.settings.answers
        assert answers is not None
        given = answers.get(question.key)
        self.body.paragraph(self._("Answer"), "Briefing Answer Label")
        if given is None or not given.answer:
            self.body.paragraph(self._("Not answered"), "Briefing Label")
        else:
            self._lines(self.body.paragraph("", "Briefing Answer"), given.answer, None)
        if given is not None and given.follow_up:
            self.body.paragraph(self._("Follow-up"), "Briefing Answer Label")
            self._lines(self.body.paragraph("", "Briefing Answer"), given.follow_up, None)

    def _lines(self, paragraph: Paragraph, text: str, style: str | None) -> None:
        """``text`` in ``paragraph``, its line breaks kept as breaks."""
        if style is not None:
            self.body.reset(paragraph, "", style)
        for number, line in enumerate(text.split("\n")):
            if number:
                paragraph.add_run().add_break()
            self.body.run(paragraph, line)
