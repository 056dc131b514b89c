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
from markdown_it.tree import SyntaxTreeNode

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

    >>> tree, notes = parse_markdown("A [link](javascript:x) and **bold**")
    >>> tree.blocks
    (Paragraph(children=(Text(text='A link and '), Strong(children=(Text(text='bold'),)))),)
    >>> notes
    ["link to 'javascript:x' dropped, its text kept: only http, https and mailto links are allowed"]
    """
    notes = _Notes(resolve_image)
    root = SyntaxTreeNode(_PARSER.parse(source))
    return Markdown(source, tuple(_blocks(root.children, notes))), list(notes)


def _blocks(nodes: Sequence[SyntaxTreeNode], notes: _Notes) -> Iterator[Block]:
    for node in nodes:
        kind = node.type
        if kind in ("paragraph", "heading"):
            children = _inlines(node.children[0].children, notes) if node.children else ()
            yield Paragraph((Strong(children),) if kind == "heading" else children)
        elif kind == "bullet_list":
            yield BulletList(_list_items(node, notes))
        elif kind == "ordered_list":
            start = int(node.attrs.get("start", 1))
            yield OrderedList(start, _list_items(node, notes))
        elif kind in ("code_block", "fence"):
            yield CodeBlock(node.content.removesuffix("\n"))
        elif kind == "blockquote":
            yield Quote(tuple(_blocks(node.children, notes)))
        # A thematic break (---) separates nothing in a single field: dropped.


def _list_items(node: SyntaxTreeNode, notes: _Notes) -> tuple[tuple[Block, ...], ...]:
    return tuple(tuple(_blocks(item.children, notes)) for item in node.children)


def _inlines(nodes: Sequence[SyntaxTreeNode], notes: _Notes) -> tuple[Inline, ...]:
    result: list[Inline] = []
    for node in nodes:
        kind = node.type
        if kind in ("text", "html_inline"):  # html is off, so markup arrives as text
            result.append(Text(node.content))
        elif kind == "softbreak":
            result.append(Text(" "))
        elif kind == "hardbreak":
            result.append(LineBreak())
        elif kind == "code_inline":
            result.append(Code(node.content))
        elif kind == "strong":
            result.append(Strong(_inlines(node.children, notes)))
        elif kind == "em":
            result.append(Emphasis(_inlines(node.children, notes)))
        elif kind == "link":
            href = str(node.attrs.get("href", ""))
            children = _inlines(node.children, notes)
            if _link_allowed(href):
                result.append(Link(href, children))
            else:
                notes.append(
                    f"link to {href!r} dropped, its text kept: "
                    "only http, https and mailto links are allowed"
                )
                result.extend(children)
        elif kind == "image":
            src = str(node.attrs.get("src", ""))
            image = _image(src, node.content, notes)
            if image is not None:
                result.append(image)
            elif node.content:
                result.append(Text(node.content))
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
    run: list[str] = []  # the texts of the run so far, joined once: adding each was quadratic
    for inline in [*inlines, None]:
        if isinstance(inline, Text):
            run.append(inline.text)
            continue
        text = "".join(run)
        if text:
            merged.append(Text(text))
        run.clear()
        if inline is not None:
            merged.append(inline)
    return tuple(merged)
