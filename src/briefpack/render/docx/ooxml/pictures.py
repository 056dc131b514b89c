"""Pictures' alt text, which screen readers speak, or their mark as decorative.

Word's Accessibility Checker reports every picture, shape or WordArt that has
neither ("Missing alternative text"), in the headers too.
"""

from __future__ import annotations

from typing import Any

from docx.oxml import parse_xml

#: Word 365's Alt Text > Mark as decorative: an extension of the drawing's
#: properties (MS-ODRAWXML), which Word reads and other readers ignore.
DECORATIVE_EXTENSION = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
DECORATIVE_NAMESPACE = "http://schemas.microsoft.com/office/drawing/2017/decorative"
DRAWING_NAMESPACE = "http://schemas.openxmlformats.org/drawingml/2006/main"


def describe_picture(shape: Any, description: str) -> None:
    """Give an inline picture its alt text (``wp:docPr/@descr``), which screen readers speak."""
    properties = shape._inline.docPr
    properties.set("descr", description)


def mark_decorative(shape: Any) -> None:
    """Mark an inline picture as decorative: screen readers pass over it, and the checker too.

    For a picture that adds nothing the text around it does not say (a rule,
    an ornament); a picture that carries meaning needs :func:`describe_picture`.
    """
    mark_drawing_decorative(shape._inline.docPr)


def mark_drawing_decorative(properties: Any) -> None:
    """Mark the drawing whose properties (``wp:docPr``) are ``properties`` as decorative."""
    properties.attrib.pop("descr", None)
    for extensions in properties.findall(f"{{{DRAWING_NAMESPACE}}}extLst"):
        for extension in extensions.findall(f"{{{DRAWING_NAMESPACE}}}ext"):
            if extension.get("uri") == DECORATIVE_EXTENSION:
                extensions.remove(extension)
    extensions = properties.find(f"{{{DRAWING_NAMESPACE}}}extLst")
    if extensions is None:
        # CT_NonVisualDrawingProps: a:hlinkClick, a:hlinkHover, then a:extLst, last.
        extensions = parse_xml(f'<a:extLst xmlns:a="{DRAWING_NAMESPACE}"/>')
        properties.append(extensions)
    extensions.append(
        parse_xml(
            f'<a:ext xmlns:a="{DRAWING_NAMESPACE}" uri="{DECORATIVE_EXTENSION}">'
            f'<adec:decorative xmlns:adec="{DECORATIVE_NAMESPACE}" val="1"/></a:ext>'
        )
    )


def describe_shape(shape: Any, description: str) -> None:
    """Give a VML shape (a watermark's WordArt, ``v:shape``) its alt text (``@alt``).

    Word writes a watermark without one; its checker then reports the shape in
    every header that holds it.
    """
    shape.set("alt", description)
