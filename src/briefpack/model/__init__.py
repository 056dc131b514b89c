"""The validated pack: immutable, typed, and importing nothing else of briefpack."""

from briefpack.model.pack import (
    PAPER_SIZES,
    PRINT_PERMISSIONS,
    PURPOSES,
    TIME_FORMATS,
    Attachment,
    Attendee,
    Break,
    Day,
    Options,
    Pack,
    Permissions,
    Purpose,
    Question,
    Recipient,
    Session,
    pack_images,
)
from briefpack.model.speaker import Speaker

__all__ = [
    "PAPER_SIZES",
    "PRINT_PERMISSIONS",
    "PURPOSES",
    "TIME_FORMATS",
    "Attachment",
    "Attendee",
    "Break",
    "Day",
    "Options",
    "Pack",
    "Permissions",
    "Purpose",
    "Question",
    "Recipient",
    "Session",
    "Speaker",
    "pack_images",
]
