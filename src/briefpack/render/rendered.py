"""What every renderer returns.

A leaf module, so that the renderers and the format table share it without a cycle.
"""

from __future__ import annotations

from typing import NamedTuple


class Rendered(NamedTuple):
    """A rendered output: its bytes and, for a paged format, its number of pages."""

    data: bytes
    pages: int | None = None
