"""The Word writer: the editable copy, built with python-docx from the model.

It holds the same parts as the PDF, in the same order: cover, at a glance,
contents, then days, sessions and questions, and says what the page view
(:mod:`briefpack.render.view`) says they contain.  Everything is set through
named styles (see :mod:`briefpack.render.docx.styles`), so a company template
restyles it all.  This module lays out the cover and the sessions;
:mod:`~briefpack.render.docx.package` sets up the file (template, page,
properties), :mod:`~briefpack.render.docx.overview` writes at a glance, the
attendees and the contents, :mod:`~briefpack.render.docx.front_matter` the
changes and debrief pages, :mod:`~briefpack.render.docx.sections` makes each
part a section (numbering a changes copy's pages as the clean pack's),
:mod:`~briefpack.render.docx.running_heads` gives each its header and footer
(and a recipient's watermark), :mod:`~briefpack.render.docx.body` places and styles
paragraphs, :mod:`~briefpack.render.docx.markdown_writer` turns the Markdown
tree into Word, and the raw OOXML python-docx lacks lives in
:mod:`briefpack.render.docx.ooxml`.  A changes copy is written from the pack
the model marked, as the PDF's is: its entries come in both versions' order
with each version's view of them (:mod:`briefpack.render.view.tracked`), and
:mod:`~briefpack.render.docx.tracking` marks what changed.
"""

from __future__ import annotations

import io
import logging

from docx.document import Document
from docx.shared import Mm

from briefpack.model import Pack
from briefpack.model.answers import (
    BOOKMARK_LETTERS,
    FIELDS_VERSION,
    IDENTITY_PACK,
    IDENTITY_VERSION,
    FieldKind,
    key_digest,
    pack_identity,
)
from briefpack.model.both_versions import NEW_SIDES, Side
from briefpack.model.marked_versions import settled
from briefpack.model.rich_text import Markdown
from briefpack.render.docx import ooxml, package, sections
from briefpack.render.docx.body import Body
from briefpack.render.docx.custom_properties import (
    set_custom_properties,
    set_version_properties,
)
from briefpack.render.docx.embedded_fonts import embed_theme_fonts
from briefpack.render.docx.markdown_writer import RichText
from briefpack.render.docx.matters_arising import write_matters
from briefpack.render.docx.overview import Overview
from briefpack.render.docx.running_heads import RunningHeads
from briefpack.render.docx.tracking import Tracker, untangle_paragraph_ends
from briefpack.render.rendered import Rendered
from briefpack.render.settings import RenderSettings
from briefpack.render.theme_css import running_text
from briefpack.render.view import PackView
from briefpack.render.view.anchors import pre_read_bookmark
from briefpack.render.view.paired import PairedQuestion, PairedSession
from briefpack.render.view.sessions import SessionView
from briefpack.render.view.tracked import TrackedView, tracked_view

logger = logging.getLogger("briefpack")
NOTES_LINES = 6


def render_docx(pack: Pack, settings: RenderSettings) -> Rendered:
    """Render ``pack`` as a .docx file.

    ``settings.reference_docx`` names a company template whose styles, page
    setup and header and footer look are used (like pandoc's ``--reference-doc``).
    The Word styles are made from the theme (:mod:`briefpack.render.docx.styles`).
    In a changes copy (``settings.changes_since``) ``pack`` is the pack
    :func:`~briefpack.model.changes.compare` marked, as for the PDF, and the
    changes are tracked changes, after a first page that lists them: its
    ``Revision`` nodes are written as Word's revisions, and what only one
    version has is tracked whole where that version has it, as the marked pack
    records (see :mod:`briefpack.render.view.tracked`).
    """
    shown = tracked_view(pack, settings)
    pack = shown.pack
    tracker = None
    if settings.changes_since is not None:
        author = pack.author or "briefpack"
        tracker = Tracker(author, settings.created.strftime("%Y-%m-%dT%H:%M:%SZ"))
    document = package.styled_document(settings)
    writer = _DocxWriter(document, shown, settings, tracker)
    writer.write()
    view = writer.view
    package.set_properties(
        document, pack, settings, view.document_title, view.keywords, view.language
    )
    set_version_properties(document, settings.version, view.cover.version)
    if settings.answer_fields and settings.answers is None:
        # Never in a debrief, whatever asks: it shows the answers given, and fields
        # under them would be harvested back.  Harvest refuses a filled copy of
        # another pack by this identity.
        days = writer.new_pack.days
        set_custom_properties(
            document,
            {
                IDENTITY_PACK: pack_identity(pack.name, days[0].date if days else None),
                IDENTITY_VERSION: FIELDS_VERSION,
            },
        )
    ooxml.update_fields_on_open(document)
    return finished_document(document, settings, view.language)


def finished_document(document: Document, settings: RenderSettings, language: str) -> Rendered:
    """The document as a .docx file: its language, no thumbnail or effects, briefpack as its
    application, the theme's fonts embedded, its zip entries dated as the content.

    The pack's copy and the minutes end so.
    """
    package.set_document_language(document, package.word_language(language))
    package.remove_thumbnail(document)
    package.remove_styles_with_effects(document)
    package.set_application(document)
    embed_theme_fonts(document, settings.chosen_theme)
    output = io.BytesIO()
    document.save(output)
    return Rendered(package.normalise_zip(output.getvalue(), settings.created))


class _DocxWriter(Overview, RunningHeads):
    """Writes the parts of the pack, in order, into the document's body.

    In a changes copy ``pack`` is the pack :func:`~briefpack.model.changes.compare`
    marked, and ``tracker`` makes its revisions.
    """

    def __init__(
        self,
        document: Document,
        shown: TrackedView,
        settings: RenderSettings,
        tracker: Tracker | None,
    ) -> None:
        pack = shown.pack
        self.document = document
        self.pack = pack
        self.settings = settings
        self.body = Body(document, tracker)
        self.rich_text = RichText(self.body, pack.source)
        self._logo_warned = False
        #: Whether this is a changes copy, whose first page lists the changes.
        self.changes = tracker is not None
        #: Content controls written so far: each needs a number of its own.
        self._controls = 0
        #: The pack as the new version has it, and its view: what the pages say.
        self.new_pack = shown.new_pack
        self.view: PackView = shown.view
        #: The earlier version's view, in a changes copy; else :attr:`view` itself.
        self.old_view: PackView = shown.old_view
        #: The days as both versions have them, with each version's view of each entry.
        self.days = shown.days

    def write(self) -> None:
        """The parts in order, each a section whose header names it (see running_heads.py)."""
        view = self.view
        parts = sections.Parts(self.body)
        if view.debrief is not None:
            parts.start("debrief")
            self._debrief_page(view.debrief)
        parts.start("cover")
        if view.session_pack:
            self._session_cover(self.days[0].sessions[0])
        else:
            self._cover()
        if view.changes is not None:
            # After the cover, as front matter: the pack's pages keep their numbers.
            parts.start("front")
            self._changes_page(view.changes)
        if view.glance is not None:
            parts.start("pack", self.labels.at_a_glance)
            self._at_a_glance(view.glance)
        if view.matters is not None:
            parts.start("pack", view.matters.title)
            write_matters(self.document, self.body, view.matters, self.settings)
        parts.start("pack", self.labels.attendees)
        self._attendees()
        if not view.session_pack:
            parts.start("pack", self.labels.contents)
            self._contents()
        theme, paper = self.settings.chosen_theme, self.settings.paper
        for day in self.days:
            for number, session in enumerate(day.sessions):
                words = running_text(session.view.shown.heading, theme, paper, "right")
                parts.start("pack", words, session.entry.side)
                if number == 0:
                    with self.body.tracked(day.entry.side):
                        paragraph = self.body.paragraph(day.view.shown.heading, "Heading 1")
                    if day.entry.side in NEW_SIDES:
                        self.body.bookmark(paragraph, day.bookmark)
                with self.body.tracked(session.entry.side, session.entry.move):
                    self._session(session)
        split = parts.split(self.document)
        sections.number_pages(split, self.changes)
        self._running_heads(split)
        if self.changes:
            self.body.bookmark(sections.last_paragraph(self.document), sections.LAST_PAGE)
            untangle_paragraph_ends(self.document.element.body)

    # ------------------------------------------------------------ parts

    def _cover_logo(self) -> None:
        logo = self._logo()
        if logo is not None:
            paragraph = self.body.paragraph("", "Briefing Logo")
            shape = paragraph.add_run().add_picture(str(logo), height=Mm(16))
            ooxml.describe_picture(shape, self.view.logo_alt)

    def _cover(self) -> None:
        cover = self.view.cover
        old = self.old_view.cover
        self._cover_logo()
        self.body.paragraph(cover.kicker, "Briefing Kicker")
        self.body.paragraph(cover.title, "Title")
        if cover.subtitle:
            self.body.paragraph(cover.subtitle, "Subtitle")
        self.body.paragraph_pair(old.dates, cover.dates, "Briefing Cover Detail")
        self.body.paragraph_pair(old.summary, cover.summary, "Briefing Cover Note")
        self.body.paragraph_pair(old.purposes or "", cover.purposes or "", "Briefing Cover Note")
        self.body.paragraph_pair(old.reading or "", cover.reading or "", "Briefing Cover Note")
        if cover.copy or cover.prepared_for:
            self.body.paragraph(cover.copy or cover.prepared_for or "", "Briefing Classification")
        self._cover_foot()
        if cover.latest is not None:
            # The latest version's QR code (segno's PNG, described) and its address as a link.
            picture = self.body.paragraph("", "Briefing Cover Note")
            shape = picture.add_run().add_picture(io.BytesIO(cover.latest.png), height=Mm(20))
            ooxml.describe_picture(shape, cover.latest.alt)
            line = self.body.paragraph("", "Briefing Cover Note")
            text = ooxml.text_run(cover.latest.label, self.body.style_id("Hyperlink"))
            line._p.append(ooxml.external_link(line, cover.latest.url, text))

    def _cover_foot(self) -> None:
        """Who the pack is for or by, and its classification, at the foot of either cover."""
        cover = self.view.cover
        for line in (cover.organisation, cover.author):
            if line:
                self.body.paragraph(line, "Briefing Cover Note")
        if cover.classification:
            self.body.paragraph(cover.classification, "Briefing Classification")
        if cover.version:
            self.body.paragraph(cover.version, "Briefing Cover Note")

    def _session_cover(self, session: PairedSession) -> None:
        cover = self.view.cover
        old = self.old_view.cover
        self._cover_logo()
        self.body.paragraph_pair(old.kicker, cover.kicker, "Briefing Kicker")
        self.body.paragraph_pair(old.title, cover.title, "Title")
        self.body.paragraph(cover.part_of_text or "", "Subtitle")
        self.body.paragraph(cover.dates, "Briefing Cover Detail")
        self.body.paragraph_pair(old.summary, cover.summary, "Briefing Cover Note")
        self.body.paragraph_pair(old.purposes or "", cover.purposes or "", "Briefing Cover Note")
        self.body.paragraph_pair(old.reading or "", cover.reading or "", "Briefing Cover Note")
        self._speakers(session)
        self._cover_foot()

    def _notes_lines(self) -> None:
        """Ruled lines to write on: one paragraph, each line a tab whose leader is the rule."""
        paragraph = self.body.paragraph("", "Briefing Notes Lines")
        rule = self.body.style_id("Briefing Notes Rule")
        for line in range(NOTES_LINES):
            if line:
                paragraph.add_run().add_break()
            ooxml.add_tab(paragraph, rule)

    def _session(self, paired_session: PairedSession) -> None:
        """A session: its title, times and speakers, its questions, its pre-reads."""
        view, entry = paired_session.view, paired_session.entry
        label = view(lambda s: s.label or "")
        change = entry.session.change
        if change is not None and all(label) and label[0] != label[1]:
            # Both versions have one: its words that changed, as the model marked them.
            self.rich_text.inlines(self.body.paragraph("", "Briefing Session Label"), change.label)
        else:
            self.body.paragraph_pair(*label, "Briefing Session Label")
        title = self.body.paragraph("", "Heading 2")
        old_title, new_title = view(lambda s: s.title)
        if change is not None and old_title != new_title:
            # The model marks the title's own words: the paper's reference goes before them.
            if view.shown.paper:
                self.body.run(title, f"{view.shown.paper} ")
            self.rich_text.inlines(title, change.title)
        else:
            self.body.run(title, new_title)
        if entry.side in NEW_SIDES:
            self.body.bookmark(title, view.shown.bookmark)
        old_meta, new_meta = view(lambda s: s.meta_parts)
        if old_meta == new_meta or self.body.tracker is None:
            self.body.paragraph(view.shown.meta, "Briefing Session Meta")
        else:
            # Each part that changed (the times, the count) tracked on its own.
            meta = self.body.paragraph("", "Briefing Session Meta")
            for old, new in zip(old_meta, new_meta, strict=True):
                self.body.run_pair(meta, old, new)
        self._agenda_line(view.shown)
        self._speakers(paired_session)
        for question in paired_session.questions:
            with self.body.tracked(question.entry.side, question.entry.move):
                self._question(question)
        if view.shown.decision_field:
            labels = self.labels
            self._fields(view.shown.id, [("decision", labels.decision, labels.type_decision)])
        # A Word document cannot hold another's pages: say what and where they are.
        labels = self.labels
        for pre_read in view.shown.pre_reads:
            heading = self.body.paragraph(pre_read.title, "Heading 3")
            if entry.side in NEW_SIDES:
                self.body.bookmark(heading, pre_read_bookmark(view.shown.bookmark, pre_read.number))
            self.body.paragraph(
                f"{labels.pre_read} · {pre_read.file} · {pre_read.pages_text}. "
                f"{labels.pages_elsewhere}",
                "Briefing Session Meta",
            )

    def _agenda_line(self, session: SessionView) -> None:
        """What an agenda item is for, as the PDF's tag, and who presents it, under its times."""
        if not (session.purpose_text or session.owner_text):
            return
        line = self.body.paragraph("", "Briefing Session Meta")
        if session.purpose_text:
            self.body.run(line, session.purpose_text, "Briefing Glance Label")
        if session.purpose_text and session.owner_text:
            self.body.run(line, "\u2003")
        if session.owner_text:
            self.body.run(line, session.owner_text)

    def _question(self, paired_question: PairedQuestion) -> None:
        """A question: its number and title, context, question, and room for the answer."""
        view, entry = paired_question.view, paired_question.entry
        question, labels = entry.question, self.labels
        heading = self.body.paragraph("", "Heading 3")
        numbers = view(lambda q: str(q.number))
        self.body.run_pair(heading, *numbers, "Briefing Question Number")
        old_title, new_title = view(lambda q: q.title)
        if question.change is not None and old_title != new_title:
            self.body.run(heading, " ")
            self.rich_text.inlines(heading, question.change.title)
        else:
            self.body.run(heading, f" {new_title}")
        if view.new is not None and view.new.bookmark is not None:
            self.body.bookmark(heading, view.new.bookmark)
        if question.context is not None:
            with self.body.tracked(_has_in(question.context) if self.changes else "both"):
                self.body.paragraph(labels.context, "Briefing Label")
            self.rich_text.markdown(question.context, "Briefing Context")
        self.body.paragraph(labels.question, "Briefing Question Label")
        self.rich_text.markdown(question.question, "Briefing Question")
        shown = view.shown
        if shown.given is not None:
            self._debrief_answer(shown.given)
        elif shown.answer_fields:
            self._answer_fields(shown.key, shown.action_fields)
        if self.view.notes:
            self.body.paragraph(labels.notes, "Briefing Label")
            self._notes_lines()

    def _answer_fields(self, key: str, actions: bool = False) -> None:
        """Content controls for the answer and the follow-ups, tagged with the question's key.

        With ``actions`` (a pack that names a register), the action it raised too: what,
        who and by when, for harvest to file in the register.
        """
        labels = self.labels
        fields: list[tuple[FieldKind, str, str]] = [
            ("answer", labels.answer, labels.type_answer),
            ("follow-up", labels.follow_up, labels.type_follow_ups),
        ]
        if actions:
            fields += [
                ("action", labels.action, labels.type_action),
                ("action-owner", labels.owner, labels.type_owner),
                ("action-due", labels.due_date, labels.type_due),
            ]
        self._fields(key, fields)

    def _fields(self, key: str, fields: list[tuple[FieldKind, str, str]]) -> None:
        """A labelled content control for each field, tagged with its kind and ``key``."""
        for kind, label, placeholder in fields:
            heading = self.body.paragraph(label, "Briefing Answer Label")
            # LibreOffice drops a content control's tag when it saves; a bookmark
            # named after the key survives, and harvest falls back on it.
            self.body.bookmark(heading, f"bp{BOOKMARK_LETTERS[kind]}_{key_digest(key)}")
            self._controls += 1
            self.body.block(
                ooxml.text_control(
                    self._controls,
                    title=label,
                    tag=f"{ooxml.CONTROL_TAG_PREFIX}:{kind}:{key}",
                    placeholder=placeholder,
                    paragraph_style=self.body.style_id("Briefing Answer"),
                    placeholder_style=self.body.style_id("Placeholder Text"),
                )
            )

    def _speakers(self, session: PairedSession) -> None:
        """Its speakers, a change of each tracked; then the attendees it names."""
        for line in session.speakers:
            with self.body.tracked(line.side):
                paragraph = self.body.paragraph("", "Briefing Speakers")
                self.body.run(paragraph, line.name, "Briefing Speaker Name")
                old, new = (f", {role}" if role else "" for role in (line.old_role, line.new_role))
                if old or new:
                    self.body.run_pair(paragraph, old, new, "Briefing Speaker Role")
        old, new = session.view(lambda s: ", ".join(s.attendees))
        if old or new:
            with self.body.tracked("both" if old and new else "new" if new else "old"):
                paragraph = self.body.paragraph("", "Briefing Speakers")
                self.body.run(paragraph, f"{self.labels.attendees}: ", "Briefing Speaker Role")
                self.body.run_pair(paragraph, old or new, new or old)


def _has_in(markdown: Markdown) -> Side:
    """Which versions have a (change-marked) field: a label above it is tracked with it."""
    old = settled(markdown, "delete") is not None
    new = settled(markdown, "insert") is not None
    return "both" if old and new else "new" if new else "old"
