"""What ``validate`` checks besides the pack file: its theme and answers, as ``build`` reads them.

A pack that validates must build, so ``validate`` chooses the pack's theme
and reads its answers file (``NAME.answers.yaml``) with the same functions
as the build, and renders the pack's HTML once with the theme's template:
a template's errors, and its attempts to leave the sandbox, show only when
it runs.  The built-in themes' template is briefpack's own and tested, so it
is not rendered, which keeps ``validate`` of a pack on a built-in theme quick:
the trial render (mostly importing the renderer and compiling the template)
took 0.23 s where reading the bundled pack took 0.17 s.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from briefpack.build.limits import Limits
from briefpack.build.settings import choose_theme, resolve_settings, theme_warnings
from briefpack.content.answers import answers_path, load_answers
from briefpack.errors import BriefpackError, Problem
from briefpack.model import Pack
from briefpack.model.answers import Answers
from briefpack.model.theme import Theme
from briefpack.render.theme import templates_dir


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
        warnings = theme_warnings(theme)
        if not _is_built_in(theme):
            trial_render(pack, theme, answers)
    except BriefpackError as error:
        problems.extend(error.problems)
    from briefpack.render.attachments import pre_read_problems

    # Each pre-read rebuilt as the book will be, so that one it would refuse is refused here.
    problems.extend(pre_read_problems(pack.attachments))
    if problems:
        raise BriefpackError(problems)
    return warnings


#: The trial render's limits: the build's, so that what validates renders.
TRIAL_LIMITS = Limits()
#: What a trial render is given: the pack, its theme and its answers.
Trial = tuple[Pack, Theme, "Answers | None"]


def trial_render(pack: Pack, theme: Theme, answers: Answers | None) -> None:
    """Render ``pack``'s HTML with ``theme`` (and its answers, for the debrief's part).

    The template is a stranger's code: the sandbox stops it from reaching
    out, but not from looping or filling memory, so it runs in a worker
    process under the build's time and memory limits, as it would in
    ``build``.
    """
    from briefpack.build.workers import WorkerPool

    class TrialPool(WorkerPool[Trial]):
        # validate has no --time-limit or --memory-limit: the limits are the build's defaults.
        time_advice = memory_advice = "the build's default, which validate holds a template to"

    job: Trial = (pack, theme, answers)
    with TrialPool(1, _render_trial, TRIAL_LIMITS, _describe) as pool:
        for _job, outcome, _seconds in pool.run([job]):
            if isinstance(outcome, BriefpackError):
                raise outcome


def _render_trial(job: Trial) -> tuple[bytes, int | None]:
    """In the worker: render the HTML and send back nothing but success."""
    from briefpack.render.html import html_document

    pack, theme, answers = job
    settings = replace(resolve_settings(pack, os.environ, theme=theme), answers=answers)
    html_document(pack, settings)
    return b"", None


def _describe(job: Trial) -> str:
    return str(job[1].template)


def _is_built_in(theme: Theme) -> bool:
    """Whether ``theme`` renders with the built-in template (every built-in theme does)."""
    return theme.template.resolve() == (templates_dir() / "pack.html.j2").resolve()
