"""A tagged pre-read page's drawing written into the book page itself, its marks renumbered.

A tagged pre-read's structure elements point at its marked content by page
and marked-content id (MCID).  Drawn as a form XObject, that content would
belong to the form, not the page, and could only be reached through marked
content references with ``/Stm`` and a ``/StructParents`` on the form, which
the join of a book's parts does not renumber (:func:`briefpack.render.book.join.join_structure`
moves pages' keys only).  Written into the page's own content stream, it
needs nothing new: each MCID is renumbered past the page's own, and each
resource the drawing names is given a name of its own on the book page
(``BriefpackPreRead5F1`` for the pre-read's ``F1``).  Both checkers
(``page`` PDF/UA-1 and outloud) accept the result; see
:mod:`briefpack.render.preread_tags`.

The drawing is the page as :func:`briefpack.render.preread.DrawingCleaner`
left it, made a form by pikepdf (which handles ``/Rotate`` and the boxes);
only its content and resources are taken from that form, drawn between
``q`` and ``Q`` under the same placement, clipped to its box as the form
would be.  A drawing that restores more states than it saves, or ends more
marked content than it begins, is evened out so that it cannot reach into
the book's own drawing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pikepdf

#: The operators that name a resource, its category and which operand is the name.
_NAMED = {
    "Tf": ("/Font", 0),
    "Do": ("/XObject", 0),
    "gs": ("/ExtGState", 0),
    "cs": ("/ColorSpace", 0),
    "CS": ("/ColorSpace", 0),
    "sh": ("/Shading", 0),
    "scn": ("/Pattern", -1),
    "SCN": ("/Pattern", -1),
    "BDC": ("/Properties", 1),
    "DP": ("/Properties", 1),
}
#: The resource categories copied with the drawing.
CATEGORIES = (
    "/Font",
    "/XObject",
    "/ExtGState",
    "/ColorSpace",
    "/Shading",
    "/Pattern",
    "/Properties",
)
_CM = re.compile(rb"q\s+(\S+) (\S+) (\S+) (\S+) (\S+) (\S+) cm")

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass
class Inlined:
    """What writing one pre-read page into a book page did."""

    #: The pre-read's MCID to the book page's, for every MCID its content uses.
    mcids: dict[int, int] = field(default_factory=dict)
    #: From the pre-read page's space to the book page's.
    matrix: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def multiply(first: Matrix, then: Matrix) -> Matrix:
    """The matrix of ``first`` followed by ``then`` (PDF's row-vector convention)."""
    a, b, c, d, e, f = first
    g, h, i, j, k, m = then
    return (
        a * g + b * i,
        a * h + b * j,
        c * g + d * i,
        c * h + d * j,
        e * g + f * i + k,
        e * h + f * j + m,
    )


def transformed_box(box: Any, matrix: Matrix) -> list[float] | None:
    """The smallest upright rectangle holding ``box`` (four numbers) once ``matrix`` moves it."""
    try:
        x1, y1, x2, y2 = (float(value) for value in box)
    except (TypeError, ValueError):
        return None
    a, b, c, d, e, f = matrix
    xs, ys = [], []
    for x, y in ((x1, y1), (x1, y2), (x2, y1), (x2, y2)):
        xs.append(a * x + c * y + e)
        ys.append(b * x + d * y + f)
    return [round(min(xs), 3), round(min(ys), 3), round(max(xs), 3), round(max(ys), 3)]


def inline_page(
    book: pikepdf.Pdf,
    book_page: pikepdf.Page,
    source: pikepdf.Pdf,
    drawing: pikepdf.Page,
    area: pikepdf.Rectangle,
    prefix: str,
    first_mcid: int,
) -> Inlined:
    """Draw ``drawing`` under ``book_page``'s own marks, fitted to ``area``, as its own content.

    Its resources join the book page's under names starting with ``prefix``;
    its MCIDs are renumbered from ``first_mcid`` in the order they appear.
    """
    form = drawing.as_form_xobject()
    _, place, form_matrix = fitted(book_page, form, prefix, area)
    result = Inlined(matrix=multiply(form_matrix, place))
    renamed = _copy_resources(book, book_page, source, form.get("/Resources"), prefix)
    instructions = pikepdf.parse_content_stream(form)
    body = _rewritten(instructions, renamed, result.mcids, first_mcid)
    x1, y1, x2, y2 = (float(value) for value in form.BBox)
    head = "q\n{} {} {} {} {} {} cm\n{} {} {} {} {} {} cm\n{} {} {} {} re W n\n".format(
        *(_number(value) for value in place),
        *(_number(value) for value in form_matrix),
        *(_number(value) for value in (x1, y1, x2 - x1, y2 - y1)),
    )
    book_page.contents_add(head.encode("ascii") + body + b"\nQ\n", prepend=True)
    return result


def fitted(
    book_page: pikepdf.Page, form: Any, name: str, area: pikepdf.Rectangle
) -> tuple[bytes, Matrix, Matrix]:
    """How pikepdf draws ``form`` as ``name`` in ``area``: the bytes, its ``cm``, its own matrix."""
    placement = book_page.calc_form_xobject_placement(
        form, pikepdf.Name(f"/{name}"), area, allow_shrink=True, allow_expand=True
    )
    found = _CM.search(placement)
    place: Matrix = (
        tuple(float(value) for value in found.groups())  # type: ignore[assignment]
        if found
        else IDENTITY
    )
    own = form.get("/Matrix")
    form_matrix: Matrix = (
        tuple(float(value) for value in own)  # type: ignore[assignment]
        if isinstance(own, pikepdf.Array) and len(own) == 6
        else IDENTITY
    )
    return placement, place, form_matrix


def _number(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".") or "0"


def _copy_resources(
    book: pikepdf.Pdf, book_page: pikepdf.Page, source: pikepdf.Pdf, resources: Any, prefix: str
) -> dict[str, dict[str, str]]:
    """Copy ``resources`` into the book page's under new names; old name to new, by category."""
    renamed: dict[str, dict[str, str]] = {}
    if not isinstance(resources, pikepdf.Dictionary):
        return renamed
    if "/Resources" not in book_page.obj:
        book_page.obj.Resources = pikepdf.Dictionary()
    ours = book_page.obj.Resources
    for category in CATEGORIES:
        entries = resources.get(category)
        if not isinstance(entries, pikepdf.Dictionary) or isinstance(entries, pikepdf.Stream):
            continue
        if category not in ours:
            ours[category] = pikepdf.Dictionary()
        names = renamed[category] = {}
        # pikepdf's keys are a set: copied in order, the book's objects are
        # numbered the same whatever PYTHONHASHSEED is.
        for key in sorted(entries.keys()):
            value = entries[key]
            if not value.is_indirect:
                # qpdf copies indirect objects only (and what they hold).
                value = source.make_indirect(value)
            new = f"/{prefix}{key[1:]}"
            ours[category][new] = book.copy_foreign(value)
            names[key] = new
    return renamed


def _rewritten(
    instructions: list[Any], renamed: dict[str, dict[str, str]], mcids: dict[int, int], first: int
) -> bytes:
    """The drawing's content with resources renamed, MCIDs renumbered, q/Q and BDC/EMC evened."""
    out: list[Any] = []
    saved = marked = 0
    for instruction in instructions:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            out.append(_inline_image(instruction, renamed.get("/ColorSpace", {})))
            continue
        operator = str(instruction.operator)
        operands = list(instruction.operands)
        if operator == "q":
            saved += 1
        elif operator == "Q":
            if not saved:
                continue  # would restore the book's own state
            saved -= 1
        elif operator in ("BMC", "BDC"):
            marked += 1
        elif operator == "EMC":
            if not marked:
                continue
            marked -= 1
        named = _NAMED.get(operator)
        if named is not None and operands:
            category, index = named
            if -len(operands) <= index < len(operands):
                name = operands[index]
                if isinstance(name, pikepdf.Name) and str(name) in renamed.get(category, {}):
                    operands[index] = pikepdf.Name(renamed[category][str(name)])
        if operator == "BDC" and len(operands) == 2:
            operands[1] = _renumbered(operands[1], mcids, first)
        out.append(pikepdf.ContentStreamInstruction(operands, pikepdf.Operator(operator)))
    closing = [pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC"))] * marked
    closing += [pikepdf.ContentStreamInstruction([], pikepdf.Operator("Q"))] * saved
    return pikepdf.unparse_content_stream(unmarked_as_artifacts(out + closing))


#: What builds a path (and clips with it), and what paints or shows something.
_PATH = frozenset({"m", "l", "c", "v", "y", "h", "re", "W", "W*"})
_DRAWN = frozenset(
    {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n", "Tj", "TJ", "'", '"', "Do", "sh"}
)


def unmarked_as_artifacts(instructions: list[Any]) -> list[Any]:
    """The drawing with whatever it paints outside marked content wrapped as an artifact.

    A tagged pre-read may still paint outside its tags (LibreOffice draws the
    rule under a title so): PDF/UA-1 forbids it in the book, and what no
    element claims is decoration.  Each path with its painting, each text
    show, picture and shading at no marked-content depth is wrapped alone, so
    the wrapping never straddles a ``q``/``Q`` or a text object.
    """
    out: list[Any] = []
    run: list[Any] = []
    depth = 0
    for instruction in instructions:
        operator = (
            "INLINE IMAGE"
            if isinstance(instruction, pikepdf.ContentStreamInlineImage | tuple)
            else str(instruction.operator)
        )
        if operator in ("BMC", "BDC", "EMC"):
            out += run  # a path left unpainted across a mark: as it was
            run = []
            depth = depth + 1 if operator != "EMC" else max(0, depth - 1)
        elif depth == 0 and (
            run or operator in _PATH or operator in _DRAWN or operator == "INLINE IMAGE"
        ):
            run.append(instruction)
            if operator in _DRAWN or operator == "INLINE IMAGE":
                out += [_instruction([pikepdf.Name.Artifact], "BMC"), *run, _instruction([], "EMC")]
                run = []
            continue
        out.append(instruction)
    return out + run


def _instruction(operands: list[Any], operator: str) -> Any:
    return pikepdf.ContentStreamInstruction(operands, pikepdf.Operator(operator))


def _renumbered(properties: Any, mcids: dict[int, int], first: int) -> Any:
    """A property list with its MCID renumbered (a named one is left to its resource)."""
    if not isinstance(properties, pikepdf.Dictionary) or "/MCID" not in properties:
        return properties
    try:
        old = int(properties.MCID)
    except (TypeError, ValueError):
        return pikepdf.Dictionary({k: v for k, v in properties.items() if k != "/MCID"})
    new = mcids.setdefault(old, first + len(mcids))
    copied = pikepdf.Dictionary({k: v for k, v in properties.items() if k != "/MCID"})
    copied.MCID = new
    return copied


def _inline_image(instruction: Any, colour_spaces: dict[str, str]) -> Any:
    """An inline picture as it is, or with its named colour space renamed."""
    image = instruction.iimage
    space = image.obj.get("/ColorSpace")
    if not isinstance(space, pikepdf.Name) or str(space) not in colour_spaces:
        return instruction
    tokens: list[Any] = []
    for key, value in image.obj.items():
        tokens.append(pikepdf.Name(key))
        tokens.append(pikepdf.Name(colour_spaces[str(space)]) if key == "/ColorSpace" else value)
    # The raw data as read (still encoded), kept as pikepdf keeps it.
    copied = pikepdf.PdfInlineImage(image_data=image._data, image_object=tuple(tokens))
    return ([copied], pikepdf.Operator("INLINE IMAGE"))
