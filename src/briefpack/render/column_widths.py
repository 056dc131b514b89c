"""The at-a-glance table's column widths, measured from its words: one answer for both formats.

A column as wide as a fixed number of millimetres broke "10:00 / AM" and
"Donnersta / g" in Word.  Here each column is as wide as the longest word
it must keep whole (a time, a weekday, "23. Oktober", its heading in
capitals), measured in the theme's heading font at the table's sizes, plus
the gap between columns; the speakers column is as wide as its longest
name up to a share of the page, and the session column takes what is
left.  The Word writer gives these widths to its table's grid and cells,
the PDF to its ``<colgroup>`` (through :func:`briefpack.render.theme_css.glance_css`),
so that both tables have the same columns.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from briefpack.model.theme import Theme
from briefpack.render.theme_css import PAPER_WIDTHS, text_width
from briefpack.render.view.front import Glance
from briefpack.render.view.labels import Labels

#: The table's text and heading sizes, in points (pack.css, ``.glance-table``; and the
#: Word styles "Briefing Table Text" and "Briefing Table Heading").
TEXT_SIZE = 8.5
HEADING_SIZE = 7.5
#: The headings' letter spacing, in ems (pack.css: capitals, ``letter-spacing: 0.06em``).
HEADING_TRACKING = 0.06
#: The gap between columns, in millimetres: after a column's text, or before a count's.
GAP_MM = 3.0
#: What each measure gets on top, in points: the measure leaves out kerning and hinting,
#: and the two layout engines round differently.
SLACK_PT = 1.5
#: The most of the text width a speakers column takes for its names (never less than its
#: longest word), and the least the session column keeps when it can.
SPEAKERS_SHARE = 0.28
SESSION_SHARE = 0.3
#: Where a line may break: spaces (not no-break ones), and after a hyphen or a dash.
_BREAKS = re.compile(r"[ \t\n\u2009\u200b]+|(?<=[-\u2010\u2013\u2014/])")
_SPACES = re.compile(r"[ \t\n\u2009\u200b]+")
_DIGITS = "0123456789"
_MM = 72 / 25.4


@dataclass(frozen=True, slots=True)
class GlanceWidths:
    """The widths of the at-a-glance table's columns, in millimetres, gaps included."""

    day: float
    time: float
    session: float
    #: ``None`` when the table has no speakers column (no session has speakers).
    speakers: float | None
    #: The questions column, then the pre-reads column when the table has one.
    counts: tuple[float, ...]
    #: The pre-reading times' column, last; ``None`` when the table has none.
    reading: float | None = None

    @property
    def columns(self) -> tuple[float, ...]:
        """Every column's width in the table's order: day, time, session, speakers, counts,
        reading."""
        speakers = () if self.speakers is None else (self.speakers,)
        reading = () if self.reading is None else (self.reading,)
        return (self.day, self.time, self.session, *speakers, *self.counts, *reading)


#: The changes page's columns, in millimetres, as pack.css sets them (``.change-table``):
#: what changed, and the page; the entry takes the rest.
CHANGE_KIND_MM = 34.0
CHANGE_PAGE_MM = 10.0


def text_width_mm(theme: Theme, paper: str) -> float:
    """The width between the page's margins, in millimetres."""
    return PAPER_WIDTHS[paper] - theme.margins.left - theme.margins.right


def changes_widths(theme: Theme, paper: str) -> tuple[float, float, float]:
    """The changes page's columns: what changed, the entry, its page (millimetres)."""
    entry = text_width_mm(theme, paper) - CHANGE_KIND_MM - CHANGE_PAGE_MM
    return (CHANGE_KIND_MM, round(entry, 2), CHANGE_PAGE_MM)


def words(text: str, hyphens: bool = True) -> list[str]:
    """The pieces of ``text`` a line never breaks inside (no-break spaces hold); without
    ``hyphens``, a hyphenated word is one piece (a heading's "PRE-READS" stays whole)."""
    pieces = _BREAKS.split(text) if hyphens else _SPACES.split(text)
    return [word for word in pieces if word]


class Measure:
    """Text widths in the theme's heading font, in points, at a weight and size."""

    def __init__(self, theme: Theme) -> None:
        self.faces = [
            (w, path) for w, style, path in theme.fonts.heading.faces() if style == "normal"
        ]

    def face(self, weight: int) -> Path:
        """The face CSS would choose for ``weight``: the nearest, heavier first above 500."""
        if weight > 500:
            key = [(w < weight, abs(w - weight)) for w, _ in self.faces]
        else:
            key = [(w > weight, abs(w - weight)) for w, _ in self.faces]
        return min(zip(key, self.faces, strict=True))[1][1]

    def width(self, text: str, weights: Iterable[int], size: float, tracking: float = 0.0) -> float:
        """The widest of ``text`` at each of ``weights``: digits as wide as the widest
        (the PDF's table sets them tabular), ``tracking`` ems between letters."""
        widest = 0.0
        for weight in weights:
            face = self.face(weight)
            figure = max(text_width(digit, face, size) for digit in _DIGITS)
            letters = "".join(c for c in text if c not in _DIGITS)
            digits = len(text) - len(letters)
            measured = text_width(letters, face, size) + digits * figure
            widest = max(widest, measured + tracking * size * len(text))
        return widest


def glance_widths(
    glances: Sequence[Glance], labels: Labels, theme: Theme, paper: str
) -> GlanceWidths:
    """The columns of the table of ``glances`` (a changes copy's two versions, or one).

    The day and heading cells are bold (600 in the PDF, bold in Word): both
    weights are measured and the wider counts.
    """
    measure = Measure(theme)
    rows = [row for glance in glances for day in glance.days for row in day]
    pre_reads = any(glance.pre_reads for glance in glances)
    text_mm = text_width_mm(theme, paper)

    def heading(label: str) -> float:
        return max(
            (
                measure.width(w.upper(), (600, 700), HEADING_SIZE, HEADING_TRACKING)
                for w in words(label, hyphens=False)
            ),
            default=0.0,
        )

    def column(
        label: str, cells: Iterable[str], weights: tuple[int, ...], whole: bool = False
    ) -> float:
        # A ``whole`` cell never breaks (a time, "1 h 40 min"): measured as one piece.
        pieces = (piece for cell in cells for piece in ([cell] if whole else words(cell)))
        widest = max((measure.width(w, weights, TEXT_SIZE) for w in pieces), default=0.0)
        return _mm(max(widest, heading(label)))

    day = column(labels.day, (line for row in rows for line in row.day), (600, 700))
    time = column(labels.time, (line for row in rows for line in row.times), (400,))
    names = [name for row in rows for name in row.speakers]
    least = column(labels.speakers, names, (400,))
    longest = _mm(max((measure.width(n, (400,), TEXT_SIZE) for n in names), default=0.0))
    speakers = max(least, min(longest, _round(text_mm * SPEAKERS_SHARE)))
    counts: tuple[float, ...] = (
        column(labels.questions, (str(r.questions) for r in rows), (400,)),
    )
    if pre_reads:
        counts += (column(labels.pre_reads, (str(r.pre_reads) for r in rows), (400,)),)
    reading = None
    if any(glance.reading for glance in glances):
        reading = column(labels.reading, (r.reading or "" for r in rows), (400,), whole=True)
    fixed = sum(counts) + (reading or 0.0)
    if not any(glance.speakers for glance in glances):
        session = round(text_mm - day - time - fixed, 2)
        return GlanceWidths(day, time, session, None, counts, reading)
    session = text_mm - day - time - speakers - fixed
    # A long name gives way to the session's title, down to the column's longest word.
    room = min(speakers - least, max(text_mm * SESSION_SHARE - session, 0.0))
    speakers = max(least, _round(speakers - room))
    session = text_mm - day - time - speakers - fixed
    return GlanceWidths(day, time, round(session, 2), speakers, counts, reading)


def _mm(points: float) -> float:
    """A measure in points as a column's width: millimetres, the gap and slack added."""
    return _round((points + SLACK_PT) / _MM + GAP_MM)


def _round(mm: float) -> float:
    """Up to the next tenth of a millimetre, so that a width reads the same in both files."""
    return math.ceil(mm * 10 - 1e-9) / 10
