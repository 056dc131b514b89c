"""What a build is asked on the command line, as the build takes it.

The values of the options that :mod:`briefpack.cli_options` declares become
the packs to read, the :class:`~briefpack.content.read_limits.ReadLimits`
and the :class:`~briefpack.build.pipeline.BuildOptions`, with the defaults
chosen where nothing was given.  Cheap to import: the command line imports
it at start-up.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefpack.build.render_limits import Limits
from briefpack.render.formats import DEFAULT_FORMATS

if TYPE_CHECKING:
    from briefpack.build.pipeline import BuildOptions
    from briefpack.build.signing import SigningKey
    from briefpack.content.read_limits import ReadLimits

#: Where the packs are when no path is given, and where new and imported packs go.
DEFAULT_CONTENT = "content"


def pack_paths(paths: Sequence[str]) -> Sequence[str]:
    """The pack files and folders given, or the content folder when none is."""
    return paths or (DEFAULT_CONTENT,)


def read_limits(
    max_size: int,
    max_attachment_pages: int,
    max_pack_attachment_pages: int,
    max_attachment_stream_size: int,
    **_: Any,
) -> ReadLimits:
    """The limits on reading a pack, from the options named after them."""
    from briefpack.content.read_limits import ReadLimits

    return ReadLimits(
        max_size, max_attachment_pages, max_pack_attachment_pages, max_attachment_stream_size
    )


def build_options_from(
    out_dir: Path,
    formats: tuple[str, ...],
    paper: str | None,
    notes: bool | None,
    answer_fields: bool | None,
    pdf_variant: str,
    reference_docx: Path | None,
    no_sessions: bool,
    force: bool,
    per_recipient: bool | None,
    changes_since: str | None,
    theme: str | None,
    jobs: int | None,
    executor: str | None,
    connect_timeout: float,
    cache: str | None,
    time_limit: float,
    memory_limit: int,
    word_page_numbers: bool = True,
    book_parts: bool = True,
    minutes: bool = False,
    issue: str | None = None,
    sign: Path | None = None,
    passwords: Path | None = None,
    **limits: int,
) -> BuildOptions:
    """The options of a build from the values of :data:`briefpack.cli_options.build_options`.

    A format given twice is built once; without ``--jobs``, there are as many
    workers as CPUs; an empty address or cache (``BRIEFPACK_EXECUTOR=``) is none.
    """
    from briefpack.build.pipeline import BuildOptions

    return BuildOptions(
        out_dir=out_dir,
        formats=tuple(dict.fromkeys(formats)) or DEFAULT_FORMATS,
        paper=paper.lower() if paper else None,
        notes=notes,
        answer_fields=answer_fields,
        pdf_variant=pdf_variant,
        reference_docx=reference_docx,
        sessions=not no_sessions,
        per_recipient=per_recipient,
        changes_since=changes_since,
        force=force,
        jobs=jobs or os.cpu_count() or 1,
        read_limits=read_limits(**limits),
        limits=Limits(seconds=time_limit, memory=memory_limit),
        theme=theme,
        executor=executor or None,
        connect_timeout=connect_timeout,
        cache=cache or None,
        word_page_numbers=word_page_numbers,
        book_parts=book_parts,
        minutes=minutes,
        issue=issue_label(issue),
        signing_key=signing_key(sign, os.environ) if sign is not None else None,
        passwords=reader_passwords(passwords) if passwords is not None else None,
        passwords_file=passwords,
    )


def issue_label(issue: str | None) -> str | None:
    """``--issue``, refused unless a label of one line: it ends each signature's reason."""
    if issue is None:
        return None
    from briefpack.content.entities import version_problem
    from briefpack.errors import BriefpackError

    problem = version_problem(issue)
    if problem is not None:
        raise BriefpackError(f"--issue {problem}")
    return issue


def reader_passwords(path: Path) -> dict[str, str]:
    """The readers' passwords of ``--passwords``, read and checked before anything is built."""
    from briefpack.content.passwords_file import load_passwords

    return load_passwords(path, os.environ)


#: Where ``build --sign`` finds the key's password; without it, it is asked for.
SIGN_PASSWORD = "BRIEFPACK_SIGN_PASSWORD"


def signing_key(path: Path, environ: Mapping[str, str]) -> SigningKey:
    """The key of ``--sign``, its password from :data:`SIGN_PASSWORD` or a hidden prompt.

    Read once, before anything is rendered: a wrong password or an unusable
    certificate stops the build before it writes anything.  An empty password
    (the variable set to ``""``, or Enter at the prompt) is a key file saved
    without one, which the PKCS#12 reader opens with it.
    """
    import click

    from briefpack.build.signing import load_signing_key, signing_time

    time = signing_time(environ)
    password = environ.get(SIGN_PASSWORD)
    if password is None:
        # A default, or click asks again at an empty answer: a key without a password.
        password = click.prompt(
            f"Password for {path} (Enter if it has none)",
            default="",
            show_default=False,
            hide_input=True,
            err=True,
        )
    return load_signing_key(path, password, time)
