"""Markdown in ``context`` and ``question``: parsed once into a small document tree.

Every writer renders this tree, so the PDF and the Word copy show the same
emphasis, lists and links.  The tree is deliberately small: what briefing
text needs, nothing that could fetch, run or hide anything.

* Raw HTML is text, shown exactly as written.
* Links keep only ``http``, ``https`` and ``mailto`` targets; any other target
  (``javascript:``, ``file:``, ``data:``, relative paths) is dropped and its
  text kept.
* Images are embedded only when ``resolve_image`` accepts them (files in the
  pack's folder, see :mod:`briefpack.content.images`); otherwise their alt text is kept.
* Headings inside a field become bold paragraphs: the pack's own headings
  carry the document's structure.

Refused links and images are returned as notes, for the validator to report at
the field's line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

#: Link targets that stay links.
LINK_SCHEMES = frozenset({"http", "https", "mailto"})


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
    """A picture from the pack's folder, checked by :func:`briefpack.content.images.resolve_image`.

    ``name`` is a file name made from the picture's content, under which the
    writers refer to it.
    """

    path: Path
    alt: str
    name: str


Inline: TypeAlias = Text | Strong | Emphasis | Code | Link | LineBreak | Image
#: Finds the file an image source names, or raises ``ValueError`` saying why not.
ImageResolver = Callable[[str], Path]


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


Block: TypeAlias = Paragraph | BulletList | OrderedList | CodeBlock | Quote


@dataclass(frozen=True, slots=True)
class Markdown:
    """A Markdown field: its source text, exactly as written, and its parsed blocks."""

    source: str
    blocks: tuple[Block, ...]


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "typographer": False})
    # Every target is judged by _link_target below, which keeps the link text
    # of a refused link; markdown-it's own check would show the raw syntax.
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    return parser


_PARSER = _parser()


class _Notes(list[str]):
    """Notes about refused links and images, and the way to find image files."""

    def __init__(self, resolve_image: ImageResolver | None) -> None:
        super().__init__()
        self.resolve_image = resolve_image


def parse_markdown(
    source: str, resolve_image: ImageResolver | None = None
) -> tuple[Markdown, list[str]]:
    """Parse ``source`` into a :class:`Markdown` tree.

    Returns the tree and a note for each link target or image that was
    refused, e.g. ``"link to 'javascript:alert(1)' dropped: ..."``.  Without
    ``resolve_image`` no image is embedded.
    """
    notes = _Notes(resolve_image)
    tokens = iter(_PARSER.parse(source))
    blocks = tuple(_blocks(tokens, None, notes))
    return Markdown(source, blocks), list(notes)


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


def _inline_images(children: Sequence[Inline]) -> Iterator[Image]:
    for child in children:
        if isinstance(child, Image):
            yield child
        elif isinstance(child, Strong | Emphasis | Link):
            yield from _inline_images(child.children)


def _block_text(block: Block) -> str:
    if isinstance(block, Paragraph):
        return _inline_text(block.children)
    if isinstance(block, CodeBlock):
        return block.text
    if isinstance(block, Quote):
        return plain_text(block.children)
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


def _blocks(tokens: Iterator[Token], closing: str | None, notes: _Notes) -> Iterator[Block]:
    """Yield blocks until the token of type ``closing`` (or the end)."""
    for token in tokens:
        kind = token.type
        if kind == closing:
            return
        if kind in ("paragraph_open", "heading_open"):
            inline = next(tokens)
            next(tokens)  # paragraph_close / heading_close
            children = _inlines(inline.children or [], notes)
            yield Paragraph((Strong(children),) if kind == "heading_open" else children)
        elif kind == "bullet_list_open":
            yield BulletList(tuple(_list_items(tokens, "bullet_list_close", notes)))
        elif kind == "ordered_list_open":
            start = int(token.attrs.get("start", 1))
            yield OrderedList(start, tuple(_list_items(tokens, "ordered_list_close", notes)))
        elif kind in ("code_block", "fence"):
            yield CodeBlock(token.content.removesuffix("\n"))
        elif kind == "blockquote_open":
            yield Quote(tuple(_blocks(tokens, "blockquote_close", notes)))
        # A thematic break (---) separates nothing in a single field: dropped.


def _list_items(
    tokens: Iterator[Token], closing: str, notes: _Notes
) -> Iterator[tuple[Block, ...]]:
    for token in tokens:
        if token.type == closing:
            return
        if token.type == "list_item_open":
            yield tuple(_blocks(tokens, "list_item_close", notes))


def _inlines(tokens: Sequence[Token], notes: _Notes) -> tuple[Inline, ...]:
    result: list[Inline] = []
    position = 0

    def children_until(closing: str) -> tuple[Inline, ...]:
        nonlocal position
        depth, start = 0, position
        while position < len(tokens):
            kind = tokens[position].type
            if kind == closing.replace("_close", "_open"):
                depth += 1
            elif kind == closing:
                if depth == 0:
                    inner = _inlines(tokens[start:position], notes)
                    position += 1
                    return inner
                depth -= 1
            position += 1
        return _inlines(tokens[start:], notes)  # pragma: no cover - markdown-it balances tags

    while position < len(tokens):
        token = tokens[position]
        position += 1
        kind = token.type
        if kind == "text":
            result.append(Text(token.content))
        elif kind == "softbreak":
            result.append(Text(" "))
        elif kind == "hardbreak":
            result.append(LineBreak())
        elif kind == "code_inline":
            result.append(Code(token.content))
        elif kind == "strong_open":
            result.append(Strong(children_until("strong_close")))
        elif kind == "em_open":
            result.append(Emphasis(children_until("em_close")))
        elif kind == "link_open":
            href = str(token.attrs.get("href", ""))
            children = children_until("link_close")
            if _link_allowed(href):
                result.append(Link(href, children))
            else:
                notes.append(
                    f"link to {href!r} dropped, its text kept: "
                    "only http, https and mailto links are allowed"
                )
                result.extend(children)
        elif kind == "image":
            src = str(token.attrs.get("src", ""))
            image = _image(src, token.content, notes)
            if image is not None:
                result.append(image)
            elif token.content:
                result.append(Text(token.content))
        elif kind == "html_inline":  # pragma: no cover - html is off, so this is text
            result.append(Text(token.content))
    return _merge_text(result)


def _image(src: str, alt: str, notes: _Notes) -> Image | None:
    if notes.resolve_image is None:
        notes.append(f"image {src!r} not embedded, its description kept")
        return None
    try:
        path = notes.resolve_image(src)
    except ValueError as reason:
        notes.append(f"image {src!r} not embedded, its description kept: {reason}")
        return None
    from briefpack.content.images import image_name

    return Image(path, alt, image_name(path))


def _link_allowed(href: str) -> bool:
    try:
        scheme = urlsplit(href).scheme.lower()
    except ValueError:
        return False
    return scheme in LINK_SCHEMES


def _merge_text(inlines: list[Inline]) -> tuple[Inline, ...]:
    """Join adjacent text runs and drop empty ones, so that equal text gives equal trees."""
    merged: list[Inline] = []
    for inline in inlines:
        if isinstance(inline, Text) and not inline.text:
            continue
        if isinstance(inline, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + inline.text)
        else:
            merged.append(inline)
    return tuple(merged)
