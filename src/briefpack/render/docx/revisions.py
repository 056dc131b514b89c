"""Real tracked changes: the old version's Word copy turned into the new one's, change by change.

Both versions are rendered by the same writer, then compared as Word
documents: paragraphs (and table rows) by their style and text, and, inside
a paragraph that changed, word by word with each run's formatting and link.
What the new version added becomes ``w:ins``, what it dropped ``w:del`` (its
text in ``w:delText``); a paragraph added or dropped whole has its paragraph
mark tracked too, and a table row its row.  So Word's *Accept All* gives the
new version's text exactly and *Reject All* the old one's, by construction.

ECMA-376 Part 1, 17.13.5 (revisions).  Everything here works on the XML of
``word/document.xml``; links and pictures in deleted text keep working by
copying their relationships (and media) from the old package.
"""

from __future__ import annotations

import copy
import difflib
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from lxml import etree  # type: ignore[import-untyped]  # python-docx's XML library

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
DOCUMENT = "word/document.xml"
DOCUMENT_RELS = "word/_rels/document.xml.rels"
_WORDS = re.compile(r"\s+|[^\s]+")


def w(tag: str) -> str:
    """The qualified name of a WordprocessingML element: ``w("p")``."""
    return f"{{{W}}}{tag}"


def track_changes(old: bytes, new: bytes, author: str, date: str) -> bytes:
    """The ``new`` .docx with its differences from ``old`` as tracked changes by ``author``."""
    with zipfile.ZipFile(io.BytesIO(old)) as old_zip, zipfile.ZipFile(io.BytesIO(new)) as new_zip:
        old_body = etree.fromstring(old_zip.read(DOCUMENT)).find(w("body"))
        new_root = etree.fromstring(new_zip.read(DOCUMENT))
        new_body = new_root.find(w("body"))
        relations = _Relations(old_zip, new_zip)
        reviser = _Reviser(author, date, relations)
        section = new_body.find(w("sectPr"))
        old_blocks = [child for child in old_body if child.tag != w("sectPr")]
        new_blocks = [child for child in new_body if child.tag != w("sectPr")]
        for child in new_blocks:
            new_body.remove(child)
        revised = reviser.blocks(old_blocks, new_blocks)
        for child in revised:
            if section is not None:
                section.addprevious(child)
            else:
                new_body.append(child)
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as out:
            for item in new_zip.infolist():
                if item.filename == DOCUMENT:
                    data = _serialise(new_root)
                elif item.filename == DOCUMENT_RELS:
                    data = relations.rels_xml()
                else:
                    data = new_zip.read(item.filename)
                out.writestr(item, data)
            for name, data in relations.copied_media.items():
                out.writestr(name, data)
    return output.getvalue()


class _Relations:
    """The new package's relationships, with those of the old text it keeps added on demand."""

    def __init__(self, old_zip: zipfile.ZipFile, new_zip: zipfile.ZipFile) -> None:
        self.old_zip = old_zip
        self.old = self._read(old_zip)
        self.root = etree.fromstring(new_zip.read(DOCUMENT_RELS))
        self.new = {rel.get("Id"): rel for rel in self.root}
        self.new_names = set(new_zip.namelist())
        self.copied: dict[str, str] = {}
        self.copied_media: dict[str, bytes] = {}

    @staticmethod
    def _read(archive: zipfile.ZipFile) -> dict[str, Any]:
        root = etree.fromstring(archive.read(DOCUMENT_RELS))
        return {rel.get("Id"): rel for rel in root}

    def target(self, rid: str | None, old: bool) -> str | None:
        rels = self.old if old else self.new
        rel = rels.get(rid) if rid else None
        return rel.get("Target") if rel is not None else None

    def carry(self, rid: str) -> str:
        """The id in the new package of the old package's relationship ``rid``."""
        if rid in self.copied:
            return self.copied[rid]
        rel = copy.deepcopy(self.old[rid])
        new_id = f"rIdOld{len(self.copied) + 1}"
        rel.set("Id", new_id)
        if rel.get("TargetMode") != "External":
            target = rel.get("Target")
            name = f"word/{target}"
            if name not in self.new_names and name not in self.copied_media:
                self.copied_media[name] = self.old_zip.read(name)
        self.root.append(rel)
        self.copied[rid] = new_id
        return new_id

    def rels_xml(self) -> bytes:
        return _serialise(self.root)


@dataclass(frozen=True)
class _Token:
    """A word, a space, or an atom of a paragraph, with its run properties and link."""

    kind: str  # "text" or "atom"
    value: str  # the text, or the atom's XML
    run_properties: str  # serialised w:rPr
    link: tuple[str, str] | None  # ("url", address) or ("anchor", name)
    element: Any  # for atoms: the element; for text: the run it came from
    key_extra: str = ""

    @property
    def key(self) -> tuple[str, str, str, tuple[str, str] | None]:
        return (self.kind, self.key_extra or self.value, self.run_properties, self.link)


class _Reviser:
    def __init__(self, author: str, date: str, relations: _Relations) -> None:
        self.author = author
        self.date = date
        self.relations = relations
        self.next_id = 1

    # ------------------------------------------------------------ blocks

    def blocks(self, old: Sequence[Any], new: Sequence[Any]) -> list[Any]:
        matcher = difflib.SequenceMatcher(
            None, [_block_key(b) for b in old], [_block_key(b) for b in new], autojunk=False
        )
        result: list[Any] = []
        for operation, i1, i2, j1, j2 in matcher.get_opcodes():
            if operation == "equal":
                result += new[j1:j2]
                continue
            olds, news = list(old[i1:i2]), list(new[j1:j2])
            while olds and news and _pairable(olds[0], news[0]):
                result.append(self.pair(olds.pop(0), news.pop(0)))
            result += [self.whole(block, "del", from_old=True) for block in olds]
            result += [self.whole(block, "ins", from_old=False) for block in news]
        return result

    def pair(self, old: Any, new: Any) -> Any:
        if new.tag == w("p"):
            return self.paragraph(old, new)
        # Tables of one shape: row by row, cell by cell.
        old_rows, new_rows = old.findall(w("tr")), new.findall(w("tr"))
        matcher = difflib.SequenceMatcher(
            None, [_text(r) for r in old_rows], [_text(r) for r in new_rows], autojunk=False
        )
        rows: list[Any] = []
        for operation, i1, i2, j1, j2 in matcher.get_opcodes():
            if operation == "equal":
                rows += new_rows[j1:j2]
                continue
            olds, news = list(old_rows[i1:i2]), list(new_rows[j1:j2])
            while olds and news and _cells(olds[0]) == _cells(news[0]):
                rows.append(self.row(olds.pop(0), news.pop(0)))
            rows += [self.whole_row(row, "del") for row in olds]
            rows += [self.whole_row(row, "ins") for row in news]
        for row in new_rows:
            new.remove(row)
        for row in rows:
            new.append(row)
        return new

    def row(self, old: Any, new: Any) -> Any:
        for old_cell, new_cell in zip(old.findall(w("tc")), new.findall(w("tc")), strict=True):
            old_content = [c for c in old_cell if c.tag != w("tcPr")]
            new_content = [c for c in new_cell if c.tag != w("tcPr")]
            for child in new_content:
                new_cell.remove(child)
            for child in self.blocks(old_content, new_content):
                new_cell.append(child)
        return new

    def whole_row(self, row: Any, kind: str) -> Any:
        row = copy.deepcopy(row)
        properties = row.find(w("trPr"))
        if properties is None:
            properties = etree.SubElement(row, w("trPr"))
            row.remove(properties)
            row.insert(0, properties)
        properties.append(self.mark(kind))
        for cell in row.findall(w("tc")):
            for child in list(cell):
                if child.tag == w("p"):
                    cell.replace(child, self.whole(child, kind, from_old=kind == "del"))
        return row

    def whole(self, block: Any, kind: str, from_old: bool) -> Any:
        """A paragraph or table added or dropped whole."""
        if block.tag == w("tbl"):
            table = copy.deepcopy(block)
            for row in table.findall(w("tr")):
                table.replace(row, self.whole_row(row, kind))
            return table
        if block.tag != w("p"):
            return copy.deepcopy(block)
        tokens = self.tokens(block, old=from_old)
        paragraph = self.rebuild(block, [(kind, token) for token in tokens], old_side=from_old)
        if from_old:
            # The new version's section breaks are the document's; an old one kept in
            # deleted text would split a section in two.
            for section in paragraph.findall(f"{w('pPr')}/{w('sectPr')}"):
                section.getparent().remove(section)
        _paragraph_mark_properties(paragraph).append(self.mark(kind))
        return paragraph

    # ------------------------------------------------------------ paragraphs

    def paragraph(self, old: Any, new: Any) -> Any:
        old_tokens, new_tokens = self.tokens(old, old=True), self.tokens(new, old=False)
        matcher = difflib.SequenceMatcher(
            None, [t.key for t in old_tokens], [t.key for t in new_tokens], autojunk=False
        )
        marked: list[tuple[str | None, _Token]] = []
        for operation, i1, i2, j1, j2 in matcher.get_opcodes():
            if operation == "equal":
                marked += [(None, token) for token in new_tokens[j1:j2]]
            if operation in ("delete", "replace"):
                marked += [("del", token) for token in old_tokens[i1:i2]]
            if operation in ("insert", "replace"):
                marked += [("ins", token) for token in new_tokens[j1:j2]]
        return self.rebuild(new, marked, old_side=False)

    def tokens(self, paragraph: Any, old: bool) -> list[_Token]:
        tokens: list[_Token] = []
        for child in paragraph:
            if child.tag == w("pPr"):
                continue
            if child.tag == w("hyperlink"):
                rid = child.get(f"{{{R}}}id")
                address = self.relations.target(rid, old)
                link = ("url", address or "") if rid else ("anchor", child.get(w("anchor")) or "")
                tokens += self._run_tokens(child, link, old)
            elif child.tag == w("r"):
                tokens += self._run_tokens([child], None, old)
            elif child.tag in (w("bookmarkStart"), w("bookmarkEnd")):
                if not old:  # the old version's bookmarks would clash with the new ones
                    tokens.append(_Token("mark", "", "", None, child, key_extra=_xml(child)))
            else:
                tokens.append(_Token("atom", _xml(child), "", None, child))
        return tokens

    def _run_tokens(
        self, runs: Iterable[Any], link: tuple[str, str] | None, old: bool
    ) -> list[_Token]:
        tokens: list[_Token] = []
        for run in runs:
            if run.tag != w("r"):
                continue
            properties = run.find(w("rPr"))
            rpr = _xml(properties) if properties is not None else ""
            for part in run:
                if part.tag == w("rPr"):
                    continue
                if part.tag == w("t"):
                    tokens += [
                        _Token("text", word, rpr, link, properties)
                        for word in _WORDS.findall(part.text or "")
                    ]
                else:
                    extra = _atom_key(part)
                    tokens.append(_Token("atom", _xml(part), rpr, link, (properties, part), extra))
        return tokens

    def rebuild(
        self, template: Any, marked: Sequence[tuple[str | None, _Token]], old_side: bool
    ) -> Any:
        """A paragraph with ``template``'s properties and the marked tokens as runs."""
        paragraph = etree.Element(w("p"))
        properties = template.find(w("pPr"))
        if properties is not None:
            paragraph.append(copy.deepcopy(properties))
        for link, group in _groups(marked, lambda item: item[1].link):
            container = paragraph
            if link is not None:
                container = etree.SubElement(paragraph, w("hyperlink"))
                if link[0] == "anchor":
                    container.set(w("anchor"), link[1])
                else:
                    container.set(f"{{{R}}}id", self._link_id(link[1]))
            for kind, items in _groups(group, lambda item: item[0]):
                holder = container
                if kind is not None:
                    holder = self.mark(kind)
                    container.append(holder)
                for item_kind, token in items:
                    if token.kind == "mark":
                        container.append(copy.deepcopy(token.element))
                        continue
                    holder.append(
                        self._run(
                            token, deleted=item_kind == "del", old=old_side or item_kind == "del"
                        )
                    )
        return _joined_runs(paragraph)

    def _run(self, token: _Token, deleted: bool, old: bool) -> Any:
        if token.kind == "atom" and not isinstance(token.element, tuple):
            return copy.deepcopy(token.element)
        run = etree.Element(w("r"))
        properties = token.element[0] if isinstance(token.element, tuple) else token.element
        if properties is not None:
            run.append(copy.deepcopy(properties))
        if token.kind == "text":
            text = etree.SubElement(run, w("delText") if deleted else w("t"))
            text.text = token.value
            text.set(XML_SPACE, "preserve")
        else:
            part = copy.deepcopy(token.element[1])
            if deleted and part.tag == w("instrText"):
                part.tag = w("delInstrText")
            if old:
                for node in part.iter():
                    for attribute in (f"{{{R}}}embed", f"{{{R}}}id", f"{{{R}}}link"):
                        if node.get(attribute):
                            node.set(attribute, self.relations.carry(node.get(attribute)))
            run.append(part)
        return run

    def _link_id(self, address: str) -> str:
        for rid, rel in self.relations.new.items():
            if rel.get("Target") == address:
                return str(rid)
        for rid, rel in self.relations.old.items():
            if rel.get("Target") == address:
                return self.relations.carry(str(rid))
        return ""

    def mark(self, kind: str) -> Any:
        element = etree.Element(w(kind))
        element.set(w("id"), str(self.next_id))
        element.set(w("author"), self.author)
        element.set(w("date"), self.date)
        self.next_id += 1
        return element


def _groups(items: Sequence[Any], key: Any) -> list[tuple[Any, list[Any]]]:
    groups: list[tuple[Any, list[Any]]] = []
    for item in items:
        value = key(item)
        if groups and groups[-1][0] == value:
            groups[-1][1].append(item)
        else:
            groups.append((value, [item]))
    return groups


def _joined_runs(paragraph: Any) -> Any:
    """Neighbouring text runs with the same properties become one, as Word writes them."""
    for parent in [paragraph, *paragraph.iter(w("ins"), w("del"), w("hyperlink"))]:
        previous = None
        for child in list(parent):
            text = _only_text(child)
            if previous is not None and text is not None and _only_text(previous) is not None:
                same_kind = previous[-1].tag == child[-1].tag
                same_style = _xml(previous.find(w("rPr"))) == _xml(child.find(w("rPr")))
                if same_kind and same_style:
                    previous[-1].text = (previous[-1].text or "") + (text.text or "")
                    parent.remove(child)
                    continue
            previous = child if child.tag == w("r") else None
    return paragraph


def _only_text(run: Any) -> Any:
    if run is None or run.tag != w("r"):
        return None
    parts = [part for part in run if part.tag != w("rPr")]
    if len(parts) == 1 and parts[0].tag in (w("t"), w("delText")):
        return parts[0]
    return None


def _paragraph_mark_properties(paragraph: Any) -> Any:
    properties = paragraph.find(w("pPr"))
    if properties is None:
        properties = etree.Element(w("pPr"))
        paragraph.insert(0, properties)
    marks = properties.find(w("rPr"))
    if marks is None:
        marks = etree.SubElement(properties, w("rPr"))
        # w:rPr comes after every other paragraph property but w:sectPr and w:pPrChange.
        for successor in (w("sectPr"), w("pPrChange")):
            found = properties.find(successor)
            if found is not None:
                found.addprevious(marks)
                break
    return marks


def _block_key(block: Any) -> tuple[str, str, str]:
    style = block.find(f"{w('pPr')}/{w('pStyle')}")
    return (block.tag, style.get(w("val")) if style is not None else "", _text(block))


def _pairable(old: Any, new: Any) -> bool:
    if old.tag != new.tag:
        return False
    if new.tag == w("p"):
        return _block_key(old)[1] == _block_key(new)[1]
    if new.tag == w("tbl"):
        return len(old.findall(w("tr"))) > 0 and _cells(old.find(w("tr"))) == _cells(
            new.find(w("tr"))
        )
    return False


def _cells(row: Any) -> int:
    return len(row.findall(w("tc"))) if row is not None else 0


def _text(element: Any) -> str:
    return "".join(node.text or "" for node in element.iter(w("t")))


def _atom_key(part: Any) -> str:
    # Pictures compare by what they show and say, not by their relationship ids.
    if part.tag == w("drawing"):
        described = [node.get("descr") or "" for node in part.iter() if node.get("descr")]
        return "drawing:" + "|".join(described)
    return ""


def _serialise(root: Any) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


def _xml(element: Any) -> str:
    """An element's XML as a comparable key: exclusive canonical form, so the
    namespaces declared around it (which differ once it leaves its tree) do not count."""
    if element is None:
        return ""
    canonical: bytes = etree.tostring(element, method="c14n", exclusive=True)
    return canonical.decode("utf-8")
