"""The validated pack: immutable, typed, and importing nothing else of briefpack."""

from briefpack.model.pack import (
    PAPER_SIZES,
    TIME_FORMATS,
    Attachment,
    Attendee,
    Day,
    Options,
    Pack,
    Question,
    Recipient,
    Session,
    pack_images,
)
from briefpack.model.speaker import Speaker

__all__ = [
    "PAPER_SIZES",
    "TIME_FORMATS",
    "Attachment",
    "Attendee",
    "Day",
    "Options",
    "Pack",
    "Question",
    "Recipient",
    "Session",
    "Speaker",
    "pack_images",
]
