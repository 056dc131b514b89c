"""Pre-read content hidden anywhere under a page's resources (forms, Type 3 fonts,
patterns, transparency groups) is counted; a picture is not page content (issue 25).
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from briefpack.content.preread_files import AttachmentRefusedError, check_attachment

from limit_pdfs import MB, deflated, form_stream, with_content


def type3_font(pdf: pikepdf.Pdf, glyph: pikepdf.Stream, **keys: object) -> pikepdf.Dictionary:
    """A Type 3 font drawing ``glyph`` for ``A``, as an indirect object."""
    font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        Subtype=pikepdf.Name.Type3,
        FontBBox=pikepdf.Array([0, 0, 1, 1]),
        FontMatrix=pikepdf.Array([0.001, 0, 0, 0.001, 0, 0]),
        CharProcs=pikepdf.Dictionary(a=pdf.make_indirect(glyph)),
        Encoding=pikepdf.Dictionary(Differences=pikepdf.Array([65, pikepdf.Name.a])),
        FirstChar=65,
        LastChar=65,
        Widths=pikepdf.Array([500]),
        Resources=pikepdf.Dictionary(),
    )
    for key, value in keys.items():
        font[f"/{key}"] = value
    return pdf.make_indirect(font)


def hidden_bomb(pdf: pikepdf.Pdf, where: str) -> pikepdf.Dictionary:
    """Page resources hiding 8 MB of content where a walk of known places did not look."""
    bomb = deflated(pdf, 8 * MB)
    if where == "graphics state font":
        state = pikepdf.Dictionary(Font=pikepdf.Array([type3_font(pdf, bomb), 12]))
        return pikepdf.Dictionary(ExtGState=pikepdf.Dictionary(GS0=state))
    if where == "descendant font":
        font = pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type0,
            BaseFont=pikepdf.Name.X,
            Encoding=pikepdf.Name("/Identity-H"),
            DescendantFonts=pikepdf.Array([type3_font(pdf, bomb)]),
        )
        return pikepdf.Dictionary(Font=pikepdf.Dictionary(F0=font))
    if where == "shading pattern's soft mask":
        mask = pikepdf.Dictionary(S=pikepdf.Name.Luminosity, G=form_stream(pdf, bomb))
        pattern = pikepdf.Dictionary(
            Type=pikepdf.Name.Pattern,
            PatternType=2,
            Shading=pikepdf.Dictionary(ShadingType=2, ColorSpace=pikepdf.Name.DeviceRGB),
            ExtGState=pikepdf.Dictionary(SMask=mask),
        )
        return pikepdf.Dictionary(Pattern=pikepdf.Dictionary(P0=pattern))
    if where == "form in a glyph's resources":
        glyph = pdf.make_stream(b"500 0 d0 /B Do")
        font = type3_font(pdf, glyph)
        font.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(B=form_stream(pdf, bomb)))
        state = pikepdf.Dictionary(Font=pikepdf.Array([font, 12]))
        return pikepdf.Dictionary(ExtGState=pikepdf.Dictionary(GS0=state))
    if where == "glyph calling itself a picture":
        bomb.Subtype = pikepdf.Name.Image
        return pikepdf.Dictionary(Font=pikepdf.Dictionary(F0=type3_font(pdf, bomb)))
    assert where == "page group's colour space"
    profile = bomb
    profile.N = 3
    return pikepdf.Dictionary(
        XObject=pikepdf.Dictionary(
            G=form_stream(
                pdf,
                pdf.make_stream(b""),
                Group=pikepdf.Dictionary(
                    S=pikepdf.Name.Transparency,
                    CS=pikepdf.Array([pikepdf.Name.ICCBased, pdf.make_indirect(profile)]),
                ),
            )
        )
    )


@pytest.mark.parametrize(
    "where",
    [
        "graphics state font",
        "descendant font",
        "shading pattern's soft mask",
        "form in a glyph's resources",
        "glyph calling itself a picture",
        "page group's colour space",
    ],
)
def test_content_hidden_anywhere_under_a_pages_resources_is_counted(
    tmp_path: Path, where: str
) -> None:
    # Each of these slipped past a counter that looked only where forms and glyphs usually are.
    path = with_content(tmp_path / "hidden.pdf", Resources=lambda pdf: hidden_bomb(pdf, where))
    with pytest.raises(AttachmentRefusedError, match=r"hidden\.pdf decodes to more than 5 MB"):
        check_attachment(path, max_stream_size=5 * MB)
    check_attachment(path, max_stream_size=10 * MB)


def test_the_streams_of_a_pages_own_transparency_group_are_counted(tmp_path: Path) -> None:
    def group(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
        profile = deflated(pdf, 8 * MB)
        profile.N = 3
        return pikepdf.Dictionary(
            S=pikepdf.Name.Transparency,
            CS=pikepdf.Array([pikepdf.Name.ICCBased, pdf.make_indirect(profile)]),
        )

    path = with_content(tmp_path / "group.pdf", Group=group)
    with pytest.raises(AttachmentRefusedError, match="more than 5 MB of page content"):
        check_attachment(path, max_stream_size=5 * MB)
    check_attachment(path, max_stream_size=10 * MB)


def test_a_picture_is_not_counted_as_page_content(tmp_path: Path) -> None:
    def picture(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
        image = deflated(pdf, 8 * MB, b"\x00")
        image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        image.Width, image.Height, image.BitsPerComponent = 2048, 4096, 8
        image.ColorSpace = pikepdf.Name.DeviceGray
        return pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=pdf.make_indirect(image)))

    # A scanned pre-read's pictures decode to far more than its drawing: never charged.
    check_attachment(with_content(tmp_path / "scan.pdf", Resources=picture), max_stream_size=MB)
