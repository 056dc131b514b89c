"""The hash of everything an output is made from: equal hashes, equal outputs.

An output is up to date, or taken from the cache, when the hash of its
inputs matches the one recorded with it; so every input that can change the
bytes goes in here, and nothing that cannot.  What a format depends on
besides the content and the settings (the theme's files, the reference
DOCX) comes from its entry in the format table.
"""

from __future__ import annotations

from pathlib import Path

from briefpack import __version__
from briefpack.build.files import canonical, folder_hash, hash_json
from briefpack.model import Pack
from briefpack.model.answers import Answers
from briefpack.render.formats import FORMAT_TABLE
from briefpack.render.settings import RenderSettings


class ThemeFingerprints:
    """The hash of each theme's files, read once per build however many packs use the theme."""

    def __init__(self) -> None:
        self._known: dict[tuple[Path, ...], str] = {}

    def __call__(self, folders: tuple[Path, ...]) -> str:
        """One hash of every file in ``folders``: a theme's own folder and the one it extends."""
        if folders not in self._known:
            self._known[folders] = hash_json([folder_hash(folder) for folder in folders])
        return self._known[folders]


def output_fingerprint(
    output_format: str,
    content: object,
    settings: RenderSettings,
    images: list[str],
    theme_hash: str,
    reference_hash: str | None,
    earlier: Pack | None = None,
    answers: Answers | None = None,
    layout: str | None = None,
) -> str:
    """The hash of one output's inputs.

    ``content`` is the canonical form of the content it shows, ``images``
    the names of its pictures (by content: an edited picture is a changed
    input).  A change-marked pack is also made from the ``earlier`` version,
    a debrief from the ``answers``.  A Word copy whose contents are numbered
    by a layout engine is also made from that engine's ``layout`` (its version).
    """
    format_ = FORMAT_TABLE[output_format]
    inputs = {
        "briefpack": __version__,
        "format": output_format,
        "content": content,
        "settings": canonical(settings),
        "theme": theme_hash if format_.uses_theme else None,
        "reference_docx": reference_hash if format_.uses_reference_docx else None,
        "images": images,
        "earlier": canonical(earlier) if earlier is not None else None,
        "answers": canonical(answers) if answers is not None else None,
    }
    if layout is not None:
        inputs["layout"] = layout
    return hash_json(inputs)
