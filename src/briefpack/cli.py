"""The ``briefpack`` command: parses options, calls the library, prints results.

Kept thin and cheap to import: ``briefpack --help`` and ``briefpack validate``
must not pay for the renderers.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from briefpack import __version__
from briefpack.errors import BriefpackError

DEFAULT_CONTENT = "content"
#: Exit status for a bug in briefpack, as opposed to a problem with the input.
EXIT_INTERNAL_ERROR = 70


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
      briefpack validate                  check every pack in content/
      briefpack validate content/q4.yaml  check one pack
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
def validate(paths: tuple[str, ...]) -> None:
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
    from briefpack.discover import find_packs
    from briefpack.validate import load_pack

    files = find_packs(paths or (DEFAULT_CONTENT,))
    failed = 0
    for path in files:
        try:
            pack = load_pack(path)
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


def main() -> None:
    """Run the command line (the ``briefpack`` console script)."""
    cli(prog_name="briefpack")
