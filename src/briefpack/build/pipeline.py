"""The build: plan the outputs of each pack, skip those up to date, render the rest, write safely.

This module is the build's outline, a chain of named stages; each stage's
work is in a module of its own:

1. **load** every pack (:mod:`~briefpack.build.loading`; a pack with
   problems is reported and left out);
2. **plan** its outputs (:mod:`~briefpack.build.planning`): the full pack
   and one pack per session, in each format, each with a hash of everything
   it is made from (:mod:`~briefpack.build.fingerprints`);
3. **skip** the outputs whose manifest entry has the same hash and whose file
   is still the one that was written (:mod:`~briefpack.build.manifests`);
4. **render** the rest, longest first, on worker processes
   (:mod:`~briefpack.build.rendering`);
5. **write** each output to a temporary file in its folder and move it into
   place when complete (:mod:`~briefpack.build.writing`), then the pack's
   ``manifest.json``;
6. **seal**: encrypt the readers' copies (``--passwords``), sign the PDFs
   (``--sign``) and record what was issued in ``distribution.json``
   (:mod:`~briefpack.build.seal`).

Nothing on the path that finds every output up to date imports a renderer.
The names the command line, ``watch`` and the tests use are all here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from briefpack.build.chosen_settings import theme_warnings
from briefpack.build.files import keep_used_parts, read_manifest, remove_stale_temporaries
from briefpack.build.fingerprints import ThemeFingerprints
from briefpack.build.jobs import Job, describe_job, has_contents
from briefpack.build.loading import LoadedPack, load_packs
from briefpack.build.manifests import Entries, finish_manifest, is_up_to_date
from briefpack.build.options import BuildOptions
from briefpack.build.planning import plan, theme_for
from briefpack.build.rendering import render_job, rendered, worker_pool
from briefpack.build.report import BuildReport, Event, Notify, Progress
from briefpack.build.seal import Seal, seal_pack
from briefpack.build.system import hold_back, not_built
from briefpack.build.word_layout import LibreOffice, advise, find_libreoffice
from briefpack.build.writing import OutputWriter
from briefpack.content.glyphs import glyph_warnings
from briefpack.errors import BriefpackError
from briefpack.model import Pack
from briefpack.render.catalogues import pack_warnings
from briefpack.render.rendered import Rendered
from briefpack.render.theme_css import font_files

if TYPE_CHECKING:
    # For the types alone: rendering imports the workers once there is something to render.
    from briefpack.build.workers import WorkerPool

__all__ = [
    "BuildOptions",
    "BuildReport",
    "Event",
    "Job",
    "Progress",
    "build",
    "describe_job",
    "make_pool",
    "plan",
    "render_job",
]


@dataclass(frozen=True, slots=True)
class _PackPlan:
    """One pack's planned outputs, and its manifest as it was before the build."""

    pack: Pack
    jobs: list[Job]
    manifest: Entries


def build(
    pack_files: Sequence[Path],
    options: BuildOptions,
    environ: Mapping[str, str],
    progress: Progress | None = None,
    pool: WorkerPool[Job] | None = None,
) -> BuildReport:
    """Build every planned output of every pack that is not up to date.

    A pack with problems, or whose render fails, is reported while the others
    build.  Two outputs that would land on the same path stop the build
    before anything is written.  ``pool`` lends warm workers (``watch``);
    without it the build starts its own and ends them when done.
    """
    report = BuildReport(packs=len(pack_files))
    progress = progress or Progress()
    loaded = load_packs(pack_files, options, report)
    plans, pending = _plan_and_skip(loaded, options, environ, report, progress.update)
    written = _render_and_write(pending, options, pool, report, progress)
    for pack_plan in plans:
        # A pack with a failed render keeps what was written and removes nothing.
        finish_manifest(
            pack_plan.pack,
            options.out_dir / pack_plan.pack.name,
            pack_plan.jobs,
            old=pack_plan.manifest,
            results=written.entries,
            prune=pack_plan.pack.name not in written.failed_packs,
            report=report,
            notify=progress.update,
        )
        if pack_plan.pack.name not in written.failed_packs:
            _keep_used_parts(pack_plan.jobs)
        # The seal step: signatures, then what was issued, from the files as they now are.
        folder = options.out_dir / pack_plan.pack.name
        seal = Seal(
            key=options.signing_key,
            passwords=options.passwords,
            permissions=pack_plan.pack.options.permissions,
            was_encrypted=frozenset(
                path for path, entry in pack_plan.manifest.items() if entry.get("encrypted")
            ),
        )
        failures, warnings = seal_pack(folder, pack_plan.pack.name, seal)
        report.failures.extend(failures)
        report.warnings.extend(warnings)
    return report


def _keep_used_parts(jobs: list[Job]) -> None:
    """Remove the kept book parts no output of the pack uses any more (books.py)."""
    store = next((job.parts for job in jobs if job.parts is not None), None)
    if store is not None:
        keep_used_parts(store, [job.relative for job in jobs if job.parts is not None])


def _plan_and_skip(
    loaded: list[LoadedPack],
    options: BuildOptions,
    environ: Mapping[str, str],
    report: BuildReport,
    notify: Notify,
) -> tuple[list[_PackPlan], list[Job]]:
    """Each pack's plan, and the jobs of all of them whose output is not up to date.

    LibreOffice, which numbers the Word copies' contents, is looked for once.
    """
    theme_hashes = ThemeFingerprints()
    plans: list[_PackPlan] = []
    pending: list[Job] = []
    wanted = options.word_page_numbers and "docx" in options.formats and bool(loaded)
    libreoffice = find_libreoffice(environ) if wanted else None
    for item in loaded:
        jobs = _plan_pack(item, options, environ, report, theme_hashes, libreoffice)
        if jobs is None:
            continue
        folder = options.out_dir / item.pack.name
        remove_stale_temporaries(folder)
        manifest = read_manifest(folder)
        plans.append(_PackPlan(item.pack, jobs, manifest))
        for job in jobs:
            if not options.force and is_up_to_date(job, manifest.get(job.relative)):
                report.up_to_date.append(job.target)
                notify("up to date", job.target, 0.0)
            else:
                pending.append(job)
    needed = any(has_contents(job.output_format, job.settings.session) for job in pending)
    advise(wanted and needed, libreoffice)
    return plans, pending


def _plan_pack(
    item: LoadedPack,
    options: BuildOptions,
    environ: Mapping[str, str],
    report: BuildReport,
    theme_hashes: ThemeFingerprints,
    libreoffice: LibreOffice | None,
) -> list[Job] | None:
    """The pack's outputs, after its warnings; None, with its problems reported, if it has none.

    The warnings are found here, once per pack, rather than by each render:
    contrast and wording (its catalogue), the theme's, and the characters no
    font of the render has (fallbacks included), said at their line.
    """
    pack = item.pack
    report.warnings.extend(pack_warnings(pack))
    try:
        theme = theme_for(pack, options, item.folder)
        # Every file of the theme is an input: its own folder and the one it extends.
        folders = tuple(theme.folders())
        report.theme_folders.update(folders)
        report.warnings.extend(theme_warnings(theme))
        fonts = font_files(theme).values()
        report.warnings.extend(glyph_warnings(pack, theme, fonts, item.answers))
        theme_hash = theme_hashes(folders)
        jobs = plan(
            pack, options, environ, theme, theme_hash, item.version, item.answers, libreoffice
        )
        from briefpack.build.encryption import permission_notes

        report.warnings.extend(permission_notes(pack, jobs, options.passwords is not None))
        return _with_passwords(pack, jobs, options, report)
    except BriefpackError as error:
        report.failures.extend(error.problems)
        return None


def _with_passwords(
    pack: Pack, jobs: list[Job], options: BuildOptions, report: BuildReport
) -> list[Job]:
    """``jobs``, once every reader with a copy to encrypt has a password (``--passwords``)."""
    if options.passwords is None:
        return jobs
    from briefpack.build.encryption import archival_conflict, missing_passwords, password_notes

    source = str(options.passwords_file)
    conflict = archival_conflict(jobs)
    missing = missing_passwords(jobs, options.passwords, source)
    if missing or conflict:
        raise BriefpackError(missing + ([conflict] if conflict else []))
    notes = password_notes(pack, jobs, source)
    report.warnings.extend(note for note in notes if note not in report.warnings)
    return jobs


def _render_and_write(
    pending: list[Job],
    options: BuildOptions,
    pool: WorkerPool[Job] | None,
    report: BuildReport,
    progress: Progress,
) -> OutputWriter:
    """Render the pending jobs and write each output as it comes; what was written."""
    pending, missing = hold_back(pending, options.executor)  # without Pango, PDFs wait
    writer = OutputWriter(report, progress.update, options.passwords)
    progress.start(len(pending))
    try:
        for job, outcome, seconds in rendered(pending, options, pool, _render_in_worker):
            writer.take(job, outcome, seconds)
    finally:
        progress.stop()
    report.failures.extend(not_built(missing, report.written + report.up_to_date))
    return writer


def make_pool(options: BuildOptions) -> WorkerPool[Job]:
    """Worker processes for ``options``: as many as ``-j`` says, within the render limits."""
    return worker_pool(options, _render_in_worker)


def _render_in_worker(job: Job) -> Rendered:
    # Looked up at call time, so that tests can put a slow renderer in its place.
    return render_job(job)
