"""Embedded fonts (ECMA-376 Part 1, 17.8.1 and 17.8.3): font table entries, obfuscation, settings.

A font is embedded as its own part (``word/fonts/fontN.odttf``) related to the
font table, its first 32 bytes XORed with a key that the font table's
``w:embedRegular``/``w:embedBold``/… element gives as a GUID (17.8.1: the
GUID's 16 bytes in reverse order, twice).  The key here is made from the
font's own bytes, not drawn at random, so that the same font makes the same
package: builds stay byte-reproducible.
"""

from __future__ import annotations

import hashlib
from typing import Any

from docx.oxml.ns import qn

from briefpack.render.docx.ooxml.elements import element, insert_before

#: The content type of an obfuscated font part, and its relationship from the font table.
OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
FONT_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"

#: Word's four faces of a family, as the font table names them, in the schema's order.
SLOTS = ("regular", "bold", "italic", "bold_italic")
_SLOT_TAGS = {
    "regular": "w:embedRegular",
    "bold": "w:embedBold",
    "italic": "w:embedItalic",
    "bold_italic": "w:embedBoldItalic",
}

# ECMA-376 CT_Settings: what follows w:embedTrueTypeFonts and w:saveSubsetFonts.
_SETTINGS_AFTER_SUBSET_FONTS = (
    "w:saveFormsData", "w:mirrorMargins", "w:alignBordersAndEdges",
    "w:bordersDoNotSurroundHeader", "w:bordersDoNotSurroundFooter", "w:gutterAtTop",
    "w:hideSpellingErrors", "w:hideGrammaticalErrors", "w:activeWritingStyle",
    "w:proofState", "w:formsDesign", "w:attachedTemplate", "w:linkStyles",
    "w:stylePaneFormatFilter", "w:stylePaneSortMethod", "w:documentType", "w:mailMerge",
    "w:revisionView", "w:trackRevisions", "w:doNotTrackMoves", "w:doNotTrackFormatting",
    "w:documentProtection", "w:autoFormatOverride", "w:styleLockTheme", "w:styleLockQFSet",
    "w:defaultTabStop", "w:autoHyphenation", "w:consecutiveHyphenLimit", "w:hyphenationZone",
    "w:doNotHyphenateCaps", "w:showEnvelope", "w:summaryLength", "w:clickAndTypeStyle",
    "w:defaultTableStyle", "w:evenAndOddHeaders", "w:bookFoldRevPrinting",
    "w:bookFoldPrinting", "w:bookFoldPrintingSheets", "w:drawingGridHorizontalSpacing",
    "w:drawingGridVerticalSpacing", "w:displayHorizontalDrawingGridEvery",
    "w:displayVerticalDrawingGridEvery", "w:doNotUseMarginsForDrawingGridOrigin",
    "w:drawingGridHorizontalOrigin", "w:drawingGridVerticalOrigin", "w:doNotShadeFormData",
    "w:noPunctuationKerning", "w:characterSpacingControl", "w:printTwoOnOne",
    "w:strictFirstAndLastChars", "w:noLineBreaksAfter", "w:noLineBreaksBefore",
    "w:savePreviewPicture", "w:doNotValidateAgainstSchema", "w:saveInvalidXml",
    "w:ignoreMixedContent", "w:alwaysShowPlaceholderText", "w:doNotDemarcateInvalidXml",
    "w:saveXmlDataOnly", "w:useXSLTWhenSaving", "w:saveThroughXslt", "w:showXMLTags",
    "w:alwaysMergeEmptyNamespace", "w:updateFields", "w:hdrShapeDefaults", "w:footnotePr",
    "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema",
    "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions",
    "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults",
    "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)  # fmt: skip


def font_key(font: bytes) -> str:
    """A GUID, ``{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}``, made from ``font``'s bytes."""
    digest = hashlib.sha256(font).hexdigest()[:32].upper()
    parts = (digest[:8], digest[8:12], digest[12:16], digest[16:20], digest[20:])
    return "{" + "-".join(parts) + "}"


def obfuscate(font: bytes, key: str) -> bytes:
    """``font`` with its first 32 bytes XORed with ``key`` (17.8.1); the same undoes it.

    The key's 16 bytes are taken in reverse order of the GUID's hex digits,
    as Word, LibreOffice and docx4j read them.
    """
    digits = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(byte ^ digits[index % 16] for index, byte in enumerate(font[:32]))
    return head + font[32:]


def set_embedded_faces(
    font_table: Any, name: str, faces: dict[str, tuple[str, str]], fixed_pitch: bool
) -> None:
    """Give the font table's entry ``name`` the faces ``faces`` (slot -> relationship id, key).

    The entry is made if the table lacks it; faces it embedded before are replaced.
    """
    entry = next(
        (font for font in font_table.iterchildren(qn("w:font")) if font.get(qn("w:name")) == name),
        None,
    )
    if entry is None:
        entry = element("w:font", name=name)
        entry.append(element("w:charset", val="00"))
        entry.append(element("w:family", val="modern" if fixed_pitch else "auto"))
        entry.append(element("w:pitch", val="fixed" if fixed_pitch else "variable"))
        font_table.append(entry)
    for tag in _SLOT_TAGS.values():
        for old in entry.findall(qn(tag)):
            entry.remove(old)
    for slot in SLOTS:  # the embed elements close CT_Font's sequence, in this order
        if slot in faces:
            relationship, key = faces[slot]
            embedded = element(_SLOT_TAGS[slot], fontKey=key, subsetted="true")
            embedded.set(qn("r:id"), relationship)
            entry.append(embedded)


def set_embedding_settings(settings: Any) -> None:
    """Say in ``settings.xml`` that the document carries its fonts, and only what it uses.

    ``w:embedTrueTypeFonts`` keeps Word embedding them when a reader saves;
    ``w:saveSubsetFonts`` keeps it subsetting, as briefpack did.
    """
    for tag, successors in (
        ("w:embedTrueTypeFonts", ("w:embedSystemFonts", "w:saveSubsetFonts")),
        ("w:saveSubsetFonts", ()),
    ):
        if settings.find(qn(tag)) is None:
            insert_before(settings, element(tag), (*successors, *_SETTINGS_AFTER_SUBSET_FONTS))
