"""Builds shared between tests: made once per run (or per pytest-xdist worker) and reused.

Loaded as a plugin (``pytest_plugins = ["shared_builds"]`` in conftest.py), so that:

* the combination matrix (:mod:`test_matrix`) starts building as soon as
  collection ends, in the background and at a low priority, rather than when
  its first test runs: its builds fill the time the rest of the suite leaves the
  cores idle (waiting on subprocesses, timers and sockets), and the matrix's
  tests find them done;
* a test that only reads the bundled pack's default outputs, or that needs its
  own copy of them to rebuild, takes them from one build (:func:`bundled_build`)
  instead of building the pack again.

Each combination of the matrix is claimed by a lock file in a folder every
pytest process of the run shares, so under pytest-xdist each is built once,
by whichever worker claims it first.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from matrix_runner import Combination, write_theme

HERE = Path(__file__).resolve().parent
BUNDLED_PACK = HERE.parent / "content" / "aws-devex-2025.yaml"
#: Seconds a combination may take to build and check before its tests give up on it.
TIMEOUT = 1200


class Matrix:
    """The combinations' builds, each run once by whichever process claims it first.

    A build's claim is a file created exclusively in a folder every pytest
    process of the run shares; the claimant writes ``findings.json`` when done
    (or ``crashed.txt``), and a process that needs a combination another one
    claimed waits for it.
    """

    def __init__(self, root: Path, theme: Path, processes: int) -> None:
        self.root = root
        self.theme = theme
        #: Raised when the builds run beside other tests, which then come first.
        self.niceness = 0
        self.pool = ThreadPoolExecutor(max_workers=processes, thread_name_prefix="matrix")
        self.futures: dict[str, Future[None]] = {}

    def start(self, combinations: Iterable[Combination]) -> None:
        """Claim and build, in the given order, each combination no process has claimed."""
        for combination in combinations:
            if combination.id not in self.futures:
                self.futures[combination.id] = self.pool.submit(self._build, combination)

    def _build(self, combination: Combination) -> None:
        folder = self.root / combination.id
        try:
            os.close(os.open(self.root / f"{combination.id}.claim", os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return  # another process builds it
        folder.mkdir()
        command = [
            sys.executable, str(HERE / "matrix_runner.py"),
            str(folder), json.dumps(asdict(combination)), str(self.theme), "1", str(self.niceness),
        ]  # fmt: skip
        # A session of its own: when this pytest dies, the runner ends its whole group
        # (matrix_runner.end_with_parent), its build included, and nothing else.
        result = subprocess.run(
            command, capture_output=True, text=True, check=False, start_new_session=True
        )
        if result.returncode != 0:
            (folder / "crashed.txt").write_text(result.stdout + result.stderr, encoding="utf-8")

    def findings(self, combination: Combination) -> dict[str, Any]:
        """The combination's findings, once it is built (here or by another process)."""
        self.start([combination])
        folder = self.root / combination.id
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if (folder / "findings.json").exists():
                found: dict[str, Any] = json.loads(
                    (folder / "findings.json").read_text(encoding="utf-8")
                )
                return found
            if (folder / "crashed.txt").exists():
                pytest.fail((folder / "crashed.txt").read_text(encoding="utf-8")[-6000:])
            future = self.futures[combination.id]
            if future.done() and future.exception() is not None:
                raise AssertionError(f"{combination.id} could not be built") from future.exception()
            time.sleep(0.5)
        pytest.fail(f"{combination.id} was not built and checked within {TIMEOUT} s")

    def close(self) -> None:
        """Start no more builds; wait for those running (their processes end with them)."""
        self.pool.shutdown(wait=True, cancel_futures=True)


_matrix: Matrix | None = None


def _shared_root(factory: pytest.TempPathFactory, name: str) -> Path:
    """A folder all of this run's pytest processes see: above the workers' own under xdist."""
    base = factory.getbasetemp()
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / name
    root.mkdir(exist_ok=True)
    return root


def the_matrix(factory: pytest.TempPathFactory, every_process: bool = False) -> Matrix:
    """This process's :class:`Matrix`, made on first use, with the theme the combinations share.

    ``every_process``: every pytest process of the run builds (the plugin's hook
    runs in each xdist worker), so each takes its share of the cores; otherwise
    this process alone builds, on all of them.
    """
    global _matrix
    if _matrix is None:
        root = _shared_root(factory, "matrix")
        # Its outputs are checked by the matrix's own tests, file by file: conftest's
        # check of each test's new folders is not to report them against another test.
        import conftest

        getattr(conftest, "_CHECKED_FOLDERS", set()).add(root.name)
        # One process of the run writes the theme; the others wait for it under the lock.
        with open(root / "theme.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            theme = root / "theme"
            if not (theme / "theme.yaml").exists():
                write_theme(theme)
        workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) if every_process else 1
        _matrix = Matrix(root, theme, processes=max(1, (os.cpu_count() or 1) // workers))
    return _matrix


def _combination(item: pytest.Item) -> object:
    """The combination a matrix test asks about; None for any other test."""
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("combination") if callspec is not None else None


def _selected_combinations(items: Iterable[pytest.Item]) -> list[Combination]:
    """The combinations the run's selected tests ask about, in the order of the tests."""
    found: dict[str, Combination] = {}
    for item in items:
        combination = _combination(item)
        if isinstance(combination, Combination):
            found.setdefault(combination.id, combination)
    return list(found.values())


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the matrix's builds now, if any of its tests is to run, so they overlap the rest."""
    if _selected_combinations(session.items) and not session.config.option.collectonly:
        factory = session.config._tmp_path_factory  # type: ignore[attr-defined]
        matrix = the_matrix(factory, every_process=True)
        if any(not isinstance(_combination(item), Combination) for item in session.items):
            matrix.niceness = 10
        start_selected(matrix, session.items)


def start_selected(matrix: Matrix, items: Iterable[pytest.Item]) -> None:
    """Start building every combination that a selected test asks about, in the tests' order."""
    matrix.start(_selected_combinations(items))


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _matrix is not None:
        _matrix.close()


@pytest.fixture(scope="session")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> Matrix:
    """The matrix's builds (started at collection's end when this module is a plugin)."""
    return the_matrix(tmp_path_factory)


# ------------------------------------------------------------------ the bundled pack


@pytest.fixture(scope="session")
def bundled_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled pack built once with the defaults (PDF and Word, sessions): OUT/aws-devex-2025.

    Read it, never change it: a test that rebuilds copies it first (``shutil.copytree``);
    a build of the bundled pack into the copy finds every output up to date, as
    the copy is the same bytes with the same manifest.
    """
    from conftest import run

    root = tmp_path_factory.mktemp("bundled-build")
    content = root / "content"
    content.mkdir()
    pack = content / BUNDLED_PACK.name
    shutil.copyfile(BUNDLED_PACK, pack)
    code, _, err = run("build", str(pack), "-o", str(root / "out"), "-j", "2")
    assert code == 0, err
    return root / "out" / BUNDLED_PACK.stem
