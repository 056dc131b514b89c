"""The cover's link to the latest version: a QR code of ``options.latest_url``, and its words.

A reader of an old print scans the code, or follows the link under it, and
finds the current pack.  The code is made here, in the render layer, from the
address alone: as inline SVG for the PDF's HTML (so nothing is fetched, and
the address itself never is) and as PNG for the Word copy, which takes only
raster pictures.  segno draws the same matrix for the same address every
time, so the same address gives the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import segno

from briefpack.render.wording import Wording

#: The code's side on the cover, quiet zone included, in millimetres: small, but
#: scannable for the longest address (300 characters, about 0.3 mm a module).
SIDE_MM = 20
#: ISO/IEC 18004's quiet zone: four modules on every side.
QUIET_ZONE = 4
#: Error correction at least M (15 %); segno raises it where that costs no size.
ERROR_LEVEL = "m"
#: Pixels a module in the Word copy's PNG: sharp at 20 mm when printed at 600 dpi.
PNG_SCALE = 10


@dataclass(frozen=True, slots=True)
class LatestLink:
    """The latest version's address, as the cover shows it in both formats."""

    url: str
    #: "QR code: the latest version of this pack at URL", in the reader's language.
    alt: str
    #: "Latest version: URL": the link's text, which says where it leads on its own.
    label: str

    @property
    def svg(self) -> str:
        """The code as inline SVG markup, its ``<title>`` the alternative text (PDF/UA)."""
        return qr_svg(self.url, self.alt)

    @property
    def png(self) -> bytes:
        """The code as a PNG picture, for the Word copy."""
        return qr_png(self.url)


def latest_link(url: str | None, wording: Wording) -> LatestLink | None:
    """The cover's link to ``url`` worded for the reader; ``None`` without an address."""
    if url is None:
        return None
    alt = wording.gettext("QR code: the latest version of this pack at %(url)s") % {"url": url}
    label = wording.gettext("Latest version: %(url)s") % {"url": url}
    return LatestLink(url=url, alt=alt, label=label)


def qr_code(url: str) -> segno.QRCode:
    """The QR code of ``url``: always a full (not micro) code, of the same version and level."""
    return segno.make_qr(url, error=ERROR_LEVEL)


def qr_svg(url: str, title: str) -> str:
    """``url``'s code as an ``<svg>`` element scaled by its viewBox; ``title`` escaped by segno."""
    svg: str = qr_code(url).svg_inline(
        scale=1, border=QUIET_ZONE, omitsize=True, title=title, svgclass="latest-qr"
    )
    return svg


def qr_png(url: str) -> bytes:
    """``url``'s code as a black-on-white PNG, its quiet zone included."""
    out = io.BytesIO()
    qr_code(url).save(out, kind="png", scale=PNG_SCALE, border=QUIET_ZONE)
    return out.getvalue()
