"""The full pack as a book of parts: which parts, the HTML of each, and the contents' numbers.

One WeasyPrint document for a whole pack makes every edit re-render every
page.  A book is rendered instead as parts, each cached by the hash of what
it is made from, then joined (:mod:`briefpack.render.book.join`):

1. the front matter (cover, at a glance, attendees) and one part per
   session, rendered in parallel; none carries a page number, so each
   depends on its own content alone;
2. the contents, whose numbers come from the other parts' page counts
   (:func:`contents_page_of`), and a sheet of "Page X of Y" footers;
3. the join: one file, one structure tree, one outline, one font program
   per font, the footers laid over the pages.

The contents' own page count decides every number after it.  Its layout does
not depend on the numbers (they sit in a cell of fixed width), so a render
with placeholder numbers counts its pages exactly; the build keeps that
count, and the last one, and checks the count of every contents it uses.

This module only plans: it imports no PDF library, so the build can decide
what to render without loading one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from markupsafe import Markup

from briefpack.model import Pack
from briefpack.render.catalogues import printed_language
from briefpack.render.html import (
    CONTENTS_PART,
    FRONT_PART,
    PACK_TOTAL,
    PAGE_SIZES,
    front_footer_css,
    html_document,
    page_footer_css,
)
from briefpack.render.internal_pages import page_html
from briefpack.render.settings import RenderSettings
from briefpack.render.theme_css import css_string
from briefpack.render.view.anchors import link_descriptions
from briefpack.render.wording import wording_for

#: The name of the sheet of page numbers laid over the joined book.
NUMBERS_PART = ":numbers"
#: Parts carry no page numbers: the book's are laid over them when they are joined
#: (a changes page's roman ones too, on its page named ``front-matter`` in pack.css).
NO_PAGE_NUMBERS = (
    "@page { @bottom-right { content: none; } } "
    "@page front-matter { @bottom-right { content: none; } }"
)
#: The id of a changes pack's changes page: the pages that list it are front matter,
#: numbered apart (in roman) and not counted among the pack's.
CHANGES_PAGE = "changes-page"
#: The sheet of page numbers: only the footer's "Page X of Y".
ONLY_PAGE_NUMBERS = (
    "@page { @top-left { content: none; } @top-right { content: none; } "
    "@bottom-left { content: none; } }"
)


@dataclass(frozen=True, slots=True)
class PartSpec:
    """One part to render: its HTML, the CSS added to the theme's, and the PDF variant.

    ``key`` is the hash of all of it: the same key, the same bytes.
    """

    name: str
    html: str
    extra_css: str
    variant: str
    key: str
    #: Only its page count is wanted (the contents with placeholder numbers).
    count_only: bool = False


@dataclass(frozen=True, slots=True)
class RenderedPart:
    """A rendered part: its PDF, and the anchors on each of its pages."""

    pdf: bytes
    anchors: tuple[tuple[str, ...], ...]

    @property
    def pages(self) -> int:
        """How many pages the part has."""
        return len(self.anchors)

    def anchors_json(self) -> bytes:
        """Its anchors by page, as one line of JSON."""
        return json.dumps(self.anchors, separators=(",", ":")).encode("utf-8")

    def to_bytes(self) -> bytes:
        """The part as one file: a line of JSON (its anchors by page), then the PDF."""
        return self.anchors_json() + b"\n" + self.pdf

    @classmethod
    def counted(cls, data: bytes) -> RenderedPart:
        """A part only counted, from :meth:`anchors_json`; ``ValueError`` if not one."""
        anchors = json.loads(data)
        if not isinstance(anchors, list):
            raise ValueError("not a part's anchors")
        return cls(b"", tuple(tuple(str(name) for name in page) for page in anchors))

    @property
    def front_matter(self) -> int:
        """How many of its pages are a changes page's: numbered apart, not counted."""
        return sum(1 for anchors in self.anchors if CHANGES_PAGE in anchors)

    @classmethod
    def from_bytes(cls, data: bytes) -> RenderedPart:
        """The part :meth:`to_bytes` wrote; ``ValueError`` if ``data`` is not one."""
        head, newline, pdf = data.partition(b"\n")
        anchors = json.loads(head)
        if not newline or not pdf.startswith(b"%PDF") or not isinstance(anchors, list):
            raise ValueError("not a rendered part")
        return cls(pdf, tuple(tuple(str(name) for name in page) for page in anchors))


@dataclass(frozen=True, slots=True)
class JoinSpec:
    """The last step: the parts in the book's order, and the sheet of page numbers."""

    parts: tuple[bytes, ...]
    numbers: bytes
    #: For each part: whether its bookmarks go under the book's last one (a
    #: session that does not open its day).
    nested: tuple[bool, ...]


def _spec(
    name: str,
    html: str,
    settings: RenderSettings,
    extra_css: str,
    variant: str,
    drawn_in: Sequence[str] = (),
) -> PartSpec:
    """A part, keyed by all it is made of; ``drawn_in``: the digests of pre-reads drawn in."""
    made_of = (name, html, extra_css, variant, settings.created.isoformat(), *drawn_in)
    key = hashlib.sha256("\0".join(made_of).encode("utf-8")).hexdigest()
    return PartSpec(name, html, extra_css, variant, key)


@dataclass(frozen=True, slots=True)
class BookPlan:
    """The parts of one output made as a book: its own front matter, then the sessions.

    The front matter (a cover, at a glance, attendees) is the output's own:
    the full pack's, a session pack's cover, a reader's.  The sessions' parts
    are shared: each is rendered from the session alone, with none of the
    output's settings (:func:`neutral_settings`), so the full pack, the
    session's own pack and every reader who sees the session use one part,
    rendered once.
    """

    front: PartSpec
    sessions: tuple[PartSpec, ...]
    #: Whether a contents follows the front matter (not in a session's pack).
    contents: bool
    #: Whether the front matter is numbered like the contents (a changes page lists
    #: the page of each change): counted first, then rendered with its numbers.
    numbered_front: bool = False

    @property
    def body(self) -> tuple[PartSpec, ...]:
        """The parts whose content alone makes them: the front (unless numbered), the sessions."""
        return self.sessions if self.numbered_front else (self.front, *self.sessions)


def neutral_settings(settings: RenderSettings) -> RenderSettings:
    """What a shared part is rendered with: no session, no reader, no earlier version.

    A session's marks come from the pack the model marked, not the settings:
    a session that did not change is the same part in a changes pack as in
    the pack, and is not rendered again.
    """
    return replace(
        settings,
        session=None,
        recipient=None,
        copy=None,
        changes_since=None,
        changes_date=None,
        # The version is the output's: its footers are the sheet of numbers', its
        # line the front's; a session's part is the same in every version.
        version=None,
    )


def plan_book(pack: Pack, settings: RenderSettings) -> BookPlan:
    """The parts of ``pack``'s output with ``settings``: a full pack, a session's, a reader's."""
    numbered = settings.changes_since is not None
    # A changes pack's front lists pages: counted first (this), numbered once known.
    front = front_part(pack, settings) if numbered else _plain_front(pack, settings)
    neutral = neutral_settings(settings)
    # A pre-read's pages are drawn into its session's part: its file is an input
    # there, though the HTML names only its title.
    sessions = tuple(
        _spec(
            session.id,
            html_document(pack, neutral, inline_stylesheet=False, part=session.id),
            neutral,
            NO_PAGE_NUMBERS,
            settings.pdf_variant,
            [item.digest for item in session.attachments],
        )
        for day in pack.scope(settings.session)[0]
        for session in day.sessions
    )
    return BookPlan(front, sessions, settings.session is None, numbered_front=numbered)


def _plain_front(pack: Pack, settings: RenderSettings) -> PartSpec:
    """The front matter that shows no page number: cover, at a glance, attendees."""
    html = html_document(pack, settings, inline_stylesheet=False, part=FRONT_PART)
    return _spec(FRONT_PART, html, settings, NO_PAGE_NUMBERS, settings.pdf_variant)


def body_parts(pack: Pack, settings: RenderSettings) -> list[PartSpec]:
    """The full pack's parts whose content alone makes them: the front, then each session."""
    return list(plan_book(pack, settings).body)


def contents_part(
    pack: Pack, settings: RenderSettings, page_of: Mapping[str, int] | None = None
) -> PartSpec:
    """The contents, numbered by ``page_of``; without it, placeholders, to count its pages."""
    return _numbered_part(CONTENTS_PART, pack, settings, page_of)


def front_part(
    pack: Pack, settings: RenderSettings, page_of: Mapping[str, int] | None = None
) -> PartSpec:
    """The front matter; a changes pack's numbered by ``page_of`` (without it, counted)."""
    return _numbered_part(FRONT_PART, pack, settings, page_of)


def _numbered_part(
    name: str, pack: Pack, settings: RenderSettings, page_of: Mapping[str, int] | None
) -> PartSpec:
    """A part that shows page numbers: with ``page_of``'s, or placeholders, to count its pages.

    Its layout does not depend on the numbers (they sit in cells of fixed
    width), so the placeholders' render counts its pages exactly.
    """
    counting = page_of is None
    if page_of is None:
        page_of = dict.fromkeys(link_descriptions(pack, pack.options.language), 0)
    html = html_document(pack, settings, inline_stylesheet=False, part=name, page_of=page_of)
    spec = _spec(name, html, settings, NO_PAGE_NUMBERS, settings.pdf_variant)
    return replace(spec, count_only=counting)


def contents_page_of(
    front_pages: int, contents_pages: int, sessions: Sequence[RenderedPart]
) -> dict[str, int]:
    """The page each anchor of the sessions is on, once joined after the front and contents.

    ``front_pages`` counts the front's pages that are numbered with the
    pack's: a changes page is not.
    """
    page_of: dict[str, int] = {}
    page = front_pages + contents_pages + 1
    for part in sessions:
        for number, anchors in enumerate(part.anchors):
            for anchor in anchors:
                page_of.setdefault(anchor, page + number)
        page += part.pages
    return page_of


def numbers_part(
    pack: Pack, settings: RenderSettings, pages: int, front_matter: int = 0
) -> PartSpec:
    """``pages`` pages showing only "Page X of Y" where the footer shows it; the first, none.

    The ``front_matter`` pages after the cover (a changes page) show "Page i"
    in roman and do not count among the pack's pages, as in one document.  With
    ``settings.version``, every footer starts with "Version 3 · issued DATE · ":
    the output's own settings, then, not a shared part's (the sheet's HTML says
    the version, so its key does too).
    """
    wording = wording_for(pack.options.language, pack.options.time_format)
    # "Version 3 · issued Oct 21, 2025 · " before the numbers, as one document's
    # footer has it (pack.css): the output's own, on every page the sheet covers.
    version = Markup("")
    if settings.version:
        line = wording.version_line(settings.version, settings.created.date())
        version = Markup(css_string(line + " · ")) + Markup(" ")
    page_footer = page_footer_css(wording, PACK_TOTAL if front_matter else "counter(pages)")
    html = page_html(
        "numbers.html.j2",
        language=printed_language(pack.options.language),
        page_size=PAGE_SIZES[settings.paper],
        page_footer=version + page_footer,
        front_footer=version + front_footer_css(wording) if front_matter else None,
        front_matter=front_matter,
        pages=pages,
    )
    # Drawn as artifacts over tagged pages: the sheet itself is untagged.
    return _spec(NUMBERS_PART, html, settings, ONLY_PAGE_NUMBERS, "none")


def nested_parts(pack: Pack, settings: RenderSettings) -> tuple[bool, ...]:
    """For the front, the contents (if any) and each session: whether it continues its day.

    A session that does not open its day (in the full pack: a session pack
    of such a session shows no day heading either) has its bookmarks under
    the last one before it: its day's, or the cover's in a session's pack.
    """
    continues = [
        day.continued or session is not day.sessions[0]
        for day in pack.scope(settings.session)[0]
        for session in day.sessions
    ]
    contents = settings.session is None
    return (False, *((False,) if contents else ()), *continues)
