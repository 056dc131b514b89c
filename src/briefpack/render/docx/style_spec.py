"""What briefpack sets on one Word style: the record each style's function fills in.

Apart from the styles themselves (:mod:`~briefpack.render.docx.style_specs`), so that
the modules that make some of them (:mod:`~briefpack.render.docx.likeness_styles`) and
the one that applies them (:mod:`~briefpack.render.docx.styles`) share it.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.enum.style import WD_STYLE_TYPE


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
    #: A right tab stop this far from the margin, with a dotted leader: a contents entry's page.
    leader_tab_mm: float | None = None
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
