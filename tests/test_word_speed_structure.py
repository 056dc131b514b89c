"""The Word writer's short cuts past python-docx's scans give python-docx's own answers.

python-docx finds a style by scanning every style, places a property by searching
for each of those that may follow it, and names a new header by walking every
part: the writer keeps an index and its own helpers instead (issue 29).  These
specs hold the helpers to python-docx's results, and the writer to its helpers;
none is timed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import docx as python_docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.package import OpcPackage
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls
from docx.oxml.styles import CT_Styles
from docx.styles.styles import Styles
from lxml import etree

from briefpack.build.chosen_settings import default_theme, resolve_settings
from briefpack.content.validate import load_pack
from briefpack.render.docx.ooxml import child, element, set_paragraph_style
from briefpack.render.docx.style_index import StyleIndex, style_index
from briefpack.render.docx.writer import render_docx
from briefpack.render.settings import RenderSettings

from conftest import BUNDLED_PACK, RICH_PACK, WritePack


def test_the_style_index_finds_every_style_python_docx_finds() -> None:
    document = python_docx.Document()
    index = StyleIndex(document.styles.element)
    names = [style.name for style in document.styles]
    assert len(names) > 100
    for name in [*names, "Heading 1", "heading 1", "Normal"]:
        assert (name in index) == (name in document.styles)
        assert index[name].element is document.styles[name].element
    assert "No Such Style" not in index
    with pytest.raises(KeyError):
        index["No Such Style"]


def test_a_style_the_index_adds_is_python_docxs_and_a_taken_name_is_refused() -> None:
    document = python_docx.Document()
    index = style_index(document)
    added = index.add("Briefing Test", WD_STYLE_TYPE.PARAGRAPH)
    assert document.styles["Briefing Test"].element is added.element
    assert index["Briefing Test"].element is added.element
    assert index.style_id("Briefing Test") == document.styles["Briefing Test"].style_id
    # Made as python-docx's add_style makes it, at the end of the part.
    twin = python_docx.Document()
    twin.styles.add_style("Briefing Test", WD_STYLE_TYPE.PARAGRAPH)
    assert etree.tostring(document.styles.element) == etree.tostring(twin.styles.element)
    with pytest.raises(ValueError, match="already contains"):
        index.add("Briefing Test", WD_STYLE_TYPE.PARAGRAPH)
    with pytest.raises(ValueError, match="already contains"):
        index.add("Heading 1", WD_STYLE_TYPE.PARAGRAPH)
    assert style_index(document) is index


def _paragraph(properties: str) -> Any:
    return parse_xml(f"<w:p {nsdecls('w')}>{properties}<w:r><w:t>x</w:t></w:r></w:p>")


@pytest.mark.parametrize(
    "properties",
    [
        "",
        "<w:pPr/>",
        "<w:pPr><w:spacing w:after='0'/><w:jc w:val='right'/></w:pPr>",
        # Out of the schema's order: python-docx places the style before the first found.
        "<w:pPr><w:jc w:val='right'/><w:keepNext/><w:spacing w:after='0'/></w:pPr>",
        "<w:pPr><w:pStyle w:val='Old'/><w:keepNext/></w:pPr>",
        "<w:pPr><w:keepNext/><w:pStyle w:val='Old'/><w:pStyle w:val='Older'/></w:pPr>",
    ],
)
@pytest.mark.parametrize("style", ["BriefingQuestion", None])
def test_a_paragraphs_style_is_set_as_python_docx_sets_it(
    properties: str, style: str | None
) -> None:
    ours, theirs = _paragraph(properties), _paragraph(properties)
    set_paragraph_style(ours, style)
    theirs.get_or_add_pPr().style = style
    assert etree.tostring(ours) == etree.tostring(theirs)


def test_elements_made_inside_their_parent_are_python_docxs_elements() -> None:
    ours, theirs = parse_xml(f"<w:body {nsdecls('w')}/>"), parse_xml(f"<w:body {nsdecls('w')}/>")
    paragraph = element("w:p")
    ours.append(paragraph)
    child(child(paragraph, "w:pPr"), "w:pStyle", val="Title")
    expected = OxmlElement("w:p")
    theirs.append(expected)
    expected.get_or_add_pPr().style = "Title"
    assert etree.tostring(ours) == etree.tostring(theirs)
    assert type(paragraph) is type(expected)


def _counting(monkeypatch: pytest.MonkeyPatch, counts: Counter[str]) -> None:
    """Count python-docx's scans: a style by name or id, a membership test, a new part's name."""
    targets: list[tuple[type, str]] = [
        (CT_Styles, "get_by_name"),
        (CT_Styles, "get_by_id"),
        (Styles, "__contains__"),
        (Styles, "add_style"),
        (OpcPackage, "next_partname"),
    ]
    for owner, name in targets:
        original: Callable[..., Any] = getattr(owner, name)

        def counted(*args: Any, _name: str = name, _original: Any = original) -> Any:
            counts[_name] += 1
            return _original(*args)

        monkeypatch.setattr(owner, name, counted)


def _render(path: Any) -> None:
    pack = load_pack(path)
    settings = resolve_settings(pack, {})
    render_docx(
        pack,
        RenderSettings(created=settings.created, reference_docx=None, theme=default_theme()),
    )


def test_the_word_writer_scans_no_style_and_names_headers_without_walking_the_package(
    monkeypatch: pytest.MonkeyPatch, write_pack: WritePack
) -> None:
    counts: Counter[str] = Counter()
    _counting(monkeypatch, counts)
    _render(BUNDLED_PACK)
    bundled = dict(counts)
    counts.clear()
    _render(write_pack(RICH_PACK))
    # No style is looked up through python-docx; a new part's name is searched for only
    # for the footers (two, whatever the pack), never for each section's header.
    for scan in ("get_by_name", "get_by_id", "__contains__", "add_style"):
        assert bundled.get(scan, 0) == counts.get(scan, 0) == 0, scan
    assert bundled.get("next_partname", 0) == counts.get("next_partname", 0) <= 2
