"""Issue 18: can a book assembled from parts embed each font once, and what its steps cost.

Not a build benchmark but a measurement of one lever, run by ``nox -s bench``:
the generated 40 x 10 pack rendered as one document, and as 40 session
documents (the parts) merged with pikepdf, three ways:

* **naive**: the parts as WeasyPrint subsets their fonts, merged as they are;
* **full fonts**: parts rendered with ``full_fonts`` (every part's copy of a
  font the same bytes), the copies merged into one object per font;
* **one subset per font**: the naive parts, whose subsets keep the font's
  own glyph ids (WeasyPrint subsets with ``retain-gids``), so every part's
  content streams name glyphs as the font does: each font is subset once
  more from the theme's font file, to the glyphs any part uses, and that one
  program replaces every part's copy; no content stream changes (briefpack's
  own ``render.book.share_fonts``, as the build joins a book).

It prints each PDF's size against the single document's (the issue's target:
at most 1.15x) and what each step costs; then briefpack's own book of the
same pack (``render/book/parts.py``, ``render/book/join.py``), step by step, against
its single render.
"""

from __future__ import annotations

import hashlib
import io
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))


def render(pack: Any, settings: Any, **options: Any) -> bytes:
    """One untagged PDF of ``pack`` as ``settings`` scope it, with WeasyPrint ``options``."""
    import weasyprint

    from briefpack.render.html import html_document

    theme = settings.chosen_theme
    html = html_document(pack, settings)
    document = weasyprint.HTML(string=html, base_url=theme.folder.as_uri() + "/")
    data = document.write_pdf(**options)
    assert isinstance(data, bytes)
    return data


def merge(parts: list[bytes]) -> Any:
    import pikepdf

    book = pikepdf.new()
    for data in parts:
        with pikepdf.open(io.BytesIO(data)) as part:
            book.pages.extend(part.pages)
    return book


def font_programs(book: Any) -> list[tuple[Any, Any]]:
    """Every (descendant font, its FontDescriptor) pair with an embedded TrueType program."""
    import pikepdf

    found = []
    for thing in book.objects:
        if not isinstance(thing, pikepdf.Dictionary) or thing.get("/Type") != "/Font":
            continue
        for font in thing.get("/DescendantFonts", [thing]):
            descriptor = font.get("/FontDescriptor")
            if descriptor is not None and "/FontFile2" in descriptor:
                found.append((font, descriptor))
    return found


def deduplicate(book: Any) -> int:
    """Point every copy of the same font program at one stream; return how many are left."""
    kept: dict[str, Any] = {}
    for _, descriptor in font_programs(book):
        stream = descriptor.FontFile2
        digest = hashlib.sha256(stream.read_raw_bytes()).hexdigest()
        descriptor.FontFile2 = kept.setdefault(digest, stream)
    return len(kept)


def saved(book: Any) -> bytes:
    output = io.BytesIO()
    book.save(output, deterministic_id=True)
    return output.getvalue()


def timed(step: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = step()
    return result, time.perf_counter() - started


def main() -> None:
    """Render, merge three ways, and print the table."""
    import tempfile

    from bench_build import large_pack

    from briefpack.build.chosen_settings import resolve_settings
    from briefpack.content.validate import load_pack
    from briefpack.render.book.join import share_fonts

    folder = Path(tempfile.mkdtemp(prefix="briefpack-bench-parts-"))
    (folder / "large.yaml").write_text(large_pack(), encoding="utf-8")
    pack = load_pack(folder / "large.yaml")
    settings = resolve_settings(pack, {})
    whole, whole_seconds = timed(lambda: render(pack, settings))
    ids = [session.id for session in pack.sessions]
    naive_parts, naive_seconds = timed(
        lambda: [render(pack, replace(settings, session=i)) for i in ids]
    )
    full_parts, full_seconds = timed(
        lambda: [render(pack, replace(settings, session=i), full_fonts=True) for i in ids]
    )
    naive = saved(merge(naive_parts))
    book = merge(full_parts)
    fonts, dedupe_seconds = timed(lambda: deduplicate(book))
    deduplicated = saved(book)
    book = merge(naive_parts)
    font_files = sorted(settings.chosen_theme.folder.rglob("*.ttf"))
    _, subset_seconds = timed(lambda: share_fonts(book, font_files))
    subset = saved(book)
    base = len(whole)
    print(f"the 40 x 10 pack: one document, and {len(ids)} session parts merged")
    print()
    print("| PDF | size | of one document | time |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| one document | {base / 1024:.0f} KB | 1.00x | render {whole_seconds:.1f} s |")
    rows = [
        ("parts, naive merge", naive, f"render {naive_seconds:.1f} s"),
        ("parts, full fonts, deduplicated", deduplicated, f"render {full_seconds:.1f} s, "
         f"dedupe {dedupe_seconds:.2f} s ({fonts} fonts)"),
        ("parts, one subset per font", subset, f"subset at assembly {subset_seconds:.2f} s"),
    ]  # fmt: skip
    for name, data, cost in rows:
        print(f"| {name} | {len(data) / 1024:.0f} KB | {len(data) / base:.2f}x | {cost} |")
    per_part = statistics.median([len(part) for part in naive_parts]) / 1024
    print()
    print(f"median part (naive): {per_part:.0f} KB")
    print()
    book_steps(pack, settings)


def book_steps(pack: Any, settings: Any) -> None:
    """briefpack's own book, step by step (warm), against its single render (tagged)."""
    from briefpack.render.book import parts
    from briefpack.render.book.steps import count_pages, join_book, render_part
    from briefpack.render.pdf import render_pdf

    render_pdf(pack, settings)  # warm: fonts and stylesheet loaded
    single, single_seconds = timed(lambda: render_pdf(pack, settings).data)
    specs = parts.body_parts(pack, settings)
    front, front_seconds = timed(lambda: render_part(pack, settings, specs[0]))
    sessions = []
    session_seconds = []
    for spec in specs[1:]:
        part, seconds = timed(lambda spec=spec: render_part(pack, settings, spec))
        sessions.append(part)
        session_seconds.append(seconds)
    counted, count_seconds = timed(
        lambda: count_pages(pack, settings, parts.contents_part(pack, settings))
    )
    page_of = parts.contents_page_of(front.pages, counted.pages, sessions)
    contents_spec = parts.contents_part(pack, settings, page_of)
    contents, contents_seconds = timed(lambda: render_part(pack, settings, contents_spec))
    ordered = [front, contents, *sessions]
    total = sum(part.pages for part in ordered)
    numbers, numbers_seconds = timed(
        lambda: render_part(pack, settings, parts.numbers_part(pack, settings, total))
    )
    join = parts.JoinSpec(
        tuple(part.to_bytes() for part in ordered), numbers.pdf, parts.nested_parts(pack, settings)
    )
    book, join_seconds = timed(lambda: join_book(pack, settings, join).data)
    print("briefpack's book of the same pack, tagged, step by step (warm, one process):")
    print()
    print("| step | time |")
    print("| --- | ---: |")
    rows = [
        ("one document (the single render)", single_seconds),
        ("front matter", front_seconds),
        (f"one session part (median of {len(sessions)})", statistics.median(session_seconds)),
        (f"all {len(sessions)} session parts", sum(session_seconds)),
        (f"contents counted ({counted.pages} pages, layout only)", count_seconds),
        ("contents numbered", contents_seconds),
        (f"footers ({total} pages)", numbers_seconds),
        ("join", join_seconds),
    ]
    for name, seconds in rows:
        print(f"| {name} | {seconds:.2f} s |")
    print()
    print(
        f"book {len(book) / 1024:.0f} KB, single render {len(single) / 1024:.0f} KB: "
        f"{len(book) / len(single):.2f}x (target <= 1.15x)"
    )


if __name__ == "__main__":
    main()
