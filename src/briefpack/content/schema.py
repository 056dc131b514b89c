"""The content format: every key a pack file may hold, what it takes, and what it means.

This is the contract that authors, other tools and the validator share.  The
validator checks keys against these tables (unknown, missing and duplicate
keys), and the README documents the same names.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Key:
    """One key of a mapping in a pack file."""

    name: str
    kind: str
    required: bool
    doc: str


PACK_KEYS: tuple[Key, ...] = (
    Key("title", "text", True, "Title of the event, printed on the cover and in the header."),
    Key("subtitle", "text", False, "A line under the title on the cover."),
    Key("organisation", "text", False, "Who the pack is prepared for or by."),
    Key("author", "text", False, "Who wrote the pack; goes into the document properties."),
    Key(
        "classification",
        "text",
        False,
        "Handling mark such as Confidential; printed in the footer.",
    ),
    Key("days", "list of days", True, "The days of the event, in date order; at least one."),
    Key("options", "mapping", False, "Pack-wide settings for the outputs."),
)

DAY_KEYS: tuple[Key, ...] = (
    Key("date", "date", True, "The day, as an ISO date: YYYY-MM-DD."),
    Key("sessions", "list of sessions", True, "The sessions of the day; at least one."),
)

SESSION_KEYS: tuple[Key, ...] = (
    Key("title", "text", True, "What the session is about."),
    Key("label", "text", False, 'Shown before the title, e.g. "Session 1" or "Executive Meeting".'),
    Key(
        "id",
        "slug",
        False,
        "Short name made of a-z, 0-9 and '-', unique in the pack; names the session's own "
        "files. Default: the title, ASCII-folded and slugified.",
    ),
    Key("start", "time", True, "Start time, 24-hour HH:MM."),
    Key("end", "time", True, "End time, 24-hour HH:MM, after the start."),
    Key("speakers", "list of speakers", False, "Who presents; may be empty."),
    Key("questions", "list of questions", True, "The questions prepared for it; at least one."),
)

SPEAKER_KEYS: tuple[Key, ...] = (
    Key("name", "text", True, "The speaker's name."),
    Key("role", "text", False, "Job title or role."),
)

QUESTION_KEYS: tuple[Key, ...] = (
    Key("title", "text", True, "A short heading for the question."),
    Key("context", "Markdown", False, "Background that motivates the question."),
    Key("question", "Markdown", True, "What the executive will ask."),
)

OPTION_KEYS: tuple[Key, ...] = (
    Key("paper", "a4 or letter", False, "Paper size of the PDF; default a4."),
    Key("notes", "true or false", False, "Ruled space for notes under each question."),
    Key(
        "language",
        "language tag",
        False,
        "Language of the content, e.g. en, en-GB, de; default en.",
    ),
    Key(
        "reference_docx",
        "path",
        False,
        "A Word template (.docx) in the pack's folder whose styles the Word copy takes.",
    ),
)

#: Every table of keys, by the name of the thing it describes.
RECORDS: dict[str, tuple[Key, ...]] = {
    "pack": PACK_KEYS,
    "day": DAY_KEYS,
    "session": SESSION_KEYS,
    "speaker": SPEAKER_KEYS,
    "question": QUESTION_KEYS,
    "options": OPTION_KEYS,
}
