"""Content controls (ECMA-376 17.5.2): the fields a reader types answers into."""

from __future__ import annotations

from typing import Any

from briefpack.render.docx.ooxml.elements import element, text_run

#: What every content control briefpack writes is tagged with, before its kind and key.
CONTROL_TAG_PREFIX = "briefpack"


def text_control(
    number: int,
    title: str,
    tag: str,
    placeholder: str,
    paragraph_style: str,
    placeholder_style: str,
) -> Any:
    """A block-level plain-text content control (``w:sdt``, ECMA-376 17.5.2) for typing in.

    Multi-line (Enter makes a new line inside it), titled ``title`` where Word
    shows the control's name, tagged ``tag`` for harvesting, and showing
    ``placeholder`` until the reader types, which replaces it.
    """
    control = element("w:sdt")
    properties = element("w:sdtPr")
    properties.append(element("w:alias", val=title))
    properties.append(element("w:tag", val=tag))
    properties.append(element("w:id", val=str(number)))
    properties.append(element("w:showingPlcHdr"))
    properties.append(element("w:text", multiLine="1"))
    control.append(properties)
    content = element("w:sdtContent")
    paragraph = element("w:p")
    paragraph_properties = element("w:pPr")
    paragraph_properties.append(element("w:pStyle", val=paragraph_style))
    paragraph.append(paragraph_properties)
    paragraph.append(text_run(placeholder, placeholder_style))
    content.append(paragraph)
    control.append(content)
    return control
