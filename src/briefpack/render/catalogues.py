"""The message catalogues: the labels of a pack in each language, one gettext file each.

``locales/LANGUAGE.po`` beside this module holds every label and counted noun
of both formats in one language.  ``en.po`` lists them untranslated, so adding
a language is copying it to ``LANGUAGE.po`` and filling in its ``msgstr``
lines; nothing else changes.

Finding a catalogue needs no Babel (``validate`` stays quick to start); the
messages are compiled with Babel's own reader and writer when first used.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from briefpack.model.marks import Problem

if TYPE_CHECKING:
    from babel.support import Translations

    from briefpack.model import Pack

#: The gettext catalogues, one ``LANGUAGE.po`` per language.
LOCALES = Path(__file__).resolve().parent / "locales"
#: The language every other falls back to: its catalogue holds the messages themselves.
FALLBACK_LANGUAGE = "en"


@cache
def catalogue_languages() -> tuple[str, ...]:
    """The languages with a catalogue, as gettext names them (``de``, ``pt_BR``)."""
    return tuple(sorted(path.stem for path in LOCALES.glob("*.po")))


def catalogue_for(language: str) -> str | None:
    """The catalogue that covers the tag ``language``: ``de-CH`` is covered by ``de``.

    A regional catalogue (``pt_BR``) is preferred to the language's own (``pt``).
    """
    subtags = language.replace("_", "-").split("-")
    base = subtags[0].lower()
    regional = [f"{base}_{tag.upper()}" for tag in subtags[1:] if len(tag) == 2 or tag.isdigit()]
    available = catalogue_languages()
    for candidate in (*regional, base):
        if candidate in available:
            return candidate
    return None


def printed_language(language: str) -> str:
    """The language of the words a pack written in ``language`` prints, as a BCP 47 tag.

    The one answer for every place that names the document's language: the
    HTML ``lang`` (and so the PDF's ``/Lang`` and WeasyPrint's hyphenation),
    the Word copy's proofing language and its core ``language`` property.

    * A tag a catalogue covers is kept as written, region included: ``de-CH``
      with the ``de`` catalogue prints German words and Swiss dates (Babel
      formats dates for the tag as written), so it is ``de-CH``.
    * A tag no catalogue covers (``ja``, ``ja-JP``) is built in English, labels
      and dates alike (:mod:`briefpack.render.wording`), so it is
      :data:`FALLBACK_LANGUAGE`: English words tagged as Japanese would be
      read aloud with a Japanese voice and spell-checked against Japanese.

    Validation has already made ``language`` a BCP 47 tag (hyphens, as HTML,
    PDF and OOXML take it), so a covered tag needs no rewriting.
    """
    return language if catalogue_for(language) is not None else FALLBACK_LANGUAGE


def catalogue_warning(pack: Pack) -> Problem | None:
    """The warning for a pack whose language no catalogue covers, else ``None``."""
    language = pack.options.language
    if catalogue_for(language) is not None:
        return None
    from babel import Locale

    name = Locale.parse(language, sep="-").english_name
    return Problem(
        pack.options.language_mark or pack.source,
        f"warning: briefpack has no labels in {name} ({language}) yet, so the pack's labels "
        f"and dates are in English; it has {', '.join(catalogue_languages())}",
    )


def pack_warnings(pack: Pack) -> list[Problem]:
    """What to tell the author about ``pack``: its validation warnings, then its language's."""
    language = catalogue_warning(pack)
    return [*pack.warnings, *([language] if language else [])]


@cache
def translations(catalogue: str) -> Translations:
    """The messages of ``catalogue`` (a name from :func:`catalogue_languages`), compiled.

    Compiled from the .po file when first needed: a few milliseconds, and no
    generated .mo file to keep in step with its source.
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    with (LOCALES / f"{catalogue}.po").open("rb") as source:
        messages = read_po(source, locale=catalogue)
    compiled = io.BytesIO()
    write_mo(compiled, messages)
    compiled.seek(0)
    return Translations(compiled)
