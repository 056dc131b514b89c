"""No stream of a written PDF ends in a carriage return, which PDF/A readers would miscount.

Every PDF briefpack writes, a single document or a joined book, passes
through :func:`unambiguous_stream_ends` last.
"""

from __future__ import annotations

import io
import re
import zlib

import pikepdf

#: Stream data ending in a carriage return, then the line feed written before ``endstream``.
_CR_BEFORE_ENDSTREAM = re.compile(rb"\r\nendstream")


def unambiguous_stream_ends(data: bytes) -> bytes:
    """``data`` with no stream's data ending in a carriage return, re-encoded if one did.

    qpdf and pydyf write a line feed before ``endstream``; after data that
    ends in CR a reader takes CR LF for that end of line and counts the
    stream a byte short of its ``/Length``, which PDF/A forbids (ISO 19005-2
    §6.1.7.1; ``page``'s STREAM-LENGTH rule).  A compressed stream ends in CR
    about once in 256 (the last byte of its checksum), so most files are
    returned as they are, after one search.
    """
    if not _CR_BEFORE_ENDSTREAM.search(data):
        return data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for thing in pdf.objects:
            if isinstance(thing, pikepdf.Stream) and thing.read_raw_bytes().endswith(b"\r"):
                _reencoded(thing)
        for mode in (pikepdf.ObjectStreamMode.preserve, pikepdf.ObjectStreamMode.disable):
            output = io.BytesIO()
            pdf.save(output, deterministic_id=True, object_stream_mode=mode)
            # An object stream qpdf wrote may end so too: then none is written.
            if not _CR_BEFORE_ENDSTREAM.search(output.getvalue()):
                break
    return output.getvalue()


def _reencoded(stream: pikepdf.Stream) -> None:
    """Compress ``stream`` (raw or Flate) again so that its data does not end in CR.

    Its last byte is that of zlib's checksum of what it holds, whatever the
    compression, so the data compressed is changed, not its meaning: one row
    of the PNG predictor "Up", whose first row is the bytes as they are,
    after a type byte of 2 that adds two to the checksum.  qpdf keeps Flate
    data as it is when it writes the file.
    """
    if stream.get("/Filter") not in (None, pikepdf.Name.FlateDecode):
        return  # a JPEG ends in FF D9; other filters are not WeasyPrint's
    data = stream.read_bytes()
    encoded = zlib.compress(b"\x02" + data, 9)
    if data and not encoded.endswith(b"\r"):
        parameters = pikepdf.Dictionary(Predictor=12, Columns=len(data))
        stream.write(encoded, filter=pikepdf.Name.FlateDecode, decode_parms=parameters)
