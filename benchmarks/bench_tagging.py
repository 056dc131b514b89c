"""Benchmark of tagging: the bundled pack's PDF tagged (PDF/UA-1) against untagged.

Run with ``nox -s bench`` (or ``python benchmarks/bench_tagging.py``): both in
one warm process, alternating, the median of several runs.  Target: tagging
costs at most 15 % more.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs

    from briefpack.build.chosen_settings import resolve_settings
    from briefpack.content.validate import load_pack
    from briefpack.render.pdf import render_pdf

    pack = load_pack(REPO / "content" / "aws-devex-2025.yaml")
    settings = resolve_settings(pack, {})
    render_pdf(pack, settings)  # warm: fonts and stylesheet loaded once per process
    times: dict[str, list[float]] = {"none": [], "pdf/ua-1": []}
    for _ in range(runs):
        for variant, measured in times.items():
            started = time.perf_counter()
            render_pdf(pack, replace(settings, pdf_variant=variant))
            measured.append(time.perf_counter() - started)
    untagged, tagged = (statistics.median(times[v]) for v in ("none", "pdf/ua-1"))
    print(f"bundled pack PDF: untagged {untagged:.2f} s, tagged (PDF/UA-1) {tagged:.2f} s, ")
    print(f"tagging costs {100 * (tagged / untagged - 1):+.1f} % (target: at most +15 %)")


if __name__ == "__main__":
    main()
