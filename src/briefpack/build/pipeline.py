"""The build: plan the outputs of each pack, skip those up to date, render the rest, write safely.

Files are written through :mod:`briefpack.build.files`.  The stages:

1. **load** every pack (a pack with problems is reported and left out);
2. **plan** its outputs: the full pack and one pack per session, in each
   format, each with a hash of everything it is made from;
3. **skip** the outputs whose manifest entry has the same hash and whose file
   is still the one that was written;
4. **render** the rest, longest first, on worker processes;
5. **write** each output to a temporary file in its folder and move it into
   place when complete, then the pack's ``manifest.json``.

Nothing on the path that finds every output up to date imports a renderer.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from briefpack import __version__
from briefpack.build.files import (
    PARTS,
    FolderPartStore,
    canonical,
    file_hash,
    folder_hash,
    hash_json,
    read_manifest,
    remove_stale_temporaries,
    write_atomically,
    write_manifest,
)
from briefpack.build.limits import Limits
from briefpack.build.scheduler import DEFAULT_CONNECT_TIMEOUT
from briefpack.build.settings import choose_theme, resolve_settings, theme_warnings
from briefpack.build.system import hold_back, not_built, require_renderer
from briefpack.build.versions import Version, earlier_version
from briefpack.content.answers import answers_path, load_answers
from briefpack.content.glyphs import glyph_warnings
from briefpack.content.limits import ReadLimits
from briefpack.errors import BriefpackError, Problem
from briefpack.model import Pack, Recipient, pack_images
from briefpack.model.answers import Answers
from briefpack.model.changes import compare, session_changed
from briefpack.model.theme import Theme
from briefpack.render.catalogues import pack_warnings
from briefpack.render.formats import DEFAULT_FORMATS, FORMAT_TABLE
from briefpack.render.rendered import Rendered
from briefpack.render.settings import RenderSettings, is_book
from briefpack.render.theme_css import font_files

if TYPE_CHECKING:
    from briefpack.render.parts import JoinSpec, PartSpec

if TYPE_CHECKING:
    from briefpack.build.books import Book
    from briefpack.build.workers import JobQueue, WorkerPool


Event = Literal["written", "up to date", "failed", "removed"]


class Progress:
    """Told what a build is doing; the command line shows it. This one shows nothing."""

    def start(self, total: int) -> None:
        """``total`` outputs are about to be rendered."""

    def update(self, event: Event, path: Path, seconds: float) -> None:
        """An output was written, found up to date, failed or removed."""

    def stop(self) -> None:
        """The build is over."""


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What the command line asked for."""

    out_dir: Path = Path("build")
    formats: tuple[str, ...] = DEFAULT_FORMATS
    paper: str | None = None
    notes: bool | None = None
    #: ``--answer-fields``: ``None`` leaves it to the pack's options.
    answer_fields: bool | None = None
    #: ``--pdf-variant``: tagged PDF/UA-1 unless told otherwise.
    pdf_variant: str | None = None
    reference_docx: Path | None = None
    sessions: bool = True
    #: Build a pack per recipient: ``None`` leaves it to the pack's options.
    per_recipient: bool | None = None
    #: ``--changes-since``: an earlier copy of each pack file, or ``git:REV``.
    changes_since: str | None = None
    force: bool = False
    jobs: int = 1
    #: ``--max-size`` and the pre-read limits: what reading each pack may cost.
    read_limits: ReadLimits = field(default_factory=ReadLimits)
    limits: Limits = field(default_factory=Limits)
    #: Render the quickest outputs first (watch: a session's pack before the full one).
    shortest_first: bool = False
    #: ``--theme``: a built-in theme's name or a theme folder; overrides the packs' options.
    theme: str | None = None
    #: ``--executor``: a Dask scheduler's address (``tcp://HOST:PORT``) to render on.
    executor: str | None = None
    #: ``--connect-timeout``: seconds to wait for that scheduler to answer as one.
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    #: ``--cache``: a folder or fsspec URL of outputs kept by the hash of their inputs.
    cache: str | None = None


@dataclass(frozen=True, slots=True)
class Job:
    """One output to make: a pack, one of its sessions or a recipient's pack, in one format."""

    pack: Pack
    settings: RenderSettings
    output_format: str
    target: Path
    inputs: str
    cost: int

    #: The target's path inside the pack's output folder: ``NAME.pdf``,
    #: ``sessions/NN-ID.pdf`` or ``recipients/SLUG.pdf``.
    relative: str
    #: Where the output's parts are kept, when it is made as a book of parts.
    parts: FolderPartStore | None = field(default=None, compare=False, repr=False)
    #: One step of making the output as a book (a part, or the join), not the output.
    step: PartSpec | JoinSpec | None = field(default=None, compare=False, repr=False)


@dataclass(slots=True)
class BuildReport:
    """What a build did."""

    written: list[Path] = field(default_factory=list)
    up_to_date: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    failures: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    packs: int = 0
    #: The folders of the themes the packs use: inputs, as the packs are (``watch``).
    theme_folders: set[Path] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        """True when every pack built."""
        return not self.failures


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
    from briefpack.content.validate import load_pack

    report = BuildReport(packs=len(pack_files))
    progress = progress or Progress()
    notify = progress.update
    packs: list[Pack] = []
    folders: dict[str, Path] = {}
    versions: dict[str, Version] = {}
    answers: dict[str, Answers] = {}
    for path in pack_files:
        try:
            pack = load_pack(path, limits=options.read_limits)
            if options.changes_since is not None:
                versions[pack.name] = earlier_version(
                    options.changes_since, path, options.read_limits
                )
            if answers_path(path).is_file():
                answers[pack.name] = load_answers(answers_path(path), options.read_limits.max_size)
            packs.append(pack)
            folders[pack.name] = path.parent
        except BriefpackError as error:
            report.failures.extend(error.problems)
    _check_output_folders(packs, options.out_dir)
    theme_hashes: dict[tuple[Path, ...], str] = {}

    pending: list[Job] = []
    plans: dict[str, list[Job]] = {}
    manifests: dict[str, dict[str, dict[str, Any]]] = {}
    for pack in packs:
        report.warnings.extend(pack_warnings(pack))
        try:
            theme = _theme_for(pack, options, folders[pack.name])
            # Every file of the theme is an input: its own folder and the one it extends.
            key = tuple(theme.folders())
            report.theme_folders.update(key)
            report.warnings.extend(theme_warnings(theme))
            # Characters no font of the render has (fallbacks included): a box, said at their line.
            fonts = font_files(theme).values()
            report.warnings.extend(glyph_warnings(pack, theme, fonts, answers.get(pack.name)))
            if key not in theme_hashes:
                theme_hashes[key] = hash_json([folder_hash(folder) for folder in key])
            jobs = plan(
                pack,
                options,
                environ,
                theme,
                theme_hashes[key],
                versions.get(pack.name),
                answers.get(pack.name),
            )
        except BriefpackError as error:
            report.failures.extend(error.problems)
            continue
        plans[pack.name] = jobs
        folder = options.out_dir / pack.name
        remove_stale_temporaries(folder)
        manifest = manifests[pack.name] = read_manifest(folder)
        for job in jobs:
            if not options.force and _is_up_to_date(job, manifest.get(job.relative)):
                report.up_to_date.append(job.target)
                notify("up to date", job.target, 0.0)
            else:
                pending.append(job)

    results: dict[Path, dict[str, Any]] = {}
    failed_packs: set[str] = set()
    pending, missing = hold_back(pending, options.executor)  # without Pango, PDFs wait
    progress.start(len(pending))
    try:
        _render_and_write(pending, options, pool, results, failed_packs, report, notify)
    finally:
        progress.stop()
    report.failures.extend(not_built(missing, report.written + report.up_to_date))
    for pack in packs:
        if pack.name in plans:
            # A pack with a failed render keeps what was written and removes nothing.
            _finish_pack(
                pack,
                plans[pack.name],
                manifests[pack.name],
                results,
                options,
                report,
                notify,
                prune=pack.name not in failed_packs,
            )
    return report


def _render_and_write(
    pending: list[Job],
    options: BuildOptions,
    pool: WorkerPool[Job] | None,
    results: dict[Path, dict[str, Any]],
    failed_packs: set[str],
    report: BuildReport,
    notify: Callable[[Event, Path, float], None],
) -> None:
    cache = None
    if options.cache is not None:
        from briefpack.build.cache import RenderCache

        cache = RenderCache(options.cache)
    kept: list[tuple[Job, tuple[bytes, int | None] | BriefpackError, float]] = []
    if cache is not None:
        for job in list(pending):
            hit = cache.get(job.inputs, job.output_format)
            if hit is not None:
                kept.append((job, hit, 0.0))
                pending.remove(job)
    if not pending and not kept:
        return  # every output up to date: no renderer, and no worker, is loaded
    from_cache = {id(job) for job, _, _ in kept}
    from briefpack.build.workers import JobQueue

    first, book_of = _books_started(pending)
    queue = JobQueue(_ordered(first, options))
    for job, outcome, seconds in itertools.chain(kept, _run(queue, options, pool)):
        book = book_of.pop(id(job), None)
        if book is not None:
            if book.failed:
                continue  # its failure is reported already
            if not isinstance(outcome, BriefpackError):
                try:
                    steps = book.receive(job, outcome)
                except BriefpackError as error:
                    outcome = error
                else:
                    book_of.update((id(step), book) for step in steps)
                    queue.add_first(steps)
                    if book.result is None:
                        continue
                    outcome = book.result
            book.failed = isinstance(outcome, BriefpackError)
            job, seconds = book.job, book.seconds
        if (
            cache is not None
            and id(job) not in from_cache
            and not isinstance(outcome, BriefpackError)
        ):
            cache.put(job.inputs, job.output_format, *outcome)
        if isinstance(outcome, BriefpackError):
            report.failures.extend(outcome.problems)
            failed_packs.add(job.pack.name)
            notify("failed", job.target, seconds)
            continue
        data, pages = outcome
        try:
            write_atomically(job.target, data)
            if FORMAT_TABLE[job.output_format].needs_companions:
                _copy_companions(job.settings.chosen_theme, job)
        except BriefpackError as error:
            report.failures.extend(error.problems)
            failed_packs.add(job.pack.name)
            notify("failed", job.target, seconds)
            continue
        results[job.target] = _entry(job, data, pages)
        report.written.append(job.target)
        notify("written", job.target, seconds)


def _books_started(pending: list[Job]) -> tuple[list[Job], dict[int, Book]]:
    """The jobs to render first: each output, or for a book its first steps (by step, its book)."""
    from briefpack.build.books import Book

    first: list[Job] = []
    book_of: dict[int, Book] = {}
    for job in pending:
        if job.parts is None:
            first.append(job)
            continue
        book = Book(job, job.parts)
        for step in book.start():
            book_of[id(step)] = book
            first.append(step)
    return first, book_of


def _theme_for(pack: Pack, options: BuildOptions, folder: Path) -> Theme:
    """The theme of ``pack``: ``--theme`` (relative to the current folder), else its options."""
    if options.theme is not None:
        return choose_theme(options.theme, Path.cwd(), "--theme")
    return choose_theme(pack.options.theme, folder, pack.options.theme_mark or pack.source)


def plan(
    pack: Pack,
    options: BuildOptions,
    environ: Mapping[str, str],
    theme: Theme,
    theme_hash: str,
    version: Version | None = None,
    answers: Answers | None = None,
) -> list[Job]:
    """Every output of ``pack`` that ``options`` asks for, each with the hash of its inputs.

    What an output depends on besides its content and settings (the theme's
    files, the reference DOCX) comes from its entry in the format table.
    With an earlier ``version``, the change-marked packs too: ``NAME.changes``
    and the session packs of the sessions that changed.
    """
    # The theme goes in, not after: it may name the reference .docx.
    base = resolve_settings(
        pack,
        environ,
        paper=options.paper,
        notes=options.notes,
        answer_fields=options.answer_fields,
        pdf_variant=options.pdf_variant,
        reference_docx=options.reference_docx,
        theme=theme,
    )
    reference_hash = file_hash(base.reference_docx) if base.reference_docx else None
    folder = options.out_dir / pack.name
    sessions = pack.sessions
    width = max(2, len(str(len(sessions))))
    # Each output: the pack it shows, the session it is limited to, its reader, its file.
    scopes: list[tuple[Pack, str | None, Recipient | None, Path]] = [
        (pack, None, None, folder / pack.name)
    ]
    if options.sessions:
        scopes += [
            (pack, session.id, None, folder / "sessions" / f"{number:0{width}d}-{session.id}")
            for number, session in enumerate(sessions, start=1)
        ]
    per_recipient = (
        pack.options.per_recipient if options.per_recipient is None else (options.per_recipient)
    )
    if per_recipient:
        scopes += [
            (pack.for_recipient(reader), None, reader, folder / "recipients" / reader.slug)
            for reader in pack.recipients
        ]
    changed: list[tuple[Pack, str | None, Recipient | None, Path]] = []
    if version is not None:
        marked = compare(version.pack, pack)
        changed.append((marked, None, None, folder / f"{pack.name}.changes"))
        if options.sessions:
            kept = {session.id: number for number, session in enumerate(sessions, start=1)}
            sessions_folder = folder / "sessions"
            changed += [
                (marked, s.id, None, sessions_folder / f"{kept[s.id]:0{width}d}-{s.id}.changes")
                for s in marked.sessions
                if s.id in kept and session_changed(s)
            ]
    if answers is not None:
        # The answers file beside the pack: a debrief of the whole pack.
        changed.append((pack, None, None, folder / f"{pack.name}.debrief"))
    debrief_stem = folder / f"{pack.name}.debrief"
    jobs = []
    for shown, session_id, reader, stem in scopes + changed:
        debriefing = answers is not None and stem == debrief_stem
        marking = version is not None and not debriefing and any(stem == c[3] for c in changed)
        settings = replace(
            base,
            session=session_id,
            recipient=reader.name if reader else None,
            changes_since=version.name if marking and version else None,
            changes_date=version.date if marking and version else None,
            answers=answers if debriefing else None,
        )
        content_slice = _content_slice(shown, session_id)
        content = canonical(content_slice)
        # Image files by content: an edited picture is a changed input.
        images = [image.name for image in pack_images(content_slice)]
        _, session = shown.scope(session_id)
        questions = len(session.questions) if session else len(shown.questions)
        for output_format in options.formats:
            format_ = FORMAT_TABLE[output_format]
            partial = session_id is not None or reader is not None or marking or debriefing
            if partial and not format_.per_session:
                continue
            inputs = {
                "briefpack": __version__,
                "format": output_format,
                "content": content,
                "settings": canonical(settings),
                "theme": theme_hash if format_.uses_theme else None,
                "reference_docx": reference_hash if format_.uses_reference_docx else None,
                "images": images,
                # A change-marked pack is also made from the earlier version,
                # a debrief from the answers.
                "earlier": canonical(version.pack) if marking and version else None,
                "answers": canonical(answers) if debriefing and answers else None,
            }
            job_pack, job_settings = shown, settings
            parts = None
            if format_.render_step is not None and is_book(shown, settings):
                # Made from parts kept beside it: an edit renders only the parts it touched.
                parts = FolderPartStore(
                    options.out_dir / PARTS / pack.name, f"{__version__}\0{theme_hash}"
                )
            if marking and format_.tracks_changes and version is not None:
                job_pack, job_settings = pack, replace(settings, earlier=version.pack)
            jobs.append(
                Job(
                    pack=job_pack,
                    settings=job_settings,
                    output_format=output_format,
                    target=stem.with_name(stem.name + format_.suffix),
                    relative=stem.with_name(stem.name + format_.suffix)
                    .relative_to(folder)
                    .as_posix(),
                    inputs=hash_json(inputs),
                    cost=(questions + 1) * format_.cost,
                    parts=parts,
                )
            )
    return jobs


# ---------------------------------------------------------------- rendering


def render_job(job: Job) -> Rendered:
    """Render one output, or one step of a book, with its format's renderer; runs in a worker."""
    format_ = FORMAT_TABLE[job.output_format]
    if format_.uses_weasyprint:
        require_renderer()  # a worker without Pango: one line, never WeasyPrint's banner
    if job.step is not None:
        assert format_.render_step is not None
        return format_.render_step(job.pack, job.settings, job.step)
    return format_.render(job.pack, job.settings)


def describe_job(job: Job) -> str:
    """How a job's failure names it: the pack file, then the output."""
    return f"{job.pack.source}: {job.target}"


def make_pool(options: BuildOptions) -> WorkerPool[Job]:
    """Worker processes for ``options``: as many as ``-j`` says, within the render limits."""
    from briefpack.build.workers import WorkerPool

    return WorkerPool(
        size=max(1, options.jobs),
        render=_render_in_worker,
        limits=options.limits,
        describe=describe_job,
    )


def _ordered(jobs: list[Job], options: BuildOptions) -> list[Job]:
    """Longest first, or shortest first if asked; a book's parts before any output.

    The rest of a book waits on its parts, and the other outputs fill the
    workers while its last steps run.
    """
    if options.shortest_first:
        return sorted(jobs, key=lambda job: job.cost)
    return sorted(jobs, key=lambda job: (job.step is None, -job.cost))


def _run(
    queue: JobQueue[Job], options: BuildOptions, pool: WorkerPool[Job] | None
) -> Iterator[tuple[Job, tuple[bytes, int | None] | BriefpackError, float]]:
    """Render the jobs of ``queue``, and those added to it, on worker processes."""
    if not queue:
        return  # a build with nothing to render starts no worker
    if options.executor is not None:
        from briefpack.build.cluster import ClusterPool

        with ClusterPool(options.executor, options.limits, options.connect_timeout) as cluster:
            yield from cluster.run(queue)
        return
    if pool is not None:
        yield from pool.run(queue)
        return
    with make_pool(replace(options, jobs=min(options.jobs, len(queue)) or 1)) as own:
        yield from own.run(queue)


def _render_in_worker(job: Job) -> Rendered:
    # Looked up at call time, so that tests can put a slow renderer in its place.
    return render_job(job)


# ---------------------------------------------------------------- manifests and files


def _finish_pack(
    pack: Pack,
    jobs: list[Job],
    old: dict[str, dict[str, Any]],
    results: dict[Path, dict[str, Any]],
    options: BuildOptions,
    report: BuildReport,
    notify: Callable[[Event, Path, float], None],
    prune: bool,
) -> None:
    """Write the pack's manifest and remove outputs its content no longer makes.

    ``old`` is the manifest as it was read before the build.
    """
    folder = options.out_dir / pack.name
    entries = dict(old)
    planned = {job.relative for job in jobs}
    kinds = {(job.output_format, _scope(job.relative)) for job in jobs}
    for relative, entry in old.items():
        kind = (entry.get("format"), _scope(relative))
        # Only outputs of the kinds this build makes can be stale; others were
        # merely not asked for this time (a format not requested, --no-sessions,
        # --no-per-recipient).
        if prune and relative not in planned and kind in kinds:
            stale = folder / relative
            if stale.is_file() and not stale.is_symlink():
                stale.unlink()
                report.removed.append(stale)
                notify("removed", stale, 0.0)
            del entries[relative]
    for job in jobs:
        if job.target in results:
            entries[job.relative] = results[job.target]
    manifest = {
        "briefpack": __version__,
        "source": pack.source,
        "outputs": [entries[key] for key in sorted(entries)],
    }
    write_manifest(folder, manifest)


def _entry(job: Job, data: bytes, pages: int | None) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "path": job.relative,
        "format": job.output_format,
        "session": job.settings.session,
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
        "inputs": job.inputs,
    }
    if pages is not None:
        entry["pages"] = pages
    attachments = _content_slice(job.pack, job.settings.session).attachments
    if attachments:
        # The pre-reads it was made from, by content: what changed is findable.
        entry["attachments"] = {item.file: item.digest for item in attachments}
    return entry


def _is_up_to_date(job: Job, entry: dict[str, Any] | None) -> bool:
    if entry is None or entry.get("inputs") != job.inputs:
        return False
    try:
        if job.target.is_symlink() or job.target.stat().st_size != entry.get("size"):
            return False
        return file_hash(job.target) == entry.get("sha256")
    except OSError:
        return False


def _check_output_folders(packs: Sequence[Pack], out_dir: Path) -> None:
    """Two packs of the same name would write to the same folder: refuse before writing."""
    seen: dict[str, Pack] = {}
    problems = []
    for pack in packs:
        if pack.name in seen:
            problems.append(
                Problem(
                    pack.source,
                    f"its outputs would go to {out_dir / pack.name}, like those of "
                    f"{seen[pack.name].source}; rename one of the two files",
                )
            )
        seen.setdefault(pack.name, pack)
    if problems:
        raise BriefpackError(problems)


def _copy_companions(theme: Theme, job: Job) -> None:
    """Put the theme's fonts and the content's images where the HTML's URLs point."""
    from briefpack.render.html import IMAGES
    from briefpack.render.theme_css import FONTS, LOGO, font_files

    folder = job.target.parent
    copies = [(path, folder / FONTS / name) for name, path in sorted(font_files(theme).items())]
    if theme.logo is not None:
        copies.append((theme.logo, folder / LOGO / theme.logo.name))
    copies += [(image.path, folder / IMAGES / image.name) for image in pack_images(job.pack)]
    for source, target in copies:
        data = source.read_bytes()
        if not (target.is_file() and not target.is_symlink() and target.read_bytes() == data):
            write_atomically(target, data)


def _scope(relative: str) -> str:
    """What an output is a pack of: ``sessions``, ``recipients``, or the whole (``""``).

    Change-marked packs are a kind of their own: a build without
    ``--changes-since`` leaves them in place.
    """
    folder, _, name = relative.rpartition("/")
    return f"{folder} changes" if ".changes." in name else folder


def _content_slice(pack: Pack, session_id: str | None) -> Pack:
    """The part of the content an output is made from: the whole pack, or one session of it."""
    if session_id is None:
        return pack
    days, session = pack.scope(session_id)
    assert session is not None
    # Only its own attendees appear in a session's pack.
    attendees = tuple(item for item in pack.attendees if item.name in session.attendees)
    return replace(pack, days=days, attendees=attendees)
