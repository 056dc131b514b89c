"""Word by word, block by block: one version of a text marked with its changes from another.

:func:`briefpack.model.changes.compare` marks the text of each question and
session it matches with these: changed words become
:class:`~briefpack.model.rich_text.Revision` nodes, with their formatting and
links kept, and whole blocks that came or went
:class:`~briefpack.model.rich_text.RevisedBlock` nodes.  They know nothing of
packs, so every writer gets the same marks whatever it shows.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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
    RevisedBlock,
    Revision,
    RevisionKind,
    Strong,
    Text,
    plain_text,
)


def diff_text(old: str, new: str) -> tuple[Inline, ...]:
    """``new`` with the words that differ from ``old`` marked as revisions."""
    return diff_inlines((Text(old),) if old else (), (Text(new),) if new else ())


def diff_inlines(old: Sequence[Inline], new: Sequence[Inline]) -> tuple[Inline, ...]:
    """``new`` with its differences from ``old`` marked, word by word, formatting kept."""
    old_tokens, new_tokens = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(
        None, [t.key for t in old_tokens], [t.key for t in new_tokens], autojunk=False
    )
    marked: list[tuple[RevisionKind | None, _Token]] = []
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            marked += [(None, token) for token in new_tokens[j1:j2]]
        if operation in ("delete", "replace"):
            marked += [("delete", token) for token in old_tokens[i1:i2]]
        if operation in ("insert", "replace"):
            marked += [("insert", token) for token in new_tokens[j1:j2]]
    return _merge([_node(kind, token) for kind, token in marked])


def mark_all(kind: RevisionKind, inlines: Sequence[Inline]) -> tuple[Inline, ...]:
    """``inlines`` wholly inserted or deleted, links kept outermost."""
    return _merge([_node(kind, token) for token in _tokens(inlines)])


@dataclass(frozen=True, slots=True)
class _Token:
    """A word, a run of spaces, or an atom (code, picture, line break), with its formatting."""

    content: str | Code | Image | LineBreak
    href: str | None
    strong: bool
    emphasis: bool

    @property
    def key(self) -> tuple[object, ...]:
        content = self.content
        if isinstance(content, Image):
            content = ("image", content.name)  # type: ignore[assignment]
        return (content, self.href, self.strong, self.emphasis)


_WORDS = re.compile(r"\s+|[^\s]+")


def _tokens(
    inlines: Iterable[Inline],
    href: str | None = None,
    strong: bool = False,
    emphasis: bool = False,
) -> list[_Token]:
    tokens: list[_Token] = []
    for inline in inlines:
        if isinstance(inline, Text):
            tokens += [_Token(w, href, strong, emphasis) for w in _WORDS.findall(inline.text)]
        elif isinstance(inline, Code | Image | LineBreak):
            tokens.append(_Token(inline, href, strong, emphasis))
        elif isinstance(inline, Strong):
            tokens += _tokens(inline.children, href, True, emphasis)
        elif isinstance(inline, Emphasis):
            tokens += _tokens(inline.children, href, strong, True)
        elif isinstance(inline, Link):
            tokens += _tokens(inline.children, inline.href, strong, emphasis)
        else:  # an earlier revision: compare what it shows
            tokens += _tokens(inline.children, href, strong, emphasis)
    return tokens


def _node(kind: RevisionKind | None, token: _Token) -> Inline:
    """One token as a tree: link, then revision, then strong and emphasis, then the text.

    The link is outermost because Word allows tracked changes inside a
    hyperlink, not a hyperlink inside a tracked change.
    """
    content = token.content
    node: Inline = Text(content) if isinstance(content, str) else content
    if token.emphasis:
        node = Emphasis((node,))
    if token.strong:
        node = Strong((node,))
    if kind is not None:
        node = Revision(kind, (node,))
    if token.href is not None:
        node = Link(token.href, (node,))
    return node


def _merge(nodes: Sequence[Inline]) -> tuple[Inline, ...]:
    """Join neighbours of one kind (texts, the same link, the same revision) into one node."""
    merged: list[Inline] = []
    for node in nodes:
        last = merged[-1] if merged else None
        if isinstance(last, Text) and isinstance(node, Text):
            merged[-1] = Text(last.text + node.text)
        elif isinstance(last, Link) and isinstance(node, Link) and last.href == node.href:
            merged[-1] = Link(last.href, _merge([*last.children, *node.children]))
        elif isinstance(last, Revision) and isinstance(node, Revision) and last.kind == node.kind:
            merged[-1] = Revision(last.kind, _merge([*last.children, *node.children]))
        elif isinstance(last, Strong) and isinstance(node, Strong):
            merged[-1] = Strong(_merge([*last.children, *node.children]))
        elif isinstance(last, Emphasis) and isinstance(node, Emphasis):
            merged[-1] = Emphasis(_merge([*last.children, *node.children]))
        else:
            merged.append(node)
    return tuple(merged)


def diff_markdown(old: Markdown | None, new: Markdown | None) -> Markdown | None:
    """``new`` with its changes from ``old`` marked; a field that went is kept, deleted."""
    if old is None and new is None:
        return None
    old_blocks = old.blocks if old else ()
    new_blocks = new.blocks if new else ()
    source = new.source if new else old.source if old else ""
    return Markdown(source, diff_blocks(old_blocks, new_blocks))


def diff_blocks(old: Sequence[Block], new: Sequence[Block]) -> tuple[Block, ...]:
    """``new`` with its changes from ``old`` marked, block by block, then word by word."""
    matcher = difflib.SequenceMatcher(
        None, [_block_key(b) for b in old], [_block_key(b) for b in new], autojunk=False
    )
    result: list[Block] = []
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            result += new[j1:j2]
            continue
        olds, news = list(old[i1:i2]), list(new[j1:j2])
        while olds and news and type(olds[0]) is type(news[0]):
            result.append(_diff_block(olds.pop(0), news.pop(0)))
        result += [RevisedBlock("delete", block) for block in olds]
        result += [RevisedBlock("insert", block) for block in news]
    return tuple(result)


def mark_blocks(kind: RevisionKind, markdown: Markdown | None) -> Markdown | None:
    """Every block of ``markdown`` wholly inserted or deleted."""
    if markdown is None:
        return None
    return Markdown(markdown.source, tuple(RevisedBlock(kind, b) for b in markdown.blocks))


def _block_key(block: Block) -> tuple[str, str]:
    return type(block).__name__, plain_text((block,))


def _diff_block(old: Block, new: Block) -> Block:
    if isinstance(old, Paragraph) and isinstance(new, Paragraph):
        return Paragraph(diff_inlines(old.children, new.children))
    if isinstance(old, Quote) and isinstance(new, Quote):
        return Quote(diff_blocks(old.children, new.children))
    if isinstance(old, BulletList) and isinstance(new, BulletList):
        return BulletList(_diff_items(old.items, new.items))
    if isinstance(old, OrderedList) and isinstance(new, OrderedList):
        return OrderedList(new.start, _diff_items(old.items, new.items))
    if isinstance(old, CodeBlock) and isinstance(new, CodeBlock) and old.text == new.text:
        return new
    return Quote((RevisedBlock("delete", old), RevisedBlock("insert", new)))


def _diff_items(
    old: Sequence[tuple[Block, ...]], new: Sequence[tuple[Block, ...]]
) -> tuple[tuple[Block, ...], ...]:
    matcher = difflib.SequenceMatcher(
        None, [plain_text(item) for item in old], [plain_text(item) for item in new], False
    )
    items: list[tuple[Block, ...]] = []
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            items += new[j1:j2]
            continue
        olds, news = list(old[i1:i2]), list(new[j1:j2])
        while olds and news:
            items.append(diff_blocks(olds.pop(0), news.pop(0)))
        items += [tuple(RevisedBlock("delete", b) for b in item) for item in olds]
        items += [tuple(RevisedBlock("insert", b) for b in item) for item in news]
    return tuple(items)
