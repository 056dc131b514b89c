"""The rich text of ``context`` and ``question``: a small document tree that every writer renders.

Made by the Markdown parser in :mod:`briefpack.content.markdown`; the PDF and
the Word copy render the same tree, so they show the same emphasis, lists
and links.  The tree is deliberately small: what briefing text needs,
nothing that could fetch, run or hide anything.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeAlias


@dataclass(frozen=True, slots=True)
class Text:
    """Plain text."""

    text: str


@dataclass(frozen=True, slots=True)
class Strong:
    """Bold text."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Emphasis:
    """Italic text."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Code:
    """Inline code."""

    text: str


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink to an ``http``, ``https`` or ``mailto`` address."""

    href: str
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class LineBreak:
    """A hard line break (two spaces or a backslash at the end of a line)."""


@dataclass(frozen=True, slots=True)
class Image:
    """A picture from the pack's folder, checked when the pack was read.

    ``name`` is a file name made from the picture's content, under which the
    writers refer to it; it, not ``path``, takes part in comparisons, so the
    same picture in another checkout is the same input.
    """

    path: Path = field(compare=False)
    alt: str
    name: str


#: What a revision did to the text it holds.
RevisionKind = Literal["insert", "delete"]


@dataclass(frozen=True, slots=True)
class Revision:
    """Text inserted or deleted since an earlier version: only in a change-marked pack."""

    kind: RevisionKind
    children: tuple[Inline, ...]


Inline: TypeAlias = Text | Strong | Emphasis | Code | Link | LineBreak | Image | Revision


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of inline content."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class BulletList:
    """A bulleted list; each item is a sequence of blocks."""

    items: tuple[tuple[Block, ...], ...]


@dataclass(frozen=True, slots=True)
class OrderedList:
    """A numbered list starting at ``start``; each item is a sequence of blocks."""

    start: int
    items: tuple[tuple[Block, ...], ...]


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """Preformatted text, kept line for line."""

    text: str


@dataclass(frozen=True, slots=True)
class Quote:
    """A block quotation."""

    children: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class RevisedBlock:
    """A whole block inserted or deleted since an earlier version (a change-marked pack)."""

    kind: RevisionKind
    block: Block


Block: TypeAlias = Paragraph | BulletList | OrderedList | CodeBlock | Quote | RevisedBlock


@dataclass(frozen=True, slots=True)
class Markdown:
    """A Markdown field: its source text, exactly as written, and its parsed blocks."""

    source: str
    blocks: tuple[Block, ...]


def plain_text(blocks: Sequence[Block]) -> str:
    """The words of ``blocks`` without formatting, paragraphs separated by blank lines."""
    return "\n\n".join(_block_text(block) for block in blocks)


def images_in(blocks: Sequence[Block]) -> Iterator[Image]:
    """Every image in ``blocks``, in order."""
    for block in blocks:
        if isinstance(block, Paragraph):
            yield from _inline_images(block.children)
        elif isinstance(block, Quote):
            yield from images_in(block.children)
        elif isinstance(block, BulletList | OrderedList):
            for item in block.items:
                yield from images_in(item)
        elif isinstance(block, RevisedBlock):
            yield from images_in((block.block,))


def _inline_images(children: Sequence[Inline]) -> Iterator[Image]:
    for child in children:
        if isinstance(child, Image):
            yield child
        elif isinstance(child, Strong | Emphasis | Link | Revision):
            yield from _inline_images(child.children)


def _block_text(block: Block) -> str:
    if isinstance(block, Paragraph):
        return _inline_text(block.children)
    if isinstance(block, CodeBlock):
        return block.text
    if isinstance(block, Quote):
        return plain_text(block.children)
    if isinstance(block, RevisedBlock):
        return _block_text(block.block)
    return "\n".join(plain_text(item) for item in block.items)


def _inline_text(children: Sequence[Inline]) -> str:
    parts: list[str] = []
    for child in children:
        if isinstance(child, Text | Code):
            parts.append(child.text)
        elif isinstance(child, LineBreak):
            parts.append("\n")
        elif isinstance(child, Image):
            parts.append(child.alt)
        else:
            parts.append(_inline_text(child.children))
    return "".join(parts)
