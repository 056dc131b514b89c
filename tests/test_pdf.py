"""The executive briefing PDF: content, navigation, fonts, metadata, reproducibility."""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

import docx
import jinja2
import pytest

import briefpack
from briefpack.build.chosen_settings import default_theme, resolve_settings
from briefpack.content.validate import load_pack
from briefpack.model import Pack, Session
from briefpack.model.rich_text import plain_text
from briefpack.render.builtin_themes import templates_dir
from briefpack.render.internal_pages import page_html
from briefpack.render.pdf import RestrictedFetcher, render_pdf
from briefpack.render.recipient_mark import mark_html
from briefpack.render.settings import RenderSettings
from briefpack.render.wording import wording_for

from conftest import BUNDLED_PACK, MINIMAL_PACK, TWO_SESSIONS_PACK, WritePack, run, valid
from pdf_helpers import fonts, normalise, outline, page_texts, reader

ENVIRONMENT: dict[str, str] = {}


def render(pack: Pack, **settings: object) -> bytes:
    resolved = resolve_settings(pack, ENVIRONMENT)
    values = {"created": resolved.created, "theme": default_theme(), **settings}
    return render_pdf(pack, RenderSettings(**values)).data  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def bundled() -> Pack:
    return load_pack(BUNDLED_PACK)


@pytest.fixture(scope="module")
def bundled_pdf(bundled: Pack) -> bytes:
    return render(bundled)


@pytest.fixture(scope="module")
def bundled_pages(bundled_pdf: bytes) -> list[str]:
    return page_texts(bundled_pdf)


def page_with(pages: list[str], text: str, after: int = 0) -> int:
    """The 1-based number of the first page after ``after`` that contains ``text``."""
    for number, page in enumerate(pages[after:], start=after + 1):
        if text in page:
            return number
    raise AssertionError(f"{text!r} is on no page after {after}")


def test_rendering_the_bundled_pack_logs_no_warning(
    bundled: Pack, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        render(bundled)
    assert caplog.records == []


def test_every_question_of_the_seed_is_in_the_pdf_word_for_word(
    bundled: Pack, bundled_pages: list[str]
) -> None:
    text = " ".join(bundled_pages)
    for question in bundled.questions:
        assert question.title in text
        assert question.context is not None
        assert normalise(plain_text(question.context.blocks)) in text
        assert normalise(plain_text(question.question.blocks)) in text
    for session in bundled.sessions:
        assert session.title in text
        for speaker in session.speakers:
            assert f"{speaker.name}, {speaker.role}" in text


def test_parts_come_in_order_and_the_cover_has_no_header_or_footer(
    bundled_pages: list[str],
) -> None:
    cover, glance, contents = bundled_pages[:3]
    assert cover.startswith("BRIEFING PACK Questions for AWS Developer Experience Sessions")
    assert "October 23 – 24, 2025" in cover
    assert "Page" not in cover
    assert "At a glance" in glance
    assert "Contents" in contents
    total = len(bundled_pages)
    for number, page in enumerate(bundled_pages[1:], start=2):
        assert page.endswith(f"Page {number} of {total}")
        assert "Questions for AWS Developer Experience Sessions" in page


def test_at_a_glance_lists_every_session_with_its_question_count(
    bundled: Pack, bundled_pages: list[str]
) -> None:
    glance = bundled_pages[1]
    for session in bundled.sessions:
        assert session.title in glance
    counts = [len(session.questions) for session in bundled.sessions]
    assert counts == [6, 7, 9, 5]
    assert re.search(r"Ali Maaz Ben Coburn 6 .*Amanda Lester 7 .*Emil Lerch 9 .*Ali Maaz 5", glance)


def test_each_session_starts_a_page_with_its_band(bundled: Pack, bundled_pages: list[str]) -> None:
    for session in bundled.sessions:
        heading = f"{session.title} "
        number = page_with(bundled_pages, heading + _time_range(session), after=3)
        page = bundled_pages[number - 1]
        assert f"{len(session.questions)} questions" in page
        # The running header names the session on its own pages, on one line: a
        # long title shortened with an ellipsis.
        label = f"{session.label}: " if session.label else ""
        header = f"{label}{session.title}"
        shown = [header[:end].rstrip() + "…" for end in range(len(header) // 2, len(header))]
        assert any(f"{text} Page {number}" in page for text in [header, *shown]), page


def _time_range(session: Session) -> str:
    # As text extraction gives it: CLDR's thin and narrow spaces read as spaces.
    return " ".join(wording_for("en").time_range(session).split())


def test_outline_is_day_session_question_and_lands_on_the_right_pages(
    bundled: Pack, bundled_pdf: bytes, bundled_pages: list[str]
) -> None:
    front, days = outline(bundled_pdf)[:3], outline(bundled_pdf)[3:]
    # The front matter has entries too: the cover (the pack's title), at a glance, contents.
    assert [(entry.title, entry.page) for entry in front] == [
        (bundled.title, 1),
        ("At a glance", 2),
        ("Contents", 3),
    ]
    assert [day.title for day in days] == ["Thursday, October 23, 2025", "Friday, October 24, 2025"]
    sessions = [session for day in days for session in day.children]
    assert [entry.title for entry in sessions] == [
        "Session 1: DevOps Culture at Amazon",
        "Session 2: AgentCore",
        "Session 3: Leveraging AI in the Software Development Lifecycle",
        "Executive Meeting with AWS Developer Experience",
    ]
    for entry, session in zip(sessions, bundled.sessions, strict=True):
        assert session.title in bundled_pages[entry.page - 1]
        assert [child.title for child in entry.children] == [
            f"{number}. {question.title}"
            for number, question in enumerate(session.questions, start=1)
        ]
        for child, question in zip(entry.children, session.questions, strict=True):
            page = bundled_pages[child.page - 1]
            assert question.title in page
            assert normalise(plain_text(question.question.blocks)) in page
    for day in days:
        assert day.title.upper() in bundled_pages[day.page - 1]


def test_contents_page_numbers_point_at_the_questions(
    bundled: Pack, bundled_pages: list[str]
) -> None:
    contents = bundled_pages[2]
    for session in bundled.sessions:
        for number, question in enumerate(session.questions, start=1):
            match = re.search(rf"{number}\. {re.escape(question.title)}[ .]*?(\d+)", contents)
            assert match, question.title
            page = int(match.group(1))
            assert page > 3
            assert question.title in bundled_pages[page - 1]


def test_contents_entries_are_links(bundled_pdf: bytes, bundled: Pack) -> None:
    annotations = reader(bundled_pdf).pages[2].get("/Annots")
    assert annotations is not None
    targets = {
        str(annotation.get_object()["/Dest"])
        for annotation in annotations
        if annotation.get_object()["/Subtype"] == "/Link"
    }
    days, sessions, questions = len(bundled.days), len(bundled.sessions), len(bundled.questions)
    assert len(targets) == days + sessions + questions


def test_a_question_is_never_split_from_its_title(bundled: Pack, bundled_pages: list[str]) -> None:
    for question in bundled.questions:
        number = page_with(bundled_pages, question.title, after=3)
        page = bundled_pages[number - 1]
        assert normalise(plain_text(question.question.blocks)) in page


def test_fonts_are_the_themes_own_and_all_embedded(bundled_pdf: bytes) -> None:
    used = list(fonts(bundled_pdf))
    assert used
    for name, embedded in used:
        assert name.startswith("Briefpack-"), name
        assert embedded, name


def test_a_session_packs_keywords_name_its_own_session_only(
    write_pack: WritePack, tmp_path: Path
) -> None:
    path = write_pack(TWO_SESSIONS_PACK)
    code, _, err = run("build", str(path), "-o", str(tmp_path / "out"), "-f", "pdf", "-f", "docx")
    assert code == 0, err
    folder = path.stem
    sessions = sorted((tmp_path / "out" / folder / "sessions").glob("*.pdf"))
    assert [reader(item.read_bytes()).metadata["/Keywords"] for item in sessions] == [
        "Strategy",
        "Budget",
    ]
    full = reader((tmp_path / "out" / folder / f"{folder}.pdf").read_bytes())
    assert full.metadata["/Keywords"] == "Strategy, Budget"
    word = docx.Document(str(sessions[1].with_suffix(".docx")))
    assert word.core_properties.keywords == "Budget"


def test_metadata(write_pack: WritePack) -> None:
    path = write_pack(
        MINIMAL_PACK.replace(
            "title: Offsite",
            "title: Offsite\nsubtitle: Spring planning\nauthor: Board Office\n"
            "organisation: Example Corp\noptions:\n  language: en-GB",
        )
    )
    pdf = reader(render(valid(path)))
    info = pdf.metadata
    assert info is not None
    assert info["/Title"] == "Offsite"
    assert info["/Author"] == "Board Office"
    assert info["/Subject"] == "Spring planning"
    assert info["/Keywords"] == "Strategy, Example Corp"
    assert info["/Creator"] == f"briefpack {briefpack.__version__}"
    assert info["/CreationDate"] == "D:20260302000000Z"
    assert pdf.trailer["/Root"]["/Lang"] == "en-GB"


def test_same_content_gives_the_same_bytes(bundled: Pack, bundled_pdf: bytes) -> None:
    assert render(bundled) == bundled_pdf


def test_source_date_epoch_sets_the_document_date(bundled: Pack) -> None:
    settings = resolve_settings(bundled, {"SOURCE_DATE_EPOCH": "1767225600"})
    info = reader(render_pdf(bundled, settings).data).metadata
    assert info is not None
    assert info["/CreationDate"] == "D:20260101000000Z"


def test_html_and_template_syntax_print_literally(write_pack: WritePack) -> None:
    path = write_pack(
        MINIMAL_PACK.replace("title: Offsite", 'title: "{{ 7*7 }} <b>Offsite</b>"').replace(
            "question: Where are we going?",
            "question: 'Is <script>alert(1)</script> {% for x in y %} safe & sound?'",
        )
    )
    text = " ".join(page_texts(render(valid(path))))
    assert "{{ 7*7 }} <b>Offsite</b>" in text
    assert "Is <script>alert(1)</script> {% for x in y %} safe & sound?" in text
    assert "49" not in text


def test_greek_and_cyrillic_render_with_the_themes_fonts(write_pack: WritePack) -> None:
    greek = "Ποια είναι η στρατηγική μας για την Ευρώπη;"
    russian = "Каковы наши приоритеты на следующий год?"
    path = write_pack(
        MINIMAL_PACK.replace("title: Strategy", "title: Στρατηγική")
        .replace("title: Direction", "title: Направление")
        .replace(
            "question: Where are we going?", f"context: {greek}\n            question: {russian}"
        )
    )
    data = render(valid(path))
    text = " ".join(page_texts(data))
    for words in ("Στρατηγική", "Направление", greek, russian):
        assert words in text
    for name, embedded in fonts(data):
        assert name.startswith("Briefpack-"), name
        assert embedded, name


def test_markdown_becomes_lists_emphasis_and_live_links(write_pack: WritePack) -> None:
    path = write_pack(
        MINIMAL_PACK.replace(
            "question: Where are we going?",
            "question: |\n              Consider **cost** and *speed*:\n\n"
            "              1. first\n              2. second\n\n"
            "              See [the plan](https://example.com/plan).",
        )
    )
    data = render(valid(path))
    text = " ".join(page_texts(data))
    assert "Consider cost and speed: 1. first 2. second See the plan." in text
    uris = [
        annotation.get_object()["/A"]["/URI"]
        for page in reader(data).pages
        for annotation in page.get("/Annots") or []
        if "/A" in annotation.get_object() and "/URI" in annotation.get_object()["/A"]
    ]
    assert uris == ["https://example.com/plan"]


def test_notes_add_ruled_space_under_each_question(bundled: Pack) -> None:
    without = page_texts(render(bundled))
    with_notes = page_texts(render(bundled, notes=True))
    assert " ".join(with_notes).count("NOTES") == len(bundled.questions)
    assert "NOTES" not in " ".join(without)
    assert len(with_notes) > len(without)


def test_letter_paper(write_pack: WritePack) -> None:
    pack = valid(write_pack(MINIMAL_PACK))
    letter_pdf = render(pack, paper="letter")
    # The cover fills exactly one page of either size.
    assert page_texts(letter_pdf)[1].startswith("At a glance")
    letter = reader(letter_pdf).pages[1].mediabox
    a4 = reader(render(pack)).pages[1].mediabox
    assert (round(float(letter.width)), round(float(letter.height))) == (612, 792)
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)


def test_classification_is_in_the_footer_of_every_page_but_the_cover(
    write_pack: WritePack,
) -> None:
    pack = valid(write_pack(MINIMAL_PACK + "classification: Confidential\n"))
    pages = page_texts(render(pack))
    assert "Confidential" in pages[0]
    for page in pages[1:]:
        assert "Confidential" in page


def test_fetcher_serves_theme_files_and_refuses_everything_else(tmp_path: Path) -> None:
    theme = templates_dir()
    secret = tmp_path / "secret.svg"
    secret.write_text("<svg>secret</svg>", encoding="utf-8")
    link = tmp_path / "theme"
    link.mkdir()
    (link / "escape.svg").symlink_to(secret)
    fetcher = RestrictedFetcher([theme, link])

    font = theme / "fonts" / "Inter-Regular.ttf"
    assert fetcher.fetch(font.as_uri()).read() == font.read_bytes()
    for url in (
        secret.as_uri(),
        (link / "escape.svg").as_uri(),
        (theme / ".." / "pyproject.toml").as_uri(),
        "http://127.0.0.1:9/x.png",
        "https://example.com/x.png",
        "data:image/svg+xml,<svg/>",
    ):
        with pytest.raises(ValueError, match="briefpack does not fetch"):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 6


def test_an_error_weasyprint_only_logs_fails_the_pack(
    write_pack: WritePack, monkeypatch: pytest.MonkeyPatch
) -> None:
    import weasyprint

    from briefpack.errors import BriefpackError

    real_render = weasyprint.HTML.render

    def render_with_an_error(self: weasyprint.HTML, *args: object, **kwargs: object) -> object:
        logging.getLogger("weasyprint").error("Failed to load image at %r", "x.png")
        return real_render(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", render_with_an_error)
    pack = valid(write_pack(MINIMAL_PACK))
    with pytest.raises(BriefpackError, match=r"rendering failed: Failed to load image at 'x\.png'"):
        render(pack)


def xmp_titles(data: bytes) -> list[str]:
    """Every ``dc:title`` of the XMP."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        metadata = pdf.open_metadata(set_pikepdf_as_editor=False)
        return [str(metadata.get("dc:title", ""))]


def test_a_sessions_pack_is_titled_by_its_session_and_a_recipients_by_the_pack(
    bundled: Pack,
) -> None:
    # The title bar shows the Title (DisplayDocTitle); a screen reader says it first.
    session = bundled.sessions[1]
    data = render(bundled, session=session.id)
    title = f"Session 2: AgentCore \u2013 {bundled.title}"
    assert session.title == "AgentCore"
    assert reader(data).metadata["/Title"] == title  # type: ignore[index]
    assert xmp_titles(data) == [title]
    # A reader's copy is the pack, prepared for them: the pack's title.
    data = render(bundled, recipient="Jane Doe")
    assert reader(data).metadata["/Title"] == bundled.title  # type: ignore[index]
    assert xmp_titles(data) == [bundled.title]


def languages_claimed(data: bytes) -> set[str]:
    """Every language the PDF names: /Lang anywhere (catalogue, structure
    elements, marked content) and every xml:lang of the XMP but x-default."""
    import pikepdf

    found: set[str] = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for thing in pdf.objects:
            if isinstance(thing, pikepdf.Dictionary | pikepdf.Stream) and "/Lang" in thing:
                found.add(str(thing.Lang))
        for page in pdf.pages:
            for operands, _ in pikepdf.parse_content_stream(page):
                for operand in operands:
                    if isinstance(operand, pikepdf.Dictionary) and "/Lang" in operand:
                        found.add(str(operand.Lang))
        xmp = pdf.Root.Metadata.read_bytes().decode("utf-8")
    found.update(re.findall(r'xml:lang="([^"]+)"', xmp))
    found.discard("x-default")
    return found


@pytest.mark.parametrize(("written", "printed"), [("ja", "en"), ("de", "de"), ("fr", "fr")])
def test_the_pdf_names_the_language_of_the_words_it_prints(
    write_pack: WritePack, written: str, printed: str
) -> None:
    # A language without a catalogue is printed in English: tagged as English.
    path = write_pack(MINIMAL_PACK + f"options:\n  language: {written}\n")
    pack = valid(path)
    for settings in ({}, {"session": pack.sessions[0].id}):
        data = render(pack, **settings)
        assert reader(data).trailer["/Root"]["/Lang"] == printed
        assert languages_claimed(data) == {printed}, settings


def test_a_book_of_parts_names_the_language_of_the_words_it_prints(tmp_path: Path) -> None:
    # The full pack is joined from parts; the book keeps the first part's /Lang.
    pack = tmp_path / "pack.yaml"
    text = BUNDLED_PACK.read_text(encoding="utf-8")
    pack.write_text(text.replace("days:", "options:\n  language: ja\ndays:", 1), encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run("build", str(pack), "-o", str(out), "-f", "pdf", "--no-sessions")
    assert code == 0, err
    data = (out / "pack" / "pack.pdf").read_bytes()
    assert len(reader(data).pages) > 10  # the book, not one document
    assert languages_claimed(data) == {"en"}


def test_a_recipients_mark_escapes_the_name_and_sets_a_size_only_when_shrunk() -> None:
    mark = '<b>Ann & "Bo"</b>'
    head = '<!DOCTYPE html><html lang="en"><head><style>@page { size: A4; }</style></head><body>'

    assert mark_html(mark, "en", "A4", None) == (
        head + '<div class="recipient-mark-page"><p class="recipient-mark">'
        "&lt;b&gt;Ann &amp; &#34;Bo&#34;&lt;/b&gt;</p></div></body></html>"
    )
    assert '<p class="recipient-mark" style="font-size: 12.346px">' in mark_html(
        mark, "en", "A4", 12.3456
    )


def test_briefpacks_own_pages_refuse_a_value_their_template_names_but_is_not_given() -> None:
    with pytest.raises(jinja2.UndefinedError, match="font_size_px"):
        page_html("recipient_mark.html.j2", language="en", page_size="A4", text="Ann")
