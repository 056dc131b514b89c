"""Benchmark: builds with HarfBuzz's font subsetter against fontTools, WeasyPrint's fallback.

Run with ``nox -s bench`` (or ``python benchmarks/bench_subsetter.py``). Both
sides run in this one process tree, side by side: the fallback is forced by
hiding HarfBuzz's subsetter from WeasyPrint in the child process, as on a
machine without Debian's ``libharfbuzz-subset0``. Targets:

* a cold build of the bundled pack takes at most 1.3x as long with fontTools;
* the full pack's PDF is at most 1.5x its size with HarfBuzz.

It also says where the time goes: the seconds WeasyPrint spends subsetting
the fonts of the full pack's PDF, with each subsetter, in a warm process.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from bench_build import BUNDLED, timed

#: Python code run before the CLI: the fallback hides HarfBuzz's subsetter from WeasyPrint.
SUBSETTERS = {
    "HarfBuzz": "",
    "fontTools": "import weasyprint.pdf.fonts as fonts; fonts.harfbuzz_subset = None\n",
}
RUN_CLI = "from briefpack.cli import main\nmain()\n"

#: Renders the full pack three times in one process, timing WeasyPrint's font subsetting.
PROFILE_SUBSETTING = """
import json, logging, os, sys, time
from pathlib import Path
import weasyprint.pdf.fonts as fonts
from briefpack.render.pdf import render_pdf
from briefpack.build.chosen_settings import resolve_settings
from briefpack.content.validate import load_pack

spent = []
real_subset = fonts.Font.subset
def subset(self, *args):
    started = time.perf_counter()
    real_subset(self, *args)
    spent[-1] += time.perf_counter() - started
fonts.Font.subset = subset
logging.getLogger("weasyprint").setLevel(logging.ERROR)
pack = load_pack(Path(sys.argv[1]))
settings = resolve_settings(pack, os.environ)
totals = []
for _ in range(3):
    spent.append(0.0)
    started = time.perf_counter()
    render_pdf(pack, settings)
    totals.append(time.perf_counter() - started)
print(json.dumps({"render": sorted(totals)[1], "subset": sorted(spent)[1]}))
"""


def build_command(subsetter: str, pack: Path, out: Path) -> list[str]:
    code = SUBSETTERS[subsetter] + RUN_CLI
    return [sys.executable, "-c", code, "build", str(pack), "-o", str(out), "-q"]


def main() -> None:
    """Measure both subsetters and print the table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    runs = parser.parse_args().runs

    import weasyprint.pdf.fonts

    if weasyprint.pdf.fonts.harfbuzz_subset is None:
        raise SystemExit("HarfBuzz's subsetter is missing: install libharfbuzz-subset0 to compare")

    work = Path(tempfile.mkdtemp(prefix="briefpack-subsetter-"))
    try:
        pack = work / BUNDLED.name
        shutil.copy(BUNDLED, pack)
        cold: dict[str, float] = {}
        size: dict[str, int] = {}
        profile: dict[str, dict[str, float]] = {}
        # Alternate the two sides run by run, so that the machine's mood hits both alike.
        samples: dict[str, list[float]] = {name: [] for name in SUBSETTERS}
        for _ in range(runs):
            for name in SUBSETTERS:
                out = work / f"out-{name}"
                shutil.rmtree(out, ignore_errors=True)
                samples[name].append(timed(build_command(name, pack, out))[0])
        for name in SUBSETTERS:
            cold[name] = statistics.median(samples[name])
            pdf = work / f"out-{name}" / pack.stem / f"{pack.stem}.pdf"
            size[name] = pdf.stat().st_size
            measured = subprocess.run(
                [sys.executable, "-c", SUBSETTERS[name] + PROFILE_SUBSETTING, str(pack)],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "SOURCE_DATE_EPOCH": "0"},
            )
            profile[name] = json.loads(measured.stdout)

        time_ratio = cold["fontTools"] / cold["HarfBuzz"]
        size_ratio = size["fontTools"] / size["HarfBuzz"]
        print(
            f"font subsetter benchmark: {platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}, fontTools {metadata.version('fontTools')}, "
            f"medians of {runs}"
        )
        print()
        print("| measurement | HarfBuzz | fontTools | ratio | target |")
        print("| --- | --- | --- | --- | --- |")
        print(
            f"| cold build, bundled pack (10 outputs) | {cold['HarfBuzz']:.2f} s "
            f"| {cold['fontTools']:.2f} s | {time_ratio:.2f}x "
            f"| {'PASS' if time_ratio <= 1.3 else 'MISS'} (<= 1.3x) |"
        )
        print(
            f"| full pack's PDF | {size['HarfBuzz'] / 1024:.1f} KB "
            f"| {size['fontTools'] / 1024:.1f} KB | {size_ratio:.2f}x "
            f"| {'PASS' if size_ratio <= 1.5 else 'MISS'} (<= 1.5x) |"
        )
        for key, label in (("render", "full pack, warm render"), ("subset", "of which subsetting")):
            print(
                f"| {label} | {profile['HarfBuzz'][key]:.3f} s "
                f"| {profile['fontTools'][key]:.3f} s | | |"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
