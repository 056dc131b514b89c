"""The Word copy's styles: briefpack's look, defined once, by name.

A company template (``--reference-docx``) restyles everything by defining
styles of the same names; any style it lacks is added from here.  Fonts are
ones Word ships (Cambria for text, Calibri for headings and labels), which
LibreOffice replaces with their metric twins Caladea and Carlito.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import BaseStyle, CharacterStyle, ParagraphStyle

from briefpack.model.theme import Theme
from briefpack.render.docx import ooxml


@dataclass(frozen=True)
class StyleSpec:
    """What briefpack sets on one style; ``None`` leaves a property as inherited."""

    name: str
    kind: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH
    base: str | None = None
    font: str | None = None
    size: float | None = None
    bold: bool | None = None
    italic: bool | None = None
    color: str | None = None
    space_before: float | None = None
    space_after: float | None = None
    line_spacing: float | None = None
    left_indent_mm: float | None = None
    #: A right tab stop this far from the indent, whose leader draws a rule to write on.
    rule_tab_mm: float | None = None
    keep_with_next: bool | None = None
    keep_together: bool | None = None
    page_break_before: bool | None = None
    outline_level: int | None = None
    border_left: tuple[int, str] | None = None
    border_bottom: tuple[int, str] | None = None
    border_top: tuple[int, str] | None = None
    border_between: tuple[int, str] | None = None
    shading: str | None = None
    table_borders: str | None = None


#: How far the ruled notes lines are indented, in millimetres.
NOTES_INDENT_MM = 8

#: The line height of text, as a multiple of its size: the Normal style's, which all inherit.
LINE_SPACING = 1.2


def style_specs(theme: Theme, text_width_mm: float) -> tuple[StyleSpec, ...]:
    """The paragraph and character styles the Word writer uses, made from ``theme``.

    The named roles' sizes and spacing, the colours and the fonts are the
    theme's, as in the PDF; the other sizes and spacing are the Word copy's own.
    ``text_width_mm`` (the page's, between its margins) is where ruled lines end.
    """
    ACCENT = _hex(theme.colours.accent)  # noqa: N806 - read like the constants they were
    ACCENT_TINT = _hex(theme.colours.surface)  # noqa: N806
    TEXT = _hex(theme.colours.ink)  # noqa: N806
    MUTED = _hex(theme.colours.muted)  # noqa: N806
    HAIRLINE = _hex(theme.colours.rule)  # noqa: N806
    TEXT_FONT = theme.fonts.body.word  # noqa: N806
    HEADING_FONT = theme.fonts.heading.word  # noqa: N806
    CODE_FONT = theme.fonts.mono.word  # noqa: N806
    sizes, space = theme.sizes, theme.spacing
    return (
        StyleSpec(
            "Normal",
            font=TEXT_FONT,
            size=10.5,
            color=TEXT,
            space_after=6,
            line_spacing=LINE_SPACING,
        ),
        StyleSpec(
            "Title",
            base="Normal",
            font=HEADING_FONT,
            size=sizes.title,
            bold=True,
            color=TEXT,
            space_after=space.title,
            line_spacing=1.0,
            # The cover's title heads the document, as H1 in the PDF.
            outline_level=0,
        ),
        StyleSpec(
            "Subtitle", base="Normal", font=HEADING_FONT, size=14, color=MUTED, space_after=24
        ),
        StyleSpec(
            "Heading 1",
            base="Normal",
            font=HEADING_FONT,
            size=sizes.day,
            bold=True,
            color=ACCENT,
            space_before=0,
            space_after=space.day,
            keep_with_next=True,
            page_break_before=True,
            outline_level=0,
        ),
        StyleSpec(
            "Heading 2",
            base="Normal",
            font=HEADING_FONT,
            size=sizes.session,
            bold=True,
            color=TEXT,
            space_before=0,
            space_after=space.session,
            keep_with_next=True,
            outline_level=1,
        ),
        StyleSpec(
            "Heading 3",
            base="Normal",
            font=HEADING_FONT,
            size=sizes.question_heading,
            bold=True,
            color=TEXT,
            # The gap between questions: the PDF's space below the question.
            space_before=space.question,
            space_after=space.question_heading,
            keep_with_next=True,
            outline_level=2,
        ),
        # A theme's logo heads the cover like a letterhead; the kicker keeps its place.
        StyleSpec("Briefing Logo", base="Normal", space_before=0, space_after=0),
        StyleSpec(
            "Briefing Kicker",
            base="Normal",
            font=HEADING_FONT,
            size=9,
            bold=True,
            color=ACCENT,
            space_before=120,
            space_after=12,
        ),
        StyleSpec(
            "Briefing Cover Detail",
            base="Normal",
            font=HEADING_FONT,
            size=12,
            bold=True,
            space_before=24,
            space_after=2,
            border_top=(8, ACCENT),
        ),
        StyleSpec("Briefing Cover Note", base="Normal", font=HEADING_FONT, size=10, color=MUTED),
        StyleSpec(
            "Briefing Classification",
            base="Normal",
            font=HEADING_FONT,
            size=9,
            bold=True,
            color=ACCENT,
            space_before=18,
        ),
        StyleSpec(
            "Briefing Part Title",
            base="Normal",
            font=HEADING_FONT,
            size=17,
            bold=True,
            space_after=12,
            page_break_before=True,
            keep_with_next=True,
            border_bottom=(8, ACCENT),
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
            font=HEADING_FONT,
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
            font=HEADING_FONT,
            size=7.5,
            bold=True,
            color=MUTED,
            space_after=0,
            keep_with_next=True,
        ),
        StyleSpec("Briefing Table Text", base="Normal", font=HEADING_FONT, size=9, space_after=0),
        StyleSpec("Briefing Table", kind=WD_STYLE_TYPE.TABLE, table_borders=HAIRLINE),
        StyleSpec(
            "toc 1",
            base="Normal",
            font=HEADING_FONT,
            size=9,
            bold=True,
            color=ACCENT,
            space_before=10,
            space_after=2,
            keep_with_next=True,
        ),
        StyleSpec(
            "toc 2",
            base="Normal",
            font=HEADING_FONT,
            size=10.5,
            bold=True,
            space_before=6,
            space_after=2,
            keep_with_next=True,
        ),
        StyleSpec("toc 3", base="Normal", size=9.5, space_after=1, left_indent_mm=6),
        StyleSpec(
            "Briefing Session Label",
            base="Normal",
            font=HEADING_FONT,
            size=9.5,
            bold=True,
            color=ACCENT,
            space_before=6,
            space_after=2,
            keep_with_next=True,
        ),
        StyleSpec(
            "Briefing Session Meta",
            base="Normal",
            font=HEADING_FONT,
            size=9.5,
            color=MUTED,
            space_after=4,
            keep_with_next=True,
        ),
        StyleSpec(
            "Briefing Speakers",
            base="Normal",
            font=HEADING_FONT,
            size=9,
            space_after=2,
            keep_with_next=True,
        ),
        StyleSpec(
            "Briefing Label",
            base="Normal",
            font=HEADING_FONT,
            size=sizes.label,
            bold=True,
            color=MUTED,
            space_before=4,
            space_after=space.label,
            keep_with_next=True,
            left_indent_mm=8,
        ),
        StyleSpec(
            "Briefing Context",
            base="Normal",
            size=sizes.context,
            color=MUTED,
            space_after=space.context,
            keep_with_next=True,
            left_indent_mm=8,
        ),
        StyleSpec(
            "Briefing Question Label",
            base="Briefing Label",
            color=ACCENT,
            space_before=6,
            border_left=(24, ACCENT),
            shading=ACCENT_TINT,
        ),
        StyleSpec(
            "Briefing Question",
            base="Normal",
            size=sizes.question,
            color=TEXT,
            space_after=0,
            keep_together=True,
            left_indent_mm=8,
            border_left=(24, ACCENT),
            shading=ACCENT_TINT,
        ),
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
        StyleSpec("Briefing Notes Rule", kind=WD_STYLE_TYPE.CHARACTER, color=HAIRLINE),
        StyleSpec("Briefing Code Block", base="Normal", font=CODE_FONT, size=9, left_indent_mm=8),
        StyleSpec(
            "Briefing Answer Label",
            base="Briefing Label",
            color=ACCENT,
            space_before=6,
        ),
        StyleSpec(
            "Briefing Answer",
            base="Normal",
            size=sizes.context,
            color=TEXT,
            space_after=6,
            left_indent_mm=8,
            border_left=(12, HAIRLINE),
            border_bottom=(4, HAIRLINE),
        ),
        StyleSpec("Placeholder Text", kind=WD_STYLE_TYPE.CHARACTER, color=MUTED, italic=True),
        StyleSpec(
            "Briefing Attendee Name",
            base="Normal",
            font=HEADING_FONT,
            size=sizes.question_heading,
            bold=True,
            color=TEXT,
            space_before=4,
            space_after=1,
            keep_with_next=True,
        ),
        StyleSpec("Briefing Attendee Text", base="Normal", size=sizes.context, space_after=3),
        StyleSpec(
            "Briefing Attendee Sessions",
            base="Normal",
            font=HEADING_FONT,
            size=7.5,
            color=ACCENT,
            space_after=8,
        ),
        StyleSpec("Strong", kind=WD_STYLE_TYPE.CHARACTER, bold=True),
        StyleSpec("Emphasis", kind=WD_STYLE_TYPE.CHARACTER, italic=True),
        StyleSpec("Briefing Strong Emphasis", kind=WD_STYLE_TYPE.CHARACTER, bold=True, italic=True),
        StyleSpec("Briefing Code", kind=WD_STYLE_TYPE.CHARACTER, font=CODE_FONT, size=9),
        StyleSpec("Hyperlink", kind=WD_STYLE_TYPE.CHARACTER, color=ACCENT),
        StyleSpec("Briefing Question Number", kind=WD_STYLE_TYPE.CHARACTER, color=ACCENT),
        StyleSpec("Briefing Speaker Name", kind=WD_STYLE_TYPE.CHARACTER, bold=True),
        StyleSpec("Briefing Speaker Role", kind=WD_STYLE_TYPE.CHARACTER, color=MUTED),
        StyleSpec("Header", base="Normal", font=HEADING_FONT, size=sizes.header, color=MUTED),
        StyleSpec("Footer", base="Normal", font=HEADING_FONT, size=sizes.footer, color=MUTED),
    )


def word_size(points: float) -> float:
    """``points`` as Word can set it: to the nearest half point (see UNAVOIDABLE_DIFFERENCES)."""
    return round(points * 2) / 2


#: Where the Word copy cannot do what the PDF does, and why: the one list of
#: such differences, so that none is discovered later.
UNAVOIDABLE_DIFFERENCES = {
    "type sizes": "Word sets type in half points: a size such as 6.8 pt becomes 7 pt.",
    "fonts": "Word cannot embed the theme's font files: each role names the font its "
    "'word' key gives (by default the family's own name), which the reader must have.",
    "letter spacing and capitals": "the PDF's spaced capitals on labels and the day are "
    "CSS; the Word styles keep the text as written, in the same size and colour.",
    "the question's band": "the PDF draws a tinted box with an accent bar; Word shades "
    "the paragraphs and draws a left border, which a reader's Word may show wider.",
    "SVG logos": "Word shows an SVG only with a PNG fallback that briefpack cannot draw: "
    "a theme with an SVG logo has it in the PDF only, with a warning.",
    "page layout": "the PDF's page breaks and running header come from CSS paged media; "
    "Word lays out the pages itself, from the same paper size and margins.",
}


def _hex(colour: str) -> str:
    """``#0b4a7d`` as Word writes it: ``0B4A7D``."""
    return colour.removeprefix("#").upper()


def apply_styles(
    document: Document, theme: Theme, restyle_existing: bool, text_width_mm: float
) -> None:
    """Define briefpack's styles in ``document``.

    With ``restyle_existing`` (briefpack's own template), every style gets
    briefpack's look; without it (a company template), styles the template
    already has are left exactly as they are and only missing ones are added.
    """
    existing = {style.name for style in document.styles}
    for spec in style_specs(theme, text_width_mm):
        if spec.name in existing or _ui_name(spec.name) in existing:
            if not restyle_existing:
                continue
            style = document.styles[_ui_name(spec.name)]
        else:
            style = document.styles.add_style(spec.name, spec.kind)
            style.hidden = False
            style.quick_style = spec.kind != WD_STYLE_TYPE.TABLE
        _apply(style, spec, document)


def _ui_name(name: str) -> str:
    return name[:1].upper() + name[1:] if name.startswith("heading") else name


def _apply(style: BaseStyle, spec: StyleSpec, document: Document) -> None:
    if spec.kind == WD_STYLE_TYPE.TABLE:
        if spec.table_borders:
            ooxml.set_table_borders(style, spec.table_borders)
        return
    assert isinstance(style, CharacterStyle | ParagraphStyle)
    if spec.base is not None:
        style.base_style = document.styles[spec.base]
    font = style.font
    if spec.font is not None:
        ooxml.set_style_font(style, spec.font)
    if spec.size is not None:
        font.size = Pt(word_size(spec.size))
    if spec.bold is not None:
        font.bold = spec.bold
    if spec.italic is not None:
        font.italic = spec.italic
    if spec.color is not None:
        font.color.rgb = RGBColor.from_string(spec.color)
    if not isinstance(style, ParagraphStyle):
        return
    # Briefpack's borders and fill replace the template's, rather than adding to them.
    ooxml.clear_paragraph_decoration(style)
    paragraph = style.paragraph_format
    if spec.space_before is not None:
        paragraph.space_before = Pt(spec.space_before)
    if spec.space_after is not None:
        paragraph.space_after = Pt(spec.space_after)
    if spec.line_spacing is not None:
        paragraph.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
        paragraph.line_spacing = spec.line_spacing
    if spec.left_indent_mm is not None:
        paragraph.left_indent = Mm(spec.left_indent_mm)
    if spec.rule_tab_mm is not None:
        paragraph.tab_stops.clear_all()
        paragraph.tab_stops.add_tab_stop(
            Mm(spec.rule_tab_mm), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.LINES
        )
    if spec.keep_with_next is not None:
        paragraph.keep_with_next = spec.keep_with_next
    if spec.keep_together is not None:
        paragraph.keep_together = spec.keep_together
    if spec.page_break_before is not None:
        paragraph.page_break_before = spec.page_break_before
    if spec.outline_level is not None:
        ooxml.set_outline_level(style, spec.outline_level)
    for side, border in (
        ("left", spec.border_left),
        ("top", spec.border_top),
        ("bottom", spec.border_bottom),
        ("between", spec.border_between),
    ):
        if border is not None and border[0] > 0:
            ooxml.set_paragraph_border(style, side, border[0], border[1])
    if spec.shading is not None:
        ooxml.set_paragraph_shading(style, spec.shading)
