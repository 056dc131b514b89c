"""Reading the packs a build is asked for, with what each is compared or debriefed against.

A pack that cannot be read is reported and left out, so that the others
still build; two packs that would write to the same folder stop the build
before anything is written.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from briefpack.build.files import PARTS, write_atomically
from briefpack.build.options import BuildOptions
from briefpack.build.report import BuildReport
from briefpack.build.versions import Version, earlier_version
from briefpack.content.answers_file import answers_path, load_answers
from briefpack.errors import BriefpackError, Problem
from briefpack.model import Pack
from briefpack.model.answers import Answers


@dataclass(frozen=True, slots=True)
class LoadedPack:
    """A pack read from its file, with the folder a relative theme is found from."""

    pack: Pack
    #: The folder of the pack's file.
    folder: Path
    #: ``--changes-since``: the earlier version the changes copies mark changes since.
    version: Version | None = None
    #: The answers file beside the pack, for its debrief.
    answers: Answers | None = None


def load_packs(
    pack_files: Sequence[Path], options: BuildOptions, report: BuildReport
) -> list[LoadedPack]:
    """Every pack of ``pack_files`` that reads; the problems of the others go in ``report``."""
    from briefpack.content.preread_words import remember_words, words_known

    kept = options.out_dir / PARTS / WORDS_FILE
    before = _kept_words(kept)
    remember_words(before)
    loaded = []
    for path in pack_files:
        try:
            loaded.append(_load(path, options))
        except BriefpackError as error:
            report.failures.extend(error.problems)
    check_output_folders([item.pack for item in loaded], options.out_dir)
    # Only this build's pre-reads: the record says what these packs are made of, the same
    # whatever else the process read before (a watch, a test run).
    ours = {attachment.digest for item in loaded for attachment in item.pack.attachments}
    known = {digest: words for digest, words in words_known().items() if digest in ours}
    if ours and known != before:
        _keep_words(kept, known)
    return loaded


#: Where a build keeps the words counted in pre-reads, by digest, for the next run.
WORDS_FILE = "preread-words.json"


def _kept_words(path: Path) -> dict[str, int | None]:
    """The counts an earlier build kept; nothing if there are none or they do not read."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        str(digest): words
        for digest, words in data.items()
        if words is None or (isinstance(words, int) and not isinstance(words, bool) and words >= 0)
    }


def _keep_words(path: Path, known: dict[str, int | None]) -> None:
    """Keep the counts for the next build; a folder that cannot take them costs a recount."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, json.dumps(known, sort_keys=True).encode("utf-8"))
    except OSError:
        pass


def _load(path: Path, options: BuildOptions) -> LoadedPack:
    """The pack at ``path``, its earlier version if asked for, and its answers if it has any."""
    from briefpack.content.validate import load_pack

    pack = load_pack(path, limits=options.read_limits)
    version = None
    if options.changes_since is not None:
        version = earlier_version(options.changes_since, path, options.read_limits)
    answers = None
    if answers_path(path).is_file():
        answers = load_answers(answers_path(path), options.read_limits.max_size)
    return LoadedPack(pack, path.parent, version, answers)


def check_output_folders(packs: Sequence[Pack], out_dir: Path) -> None:
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
