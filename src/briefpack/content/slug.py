"""Slugs: the short names that files are called by.

A session's id is ASCII (:func:`slugify`): it is written into links and
YAML.  A recipient's file is named after a person (:func:`name_slug`), who
must find it among the others: a name in Greek, Cyrillic or Japanese keeps
its letters.
"""

from __future__ import annotations

import re
import unicodedata

#: What an ``id`` may be made of.
SLUG_PATTERN = re.compile(r"[a-z0-9-]+")
#: Longest id accepted: ids name files, and file names have limits.
MAX_SLUG_LENGTH = 100
#: Longest id made from a title; longer titles are cut at a word boundary.
MAX_DEFAULT_SLUG_LENGTH = 64

# Letters that Unicode does not decompose into an ASCII base letter.
_TRANSLITERATIONS = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "TH",
        "ð": "d",
        "Ð": "D",
        "\u0131": "i",  # dotless i
    }
)


def slugify(text: str) -> str:
    """Fold ``text`` to ASCII and join its words with hyphens.

    >>> slugify("Résumé of the Year")
    'resume-of-the-year'

    Returns an empty string when nothing of ``text`` has an ASCII form (a title
    written only in Greek, say); the caller chooses a fallback.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATIONS))
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > MAX_DEFAULT_SLUG_LENGTH:
        cut = slug[: MAX_DEFAULT_SLUG_LENGTH + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut else cut[:MAX_DEFAULT_SLUG_LENGTH]
    return slug


def is_slug(text: str) -> bool:
    """True when ``text`` is a valid id: ``[a-z0-9-]+`` and not too long."""
    return SLUG_PATTERN.fullmatch(text) is not None and len(text) <= MAX_SLUG_LENGTH


def name_slug(name: str) -> str:
    """A file name for a person's ``name`` that its reader recognises.

    Latin letters fold to ASCII as in :func:`slugify`, so ``José Ñúñez``
    stays ``jose-nunez``; letters with no ASCII form (Greek, Cyrillic, CJK)
    are kept, lower-cased and NFC-normalised, which every current file
    system accepts; anything else joins words with a hyphen.

    >>> name_slug("Νικόλαος Παπαδόπουλος")
    'νικόλαος-παπαδόπουλος'

    Empty only when ``name`` has no letter or digit at all.
    """
    kept = []
    for character in unicodedata.normalize("NFC", name.translate(_TRANSLITERATIONS)):
        folded = unicodedata.normalize("NFKD", character).encode("ascii", "ignore").decode()
        if folded and folded.isalnum():
            kept.append(folded)
        elif unicodedata.category(character)[0] in "LMN" and not folded:
            kept.append(character)
        else:
            kept.append("-")
    # Lower-cased whole, so that a Greek word's last sigma is final (ς).
    slug = unicodedata.normalize("NFC", re.sub(r"-+", "-", "".join(kept)).strip("-").lower())
    if len(slug) > MAX_DEFAULT_SLUG_LENGTH:
        cut = slug[: MAX_DEFAULT_SLUG_LENGTH + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut else cut[:MAX_DEFAULT_SLUG_LENGTH]
    return slug
