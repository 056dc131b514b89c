"""The steps of a book, as a build's worker runs them: render a part, count one, join them.

The book's parts are planned in :mod:`briefpack.render.book.parts`; each is
rendered here by WeasyPrint as a whole pack is (:mod:`briefpack.render.pdf`),
finished part by part (pre-reads drawn in, tags repaired:
:mod:`briefpack.render.book.pre_reads`), and the rendered parts are joined by
:mod:`briefpack.render.book.join`.  :func:`render_step` is the PDF format's
``render_step`` (:mod:`briefpack.render.formats`).
"""

from __future__ import annotations

from dataclasses import replace

from briefpack.model import Pack
from briefpack.render.book.parts import NUMBERS_PART, JoinSpec, PartSpec, RenderedPart
from briefpack.render.book.pre_reads import finish_book, kept_pages
from briefpack.render.pdf import fetcher_for, recipient_mark, weasyprint_pdf
from briefpack.render.rendered import Rendered
from briefpack.render.settings import RenderSettings
from briefpack.render.theme_css import font_files
from briefpack.render.view.anchors import link_descriptions, session_anchor


def render_part(pack: Pack, settings: RenderSettings, spec: PartSpec) -> RenderedPart:
    """One part of a book (:mod:`briefpack.render.book.parts`), finished as a whole pack is.

    A session's pre-read pages are drawn in and a tagged part's structure
    repaired here, part by part, so that joining the book is only joining.
    """
    fetcher = fetcher_for(pack, settings.chosen_theme)
    pdf, anchors_by_page = weasyprint_pdf(
        pack, settings, spec.html, fetcher, spec.extra_css, spec.variant
    )
    if spec.name != NUMBERS_PART:
        sessions = [session for session in pack.sessions if session.id == spec.name]
        kept = kept_pages(
            sessions, {session.id: session_anchor(session) for session in sessions}, anchors_by_page
        )
        tagged = spec.variant != "none"
        # A session's part is shared by every output that shows it: its links are
        # described from the session alone, whichever output's pack asked for it.
        described = replace(pack, days=pack.scope(spec.name)[0]) if sessions else pack
        descriptions = link_descriptions(described, pack.options.language) if tagged else None
        pdf = finish_book(pdf, kept, settings.chosen_theme.margins, None, descriptions)
    return RenderedPart(pdf, tuple(tuple(anchors) for anchors in anchors_by_page))


def join_book(pack: Pack, settings: RenderSettings, spec: JoinSpec) -> Rendered:
    """The book: its parts joined, each font embedded once, the page numbers laid over.

    A reader's book gets their mark over every page: rendered once, here,
    and drawn as one drawing that every page names.
    """
    from briefpack.render.book.join import join_parts

    mark = recipient_mark(pack, settings) if settings.recipient else None
    parts = [RenderedPart.from_bytes(data) for data in spec.parts]
    pdf = join_parts(
        [part.pdf for part in parts],
        sorted(font_files(settings.chosen_theme).values()),
        spec.numbers,
        spec.nested,
        mark,
    )
    return Rendered(pdf, sum(part.pages for part in parts))


def count_pages(pack: Pack, settings: RenderSettings, spec: PartSpec) -> RenderedPart:
    """A part's pages and the anchors on each: its layout only, no PDF written."""
    fetcher = fetcher_for(pack, settings.chosen_theme)
    _, anchors_by_page = weasyprint_pdf(
        pack, settings, spec.html, fetcher, spec.extra_css, spec.variant, write=False
    )
    return RenderedPart(b"", tuple(tuple(anchors) for anchors in anchors_by_page))


def render_step(pack: Pack, settings: RenderSettings, step: PartSpec | JoinSpec) -> Rendered:
    """One step of a book, as the build runs it on a worker: a part (as a file), or the join.

    A part to be counted only comes back as its anchors by page (JSON) and its page count.
    """
    if isinstance(step, JoinSpec):
        return join_book(pack, settings, step)
    if step.count_only:
        counted = count_pages(pack, settings, step)
        return Rendered(counted.anchors_json(), counted.pages)
    part = render_part(pack, settings, step)
    return Rendered(part.to_bytes(), part.pages)
