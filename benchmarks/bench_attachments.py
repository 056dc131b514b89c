"""Benchmark of pre-reads: a 500-page attachment merged into a book, and the library choice.

Run with ``nox -s bench`` (or ``python benchmarks/bench_attachments.py``).

1. **Libraries.** Draw each page of a 500-page PDF under each page of a
   500-page book, scaled into the area between the margins, and save: with
   pikepdf (``Page.add_underlay``, what briefpack uses) and with pypdf
   (``merge_transformed_page``). Time, peak memory and output size, each in a
   fresh process.
2. **Builds.** ``briefpack build`` of the bundled pack's PDF alone (``-j1``),
   without and with a 500-page pre-read under its second session: time and
   the render worker's peak memory.

Target: the 500-page pre-read merges (no limit hit), and adds little beyond
laying out its 500 pages.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench_build import clean_environment

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "content" / "aws-devex-2025.yaml"
PAGES = 500
#: Seconds, peak memory in MB, output size in bytes.
Measure = tuple[float, float, int]

MERGE = r"""
import io, resource, sys, time
which, book, attachment = sys.argv[1:4]
started = time.perf_counter()
if which == "pikepdf":
    import pikepdf
    with pikepdf.open(book) as base, pikepdf.open(attachment) as other:
        for index, page in enumerate(base.pages):
            left, bottom, right, top = (float(v) for v in page.mediabox)
            area = pikepdf.Rectangle(left, bottom + 68, right, top - 62)
            page.add_underlay(other.pages[index], area)
        output = io.BytesIO()
        base.save(output, deterministic_id=True)
else:
    from pypdf import PdfReader, PdfWriter, Transformation
    base = PdfWriter(clone_from=book)
    other = PdfReader(attachment)
    for index, page in enumerate(base.pages):
        drawn = other.pages[index]
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        wide, high = float(drawn.mediabox.width), float(drawn.mediabox.height)
        scale = min(width / wide, (height - 130) / high)
        offset = (width - wide * scale) / 2
        page.merge_transformed_page(
            drawn, Transformation().scale(scale).translate(offset, 68), over=False
        )
    output = io.BytesIO()
    base.write(output)
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{elapsed} {peak} {len(output.getvalue())}")
"""


def make_pdf(path: Path, pages: int, words: int) -> None:
    """A PDF of ``pages`` A4 pages of Helvetica text, ``words`` lines on each."""
    import pikepdf

    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    for number in range(1, pages + 1):
        page = pdf.add_blank_page(page_size=(595, 842))
        page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        lines = [f"BT /F1 18 Tf 72 780 Td (Pre-read page {number}) Tj ET"]
        lines += [
            f"BT /F1 10 Tf 72 {750 - 14 * row} Td (Lorem ipsum dolor sit amet, line {row}) Tj ET"
            for row in range(words)
        ]
        page.obj.Contents = pdf.make_stream("\n".join(lines).encode("ascii"))
    pdf.save(path)


def median_of(runs: int, measure: Callable[[], Measure]) -> Measure:
    results = [measure() for _ in range(runs)]
    return (
        statistics.median(r[0] for r in results),
        statistics.median(r[1] for r in results),
        results[0][2],
    )


def merge(which: str, book: Path, attachment: Path) -> tuple[float, float, int]:
    output = subprocess.run(
        [sys.executable, "-c", MERGE, which, str(book), str(attachment)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return float(output[0]), float(output[1]), int(output[2])


def build(pack: Path, out: Path) -> tuple[float, float, int]:
    """Seconds, the peak memory of its largest process (MB), and the PDF's size.

    Measured from a helper process of its own, so that the peak is this build's.
    """
    shutil.rmtree(out, ignore_errors=True)
    output = subprocess.run(
        [sys.executable, __file__, "--one-build", str(pack), str(out)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return float(output[0]), float(output[1]), (out / pack.stem / f"{pack.stem}.pdf").stat().st_size


def one_build(pack: Path, out: Path) -> None:
    started = time.perf_counter()
    subprocess.run(
        [
            *(sys.executable, "-m", "briefpack.cli", "build", str(pack), "-o", str(out)),
            *("-f", "pdf", "--no-sessions", "-j", "1", "-q"),
        ],
        check=True,
        capture_output=True,
        env=clean_environment(),
    )
    elapsed = time.perf_counter() - started
    print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--one-build", nargs=2, type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.one_build:
        one_build(*arguments.one_build)
        return
    runs = arguments.runs
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        attachment = root / "pre-reads" / "long.pdf"
        attachment.parent.mkdir()
        make_pdf(attachment, PAGES, words=40)
        book = root / "book.pdf"
        make_pdf(book, PAGES, words=0)
        rows = []
        for which in ("pikepdf", "pypdf"):
            seconds, peak, size = median_of(runs, lambda w=which: merge(w, book, attachment))
            rows.append((f"{PAGES}-page underlay, {which}", seconds, peak, size))

        text = BUNDLED.read_text(encoding="utf-8")
        plain = root / "plain.yaml"
        plain.write_text(text, encoding="utf-8")
        at = text.index("        questions:", text.index("      - label: Session 2"))
        with_pre_read = root / "book.yaml"
        with_pre_read.write_text(
            text[:at]
            + "        attachments:\n          - file: pre-reads/long.pdf\n"
            + "            title: A long pre-read\n"
            + text[at:],
            encoding="utf-8",
        )
        for label, pack in (
            ("bundled pack", plain),
            (f"with a {PAGES}-page pre-read", with_pre_read),
        ):
            seconds, peak, size = median_of(runs, lambda p=pack: build(p, root / "out"))
            rows.append((f"build -f pdf -j1, {label}", seconds, peak, size))
    print(f"{'measurement':<44} {'time':>8} {'peak memory':>12} {'output':>10}")
    for label, seconds, peak, size in rows:
        print(f"{label:<44} {seconds:>7.2f}s {peak:>9.0f} MB {size / 1024:>7.0f} KB")


if __name__ == "__main__":
    main()
