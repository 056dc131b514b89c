"""The PDF writer: the HTML writer's document rendered by WeasyPrint.

WeasyPrint may fetch only files inside the theme folder (fonts, CSS, logo);
any other URL is refused and reported as a warning naming the pack file.
WeasyPrint reports its problems only through the ``weasyprint`` logger: they
are captured during each render, errors fail it and warnings are passed on.

Which font subsetter WeasyPrint finds (HarfBuzz's, or fontTools where
``libharfbuzz-subset0`` is missing) changes nothing but speed: fontTools
stamps the current time into every font subset it writes unless
``SOURCE_DATE_EPOCH`` is set, so the writer sets it to the document's date
while the PDF is written, and WeasyPrint's warning about the fallback, once
per font, becomes one line of advice on the ``briefpack.advice`` logger.
"""

from __future__ import annotations

import atexit
import datetime as dt
import gc
import hashlib
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import weasyprint

from briefpack.errors import ADVICE_LOGGER, BriefpackError, Problem
from briefpack.model import Pack, pack_images
from briefpack.model.answers import (
    FIELDS_VERSION,
    IDENTITY_PACK,
    IDENTITY_VERSION,
    pack_identity,
)
from briefpack.model.theme import Theme
from briefpack.render.book.pre_reads import finish_book, kept_pages
from briefpack.render.catalogues import printed_language
from briefpack.render.html import (
    IMAGES,
    PAGE_SIZES,
    html_document,
    stylesheet_text,
)
from briefpack.render.pdf_finish import finisher
from briefpack.render.recipient_mark import laid_out_mark
from briefpack.render.rendered import Rendered
from briefpack.render.scrub import scrub_document
from briefpack.render.settings import RenderSettings
from briefpack.render.theme_css import FONTS, LOGO, font_files
from briefpack.render.view.anchors import link_descriptions, session_anchor
from briefpack.render.wording import document_title, wording_for

logger = logging.getLogger("briefpack")
#: Hints about the machine rather than the content; the command line shows each once.
advice_logger = logging.getLogger(ADVICE_LOGGER)
#: What to do when WeasyPrint subsets fonts with fontTools.
SUBSETTER_INSTALL = (
    "install HarfBuzz's subsetter: libharfbuzz-subset0 on Debian and Ubuntu, harfbuzz elsewhere"
)
#: How WeasyPrint's warning that it subsets with fontTools begins.
_FALLBACK = "Using fontTools instead of HarfBuzz-Subset"
SUBSETTER_ADVICE = (
    f"note: fonts were subset by fontTools, the slower fallback; for faster builds "
    f"{SUBSETTER_INSTALL}"
)


#: Where the HTML's pictures appear to be: WeasyPrint names each picture by a hash
#: of its URL, so their real places would change the bytes from one checkout (or
#: worker) to another.  The fetcher serves these URLs from the files themselves.
DOCUMENT_BASE = Path("/briefpack-document")


class RestrictedFetcher(weasyprint.URLFetcher):  # type: ignore[misc]
    """Serves ``file:`` URLs inside the allowed folders; refuses and records the rest.

    ``files`` maps the URL path under which the HTML or the CSS refers to a
    file to that file: a content image (already checked by
    :mod:`briefpack.content.images`) or one of the theme's fonts.
    """

    def __init__(self, allowed: list[Path], files: dict[Path, Path] | None = None) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self.allowed = [folder.resolve() for folder in allowed]
        self.files = files or {}
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> weasyprint.urls.URLFetcherResponse:
        """Return the file named by ``url``, or raise ``ValueError`` and record the refusal."""
        path = self._allowed_path(url)
        if path is None:
            self.refused.append(url)
            raise ValueError(f"briefpack does not fetch {url}")
        return weasyprint.urls.URLFetcherResponse(url, body=path.read_bytes())

    def _allowed_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        requested = Path(unquote(parts.path))
        if requested in self.files:
            return self.files[requested]
        # resolve() follows symbolic links, so a link inside the theme that
        # points elsewhere is judged by where it leads.
        path = requested.resolve()
        if not path.is_file():
            return None
        if any(path.is_relative_to(folder) for folder in self.allowed):
            return path
        return None


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _captured_weasyprint_log() -> Iterator[_Capture]:
    weasyprint_logger = logging.getLogger("weasyprint")
    capture = _Capture()
    weasyprint_logger.addHandler(capture)
    previous_propagate = weasyprint_logger.propagate
    # Captured records are reported by briefpack, in its own words.
    weasyprint_logger.propagate = False
    try:
        yield capture
    finally:
        weasyprint_logger.removeHandler(capture)
        weasyprint_logger.propagate = previous_propagate


def render_pdf(pack: Pack, settings: RenderSettings) -> Rendered:
    """Render ``pack`` to PDF bytes, with the number of pages.

    Raises :class:`BriefpackError` when WeasyPrint logs an error; logs its
    warnings, and every refused URL, on the ``briefpack`` logger.
    """
    theme = settings.chosen_theme
    # The stylesheet is parsed (and its fonts loaded) once per process and
    # shared, so the HTML is made without its inline copy.
    html = html_document(pack, settings, inline_stylesheet=False)
    fetcher = fetcher_for(pack, theme)
    pdf, anchors_by_page = weasyprint_pdf(pack, settings, html, fetcher)
    return _finish(pack, settings, pdf, anchors_by_page, fetcher)


def fetcher_for(pack: Pack, theme: Theme) -> RestrictedFetcher:
    """What one render may fetch: the pack's pictures and the theme's logo, at fixed URLs."""
    files = {DOCUMENT_BASE / IMAGES / image.name: image.path for image in pack_images(pack)}
    if theme.logo is not None:
        files[DOCUMENT_BASE / LOGO / theme.logo.name] = theme.logo
    return RestrictedFetcher(theme.folders(), files)


def _finish(
    pack: Pack,
    settings: RenderSettings,
    pdf: bytes,
    anchors_by_page: list[list[str]],
    fetcher: RestrictedFetcher,
) -> Rendered:
    """The book stage: pre-read pages drawn in, a recipient's mark, the tags repaired."""
    from briefpack.render.stream_ends import unambiguous_stream_ends

    theme = settings.chosen_theme
    days, _ = pack.scope(settings.session)
    sessions = [session for day in days for session in day.sessions]
    kept = kept_pages(
        sessions, {session.id: session_anchor(session) for session in sessions}, anchors_by_page
    )
    mark = recipient_mark(pack, settings, fetcher) if settings.recipient else None
    tagged = settings.pdf_variant != "none"
    descriptions = link_descriptions(pack, pack.options.language) if tagged else None
    # Its fonts subset again by HarfBuzz, as a book's: the same bytes on any host.
    fonts = sorted(font_files(theme).values())
    pdf = finish_book(pdf, kept, theme.margins, mark, descriptions, fonts)
    pdf = unambiguous_stream_ends(pdf)
    return Rendered(pdf, len(anchors_by_page))


def weasyprint_pdf(
    pack: Pack,
    settings: RenderSettings,
    html: str,
    fetcher: RestrictedFetcher,
    extra_css: str | None = None,
    variant: str | None = None,
    write: bool = True,
    agenda: bool | None = None,
) -> tuple[bytes, list[list[str]]]:
    """WeasyPrint's PDF of ``html``, and the anchors on each of its pages; problems reported.

    A whole pack's HTML, or a book's part (:mod:`briefpack.render.book.steps`,
    with the part's ``extra_css`` and PDF ``variant``).  Without ``write``, only the
    layout: no PDF (empty bytes), its pages counted.
    """
    theme = settings.chosen_theme
    with _captured_weasyprint_log() as capture:
        # The agenda's styles for a pack that reads as one; ``agenda`` says so for the minutes.
        stylesheet, fonts, css = _theme_stylesheet(theme, pack.agenda if agenda is None else agenda)
        stylesheets = [stylesheet]
        if extra_css is not None:
            stylesheets.append(weasyprint.CSS(string=extra_css, font_config=fonts))
        document = weasyprint.HTML(
            string=html,
            base_url=DOCUMENT_BASE.as_uri() + "/",
            url_fetcher=fetcher,
        ).render(stylesheets=stylesheets, font_config=fonts, pdf_forms=settings.answer_fields)
        # Whatever the template wrote, no action, attachment or button reaches the PDF.
        scrub_document(document)
        pdf = b""
        if write:
            identity = _metadata(pack, settings, document)
            with _font_timestamps(settings.created):
                pdf = document.write_pdf(
                    pdf_identifier=_identifier(html, css + (extra_css or "")),
                    finisher=finisher(variant or settings.pdf_variant),
                    **variant_options(variant or settings.pdf_variant),
                    **identity,
                )
    fallback = [record for record in capture.records if str(record.msg).startswith(_FALLBACK)]
    if fallback:
        advice_logger.warning(SUBSETTER_ADVICE)
    for url in fetcher.refused:
        logger.warning("%s: warning: not fetched: %s", pack.source, url)
    # A refused fetch is already reported above; WeasyPrint logs it again as an
    # error ("Failed to load image"), which must not fail the pack.
    errors = [
        record
        for record in capture.records
        if record.levelno >= logging.ERROR
        and not any(url in record.getMessage() for url in fetcher.refused)
        # A picture without alt text is reported at its line when the pack is read.
        and not record.getMessage().endswith("has no required alt description")
    ]
    missing_glyphs = [record for record in capture.records if _is_missing_glyph(record)]
    _report_missing_glyphs(pack, settings, missing_glyphs)
    for record in capture.records:
        if record.levelno < logging.ERROR and record not in missing_glyphs + fallback:
            logger.warning("%s: warning: renderer: %s", pack.source, record.getMessage())
    if errors:
        raise BriefpackError(
            [
                Problem(pack.source, f"rendering failed: {_reason(record, fetcher)}")
                for record in errors
            ]
        )
    assert isinstance(pdf, bytes)
    return pdf, [list(page.anchors) for page in document.pages]


def _reason(record: logging.LogRecord, fetcher: RestrictedFetcher) -> str:
    """WeasyPrint's message, with the cause it leaves out and the file's path for its URL.

    WeasyPrint says "Failed to load image at 'URL': " with nothing after it,
    the reason being the cause of the exception it prints.
    """
    message = record.getMessage()
    error = record.args[-1] if isinstance(record.args, tuple) and record.args else None
    if isinstance(error, BaseException) and not str(error) and error.__cause__ is not None:
        cause = error.__cause__
        if type(cause).__name__ == "UnidentifiedImageError":
            message += "not a picture WeasyPrint can read (a PNG, a JPEG or a well-formed SVG)"
        else:
            message += f"{type(cause).__name__}: {cause}" if str(cause) else type(cause).__name__
    for url, path in fetcher.files.items():
        message = message.replace(repr(url.as_uri()), repr(str(path)))
    return message


#: The PDF variants briefpack writes, by the name ``--pdf-variant`` takes.
PDF_VARIANTS = ("pdf/ua-1", "pdf/a-2b", "pdf/a-3b", "none")


def variant_options(variant: str) -> dict[str, Any]:
    """WeasyPrint's options for a variant: PDF/A keeps the tags of PDF/UA.

    WeasyPrint claims one variant per file; a PDF/A file's PDF/UA-1 claim is
    added as it is written (:func:`briefpack.render.pdf_finish.claim_pdf_ua`).
    """
    if variant == "none":
        return {}
    if variant.startswith("pdf/a"):
        return {"pdf_variant": variant, "pdf_tags": True}
    return {"pdf_variant": variant}


def recipient_mark(
    pack: Pack, settings: RenderSettings, fetcher: RestrictedFetcher | None = None
) -> bytes:
    """One page bearing "Prepared for NAME · DATE", to lay over every page (recipient_mark.py)."""
    assert settings.recipient is not None
    if fetcher is None:
        fetcher = fetcher_for(pack, settings.chosen_theme)
    wording = wording_for(pack.options.language, pack.options.time_format)
    text = wording.prepared_for(settings.recipient, settings.created.date())
    stylesheet, fonts, css = _theme_stylesheet(settings.chosen_theme)

    def render(html: str) -> Any:
        return weasyprint.HTML(
            string=html, base_url=DOCUMENT_BASE.as_uri() + "/", url_fetcher=fetcher
        ).render(stylesheets=[stylesheet], font_config=fonts)

    page = (printed_language(pack.options.language), PAGE_SIZES[settings.paper])
    with _captured_weasyprint_log():
        html, document = laid_out_mark(text, *page, settings.chosen_theme.margins, render)
        scrub_document(document)
        with _font_timestamps(settings.created):
            return bytes(document.write_pdf(pdf_identifier=_identifier(html, css)))


_STYLESHEETS: dict[tuple[Path, str], tuple[Any, Any]] = {}
#: How many themes' stylesheets and fonts a process keeps loaded.
_WARM_THEMES = 4


@atexit.register
def _forget_stylesheets() -> None:
    """Free the cached font configuration, whose finaliser removes its temporary folder.

    For a process that renders itself; a worker is cleaned up by its parent
    (see :mod:`briefpack.build.workers`), as it leaves without running ``atexit``.
    """
    _STYLESHEETS.clear()
    gc.collect()


def _theme_stylesheet(theme: Theme, agenda: bool = False) -> tuple[Any, Any, str]:
    """The theme's parsed stylesheet and font configuration, and the stylesheet's text.

    Cached by the stylesheet's text, so a warm worker in watch mode picks up
    an edited theme.
    """
    from weasyprint.text.fonts import FontConfiguration

    text = stylesheet_text(theme, agenda)
    key = (theme.folder, hashlib.sha256(text.encode("utf-8")).hexdigest())
    if key not in _STYLESHEETS:
        # A few themes stay warm (a batch may mix them); the oldest goes, and its
        # font configuration's finaliser removes the fonts it copied.
        while len(_STYLESHEETS) >= _WARM_THEMES:
            del _STYLESHEETS[next(iter(_STYLESHEETS))]
        fonts = FontConfiguration()
        stylesheet = weasyprint.CSS(
            string=text,
            base_url=theme.folder.as_uri() + "/",
            # The generated @font-face rules name each font as fonts/NAME.
            url_fetcher=RestrictedFetcher(
                theme.folders(),
                {theme.folder / FONTS / name: path for name, path in font_files(theme).items()},
            ),
            font_config=fonts,
        )
        _STYLESHEETS[key] = (stylesheet, fonts)
    stylesheet, fonts = _STYLESHEETS[key]
    return stylesheet, fonts, text


def harfbuzz_subsetter_found() -> bool:
    """Whether WeasyPrint subsets fonts with HarfBuzz here, rather than the slower fontTools."""
    # The test WeasyPrint itself makes before each subset (weasyprint/pdf/fonts.py).
    from weasyprint.pdf import fonts
    from weasyprint.text.ffi import harfbuzz

    return fonts.harfbuzz_subset is not None and bool(harfbuzz.hb_version_atleast(4, 1, 0))


@contextmanager
def _font_timestamps(created: dt.datetime) -> Iterator[None]:
    """Let fontTools date the font subsets it writes with ``created``, not the clock.

    fontTools reads ``SOURCE_DATE_EPOCH`` when it saves a font.  Renders run
    one at a time in their process, so setting it for the duration is safe.
    """
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(created.timestamp()))
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def _is_missing_glyph(record: logging.LogRecord) -> bool:
    return str(record.msg).startswith(".notdef glyph rendered") and bool(record.args)


def _report_missing_glyphs(pack: Pack, settings: RenderSettings, records: list[Any]) -> None:
    """Name the characters no font could show that only the theme's template printed.

    The pack's texts were warned of at their lines when it was read (content/glyphs.py).
    """
    missing = {str(record.args[0]) for record in records if isinstance(record.args, tuple)}
    for text, _ in pack.printed_texts(settings.answers):
        missing.difference_update(text)
    if missing:
        listed = ", ".join(f"{character} (U+{ord(character):04X})" for character in sorted(missing))
        message = "the theme's template prints characters no font here can show (boxes)"
        logger.warning("%s: warning: %s: %s", pack.source, message, listed)


def _metadata(pack: Pack, settings: RenderSettings, document: Any) -> dict[str, Any]:
    """Title and language as briefpack means them, whatever the template wrote; identity.

    A session's pack is titled by its session (the window's title, what a
    screen reader says first); ``/Lang`` is the printed words' (``en`` for
    ``ja``, which has no catalogue).  Harvest reads a copy with answer fields'
    identity back (:data:`briefpack.model.answers.IDENTITY_PACK`).  A version
    (``options.version``, ``--issue``) is in the subject ("Version 3 · issued
    DATE", after the subtitle) and, as written, in ``/BriefpackVersion``.
    """
    document.metadata.lang = printed_language(pack.options.language)
    document.metadata.title = document_title(pack, pack.scope(settings.session)[1])
    custom = {}
    if settings.version:
        wording = wording_for(pack.options.language, pack.options.time_format)
        line = wording.version_line(settings.version, settings.created.date())
        subject = document.metadata.description
        document.metadata.description = f"{subject} · {line}" if subject else line
        custom[VERSION_KEY] = settings.version
    if settings.answer_fields:
        identity = pack_identity(pack.name, pack.days[0].date if pack.days else None)
        custom |= {IDENTITY_PACK: identity, IDENTITY_VERSION: FIELDS_VERSION}
    if not custom:
        return {}
    document.metadata.custom = custom
    return {"custom_metadata": True}


#: The document information entry that holds a version as written (``3.1``), for tools.
VERSION_KEY = "BriefpackVersion"


def _identifier(html: str, css: str) -> bytes:
    """A PDF file identifier that depends only on what was rendered."""
    digest = hashlib.md5(html.encode("utf-8"), usedforsecurity=False)
    digest.update(css.encode("utf-8"))
    return digest.hexdigest().encode("ascii")
