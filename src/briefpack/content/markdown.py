"""Markdown in ``context`` and ``question``: parsed once into the model's rich-text tree.

The tree itself is :mod:`briefpack.model.rich_text`; this is the parser that
builds it, with the rules on what the tree may hold:

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
from pathlib import Path
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

from briefpack.model.rich_text import (
    Block,
    BulletList,
    Code,
    CodeBlock,
    Emphasis,
    Image,
    Inline,
    LineBreak,
    Link,
    Markdown,
    OrderedList,
    Paragraph,
    Quote,
    Strong,
    Text,
)

#: Link targets that stay links.
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
#: Finds the file an image source names, or raises ``ValueError`` saying why not.
ImageResolver = Callable[[str], Path]


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
