"""Markdown fields: one small tree for every writer; nothing fetched or run."""

from __future__ import annotations

import pytest

from briefpack.content.markdown import parse_markdown
from briefpack.model.rich_text import (
    BulletList,
    Code,
    CodeBlock,
    Emphasis,
    LineBreak,
    Link,
    OrderedList,
    Paragraph,
    Quote,
    Strong,
    Text,
    plain_text,
)

from conftest import MINIMAL_PACK, WritePack, valid


def blocks(source: str) -> tuple[object, ...]:
    markdown, _ = parse_markdown(source)
    assert markdown.source == source
    return markdown.blocks


def test_inline_formatting() -> None:
    assert blocks("Plain **bold** *italic* `code` [site](https://example.com)") == (
        Paragraph(
            (
                Text("Plain "),
                Strong((Text("bold"),)),
                Text(" "),
                Emphasis((Text("italic"),)),
                Text(" "),
                Code("code"),
                Text(" "),
                Link("https://example.com", (Text("site"),)),
            )
        ),
    )


def test_nested_emphasis_and_breaks() -> None:
    assert blocks("**a *b* c**\nnext  \nline") == (
        Paragraph(
            (
                Strong((Text("a "), Emphasis((Text("b"),)), Text(" c"))),
                Text(" next"),
                LineBreak(),
                Text("line"),
            )
        ),
    )


def test_lists_keep_their_numbering_start() -> None:
    assert blocks("- one\n- two\n\n3. three\n4. four") == (
        BulletList(((Paragraph((Text("one"),)),), (Paragraph((Text("two"),)),))),
        OrderedList(3, ((Paragraph((Text("three"),)),), (Paragraph((Text("four"),)),))),
    )


def test_code_block_quote_and_heading() -> None:
    assert blocks("# Heading\n\n> quoted\n\n```\nx = 1\n```") == (
        Paragraph((Strong((Text("Heading"),)),)),
        Quote((Paragraph((Text("quoted"),)),)),
        CodeBlock("x = 1"),
    )


@pytest.mark.parametrize(
    "source",
    ["<b>bold?</b> <script>alert(1)</script>", "{{ 7*7 }} {% for x in y %}", "a & b < c"],
)
def test_html_and_template_syntax_are_text(source: str) -> None:
    assert blocks(source) == (Paragraph((Text(source),)),)


@pytest.mark.parametrize(
    "href", ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "../secret.txt"]
)
def test_unsafe_links_are_dropped_and_their_text_kept(href: str) -> None:
    markdown, notes = parse_markdown(f"see [the notes]({href}) now")
    assert markdown.blocks == (Paragraph((Text("see the notes now"),)),)
    assert notes == [
        f"link to {href!r} dropped, its text kept: only http, https and mailto links are allowed"
    ]


def test_mailto_links_stay() -> None:
    assert blocks("[mail](mailto:a@example.com)") == (
        Paragraph((Link("mailto:a@example.com", (Text("mail"),)),)),
    )


def test_images_are_not_embedded() -> None:
    markdown, notes = parse_markdown("Chart: ![revenue chart](http://127.0.0.1/x.png)")
    assert markdown.blocks == (Paragraph((Text("Chart: revenue chart"),)),)
    assert notes == ["image 'http://127.0.0.1/x.png' not embedded, its description kept"]


def test_plain_text_keeps_the_words() -> None:
    markdown, _ = parse_markdown("**Why** it *matters*:\n\n- cost\n- speed")
    assert plain_text(markdown.blocks) == "Why it matters:\n\ncost\nspeed"


def test_refused_link_is_a_warning_at_the_field(write_pack: WritePack) -> None:
    path = write_pack(
        MINIMAL_PACK.replace(
            "question: Where are we going?", "question: See [this](javascript:alert(1))"
        )
    )
    pack = valid(path)
    assert [str(w) for w in pack.warnings] == [
        "pack.yaml:10:23: warning: in 'question': link to 'javascript:alert(1)' dropped, "
        "its text kept: only http, https and mailto links are allowed"
    ]
