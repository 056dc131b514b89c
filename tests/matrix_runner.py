"""One combination of the matrix: write its pack, build it, and run every checker on its outputs.

Run as a process of its own (``python tests/matrix_runner.py FOLDER SPEC THEME``)
by :mod:`test_matrix`, so that several combinations build and are checked at
once on all the machine's cores, whether or not pytest runs on several
processes itself.  It writes ``FOLDER/findings.json``: for each check, each
output's findings (file paths relative to the pack's output folder), and
an empty list where an output passed, so the test can tell "passed" from
"never looked at".
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # run as a script: the helpers beside it
    sys.path.insert(0, str(HERE))

import board_pack  # noqa: E402
import layout_rules  # noqa: E402
from checkers import claimed_profiles, docx_findings, pdf_findings  # noqa: E402

REPO = HERE.parent
BUNDLED_PACK = REPO / "content" / "aws-devex-2025.yaml"

#: The layout rules, each a check of its own: a failure names the rule.
LAYOUT_RULES: dict[str, Callable[[layout_rules.Layout], list[layout_rules.Violation]]] = {
    "split-questions": layout_rules.split_questions,
    "sparse-pages": layout_rules.sparse_pages,
    "running-lines": layout_rules.running_lines,
    "outside-or-overlapping": layout_rules.outside_or_overlapping,
}
#: Every check a combination's test asks about, in the order the tests list them.
CHECKS = ("build", "warnings", "pdf-standards", "docx-audit", *LAYOUT_RULES)
#: What a pack may rightly warn about: an untagged pre-read cannot be read aloud, and a
#: language without a catalogue (ja) is built in English.
EXPECTED_WARNINGS = re.compile(r"aloud|has no labels in")
#: The pre-reads' titles, so that the layout rules know them from questions.
PRE_READS = ("Minutes of the Meeting of 17 March 2026", "The Auditor's Management Letter")


@dataclass(frozen=True)
class Combination:
    """One build: which pack, and the value of every option."""

    pack: str  # "board" or "bundled"
    language: str
    theme: str  # "executive", "classic" or "own" (a theme folder of the tests')
    paper: str
    variant: str  # --pdf-variant
    notes: bool
    answers: bool  # --answer-fields
    recipients: bool  # --per-recipient
    changes: bool  # --changes-since an earlier copy
    debrief: bool  # harvested answers beside the pack, so a debrief is written
    sessions: bool  # the session packs (--no-sessions when false)

    @property
    def id(self) -> str:
        """A readable name: pack, language, theme, paper, variant, then the options that are on."""
        variant = self.variant.replace("pdf/", "").replace("-", "")
        flags = [
            name
            for name, on in (
                ("notes", self.notes), ("fields", self.answers), ("recipients", self.recipients),
                ("changes", self.changes), ("debrief", self.debrief), ("sessions", self.sessions),
            )
            if on
        ]  # fmt: skip
        return "-".join([self.pack, self.language, self.theme, self.paper, variant, *flags])

    @property
    def name(self) -> str:
        """The pack file's stem, which names its output folder."""
        return board_pack.NAME if self.pack == "board" else BUNDLED_PACK.stem


# ------------------------------------------------------------------ the bundled pack's variants

#: Two readers of the bundled pack, one kept out of AgentCore (as in test_recipients).
BUNDLED_RECIPIENTS = (
    "recipients:\n  - name: Jane Doe\n  - name: Omar Haddad\n    exclude: [agentcore]\n"
)
#: From the earlier copy to the bundled pack: (earlier text, bundled text).
BUNDLED_EDITS = (
    # a question changed
    ("defining SLIs", "defining meaningful SLIs"),
    # a speaker's role changed
    ("role: GenAI Specialist, GTM", "role: Sr GenAI Specialist, GTM"),
    # a session's time changed
    ('start: "11:00"\n        end: "12:00"', 'start: "11:15"\n        end: "12:15"'),
)
#: A question the earlier copy had and the bundled pack dropped.
REMOVED = (
    "          - title: Cost of Idle Environments\n"
    "            question: How much do idle development environments cost us each month?\n"
)
#: Harvested answers to two of the bundled pack's questions.
BUNDLED_ANSWERS = {
    "Observability & Reliability Engineering": (
        "Start from the user journeys; one SLO per journey.\nReview the budget weekly.",
        "Send the workbook.",
    ),
    "Multi-Agent Orchestration at Scale": ("Use a supervisor agent, then measure.", None),
}


def write_bundled(folder: Path, combination: Combination) -> Path:
    """The bundled pack, with the combination's language and, if asked for, two recipients."""
    text = BUNDLED_PACK.read_text(encoding="utf-8")
    if combination.recipients:
        text = text.replace("\ndays:", "\n" + BUNDLED_RECIPIENTS + "days:", 1)
    if combination.language != "en":
        text += f"\noptions:\n  language: {combination.language}\n"
    path = folder / BUNDLED_PACK.name
    path.write_text(text, encoding="utf-8")
    return path


def write_bundled_earlier(folder: Path, pack: Path) -> Path:
    """The version the bundled pack replaced: a question changed, one removed, one added,
    a speaker's role and a session's time changed."""
    text = pack.read_text(encoding="utf-8")
    for earlier, now in BUNDLED_EDITS:
        assert now in text, now
        text = text.replace(now, earlier, 1)
    # The last question of Session 4 was added since: the earlier copy lacks it.
    added = text.index("          - title: The Future of AI-Driven DevOps and Developer Experience")
    options = text.find("\noptions:", added)
    text = text[:added] + REMOVED + (text[options:] if options >= 0 else "")
    path = folder / f"{pack.stem}-earlier.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ building


def write_inputs(folder: Path, combination: Combination) -> tuple[Path, Path | None]:
    """The pack file (and its earlier copy, for --changes-since) of the combination."""
    content = folder / "content"
    content.mkdir(parents=True, exist_ok=True)
    earlier = None
    if combination.pack == "board":
        options = {"language": combination.language} if combination.language != "en" else None
        pack = board_pack.write_board_pack(content, options)
        if combination.changes:
            earlier = board_pack.write_earlier_copy(content, options)
        if combination.debrief:
            board_pack.write_answers(pack)
    else:
        pack = write_bundled(content, combination)
        if combination.changes:
            earlier = write_bundled_earlier(content, pack)
        if combination.debrief:
            board_pack.write_answers(pack, answers=BUNDLED_ANSWERS, source="aws-devex-2025.docx")
    return pack, earlier


def build_command(
    combination: Combination, pack: Path, earlier: Path | None, out: Path, theme: Path, jobs: int
) -> list[str]:
    """``briefpack build`` with the combination's options, each said explicitly."""
    command = [
        sys.executable, "-c", "from briefpack.cli import main; main()",
        "build", str(pack), "-o", str(out), "-j", str(jobs),
        "--paper", combination.paper,
        "--pdf-variant", combination.variant,
        "--theme", str(theme) if combination.theme == "own" else combination.theme,
        "--notes" if combination.notes else "--no-notes",
        "--answer-fields" if combination.answers else "--no-answer-fields",
        "--per-recipient" if combination.recipients else "--no-per-recipient",
    ]  # fmt: skip
    if earlier is not None:
        command += ["--changes-since", str(earlier)]
    if not combination.sessions:
        command.append("--no-sessions")
    return command


def expected_outputs(combination: Combination, pack: Path) -> list[str]:
    """What the build must write, as patterns relative to the pack's output folder."""
    from briefpack.content.validate import load_pack

    loaded = load_pack(pack)
    name = combination.name
    kinds = [name]
    if combination.changes:
        kinds.append(f"{name}.changes")
    if combination.debrief:
        kinds.append(f"{name}.debrief")
    if combination.sessions:
        kinds += [f"sessions/{n:02d}-{s.id}" for n, s in enumerate(loaded.sessions, start=1)]
    expected = [f"{kind}{suffix}" for kind in kinds for suffix in (".pdf", ".docx")]
    if combination.recipients:
        expected += [
            f"recipients/*{suffix} x{len(loaded.recipients)}" for suffix in (".pdf", ".docx")
        ]
    return expected


def build_findings(
    combination: Combination, pack: Path, out: Path, result: subprocess.CompletedProcess[str]
) -> list[str]:
    """A failed build, or an output it should have written and did not."""
    findings = []
    if result.returncode != 0:
        findings.append(f"build exited with {result.returncode}:\n{result.stderr[-4000:]}")
    written = {str(p.relative_to(out)) for p in out.rglob("*") if p.suffix in (".pdf", ".docx")}
    for expected in expected_outputs(combination, pack):
        if " x" in expected:
            pattern, count = expected.split(" x")
            found = [p for p in written if Path(p).match(pattern)]
            if len(found) != int(count):
                findings.append(f"expected {count} files {pattern}, found {sorted(found)}")
        elif expected not in written:
            findings.append(f"{expected} was not written")
    return findings


def pdf_standard_findings(combination: Combination, path: Path) -> list[str]:
    """What ``page`` finds, and a PDF that does not claim the standard asked for."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        claims = claimed_profiles(pdf)
    wanted = {"pdf/ua-1": "ua1", "pdf/a-2b": "2b"}[combination.variant]
    missing = [] if wanted in claims else [f"claims {claims}, not {wanted} as asked"]
    return missing + pdf_findings(path)


def layout_findings(path: Path) -> dict[str, list[str]]:
    """Each layout rule's violations in the PDF at ``path``; a rule that fails to run is one."""
    found: dict[str, list[str]] = {}
    try:
        layout = layout_rules.read_layout(path, PRE_READS)
    except Exception as error:  # a PDF the rules cannot read breaks every rule
        return {rule: [f"could not read the layout: {error!r}"] for rule in LAYOUT_RULES}
    try:
        for rule, check in LAYOUT_RULES.items():
            try:
                found[rule] = [str(violation) for violation in check(layout)]
            except Exception as error:
                found[rule] = [f"the rule failed to run: {error!r}"]
    finally:
        layout.pdf.close()
    return found


def run(folder: Path, combination: Combination, theme: Path, jobs: int = 1) -> dict[str, Any]:
    """Write, build and check one combination; the findings, also written to findings.json."""
    started = time.monotonic()
    pack, earlier = write_inputs(folder, combination)
    out_root = folder / "out"
    result = subprocess.run(
        build_command(combination, pack, earlier, out_root, theme, jobs),
        capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    built = time.monotonic()
    out = out_root / combination.name
    checks: dict[str, dict[str, list[str]]] = {check: {} for check in CHECKS}
    checks["build"]["(build)"] = build_findings(combination, pack, out, result)
    checks["warnings"]["(build)"] = [
        line
        for line in result.stderr.splitlines()
        if "warning:" in line and not EXPECTED_WARNINGS.search(line)
    ]
    for path in sorted(out.rglob("*.pdf")):
        name = str(path.relative_to(out))
        checks["pdf-standards"][name] = pdf_standard_findings(combination, path)
        for rule, lines in layout_findings(path).items():
            checks[rule][name] = lines
    for path in sorted(out.rglob("*.docx")):
        checks["docx-audit"][str(path.relative_to(out))] = docx_findings(path)
    findings = {
        "combination": asdict(combination),
        "checks": checks,
        "seconds": {"build": built - started, "checks": time.monotonic() - built},
        # Processor time, which the machine's other load does not stretch as it does the above.
        "cpu": {"build": _cpu(resource.RUSAGE_CHILDREN), "checks": _cpu(resource.RUSAGE_SELF)},
    }
    (folder / "findings.json").write_text(json.dumps(findings, indent=1), encoding="utf-8")
    return findings


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def write_theme(folder: Path) -> Path:
    """A theme of the tests' own: ``briefpack theme init``, then another accent, font and size."""
    subprocess.run(
        [sys.executable, "-c", "from briefpack.cli import main; main()", "theme", "init",
         str(folder)],
        check=True, capture_output=True,
    )  # fmt: skip
    theme = folder / "theme.yaml"
    text = theme.read_text(encoding="utf-8")
    for before, after in (
        ('accent: "#0b4a7d"', 'accent: "#7a1f3d"'),
        ('surface: "#edf3f9"', 'surface: "#f6eef1"'),
        # The body in the sans serif the headings use, a size larger, under a deeper margin.
        ("    regular: fonts/NotoSerif-Regular.ttf", "    regular: fonts/Inter-Regular.ttf"),
        ("    bold: fonts/NotoSerif-Bold.ttf", "    bold: fonts/Inter-SemiBold.ttf"),
        ("  question: 11.5", "  question: 12.5"),
        ("  top: 22", "  top: 28"),
    ):
        assert before in text, f"theme init no longer writes {before!r}"
        text = text.replace(before, after, 1)
    theme.write_text(text, encoding="utf-8")
    return folder


def end_with_parent() -> None:
    """End this runner's process group, its build included, when the pytest that started it dies.

    Nothing of a test run may outlive it: a pytest killed mid-run would
    otherwise leave its matrix builds running on.
    """
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os.killpg(os.getpgid(0), signal.SIGTERM)

    threading.Thread(target=watch, daemon=True).start()


def main() -> None:
    end_with_parent()
    folder, spec, theme, jobs, niceness = [*sys.argv[1:6], "0"][:5]
    # Started in the background while other tests run, it may yield to them.
    os.nice(int(niceness))
    combination = Combination(**json.loads(spec))
    if (Path(folder) / "content").exists():
        shutil.rmtree(Path(folder) / "content")
    run(Path(folder), combination, Path(theme), int(jobs))


if __name__ == "__main__":
    main()
