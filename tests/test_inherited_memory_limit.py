"""--memory-limit under a shell's lower hard limit (``ulimit -v``): the hard limit holds, said so.

Only root may raise a hard limit, so a worker asking for more than it
inherited got a ``ValueError`` traceback, and a render stopped at the limit
advised raising --memory-limit, which could not help.  Each case runs in a
child process started under ``ulimit -v``: the test's own limit cannot be
lowered and raised again.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import MINIMAL_PACK

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="bash's ulimit -v")

#: The shell's hard limit in KiB, as `ulimit -v` takes it: below the default --memory-limit.
CEILING_KIB = 3_000_000


def under_ceiling(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``command`` run by a shell whose hard address-space limit is :data:`CEILING_KIB`."""
    script = f'ulimit -v {CEILING_KIB}; exec "$@"'
    return subprocess.run(
        ["bash", "-c", script, "bash", *command],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_build_under_a_lower_hard_limit_renders_within_it(tmp_path: Path) -> None:
    (tmp_path / "pack.yaml").write_text(MINIMAL_PACK, encoding="utf-8")
    done = under_ceiling(
        sys.executable, "-m", "briefpack.cli", "build", "pack.yaml", "-o", "out",
        "-f", "html", "--no-sessions", "--memory-limit", "4GB",
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "not allowed to raise maximum limit" not in done.stderr
    assert (tmp_path / "out" / "pack" / "pack.html").is_file()


POOL = textwrap.dedent(
    """
    import resource, sys
    from briefpack.build.render_limits import Limits
    from briefpack.build.workers import WorkerPool

    def limit(job):
        return repr(resource.getrlimit(resource.RLIMIT_AS)).encode(), None

    def hungry(job):
        raise MemoryError

    render = limit if sys.argv[1] == "limit" else hungry
    with WorkerPool(1, render, Limits(memory=4 * 1024**3), describe=str) as pool:
        ((_, outcome, _),) = pool.run(["pack.pdf"])
    print(outcome[0].decode() if isinstance(outcome, tuple) else outcome)
    """
)


def test_a_worker_takes_the_inherited_hard_limit_as_its_soft_and_hard_limit(
    tmp_path: Path,
) -> None:
    done = under_ceiling(sys.executable, "-c", POOL, "limit", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == repr((CEILING_KIB * 1024, CEILING_KIB * 1024))


def test_a_render_stopped_at_the_inherited_limit_names_it_and_not_the_option(
    tmp_path: Path,
) -> None:
    done = under_ceiling(sys.executable, "-c", POOL, "hungry", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "pack.pdf: needed more memory than the limit of 2.9 GB, the hard limit (ulimit -v) "
        "briefpack was started under, below --memory-limit (only the shell that set it can "
        "raise it)"
    )
    assert "--memory-limit raises it" not in done.stdout
