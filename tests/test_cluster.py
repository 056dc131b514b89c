"""build --executor: renders on a Dask cluster give the same bytes, and lose nothing."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from briefpack.build.files import PARTS

from conftest import BUNDLED_PACK, run
from pdf_makers import make_pdf

distributed = pytest.importorskip("distributed")

# Dask's own sockets and its default dashboard port warn in passing; they are not ours.
pytestmark = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
    pytest.mark.filterwarnings("ignore:Port .* is already in use:UserWarning"),
]


@contextmanager
def local_cluster(workers: int, daemonic: bool) -> Iterator[Any]:
    """A scheduler and worker processes on loopback, as `dask worker` would start them.

    The daemon setting lasts while the cluster does: a nanny reads it again to
    restart a worker.
    """
    import dask

    with (
        dask.config.set({"distributed.worker.daemon": daemonic}),
        distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as local,
    ):
        yield local


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """Two workers, not daemonic: briefpack renders in a child process there."""
    with local_cluster(2, daemonic=False) as local:
        yield local


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def pack_with_files(root: Path) -> Path:
    """The bundled pack with a picture in a question and a pre-read: files that must travel."""
    from PIL import Image

    Image.new("RGB", (60, 40), (10, 80, 160)).save(root / "chart.png")
    make_pdf(root / "overview.pdf", 2)
    text = BUNDLED_PACK.read_text(encoding="utf-8")
    at = text.index("        questions:", text.index("      - label: Session 2"))
    attachment = (
        "        attachments:\n          - file: overview.pdf\n            title: Overview\n"
    )
    text = text[:at] + attachment + text[at:]
    picture = "question: >-\n              ![Revenue by quarter](chart.png)\n\n"
    assert "question: >-\n" in text
    text = text.replace("question: >-\n", picture, 1)
    pack = root / "pack.yaml"
    pack.write_text(text, encoding="utf-8")
    return pack


def test_the_cluster_writes_the_same_bytes_as_a_local_build(cluster: Any, tmp_path: Path) -> None:
    pack = pack_with_files(tmp_path)
    # A reader who does not get the second session: their pack is made from parts too.
    text = pack.read_text(encoding="utf-8")
    pack.write_text(text + "recipients:\n  - name: Ada Byron\n    exclude: [agentcore]\n")
    code, _, err = run("build", str(pack), "-o", str(tmp_path / "local"), "--per-recipient")
    assert code == 0, err
    code, _, err = run("build", str(pack), "-o", str(tmp_path / "cluster"), "--per-recipient",
                       "--executor", cluster.scheduler_address)  # fmt: skip
    assert code == 0, err
    local, remote = tree(tmp_path / "local"), tree(tmp_path / "cluster")
    outputs = [name for name in local if not name.startswith(PARTS)]
    # The manifest and the distribution record; each format of the pack, its sessions and
    # the reader's.
    assert len(outputs) == 2 + 2 * (1 + 4 + 1)
    # The outputs, and the parts kept for the next build, are the same.
    assert remote == local
    # The workers rendered from their own copies of the files, not from this folder.
    with distributed.Client(cluster.scheduler_address) as client:
        copies = client.run(
            lambda dask_worker: sorted(
                path.name
                for path in Path(dask_worker.local_directory, "briefpack-files").rglob("*")
            )
        )
    assert any("chart.png" in names and "overview.pdf" in names for names in copies.values())


def test_a_worker_killed_mid_job_loses_nothing(cluster: Any, tmp_path: Path) -> None:
    code, _, err = run("build", str(BUNDLED_PACK), "-o", str(tmp_path / "local"))
    assert code == 0, err
    command = [sys.executable, "-m", "briefpack.cli", "build", str(BUNDLED_PACK)]
    building = subprocess.Popen(
        [*command, "-o", str(tmp_path / "cluster"), "--executor", cluster.scheduler_address],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    killed = None
    with distributed.Client(cluster.scheduler_address) as client:
        deadline = time.monotonic() + 60
        while killed is None and time.monotonic() < deadline and building.poll() is None:
            busy = [worker for worker, tasks in client.processing().items() if tasks]
            if busy:
                pid = client.run(os.getpid, workers=busy[:1])[busy[0]]
                os.kill(pid, signal.SIGKILL)
                killed = pid
            time.sleep(0.02)
    _, err = building.communicate(timeout=240)
    assert killed is not None, "no job was seen running"
    assert building.returncode == 0, err
    assert tree(tmp_path / "cluster") == tree(tmp_path / "local")


def test_the_time_limit_holds_on_the_workers(cluster: Any, tmp_path: Path) -> None:
    code, out, err = run(
        "build", str(BUNDLED_PACK), "-o", str(tmp_path / "out"), "-f", "pdf", "--no-sessions",
        "--executor", cluster.scheduler_address, "--time-limit", "0.01",
    )  # fmt: skip
    assert code == 1
    assert "took longer than the time limit of 0.01 s" in out + err
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_an_unreachable_scheduler_is_one_clear_error(tmp_path: Path) -> None:
    code, out, err = run(
        "build", str(BUNDLED_PACK), "-o", str(tmp_path / "out"),
        "--executor", "tcp://127.0.0.1:9", "--connect-timeout", "1",
    )  # fmt: skip
    assert code == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in out + err
    assert "Traceback" not in out + err
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.pdf"))


def test_a_workers_address_is_not_taken_for_the_schedulers(cluster: Any, tmp_path: Path) -> None:
    worker = next(iter(cluster.scheduler_info["workers"]))
    code, out, err = run(
        "build", str(BUNDLED_PACK), "-o", str(tmp_path / "out"), "--executor", worker,
    )  # fmt: skip
    assert (code, out) == (1, "")
    where = worker.removeprefix("tcp://")
    assert err == (
        f"{where} answered, but as a Dask Worker, not a scheduler "
        f"(--executor {worker}): give the scheduler's address\n"
    )


def test_a_build_on_the_cluster_prints_nothing_of_dasks_own(cluster: Any, tmp_path: Path) -> None:
    # In a child process, to see standard error whole: Dask's loggers write there themselves.
    done = subprocess.run(
        [
            sys.executable, "-m", "briefpack.cli", "build", str(BUNDLED_PACK),
            "-o", str(tmp_path / "out"), "-f", "pdf", "--no-sessions",
            "--executor", cluster.scheduler_address,
        ],
        capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


def test_a_daemonic_worker_is_told_how_to_start_instead(tmp_path: Path) -> None:
    with local_cluster(1, daemonic=True) as daemonic:
        code, out, err = run(
            "build", str(BUNDLED_PACK), "-o", str(tmp_path / "out"), "-f", "pdf",
            "--no-sessions", "--executor", daemonic.scheduler_address,
        )  # fmt: skip
    assert code == 1
    assert "start workers with DASK_DISTRIBUTED__WORKER__DAEMON=False" in out + err
    assert "Traceback" not in out + err


def test_a_scheduler_without_workers_is_one_line_within_the_connect_timeout(
    tmp_path: Path,
) -> None:
    # Dask's scatter gave up after its own timeout: "internal error: TimeoutError".
    with local_cluster(0, daemonic=False) as empty:
        started = time.monotonic()
        code, out, err = run(
            "build", str(BUNDLED_PACK), "-o", str(tmp_path / "out"), "-f", "pdf",
            "--no-sessions", "--executor", empty.scheduler_address, "--connect-timeout", "2",
        )  # fmt: skip
        seconds = time.monotonic() - started
    assert (code, out) == (1, "")
    address = empty.scheduler_address
    assert err == (
        f"the Dask scheduler at {address} has no workers (none joined within 2 s): "
        f"start some with DASK_DISTRIBUTED__WORKER__DAEMON=False dask worker {address}\n"
    )
    assert seconds < 15
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.pdf"))


def test_an_ipv6_address_without_a_port_reaches_the_scheduler_on_the_default_port(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    from briefpack.build import scheduler

    try:
        socket.socket(socket.AF_INET6).close()
        with socket.create_server(("::1", 0), family=socket.AF_INET6):
            pass
    except OSError:
        pytest.skip("no IPv6 loopback here")
    with distributed.LocalCluster(
        n_workers=0, host="[::1]", dashboard_address=None, silence_logs=logging.ERROR
    ) as empty:
        port = int(empty.scheduler_address.rsplit(":", 1)[1])
        # The scheduler stands in for one on 8786, which a test cannot count on having.
        monkeypatch.setattr(scheduler, "DEFAULT_PORT", port)
        code, out, err = run(
            "build", str(BUNDLED_PACK), "-o", str(tmp_path / "out"), "-f", "pdf",
            "--no-sessions", "--executor", "tcp://[::1]", "--connect-timeout", "1",
        )  # fmt: skip
    # Reached, and asked for workers: Dask's client said "missing port number" before.
    assert (code, out) == (1, "")
    assert err.startswith("the Dask scheduler at tcp://[::1] has no workers ")


def test_a_tls_scheduler_is_asked_who_it_is_over_tls(tmp_path: Path) -> None:
    # briefpack speaks the handshake itself (Dask's comms would unpickle what a
    # peer sends): over TLS too, with the certificates of Dask's configuration.
    import shutil

    import dask

    if shutil.which("openssl") is None:
        pytest.skip("openssl makes the certificates")

    def openssl(*arguments: str) -> None:
        subprocess.run(["openssl", *arguments], cwd=tmp_path, check=True, capture_output=True)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key",
            "-out", "ca.pem", "-days", "2", "-subj", "/CN=briefpack test CA")  # fmt: skip
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "node.key", "-out", "node.csr",
            "-subj", "/CN=127.0.0.1")  # fmt: skip
    (tmp_path / "san.cnf").write_text("subjectAltName=IP:127.0.0.1\n", encoding="utf-8")
    openssl("x509", "-req", "-in", "node.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "node.pem", "-days", "2", "-extfile", "san.cnf")  # fmt: skip
    tls = {
        "distributed.comm.tls.ca-file": str(tmp_path / "ca.pem"),
        "distributed.comm.tls.scheduler.cert": str(tmp_path / "node.pem"),
        "distributed.comm.tls.scheduler.key": str(tmp_path / "node.key"),
        "distributed.comm.tls.client.cert": str(tmp_path / "node.pem"),
        "distributed.comm.tls.client.key": str(tmp_path / "node.key"),
    }
    with (
        dask.config.set(tls),
        distributed.LocalCluster(
            n_workers=0,
            protocol="tls://",
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.ERROR,
            security=distributed.security.Security(),
        ) as empty,
    ):
        address = empty.scheduler_address
        assert address.startswith("tls://")
        code, out, err = run(
            "build", str(BUNDLED_PACK), "-o", str(tmp_path / "out"), "-f", "pdf",
            "--no-sessions", "--executor", address, "--connect-timeout", "1",
        )  # fmt: skip
        plain = "tcp://" + address.removeprefix("tls://")
        plain_code, _, plain_err = run(
            "build", str(BUNDLED_PACK), "-o", str(tmp_path / "out"), "-f", "pdf",
            "--no-sessions", "--executor", plain, "--connect-timeout", "1",
        )  # fmt: skip
    # Identified and connected: only the workers are missing.
    assert (code, out) == (1, "")
    assert err.startswith(f"the Dask scheduler at {address} has no workers "), err
    # Without TLS, the same port is not taken for a scheduler.
    assert plain_code == 1
    assert "did not answer as a Dask scheduler" in plain_err
