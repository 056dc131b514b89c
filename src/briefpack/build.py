"""The build: plan the outputs of each pack, render them, and write them safely.

This is the only module that writes files.  Every file is written to a
temporary file in its destination folder and moved into place only when
complete, so an interrupted or failed build never leaves a truncated file and
never destroys the previous good one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefpack.errors import BriefpackError, Problem
from briefpack.model import Pack
from briefpack.settings import RenderSettings, resolve_settings
from briefpack.theme import templates_dir

#: Every output format, in the order they are built.
FORMATS = ("pdf", "docx", "html")
#: What ``build`` makes when no format is named.
DEFAULT_FORMATS = ("pdf", "docx")

Writer = Callable[[Pack, RenderSettings, Path], bytes]


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What the command line asked for."""

    out_dir: Path = Path("build")
    formats: tuple[str, ...] = DEFAULT_FORMATS
    paper: str | None = None
    notes: bool | None = None
    reference_docx: Path | None = None
    sessions: bool = True


@dataclass(slots=True)
class BuildReport:
    """What a build did: files written, problems found, warnings given."""

    written: list[Path] = field(default_factory=list)
    failures: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    packs: int = 0

    @property
    def ok(self) -> bool:
        """True when every pack built."""
        return not self.failures


def build(
    pack_files: Sequence[Path],
    options: BuildOptions,
    environ: Mapping[str, str],
    on_written: Callable[[Path], None] | None = None,
) -> BuildReport:
    """Build every format of every pack; a pack that fails does not stop the others."""
    from briefpack.validate import load_pack

    report = BuildReport()
    theme = templates_dir()
    for path in pack_files:
        report.packs += 1
        try:
            pack = load_pack(path)
        except BriefpackError as error:
            report.failures.extend(error.problems)
            continue
        report.warnings.extend(pack.warnings)
        settings = resolve_settings(
            pack,
            environ,
            paper=options.paper,
            notes=options.notes,
            reference_docx=options.reference_docx,
        )
        folder = options.out_dir / pack.name
        for output_format in options.formats:
            try:
                data = _writer(output_format)(pack, settings, theme)
                target = folder / f"{pack.name}.{output_format}"
                write_atomically(target, data)
                if output_format == "html":
                    _copy_fonts(theme, folder)
            except BriefpackError as error:
                report.failures.extend(error.problems)
                continue
            report.written.append(target)
            if on_written is not None:
                on_written(target)
    return report


def _writer(output_format: str) -> Writer:
    # Imported on demand: validating, or building HTML alone, never loads WeasyPrint.
    if output_format == "pdf":
        from briefpack.pdf_writer import write_pdf

        return write_pdf
    if output_format == "docx":
        from briefpack.docx_writer import write_docx

        return write_docx
    if output_format == "html":
        from briefpack.html_writer import write_html

        return write_html
    raise ValueError(f"unknown output format {output_format!r}")


def _copy_fonts(theme: Path, folder: Path) -> None:
    """Put the theme's fonts next to the HTML, where its ``fonts/...`` URLs point."""
    source = theme / "fonts"
    for font in sorted(source.iterdir()):
        target = folder / "fonts" / font.name
        data = font.read_bytes()
        if not (target.is_file() and not target.is_symlink() and target.read_bytes() == data):
            write_atomically(target, data)


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` so that ``target`` is never seen half-written.

    The data goes to a temporary file in the same folder, which replaces
    ``target`` only once complete.  A symbolic link at ``target`` is replaced,
    never followed.  The file gets ordinary permissions (0644 under the usual
    umask), not the 0600 of a temporary file.
    """
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(
            dir=folder, prefix=f".{target.name}.", suffix=".tmp"
        )
    except OSError as error:
        raise BriefpackError([Problem(str(target), f"cannot write: {error.strerror}")]) from None
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise BriefpackError(
                [Problem(str(target), f"cannot write: {error.strerror}")]
            ) from None
        raise


def _umask() -> int:
    # os.umask can only be read by setting it; set it straight back.
    mask = os.umask(0)
    os.umask(mask)
    return mask
