"""The Word copy's contents: one field whose result lists every heading, linked.

Each entry is written as Word writes its own: inside its link, the title, a
tab (the style's, at the margin, dotted) and a ``PAGEREF`` field to the
heading's bookmark, whose result the build fills in with the page the heading
lands on (:mod:`~briefpack.build.contents_pages`).

A mixin of the Word writer (:class:`briefpack.render.docx.writer._DocxWriter`),
kept apart so that each module stays readable.  In a changes copy each entry
is written as both versions have it (:mod:`~briefpack.model.both_versions`).
"""

from __future__ import annotations

from docx.oxml.ns import qn

from briefpack.model.both_versions import Side
from briefpack.model.rich_text import Inline
from briefpack.render.docx import ooxml
from briefpack.render.docx.front_matter import FrontMatter
from briefpack.render.docx.markdown_writer import RichText
from briefpack.render.docx.ooxml.fields import page_reference, tab_run
from briefpack.render.view.anchors import pre_read_bookmark
from briefpack.render.view.paired import PairedDay


class Contents(FrontMatter):
    """The contents, from both versions' views of the writer's days."""

    days: tuple[PairedDay, ...]
    rich_text: RichText

    def _contents(self) -> None:
        self.body.paragraph(self.labels.contents, "Briefing Part Title")
        # Each entry: its style, bookmark, text in each version, which versions have it,
        # and a question's title as the model marked it where it changed (then the
        # text is what comes before the title: its number).
        entries: list[tuple[str, str, tuple[str, str], Side, tuple[Inline, ...]]] = []
        for day in self.days:
            entries.append(
                ("toc 1", day.bookmark, day.view(lambda d: d.heading), day.entry.side, ())
            )
            for session in day.sessions:
                anchor = session.view.shown.bookmark
                side = session.entry.side
                # Its purpose after its heading, as the PDF's tag follows it.
                heading = session.view(
                    lambda s: s.heading + (f" \u2013 {s.purpose_text}" if s.purpose_text else "")
                )
                entries.append(("toc 2", anchor, heading, side, ()))
                for question in session.questions:
                    bookmark = question.view.new.bookmark if question.view.new else None
                    text = question.view(lambda q: f"{q.number} {q.title}")
                    change = question.entry.question.change
                    title: tuple[Inline, ...] = ()
                    if change is not None and len(set(question.view(lambda q: q.title))) > 1:
                        text, title = question.view(lambda q: f"{q.number} "), change.title
                    entries.append(
                        (
                            "toc 3",
                            bookmark or anchor,
                            text,
                            question.entry.side if side == "both" else side,
                            title,
                        )
                    )
                # Its pre-reads, as the PDF lists them: under its questions.
                for pre_read in session.view.shown.pre_reads:
                    words = (pre_read.entry, pre_read.entry)
                    bookmark = pre_read_bookmark(anchor, pre_read.number)
                    entries.append(("toc 3", bookmark, words, side, ()))
        # One field spans the entries: its cached result lists them as links, each
        # with its page, until the word processor refreshes it.  The field's
        # own runs are never tracked: either version keeps the whole field.
        for index, (style, anchor, (old, new), side, title) in enumerate(entries):
            with self.body.tracked(side):
                paragraph = self.body.paragraph("", style)
                link = ooxml.internal_link(anchor)
                self.body.text_pair(link, old, new)
                self.rich_text.inlines(paragraph, title, link)
                link.append(tab_run())
                link.extend(page_reference(anchor))
                paragraph._p.append(link)
            if index == 0:
                content = [child for child in paragraph._p if child.tag != qn("w:pPr")]
                ooxml.begin_field(paragraph, 'TOC \\o "1-3" \\h \\z')
                for child in content:
                    paragraph._p.append(child)
            if index == len(entries) - 1:
                ooxml.end_field(paragraph)
