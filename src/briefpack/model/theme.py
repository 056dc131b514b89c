"""A theme: the look of a pack, defined once for both formats.

Read from a theme folder's ``theme.yaml`` by :mod:`briefpack.content.theme_file`;
the PDF's stylesheet and the Word copy's styles are both made from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefpack.model.marks import Problem


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

    def contrast_failures(self) -> list[tuple[str, str, float]]:
        """Text colours that read below WCAG's 4.5:1 on the backgrounds they are set on.

        Each failure is (text colour's name, background's name, the ratio).
        Text is set on the white page and on the surface tint, in both formats.
        """
        backgrounds = {"page": "#ffffff", "surface": self.surface}
        pairs = [
            ("ink", "page"),
            ("muted", "page"),
            ("accent", "page"),
            ("ink", "surface"),
            ("accent", "surface"),
        ]
        failures = []
        for text, background in pairs:
            ratio = contrast(getattr(self, text), backgrounds[background])
            if ratio < MINIMUM_CONTRAST:
                failures.append((text, background, round(ratio, 2)))
        return failures


#: WCAG 2's minimum contrast for text (level AA).
MINIMUM_CONTRAST = 4.5


def contrast(first: str, second: str) -> float:
    """WCAG 2's contrast ratio of two ``#rrggbb`` colours, from 1 to 21."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@dataclass(frozen=True, slots=True)
class FontFamily:
    """One role's font files, by face, and the name the Word copy's styles give the family.

    By default ``word`` is the family's own name (from its regular face's
    file) and the Word copy carries the faces (``embed``), subset to the
    characters it uses, so that it looks like the PDF on any machine.  A
    theme's ``word:`` key names an installed font instead (nothing embedded);
    so does a font whose licence (its OS/2 ``fsType``) forbids embedding in an
    editable document, with a warning in :attr:`Theme.warnings`.
    """

    regular: Path
    word: str
    #: Whether the Word copy embeds the faces (else it only names ``word``).
    embed: bool = True
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
    #: What reading the theme found to warn of, at its lines: fonts that may not be embedded.
    warnings: tuple[Problem, ...] = ()

    def folders(self) -> list[Path]:
        """The folders the theme's files may come from: its own, and the one it extends."""
        return [self.folder] if self.extends is None else [self.folder, self.extends]
