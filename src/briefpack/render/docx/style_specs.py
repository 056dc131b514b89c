"""Briefpack's Word styles, one family to a function, each made from the theme.

:func:`style_specs` lists every style the Word writer uses, in the order
:func:`briefpack.render.docx.styles.apply_styles` adds them to a document (the
order of ``styles.xml``, so the same list makes the same bytes).  The named
roles' sizes and spacing, the colours and the fonts are the theme's, as in the
PDF; the other sizes and spacing are the Word copy's own.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.enum.style import WD_STYLE_TYPE

from briefpack.model.theme import Theme
from briefpack.render.docx.likeness_styles import (
    BAND_TEXT_INDENT_MM,
    CONTEXT_LINE_HEIGHT,
    LIST_MARGIN_EM,
    QUESTION_LINE_HEIGHT,
    changes_styles,
    list_item_styles,
    pdf_line_spacing,
)
from briefpack.render.docx.style_spec import StyleSpec as StyleSpec  # styles.py reads it here

#: How far the ruled notes lines are indented, in millimetres.
NOTES_INDENT_MM = 8

#: The line height of text, as a multiple of its size: the Normal style's, which all inherit.
LINE_SPACING = 1.2


@dataclass(frozen=True, slots=True)
class Look:
    """The theme's colours, as Word writes them, and the fonts Word is to use."""

    accent: str
    tint: str
    text: str
    muted: str
    hairline: str
    text_font: str
    heading_font: str
    code_font: str

    @classmethod
    def of(cls, theme: Theme) -> Look:
        """The look of ``theme``: its accent, surface, ink, muted and rule colours; its fonts."""
        colours, fonts = theme.colours, theme.fonts
        return cls(
            accent=word_colour(colours.accent),
            tint=word_colour(colours.surface),
            text=word_colour(colours.ink),
            muted=word_colour(colours.muted),
            hairline=word_colour(colours.rule),
            text_font=fonts.body.word,
            heading_font=fonts.heading.word,
            code_font=fonts.mono.word,
        )


def word_colour(colour: str) -> str:
    """``#0b4a7d`` as Word writes it: ``0B4A7D``."""
    return colour.removeprefix("#").upper()


def style_specs(theme: Theme, text_width_mm: float) -> tuple[StyleSpec, ...]:
    """The paragraph and character styles the Word writer uses, made from ``theme``.

    ``text_width_mm`` (the page's, between its margins) is where ruled lines end.
    """
    look = Look.of(theme)
    return (
        *text_and_heading_styles(theme, look),
        *cover_styles(look),
        *part_and_table_styles(look),
        *changes_styles(look.accent, look.muted, look.heading_font, text_width_mm),
        *contents_styles(look, text_width_mm),
        *session_styles(look),
        *question_styles(theme, look),
        *writing_styles(theme, look, text_width_mm),
        *attendee_styles(theme, look),
        *list_item_styles(theme),
        *inline_and_page_styles(theme, look),
    )


def text_and_heading_styles(theme: Theme, look: Look) -> tuple[StyleSpec, ...]:
    """The text every style builds on, the cover's title and the three levels of heading."""
    sizes, space = theme.sizes, theme.spacing
    return (
        StyleSpec(
            "Normal",
            font=look.text_font,
            size=10.5,
            color=look.text,
            space_after=6,
            line_spacing=LINE_SPACING,
        ),
        StyleSpec(
            "Title",
            base="Normal",
            font=look.heading_font,
            size=sizes.title,
            bold=True,
            color=look.text,
            space_after=space.title,
            line_spacing=1.0,
            # The cover's title heads the document, as H1 in the PDF.
            outline_level=0,
        ),
        StyleSpec(
            "Subtitle",
            base="Normal",
            font=look.heading_font,
            size=14,
            color=look.muted,
            space_after=24,
        ),
        StyleSpec(
            "Heading 1",
            base="Normal",
            font=look.heading_font,
            size=sizes.day,
            bold=True,
            color=look.accent,
            space_before=0,
            space_after=space.day,
            keep_with_next=True,
            page_break_before=True,
            outline_level=0,
        ),
        StyleSpec(
            "Heading 2",
            base="Normal",
            font=look.heading_font,
            size=sizes.session,
            bold=True,
            color=look.text,
            space_before=0,
            space_after=space.session,
            keep_with_next=True,
            outline_level=1,
        ),
        StyleSpec(
            "Heading 3",
            base="Normal",
            font=look.heading_font,
            size=sizes.question_heading,
            bold=True,
            color=look.text,
            # The gap between questions: the PDF's space below the question.
            space_before=space.question,
            space_after=space.question_heading,
            keep_with_next=True,
            outline_level=2,
        ),
    )


def cover_styles(look: Look) -> tuple[StyleSpec, ...]:
    """The cover's letterhead, kicker, details and classification."""
    return (
        # A theme's logo heads the cover like a letterhead; the kicker keeps its place.
        StyleSpec("Briefing Logo", base="Normal", space_before=0, space_after=0),
        StyleSpec(
            "Briefing Kicker",
            base="Normal",
            font=look.heading_font,
            size=9,
            bold=True,
            color=look.accent,
            space_before=120,
            space_after=12,
        ),
        StyleSpec(
            "Briefing Cover Detail",
            base="Normal",
            font=look.heading_font,
            size=12,
            bold=True,
            space_before=24,
            space_after=2,
            border_top=(8, look.accent),
        ),
        StyleSpec(
            "Briefing Cover Note", base="Normal", font=look.heading_font, size=10, color=look.muted
        ),
        StyleSpec(
            "Briefing Classification",
            base="Normal",
            font=look.heading_font,
            size=9,
            bold=True,
            color=look.accent,
            space_before=18,
        ),
    )


def part_and_table_styles(look: Look) -> tuple[StyleSpec, ...]:
    """The titles of the parts (the debrief, the changes page, the attendees) and their tables."""
    return (
        StyleSpec(
            "Briefing Part Title",
            base="Normal",
            font=look.heading_font,
            size=17,
            bold=True,
            space_after=12,
            page_break_before=True,
            keep_with_next=True,
            border_bottom=(8, look.accent),
            # A heading to assistive technology and the navigation pane, at the level of
            # a session (as in the PDF), yet kept out of the contents, which lists
            # only the built-in heading styles.
            outline_level=1,
        ),
        # The debrief's summary comes before the pack's cover: its title heads the
        # document, as H1 does in the PDF.  (The changes page follows the cover.)
        StyleSpec("Briefing Front Title", base="Briefing Part Title", outline_level=0),
        # A heading under the debrief's title, outside the contents.
        StyleSpec(
            "Briefing Debrief Heading",
            base="Normal",
            font=look.heading_font,
            size=12,
            bold=True,
            space_before=16,
            space_after=8,
            keep_with_next=True,
            outline_level=1,
        ),
        StyleSpec(
            "Briefing Table Heading",
            base="Normal",
            font=look.heading_font,
            size=7.5,
            bold=True,
            color=look.muted,
            space_after=0,
            keep_with_next=True,
        ),
        StyleSpec(
            "Briefing Table Text", base="Normal", font=look.heading_font, size=8.5, space_after=0
        ),
        # A count, right-aligned in its column (see overview.py), and its heading.
        StyleSpec("Briefing Table Count", base="Briefing Table Text"),
        StyleSpec("Briefing Table Count Heading", base="Briefing Table Heading"),
        # At a glance, as the PDF's: a session's label small in the accent colour over its
        # title in bold; the times and the speakers muted.
        StyleSpec(
            "Briefing Glance Label",
            kind=WD_STYLE_TYPE.CHARACTER,
            size=7.5,
            color=look.accent,
        ),
        StyleSpec("Briefing Glance Title", kind=WD_STYLE_TYPE.CHARACTER, bold=True),
        StyleSpec("Briefing Table Muted", kind=WD_STYLE_TYPE.CHARACTER, color=look.muted),
        StyleSpec("Briefing Table", kind=WD_STYLE_TYPE.TABLE, table_borders=look.hairline),
    )


def contents_styles(look: Look, text_width_mm: float) -> tuple[StyleSpec, ...]:
    """The contents' three levels: day, session, question, each page number at the margin."""
    return (
        StyleSpec(
            "toc 1",
            base="Normal",
            font=look.heading_font,
            size=9,
            bold=True,
            color=look.accent,
            space_before=10,
            space_after=2,
            keep_with_next=True,
            leader_tab_mm=text_width_mm,
        ),
        StyleSpec(
            "toc 2",
            base="Normal",
            font=look.heading_font,
            size=10.5,
            bold=True,
            space_before=6,
            space_after=2,
            keep_with_next=True,
            leader_tab_mm=text_width_mm,
        ),
        StyleSpec(
            "toc 3",
            base="Normal",
            size=9.5,
            space_after=1,
            left_indent_mm=6,
            leader_tab_mm=text_width_mm,
        ),
    )


def session_styles(look: Look) -> tuple[StyleSpec, ...]:
    """What heads a session: its label, its time and place, its speakers."""
    return (
        StyleSpec(
            "Briefing Session Label",
            base="Normal",
            font=look.heading_font,
            size=9.5,
            bold=True,
            color=look.accent,
            space_before=6,
            space_after=2,
            keep_with_next=True,
        ),
        StyleSpec(
            "Briefing Session Meta",
            base="Normal",
            font=look.heading_font,
            size=9.5,
            color=look.muted,
            space_after=4,
            keep_with_next=True,
        ),
        StyleSpec(
            "Briefing Speakers",
            base="Normal",
            font=look.heading_font,
            size=9,
            space_after=2,
            keep_with_next=True,
        ),
    )


def question_styles(theme: Theme, look: Look) -> tuple[StyleSpec, ...]:
    """A question and its context, each under its small label."""
    sizes, space = theme.sizes, theme.spacing
    return (
        StyleSpec(
            "Briefing Label",
            base="Normal",
            font=look.heading_font,
            size=sizes.label,
            bold=True,
            color=look.muted,
            space_before=4,
            space_after=space.label,
            keep_with_next=True,
            left_indent_mm=8,
        ),
        StyleSpec(
            "Briefing Context",
            base="Normal",
            size=sizes.context,
            color=look.muted,
            space_after=space.context,
            line_spacing=pdf_line_spacing(theme, CONTEXT_LINE_HEIGHT),
            keep_with_next=True,
            left_indent_mm=8,
        ),
        StyleSpec(
            "Briefing Question Label",
            base="Briefing Label",
            color=look.accent,
            space_before=6,
            left_indent_mm=BAND_TEXT_INDENT_MM,
            border_left=(24, look.accent),
            shading=look.tint,
        ),
        StyleSpec(
            "Briefing Question",
            base="Normal",
            size=sizes.question,
            color=look.text,
            # Between paragraphs, as the PDF's (pack.css: p): inside the band.
            space_after=round(sizes.question * LIST_MARGIN_EM, 1),
            line_spacing=pdf_line_spacing(theme, QUESTION_LINE_HEIGHT),
            keep_together=True,
            left_indent_mm=BAND_TEXT_INDENT_MM,
            border_left=(24, look.accent),
            shading=look.tint,
        ),
    )


def writing_styles(theme: Theme, look: Look, text_width_mm: float) -> tuple[StyleSpec, ...]:
    """What follows a question: the ruled lines to write on, code, the answer fields."""
    sizes = theme.sizes
    return (
        # One paragraph of ruled lines to write on: each line is a tab whose leader
        # draws the rule, so no blank paragraphs are read out as layout.
        StyleSpec(
            "Briefing Notes Lines",
            base="Normal",
            size=10.5,
            space_before=4,
            space_after=0,
            line_spacing=1.8,
            left_indent_mm=NOTES_INDENT_MM,
            rule_tab_mm=text_width_mm - NOTES_INDENT_MM,
        ),
        StyleSpec("Briefing Notes Rule", kind=WD_STYLE_TYPE.CHARACTER, color=look.hairline),
        StyleSpec(
            "Briefing Code Block", base="Normal", font=look.code_font, size=9, left_indent_mm=8
        ),
        StyleSpec(
            "Briefing Answer Label",
            base="Briefing Label",
            color=look.accent,
            space_before=6,
        ),
        StyleSpec(
            "Briefing Answer",
            base="Normal",
            size=sizes.context,
            color=look.text,
            space_after=6,
            left_indent_mm=8,
            border_left=(12, look.hairline),
            border_bottom=(4, look.hairline),
        ),
        StyleSpec("Placeholder Text", kind=WD_STYLE_TYPE.CHARACTER, color=look.muted, italic=True),
    )


def attendee_styles(theme: Theme, look: Look) -> tuple[StyleSpec, ...]:
    """An attendee's name, biography and sessions."""
    sizes = theme.sizes
    return (
        StyleSpec(
            "Briefing Attendee Name",
            base="Normal",
            font=look.heading_font,
            size=sizes.question_heading,
            bold=True,
            color=look.text,
            space_before=4,
            space_after=1,
            keep_with_next=True,
        ),
        StyleSpec("Briefing Attendee Text", base="Normal", size=sizes.context, space_after=3),
        StyleSpec(
            "Briefing Attendee Sessions",
            base="Normal",
            font=look.heading_font,
            size=7.5,
            color=look.accent,
            space_after=8,
        ),
    )


def inline_and_page_styles(theme: Theme, look: Look) -> tuple[StyleSpec, ...]:
    """The character styles of running text, and the page's header and footer."""
    sizes = theme.sizes
    return (
        StyleSpec("Strong", kind=WD_STYLE_TYPE.CHARACTER, bold=True),
        StyleSpec("Emphasis", kind=WD_STYLE_TYPE.CHARACTER, italic=True),
        StyleSpec("Briefing Strong Emphasis", kind=WD_STYLE_TYPE.CHARACTER, bold=True, italic=True),
        StyleSpec("Briefing Code", kind=WD_STYLE_TYPE.CHARACTER, font=look.code_font, size=9),
        StyleSpec("Hyperlink", kind=WD_STYLE_TYPE.CHARACTER, color=look.accent),
        StyleSpec("Briefing Question Number", kind=WD_STYLE_TYPE.CHARACTER, color=look.accent),
        StyleSpec("Briefing Speaker Name", kind=WD_STYLE_TYPE.CHARACTER, bold=True),
        StyleSpec("Briefing Speaker Role", kind=WD_STYLE_TYPE.CHARACTER, color=look.muted),
        StyleSpec(
            "Header", base="Normal", font=look.heading_font, size=sizes.header, color=look.muted
        ),
        StyleSpec(
            "Footer", base="Normal", font=look.heading_font, size=sizes.footer, color=look.muted
        ),
    )
