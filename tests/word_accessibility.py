"""Word's Accessibility Checker, as far as reading the file can take it.

No open-source tool checks a Word file's accessibility, so this implements the
rules of Microsoft's "Rules for the Accessibility Checker" that can apply to
the files briefpack writes, each finding named after the issue Word's checker
shows: errors (missing alternative text, missing table header), warnings
(hard-to-read text contrast, unclear link text, merged or split cells, blank
table rows or columns, repeated blank characters, skipped heading level,
image or object not inline), and the document title and language that
Microsoft's guidance for accessible Word documents asks for (Word reads the
title from the core properties and the language from the styles' defaults).

What Word's checker decides from the layout on screen (reading order) or by
judgement (whether alt text is meaningful) is left out.  Contrast is WCAG
2.x's relative luminance, which Word's "Hard-to-read text contrast" follows:
4.5:1 for text, 3:1 for large text (18 pt, or 14 pt bold).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from copy import deepcopy
from pathlib import Path

from lxml import etree
from word_contrast import contrast_findings
from word_styles import NAMESPACES, OBJECT, Styles, is_on, qn, text_of

#: Rule names, as Word's Accessibility Checker calls the issues.
ALT_TEXT = "Missing alternative text"
TABLE_HEADER = "Missing table header"
SIMPLE_TABLE = "Merged or split cells"
BLANK_TABLE_CELLS = "Blank table rows or columns"
HEADING_ORDER = "Skipped heading level"
HEADING_STYLES = "Missing headings"
BLANK_CHARACTERS = "Repeated blank characters"
LINK_TEXT = "Unclear link text"
CONTRAST = "Hard-to-read text contrast"
NOT_INLINE = "Image or object not inline"
TITLE = "Missing document title"
LANGUAGE = "Missing document language"
#: Every rule, for callers that switch some off by name.
RULES = (
    ALT_TEXT, TABLE_HEADER, SIMPLE_TABLE, BLANK_TABLE_CELLS, HEADING_ORDER, HEADING_STYLES,
    BLANK_CHARACTERS, LINK_TEXT, CONTRAST, NOT_INLINE, TITLE, LANGUAGE,
)  # fmt: skip

#: Word 365's mark of a decorative picture (Alt Text > Mark as decorative).
DECORATIVE_EXTENSION = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
ADEC = "http://schemas.microsoft.com/office/drawing/2017/decorative"
CORE = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
}
#: The parts that hold text a reader meets: the body, headers, footers and notes.
STORY_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
#: Alt text that is a file's name, which Word's checker rejects.
FILE_NAME = re.compile(r"\.(png|jpe?g|gif|bmp|svg|tiff?|emf|wmf|webp)\s*$", re.IGNORECASE)
#: Link text that says nothing out of context (Word's "Unclear link text").
VAGUE_LINKS = frozenset(
    {"here", "click here", "link", "this link", "more", "read more", "click", "this", "page"}
)
BARE_URL = re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE)
#: VML elements that draw something (``v:shapetype`` only defines one).
VML_SHAPES = ("shape", "rect", "roundrect", "oval", "line", "polyline", "arc", "curve", "image")
VML = "urn:schemas-microsoft-com:vml"


#: Parts are read as data: no entity expanded, nothing fetched (a test's input may be hostile).
PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def _parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, PARSER)


def word_accessibility_findings(path: Path | str, language: str | None = None) -> list[str]:
    """What Word's Accessibility Checker would report in the Word file at ``path``.

    Each finding reads ``RULE: PART: what and where``; empty means it passed.
    ``language`` (``de``) is the language the document must be in; without it,
    the core properties' ``dc:language`` must agree with the styles'.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            parts = {
                name: _parse(archive.read(name))
                for name in sorted(names)
                if STORY_PARTS.fullmatch(name)
            }
            styles = Styles(_optional(archive, names, "word/styles.xml"))
            settings = _optional(archive, names, "word/settings.xml")
            core = _optional(archive, names, "docProps/core.xml")
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError) as error:
        return [f"Unreadable file: {error}"]
    findings: list[str] = []
    for name, root in parts.items():
        findings += [f"{ALT_TEXT}: {name}: {line}" for line in _alt_text(root)]
        findings += _tables(name, root, styles)
        findings += [f"{LINK_TEXT}: {name}: {line}" for line in _links(root)]
        findings += [f"{BLANK_CHARACTERS}: {name}: {line}" for line in _blank_characters(root)]
        findings += [f"{CONTRAST}: {name}: {line}" for line in contrast_findings(root, styles)]
    body = parts.get("word/document.xml")
    if body is not None:
        findings += _headings(body, styles)
        findings += [f"{NOT_INLINE}: word/document.xml: {line}" for line in _floating(body)]
    findings += _title(core)
    findings += _language(styles, settings, core, language)
    return list(dict.fromkeys(findings))


def _optional(archive: zipfile.ZipFile, names: set[str], name: str) -> etree._Element | None:
    return _parse(archive.read(name)) if name in names else None


def _shown(root: etree._Element, path: str) -> Iterator[etree._Element]:
    """Elements at ``path`` that Word shows: not a fallback for older readers (``mc:Fallback``)."""
    yield from root.xpath(f"({path})[not(ancestor::mc:Fallback)]", namespaces=NAMESPACES)


def _preview(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


# ---------------------------------------------------------------- alternative text


def _alt_text(root: etree._Element) -> Iterator[str]:
    """Every picture, shape or chart has alt text, or is marked decorative."""
    for properties in _shown(root, ".//wp:docPr"):
        name = properties.get("name") or f"id {properties.get('id')}"
        description = (properties.get("descr") or "").strip()
        if _is_decorative(properties):
            continue
        if not description:
            yield f"drawing {name!r} has no alt text (wp:docPr/@descr) and is not marked decorative"
        elif FILE_NAME.search(description):
            yield f"drawing {name!r} has a file name for alt text: {description!r}"
    for tag in VML_SHAPES:
        for shape in _shown(root, f".//v:{tag}"):
            if any(etree.QName(up).namespace == VML for up in shape.iterancestors()):
                continue  # part of a group, which carries the alt text
            alt = (shape.get("alt") or "").strip()
            if not alt:
                where = shape.get("id") or shape.get(qn("o:spid")) or tag
                yield f"VML shape {where!r} has no alt text (@alt)"


def _is_decorative(properties: etree._Element) -> bool:
    for extension in properties.iterfind("a:extLst/a:ext", NAMESPACES):
        if extension.get("uri") == DECORATIVE_EXTENSION:
            mark = extension.find(f"{{{ADEC}}}decorative")
            return mark is not None and mark.get("val") in {"1", "true"}
    return False


def _floating(body: etree._Element) -> Iterator[str]:
    """Pictures in the body sit in line with the text, where a screen reader meets them."""
    for anchor in _shown(body, ".//wp:anchor"):
        properties = anchor.find("wp:docPr", NAMESPACES)
        name = properties.get("name") if properties is not None else "?"
        yield f"drawing {name!r} floats (wp:anchor) instead of sitting in line with the text"


# ---------------------------------------------------------------- tables


def _tables(part: str, root: etree._Element, styles: Styles) -> Iterator[str]:
    """Data tables have a header row and a simple structure; layout tables are Table Normal.

    Word's checker asks every table either for a header row (Table Properties >
    Row > Repeat as header row, ``w:tblHeader``) or to be in the default
    table style, Table Normal: that is how it tells a layout table.
    """
    for number, table in enumerate(_shown(root, ".//w:tbl"), start=1):
        rows = table.findall("w:tr", NAMESPACES)
        if not rows:
            continue
        cells = [row.findall("w:tc", NAMESPACES) for row in rows]
        name = f"table {number} ({_preview(' | '.join(text_of(c) for c in cells[0]))})"
        style = styles.table_style(table)
        layout = styles.is_default_table_style(style)
        if not layout and not _is_header(rows[0]):
            yield (
                f"{TABLE_HEADER}: {part}: {name}, style {style!r}, does not mark its first "
                "row as a header row (w:tblHeader); a layout table must be in Table Normal"
            )
        yield from (f"{SIMPLE_TABLE}: {part}: {name} {line}" for line in _structure(table, cells))
        if not layout:
            headers = sum(1 for _ in _leading_headers(rows))
            blanks = _blank_lines(cells[headers:])
            yield from (f"{BLANK_TABLE_CELLS}: {part}: {name} {line}" for line in blanks)


def _is_header(row: etree._Element) -> bool:
    mark = row.find("w:trPr/w:tblHeader", NAMESPACES)
    return mark is not None and is_on(mark)


def _leading_headers(rows: list[etree._Element]) -> Iterator[etree._Element]:
    for row in rows:
        if not _is_header(row):
            return
        yield row


def _structure(table: etree._Element, cells: list[list[etree._Element]]) -> Iterator[str]:
    columns = len(table.findall("w:tblGrid/w:gridCol", NAMESPACES))
    for index, row in enumerate(cells, start=1):
        spans = 0
        for cell in row:
            span = cell.find("w:tcPr/w:gridSpan", NAMESPACES)
            width = int(span.get(qn("w:val"), "1")) if span is not None else 1
            if width > 1:
                yield f"row {index}: a cell spans {width} columns (w:gridSpan)"
            if cell.find("w:tcPr/w:vMerge", NAMESPACES) is not None:
                yield f"row {index}: a cell is merged with the row above or below (w:vMerge)"
            if cell.find(".//w:tbl", NAMESPACES) is not None:
                yield f"row {index}: a cell holds a nested table"
            spans += width
        if columns and spans != columns:
            yield f"row {index}: {spans} of the table's {columns} columns (split cells)"


def _blank(cell: etree._Element) -> bool:
    drawn = cell.find(".//w:drawing", NAMESPACES) is not None
    shown = text_of(cell, deleted=True).strip()
    return not drawn and cell.find(".//w:pict", NAMESPACES) is None and not shown


def _blank_lines(rows: list[list[etree._Element]]) -> Iterator[str]:
    """Rows, and columns, whose every cell is blank: space made with cells."""
    for index, row in enumerate(rows, start=1):
        if row and all(_blank(cell) for cell in row):
            yield f"has a blank row ({index} after the header)"
    if len(rows) < 2:
        return
    width = min(len(row) for row in rows)
    for column in range(width):
        if all(_blank(row[column]) for row in rows):
            yield f"has a blank column ({column + 1})"


# ---------------------------------------------------------------- text


def _links(root: etree._Element) -> Iterator[str]:
    """Link text makes sense on its own: not empty, not 'here', not a bare address."""
    for link in _shown(root, ".//w:hyperlink"):
        text = text_of(link, deleted=True).strip()
        if not text and link.find(".//w:drawing", NAMESPACES) is None:
            yield "a link has no text"
        elif text.lower().rstrip(".!") in VAGUE_LINKS:
            yield f"link text {text!r} says nothing out of context"
        elif BARE_URL.match(text):
            yield f"link text is a bare address {_preview(text, 60)}"


#: Two spaces or two tabs in a row: Word's "repeated blank characters".
REPEATED_BLANKS = re.compile(r" {2,}|\t{2,}")


def _blank_characters(root: etree._Element) -> Iterator[str]:
    """No spaces, tabs or empty paragraphs repeated to make room.

    What a reader typed into a field (a content control's content) is theirs,
    not the writer's, and is left out.
    """
    for paragraph in _shown(root, ".//w:p[not(ancestor::w:sdtContent)]"):
        text = text_of(_without_fields(paragraph), tabs=True, deleted=True)
        if REPEATED_BLANKS.search(text):
            yield f"repeated spaces or tabs in {_preview(text)}"
    containers = "descendant-or-self::w:body|descendant-or-self::w:hdr|descendant-or-self::w:ftr"
    for container in _shown(root, f"{containers}|.//w:tc|.//w:txbxContent"):
        empty = 0
        for child in container:
            if child.tag == qn("w:p") and _empty_paragraph(child):
                empty += 1
                if empty == 2:
                    yield "two or more empty paragraphs in a row (use spacing before or after)"
            else:
                empty = 0


def _without_fields(paragraph: etree._Element) -> etree._Element:
    """A copy of ``paragraph`` with each content control (``w:sdt``) as one object."""
    if paragraph.find(".//w:sdt", NAMESPACES) is None:
        return paragraph
    copy = deepcopy(paragraph)
    for control in copy.findall(".//w:sdt", NAMESPACES):
        stand_in = etree.SubElement(etree.Element(qn("w:r")), qn("w:t"))
        stand_in.text = OBJECT
        control.getparent().replace(control, stand_in.getparent())
    return copy


def _empty_paragraph(paragraph: etree._Element) -> bool:
    """A paragraph that shows nothing and does nothing: no text, picture, break or field."""
    if text_of(paragraph, tabs=True, deleted=True).strip():
        return False
    doing = ("w:drawing", "w:pict", "w:br", "w:fldChar", "w:fldSimple", "w:sdt", "w:object")
    if any(paragraph.find(f".//{tag}", NAMESPACES) is not None for tag in doing):
        return False
    return paragraph.find("w:pPr/w:sectPr", NAMESPACES) is None


def _headings(body: etree._Element, styles: Styles) -> Iterator[str]:
    """Headings come in order: never a level more than one below the one before."""
    previous = -1
    found = False
    for paragraph in _shown(body, ".//w:body//w:p"):
        level = styles.outline_level(paragraph)
        if level is None or not text_of(paragraph, deleted=True).strip():
            continue
        found = True
        if level > previous + 1:
            before = f"level {previous + 1}" if previous >= 0 else "no heading"
            yield (
                f"{HEADING_ORDER}: word/document.xml: heading "
                f"{_preview(text_of(paragraph, deleted=True))} is level {level + 1} after {before}"
            )
        previous = level
    if not found and text_of(body).strip():
        yield f"{HEADING_STYLES}: word/document.xml: no paragraph has a heading's outline level"


# ---------------------------------------------------------------- the document


def _title(core: etree._Element | None) -> Iterable[str]:
    title = core.findtext("dc:title", namespaces=CORE) if core is not None else None
    if not (title or "").strip():
        return [f"{TITLE}: docProps/core.xml: no title (File > Info > Title; dc:title)"]
    return []


def _primary(tag: str | None) -> str:
    return (tag or "").split("-")[0].lower()


def _language(
    styles: Styles,
    settings: etree._Element | None,
    core: etree._Element | None,
    expected: str | None,
) -> Iterator[str]:
    """The text's language is set once for the document, and is the pack's."""
    default = styles.default_language()
    if not default:
        yield f"{LANGUAGE}: word/styles.xml: no language in the default run properties"
    theme = settings.find("w:themeFontLang", NAMESPACES) if settings is not None else None
    theme_language = theme.get(qn("w:val")) if theme is not None else None
    if not theme_language:
        yield f"{LANGUAGE}: word/settings.xml: no w:themeFontLang"
    claimed = core.findtext("dc:language", namespaces=CORE) if core is not None else None
    wanted = expected or claimed
    if not wanted:
        return
    for part, tag in (("word/styles.xml", default), ("word/settings.xml", theme_language)):
        if tag and _primary(tag) != _primary(wanted):
            yield f"{LANGUAGE}: {part}: the language is {tag}, the document's {wanted}"
    normal = styles.paragraph_language()
    if normal and _primary(normal) != _primary(wanted):
        yield f"{LANGUAGE}: word/styles.xml: the default paragraph style is in {normal}"
