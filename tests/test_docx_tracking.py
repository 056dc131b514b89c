"""A value that changed is tracked so that a word processor gives back either version."""

from __future__ import annotations

from lxml import etree

from briefpack.render.docx.tracking import untangle_paragraph_ends

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _body(*paragraphs: str) -> etree._Element:
    return etree.fromstring(f'<w:body xmlns:w="{W}">{"".join(paragraphs)}</w:body>')


def _kinds(paragraph: etree._Element) -> list[str]:
    return [etree.QName(child).localname for child in paragraph]


CHANGED = "<w:p><w:r/><w:del/><w:ins/></w:p>"
INSERTED = "<w:p><w:pPr><w:rPr><w:ins/></w:rPr></w:pPr><w:ins/></w:p>"
DELETED = "<w:p><w:pPr><w:rPr><w:del/></w:rPr></w:pPr><w:del/></w:p>"


def test_a_changed_value_before_an_inserted_paragraph_ends_with_its_deletion() -> None:
    body = _body(CHANGED, INSERTED)
    untangle_paragraph_ends(body)
    assert _kinds(body[0]) == ["r", "ins", "del"]


def test_a_changed_value_before_a_deleted_paragraph_ends_with_its_insertion() -> None:
    body = _body(CHANGED, DELETED)
    untangle_paragraph_ends(body)
    assert _kinds(body[0]) == ["r", "del", "ins"]


def test_a_changed_value_before_an_untracked_paragraph_is_left_as_it_is() -> None:
    body = _body(CHANGED, "<w:p><w:r/></w:p>")
    untangle_paragraph_ends(body)
    assert _kinds(body[0]) == ["r", "del", "ins"]
