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
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefpack.errors import BriefpackError, Problem
from briefpack.model import Attachment, Session
from briefpack.model.theme import Margins
from briefpack.render.book.overlay import MARK_NAME, lay_over_every_page, place_page

if TYPE_CHECKING:
    # pikepdf is imported when a book is finished, not by every user of page_anchor.
    from briefpack.render.preread import DrawingCleaner
    from briefpack.render.preread_fonts import FontSubstituter
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
    #: The id of the HTML element that keeps it (:func:`page_anchor`), unique in the book.
    anchor: str = ""


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
                kept.append(KeptPage(page_of[anchor], attachment, page, anchor))
    return kept


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
    font_files: Sequence[Path] = (),
) -> bytes:
    """``pdf`` with every kept page showing its attachment page underneath its own marks.

    ``mark``, a one-page PDF (a recipient's name), is drawn over every page,
    pre-read pages included, on top of everything else.  A tagged PDF (given
    what its links lead to, ``link_descriptions``) has its structure repaired
    (:mod:`briefpack.render.tagging`) in the same pass, so the file is opened
    and written once.  Given the theme's ``font_files``, each font is subset
    again from its file by HarfBuzz (:func:`~briefpack.render.book.shared_fonts.share_fonts`),
    as a joined book's are: the same bytes whichever subsetter WeasyPrint found.
    """
    if not kept and mark is None and link_descriptions is None and not font_files:
        return pdf
    import pikepdf

    from briefpack.render.scrub import scrub_pdf
    from briefpack.render.tagging import repair_tags

    with pikepdf.open(io.BytesIO(pdf)) as book, _Sources() as sources:
        # Opened anyway: nothing that acts stays, whatever the theme wrote (scrub.py).
        scrub_pdf(book)
        if link_descriptions is not None:
            repair_tags(book, link_descriptions)
        # A PDF/UA or PDF/A book embeds every font it draws with (preread_fonts.py).
        embed_fonts = link_descriptions is not None
        tagged = embed_fonts and "/StructTreeRoot" in book.Root
        _draw_pre_reads(book, kept, margins, sources, embed_fonts, tagged)
        if mark is not None:
            lay_over_every_page(book, sources.opened(mark), MARK_NAME)
        if font_files:
            from briefpack.render.book.shared_fonts import share_fonts

            share_fonts(book, font_files)
        return _saved(book, kept)


class _Sources:
    """The PDFs a book is finished from, each pre-read opened, checked and cleaned once.

    All stay open until the book is written (it draws from them), then are
    closed together, as the ``with`` block ends.
    """

    def __init__(self) -> None:
        self.files: list[Any] = []
        self.cleaners: dict[str, DrawingCleaner] = {}
        self.substituters: dict[str, FontSubstituter] = {}

    def __enter__(self) -> _Sources:
        return self

    def __exit__(self, *_: object) -> None:
        for source in self.files:
            source.close()

    def opened(self, data: bytes) -> Any:
        """``data`` opened as a PDF, to be closed with the others."""
        import pikepdf

        self.files.append(pikepdf.open(io.BytesIO(data)))
        return self.files[-1]

    def pre_read(self, attachment: Attachment) -> tuple[DrawingCleaner, FontSubstituter]:
        """The cleaner and the font substituter of ``attachment``'s file, opened on first use."""
        from briefpack.render.book.shared_fonts import distinct_subset_tags
        from briefpack.render.preread import DrawingCleaner
        from briefpack.render.preread_fonts import FontSubstituter

        cleaner = self.cleaners.get(attachment.digest)
        if cleaner is None:
            source = _opened_as_checked(attachment, "build")
            self.files.append(source)
            _uninterpolated(source)
            # Its subset fonts are never taken for the book's own (shared_fonts.py).
            distinct_subset_tags(source)
            cleaner = self.cleaners[attachment.digest] = DrawingCleaner(source)
            self.substituters[attachment.digest] = FontSubstituter(source)
        return cleaner, self.substituters[attachment.digest]


def _draw_pre_reads(
    book: Any,
    kept: Sequence[KeptPage],
    margins: Margins,
    sources: _Sources,
    embed_fonts: bool,
    tagged: bool,
) -> None:
    """Each kept page of ``book`` given its pre-read page underneath: tagged, or an artifact."""
    from briefpack.render.preread_sections import PrereadPage, empty_divs, place_pre_read

    places = empty_divs(book) if tagged and kept else {}
    for run in _runs(kept):
        attachment = run[0].attachment
        cleaner, substituter = sources.pre_read(attachment)
        pages = [
            PrereadPage(
                item.book_page,
                item.attachment_page,
                _area(book.pages[item.book_page], margins),
                _cleaned_page(cleaner, item),
            )
            for item in run
        ]
        if embed_fonts:
            for item in pages:
                substituter.page(item.drawing)
        if tagged:
            wordings = _wordings(book, attachment)
            # Unique in a book of parts too: the anchor names the session.
            prefix = f"{run[0].anchor or run[0].book_page}:"
            place_pre_read(book, cleaner.pdf, attachment, pages, places, wordings, prefix)
            continue
        for item in pages:
            page = book.pages[item.book_page]
            name = f"BriefpackPreRead{item.book_page}"
            place_page(page, item.drawing, item.area, name, under=True)


def _saved(book: Any, kept: Sequence[KeptPage]) -> bytes:
    """``book`` written: same content, same bytes (the file identifier comes from the content)."""
    import pikepdf

    output = io.BytesIO()
    # A pre-read's structure is many small objects: in object streams, as
    # WeasyPrint writes the book's own (a 200-page tagged pre-read: 266 KB, not 1 MB).
    streams = pikepdf.ObjectStreamMode.generate if kept else pikepdf.ObjectStreamMode.preserve
    book.save(output, deterministic_id=True, object_stream_mode=streams)
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
