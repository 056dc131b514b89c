"""The Word copy's styles by name and by id, read from the styles part once per document.

python-docx finds a style (``styles[name]``, ``name in styles``,
``styles.add_style``) by an XPath scan of every ``w:style``: with a template's
160 styles and briefpack's 50 added one by one, styling a copy cost more than
writing a small pack's text.  :func:`style_index` reads the styles part once
and keeps its styles by name and id as briefpack adds them, with python-docx's
own answers: the first style of a name in document order, a heading's UI name
(``Heading 1``) for its stored one (``heading 1``), and, as python-docx's
deprecated fallback, a style by id where no style has the name.

Every style briefpack adds goes through :meth:`StyleIndex.add`; a style added
behind the index's back is found when asked for by name, by reading the part again.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.parts.document import DocumentPart
from docx.styles import BabelFish
from docx.styles.style import BaseStyle, ParagraphStyle, StyleFactory

_STYLE = qn("w:style")
_NAME = qn("w:name")
_VALUE = qn("w:val")
_STYLE_ID = qn("w:styleId")

#: Each document's index, by its main part (python-docx's ``Document`` is unhashable).
_INDEXES: WeakKeyDictionary[DocumentPart, StyleIndex] = WeakKeyDictionary()


def style_index(document: Document) -> StyleIndex:
    """``document``'s style index, made on first use and kept while the document lives."""
    index = _INDEXES.get(document.part)
    if index is None:
        index = _INDEXES[document.part] = StyleIndex(document.styles.element)
    return index


class StyleIndex:
    """The ``w:style`` elements of a styles part, by stored name and by id."""

    def __init__(self, styles: Any) -> None:
        self._styles = styles
        self._by_name: dict[str, Any] = {}
        self._by_id: dict[str, Any] = {}
        self._read()

    def _read(self) -> None:
        """Index every ``w:style``; the first of a name or id wins, as python-docx's XPath."""
        self._by_name.clear()
        self._by_id.clear()
        for style in self._styles.iterchildren(_STYLE):
            self._remember(style)

    def _remember(self, style: Any) -> None:
        name = style.find(_NAME)
        if name is not None and name.get(_VALUE) is not None:
            self._by_name.setdefault(name.get(_VALUE), style)
        style_id = style.get(_STYLE_ID)
        if style_id is not None:
            self._by_id.setdefault(style_id, style)

    def ui_names(self) -> set[str]:
        """Every style's name as python-docx's ``style.name`` gives it (``Heading 1``)."""
        return {BabelFish.internal2ui(name) for name in self._by_name}

    def __contains__(self, name: str) -> bool:
        """Whether a style has the name ``name`` (a UI name), as python-docx's ``in``."""
        return self._element(name) is not None

    def __getitem__(self, name: str) -> BaseStyle:
        """The style named ``name`` (a UI name), else the style whose id it is, as
        python-docx's ``styles[name]`` (less its deprecation warning)."""
        element = self._element(name)
        if element is None:
            element = self._by_id.get(name)
        if element is None:
            self._read()
            element = self._element(name) or self._by_id.get(name)
        if element is None:
            raise KeyError(f"no style with name '{name}'")
        return StyleFactory(element)

    def paragraph_style(self, name: str) -> ParagraphStyle:
        """The paragraph style named ``name`` (its paragraph format, its font)."""
        style = self[name]
        assert isinstance(style, ParagraphStyle), f"{name} is not a paragraph style"
        return style

    def style_id(self, name: str) -> str:
        """The id of the style named ``name``."""
        return str(self[name].style_id)

    def add(self, name: str, kind: WD_STYLE_TYPE) -> BaseStyle:
        """A new custom style ``name`` of ``kind``, at the part's end: python-docx's
        ``add_style``, which refuses a name that is taken."""
        internal = BabelFish.ui2internal(name)
        if internal in self._by_name:
            raise ValueError(f"document already contains style '{name}'")
        element = self._styles.add_style_of_type(internal, kind, False)
        self._remember(element)
        return StyleFactory(element)

    def _element(self, name: str) -> Any:
        return self._by_name.get(BabelFish.ui2internal(name))
