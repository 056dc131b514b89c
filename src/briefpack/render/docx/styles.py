"""The Word copy's styles: briefpack's look, defined once, by name.

A company template (``--reference-docx``) restyles everything by defining
styles of the same names; any style it lacks is added from here.  Fonts are
the theme's, by their families' own names, and the copy carries them
(:mod:`~briefpack.render.docx.embedded_fonts`), so that Word and LibreOffice
set it as the PDF is set; a theme's ``word:`` names an installed font instead.
"""

from __future__ import annotations

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import BaseStyle, CharacterStyle, ParagraphStyle

from briefpack.model.theme import Theme
from briefpack.render.docx import ooxml
from briefpack.render.docx.style_index import StyleIndex, style_index
from briefpack.render.docx.style_specs import LINE_SPACING, StyleSpec, style_specs

#: ``LINE_SPACING`` is defined with the styles it sets (``style_specs``); the
#: page layout (``package``) reads it from here.
__all__ = ["LINE_SPACING", "UNAVOIDABLE_DIFFERENCES", "apply_styles", "word_size"]


def word_size(points: float) -> float:
    """``points`` as Word can set it: to the nearest half point (see UNAVOIDABLE_DIFFERENCES)."""
    return round(points * 2) / 2


#: Where the Word copy cannot do what the PDF does, and why: the one list of
#: such differences, so that none is discovered later.
UNAVOIDABLE_DIFFERENCES = {
    "type sizes": "Word sets type in half points: a size such as 6.8 pt becomes 7 pt.",
    "fonts": "the Word copy carries the theme's faces subset to the characters it uses, "
    "so text a reader adds in characters the copy lacks is set in another font; a role "
    "with a 'word' key, or whose font's licence forbids embedding, names a font the "
    "reader must have; Word's four faces take the theme's bold (or next heavier) for "
    "bold, so medium and semibold are the PDF's only.",
    "letter spacing and capitals": "the PDF's spaced capitals on labels and the day are "
    "CSS; the Word styles keep the text as written, in the same size and colour.",
    "the question's band": "the PDF draws a tinted box with an accent bar; Word shades "
    "the paragraphs and draws a left border, which a reader's Word may show wider.",
    "SVG logos": "Word shows an SVG only with a PNG fallback that briefpack cannot draw: "
    "a theme with an SVG logo has it in the PDF only, with a warning.",
    "page layout": "the PDF's page breaks and running header come from CSS paged media; "
    "Word lays out the pages itself, from the same paper size and margins.",
}


def apply_styles(
    document: Document, theme: Theme, restyle_existing: bool, text_width_mm: float
) -> None:
    """Define briefpack's styles in ``document``.

    With ``restyle_existing`` (briefpack's own template), every style gets
    briefpack's look; without it (a company template), styles the template
    already has are left exactly as they are and only missing ones are added.
    """
    styles = style_index(document)
    existing = styles.ui_names()
    for spec in style_specs(theme, text_width_mm):
        if spec.name in existing or _ui_name(spec.name) in existing:
            if not restyle_existing:
                if spec.outline_level is not None:
                    # The template's look stays, but its headings must nest under
                    # the title for navigation and screen readers.
                    ooxml.set_outline_level(styles[_ui_name(spec.name)], spec.outline_level)
                continue
            style = styles[_ui_name(spec.name)]
        else:
            style = styles.add(spec.name, spec.kind)
            style.hidden = False
            style.quick_style = spec.kind != WD_STYLE_TYPE.TABLE
        _apply(style, spec, styles)


def _ui_name(name: str) -> str:
    return name[:1].upper() + name[1:] if name.startswith("heading") else name


def _apply(style: BaseStyle, spec: StyleSpec, styles: StyleIndex) -> None:
    if spec.kind == WD_STYLE_TYPE.TABLE:
        if spec.table_borders:
            ooxml.set_table_borders(style, spec.table_borders)
        return
    assert isinstance(style, CharacterStyle | ParagraphStyle)
    if spec.base is not None:
        style.base_style = styles[spec.base]
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
    if spec.leader_tab_mm is not None:
        paragraph.tab_stops.clear_all()
        paragraph.tab_stops.add_tab_stop(
            Mm(spec.leader_tab_mm), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
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
