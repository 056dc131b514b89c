"""The Word writer: the editable copy, built with python-docx from the model.

It holds the same parts as the PDF, in the same order: cover, at a glance,
contents, then days, sessions and questions.  Everything is set through named
styles (see :mod:`briefpack.render.docx.styles`), so a company template restyles it
all.  This module builds the parts; :mod:`~briefpack.render.docx.package` sets
up the file (template, page, properties), :mod:`~briefpack.render.docx.front_matter`
writes the changes and debrief pages, :mod:`~briefpack.render.docx.sections`
numbers a changes copy's pages, :mod:`~briefpack.render.docx.body` places
and styles paragraphs, :mod:`~briefpack.render.docx.rich_text` turns the
Markdown tree into Word, and the raw OOXML python-docx lacks lives in
:mod:`briefpack.render.docx.ooxml`.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from docx.document import Document
from docx.shared import Mm

from briefpack.model import Attendee, Day, Pack, Question, Session
from briefpack.model.answers import (
    FIELDS_VERSION,
    IDENTITY_PACK,
    IDENTITY_VERSION,
    key_digest,
    pack_identity,
)
from briefpack.render import wording as display
from briefpack.render.catalogues import printed_language
from briefpack.render.docx import ooxml, package, sections
from briefpack.render.docx.body import Body
from briefpack.render.docx.custom_properties import set_custom_properties
from briefpack.render.docx.front_matter import FrontMatter
from briefpack.render.docx.rich_text import RichText
from briefpack.render.docx.styles import apply_styles
from briefpack.render.rendered import Rendered
from briefpack.render.settings import RenderSettings
from briefpack.render.theme_css import GLANCE_COLUMNS

logger = logging.getLogger("briefpack")
NOTES_LINES = 6


def render_docx(pack: Pack, settings: RenderSettings) -> Rendered:
    """Render ``pack`` as a .docx file.

    ``settings.reference_docx`` names a company template whose styles, page
    setup and header and footer look are used (like pandoc's ``--reference-doc``).
    The Word styles are made from the theme (:mod:`briefpack.render.docx.styles`).
    With ``settings.earlier``, the changes since that version are tracked
    changes, after a first page that lists them.
    """
    if settings.earlier is None:
        return _render_docx(pack, settings)
    from briefpack.model.changes import compare
    from briefpack.render.docx.revisions import track_changes

    earlier = settings.earlier
    if settings.session is not None and settings.session not in {s.id for s in earlier.sessions}:
        # A session new in this version: before, it had no questions.
        _, session = pack.scope(settings.session)
        assert session is not None
        day = pack.scope(settings.session)[0][0]
        empty = replace(session, questions=(), attachments=())
        earlier = replace(pack, days=(replace(day, sessions=(empty,)),))
    summary = compare(earlier, pack)
    new = _render_docx(pack, settings, summary)
    old = _render_docx(earlier, settings, summary)
    author = pack.author or "briefpack"
    date = settings.created.strftime("%Y-%m-%dT%H:%M:%SZ")
    tracked = track_changes(old.data, new.data, author, date)
    return Rendered(ooxml.normalise_zip(package.unique_drawing_ids(tracked), settings.created))


def _render_docx(pack: Pack, settings: RenderSettings, summary: Pack | None = None) -> Rendered:
    reference = settings.reference_docx
    document = package.open_template(reference)
    package.clear_body(document)
    theme = settings.chosen_theme
    if reference is None:
        package.page_setup(document, settings.paper, theme)
    apply_styles(
        document,
        theme,
        restyle_existing=reference is None,
        text_width_mm=package.text_width(document),
    )
    writer = _DocxWriter(document, pack, settings, summary)
    writer.write()
    package.set_properties(document, pack, settings)
    if _has_answer_fields(settings):
        # Harvest refuses a filled copy of another pack by this identity.
        set_custom_properties(
            document,
            {
                IDENTITY_PACK: pack_identity(pack.name, pack.days[0].date if pack.days else None),
                IDENTITY_VERSION: FIELDS_VERSION,
            },
        )
    ooxml.set_document_language(
        document, package.word_language(printed_language(pack.options.language))
    )
    ooxml.update_fields_on_open(document)
    ooxml.remove_thumbnail(document)
    ooxml.remove_styles_with_effects(document)
    package.set_application(document)
    output = io.BytesIO()
    document.save(output)
    data = package.unique_drawing_ids(output.getvalue())
    return Rendered(ooxml.normalise_zip(data, settings.created))


def _has_answer_fields(settings: RenderSettings) -> bool:
    """Whether the copy gets fields to type answers in: never a debrief, whatever asks.

    A debrief shows the answers given; new empty fields under them would invite
    answering again, and harvesting the debrief would read them back.
    """
    return settings.answer_fields and settings.answers is None


class _DocxWriter(FrontMatter):
    """Writes the parts of the pack, in order, into the document's body."""

    def __init__(
        self, document: Document, pack: Pack, settings: RenderSettings, summary: Pack | None
    ) -> None:
        self.document = document
        self.pack = pack
        self.settings = settings
        self.body = Body(document)
        self.rich_text = RichText(self.body, pack.source)
        self._anchors: dict[str, str] = {}
        self._logo_warned = False
        #: A change-marked pack whose changes the first page lists.
        self.summary = summary
        #: Content controls written so far: each needs a number of its own.
        self._controls = 0
        self.wording = display.wording_for(pack.options.language, pack.options.time_format)

    def write(self) -> None:
        days, session_pack = self.pack.scope(self.settings.session)
        self._header_and_footer()
        if self.settings.answers is not None:
            self._debrief_page(days)
        if session_pack is None:
            self._cover()
        else:
            self._session_cover(days[0], session_pack)
        front = None
        if self.summary is not None:
            # After the cover, as front matter: the pack's pages keep their numbers.
            cover_end = sections.last_paragraph(self.document)
            self._changes_page(self.summary)
            front = sections.FrontMatter(cover_end, sections.last_paragraph(self.document))
        if session_pack is None:
            self._at_a_glance()
            self._attendees(self.pack.attendees)
            self._contents()
        else:
            self._attendees(self.pack.attendees_of(session_pack))
        for day_number, day in enumerate(days, start=1):
            for session_number, session in enumerate(day.sessions):
                if session_number == 0:
                    heading = self.body.paragraph(self.wording.day_heading(day.date), "Heading 1")
                    self.body.bookmark(heading, f"d{day_number}")
                else:
                    self.body.new_page()
                self._session(session)
        if front is not None:
            classification = self.pack.classification or ""
            sections.number_pages(self.document, self.body, front, classification)

    # ------------------------------------------------------------ parts

    def _header_and_footer(self) -> None:
        section = self.document.sections[0]
        # The cover has neither header nor footer.
        section.different_first_page_header_footer = True
        header = section.header
        header.is_linked_to_previous = False
        heading = self.body.reset(header.paragraphs[0], "", "Header")
        logo = self._logo()
        if logo is not None:
            shape = heading.add_run().add_picture(str(logo), height=Mm(4.5))
            ooxml.describe_picture(shape, display.logo_description(self.pack))
            self.body.run(heading, "  ")
        self.body.run(heading, self.pack.title)
        prepared = self._prepared_for()
        if prepared:
            # A recipient's name on every page, where Word readers look: the header.
            ooxml.add_tab(heading)
            ooxml.add_tab(heading)
            self.body.run(heading, prepared)
        footer = section.footer
        footer.is_linked_to_previous = False
        paragraph = self.body.reset(footer.paragraphs[0], self.pack.classification or "", "Footer")
        ooxml.add_tab(paragraph)
        ooxml.add_tab(paragraph)
        # "Page X of Y" in the pack's language, the numbers as fields.
        # A changes copy counts the pack's pages only, not its front matter's.
        pages = "NUMPAGES" if self.summary is None else f"PAGEREF {sections.LAST_PAGE}"
        fields = {"{page}": "PAGE", "{pages}": pages}
        for piece in self.wording.page_footer():
            if piece in fields:
                ooxml.add_field(paragraph, fields[piece], "1")
            else:
                paragraph.add_run(piece)
        for extra in (section.first_page_header, section.first_page_footer):
            extra.is_linked_to_previous = False
            self.body.reset(extra.paragraphs[0], "", "Normal")
        if prepared:
            self.body.reset(section.first_page_header.paragraphs[0], prepared, "Header")

    def _logo(self) -> Path | None:
        """The theme's logo, if the Word copy can show it: Word needs a PNG fallback for SVG."""
        logo = self.settings.chosen_theme.logo
        if logo is None or logo.suffix.lower() != ".svg":
            return logo
        if not self._logo_warned:
            self._logo_warned = True
            logger.warning(
                "%s: warning: the theme's SVG logo is in the PDF but not the Word copy; "
                "give the theme a PNG logo for both",
                self.pack.source,
            )
        return None

    def _cover_logo(self) -> None:
        logo = self._logo()
        if logo is not None:
            paragraph = self.body.paragraph("", "Briefing Logo")
            shape = paragraph.add_run().add_picture(str(logo), height=Mm(16))
            ooxml.describe_picture(shape, display.logo_description(self.pack))

    def _cover(self) -> None:
        pack = self.pack
        self._cover_logo()
        self.body.paragraph(self._("Briefing pack"), "Briefing Kicker")
        self.body.paragraph(pack.title, "Title")
        if pack.subtitle:
            self.body.paragraph(pack.subtitle, "Subtitle")
        self.body.paragraph(self.wording.event_dates(pack), "Briefing Cover Detail")
        self.body.paragraph(self.wording.summary(pack), "Briefing Cover Note")
        prepared = self._prepared_for()
        if prepared:
            self.body.paragraph(prepared, "Briefing Classification")
        for line in (pack.organisation, pack.author):
            if line:
                self.body.paragraph(line, "Briefing Cover Note")
        if pack.classification:
            self.body.paragraph(pack.classification, "Briefing Classification")

    def _session_cover(self, day: Day, session: Session) -> None:
        pack = self.pack
        self._cover_logo()
        self.body.paragraph(session.label or self._("Session briefing"), "Briefing Kicker")
        self.body.paragraph(session.title, "Title")
        part_of = self._("Part of %(event)s") % {"event": pack.title}
        if pack.subtitle:
            part_of += f" · {pack.subtitle}"
        self.body.paragraph(part_of, "Subtitle")
        self.body.paragraph(self.wording.day_heading(day.date), "Briefing Cover Detail")
        self.body.paragraph(self._session_meta(session), "Briefing Cover Note")
        self._speakers(session)
        for line in (pack.organisation, pack.author):
            if line:
                self.body.paragraph(line, "Briefing Cover Note")
        if pack.classification:
            self.body.paragraph(pack.classification, "Briefing Classification")

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
        for day in self.pack.days:
            for number, session in enumerate(day.sessions):
                row = table.add_row()
                ooxml.keep_row_together(row)
                cells = row.cells
                # As in the PDF: weekday over date, start over end, so that
                # the narrow columns never break a word in any language.
                day_lines = (
                    [self.wording.weekday(day.date), self.wording.day_and_month(day.date)]
                    if number == 0
                    else []
                )
                time_lines = [
                    self.wording.clock_time(session.start),
                    self.wording.clock_time(session.end),
                ]
                speakers = [speaker.name for speaker in session.speakers]
                texts = [day_lines, time_lines, [], speakers, [str(len(session.questions))]]
                if pre_reads:
                    texts.append([str(len(session.attachments))] if session.attachments else [])
                for cell, lines, width in zip(cells, texts, widths, strict=True):
                    cell.width = Mm(width)
                    paragraph = self.body.reset(cell.paragraphs[0], "", "Briefing Table Text")
                    for index, line in enumerate(lines):
                        if index:
                            paragraph.add_run().add_break()
                        self.body.run(paragraph, line)
                session_cell = cells[2].paragraphs[0]
                session_cell._p.append(
                    ooxml.internal_link(
                        self._anchor_for(session),
                        ooxml.text_run(
                            display.session_heading(session), self.body.style_id("Hyperlink")
                        ),
                    )
                )

    def _attendees(self, attendees: Sequence[Attendee]) -> None:
        """A grid of two columns: each attendee's photo, name, role, biography and sessions."""
        if not attendees:
            return
        self.body.paragraph(self._("Attendees"), "Briefing Part Title")
        days, _ = self.pack.scope(self.settings.session)
        shown = [session for day in days for session in day.sessions]
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
                taking_part = [s.title for s in shown if attendee.name in s.attendees]
                if taking_part:
                    self.body.paragraph(" · ".join(taking_part), "Briefing Attendee Sessions")

    def _contents(self) -> None:
        self.body.paragraph(self._("Contents"), "Briefing Part Title")
        entries: list[tuple[str, str, str]] = []
        for day_number, day in enumerate(self.pack.days, start=1):
            entries.append(("toc 1", f"d{day_number}", self.wording.day_heading(day.date)))
            for session in day.sessions:
                anchor = self._anchor_for(session)
                entries.append(("toc 2", anchor, display.session_heading(session)))
                for number, question in enumerate(session.questions, start=1):
                    entries.append(("toc 3", f"{anchor}q{number}", f"{number}. {question.title}"))
        # One field spans the entries: its cached result lists them as links
        # until the word processor refreshes it with page numbers.
        for index, (style, anchor, text) in enumerate(entries):
            paragraph = self.body.paragraph("", style)
            if index == 0:
                ooxml.begin_field(paragraph, 'TOC \\o "1-3" \\h \\z')
            paragraph._p.append(ooxml.internal_link(anchor, ooxml.text_run(text)))
            if index == len(entries) - 1:
                ooxml.end_field(paragraph)

    def _notes_lines(self) -> None:
        """Ruled lines to write on: one paragraph, each line a tab whose leader is the rule."""
        paragraph = self.body.paragraph("", "Briefing Notes Lines")
        rule = self.body.style_id("Briefing Notes Rule")
        for line in range(NOTES_LINES):
            if line:
                paragraph.add_run().add_break()
            ooxml.add_tab(paragraph, rule)

    def _session(self, session: Session) -> None:
        if session.label:
            self.body.paragraph(session.label, "Briefing Session Label")
        title = self.body.paragraph(session.title, "Heading 2")
        anchor = self._anchor_for(session)
        self.body.bookmark(title, anchor)
        self.body.paragraph(self._session_meta(session), "Briefing Session Meta")
        self._speakers(session)
        for number, question in enumerate(session.questions, start=1):
            heading = self.body.paragraph("", "Heading 3")
            self.body.run(heading, f"{number}.", "Briefing Question Number")
            self.body.run(heading, f" {question.title}")
            self.body.bookmark(heading, f"{anchor}q{number}")
            if question.context is not None:
                self.body.paragraph(self._("Context"), "Briefing Label")
                self.rich_text.markdown(question.context, "Briefing Context")
            self.body.paragraph(self._("Question"), "Briefing Question Label")
            self.rich_text.markdown(question.question, "Briefing Question")
            if self.settings.answers is not None:
                self._debrief_answer(question)
            elif _has_answer_fields(self.settings):
                self._answer_fields(question)
            if self.settings.notes:
                self.body.paragraph(self._("Notes"), "Briefing Label")
                self._notes_lines()
        # A Word document cannot hold another's pages: say what and where they are.
        for attachment in session.attachments:
            self.body.paragraph(attachment.title, "Heading 3")
            pages = self.wording.pages(attachment.pages)
            where = self._("The pages are in the PDF copy of this pack.")
            self.body.paragraph(
                f"{self._('Pre-read')} · {attachment.file} · {pages}. {where}",
                "Briefing Session Meta",
            )

    def _prepared_for(self) -> str | None:
        """``Prepared for Jane Doe · Oct 23, 2025`` in a recipient's pack, else ``None``."""
        recipient = self.settings.recipient
        if recipient is None:
            return None
        return self.wording.prepared_for(recipient, self.settings.created.date())

    def _answer_fields(self, question: Question) -> None:
        """Content controls for the answer and the follow-ups, tagged with the question's key."""
        for kind, label, placeholder in (
            ("answer", self._("Answer"), self._("Type the answer here.")),
            ("follow-up", self._("Follow-up"), self._("Type any follow-ups here.")),
        ):
            heading = self.body.paragraph(label, "Briefing Answer Label")
            # LibreOffice drops a content control's tag when it saves; a bookmark
            # named after the key survives, and harvest falls back on it.
            self.body.bookmark(heading, f"bp{kind[0]}_{key_digest(question.key)}")
            self._controls += 1
            self.body.block(
                ooxml.text_control(
                    self._controls,
                    title=label,
                    tag=f"{ooxml.CONTROL_TAG_PREFIX}:{kind}:{question.key}",
                    placeholder=placeholder,
                    paragraph_style=self.body.style_id("Briefing Answer"),
                    placeholder_style=self.body.style_id("Placeholder Text"),
                )
            )

    def _session_meta(self, session: Session) -> str:
        """The session's times and how many questions it has."""
        return (
            f"{self.wording.time_range(session)} · {self.wording.questions(len(session.questions))}"
        )

    def _speakers(self, session: Session) -> None:
        for speaker in session.speakers:
            paragraph = self.body.paragraph("", "Briefing Speakers")
            self.body.run(paragraph, speaker.name, "Briefing Speaker Name")
            if speaker.role:
                self.body.run(paragraph, f", {speaker.role}", "Briefing Speaker Role")
        attendees = self.pack.attendees_of(session)
        if attendees:
            paragraph = self.body.paragraph("", "Briefing Speakers")
            self.body.run(paragraph, f"{self._('Attendees')}: ", "Briefing Speaker Role")
            self.body.run(paragraph, ", ".join(attendee.name for attendee in attendees))
