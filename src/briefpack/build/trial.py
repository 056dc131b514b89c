"""What ``validate`` checks besides the pack file: its theme and answers, as ``build`` reads them.

A pack that validates must build, so ``validate`` chooses the pack's theme
and reads its answers file (``NAME.answers.yaml``) with the same functions
as the build, and renders the pack with the theme's template in every
variant the build may render (:func:`trial_variants`): a template's errors,
and its attempts to leave the sandbox, show only when the branch they are in
runs.  The built-in themes' template is briefpack's own and tested, so it
is not rendered, which keeps ``validate`` of a pack on a built-in theme quick:
the trial render (mostly importing the renderer and compiling the template)
took 0.23 s where reading the bundled pack took 0.17 s; every variant of the
generated 40 x 10 pack (about 200 renders) takes 2 s where one took 0.5 s.
Each SVG picture (the content's, the theme's logo) is drawn there too, as
the build would draw it, each as a job of its own: one that runs past the
time or memory limit is named by its own file.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from briefpack.build.chosen_settings import choose_theme, resolve_settings, theme_warnings
from briefpack.build.render_limits import Limits
from briefpack.content.answers_file import answers_path, load_answers
from briefpack.content.glyphs import glyph_warnings
from briefpack.errors import BriefpackError, Problem
from briefpack.model import Pack, pack_images
from briefpack.model.answers import Answers
from briefpack.model.changes import compare
from briefpack.model.theme import Theme
from briefpack.render.builtin_themes import templates_dir
from briefpack.render.rendered import Rendered
from briefpack.render.settings import RenderSettings, is_book
from briefpack.render.theme_css import font_files


def check_as_built(path: Path, pack: Pack, max_size: int) -> list[Problem]:
    """The warnings about ``pack``'s theme; raises with every problem of its theme and answers."""
    problems: list[Problem] = []
    answers = None
    if answers_path(path).is_file():
        try:
            answers = load_answers(answers_path(path), max_size)
        except BriefpackError as error:
            problems.extend(error.problems)
    warnings: list[Problem] = []
    try:
        where = pack.options.theme_mark or pack.source
        theme = choose_theme(pack.options.theme, path.parent, where)
        fonts = font_files(theme).values()
        warnings = [*theme_warnings(theme), *glyph_warnings(pack, theme, fonts, answers)]
        template = not _is_built_in(theme)
        if template or _svg_pictures(pack, theme):
            trial_render(pack, theme, answers, template)
    except BriefpackError as error:
        problems.extend(error.problems)
    from briefpack.render.book.pre_reads import pre_read_problems

    # Each pre-read rebuilt as the book will be, so that one it would refuse is refused here.
    problems.extend(pre_read_problems(pack.attachments))
    if problems:
        raise BriefpackError(problems)
    return warnings


#: The trial render's limits: the build's, so that what validates renders.
TRIAL_LIMITS = Limits()
#: What a trial render is given: the pack, its theme, its answers, and the SVG
#: picture to draw (``None``: render the template in every variant).
Trial = tuple[Pack, Theme, "Answers | None", "Path | None"]


def trial_render(pack: Pack, theme: Theme, answers: Answers | None, template: bool = True) -> None:
    """Render ``pack`` with ``theme`` as the build may (and with its answers, as the debrief).

    The template is a stranger's code: the sandbox stops it from reaching
    out, but not from looping or filling memory, so it runs in a worker
    process under the build's time and memory limits, as it would in
    ``build``.  So does the drawing of the SVG pictures (:func:`_draw_svgs`).
    """
    from briefpack.build.workers import WorkerPool

    class TrialPool(WorkerPool[Trial]):
        # validate has no --time-limit or --memory-limit: the limits are the build's defaults.
        time_advice = memory_advice = (
            "the build's default, which validate holds a template and each SVG picture to"
        )

    jobs: list[Trial] = [(pack, theme, answers, None)] if template else []
    jobs += [(pack, theme, answers, picture) for picture in _svg_pictures(pack, theme)]
    problems: list[Problem] = []
    with TrialPool(1, _render_trial, TRIAL_LIMITS, _describe) as pool:
        for _job, outcome, _seconds in pool.run(jobs):
            if isinstance(outcome, BriefpackError):
                problems.extend(outcome.problems)
    if problems:
        raise BriefpackError(problems)


def _render_trial(job: Trial) -> Rendered:
    """In the worker: render every variant the build may render, or draw one SVG picture."""
    from briefpack.render.html import html_document
    from briefpack.render.scrub import refuse_reaching_out

    pack, theme, answers, picture = job
    if picture is not None:
        _draw_svg(picture, theme)
        return Rendered(b"")
    for shown, settings, inline_stylesheet, part, page_of in trial_variants(pack, theme, answers):
        html = html_document(shown, settings, inline_stylesheet, part, page_of)
        if inline_stylesheet:
            # The HTML output's variant: refused as render_html refuses it.
            refuse_reaching_out(html, theme.template)
    return Rendered(b"")


def _svg_pictures(pack: Pack, theme: Theme) -> list[Path]:
    """The SVG files the build draws: the content's pictures and the theme's logo."""
    pictures = [image.path for image in pack_images(pack)]
    if theme.logo is not None:
        pictures.append(theme.logo)
    return [picture for picture in pictures if picture.suffix.lower() == ".svg"]


def _draw_svg(picture: Path, theme: Theme) -> None:
    """Draw an SVG picture with WeasyPrint as the build does; raise if it cannot.

    :func:`briefpack.content.images.check_svg` refuses what would draw
    without end, or read files; but WeasyPrint fails a picture for reasons
    no list could hold (``opacity="x"``, a font size of ``1e30``, a
    ``clip-path`` that clips itself), and fails the build with it.  Drawing
    the first one costs importing WeasyPrint (0.8 s), paid only by a pack with SVGs.
    """
    import weasyprint

    from briefpack.render.pdf import DOCUMENT_BASE, RestrictedFetcher

    capture = _Records()
    logger = logging.getLogger("weasyprint")
    level = logger.level
    # WeasyPrint logs why a picture failed at DEBUG, after "Failed to render".
    logger.setLevel(logging.DEBUG)
    logger.addHandler(capture)
    try:
        url = (DOCUMENT_BASE / "picture.svg").as_uri()
        fetcher = RestrictedFetcher(theme.folders(), {DOCUMENT_BASE / "picture.svg": picture})
        weasyprint.HTML(
            string=f'<img src="{url}" alt="">', base_url=url, url_fetcher=fetcher
        ).write_pdf()
    finally:
        logger.removeHandler(capture)
        logger.setLevel(level)
    failed = [
        record
        for record in capture.records
        if record.levelno >= logging.ERROR
        and not any(refused in record.getMessage() for refused in fetcher.refused)
    ]
    if failed:
        raise BriefpackError([Problem(str(picture), _cannot_draw(capture.records))])


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _cannot_draw(records: list[logging.LogRecord]) -> str:
    """Why WeasyPrint could not draw a picture: the exception it logged, if it did."""
    causes = [record.exc_info[1] for record in records if record.exc_info and record.exc_info[1]]
    if not causes:
        return "the renderer cannot draw this SVG picture"
    cause = causes[-1]
    why = f"{type(cause).__name__}: {cause}" if str(cause) else type(cause).__name__
    return f"the renderer cannot draw this SVG picture ({why})"


#: What ``--pdf-variant`` may ask for (:data:`briefpack.render.pdf.PDF_VARIANTS`,
#: not imported: that would load WeasyPrint into validate for four words).
_PDF_VARIANTS = ("pdf/ua-1", "pdf/a-2b", "pdf/a-3b", "none")
#: One render of a template: the pack it shows, settings, inline stylesheet, part, page numbers.
Variant = tuple[Pack, RenderSettings, bool, "str | None", "dict[str, int] | None"]


def trial_variants(pack: Pack, theme: Theme, answers: Answers | None) -> Iterator[Variant]:
    """Every way the build may render ``pack``'s template, as :func:`~briefpack.build.planning.plan`
    and the writers do, whatever the command line asks.

    A template's branches are code a render may never take: a sandbox
    refusal in ``{% if settings.session %}`` shows only in a session's pack.
    So the template is rendered as the HTML (stylesheet inline) and the PDF
    (without), for the full pack, each session, each recipient, the
    change-marked pack and sessions, the debrief when there are answers and,
    for a pack long enough to be made as a book, each part; all of it again
    with each setting the command line may change (``--notes``,
    ``--answer-fields``, ``--paper``, ``--pdf-variant``) turned the other way,
    and the full pack's PDF in each ``--pdf-variant``.  A branch taken only by
    some combination of these is not found; the build still refuses it.
    """
    base = resolve_settings(pack, os.environ, theme=theme)
    turned = replace(
        base,
        notes=not base.notes,
        answer_fields=not base.answer_fields,
        paper="letter" if base.paper == "a4" else "a4",
        pdf_variant="none",
    )
    # validate has no earlier version: the pack compared with itself takes
    # the template's change-marked branches, every item marked unchanged.
    marked = compare(pack, pack)
    for variant in _PDF_VARIANTS:
        yield pack, replace(base, pdf_variant=variant), False, None, None
    for settings in (base, turned):
        yield pack, settings, True, None, None
        yield pack, settings, False, None, None
        for session in pack.sessions:
            yield pack, replace(settings, session=session.id), False, None, None
        for reader in pack.recipients:
            yield (
                pack.for_recipient(reader),
                replace(settings, recipient=reader.name),
                False,
                None,
                None,
            )
        since = replace(settings, changes_since="earlier", changes_date=pack.days[0].date)
        yield marked, since, False, None, None
        for session in marked.sessions:
            yield marked, replace(since, session=session.id), False, None, None
        if answers is not None:
            yield pack, replace(settings, answers=answers), False, None, None
    yield from _book_parts(pack, replace(base, answer_fields=False))


def _book_parts(pack: Pack, settings: RenderSettings) -> Iterator[Variant]:
    """The parts of ``pack`` made as a book (:mod:`briefpack.render.book.parts`), if it can be."""
    from briefpack.render.html import CONTENTS_PART, FRONT_PART
    from briefpack.render.view.anchors import link_descriptions

    if not is_book(pack, settings):
        return
    for name in (FRONT_PART, *(session.id for session in pack.sessions)):
        yield pack, settings, False, name, None
    # The contents are rendered to count their pages, then with their numbers.
    numbers = dict.fromkeys(link_descriptions(pack, pack.options.language), 0)
    yield pack, settings, False, CONTENTS_PART, numbers


def _describe(job: Trial) -> str:
    """Where a trial that ran past a limit is reported: the picture, else the template."""
    _, theme, _, picture = job
    return str(picture if picture is not None else theme.template)


def _is_built_in(theme: Theme) -> bool:
    """Whether ``theme`` renders with the built-in template (every built-in theme does)."""
    return theme.template.resolve() == (templates_dir() / "pack.html.j2").resolve()
