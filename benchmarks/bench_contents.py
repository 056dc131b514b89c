"""Issue 29, item 4: what the full pack's contents part costs to render, and its size.

Run alone (``python benchmarks/bench_contents.py [OUT.pdf]``; not yet in ``nox -s bench``):
the generated 40 x 10 pack's contents part (448 rows, each with a dotted leader),
rendered as a book renders it (tagged, numbered), warm, in one process: the median
of a few renders, in wall-clock and in CPU time (the CPU time moves less on a busy
machine), and the part's size.  The issue's targets: at most 1 s and 200 KB.
``OUT.pdf`` keeps the rendered part, to look at.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

RUNS = 5


def main() -> None:
    """Render the contents part of the 40 x 10 pack, warm, and print time and size."""
    from bench_build import large_pack

    from briefpack.build.chosen_settings import resolve_settings
    from briefpack.content.validate import load_pack
    from briefpack.render.book import parts
    from briefpack.render.book.steps import count_pages, render_part
    from briefpack.render.view.anchors import link_descriptions

    folder = Path(tempfile.mkdtemp(prefix="briefpack-bench-contents-"))
    (folder / "large.yaml").write_text(large_pack(), encoding="utf-8")
    pack = load_pack(folder / "large.yaml")
    settings = resolve_settings(pack, {})
    counting = parts.contents_part(pack, settings)
    counted = count_pages(pack, settings, counting)  # warm: fonts and stylesheet loaded
    pages = counted.pages
    page_of = dict.fromkeys(link_descriptions(pack, pack.options.language), 7)
    spec = parts.contents_part(pack, settings, page_of)
    wall, cpu = [], []
    data = b""
    for _ in range(RUNS):
        started, started_cpu = time.perf_counter(), time.process_time()
        data = render_part(pack, settings, spec).pdf
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    started = time.perf_counter()
    count_pages(pack, settings, counting)
    count_seconds = time.perf_counter() - started
    rows = spec.html.count('class="toc-title"') - 1  # less the header's cell
    print(f"the 40 x 10 pack's contents part: {rows} rows, {pages} pages")
    print()
    print("| step | wall | CPU | size |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| contents counted (layout only) | {count_seconds:.2f} s | | |")
    print(
        f"| contents numbered (median of {RUNS}) | {statistics.median(wall):.2f} s "
        f"| {statistics.median(cpu):.2f} s | {len(data) / 1024:.0f} KB |"
    )
    print()
    print("targets: at most 1 s and 200 KB")
    if len(sys.argv) > 1:
        Path(sys.argv[1]).write_bytes(data)


if __name__ == "__main__":
    main()
