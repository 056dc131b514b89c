"""The content format: every key a pack file may hold, what it takes, and what it means.

This is the contract that authors, other tools and the validator share.  The
validator checks keys against these tables (unknown, missing and duplicate
keys) and reads each value by its key's kind, so a new key of an existing
kind is one line here.  docs/format.md documents the same names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from briefpack.model import PAPER_SIZES, PRINT_PERMISSIONS, PURPOSES, TIME_FORMATS

#: What a key's value is, and so how the validator reads it.
Kind = Literal[
    "text", "markdown", "date", "time", "slug", "flag", "choice", "language", "path",
    "list", "mapping", "colour", "points", "millimetres", "file", "minutes", "rate",
    "timezone",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class Key:
    """One key of a mapping in a pack file."""

    name: str
    kind: Kind
    required: bool
    doc: str
    #: A choice's allowed values; a file's allowed suffixes.
    choices: tuple[str, ...] = ()
    #: A list's item, as a noun ("day"); a required list needs at least one.
    item: str = ""


PACK_KEYS: tuple[Key, ...] = (
    Key("title", "text", True, "Title of the event, printed on the cover and in the header."),
    Key("subtitle", "text", False, "A line under the title on the cover."),
    Key("organisation", "text", False, "Who the pack is prepared for or by."),
    Key("author", "text", False, "Who wrote the pack; goes into the document properties."),
    Key(
        "location",
        "text",
        False,
        "Where the event takes place: the venue, for the calendar's events.",
    ),
    Key(
        "classification",
        "text",
        False,
        "Handling mark such as Confidential; printed in the footer.",
    ),
    Key(
        "days", "list", True, item="day", doc="The days of the event, in date order; at least one."
    ),
    Key(
        "attendees",
        "list",
        False,
        item="attendee",
        doc="Who takes part: shown in an Attendees section, with photos and biographies.",
    ),
    Key(
        "recipients",
        "list",
        False,
        item="recipient",
        doc="Readers who each get a pack of their own (build --per-recipient).",
    ),
    Key(
        "register",
        "path",
        False,
        "The meeting's running record, NAME.register.yaml in the pack's folder: its open "
        "actions and last decisions are the pack's Matters arising.",
    ),
    Key("options", "mapping", False, doc="Pack-wide settings for the outputs."),
)

DAY_KEYS: tuple[Key, ...] = (
    Key("date", "date", True, "The day, as an ISO date: YYYY-MM-DD."),
    Key(
        "start",
        "time",
        False,
        "When the day's first item starts, 24-hour HH:MM: sessions that give only a "
        "duration follow on from it, one after another.",
    ),
    Key(
        "end",
        "time",
        False,
        "When the day must end, 24-hour HH:MM: a day that runs past it is a warning.",
    ),
    Key(
        "sessions",
        "list",
        True,
        item="session",
        doc="The sessions of the day, in order; at least one. A `break: MINUTES` item "
        "between two sessions is a pause their computed times leave.",
    ),
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
    Key(
        "paper",
        "text",
        False,
        'The paper\'s reference, e.g. "3.2": shown before the title everywhere.',
    ),
    Key(
        "purpose",
        "choice",
        False,
        choices=PURPOSES,
        doc="What the item is for: decision, discussion, noting or information; shown as "
        '"For decision" on its band, in the at-a-glance table and in the contents.',
    ),
    Key("owner", "text", False, "Who presents the item (may also be one of the speakers)."),
    Key("location", "text", False, "Where the session is held, if not the event's location."),
    Key(
        "start",
        "time",
        False,
        "Start time, 24-hour HH:MM; default: the end of the item before it, or the day's start.",
    ),
    Key(
        "end",
        "time",
        False,
        "End time, 24-hour HH:MM, after the start; default: the start plus the duration.",
    ),
    Key(
        "duration",
        "minutes",
        False,
        "How long it takes, in minutes; checked against start and end when all three are given.",
    ),
    Key("speakers", "list", False, item="speaker", doc="Who presents; may be empty."),
    Key(
        "questions",
        "list",
        True,
        item="question",
        doc="The questions prepared for it; at least one.",
    ),
    Key(
        "attachments",
        "list",
        False,
        item="attachment",
        doc="Pre-reads: PDF files whose pages follow the session's questions.",
    ),
    Key(
        "attendees",
        "list",
        False,
        item="name",
        doc="The names of the pack's attendees who take part.",
    ),
)

BREAK_KEYS: tuple[Key, ...] = (
    Key("break", "minutes", True, "A pause between two sessions, in minutes."),
    Key("title", "text", False, 'What it is, e.g. "Lunch"; default "Break".'),
)

RECIPIENT_KEYS: tuple[Key, ...] = (
    Key("name", "text", True, "The reader's name: on their cover and on every page."),
    Key("exclude", "list", False, item="session id", doc="Ids of sessions they must not see."),
)

ATTENDEE_KEYS: tuple[Key, ...] = (
    Key("name", "text", True, "The attendee's name, as sessions name them."),
    Key("role", "text", False, "Job title or role."),
    Key("organisation", "text", False, "Where they work."),
    Key("bio", "markdown", False, "A short biography (Markdown)."),
    Key("photo", "path", False, "A PNG or JPEG portrait in the pack's folder."),
    Key(
        "attended",
        "flag",
        False,
        "After the meeting: true if they attended, false if they sent apologies; the minutes "
        "list them so.",
    ),
)

ATTACHMENT_KEYS: tuple[Key, ...] = (
    Key("file", "path", True, "A PDF file in the pack's folder."),
    Key("title", "text", True, "What it is, for the contents, the outline and its divider."),
    Key("divider", "flag", False, "false: no page with the title before it; default true."),
)

SPEAKER_KEYS: tuple[Key, ...] = (
    Key("name", "text", True, "The speaker's name."),
    Key("role", "text", False, "Job title or role."),
)

QUESTION_KEYS: tuple[Key, ...] = (
    Key("title", "text", True, "A short heading for the question."),
    Key(
        "id",
        "slug",
        False,
        "Short name of a-z, 0-9 and '-', unique in the pack: the question stays the same "
        "question across versions whatever its title becomes.",
    ),
    Key("context", "markdown", False, "Background that motivates the question."),
    Key("question", "markdown", True, "What the executive will ask."),
)

OPTION_KEYS: tuple[Key, ...] = (
    Key("paper", "choice", False, choices=PAPER_SIZES, doc="Paper size of the PDF; default a4."),
    Key("notes", "flag", False, "Ruled space for notes under each question."),
    Key(
        "language",
        "language",
        False,
        "Language of the content, e.g. en, en-GB, de: it sets the labels, dates and times "
        "of both formats (English, German, French and Spanish); default en.",
    ),
    Key(
        "time_format",
        "choice",
        False,
        choices=TIME_FORMATS,
        doc="Clock times as 12h (2:00 PM) or 24h (14:00); default: the language's own.",
    ),
    Key(
        "reference_docx",
        "path",
        False,
        "A Word template (.docx) in the pack's folder whose styles the Word copy takes.",
    ),
    Key(
        "answer_fields",
        "flag",
        False,
        "true: fields under each question for its answer and follow-ups, to fill in after "
        "the meeting and harvest; default false.",
    ),
    Key(
        "per_recipient",
        "flag",
        False,
        "true: also build a pack for each of the pack's recipients; default false.",
    ),
    Key(
        "theme",
        "text",
        False,
        "A built-in theme's name (executive, classic) or a theme folder, relative to the pack.",
    ),
    Key(
        "timezone",
        "timezone",
        False,
        "The IANA time zone of the event's clock times, e.g. Europe/London; the calendar's "
        "events are in it. Default: the times float (no zone).",
    ),
    Key(
        "reading_rate",
        "rate",
        False,
        "Words read a minute, for each session's pre-reading time; default 230.",
    ),
    Key(
        "version",
        "text",
        False,
        'The pack\'s version, e.g. 3 or 3.1: "Version 3 · issued" and the document date in '
        "the footer of every page and on the cover; build --issue overrides it.",
    ),
    Key(
        "issued",
        "date",
        False,
        'The day this version goes out, YYYY-MM-DD: the footers\' "issued" date and the '
        "documents' date. Default: SOURCE_DATE_EPOCH, else the event's first day.",
    ),
    Key(
        "latest_url",
        "text",
        False,
        "Where the latest version of the pack is (an https:// address): a small QR code "
        "and the link on the cover, so that a reader of an old print finds the current one.",
    ),
    Key(
        "permissions",
        "mapping",
        False,
        "What a reader may do with their encrypted PDF (build --passwords): copy and print.",
    ),
)

#: ``options.permissions``: held by the readers' encrypted PDFs only.
PERMISSION_KEYS: tuple[Key, ...] = (
    Key(
        "copy",
        "flag",
        False,
        "false: a reader's encrypted PDF forbids copying its text (screen readers may still "
        "read it); default true.",
    ),
    Key(
        "print",
        "choice",
        False,
        choices=PRINT_PERMISSIONS,
        doc="What a reader's encrypted PDF may print: full (default), low (low resolution "
        "only) or none.",
    ),
)

#: Every table of keys, by the name of the thing it describes.
RECORDS: dict[str, tuple[Key, ...]] = {
    "pack": PACK_KEYS,
    "day": DAY_KEYS,
    "session": SESSION_KEYS,
    "break": BREAK_KEYS,
    "speaker": SPEAKER_KEYS,
    "question": QUESTION_KEYS,
    "attachment": ATTACHMENT_KEYS,
    "attendee": ATTENDEE_KEYS,
    "recipient": RECIPIENT_KEYS,
    "options": OPTION_KEYS,
    "permissions": PERMISSION_KEYS,
}


# ---------------------------------------------------------------- answers
# NAME.answers.yaml beside a pack: written by briefpack harvest, readable and
# editable by people, and validated like a pack.

ANSWERS_KEYS: tuple[Key, ...] = (
    Key("answers", "mapping", True, "The answers, each under its question's key."),
)

ANSWER_KEYS: tuple[Key, ...] = (
    Key("answer", "text", False, "What was answered, as typed."),
    Key("follow_up", "text", False, "What follows up, as typed."),
    Key("source", "text", False, "The filled copy it was harvested from."),
    Key("harvested", "date", False, "When it was harvested: YYYY-MM-DD."),
)

# ---------------------------------------------------------------- register
# NAME.register.yaml beside the packs: the actions and decisions of a series of
# meetings, named by each pack that shows them (``register:``). Harvest adds to
# it; people edit it; it is validated like a pack.

#: An action's states: open until it is done, then closed with the date.
ACTION_STATUSES = ("open", "done")

REGISTER_KEYS: tuple[Key, ...] = (
    Key("actions", "list", False, item="action", doc="Actions raised at the meetings."),
    Key("decisions", "list", False, item="decision", doc="Decisions the meetings took."),
)

ACTION_KEYS: tuple[Key, ...] = (
    Key("id", "text", True, "The action's reference, e.g. A-12: unique in the register."),
    Key("text", "text", True, "What is to be done."),
    Key("owner", "text", False, "Who is to do it."),
    Key("due", "date", False, "When it is due: YYYY-MM-DD; open after it, it is overdue."),
    Key("status", "choice", False, choices=ACTION_STATUSES, doc="open (the default) or done."),
    Key("raised", "date", False, "The date of the meeting that raised it: YYYY-MM-DD."),
    Key("item", "text", False, 'The agenda item that raised it, e.g. "3.2 FY26 budget".'),
    Key("session", "text", False, "The id of the pack's session that raised it (harvest sets it)."),
    Key(
        "key",
        "text",
        False,
        "The question it was harvested from: the same entry is not added twice.",
    ),
    Key("closed", "date", False, "When it was done: YYYY-MM-DD; required with status done."),
)

DECISION_KEYS: tuple[Key, ...] = (
    Key("id", "text", True, "The decision's reference, e.g. D-7: unique in the register."),
    Key("text", "text", True, "What was decided."),
    Key("date", "date", True, "The date of the meeting that took it: YYYY-MM-DD."),
    Key("item", "text", False, 'The agenda item that took it, e.g. "3.2 FY26 budget".'),
    Key("session", "text", False, "The id of the pack's session that took it (harvest sets it)."),
)

#: Every table of a register's keys, by the name of the thing it describes.
REGISTER_RECORDS: dict[str, tuple[Key, ...]] = {
    "register": REGISTER_KEYS,
    "action": ACTION_KEYS,
    "decision": DECISION_KEYS,
}

# ---------------------------------------------------------------- themes
# A theme folder's theme.yaml. Every key is optional: a theme overrides only
# what it sets, and takes the rest from the built-in theme it extends.

FONT_FILES = (".ttf", ".otf")

THEME_KEYS: tuple[Key, ...] = (
    Key("name", "text", False, "The theme's name, for people."),
    Key("colours", "mapping", False, "accent, ink, muted, surface and rule, as #rrggbb."),
    Key("fonts", "mapping", False, "The fonts of the heading, body and mono roles."),
    Key("sizes", "mapping", False, "Type sizes of the named roles, in points."),
    Key("spacing", "mapping", False, "The space below each named role, in points."),
    Key("margins", "mapping", False, "Page margins, in millimetres."),
    Key("logo", "file", False, "An SVG or PNG picture for the cover and the running header.",
        choices=(".svg", ".png")),
    Key("template", "file", False, "An HTML template that replaces pack.html.j2.",
        choices=(".j2",)),
    Key("stylesheet", "file", False, "A print stylesheet that replaces pack.css.",
        choices=(".css",)),
    Key("reference_docx", "file", False, "A Word template whose styles the Word copy takes.",
        choices=(".docx",)),
)  # fmt: skip

COLOUR_KEYS: tuple[Key, ...] = (
    Key("accent", "colour", False, "Rules, numbers, links and the question's band."),
    Key("ink", "colour", False, "Text."),
    Key("muted", "colour", False, "Secondary text: context, times, roles, running heads."),
    Key("surface", "colour", False, "The tint behind the question and the session band."),
    Key("rule", "colour", False, "Hairlines between rows and under headings."),
)

FONT_ROLE_KEYS: tuple[Key, ...] = (
    Key("heading", "mapping", False, "Titles, headings, labels, tables, running heads."),
    Key("body", "mapping", False, "Context and question text."),
    Key("mono", "mapping", False, "Code."),
)

FONT_KEYS: tuple[Key, ...] = (
    Key("regular", "file", False, "The regular face (OFL font file).", choices=FONT_FILES),
    Key("italic", "file", False, "The italic face.", choices=FONT_FILES),
    Key("medium", "file", False, "The medium (500) face.", choices=FONT_FILES),
    Key("semibold", "file", False, "The semibold (600) face.", choices=FONT_FILES),
    Key("bold", "file", False, "The bold (700) face.", choices=FONT_FILES),
    Key("bold_italic", "file", False, "The bold italic face.", choices=FONT_FILES),
    Key(
        "word",
        "text",
        False,
        "An installed font the Word copy names instead of embedding the role's faces; "
        "by default it embeds them, named by the family's name in the file.",
    ),
)

#: The named roles of a theme's type, each with a size and the space below it.
ROLES = (
    ("title", "The cover's title."),
    ("day", "The day above each session."),
    ("session", "A session's title."),
    ("question_heading", "A question's numbered heading."),
    ("context", "Context text."),
    ("question", "Question text; its space is the gap before the next question."),
    ("label", "The small labels: Context, Question, Notes."),
    ("header", "The running header; its space is the gap down to the text."),
    ("footer", "The footer: classification and page numbers; its space is the gap above it."),
)

SIZE_KEYS: tuple[Key, ...] = tuple(Key(name, "points", False, doc) for name, doc in ROLES)
SPACING_KEYS: tuple[Key, ...] = SIZE_KEYS

MARGIN_KEYS: tuple[Key, ...] = tuple(
    Key(side, "millimetres", False, f"The {side} page margin.")
    for side in ("top", "right", "bottom", "left")
)

#: Every table of a theme's keys, by the name of the thing it describes.
THEME_RECORDS: dict[str, tuple[Key, ...]] = {
    "theme": THEME_KEYS,
    "colours": COLOUR_KEYS,
    "fonts": FONT_ROLE_KEYS,
    "font": FONT_KEYS,
    "sizes": SIZE_KEYS,
    "spacing": SPACING_KEYS,
    "margins": MARGIN_KEYS,
}

#: A reader's entry in a passwords file (``build --passwords FILE``) that names the
#: environment variable holding their password, rather than the password itself.
PASSWORD_KEYS: tuple[Key, ...] = (
    Key(
        "password_env",
        "text",
        True,
        "The environment variable that holds the reader's password, e.g. JANE_PDF_PASSWORD.",
    ),
)
