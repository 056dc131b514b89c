"""A theme: the look of a pack, defined once for both formats.

Read from a theme folder's ``theme.yaml`` by :mod:`briefpack.content.theme`;
the PDF's stylesheet and the Word copy's styles are both made from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Colours:
    """The theme's colours, as ``#rrggbb``."""

    #: Headings' rules, numbers, links and the question's band.
    accent: str
    #: Text.
    ink: str
    #: Secondary text: context, times, roles, running heads.
    muted: str
    #: The tint behind the question and the session band.
    surface: str
    #: Hairlines between rows and under headings.
    rule: str


@dataclass(frozen=True, slots=True)
class FontFamily:
    """One role's font files, by face, and the font the Word copy names instead.

    Word cannot embed the PDF's font files, so ``word`` names a font its
    readers are likely to have; by default the family's own name.
    """

    regular: Path
    word: str
    italic: Path | None = None
    medium: Path | None = None
    semibold: Path | None = None
    bold: Path | None = None
    bold_italic: Path | None = None

    def faces(self) -> list[tuple[int, str, Path]]:
        """Each face given: its CSS weight, its style (``normal``/``italic``) and file."""
        candidates = [
            (400, "normal", self.regular),
            (400, "italic", self.italic),
            (500, "normal", self.medium),
            (600, "normal", self.semibold),
            (700, "normal", self.bold),
            (700, "italic", self.bold_italic),
        ]
        return [(weight, style, path) for weight, style, path in candidates if path is not None]


@dataclass(frozen=True, slots=True)
class Fonts:
    """The font of each role."""

    #: Titles, headings, labels, tables, running heads.
    heading: FontFamily
    #: Context and question text.
    body: FontFamily
    #: Code.
    mono: FontFamily


@dataclass(frozen=True, slots=True)
class Sizes:
    """A length in points for each named role: its type size, or the space below it."""

    title: float
    day: float
    session: float
    question_heading: float
    context: float
    question: float
    label: float
    header: float
    footer: float


@dataclass(frozen=True, slots=True)
class Margins:
    """Page margins, in millimetres."""

    top: float
    right: float
    bottom: float
    left: float


@dataclass(frozen=True, slots=True)
class Theme:
    """Everything that gives a pack its look."""

    name: str
    #: The theme's folder: every file the theme names is inside it, or inside
    #: the built-in theme it extends.
    folder: Path
    colours: Colours
    fonts: Fonts
    sizes: Sizes
    #: The space below each role: between a heading and what follows it, after a
    #: block of text, and between the running header or footer and the text.
    spacing: Sizes
    margins: Margins
    #: The HTML template and the print stylesheet.
    template: Path
    stylesheet: Path
    #: A picture (SVG or PNG) for the cover and the running header.
    logo: Path | None = None
    #: A Word template whose styles the Word copy takes.
    reference_docx: Path | None = None
    #: The built-in theme whose files this one uses where it names none of its own.
    extends: Path | None = None

    def folders(self) -> list[Path]:
        """The folders the theme's files may come from: its own, and the one it extends."""
        return [self.folder] if self.extends is None else [self.folder, self.extends]
