"""The Word styles that copy the PDF's measures: the question's band, lists, the changes table.

Each value is the PDF's (``pack.css``), in Word's terms: the band's bar and
padding, the line height of the context and the question (as a multiple of
the body font's own line, which is how Word and LibreOffice space lines),
no space between a list's items, and the changes page's three columns.
"""

from __future__ import annotations

from briefpack.model.theme import Theme
from briefpack.render.column_widths import CHANGE_KIND_MM, CHANGE_PAGE_MM
from briefpack.render.docx.style_spec import StyleSpec
from briefpack.render.theme_css import line_height_em

#: The line heights of the context and the question in the PDF (pack.css, ``.context`` and
#: ``.ask``), in ems: a list's items are as far apart in Word as there.
CONTEXT_LINE_HEIGHT = 1.42
QUESTION_LINE_HEIGHT = 1.4


def pdf_line_spacing(theme: Theme, line_height: float) -> float:
    """Word's line spacing (a multiple of the body font's own line) for a CSS line height."""
    return round(line_height / line_height_em(theme.fonts.body.regular), 3)


#: The styles of a list's items, by the style of the text the list is in: no space between
#: items, as the PDF's ``li`` (pack.css); after the last, the list's margin (0.55 em).
LIST_ITEM_STYLES = {
    "Briefing Context": "Briefing Context List Item",
    "Briefing Question": "Briefing Question List Item",
    "Briefing Attendee Text": "Briefing Attendee Text List Item",
}
LIST_END_STYLES = {base: f"{name[: -len(' Item')]} End" for base, name in LIST_ITEM_STYLES.items()}
#: The margin after a list, and between paragraphs, in ems (pack.css: ``p``, ``ul``).
LIST_MARGIN_EM = 0.55


def list_item_styles(theme: Theme) -> tuple[StyleSpec, ...]:
    """Each of :data:`LIST_ITEM_STYLES` and :data:`LIST_END_STYLES`: its text's style, with
    no space after an item, and the list's margin after its last."""
    sizes = {
        "Briefing Context": theme.sizes.context,
        "Briefing Question": theme.sizes.question,
        "Briefing Attendee Text": theme.sizes.context,
    }
    return tuple(
        spec
        for base, name in LIST_ITEM_STYLES.items()
        for spec in (
            StyleSpec(name, base=base, space_after=0),
            StyleSpec(
                LIST_END_STYLES[base],
                base=base,
                space_after=round(sizes[base] * LIST_MARGIN_EM, 1),
            ),
        )
    )


#: The question's band as the PDF draws it (pack.css, ``.ask``): 8 mm in, an accent bar
#: 3 pt wide, then 4.5 mm of padding at the sides, 3 mm above and 2.5 mm below the text.
BAND_INDENT_MM = 8.0
BAND_BAR_PT = 3.0
BAND_PADDING_PT = {"top": 8.5, "right": 12.75, "bottom": 7.0, "left": 12.75}
#: The margin under a block's last paragraph in the PDF (``.ask p:last-child``), in ems.
LAST_PARAGRAPH_EM = 0.3


def band_bottom_pt(size: float) -> float:
    """The padding under the band's text in Word, whose paragraphs of ``size`` points each
    keep the PDF's 0.55 em after them: the PDF's padding, and its last paragraph's 0.3 em."""
    return BAND_PADDING_PT["bottom"] + (LAST_PARAGRAPH_EM - LIST_MARGIN_EM) * size


#: Where the band's text starts: after its bar and padding, as in the PDF.
BAND_TEXT_INDENT_MM = round(BAND_INDENT_MM + (BAND_BAR_PT + BAND_PADDING_PT["left"]) * 25.4 / 72, 2)


def changes_styles(
    accent: str, muted: str, heading_font: str, text_width_mm: float
) -> tuple[StyleSpec, ...]:
    """The changes page's table: what changed, the entry and its details, the page.

    In the theme's accent and muted colours (as Word writes them) and heading font.
    """
    return (
        StyleSpec(
            "Briefing Change Kind",
            base="Normal",
            font=heading_font,
            size=7.5,
            bold=True,
            color=accent,
            space_before=7,
            space_after=0,
        ),
        StyleSpec(
            "Briefing Change Entry",
            base="Normal",
            font=heading_font,
            size=9.5,
            space_before=6,
            space_after=0,
            # The dotted leader runs to the entry column's end, before the page's.
            leader_tab_mm=text_width_mm - CHANGE_KIND_MM - CHANGE_PAGE_MM - 1,
        ),
        StyleSpec(
            "Briefing Change Detail",
            base="Normal",
            font=heading_font,
            size=8.5,
            color=muted,
            space_before=1.5,
            space_after=0,
        ),
        # Right-aligned in its column (front_matter.py), on the entry's line.
        StyleSpec("Briefing Change Page", base="Briefing Change Entry", color=muted),
    )
