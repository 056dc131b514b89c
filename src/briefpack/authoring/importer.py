"""``briefpack import``: a Markdown agenda (in the shape of the bundled pack's source) as a pack.

A calendar (``FILE.ics``) is read by :mod:`briefpack.authoring.ics_import` instead.

The shape:

* the first ``#`` heading is the title;
* ``##`` headings are days, with dates as people write them
  ("23rd October 2025", "Thursday 24 October 2025", "October 24, 2025", "2025-10-24");
* ``###`` headings are sessions: "Session 1: Title (9:00 AM - 10:00 AM)" gives
  the label, the title and the times (12- or 24-hour);
* ``**Speakers:**`` or ``**Speaker:**`` lines give "Name (Role), Name (Role)";
* ``####`` headings are questions ("1. Title"), filled by ``**Context:**`` and
  ``**Question:**`` paragraphs;
* ``---`` rules and blank lines are ignored.

Nothing is dropped silently: every other line is returned as skipped.  Each
line is known here by its shape; what a date, a session heading or a
speakers line says is read by :mod:`briefpack.authoring.agenda_lines`.  The
pack is validated before it is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from briefpack.authoring.agenda_lines import (
    parse_date,
    parse_session,
    parse_speakers,
    skip_while,
)
from briefpack.errors import BriefpackError, Mark, Problem

_FIELDS = ("context", "question", "speakers", "speaker")


@dataclass
class ImportResult:
    """Pack data ready for the YAML writer, and the lines that were not understood."""

    pack: dict[str, Any] = field(default_factory=dict)
    skipped: list[Problem] = field(default_factory=list)


def run_import(source: Path, output: Path | None, strict: bool, force: bool) -> None:
    """``briefpack import``: write the pack, and report every line that was skipped."""
    path, skipped = import_file(source, output, strict=strict, force=force)
    for problem in skipped:
        click.echo(str(problem), err=True)
    click.echo(f"wrote {path}")


def import_file(
    source: Path, output: Path | None, strict: bool, force: bool
) -> tuple[Path, list[Problem]]:
    """Import the Markdown agenda or the calendar (``.ics``) ``source`` as a validated pack.

    Returns the path written and the lines that were skipped.  With
    ``strict``, skipped lines are an error and nothing is written.
    """
    from briefpack.authoring.starter import write_new
    from briefpack.authoring.yaml_writer import dump_pack
    from briefpack.build.request import DEFAULT_CONTENT
    from briefpack.content.loader import parse_yaml, read_text
    from briefpack.content.validate import check_pack_name, validate_pack

    label = str(source)
    if source.suffix.lower() == ".ics":
        from briefpack.authoring.ics_import import import_calendar

        result = ImportResult(*import_calendar(read_text(source, label), label, source.stem))
    else:
        result = import_markdown(read_text(source, label), label)
    if strict and result.skipped:
        raise BriefpackError([*result.skipped, Problem(None, "nothing written (--strict)")])
    target = output or Path(DEFAULT_CONTENT) / f"{source.stem}.yaml"
    check_pack_name(target.stem, str(target))
    for day in result.pack.get("days", []):
        for session in day["sessions"]:
            if not session.get("speakers", True):
                del session["speakers"]
    text = dump_pack(result.pack, header=f"Imported by briefpack from {source.name}.")
    try:
        validate_pack(parse_yaml(text, str(target)), str(target), target.stem, target.parent)
    except BriefpackError as error:
        raise BriefpackError(
            [
                *result.skipped,
                *error.problems,
                Problem(None, f"nothing written: the import of {source} is not a valid pack"),
            ]
        ) from None
    write_new(target, text, force=force)
    return target, result.skipped


def import_markdown(text: str, label: str) -> ImportResult:
    """Read a Markdown agenda; ``label`` is how the file is named in messages."""
    reader = _AgendaReader()
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        why = reader.read(stripped)
        if why:
            skipped = Problem(Mark(label, number, 1), f"skipped: {why}: {stripped}")
            reader.result.skipped.append(skipped)
    return reader.finish()


@dataclass
class _AgendaReader:
    """Where the reading of an agenda has got to: its days, the open session, question, field.

    Each step takes a line (stripped) and returns why it was skipped, or
    ``None`` when it was taken in.
    """

    result: ImportResult = field(default_factory=ImportResult)
    days: list[dict[str, Any]] = field(default_factory=list)
    session: dict[str, Any] | None = None
    question: dict[str, Any] | None = None
    current_field: str | None = None
    paragraph_open: bool = False
    #: Each field's text in pieces, joined once at the end (a field given again wins):
    #: adding each continued line to the text so far copied it (800 KB took 8 s).
    fields: list[tuple[dict[str, Any], str, list[str]]] = field(default_factory=list)

    def read(self, line: str) -> str | None:
        """Take in one line, by its shape: blank, a rule, a heading, a field, more of a field."""
        if not line:
            self.paragraph_open = False
            return None
        if _is_rule(line):
            self.current_field, self.paragraph_open = None, False
            return None
        heading = _heading(line)
        if heading:
            self.current_field, self.paragraph_open = None, False
            return self.heading(*heading)
        marker = _field(line)
        if marker:
            return self.field(*marker)
        if self.question is not None and self.current_field is not None:
            # More of the current field: a continued paragraph, or a new one.
            joiner = "\n" if self.paragraph_open else "\n\n"
            self.fields[-1][2].extend((joiner, line))  # the current field is the last begun
            self.paragraph_open = True
            return None
        return "not part of the agenda format"

    def heading(self, level: int, text: str) -> str | None:
        """The title, a day, a session or a question."""
        if level == 1 and "title" not in self.result.pack:
            self.result.pack["title"] = text
            return None
        if level == 2:
            date = parse_date(text)
            if date is None:
                return "a day heading without a date I can read"
            self.days.append({"date": date.isoformat(), "sessions": []})
            self.session = self.question = None
            return None
        if level == 3:
            return self.new_session(text)
        if level == 4:
            if self.session is None:
                return "a question before any session"
            self.question = {"title": _unnumbered(text)}
            self.session["questions"].append(self.question)
            return None
        return "a heading of a level this format does not use"

    def new_session(self, heading: str) -> str | None:
        """A session of the last day; one that cannot be read closes the one before."""
        if not self.days:
            return "a session before any day"
        self.session = parse_session(heading)
        if self.session is None:
            return "a session heading without '(start - end)' times"
        self.days[-1]["sessions"].append(self.session)
        self.question = None
        return None

    def field(self, name: str, rest: str) -> str | None:
        """The speakers of the open session, or a field of the open question begun."""
        if name.startswith("speaker"):
            if self.session is None:
                return "speakers before any session"
            self.session["speakers"] = parse_speakers(rest)
            self.current_field, self.paragraph_open = None, False
            return None
        if self.question is None:
            return f"a {name} before any question"
        self.fields.append((self.question, name, [rest]))
        self.current_field, self.paragraph_open = name, bool(rest)
        return None

    def finish(self) -> ImportResult:
        """The pack read: each field's text joined, the days in place."""
        for owner, name, parts in self.fields:
            owner[name] = "".join(parts).strip()
        if self.days:
            self.result.pack["days"] = self.days
        return self.result


def _is_rule(line: str) -> bool:
    """A thematic break: three or more of one of ``-``, ``*`` and ``_``, and nothing else."""
    return len(line) >= 3 and line[0] in "-*_" and line == line[0] * len(line)


def _heading(line: str) -> tuple[int, str] | None:
    """The level and text of an ATX heading, ``## Text ##``; ``line`` is stripped.

    As the pattern ``(#{1,6})\\s+(.*?)\\s*#*\\s*$`` read it: trailing ``#`` are
    dropped, with the spaces before them.
    """
    level = len(line) - len(line.lstrip("#"))
    if not 1 <= level <= 6 or level == len(line) or not line[level].isspace():
        return None
    return level, line[level:].lstrip().rstrip("#").rstrip()


def _field(line: str) -> tuple[str, str] | None:
    """``**Context:** text`` (or Question, Speaker, Speakers, in any case) as name and text."""
    if not line.startswith("**"):
        return None
    for name in _FIELDS:
        end = 2 + len(name)
        if line[2:end].lower() != name:
            continue
        rest = line[end:].lstrip()
        if rest.startswith(":") and rest[1:].lstrip().startswith("**"):
            return name, rest[1:].lstrip()[2:].strip()
    return None


def _unnumbered(title: str) -> str:
    """A question's title without its number: "1. Title", "2) Title", "Q3: Title"."""
    first = 1 if title[:1] in ("q", "Q") else 0
    digits = skip_while(title, first, str.isdecimal)
    marks = ".:)" if first else ".)"
    if digits == first or title[digits : digits + 1] not in tuple(marks):
        return title
    rest = title[digits + 1 :]
    return rest.lstrip() if rest[:1].isspace() else title
