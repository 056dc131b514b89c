"""Someone presenting at a session, on its own so that two records can name it.

A :class:`~briefpack.model.pack.Session` lists its speakers, and the record of
what changed about a session (:class:`~briefpack.model.change_details.SessionChange`)
lists them too, each marked added or removed.  Here, below both, neither
module has to import the other.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Speaker:
    """Someone presenting at a session."""

    name: str
    role: str | None = None
