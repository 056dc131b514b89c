"""Planning a pack's outputs: which files the options ask for, each with the hash of its inputs.

An output is a *scope* (the whole pack, one session, one recipient's pack,
a change-marked or a debrief copy) in one *format*.  The scopes come from
the pack and the options; which formats each scope is made in, and what
else each format is made from, come from the format table.  Nothing here
renders or writes: the plan is what the rest of the build compares with
the manifest, renders and records.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from briefpack import __version__
from briefpack.build.chosen_settings import changes_label, choose_theme, resolve_settings
from briefpack.build.files import PARTS, FolderPartStore, canonical, file_hash
from briefpack.build.fingerprints import output_fingerprint
from briefpack.build.jobs import Job, content_slice, has_contents
from briefpack.build.options import BuildOptions
from briefpack.build.versions import Version
from briefpack.build.word_layout import LibreOffice
from briefpack.model import Pack, Recipient, pack_images
from briefpack.model.answers import Answers
from briefpack.model.changes import compare, session_changed
from briefpack.model.theme import Theme
from briefpack.render.formats import FORMAT_TABLE, MINUTES_FORMATS
from briefpack.render.settings import RenderSettings, copy_number, is_book

#: How much longer a Word copy takes when LibreOffice lays it out to number its contents.
LAID_OUT_COST = 4


@dataclass(frozen=True, slots=True)
class Scope:
    """What one output shows, in whichever format it is made.

    The pack it shows, the session it is limited to, its reader, and its
    file's path without the format's suffix.
    """

    shown: Pack
    session_id: str | None
    reader: Recipient | None
    stem: Path


@dataclass(frozen=True, slots=True)
class _Planning:
    """What every output of one pack is planned from, gathered once for the pack."""

    pack: Pack
    options: BuildOptions
    base: RenderSettings
    theme_hash: str
    reference_hash: str | None
    version: Version | None
    answers: Answers | None
    #: What lays out the Word copies that have a contents, to number it; ``None``: nothing.
    libreoffice: LibreOffice | None = None

    @property
    def folder(self) -> Path:
        """The pack's output folder."""
        return self.options.out_dir / self.pack.name


def theme_for(pack: Pack, options: BuildOptions, folder: Path) -> Theme:
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
    libreoffice: LibreOffice | None = None,
) -> list[Job]:
    """Every output of ``pack`` that ``options`` asks for, each with the hash of its inputs.

    With an earlier ``version``, the change-marked packs too: ``NAME.changes``
    and the session packs of the sessions that changed; with ``answers``, the
    debrief; with ``options.minutes``, the minutes.  With ``libreoffice``, the
    Word copies that have a contents are laid out by it to number their
    contents, and made from its version.
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
        issue=options.issue,
    )
    reference_hash = file_hash(base.reference_docx) if base.reference_docx else None
    planning = _Planning(
        pack, options, base, theme_hash, reference_hash, version, answers, libreoffice
    )
    width = max(2, len(str(len(pack.sessions))))
    scopes = _plain_scopes(pack, options, planning.folder, width)
    changed = _changed_scopes(planning, width)
    debrief_stem = planning.folder / f"{pack.name}.debrief"
    jobs = []
    for scope in scopes + changed:
        debriefing = answers is not None and scope.stem == debrief_stem
        marking = (
            version is not None
            and not debriefing
            and any(scope.stem == other.stem for other in changed)
        )
        jobs += _scope_jobs(planning, scope, marking, debriefing)
    if options.minutes:
        jobs += _minutes_jobs(planning)
    return jobs


def _minutes_jobs(planning: _Planning) -> list[Job]:
    """``--minutes``: NAME.minutes.pdf and .docx, in those of the formats asked for.

    Made from the whole pack (its attendees and register) and the answers
    harvested for it, if any: a meeting nobody harvested still gets minutes
    for the secretary to fill in.  Never with answer fields: minutes are
    written, not filled in and harvested.
    """
    pack, answers = planning.pack, planning.answers
    settings = replace(planning.base, answer_fields=False, answers=answers)
    scope = Scope(pack, None, None, planning.folder / pack.name)
    content = shown_content(pack)
    images = [image.name for image in pack_images(pack)]
    jobs = []
    for output_format in planning.options.formats:
        if output_format not in MINUTES_FORMATS:
            continue
        minutes_format = MINUTES_FORMATS[output_format]
        inputs = output_fingerprint(
            minutes_format,
            content,
            settings,
            images,
            planning.theme_hash,
            planning.reference_hash,
            answers=answers,
        )
        jobs.append(_job(planning, scope, settings, minutes_format, inputs, len(pack.questions)))
    return jobs


def _plain_scopes(pack: Pack, options: BuildOptions, folder: Path, width: int) -> list[Scope]:
    """The pack as it is: the whole, each session (numbered ``width`` wide), each recipient's."""
    scopes = [Scope(pack, None, None, folder / pack.name)]
    if options.sessions:
        scopes += [
            Scope(pack, session.id, None, folder / "sessions" / f"{number:0{width}d}-{session.id}")
            for number, session in enumerate(pack.sessions, start=1)
        ]
    per_recipient = (
        pack.options.per_recipient if options.per_recipient is None else options.per_recipient
    )
    if per_recipient:
        scopes += [
            Scope(pack.for_recipient(reader), None, reader, folder / "recipients" / reader.slug)
            for reader in pack.recipients
        ]
    return scopes


def _changed_scopes(planning: _Planning, width: int) -> list[Scope]:
    """The copies made from more than the pack: marked with changes since a version, a debrief.

    A session's changes copy keeps the number the session has in the pack,
    and is made only for a session that changed.
    """
    pack, folder, version = planning.pack, planning.folder, planning.version
    changed: list[Scope] = []
    if version is not None:
        marked = compare(version.pack, pack)
        changed.append(Scope(marked, None, None, folder / f"{pack.name}.changes"))
        if planning.options.sessions:
            kept = {session.id: number for number, session in enumerate(pack.sessions, start=1)}
            sessions_folder = folder / "sessions"
            changed += [
                Scope(
                    marked, s.id, None, sessions_folder / f"{kept[s.id]:0{width}d}-{s.id}.changes"
                )
                for s in marked.sessions
                if s.id in kept and session_changed(s)
            ]
    if planning.answers is not None:
        # The answers file beside the pack: a debrief of the whole pack.
        changed.append(Scope(pack, None, None, folder / f"{pack.name}.debrief"))
    return changed


def _scope_jobs(planning: _Planning, scope: Scope, marking: bool, debriefing: bool) -> list[Job]:
    """One job per format the options ask for and the scope is made in.

    A part of the pack (a session, a recipient's, a marked or debrief copy)
    is made only in the formats that make such parts; a reader's pack also
    in those made per recipient (the calendar).
    """
    version = planning.version if marking else None
    settings = replace(
        planning.base,
        session=scope.session_id,
        recipient=scope.reader.name if scope.reader else None,
        copy=copy_number(planning.pack, scope.reader.name) if scope.reader else None,
        changes_since=changes_label(planning.pack, version),
        changes_date=version.date if version else None,
        answers=planning.answers if debriefing else None,
    )
    shown = content_slice(scope.shown, scope.session_id)
    # The list of readers makes no page: a reader's pack shows their name (in its
    # settings) and the sessions they get (in its days), so a reader's exclusions
    # edited rebuild their pack alone, not every output.
    content = shown_content(shown)
    images = [image.name for image in pack_images(shown)]
    _, session = scope.shown.scope(scope.session_id)
    questions = len(session.questions) if session else len(scope.shown.questions)
    copy = marking or debriefing
    partial = scope.session_id is not None or scope.reader is not None or copy
    readers = scope.reader is not None and scope.session_id is None and not copy
    jobs = []
    for output_format in planning.options.formats:
        format_ = FORMAT_TABLE[output_format]
        if partial and not format_.per_session and not (readers and format_.per_recipient):
            continue
        numbered = planning.libreoffice if has_contents(output_format, scope.session_id) else None
        inputs = output_fingerprint(
            output_format,
            content,
            settings,
            images,
            planning.theme_hash,
            planning.reference_hash,
            earlier=replace(version.pack, recipients=()) if version else None,
            answers=planning.answers if debriefing else None,
            layout=numbered.version if numbered else None,
        )
        job = _job(planning, scope, settings, output_format, inputs, questions)
        if numbered is not None:
            # Laid out by LibreOffice twice: as long as a PDF, so started as early.
            job = replace(job, libreoffice=numbered, cost=job.cost * LAID_OUT_COST)
        jobs.append(job)
    return jobs


def _job(
    planning: _Planning,
    scope: Scope,
    settings: RenderSettings,
    output_format: str,
    inputs: str,
    questions: int,
) -> Job:
    """The job for one scope in one format: every format renders the same pack.

    A changes copy's pack is the one the model marked (:func:`compare`), for the
    Word copy as for the PDF: it records both versions.
    """
    format_ = FORMAT_TABLE[output_format]
    options = planning.options
    parts = None
    book = options.book_parts and is_book(planning.pack, settings)
    if book and format_.render_step is not None:
        # Made from parts kept beside it: an edit renders only the parts it touched;
        # --force renders every part again (the parts are kept for the next edit).
        parts = FolderPartStore(
            options.out_dir / PARTS / planning.pack.name,
            f"{__version__}\0{planning.theme_hash}",
            fresh=options.force,
        )
    target = scope.stem.with_name(scope.stem.name + format_.suffix)
    return Job(
        pack=scope.shown,
        settings=settings,
        output_format=output_format,
        target=target,
        relative=target.relative_to(planning.folder).as_posix(),
        inputs=inputs,
        cost=(questions + 1) * format_.cost,
        parts=parts,
    )


def shown_content(pack: Pack) -> dict[str, object]:
    """What an output is made from of ``pack``, canonical, for its hash: its name too.

    The name takes no part in a pack's equality (two files of the same content
    are the same pack), but a copy carries it as its identity, which harvest
    checks: without it, a shared cache gave one pack the outputs of another.
    Recipients are left out: each output's settings name the one it is for.
    """
    return {"name": pack.name, "content": canonical(replace(pack, recipients=()))}
