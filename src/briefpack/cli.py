"""The ``briefpack`` command: parses options, calls the library, prints results.

Kept thin and cheap to import: ``briefpack --help`` and ``briefpack validate``
must not pay for the renderers.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import click

from briefpack import __version__
from briefpack.build.limits import DEFAULT_TIME_LIMIT, Limits
from briefpack.errors import ADVICE_LOGGER, BriefpackError
from briefpack.model import PAPER_SIZES
from briefpack.render.formats import DEFAULT_FORMATS, FORMATS

if TYPE_CHECKING:
    from briefpack.build.pipeline import BuildOptions, BuildReport, Progress

DEFAULT_CONTENT = "content"
#: Exit status for a bug in briefpack, as opposed to a problem with the input.
EXIT_INTERNAL_ERROR = 70
#: Exit status after Ctrl-C, as a shell reports a process ended by SIGINT.
EXIT_INTERRUPTED = 130


class ByteSize(click.ParamType):  # type: ignore[type-arg]
    """A size in bytes, written plainly or with a unit: 500k, 5MB, 1.5M."""

    name = "size"
    _UNITS: ClassVar[dict[str, int]] = {
        "": 1,
        "b": 1,
        "k": 1024,
        "kb": 1024,
        "m": 1024**2,
        "mb": 1024**2,
        "g": 1024**3,
        "gb": 1024**3,
    }

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        """Return the number of bytes ``value`` stands for."""
        if isinstance(value, int):
            return value
        import re

        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", str(value))
        unit = match.group(2).lower() if match else ""
        if match is None or unit not in self._UNITS or float(match.group(1)) <= 0:
            self.fail(f"{value!r} is not a size such as 500k or 5MB", param, ctx)
        return int(float(match.group(1)) * self._UNITS[unit])


MAX_SIZE_OPTION = click.option(
    "--max-size",
    type=ByteSize(),
    default="5MB",
    show_default=True,
    help="Refuse pack files larger than this, before reading them.",
)


class _BriefpackGroup(click.Group):
    """Turns unexpected exceptions into a short bug report unless ``--debug`` is given."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as error:
            if ctx.params.get("debug"):
                raise
            click.echo(
                f"briefpack: internal error: {type(error).__name__}: {error}\n"
                "This is a bug in briefpack. Run the same command with --debug "
                "to see the traceback, and report it.",
                err=True,
            )
            sys.exit(EXIT_INTERNAL_ERROR)


@click.group(cls=_BriefpackGroup)
@click.version_option(__version__, prog_name="briefpack")
@click.option("--debug", is_flag=True, help="Show a traceback when briefpack itself fails.")
def cli(debug: bool) -> None:
    """Turn briefing content written in YAML into executive PDF and Word packs.

    \b
    Examples:
      briefpack build                     build every pack in content/ into build/
      briefpack build -f html -f pdf      also write the HTML the PDF is made from
      briefpack validate                  check every pack in content/
      briefpack validate content/q4.yaml  check one pack
      briefpack new q4-offsite            start a pack from a commented example
      briefpack import agenda.md          turn a Markdown agenda into a pack
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@MAX_SIZE_OPTION
def validate(paths: tuple[str, ...], max_size: int) -> None:
    """Check packs against the content format and report every problem.

    PATHS are pack files or folders (a folder means every *.yaml and *.yml
    file in it); the default is content/. Each problem is printed as
    PATH:LINE:COL: message, every problem of a file in one run. Exits with
    status 1 if any pack has a problem.

    \b
    Examples:
      briefpack validate
      briefpack validate content/aws-devex-2025.yaml
      briefpack validate content/ other-event/
    """
    from briefpack.build.discover import find_packs
    from briefpack.content.validate import load_pack

    files = find_packs(paths or (DEFAULT_CONTENT,))
    failed = 0
    for path in files:
        try:
            pack = load_pack(path, max_size=max_size)
        except BriefpackError as error:
            error.show()
            failed += 1
            continue
        click.echo(f"{path}: ok: {pack.summary()}")
    if failed:
        click.echo(
            f"{failed} of {len(files)} pack{'s' if len(files) > 1 else ''} invalid", err=True
        )
        sys.exit(1)


F = TypeVar("F", bound=Callable[..., Any])


def build_options(command: F) -> F:
    """The options that ``build`` and ``watch`` share."""
    for option in reversed(_BUILD_OPTIONS):
        command = option(command)
    return command


_BUILD_OPTIONS: list[Callable[[Any], Any]] = [
    click.option(
        "-o",
        "--out",
        "out_dir",
        default="build",
        show_default=True,
        type=click.Path(file_okay=False, path_type=Path),
        help="Folder for the outputs; each pack gets OUT/NAME/.",
    ),
    click.option(
        "-f",
        "--format",
        "formats",
        multiple=True,
        type=click.Choice(FORMATS),
        help="Output format; repeat for several. Default: pdf and docx.",
    ),
    click.option(
        "--paper",
        type=click.Choice(PAPER_SIZES, case_sensitive=False),
        help="Paper size; overrides the pack's options.paper. Default: a4.",
    ),
    click.option(
        "--notes/--no-notes",
        default=None,
        help="Ruled space for notes under each question; overrides options.notes.",
    ),
    click.option(
        "--reference-docx",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="A Word template whose styles and page setup the .docx takes.",
    ),
    click.option("--no-sessions", is_flag=True, help="Skip the per-session packs."),
    click.option("--force", is_flag=True, help="Rebuild every output, even those up to date."),
    click.option(
        "-j",
        "--jobs",
        type=click.IntRange(min=1),
        help="Render on this many worker processes. Default: the number of CPUs.",
    ),
    MAX_SIZE_OPTION,
    click.option(
        "--time-limit",
        type=click.FloatRange(min=0, min_open=True),
        default=DEFAULT_TIME_LIMIT,
        show_default=True,
        help="Seconds one output may take to render; a slower one fails alone.",
    ),
    click.option(
        "--memory-limit",
        type=ByteSize(),
        default="4GB",
        show_default=True,
        help="Memory (address space) a render may use; a hungrier one fails alone.",
    ),
    click.option("-q", "--quiet", is_flag=True, help="Print only problems and the summary."),
    click.option(
        "-v", "--verbose", is_flag=True, help="Also list the outputs that were up to date."
    ),
]


def _options_from(
    out_dir: Path,
    formats: tuple[str, ...],
    paper: str | None,
    notes: bool | None,
    reference_docx: Path | None,
    no_sessions: bool,
    force: bool,
    jobs: int | None,
    max_size: int,
    time_limit: float,
    memory_limit: int,
    **_: Any,
) -> BuildOptions:
    import os

    from briefpack.build.pipeline import BuildOptions

    return BuildOptions(
        out_dir=out_dir,
        formats=tuple(dict.fromkeys(formats)) or DEFAULT_FORMATS,
        paper=paper.lower() if paper else None,
        notes=notes,
        reference_docx=reference_docx,
        sessions=not no_sessions,
        force=force,
        jobs=jobs or os.cpu_count() or 1,
        max_size=max_size,
        limits=Limits(seconds=time_limit, memory=memory_limit),
    )


def _progress(quiet: bool, verbose: bool) -> Progress:
    import os

    from briefpack.build.progress import PlainProgress, TerminalProgress

    verbosity = -1 if quiet else 1 if verbose else 0
    interactive = sys.stdout.isatty() and os.environ.get("TERM") != "dumb"
    return TerminalProgress(verbosity) if interactive else PlainProgress(verbosity)


def _summary(report: BuildReport, elapsed: float) -> str:
    parts = [f"{len(report.written)} written", f"{len(report.up_to_date)} up to date"]
    if report.removed:
        parts.append(f"{len(report.removed)} removed")
    parts.append(f"{len(report.failures)} problem{'s' if len(report.failures) != 1 else ''}")
    return f"{', '.join(parts)}, in {elapsed:.1f} s"


def _report(report: BuildReport, elapsed: float) -> None:
    for warning in report.warnings:
        click.echo(str(warning), err=True)
    if report.failures:
        BriefpackError(report.failures).show()
    click.echo(_summary(report, elapsed), err=not report.ok)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@build_options
def build(paths: tuple[str, ...], quiet: bool, verbose: bool, **options: Any) -> None:
    """Build the PDF and the Word copy of each pack, and of each of its sessions.

    PATHS are pack files or folders, as for validate; the default is
    content/. Each pack NAME.yaml is written to OUT/NAME/NAME.pdf and
    NAME.docx, each session to OUT/NAME/sessions/NN-ID.pdf and .docx, and
    OUT/NAME/manifest.json lists them all. Only outputs whose content,
    theme, template or options changed are rendered again. Problems are
    printed as PATH:LINE:COL: message; a pack with problems is skipped while
    the others build, and the exit status is then 1. Dates in the documents
    come from SOURCE_DATE_EPOCH when set, otherwise from the content, so the
    same content always gives the same bytes.

    \b
    Examples:
      briefpack build
      briefpack build content/aws-devex-2025.yaml --paper letter --notes
      briefpack build -f pdf -f html -o /tmp/packs --no-sessions
      briefpack build -f docx --reference-docx company.docx
    """
    import os
    import time

    from briefpack.build.discover import find_packs
    from briefpack.build.pipeline import build as run_build

    started = time.perf_counter()
    _report_warnings_on_stderr(quiet)
    files = find_packs(paths or (DEFAULT_CONTENT,))
    try:
        report = run_build(files, _options_from(**options), os.environ, _progress(quiet, verbose))
    except KeyboardInterrupt:
        click.echo("interrupted: finished outputs are in place, nothing half-written", err=True)
        sys.exit(EXIT_INTERRUPTED)
    _report(report, time.perf_counter() - started)
    if not report.ok:
        sys.exit(1)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@build_options
def watch(paths: tuple[str, ...], quiet: bool, verbose: bool, **options: Any) -> None:
    """Build, then rebuild what each save touches, until Ctrl-C.

    Watches the packs' folders and the theme. Each save renders only what it
    changed, session packs first, on worker processes that stay warm between
    saves. An invalid save prints its problems and keeps watching; the last
    good outputs stay in place. Takes the same options as build.

    \b
    Examples:
      briefpack watch
      briefpack watch content/aws-devex-2025.yaml -f pdf --no-sessions
    """
    from briefpack.authoring.watch import watch_and_build

    _report_warnings_on_stderr(quiet)
    build_options_ = replace(_options_from(**options), shortest_first=True)
    watch_and_build(
        paths or (DEFAULT_CONTENT,),
        build_options_,
        progress=lambda: _progress(quiet, verbose),
        report=_report,
    )


@cli.command()
@click.argument("name")
@click.option(
    "--folder",
    default=DEFAULT_CONTENT,
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write NAME.yaml.",
)
def new(name: str, folder: Path) -> None:
    """Start a pack: write a commented example that validates and builds as it is.

    It shows every key of the content format once, with a comment saying
    what it is for. An existing file is never overwritten.

    \b
    Examples:
      briefpack new q3-board-offsite
      briefpack new partner-summit --folder other-event/
    """
    from briefpack.authoring.starter import write_starter

    path = write_starter(name, folder)
    click.echo(f"wrote {path}; check it with: briefpack validate {path}")


@cli.command(name="import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The pack file to write. Default: content/NAME.yaml, NAME from SOURCE.",
)
@click.option("--strict", is_flag=True, help="Fail on any line that is not understood.")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
def import_(source: Path, output: Path | None, strict: bool, force: bool) -> None:
    """Turn a Markdown agenda into a pack.

    The first # heading is the title; ## headings are days ("23rd October
    2025"); ### headings are sessions ("Session 1: Title (9:00 AM - 10:00 AM)");
    **Speakers:** lines give "Name (Role), ..."; #### numbered headings are
    questions, filled by **Context:** and **Question:** paragraphs; --- rules
    are ignored. Every other line is reported as FILE:LINE: skipped: ...,
    an error with --strict. The pack is validated before it is written.

    \b
    Examples:
      briefpack import notes/summit.md
      briefpack import agenda.md -o content/summit.yaml --strict
    """
    from briefpack.authoring.starter import import_file

    path, skipped = import_file(source, output, strict=strict, force=force)
    for problem in skipped:
        click.echo(str(problem), err=True)
    click.echo(f"wrote {path}")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to serve on; 0 picks a free one.",
)
@build_options
def preview(
    paths: tuple[str, ...], host: str, port: int, quiet: bool, verbose: bool, **options: Any
) -> None:
    """Serve the packs' pages and reload them in the browser after every save.

    Builds as watch does (HTML as well as the other formats), serves the
    output folder on http://HOST:PORT/ (loopback only unless --host says
    otherwise), with an index of the packs and links to each one's page, PDF
    and Word copy. An open page reloads by itself when a rebuild finishes.

    \b
    Examples:
      briefpack preview
      briefpack preview content/aws-devex-2025.yaml --port 8080 --no-sessions
    """
    from briefpack.authoring.preview import Reloads, serve
    from briefpack.authoring.watch import watch_and_build

    _report_warnings_on_stderr(quiet)
    build_options_ = _options_from(**options)
    formats = tuple(dict.fromkeys((*build_options_.formats, "html")))
    build_options_ = replace(build_options_, formats=formats, shortest_first=True)
    reloads = Reloads()
    try:
        server = serve(build_options_.out_dir, host, port, reloads)
    except OSError as error:
        raise BriefpackError(f"cannot serve on {host}:{port}: {error.strerror}") from None
    bound_port = server.server_address[1]
    click.echo(f"serving http://{host}:{bound_port}/")
    try:
        watch_and_build(
            paths or (DEFAULT_CONTENT,),
            build_options_,
            progress=lambda: _progress(quiet, verbose),
            report=_report,
            after_build=reloads.bump,
        )
    finally:
        reloads.close()
        server.shutdown()


@cli.command()
def doctor() -> None:
    """Check what this machine gives briefpack: renderer, font subsetter, fonts, LibreOffice.

    Prints each piece briefpack relies on with the version found, and what
    to install where something is missing or slow. Exits with status 1 when
    something that builds need is missing.

    \b
    Examples:
      briefpack doctor
    """
    from briefpack.doctor import run_checks, summary_line
    from briefpack.render.theme import templates_dir

    click.echo(summary_line())
    checks = run_checks(templates_dir())
    for check in checks:
        click.echo(str(check))
    if any(check.status == "missing" for check in checks):
        sys.exit(1)


class _ClickHandler(logging.Handler):
    """Prints log records on whatever standard error is when they arrive.

    Advice (see :data:`~briefpack.errors.ADVICE_LOGGER`) is printed once per
    run however many renders give it, and not at all with ``quiet``.
    """

    def __init__(self, quiet: bool) -> None:
        super().__init__(level=logging.WARNING)
        self.quiet = quiet
        self.advised: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.name == ADVICE_LOGGER:
            if self.quiet or message in self.advised:
                return
            self.advised.add(message)
        click.echo(message, err=True)


def _report_warnings_on_stderr(quiet: bool) -> None:
    """Show what the renderers log as warnings, one plain line each."""
    logger = logging.getLogger("briefpack")
    if not any(isinstance(handler, _ClickHandler) for handler in logger.handlers):
        logger.addHandler(_ClickHandler(quiet))
        logger.propagate = False


def main() -> None:
    """Run the command line (the ``briefpack`` console script)."""
    cli(prog_name="briefpack")


if __name__ == "__main__":
    main()
