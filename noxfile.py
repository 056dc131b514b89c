"""Developer sessions: ``nox -s tests``, ``nox -s lint``, ``nox -s typecheck``."""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "venv"
nox.options.sessions = ["tests", "lint", "typecheck"]


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite."""
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Check style and formatting with ruff."""
    session.install("ruff==0.17.6")  # the version pinned in pyproject.toml's dev extra
    session.run("ruff", "check", "src", "tests", "benchmarks", "tools", "noxfile.py")
    session.run("ruff", "format", "--check", "src", "tests", "benchmarks", "tools", "noxfile.py")


@nox.session
def bench(session: nox.Session) -> None:
    """Measure build speed and memory (benchmarks/); prints a table with targets."""
    # typst and pypdf only for the comparisons; pandoc comes from the system when present.
    session.install("-e", ".[dask]", "typst", "pypdf")
    session.run("python", "benchmarks/bench_build.py", *session.posargs)
    session.run("python", "benchmarks/bench_compare.py", *session.posargs)
    session.run("python", "benchmarks/bench_subsetter.py", *session.posargs)
    session.run("python", "benchmarks/bench_attachments.py")
    session.run("python", "benchmarks/bench_changes.py")
    session.run("python", "benchmarks/bench_tagging.py")
    session.run("python", "benchmarks/bench_cluster.py")
    session.run("python", "benchmarks/bench_parts.py")
    session.run("python", "benchmarks/bench_contents.py")
    session.run("python", "benchmarks/bench_word_pages.py")
    # Issue 29: every output as single documents and from parts, side by side (--runs N).
    session.run("python", "benchmarks/bench_outputs.py", *session.posargs)


@nox.session
def typecheck(session: nox.Session) -> None:
    """Type-check the package with mypy --strict."""
    session.install("-e", ".[dev,dask]")
    session.run("mypy", "--strict", "src")
