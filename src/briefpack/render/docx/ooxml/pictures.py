"""Pictures' alt text, which screen readers speak."""

from __future__ import annotations

from typing import Any


def describe_picture(shape: Any, description: str) -> None:
    """Give an inline picture its alt text (``wp:docPr/@descr``), which screen readers speak."""
    properties = shape._inline.docPr
    properties.set("descr", description)
