"""The ``briefpack`` command: declares the commands, their options and help, and nothing else.

Each command calls one function, which does the work, prints what a person needs to see and
returns the exit status.  The options that ``build``, ``watch`` and ``preview`` share are
declared once, in :mod:`briefpack.cli_options`.  Here, once for every
command, an expected error (:class:`BriefpackError`) becomes click's, and anything else a
short bug report.  Kept cheap to import: ``briefpack --help`` and ``validate`` must not pay
for the renderers or the build.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import IO, Any

import click

from briefpack import __version__
from briefpack.build.request import DEFAULT_CONTENT
from briefpack.cli_options import (
    BUILD_HELP,
    build_options,
    harvest_options,
    read_limit_options,
    verify_options,
)
from briefpack.errors import BriefpackError

#: Exit status for a bug in briefpack, as opposed to a problem with the input.
EXIT_INTERNAL_ERROR = 70
#: What click itself raises to show a usage error, exit, or stop: none of them is a bug.
CLICK_EXITS = (click.ClickException, click.exceptions.Exit, click.Abort)


class ProblemsError(click.ClickException):
    """A :class:`BriefpackError` as click shows it: its problems as they are, one a line."""

    exit_code = BriefpackError.exit_code

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(self.message, file=file, err=file is None)


class _BriefpackGroup(click.Group):
    """Exits with the status a command returns, shows expected errors as problems, and
    turns unexpected exceptions into a short bug report unless ``--debug`` is given."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            status = super().invoke(ctx)
        except BriefpackError as error:
            raise ProblemsError(str(error)) from None
        except BrokenPipeError:
            from briefpack.build.console import reader_gone

            sys.exit(reader_gone())
        except Exception as error:
            if ctx.params.get("debug") or isinstance(error, CLICK_EXITS):
                raise
            click.echo(
                f"briefpack: internal error: {type(error).__name__}: {error}\nThis is a bug in "
                "briefpack. Run the same command with --debug to see the traceback, and report it.",
                err=True,
            )
            sys.exit(EXIT_INTERNAL_ERROR)
        if status:
            ctx.exit(status)
        return status


#: The packs a command reads: files, or folders of them.
paths_argument = click.argument("paths", nargs=-1, type=click.Path(path_type=str))


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
@paths_argument
@read_limit_options
def validate(paths: tuple[str, ...], **limits: int) -> int:
    """Check packs against the content format and report every problem.

    PATHS are pack files or folders (a folder means every *.yaml and *.yml file in it); the
    default is content/. Each problem is printed as PATH:LINE:COL: message, every problem of a
    file in one run. Exits with status 1 if any pack has a problem.

    \b
    Examples:
      briefpack validate
      briefpack validate content/aws-devex-2025.yaml
      briefpack validate content/ other-event/
    """
    from briefpack.build.validation import run_validate

    return run_validate(paths, **limits)


@cli.command(help=BUILD_HELP)
@paths_argument
@build_options
def build(paths: tuple[str, ...], **options: Any) -> int:
    """Build the packs (help: :data:`briefpack.cli_options.BUILD_HELP`)."""
    from briefpack.build.run import run_build

    return run_build(paths, **options)


@cli.command()
@paths_argument
@build_options
def watch(paths: tuple[str, ...], **options: Any) -> None:
    """Build, then rebuild what each save touches, until Ctrl-C.

    Watches the packs' folders and the theme. Each save renders only what it changed, session
    packs first, on worker processes that stay warm between saves. An invalid save prints its
    problems and keeps watching; the last good outputs stay in place. Takes the same options
    as build.

    \b
    Examples:
      briefpack watch
      briefpack watch content/aws-devex-2025.yaml -f pdf --no-sessions
    """
    from briefpack.authoring.watch import run_watch

    run_watch(paths, **options)


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

    It shows every key of the content format once, with a comment saying what it is for. An
    existing file is never overwritten.

    \b
    Examples:
      briefpack new q3-board-offsite
      briefpack new partner-summit --folder other-event/
    """
    from briefpack.authoring.starter import run_new

    run_new(name, folder)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@harvest_options
def harvest(
    files: tuple[Path, ...], into: Path | None, force: bool, passwords: Path | None
) -> None:
    """Read the answers typed into filled Word and PDF copies into the pack's answers file.

    FILES are copies built with --answer-fields and filled in after the meeting: the full
    pack, session packs or recipients' packs, .docx or .pdf. Answers are filed by question in
    NAME.answers.yaml beside the pack; the pack file itself is never changed. Without --into,
    the pack is the one the copies name (NAME.yaml), looked for in ./content, then in each
    copy's folder and every folder above it, each with its content/ folder, so that a copy
    filled where the build wrote it finds its pack from anywhere; the first found that holds
    the copy's first day is taken. A stored answer that differs from a harvested one is a
    conflict: all are reported and nothing is written, unless --force. The next build also
    writes NAME.debrief.pdf and .docx. Encrypted copies need --passwords FILE.

    \b
    Examples:
      briefpack harvest build/aws-devex-2025/aws-devex-2025.docx
      briefpack harvest filled/*.pdf --into content/aws-devex-2025.answers.yaml
      briefpack harvest filled/*.docx filled/*.pdf --passwords ~/board/passwords.yaml
    """
    from briefpack.authoring.harvest import run_harvest

    run_harvest(files, into, force, DEFAULT_CONTENT, passwords)


@cli.command()
@click.argument("registers", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--overdue", is_flag=True, help="Only the actions past their due date.")
@click.option("--owner", metavar="NAME", help="Only the actions of NAME (any case).")
@click.option(
    "--on", type=click.DateTime(["%Y-%m-%d"]), help="Overdue as of YYYY-MM-DD; default today."
)
def actions(registers: tuple[Path, ...], overdue: bool, owner: str | None, on: Any) -> None:
    """List the open actions of REGISTERS (NAME.register.yaml; default: all in content/).

    One line an action: id, owner, due date, days overdue, what it is; then their count.

    \b
    Example:
      briefpack actions content/board.register.yaml --overdue --owner "Dana Kim"
    """
    from briefpack.authoring.actions import run_actions

    day = on.date() if on else dt.date.today()  # a datetime from click
    run_actions(registers, Path(DEFAULT_CONTENT), overdue, owner, day)


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
    """Turn a Markdown agenda, or a calendar's events (FILE.ics), into a pack.

    The first # heading is the title; ## headings are days ("23rd October 2025"); ### headings
    are sessions ("Session 1: Title (9:00 AM - 10:00 AM)"); **Speakers:** lines give "Name
    (Role), ..."; #### numbered headings are questions, filled by **Context:** and
    **Question:** paragraphs. A .ics file's timed events are sessions, by day. Whatever is
    not taken is reported as FILE:LINE:COL: skipped: ..., an error with --strict. The pack
    is validated before it is written.

    \b
    Examples:
      briefpack import notes/summit.md
      briefpack import board.ics -o content/board.yaml
    """
    from briefpack.authoring.importer import run_import

    run_import(source, output, strict, force)


@cli.command()
@paths_argument
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to serve on; 0 picks a free one.",
)
@build_options
def preview(paths: tuple[str, ...], **options: Any) -> None:
    """Serve the packs' pages and reload them in the browser after every save.

    Builds as watch does (HTML as well as the other formats), serves the output folder on
    http://HOST:PORT/ (loopback only unless --host says otherwise), with an index of the packs
    and links to each one's page, PDF and Word copy. An open page reloads by itself when a
    rebuild finishes.

    \b
    Examples:
      briefpack preview
      briefpack preview content/aws-devex-2025.yaml --port 8080 --no-sessions
    """
    from briefpack.authoring.preview import run_preview

    run_preview(paths, **options)


@cli.group()
def theme() -> None:
    """Themes: the look of a pack, for both formats, from one theme.yaml."""


@theme.command(name="init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--from",
    "source",
    default="executive",
    show_default=True,
    help="The built-in theme to start from (executive or classic).",
)
def theme_init(folder: Path, source: str) -> None:
    """Start a theme in FOLDER from a built-in theme, with a comment on every key.

    Writes FOLDER/theme.yaml (never overwriting one). It builds as it is; change what should
    change, and use it with --theme FOLDER or options: {theme: FOLDER} in a pack.

    \b
    Examples:
      briefpack theme init brand
      briefpack theme init content/print --from classic
    """
    from briefpack.authoring.theme_init import run_theme_init

    run_theme_init(folder, source)


@cli.command()
def doctor() -> int:
    """Check what this machine gives briefpack: renderer, font subsetter, fonts, LibreOffice.

    Prints each piece briefpack relies on with the version found, and what to install where
    something is missing or slow. Exits with status 1 when something that builds need is
    missing.

    \b
    Examples:
      briefpack doctor
    """
    from briefpack.doctor import run_doctor

    return run_doctor()


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@verify_options
def verify(files: tuple[Path, ...], record: Path | None, passwords: Path | None) -> int:
    """Check each issued FILE against its pack's distribution.json, and its signature."""
    from briefpack.build.verify import run_verify_command

    return run_verify_command(files, record, passwords)


def main() -> None:
    """Run the command line (the ``briefpack`` console script)."""
    cli(prog_name="briefpack")


if __name__ == "__main__":
    main()
