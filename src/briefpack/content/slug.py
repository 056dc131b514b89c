"""Slugs: the short ASCII names that session files are called by."""

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
