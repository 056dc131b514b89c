"""OOXML that python-docx lacks: fields, links, bookmarks, lists, tracked changes and more.

Every piece of raw WordprocessingML the Word writer puts in the document's
body and styles lives in this package, behind a named helper, so that the writer itself
reads as a description of the document (what concerns the file as a whole,
its language and parts, is :mod:`~briefpack.render.docx.package`'s).
References: ECMA-376 Part 1, sections 17.16 (fields), 17.9 (numbering),
17.13.6 (bookmarks) and 17.13.5 (revisions: tracked changes).
"""

from __future__ import annotations

from briefpack.render.docx.ooxml.controls import CONTROL_TAG_PREFIX, text_control
from briefpack.render.docx.ooxml.elements import (
    PARAGRAPH_PROPERTY_ORDER,
    add_paragraph_property,
    child,
    element,
    insert_before,
    line_break,
    make_run,
    set_paragraph_style,
    text_node,
    text_run,
)
from briefpack.render.docx.ooxml.fields import (
    SETTINGS_AFTER_UPDATE_FIELDS,
    add_bookmark,
    add_field,
    add_tab,
    begin_field,
    end_field,
    external_link,
    internal_link,
    update_fields_on_open,
)
from briefpack.render.docx.ooxml.lists import BULLET_GLYPHS, list_definition, set_list_item
from briefpack.render.docx.ooxml.pictures import describe_picture
from briefpack.render.docx.ooxml.revisions import (
    REVISIONS,
    as_deleted,
    is_tracked,
    move_range,
    revision,
    track_paragraph,
    track_row,
)
from briefpack.render.docx.ooxml.style_properties import (
    clear_paragraph_decoration,
    set_outline_level,
    set_paragraph_border,
    set_paragraph_shading,
    set_style_font,
    set_table_borders,
)
from briefpack.render.docx.ooxml.tables import keep_row_together, repeat_as_header

__all__ = [
    "BULLET_GLYPHS",
    "CONTROL_TAG_PREFIX",
    "PARAGRAPH_PROPERTY_ORDER",
    "REVISIONS",
    "SETTINGS_AFTER_UPDATE_FIELDS",
    "add_bookmark",
    "add_field",
    "add_paragraph_property",
    "add_tab",
    "as_deleted",
    "begin_field",
    "child",
    "clear_paragraph_decoration",
    "describe_picture",
    "element",
    "end_field",
    "external_link",
    "insert_before",
    "internal_link",
    "is_tracked",
    "keep_row_together",
    "line_break",
    "list_definition",
    "make_run",
    "move_range",
    "repeat_as_header",
    "revision",
    "set_list_item",
    "set_outline_level",
    "set_paragraph_border",
    "set_paragraph_shading",
    "set_paragraph_style",
    "set_style_font",
    "set_table_borders",
    "text_control",
    "text_node",
    "text_run",
    "track_paragraph",
    "track_row",
    "update_fields_on_open",
]
