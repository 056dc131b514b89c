"""A watermark as Word makes one: diagonal WordArt text in a header (VML, ECMA-376 Part 4).

Word's Design > Watermark > Custom watermark > Text writes a VML shape into
each section's header: a ``v:shapetype`` of the WordArt kind "plain text"
(``o:spt="136"``, ``_x0000_t136``: a text path that fits its shape), and a
``v:shape`` of that type whose id starts ``PowerPlusWaterMarkObject`` (which
is how Word recognises it as the watermark, to replace or remove it),
turned by ``rotation``, behind the text (a negative ``z-index``), centred,
filled with a light colour and half transparent, unstroked, its words in
``v:textpath/@string``.  ECMA-376 Part 4 (transitional), 19.1 (VML) and
14.9 (the ``o:`` attributes) define the elements; the formulas and handles of
the shape type below are those Word writes for it.  LibreOffice reads the
same shape as a Fontwork watermark.

The shape carries ``alt``, its words: a screen reader meets it in the header,
and Word's Accessibility Checker asks every shape for alternative text.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import quoteattr

from docx.oxml import parse_xml

from briefpack.render.docx.ooxml.elements import make_run

VML = "urn:schemas-microsoft-com:vml"
OFFICE = "urn:schemas-microsoft-com:office:office"
WORD_VML = "urn:schemas-microsoft-com:office:word"
#: The id every watermark shape's own id begins with, in Word's files.
WATERMARK_ID = "PowerPlusWaterMarkObject"

#: The WordArt "plain text" shape type, as Word writes it before its watermark.
_SHAPE_TYPE = """\
<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800"
    path="m@7,l@8,m@5,21600l@6,21600e">
  <v:formulas>
    <v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/>
    <v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/>
    <v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/>
    <v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/>
    <v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/>
  </v:formulas>
  <v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800"
      o:connectangles="270,180,90,0"/>
  <v:textpath on="t" fitshape="t"/>
  <v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>
  <o:lock v:ext="edit" text="t" shapetype="t"/>
</v:shapetype>"""


def watermark_run(
    text: str,
    *,
    number: int,
    font: str,
    colour: str,
    opacity: float,
    size_pt: tuple[float, float],
    rotation: float,
    bold: bool = False,
) -> Any:
    """A ``w:r`` holding the watermark shape: ``text`` across the page, centred on it.

    ``number`` makes the shape's id unique in the document (one shape per
    header); ``colour`` is ``#rrggbb``; ``size_pt`` the shape's width and height,
    which its text is stretched to fill; ``rotation`` is clockwise, in degrees
    (Word's diagonal is 315); ``bold`` sets the text bold.  The run belongs in a
    header paragraph: the shape is placed relative to the page, so it takes no
    room in the header's line.
    """
    width, height = size_pt
    style = ";".join(
        (
            "position:absolute",
            "margin-left:0",
            "margin-top:0",
            f"width:{width:.2f}pt",
            f"height:{height:.2f}pt",
            f"rotation:{rotation:g}",
            "z-index:-251657216",
            "mso-position-horizontal:center",
            "mso-position-horizontal-relative:page",
            "mso-position-vertical:center",
            "mso-position-vertical-relative:page",
        )
    )
    font_style = f'font-family:"{font}";font-size:1pt' + (";font-weight:bold" if bold else "")
    shape = (
        f'<v:shape id="{WATERMARK_ID}{number}" o:spid="_x0000_s{2048 + number}" '
        f'type="#_x0000_t136" style="{style}" o:allowincell="f" '
        f'fillcolor={quoteattr(colour)} stroked="f" alt={quoteattr(text)}>'
        f'<v:fill opacity="{opacity:g}"/>'
        f"<v:textpath style={quoteattr(font_style)} string={quoteattr(text)}/>"
        '<w10:wrap anchorx="page" anchory="page"/>'
        "</v:shape>"
    )
    picture = parse_xml(
        f'<w:pict xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        f'xmlns:v="{VML}" xmlns:o="{OFFICE}" xmlns:w10="{WORD_VML}">'
        f"{_SHAPE_TYPE}{shape}</w:pict>"
    )
    run = make_run(picture)
    # Word marks the watermark's run so that it is never proofed.
    properties = parse_xml(
        '<w:rPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:noProof/></w:rPr>"
    )
    run.insert(0, properties)
    return run
