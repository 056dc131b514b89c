"""No active content from a theme in any output: what a template writes cannot act.

A theme's template and stylesheet come from anyone.  The sandbox
(:mod:`briefpack.render.sandbox`) stops a template reaching out while it
renders; this module stops the markup it writes from acting when the output
is opened.

* **PDF.**  WeasyPrint turns markup into PDF actions in three places only:
  links (``<a href>``, and CSS ``link``) become ``/URI`` actions or, with
  ``rel=attachment``, FileAttachment annotations with the file's bytes;
  ``<link rel=attachment>`` becomes an ``/EmbeddedFiles`` entry (and ``/AF``
  in PDF/A); a form's submit button becomes a ``/SubmitForm`` action.
  :func:`scrub_document` empties each of those lists of the laid-out document
  before any PDF is written, so nothing of the sort is ever made, and the
  tagged structure WeasyPrint builds from the same lists stays consistent (a
  link left out has no annotation, hence no ``OBJR`` to repair).  Links kept
  are the content's own rule: an anchor in the document, or an http, https
  or mailto address.  Where the PDF is opened with pikepdf anyway (a tagged
  document's finishing, the book's join), :func:`scrub_pdf` then removes
  whatever acts that got through by a road WeasyPrint may open one day.
* **HTML on disk.**  Stripping ``<script>``, ``on*`` attributes and
  ``javascript:`` URLs from a template's markup would be a block-list over
  every way HTML can run code (SVG's ``<set>``, ``<iframe srcdoc>``,
  ``<meta http-equiv=refresh>``, ...) whose output must also re-parse the same
  way; the browser enforces a Content-Security-Policy whatever the markup.
  :func:`with_policy` puts :data:`HTML_POLICY` first in the document, before
  anything the template wrote, so no script of the template can come first.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from briefpack.errors import BriefpackError, Mark, Problem

#: The addresses a link in a PDF may lead to, besides an anchor of the document.
LINK_SCHEMES = frozenset({"http", "https", "mailto"})

#: The policy of every HTML page briefpack writes: no script, plugin or frame
#: runs, and pictures, fonts and styles come only from beside the page (the
#: ``images`` and ``fonts`` folders) or the page itself.  ``file:`` is named
#: because a browser does not count a local file as the page's own origin.
#: ``connect-src`` lets preview's own reload script, which precedes this
#: policy, reconnect to its event stream.
HTML_POLICY = (
    "default-src 'none'; img-src 'self' file: data:; font-src 'self' file: data:; "
    "style-src 'self' file: 'unsafe-inline'; connect-src 'self'; base-uri 'none'; "
    "form-action 'none'"
)

#: A leading doctype: the tokenizer ends one at its first ``>``, even inside quotes.
_DOCTYPE = re.compile(r"\A\s*<!doctype[^>]*>", re.IGNORECASE)


def safe_link(link_type: str, target: str) -> bool:
    """Whether a WeasyPrint link may become a link of the PDF.

    ``internal`` is an anchor of the document; ``external`` is kept only for an
    http, https or mailto address (not ``javascript:``, ``file:``, ...);
    ``attachment`` (``<a rel=attachment>``) never: it embeds the file.
    """
    if link_type == "internal":
        return True
    if link_type != "external":
        return False
    try:
        scheme = urlsplit(target.strip()).scheme.lower()
    except ValueError:
        return False
    return scheme in LINK_SCHEMES


def scrub_document(document: Any) -> None:
    """Leave out of a laid-out WeasyPrint document everything that would make a PDF act.

    Called between ``render()`` and ``write_pdf()``: attachments declared by
    ``<link rel=attachment>``, links that are not :func:`safe_link`, and
    submit buttons (the answer fields are text fields, which stay).
    """
    document.metadata.attachments = []
    for page in document.pages:
        page.links = [link for link in page.links if safe_link(link[0], str(link[1]))]
        for form, fields in page.forms.items():
            page.forms[form] = [field for field in fields if not _submits(field[0])]


#: What a catalogue may hold that acts, or carries files, as the document opens.
_CATALOGUE_ACTIVE = ("/OpenAction", "/AA", "/AF")
#: Name trees of a catalogue's ``/Names`` that hold scripts or files.
_NAMES_ACTIVE = ("/JavaScript", "/EmbeddedFiles")


def scrub_pdf(document: Any) -> int:
    """Remove, in place, whatever in a pikepdf ``document`` would act; return how many.

    The second line of defence, after :func:`scrub_document`, for a PDF that
    is opened anyway (a tagged book's finishing, the join): should a future
    WeasyPrint write an action or a file by some other road, it goes here.
    An annotation keeps its place (and its tag) and loses its action; a file
    attachment annotation goes, as WeasyPrint does not tag one.  Only the
    catalogue, the pages' annotations and the form's fields are visited.
    """
    import pikepdf

    removed = _drop(document.Root, _CATALOGUE_ACTIVE)
    names = document.Root.get("/Names")
    if names is not None:
        removed += _drop(names, _NAMES_ACTIVE)
    for page in document.pages:
        removed += _drop(page.obj, ("/AA",))
        annotations = page.obj.get("/Annots")
        if annotations is None:
            continue
        kept = [note for note in annotations if note.get("/Subtype") != "/FileAttachment"]
        if len(kept) != len(annotations):
            removed += len(annotations) - len(kept)
            page.obj.Annots = pikepdf.Array(kept)
        for annotation in kept:
            removed += _drop_action(annotation)
    form = document.Root.get("/AcroForm")
    fields = list(form.get("/Fields", [])) if form is not None else []
    while fields:
        field = fields.pop()
        removed += _drop_action(field)
        fields.extend(field.get("/Kids", []))
    return removed


def _drop(dictionary: Any, keys: tuple[str, ...]) -> int:
    present = [key for key in keys if key in dictionary]
    for key in present:
        del dictionary[key]
    return len(present)


def _drop_action(item: Any) -> int:
    """An annotation's or field's action gone, unless it leads within the document or
    to a web or mail address (and does nothing next)."""
    removed = _drop(item, ("/AA",))
    action = item.get("/A")
    if action is None:
        return removed
    kind, uri = action.get("/S"), action.get("/URI")
    web = kind == "/URI" and uri is not None and safe_link("external", str(uri))
    if (web or kind == "/GoTo") and "/Next" not in action:
        return removed
    del item["/A"]
    return removed + 1


def _submits(box: Any) -> bool:
    """Whether an input box is a button, which WeasyPrint writes as a SubmitForm action."""
    element = box.element
    if element is None:
        return False
    kind = str(element.get("type", "")).lower()
    return bool(element.tag == "button" or (element.tag == "input" and kind == "submit"))


def with_policy(html: str, policy: str = HTML_POLICY) -> str:
    """``html`` with a ``<meta>`` giving ``policy`` before anything else but its doctype.

    After the doctype, so that the page keeps standards mode; before the
    template's first tag, so that no markup of the template precedes it (a
    script ahead of the policy would run).  The parser puts the ``<meta>``
    in the document's head.
    """
    return first(html, f'<meta http-equiv="Content-Security-Policy" content="{policy}">')


def first(html: str, markup: str) -> str:
    """``html`` with ``markup`` ahead of everything but its doctype."""
    doctype = _DOCTYPE.match(html)
    at = doctype.end() if doctype else 0
    return html[:at] + markup + html[at:]


def style_text(css: str) -> str:
    """``css`` safe inside ``<style>``: no ``</`` that could end the element.

    ``<\\/`` reads as ``</`` to CSS wherever ``</`` can mean anything (in a
    string, a URL or an escape), and cannot close an HTML element.
    """
    return css.replace("</", "<\\/")


#: ``<link rel>`` values that make a browser reach out as the page opens, which
#: the policy does not govern (a DNS look-up carries data in the host's name).
_REACHING_RELS = frozenset(
    {"dns-prefetch", "preconnect", "prefetch", "prerender", "preload", "modulepreload", "import"}
)
#: Elements that load or frame another document, or change where links lead.
_FRAMING_TAGS = frozenset({"base", "iframe", "frame", "object", "embed"})
_XHTML = "{http://www.w3.org/1999/xhtml}"


def refuse_reaching_out(html: str, template: Path) -> None:
    """Refuse, at ``template``, markup in ``html`` that navigates or reaches out on opening.

    The Content-Security-Policy (:func:`with_policy`) stops scripts, frames and
    loads, but not ``<meta http-equiv=refresh>`` (navigation, with the pack's
    text in the address), DNS prefetching or a link's ``ping``: those are
    refused here, where the browser would see them, by parsing the page as
    WeasyPrint does (tinyhtml5).  A refusal, not a rewrite, so an accepted
    page is byte for byte what the template wrote.
    """
    import tinyhtml5  # type: ignore[import-untyped]

    problems: list[Problem] = []
    for element in tinyhtml5.parse(html).iter():
        if not isinstance(element.tag, str) or not element.tag.startswith(_XHTML):
            continue
        found = _reaching(element.tag[len(_XHTML) :], element.attrib)
        if found is not None:
            needle, message = found
            problems.append(Problem(_template_mark(template, needle), message))
    if problems:
        raise BriefpackError(problems)


def _reaching(tag: str, attributes: Any) -> tuple[str, str] | None:
    """What the template wrote that reaches out (what to look for in its source, and why)."""
    if tag == "meta" and "http-equiv" in attributes:
        equiv = str(attributes["http-equiv"]).strip().lower()
        if equiv != "content-type":
            return "http-equiv", f'<meta http-equiv="{equiv}"> is refused: it can navigate away'
    if tag == "link":
        rels = set(str(attributes.get("rel", "")).lower().split()) & _REACHING_RELS
        if rels:
            rel = sorted(rels)[0]
            return rel, f'<link rel="{rel}"> is refused: it reaches out when the page opens'
    if tag in _FRAMING_TAGS:
        return f"<{tag}", f"<{tag}> is refused: it loads or redirects outside the page"
    if tag == "form" and str(attributes.get("action", "#")).strip()[:1] not in ("#", ""):
        return "action", "<form action> is refused: it sends the page's answers elsewhere"
    if tag == "a" and "ping" in attributes:
        return "ping", "<a ping> is refused: it reports the click to another address"
    return None


def _template_mark(template: Path, needle: str) -> Mark | str:
    """The first line of ``template`` with ``needle`` in it, or the template itself."""
    try:
        lines = template.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return str(template)
    for number, line in enumerate(lines, start=1):
        if needle in line.lower():
            return Mark(str(template), number, line.lower().index(needle) + 1)
    return Mark(str(template), 1, 1)
