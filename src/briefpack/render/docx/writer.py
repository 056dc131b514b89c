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
from dataclasses import replace
from pathlib import Path

from docx.document import Document
from docx.shared import Mm

from briefpack.model import Day, Pack, Question
from briefpack.model.answers import (
    FIELDS_VERSION,
    IDENTITY_PACK,
    IDENTITY_VERSION,
    key_digest,
    pack_identity,
)
from briefpack.model.changes import compare
from briefpack.model.rich_text import Markdown
from briefpack.render import wording as display
from briefpack.render.catalogues import printed_language
from briefpack.render.docx import ooxml, package, sections
from briefpack.render.docx.body import Body
from briefpack.render.docx.custom_properties import set_custom_properties
from briefpack.render.docx.overview import Overview
from briefpack.render.docx.rich_text import RichText
from briefpack.render.docx.styles import apply_styles
from briefpack.render.docx.tracking import Tracker
from briefpack.render.docx.versions import (
    NEW_SIDES,
    OLD_SIDES,
    QuestionEntry,
    SessionEntry,
    Side,
    both_versions,
    old_label,
    old_times,
    old_title,
    settled,
    sided,
    speaker_lines,
    version_of,
)
from briefpack.render.rendered import Rendered
from briefpack.render.settings import RenderSettings

logger = logging.getLogger("briefpack")
NOTES_LINES = 6


def render_docx(pack: Pack, settings: RenderSettings) -> Rendered:
    """Render ``pack`` as a .docx file.

    ``settings.reference_docx`` names a company template whose styles, page
    setup and header and footer look are used (like pandoc's ``--reference-doc``).
    The Word styles are made from the theme (:mod:`briefpack.render.docx.styles`).
    In a changes copy (``settings.changes_since``) the changes are tracked
    changes, after a first page that lists them: the document is written once,
    from the pack :func:`~briefpack.model.changes.compare` marks, its
    ``Revision`` nodes written as Word's revisions (see :func:`_marked`).
    """
    pack, earlier = _marked(pack, settings)
    tracker = None
    if settings.changes_since is not None:
        author = pack.author or "briefpack"
        tracker = Tracker(author, settings.created.strftime("%Y-%m-%dT%H:%M:%SZ"))
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
    writer = _DocxWriter(document, pack, settings, tracker, earlier)
    writer.write()
    package.set_properties(document, writer.new_pack, settings)
    if _has_answer_fields(settings):
        # Harvest refuses a filled copy of another pack by this identity.
        days = writer.new_pack.days
        set_custom_properties(
            document,
            {
                IDENTITY_PACK: pack_identity(pack.name, days[0].date if days else None),
                IDENTITY_VERSION: FIELDS_VERSION,
            },
        )
    package.set_document_language(
        document, package.word_language(printed_language(pack.options.language))
    )
    ooxml.update_fields_on_open(document)
    package.remove_thumbnail(document)
    package.remove_styles_with_effects(document)
    package.set_application(document)
    output = io.BytesIO()
    document.save(output)
    data = package.unique_drawing_ids(output.getvalue())
    return Rendered(package.normalise_zip(data, settings.created))


def _marked(pack: Pack, settings: RenderSettings) -> tuple[Pack, Pack | None]:
    """The change-marked pack a changes copy is written from, and the earlier version.

    ``pack`` is either marked already (its sessions carry their change) or the
    new version, marked here against ``settings.earlier``.  The earlier version,
    when given, also says where a moved question or session was
    (:mod:`~briefpack.render.docx.versions`); without it a move is shown added.
    """
    earlier = settings.earlier
    if earlier is None or any(session.change is not None for session in pack.sessions):
        return pack, earlier
    if settings.session is not None and settings.session not in {s.id for s in earlier.sessions}:
        # A session new in this version: before, it had no questions.
        days, session = pack.scope(settings.session)
        assert session is not None
        empty = replace(session, questions=(), attachments=())
        earlier = replace(pack, days=(replace(days[0], sessions=(empty,)),))
    return compare(earlier, pack), earlier


def _has_answer_fields(settings: RenderSettings) -> bool:
    """Whether the copy gets fields to type answers in: never a debrief, whatever asks.

    A debrief shows the answers given; new empty fields under them would invite
    answering again, and harvesting the debrief would read them back.
    """
    return settings.answer_fields and settings.answers is None


class _DocxWriter(Overview):
    """Writes the parts of the pack, in order, into the document's body.

    In a changes copy ``pack`` is the pack :func:`~briefpack.model.changes.compare`
    marked, and ``tracker`` makes its revisions.
    """

    def __init__(
        self,
        document: Document,
        pack: Pack,
        settings: RenderSettings,
        tracker: Tracker | None,
        earlier: Pack | None,
    ) -> None:
        self.document = document
        self.pack = pack
        self.settings = settings
        self.body = Body(document, tracker)
        self.rich_text = RichText(self.body, pack.source)
        self._anchors: dict[str, str] = {}
        self._logo_warned = False
        #: Whether this is a changes copy, whose first page lists the changes.
        self.changes = tracker is not None
        #: Content controls written so far: each needs a number of its own.
        self._controls = 0
        self.wording = display.wording_for(pack.options.language, pack.options.time_format)
        days, session = pack.scope(settings.session)
        #: The days as both versions have them (only as it is, but for a changes copy).
        self.days = both_versions(days, earlier, whole=session is None)
        #: The pack as each version has it: what counts and properties are made from.
        self.new_pack = pack
        self.old_pack = pack
        if self.changes:
            self.new_pack = version_of(pack, self.days, NEW_SIDES)
            self.old_pack = version_of(pack, self.days, OLD_SIDES)

    def write(self) -> None:
        days, session_pack = self.pack.scope(self.settings.session)
        self._header_and_footer()
        if self.settings.answers is not None:
            self._debrief_page(days)
        if session_pack is None:
            self._cover()
        else:
            self._session_cover(days[0], self.days[0].sessions[0])
        front = None
        if self.changes:
            # After the cover, as front matter: the pack's pages keep their numbers.
            cover_end = sections.last_paragraph(self.document)
            self._changes_page(self.pack)
            front = sections.FrontMatter(cover_end, sections.last_paragraph(self.document))
        if session_pack is None:
            self._at_a_glance()
            self._attendees(self.pack.attendees)
            self._contents()
        else:
            self._attendees(self.pack.attendees_of(session_pack))
        for day, anchor in zip(self.days, self._day_anchors(), strict=True):
            for number, entry in enumerate(day.sessions):
                if number == 0:
                    with self.body.tracked(day.side):
                        heading = self.wording.day_heading(day.day.date)
                        paragraph = self.body.paragraph(heading, "Heading 1")
                    if day.side in NEW_SIDES:
                        self.body.bookmark(paragraph, anchor)
                else:
                    self.body.new_page()
                with self.body.tracked(entry.side, entry.move):
                    self._session(entry)
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
        pages = "NUMPAGES" if not self.changes else f"PAGEREF {sections.LAST_PAGE}"
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
        old, new = self.old_pack, self.new_pack
        dates = (self.wording.event_dates(old), self.wording.event_dates(new))
        self.body.paragraph_pair(*dates, "Briefing Cover Detail")
        summaries = (self.wording.summary(old), self.wording.summary(new))
        self.body.paragraph_pair(*summaries, "Briefing Cover Note")
        prepared = self._prepared_for()
        if prepared:
            self.body.paragraph(prepared, "Briefing Classification")
        for line in (pack.organisation, pack.author):
            if line:
                self.body.paragraph(line, "Briefing Cover Note")
        if pack.classification:
            self.body.paragraph(pack.classification, "Briefing Classification")

    def _session_cover(self, day: Day, entry: SessionEntry) -> None:
        pack, session = self.pack, entry.session
        self._cover_logo()
        kicker = self._("Session briefing")
        labels = sided(entry.side, old_label(session) or kicker, session.label or kicker)
        self.body.paragraph_pair(*labels, "Briefing Kicker")
        self.body.paragraph_pair(*sided(entry.side, old_title(session), session.title), "Title")
        part_of = self._("Part of %(event)s") % {"event": pack.title}
        if pack.subtitle:
            part_of += f" · {pack.subtitle}"
        self.body.paragraph(part_of, "Subtitle")
        self.body.paragraph(self.wording.day_heading(day.date), "Briefing Cover Detail")
        self.body.paragraph_pair(*self._session_meta(entry), "Briefing Cover Note")
        self._speakers(entry)
        for line in (pack.organisation, pack.author):
            if line:
                self.body.paragraph(line, "Briefing Cover Note")
        if pack.classification:
            self.body.paragraph(pack.classification, "Briefing Classification")

    def _notes_lines(self) -> None:
        """Ruled lines to write on: one paragraph, each line a tab whose leader is the rule."""
        paragraph = self.body.paragraph("", "Briefing Notes Lines")
        rule = self.body.style_id("Briefing Notes Rule")
        for line in range(NOTES_LINES):
            if line:
                paragraph.add_run().add_break()
            ooxml.add_tab(paragraph, rule)

    def _session(self, entry: SessionEntry) -> None:
        """A session: its title, times and speakers, its questions, its pre-reads."""
        session = entry.session
        labels = sided(entry.side, old_label(session) or "", session.label or "")
        self.body.paragraph_pair(*labels, "Briefing Session Label")
        change = session.change
        if change is not None and change.status == "edited" and change.old_title is not None:
            title = self.body.paragraph("", "Heading 2")
            self.rich_text.inlines(title, change.title)
        else:
            title = self.body.paragraph(session.title, "Heading 2")
        anchor = self._anchor_for(session)
        if entry.side in NEW_SIDES:
            self.body.bookmark(title, anchor)
        self.body.paragraph_pair(*self._session_meta(entry), "Briefing Session Meta")
        self._speakers(entry)
        for question in entry.questions:
            with self.body.tracked(question.side, question.move):
                self._question(question, anchor)
        # A Word document cannot hold another's pages: say what and where they are.
        for attachment in session.attachments:
            self.body.paragraph(attachment.title, "Heading 3")
            pages = self.wording.pages(attachment.pages)
            where = self._("The pages are in the PDF copy of this pack.")
            self.body.paragraph(
                f"{self._('Pre-read')} · {attachment.file} · {pages}. {where}",
                "Briefing Session Meta",
            )

    def _question(self, entry: QuestionEntry, anchor: str) -> None:
        """A question: its number and title, context, question, and room for the answer."""
        question = entry.question
        heading = self.body.paragraph("", "Heading 3")
        numbers = sided(entry.side, f"{entry.old_number}.", f"{entry.new_number}.")
        self.body.run_pair(heading, *numbers, "Briefing Question Number")
        change = question.change
        if change is not None and change.status == "edited" and change.old_title is not None:
            self.body.run(heading, " ")
            self.rich_text.inlines(heading, change.title)
        else:
            self.body.run(heading, f" {question.title}")
        if entry.side in NEW_SIDES:
            self.body.bookmark(heading, f"{anchor}q{entry.new_number}")
        if question.context is not None:
            with self.body.tracked(_has_in(question.context) if self.changes else "both"):
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

    def _session_meta(self, entry: SessionEntry) -> tuple[str, str]:
        """The session's times and how many questions it has, in each version."""
        before, now = old_times(entry.session)
        old = (
            f"{self.wording.time_range(before)} · {self.wording.questions(entry.count(OLD_SIDES))}"
        )
        new = f"{self.wording.time_range(now)} · {self.wording.questions(entry.count(NEW_SIDES))}"
        return sided(entry.side, old, new)

    def _speakers(self, entry: SessionEntry) -> None:
        for side, name, old_role, new_role in speaker_lines(entry.session):
            with self.body.tracked(side):
                paragraph = self.body.paragraph("", "Briefing Speakers")
                self.body.run(paragraph, name, "Briefing Speaker Name")
                old, new = (f", {role}" if role else "" for role in (old_role, new_role))
                if old or new:
                    self.body.run_pair(paragraph, old, new, "Briefing Speaker Role")
        attendees = self.pack.attendees_of(entry.session)
        if attendees:
            paragraph = self.body.paragraph("", "Briefing Speakers")
            self.body.run(paragraph, f"{self._('Attendees')}: ", "Briefing Speaker Role")
            self.body.run(paragraph, ", ".join(attendee.name for attendee in attendees))


def _has_in(markdown: Markdown) -> Side:
    """Which versions have a (change-marked) field: a label above it is tracked with it."""
    old = settled(markdown, "delete") is not None
    new = settled(markdown, "insert") is not None
    return "both" if old and new else "new" if new else "old"
