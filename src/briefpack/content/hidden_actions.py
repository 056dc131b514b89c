"""Active content anywhere in a PDF, not only where a reader looks for it first.

An action, a script or a file can hang from any object, a font or a picture
as well as the catalogue or an annotation: a pre-read's warning must name
what the file carries wherever it hides, since the book leaves all of it
out (:mod:`briefpack.render.preread` keeps only what is drawn).  Every object
of the file is looked at once, in a flat pass over qpdf's object table; only
the direct objects inside each are walked, with a depth limit, so neither a
loop nor a deep chain can hold the scan.
"""

from __future__ import annotations

from typing import Any

#: Deepest a direct object is looked into; qpdf itself refuses far less deep nesting.
MAX_DIRECT_DEPTH = 500

#: What an action of each type is called in a warning (ISO 32000-1, table 198).
ACTIONS = {
    "/JavaScript": "JavaScript",
    "/Launch": "launch actions",
    "/SubmitForm": "actions that send or load form data",
    "/ImportData": "actions that send or load form data",
    "/GoToR": "links into other files",
    "/GoToE": "links into other files",
}


def hidden_active_content(pdf: Any) -> list[str]:
    """Names of the active content in any object of ``pdf``, as a warning lists them."""
    import pikepdf

    # Object types read once per object (``_type_code``, as pikepdf's own
    # ``isinstance`` checks do): on a 500-page pre-read, a third of the time.
    containers = {pikepdf.ObjectType.dictionary, pikepdf.ObjectType.stream}
    array = pikepdf.ObjectType.array
    found: dict[str, None] = {}
    root = pdf.Root.objgen
    for thing in pdf.objects:
        if not isinstance(thing, pikepdf.Object):
            continue  # an indirect number
        pending = [(thing, 0)]
        while pending:
            value, depth = pending.pop()
            code = value._type_code
            if code in containers:
                ordered = list(value.keys())  # in the file's order: the same warning each time
                keys = set(ordered)
                if not (value.is_indirect and value.objgen == root):
                    # (The catalogue's own keys are read by active_content.)
                    found.update(dict.fromkeys(_acting(value, keys)))
                members = [value[key] for key in ordered]
            elif code == array:
                members = list(value)
            else:
                continue
            if depth < MAX_DIRECT_DEPTH:
                pending += [
                    (member, depth + 1)
                    for member in members
                    if isinstance(member, pikepdf.Object)
                    and (member._type_code in containers or member._type_code == array)
                    and not member.is_indirect
                ]
    return list(found)


def _acting(value: Any, keys: set[str]) -> list[str]:
    """What ``value``, a dictionary or stream with ``keys``, is or holds that would act."""
    names = []
    kind = str(value.S) if "/S" in keys else ""
    type_ = str(value.Type) if "/Type" in keys else ""
    subtype = str(value.Subtype) if "/Subtype" in keys else ""
    if kind in ACTIONS:
        names.append(ACTIONS[kind])
    if keys & {"/JS", "/JavaScript"}:
        names.append("JavaScript")
    if "/OpenAction" in keys:
        names.append("an open action")
    if "/AA" in keys and type_ != "/Page":  # a page's are its page actions
        names.append("automatic actions")
    if type_ == "/Catalog":
        names.append("a second catalog")
    if (
        keys & {"/EF", "/EmbeddedFiles", "/AF"}
        or "/EmbeddedFile" in (type_, subtype)
        or (subtype == "/FileAttachment")
    ):
        names.append("embedded files")
    if "/AcroForm" in keys or subtype == "/Widget":
        names.append("form fields")
    return names
