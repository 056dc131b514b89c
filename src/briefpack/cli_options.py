"""The options the commands share, declared once: how they read, and their help.

``build``, ``watch`` and ``preview`` take the same build options, and
``validate`` and a build the same read limits; :mod:`briefpack.cli` puts
them on its commands, and :func:`briefpack.build.request.build_options_from`
turns their values into what the build is asked.  Sizes (:class:`ByteSize`)
and a scheduler's address are read as the options are parsed, so that a
mistyped one fails before any work.  Part of the command line (only it
imports this module), and cheap to import: it is read at start-up.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from briefpack.build.render_limits import DEFAULT_TIME_LIMIT
from briefpack.build.scheduler import DEFAULT_CONNECT_TIMEOUT, check_address
from briefpack.model import PAPER_SIZES
from briefpack.render.formats import FORMATS

F = TypeVar("F", bound=Callable[..., Any])

#: What each unit of a size stands for, in bytes.
_UNITS = {
    "": 1,
    "b": 1,
    "k": 1024,
    "kb": 1024,
    "m": 1024**2,
    "mb": 1024**2,
    "g": 1024**3,
    "gb": 1024**3,
}


class ByteSize(click.ParamType):  # type: ignore[type-arg]
    """A size in bytes, written plainly or with a unit: 500k, 5MB, 1.5M."""

    name = "size"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        """Return the number of bytes ``value`` stands for."""
        if isinstance(value, int):
            return value
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", str(value))
        unit = match.group(2).lower() if match else ""
        if match is None or unit not in _UNITS or float(match.group(1)) <= 0:
            self.fail(f"{value!r} is not a size such as 500k or 5MB", param, ctx)
        return int(float(match.group(1)) * _UNITS[unit])


def scheduler_address(_: click.Context, __: click.Parameter, value: str | None) -> str | None:
    """``--executor``, checked at once: a mistyped address fails before any work, in one line."""
    if value:
        check_address(value)
    return value or None


def _together(*options: Callable[[F], F]) -> Callable[[F], F]:
    """Several options as one decorator, shown in the order given."""
    return lambda command: functools.reduce(lambda done, add: add(done), reversed(options), command)


def passwords_option(help_text: str) -> Callable[[F], F]:
    """``--passwords FILE``, the readers' passwords file: ``build`` encrypts with it, ``harvest``
    opens the encrypted copies with it; both read it the same way."""
    return click.option(
        "--passwords",
        metavar="FILE",
        type=click.Path(path_type=Path, dir_okay=False),
        help=help_text,
    )


#: ``harvest``'s options: where the answers go, whether to overwrite, the readers' passwords.
harvest_options = _together(
    click.option(
        "--into",
        type=click.Path(dir_okay=False, path_type=Path),
        help="The answers file, content/NAME.answers.yaml beside its pack. Default: the answers "
        "file of the pack NAME the copies say they belong to, found as NAME.yaml in ./content, "
        "else in each copy's folder or any folder above it, or their content/.",
    ),
    click.option("--force", is_flag=True, help="Where a stored answer differs, take the new text."),
    passwords_option(
        "Open encrypted copies with their reader's password in FILE, the passwords file of "
        "build --passwords; each password is tried on each encrypted copy."
    ),
)


#: The options that limit what reading a pack may cost: ``validate`` takes them, and a build.
read_limit_options = _together(
    click.option(
        "--max-size",
        type=ByteSize(),
        default="5MB",
        show_default=True,
        help="Refuse pack files larger than this, before reading them (from git too).",
    ),
    click.option(
        "--max-attachment-pages",
        type=click.IntRange(min=1),
        default=500,
        show_default=True,
        help="Refuse pre-read attachments with more pages than this.",
    ),
    click.option(
        "--max-pack-attachment-pages",
        type=click.IntRange(min=1),
        default=2000,
        show_default=True,
        help="Refuse a pack whose pre-reads have more pages than this in all, each pre-read "
        "counted each time it is attached.",
    ),
    click.option(
        "--max-attachment-stream-size",
        type=ByteSize(),
        default="100MB",
        show_default=True,
        help="Refuse pre-read attachments whose page content decodes to more than this.",
    ),
)
#: ``briefpack build --help``: kept here, beside the options it names, to keep cli.py short.
BUILD_HELP = """Build the PDF and the Word copy of each pack, and of each of its sessions.

PATHS are pack files or folders, as for validate; the default is content/. Each pack
NAME.yaml is written to OUT/NAME/NAME.pdf and NAME.docx, each session to
OUT/NAME/sessions/NN-ID.pdf and .docx, each recipient (with --per-recipient) to
OUT/NAME/recipients/SLUG.pdf and .docx, and OUT/NAME/manifest.json lists them all;
OUT/NAME/distribution.json records what was issued, for briefpack verify. Only
outputs whose content, theme, template or options changed are rendered again. Problems are
printed as PATH:LINE:COL: message; a pack with problems is skipped while the others build,
and the exit status is then 1. Dates in the documents come from SOURCE_DATE_EPOCH when
set, otherwise from the content, so the same content always gives the same bytes.

\b
Examples:
  briefpack build
  briefpack build content/aws-devex-2025.yaml --paper letter --notes
  briefpack build -f pdf -f html -o /tmp/packs --no-sessions
  briefpack build -f docx --reference-docx company.docx
"""


#: The options that ``build``, ``watch`` and ``preview`` share.
build_options = _together(
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
        "--answer-fields/--no-answer-fields",
        default=None,
        help="Fields under each question for its answer and follow-ups, to fill in after the "
        "meeting and harvest; overrides options.answer_fields.",
    ),
    click.option(
        "--pdf-variant",
        type=click.Choice(["pdf/ua-1", "pdf/a-2b", "pdf/a-3b", "none"]),
        default="pdf/ua-1",
        show_default=True,
        help="Tagged PDF/UA-1 for screen readers; pdf/a-2b or pdf/a-3b for archives (PDF/A, "
        "tagged, and PDF/UA-1 as well); none for an untagged PDF.",
    ),
    click.option(
        "--reference-docx",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="A Word template whose styles and page setup the .docx takes.",
    ),
    click.option(
        "--theme",
        metavar="NAME-OR-PATH",
        help="A built-in theme (executive, classic) or a theme folder; overrides options.theme.",
    ),
    click.option("--no-sessions", is_flag=True, help="Skip the per-session packs."),
    click.option(
        "--per-recipient/--no-per-recipient",
        default=None,
        help="Also build a pack for each of the pack's recipients, in OUT/NAME/recipients/; "
        "overrides options.per_recipient.",
    ),
    click.option(
        "--changes-since",
        metavar="OLD",
        help="Also write NAME.changes.pdf and .docx, marking what changed since OLD: an "
        "earlier copy of the pack file, or git:REV for the file at a git revision.",
    ),
    click.option(
        "--minutes",
        is_flag=True,
        help="Also write NAME.minutes.pdf and .docx after the meeting: present and apologies "
        "(attendees' attended:), and per item its paper, purpose, the discussion (the "
        "harvested answers), decisions and actions (the register), for the secretary to edit.",
    ),
    click.option(
        "--issue",
        metavar="LABEL",
        help='The version every page shows, "Version LABEL · issued DATE" (the document '
        "date), in the footer, on the cover and in the properties; overrides options.version.",
    ),
    click.option(
        "--sign",
        metavar="FILE.p12",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Sign every PDF (PAdES B-B) with the key and certificate in FILE.p12; its "
        "password from $BRIEFPACK_SIGN_PASSWORD, else asked. Re-signs without rendering again.",
    ),
    passwords_option(
        "Encrypt each reader's PDF and Word copy (AES-256) with their password in FILE, a "
        "YAML map of recipient names to passwords or to {password_env: VARIABLE}; keep it "
        "outside the pack."
    ),
    click.option("--force", is_flag=True, help="Rebuild every output, even those up to date."),
    click.option(
        "-j",
        "--jobs",
        type=click.IntRange(min=1),
        help="Render on this many worker processes. Default: the number of CPUs.",
    ),
    click.option(
        "--executor",
        metavar="ADDRESS",
        envvar="BRIEFPACK_EXECUTOR",
        callback=scheduler_address,
        help="Render on the Dask cluster whose scheduler is at ADDRESS (tcp://HOST:PORT) "
        "rather than on local processes; the files travel with the jobs. Dask exchanges "
        "pickles, so tcp:// trusts the scheduler and anyone who can reach its address: "
        "whoever answers there as a scheduler runs code in the build; use tls:// with "
        "certificates on a network you do not trust. Needs "
        "pip install 'briefpack[dask]'. Default: $BRIEFPACK_EXECUTOR.",
    ),
    click.option(
        "--connect-timeout",
        metavar="SECONDS",
        type=click.FloatRange(min=0, min_open=True),
        default=DEFAULT_CONNECT_TIMEOUT,
        show_default=True,
        help="Seconds to wait for the --executor scheduler to answer before giving up.",
    ),
    click.option(
        "--cache",
        metavar="DIR",
        envvar="BRIEFPACK_CACHE",
        help="Keep every output in DIR (a folder, or an fsspec URL such as s3://bucket/path) "
        "under the hash of what it is made from, and take it from there rather than "
        "render it again: a second checkout renders nothing. Default: $BRIEFPACK_CACHE.",
    ),
    click.option(
        "--word-page-numbers/--no-word-page-numbers",
        envvar="BRIEFPACK_WORD_PAGE_NUMBERS",
        default=True,
        show_default=True,
        help="Lay each Word copy with a contents out with LibreOffice, where it is installed, "
        "and write the page of each heading into the contents (no prompt to update fields "
        "on opening). Default: $BRIEFPACK_WORD_PAGE_NUMBERS, else on.",
    ),
    click.option(
        "--book-parts/--single-documents",
        envvar="BRIEFPACK_BOOK_PARTS",
        default=True,
        show_default=True,
        help="Make each PDF from parts rendered once per build and shared between the "
        "outputs (the full pack's sessions are the session packs' and the recipients'), "
        "or render each PDF as one document, as briefpack did before; both give the same "
        "pages. Default: $BRIEFPACK_BOOK_PARTS, else parts.",
    ),
    read_limit_options,
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
)


#: ``verify``'s options: the record to check against, and the readers' passwords.
verify_options = _together(
    click.option(
        "--record",
        metavar="FILE",
        type=click.Path(path_type=Path, dir_okay=False, exists=True),
        help="Check against this distribution.json, finding each FILE by its hash: for copies "
        "that came back from elsewhere. Default: the one above each FILE.",
    ),
    passwords_option(
        "The passwords file of build --passwords: an encrypted copy's signature is "
        "checked with its reader's password."
    ),
)
