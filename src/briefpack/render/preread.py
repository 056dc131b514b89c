"""A pre-read page rebuilt from what it draws, so that nothing but drawing reaches the book.

A page's drawing is its content stream and the resources that stream names.
Copying the page's ``/Resources`` whole would copy whatever hangs from them:
a font or picture dictionary can point at a JavaScript or launch action, an
embedded file, or a second catalogue with an open action, and a PDF writer
copies what is pointed at.  So each page is cleaned before it is drawn into
the book (:func:`briefpack.render.book.pre_reads.finish_book`):

* **Only what is drawn.**  The page's resources, and those of every form,
  Type 3 font and tiling pattern under it, keep only the names their content
  streams mention (a generous reading: every ``/Name`` token, so that a name
  is never lost; one more kept resource is harmless, since it is cleaned too).
* **An allow-list per kind of object.**  A font keeps the keys a font has, a
  picture the keys a picture has, and so on (:data:`KINDS`); any other key,
  known or not, goes, and a value of the wrong shape (a dictionary where a
  number belongs, an object of another ``/Type``) goes with its key.  No kind
  has a key for an action, JavaScript, a file, an annotation, metadata or a
  catalogue, so none of them can be reached from what is kept.
* **Content streams as they are**, unless one names something that reads
  as active content (a font called ``/JavaScript``, an inline dictionary
  with ``/JS``): that one is written again without it
  (:mod:`briefpack.render.preread_content`).
* **Bounded.**  The walk is breadth first, with a visited set (a loop is
  walked once) and a depth limit (:data:`MAX_DEPTH`): a deeper structure is
  refused (:class:`TooDeepError`), never followed down.
* **Names of kinds, not just keys.**  An object whose ``/Subtype`` its kind
  does not have (a font of ``/Subtype /RichMedia``) is dropped, and a name
  that reads as active content or media (:data:`SUSPICIOUS`) is renamed
  wherever it stands: a resource, a glyph, a colorant, a ``/BaseFont``.
* **Decoded only as the counter charged.**  Only content streams are decoded
  here (a page's, a form's, a tiling pattern's, a Type 3 glyph's), never a
  picture; one that cannot be decoded refuses its page, so that the book's
  save, which decodes the page's content again, never fails on it.
* **The bytes that were checked.**  The PDF is opened from bytes read once,
  and only if their SHA-256 is the one taken when the pack was read
  (:func:`read_as_checked`); never from its path, which may name another
  file by now.

The source PDF is changed in place (it is opened for this book and never
written), so that pikepdf's copy into the book still copies each shared
object once and streams as they are: a clean pre-read comes out as before.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf

from briefpack.render.preread_content import (
    SUSPICIOUS,
    DrawingRefusedError,
    drawing_bytes,
    names_in,
    needs_rewriting,
    rewritten,
    safe_name,
)
from briefpack.render.preread_kinds import (
    COLOUR_SPACE_MEMBERS,
    KINDS,
    MAP,
    PLAIN,
    RESOURCE_ROLES,
)

#: The deepest a kept object may sit below its page's resources, in nested
#: dictionaries and arrays.  A form inside a form costs three levels (about a
#: hundred forms deep, then); a font program is seven below the page.  Real
#: files stay far below; the limit keeps a crafted chain of forms out.
MAX_DEPTH = 300


class TooDeepError(DrawingRefusedError):
    """A pre-read whose drawing nests deeper than :data:`MAX_DEPTH`."""


@dataclass
class _Item:
    """An object waiting to be checked, and where it is held (to drop it from there)."""

    value: Any
    role: str
    depth: int
    holder: Any
    key: str | int


@dataclass
class DrawingCleaner:
    """Cleans the pages of one source PDF; shared objects are cleaned once for all its pages."""

    pdf: pikepdf.Pdf
    #: Each indirect object's verdict for a role: kept (and cleaned) or refused.
    _verdicts: dict[tuple[tuple[int, int], str], bool] = field(default_factory=dict)
    #: Trimmed copies of shared resource dictionaries, by the original and the names kept.
    _trimmed: dict[tuple[tuple[int, int], frozenset[str] | None], Any] = field(default_factory=dict)
    _cleaned_pages: set[int] = field(default_factory=set)
    #: The catalogue, the page tree and the pages: refused wherever they are pointed at.
    _structure: set[tuple[int, int]] = field(default_factory=set)

    def __post_init__(self) -> None:
        pending: list[Any] = [self.pdf.Root, self.pdf.trailer.get("/Info")]
        pending += [page.obj for page in self.pdf.pages]
        while pending:
            thing = pending.pop()
            indirect = isinstance(thing, pikepdf.Dictionary) and thing.is_indirect
            if indirect and thing.objgen not in self._structure:
                self._structure.add(thing.objgen)
                pending.append(thing.get("/Parent"))

    def page(self, index: int) -> pikepdf.Page:
        """Page ``index`` with its resources trimmed to what it draws, every one cleaned.

        Raises :class:`TooDeepError` when the drawing nests beyond :data:`MAX_DEPTH`, and
        :class:`DrawingRefusedError` when the page's content cannot be decoded or a
        content stream to rewrite cannot be parsed.
        """
        page = self.pdf.pages[index]
        if index in self._cleaned_pages:
            return page
        queue: deque[_Item] = deque()
        content = _page_content(page.obj)
        if needs_rewriting(content):
            page.obj.Contents = self.pdf.make_stream(rewritten(content))
        resources = self._inherited(page.obj, "/Resources")
        if isinstance(resources, pikepdf.Dictionary) and not isinstance(resources, pikepdf.Stream):
            page.obj.Resources = self._trim(resources, content, 1, queue)
        elif "/Resources" in page.obj:
            del page.obj["/Resources"]
        if "/Group" in page.obj:
            queue.append(_Item(page.obj.Group, "group", 1, page.obj, "/Group"))
        while queue:
            item = queue.popleft()
            if not self._keep(item, queue):
                _drop(item.holder, item.key)
        self._cleaned_pages.add(index)
        return page

    def _inherited(self, page: Any, key: str) -> Any:
        """``page``'s ``key``, from the page or the nearest page-tree node that has it."""
        seen = set()
        node = page
        while isinstance(node, pikepdf.Dictionary) and node.objgen not in seen:
            if key in node:
                return node[key]
            seen.add(node.objgen)
            node = node.get("/Parent")
        return None

    def _keep(self, item: _Item, queue: deque[_Item]) -> bool:
        """Whether ``item`` may stay; if so, it is cleaned and what it holds is queued."""
        value, role = item.value, item.role
        if not _is_container(value):
            return True  # a number, name, string, boolean or null
        verdict = self._verdicts.get((value.objgen, role)) if value.is_indirect else None
        if verdict is not None:
            return verdict  # seen before, nearer the page (breadth first): a loop ends here
        if item.depth > MAX_DEPTH:
            raise TooDeepError(f"its drawing nests more than {MAX_DEPTH} levels deep")
        if not value.is_indirect:
            return self._check(value, role, item.depth + 1, queue)
        # Decided before its members are looked at: a loop back to it finds it kept.
        verdict = value.objgen not in self._structure and _fits(value, role)
        self._verdicts[value.objgen, role] = verdict
        if verdict:
            self._check(value, role, item.depth + 1, queue)
        return verdict

    def _check(self, value: Any, role: str, below: int, queue: deque[_Item]) -> bool:
        """Clean ``value`` in ``role`` if it fits it, queueing its members at depth ``below``."""
        if not _fits(value, role):
            return False
        if isinstance(value, pikepdf.Array):
            if role == "colour_space":
                family = str(value[0]) if len(value) else ""
                roles = [PLAIN, *COLOUR_SPACE_MEMBERS.get(family, ())]
                roles += [PLAIN] * (len(value) - len(roles))
            else:
                # A font's [font size] in a graphics state, a function's list of
                # functions, a layer's visibility expression: each member in the role.
                roles = [role] * len(value)
            for index, member in enumerate(value):
                if _is_container(member):
                    queue.append(_Item(member, roles[index], below, value, index))
                elif _is_suspicious(member):
                    value[index] = pikepdf.Name(safe_name(str(member)))
            return True
        if role.startswith(MAP):
            inner = role.removeprefix(MAP)
            for key in sorted(value.keys()):
                name = safe_name(key)
                if name != key:  # a glyph or colorant named /JavaScript: renamed
                    value[name] = value[key]
                    del value[key]
                queue.append(_Item(value[name], inner, below, value, name))
            return True
        kind_name = _role_of(value, role)
        kind = KINDS[kind_name]
        if kind_name in ("form", "pattern", "font"):
            _rewrite_drawing(value)
        for key in sorted(value.keys()):
            if key not in kind.keys:
                del value[key]
            elif key == "/Resources":
                resources = value.Resources
                if isinstance(resources, pikepdf.Dictionary) and not isinstance(
                    resources, pikepdf.Stream
                ):
                    value.Resources = self._trim(resources, _content_of(value), below, queue)
                else:
                    del value["/Resources"]
            elif _is_container(member := value[key]):
                queue.append(_Item(member, kind.keys[key], below, value, key))
            elif _is_suspicious(member):
                value[key] = pikepdf.Name(safe_name(str(member)))
        return True

    def _trim(self, resources: Any, content: bytes | None, depth: int, queue: deque[_Item]) -> Any:
        """A resource dictionary of what ``content`` names (all of it, if ``None``); queued."""
        if depth > MAX_DEPTH:
            raise TooDeepError(f"its drawing nests more than {MAX_DEPTH} levels deep")
        names = None if content is None or _inherits(resources) else names_in(content)
        memo = None
        if resources.is_indirect:
            memo = (resources.objgen, None if names is None else frozenset(names))
            if memo in self._trimmed:
                return self._trimmed[memo]
        trimmed = pikepdf.Dictionary()
        for category, role in RESOURCE_ROLES.items():
            entries = resources.get(category)
            if not isinstance(entries, pikepdf.Dictionary) or isinstance(entries, pikepdf.Stream):
                continue
            kept = pikepdf.Dictionary(
                {
                    safe_name(key): entries[key]
                    for key in sorted(entries.keys())  # a set: sorted, the same for any hash seed
                    if names is None or key in names or safe_name(key) in names
                }
            )
            if len(kept):
                trimmed[category] = kept
                for key in sorted(kept.keys()):
                    queue.append(_Item(kept[key], role, depth + 2, kept, key))
        procedures = resources.get("/ProcSet")
        if isinstance(procedures, pikepdf.Array):
            trimmed.ProcSet = pikepdf.Array(
                item for item in procedures if isinstance(item, pikepdf.Name)
            )
        if memo is not None:
            trimmed = self._trimmed[memo] = self.pdf.make_indirect(trimmed)
        return trimmed


#: Object types that hold others; anything else (number, name, string...) is plain data.
_CONTAINERS = frozenset(
    {pikepdf.ObjectType.array, pikepdf.ObjectType.dictionary, pikepdf.ObjectType.stream}
)
_NAME = pikepdf.ObjectType.name_


def _is_container(value: Any) -> bool:
    """Whether ``value`` is an array, dictionary or stream.

    Read from its type code, as pikepdf's own ``isinstance`` does, but without
    that detour: a font's widths are thousands of numbers, each looked at.
    """
    return isinstance(value, pikepdf.Object) and value._type_code in _CONTAINERS


def _is_suspicious(value: Any) -> bool:
    """Whether ``value`` is a name that reads as active content (kept under another name)."""
    return (
        isinstance(value, pikepdf.Object)
        and value._type_code == _NAME
        and (str(value) in SUSPICIOUS)
    )


def _rewrite_drawing(value: Any) -> None:
    """Rewrite what a form, tiling pattern or Type 3 font draws if it names anything suspicious.

    Its resources are renamed to match (:func:`safe_name`) when they are trimmed.
    """
    drawn: list[Any] = [value]
    if not isinstance(value, pikepdf.Stream):
        glyphs = value.get("/CharProcs") if _holds_resources(value) else None
        drawn = list(glyphs.values()) if isinstance(glyphs, pikepdf.Dictionary) else []
    for stream in drawn:
        if not isinstance(stream, pikepdf.Stream):
            continue
        try:
            content = drawing_bytes(stream)
        except DrawingRefusedError:
            # Drawn as nothing by any reader, and named nothing; copied into the
            # book as it is, never decoded again (only a page's content is).
            continue
        if needs_rewriting(content):
            stream.write(rewritten(content))


def _role_of(value: Any, role: str) -> str:
    """The kind an object in ``role`` is: an XObject is a picture or a form, by its subtype."""
    if role == "xobject":
        return {"/Image": "image", "/Form": "form"}.get(str(value.get("/Subtype")), "")
    return role


def _fits(value: Any, role: str) -> bool:
    """Whether ``value`` has the shape ``role`` asks for: stream or not, its type and subtype."""
    is_stream = isinstance(value, pikepdf.Stream)
    if isinstance(value, pikepdf.Array):
        return True  # each member is checked in turn
    if role.startswith(MAP):
        return not is_stream
    kind = KINDS.get(_role_of(value, role))
    if kind is None or (kind.stream is not None and is_stream != kind.stream):
        return False
    kind_of = value.get("/Type")
    if kind_of is not None and str(kind_of) not in kind.types:
        return False
    subtype = value.get("/Subtype")
    if kind.subtypes is None or (subtype is None and kind.subtype_optional):
        return True
    return str(subtype) in kind.subtypes


def _holds_resources(value: Any) -> bool:
    """Whether ``value`` draws with resources: a form, a tiling pattern, a Type 3 font."""
    if isinstance(value, pikepdf.Stream):
        return value.get("/Subtype") != pikepdf.Name.Image
    return bool(value.get("/Subtype") == pikepdf.Name.Type3)


def _drop(holder: Any, key: str | int) -> None:
    """Take a refused value out of its dictionary, or leave a null in its array's place."""
    if isinstance(key, int):
        holder[key] = None
    elif key in holder:
        del holder[key]


def _inherits(resources: Any) -> bool:
    """Whether something these resources draw has none of its own, so uses these.

    Such a form, Type 3 font or pattern (allowed before PDF 1.2) names
    resources its holder's content does not: its holder keeps them all.
    """
    for category in ("/XObject", "/Font", "/Pattern"):
        entries = resources.get(category)
        if not isinstance(entries, pikepdf.Dictionary) or isinstance(entries, pikepdf.Stream):
            continue
        for key in entries.keys():  # noqa: SIM118 - typed for a pikepdf Dictionary
            entry = entries[key]
            if (
                isinstance(entry, pikepdf.Dictionary | pikepdf.Stream)
                and _holds_resources(entry)
                and "/Resources" not in entry
            ):
                return True
    return False


def _page_content(page: Any) -> bytes:
    """A page's content streams, joined.

    Raises :class:`DrawingRefusedError` if one cannot be decoded (a damaged
    stream, a predictor with impossible parameters): the book decodes the
    page's content again when it makes the page a form, and that must not be
    the first place the failure shows, as an internal error.
    """
    contents = page.get("/Contents")
    streams = contents if isinstance(contents, pikepdf.Array) else [contents]
    return b"\n".join(
        drawing_bytes(stream) for stream in streams if isinstance(stream, pikepdf.Stream)
    )


def _content_of(value: Any) -> bytes | None:
    """What a form or pattern draws, or all a Type 3 font's glyphs; ``None`` if unreadable."""
    try:
        if isinstance(value, pikepdf.Stream):
            return drawing_bytes(value)
        glyphs = value.get("/CharProcs")
        if not isinstance(glyphs, pikepdf.Dictionary):
            return b""
        streams = [glyphs[key] for key in sorted(glyphs.keys())]
        return b"\n".join(
            drawing_bytes(glyph) for glyph in streams if isinstance(glyph, pikepdf.Stream)
        )
    except DrawingRefusedError:
        return None


def read_as_checked(path: Path, digest: str) -> bytes | None:
    """The bytes of the file at ``path`` if it is still the one checked when the pack was read.

    ``None`` if it is not: its SHA-256 is not ``digest``, or it is no longer a
    regular file.  Opened without blocking and checked on the open file, so a
    FIFO swapped in after the check is refused at once rather than waited on,
    and the PDF is then opened from these bytes, never from the path again.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as file:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        data = file.read()
    return data if hashlib.sha256(data).hexdigest() == digest else None
