"""Pre-read pages in the book: each attachment page drawn into a page the HTML kept for it.

The HTML holds one empty page per attachment page (``<div class="attachment-page">``),
so WeasyPrint numbers, heads and footers them like every other page, lists them
in the contents and the outline, and embeds the pack's fonts once.  This
stage then draws each attachment page under its kept page, scaled to fit
between the top and bottom margins, where the running header and footer are.

Only a page's drawing is taken, as a form XObject: its annotations, and the
attachment's JavaScript, actions, embedded files and form fields, never reach
the book.  Nor does anything hidden behind the drawing's own resources (a
font's action, a second catalogue): the page is first rebuilt from what it
draws, each resource kept by an allow-list for its kind
(:mod:`briefpack.render.preread`).  pikepdf (qpdf) does the work: on a
500-page merge it took 0.3 s and 45 MB where pypdf took 24 s and 321 MB and
wrote a file ten times larger (benchmarks/README.md).

A PDF/UA or PDF/A book embeds every font it draws with: a pre-read's
unembedded Helvetica, Times or Courier (or Arial, Times New Roman, Courier
New) is given a metric-compatible face first (:mod:`briefpack.render.preread_fonts`).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from briefpack.errors import BriefpackError, Problem
from briefpack.model import Attachment, Session
from briefpack.model.theme import Margins

if TYPE_CHECKING:
    # pikepdf is imported when a book is finished, not by every user of page_anchor.
    from briefpack.render.preread import DrawingCleaner
    from briefpack.render.preread_sections import Wordings

#: Points in a millimetre.
POINTS_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class KeptPage:
    """A page of the rendered book kept for one attachment page."""

    #: 0-based page of the rendered book.
    book_page: int
    attachment: Attachment
    #: 0-based page of the attachment.
    attachment_page: int


def page_anchor(session_anchor: str, attachment_number: int, page_number: int) -> str:
    """The id of the HTML element that keeps attachment page ``page_number`` (1-based)."""
    return f"{session_anchor}-a{attachment_number}-p{page_number}"


def kept_pages(
    sessions: Sequence[Session],
    session_anchors: Mapping[str, str],
    anchors_by_page: Sequence[Sequence[str]],
) -> list[KeptPage]:
    """Where each attachment page of ``sessions`` goes, from the anchors on each rendered page."""
    page_of = {anchor: index for index, anchors in enumerate(anchors_by_page) for anchor in anchors}
    kept = []
    for session in sessions:
        for number, attachment in enumerate(session.attachments, start=1):
            for page in range(attachment.pages):
                anchor = page_anchor(session_anchors[session.id], number, page + 1)
                kept.append(KeptPage(page_of[anchor], attachment, page))
    return kept


def _place(page: Any, other: Any, area: Any, name: str, under: bool) -> None:
    """Draw ``other`` under (or over) ``page``'s own marks, scaled to fit ``area``, centred.

    pikepdf's ``Page.add_underlay`` and ``add_overlay``, with one change: the
    drawing's resource ``name`` is given rather than random, so that the same
    book gives the same bytes.  It must differ between pages: WeasyPrint's
    pages share one resource dictionary.
    """
    import pikepdf

    drawing = other.as_form_xobject()
    placed = page.add_resource(drawing, pikepdf.Name.XObject, pikepdf.Name(f"/{name}"))
    placement = page.calc_form_xobject_placement(
        drawing, placed, area, allow_shrink=True, allow_expand=True
    )
    # Outside the structure tree: an artifact, as a tagged (PDF/UA) book needs
    # every drawing to be tagged or marked so.
    placement = b"/Artifact BMC\n" + placement + b"\nEMC\n"
    if under:
        page.contents_add(placement, prepend=True)
    else:
        # Whatever state the page's drawing leaves must not change the overlay's.
        page.contents_add(b"q\n", prepend=True)
        page.contents_add(b"Q\n" + placement, prepend=False)
    page.contents_coalesce()


def _cleaned_page(cleaner: DrawingCleaner, item: KeptPage) -> Any:
    """The attachment page of ``item``, rebuilt from what it draws; refused at its line if not."""
    from briefpack.render.preread_content import DrawingRefusedError

    try:
        return cleaner.page(item.attachment_page)
    except DrawingRefusedError as error:
        attachment = item.attachment
        where = attachment.mark if attachment.mark.path != "<memory>" else str(attachment.path)
        raise BriefpackError(
            [
                Problem(
                    where,
                    f"'file': {attachment.path.name} cannot join the book: {error} (page "
                    f"{item.attachment_page + 1}); print it to PDF again and attach that copy",
                )
            ]
        ) from None


def _opened_as_checked(attachment: Attachment, again: str) -> Any:
    """The attachment's PDF, opened from bytes that are still those checked when the pack was read.

    Never reopened by path: a file swapped since (for a FIFO, which would
    hang the render, or a bomb, which would be drawn unchecked) is refused
    at the attachment's line (:func:`briefpack.render.preread.read_as_checked`).
    """
    import pikepdf

    from briefpack.render.preread import read_as_checked

    data = read_as_checked(attachment.path, attachment.digest)
    if data is None:
        where = attachment.mark if attachment.mark.path != "<memory>" else str(attachment.path)
        message = f"'{attachment.path.name}' changed since the pack was read; {again} again"
        raise BriefpackError([Problem(where, message)])
    return pikepdf.open(io.BytesIO(data))


def pre_read_problems(attachments: Sequence[Attachment]) -> list[Problem]:
    """Why any of ``attachments`` could not be drawn into a book, found as the book would.

    So that ``validate`` refuses, at the attachment's line, a pre-read that
    ``build`` would: every page is rebuilt from what it draws, and nothing kept.
    """
    import pikepdf

    from briefpack.render.preread import DrawingCleaner

    problems: list[Problem] = []
    checked = set()
    for attachment in attachments:
        if attachment.digest in checked:
            continue
        checked.add(attachment.digest)
        try:
            with _opened_as_checked(attachment, "validate") as source:
                cleaner = DrawingCleaner(source)
                for number in range(len(source.pages)):
                    _cleaned_page(cleaner, KeptPage(0, attachment, number))
        except BriefpackError as error:
            problems.extend(error.problems)
        except pikepdf.PdfError:
            # Read when the pack was loaded: it changed since, and the next read reports it.
            continue
    return problems


def finish_book(
    pdf: bytes,
    kept: Sequence[KeptPage],
    margins: Margins,
    mark: bytes | None = None,
    link_descriptions: Mapping[str, str] | None = None,
) -> bytes:
    """``pdf`` with every kept page showing its attachment page underneath its own marks.

    ``mark``, a one-page PDF (a recipient's name), is drawn over every page,
    pre-read pages included, on top of everything else.  A tagged PDF (given
    what its links lead to, ``link_descriptions``) has its structure repaired
    (:mod:`briefpack.render.tagging`) in the same pass, so the file is opened
    and written once.
    """
    if not kept and mark is None and link_descriptions is None:
        return pdf
    import pikepdf

    from briefpack.render.preread import DrawingCleaner
    from briefpack.render.preread_fonts import FontSubstituter
    from briefpack.render.preread_sections import PrereadPage, empty_divs, place_pre_read
    from briefpack.render.scrub import scrub_pdf
    from briefpack.render.tagging import repair_tags

    with pikepdf.open(io.BytesIO(pdf)) as book:
        # Opened anyway: nothing that acts stays, whatever the theme wrote (scrub.py).
        scrub_pdf(book)
        if link_descriptions is not None:
            repair_tags(book, link_descriptions)
        opened: dict[str, pikepdf.Pdf] = {}
        cleaners: dict[str, DrawingCleaner] = {}
        substituters: dict[str, FontSubstituter] = {}
        try:
            tagged = link_descriptions is not None and "/StructTreeRoot" in book.Root
            places = empty_divs(book) if tagged and kept else {}
            for run in _runs(kept):
                attachment = run[0].attachment
                cleaner = cleaners.get(attachment.digest)
                if cleaner is None:
                    source = _opened_as_checked(attachment, "build")
                    opened[attachment.digest] = source
                    _uninterpolated(source)
                    cleaner = cleaners[attachment.digest] = DrawingCleaner(source)
                    substituters[attachment.digest] = FontSubstituter(source)
                pages = [
                    PrereadPage(
                        item.book_page,
                        item.attachment_page,
                        _area(book.pages[item.book_page], margins),
                        _cleaned_page(cleaner, item),
                    )
                    for item in run
                ]
                if link_descriptions is not None:
                    # A PDF/UA or PDF/A book embeds every font it draws with (preread_fonts.py).
                    for item in pages:
                        substituters[attachment.digest].page(item.drawing)
                if tagged:
                    wordings = _wordings(book, attachment)
                    place_pre_read(book, cleaner.pdf, attachment, pages, places, wordings)
                    continue
                for item in pages:
                    page = book.pages[item.book_page]
                    name = f"BriefpackPreRead{item.book_page}"
                    _place(page, item.drawing, item.area, name, under=True)
            if mark is not None:
                stamp = opened["mark"] = pikepdf.open(io.BytesIO(mark))
                for number, page in enumerate(book.pages):
                    whole = pikepdf.Rectangle(*(float(value) for value in page.mediabox))
                    _place(page, stamp.pages[0], whole, f"BriefpackMark{number}", under=False)
            output = io.BytesIO()
            # Same content, same bytes: the file identifier comes from the content.  A
            # pre-read's structure is many small objects: in object streams, as
            # WeasyPrint writes the book's own (a 200-page tagged pre-read: 266 KB, not 1 MB).
            streams = (
                pikepdf.ObjectStreamMode.generate if kept else pikepdf.ObjectStreamMode.preserve
            )
            book.save(output, deterministic_id=True, object_stream_mode=streams)
        finally:
            for source in opened.values():
                source.close()
    return output.getvalue()


def _runs(kept: Sequence[KeptPage]) -> list[list[KeptPage]]:
    """``kept`` cut into one run of pages for each time an attachment is given."""
    runs: list[list[KeptPage]] = []
    for item in kept:
        if runs and item.attachment_page and runs[-1][-1].attachment is item.attachment:
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs


def _area(page: Any, margins: Margins) -> Any:
    """Where on a kept book page its pre-read page goes: between the top and bottom margins."""
    import pikepdf

    left, bottom, right, top = (float(value) for value in page.mediabox)
    return pikepdf.Rectangle(
        left, bottom + margins.bottom * POINTS_PER_MM, right, top - margins.top * POINTS_PER_MM
    )


def _wordings(book: Any, attachment: Attachment) -> Wordings:
    """How a pre-read is described, in the words of the book's language (its ``/Lang``)."""
    from briefpack.render.preread_sections import Wordings
    from briefpack.render.wording import wording_for

    language = book.Root.get("/Lang")
    wording = wording_for(str(language) if language is not None else "en")
    named = f"{wording.gettext('Pre-read')}: {attachment.title} ({attachment.path.name})"
    return Wordings(named, wording.gettext("Page %(page)s of %(pages)s"))


def _uninterpolated(source: Any) -> None:
    """Every picture of a pre-read drawn as it is (``/Interpolate false``), as the book's are.

    PDF/A forbids ``/Interpolate true``; it is only a viewer's hint to smooth
    a picture, so every book does without it.  The source is opened for this
    book and never written.
    """
    import pikepdf

    for thing in source.objects:
        if (
            isinstance(thing, pikepdf.Stream)
            and thing.get("/Subtype") == pikepdf.Name.Image
            and thing.get("/Interpolate") is not None
        ):
            thing.Interpolate = False
