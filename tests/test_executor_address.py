"""--executor: a bad address, a peer that is not a Dask scheduler, or none at all is one line.

Each case runs the real command in a child process, so that standard error
is seen exactly as a person would see it: one line, no traceback, no
"internal error", nothing from Dask's loggers or from ``Client.__del__``.
"""

from __future__ import annotations

import os
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from briefpack.build.scheduler import SchedulerAddress, check_address
from briefpack.errors import BriefpackError

from conftest import BUNDLED_PACK

pytest.importorskip("distributed")


def build(tmp_path: Path, address: str, timeout: str) -> tuple[int, str, str, float]:
    """``briefpack build --executor ADDRESS``: exit status, stdout, stderr and seconds taken."""
    command = [
        sys.executable, "-m", "briefpack.cli", "build", str(BUNDLED_PACK),
        "-o", str(tmp_path / "out"), "-f", "pdf", "--no-sessions",
        "--executor", address, "--connect-timeout", timeout,
    ]  # fmt: skip
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    return done.returncode, done.stdout, done.stderr, time.monotonic() - started


def one_line(out: str, err: str) -> str:
    """The single line the command printed, once it is shown to be the only one."""
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    # Dask's log lines read "DATE - distributed.client - LEVEL - message".
    for noise in ("Traceback", "internal error", "__del__", " - distributed", "Exception"):
        assert noise not in err
    return lines[0]


@contextmanager
def listener(serve: Callable[[socket.socket], None]) -> Iterator[int]:
    """A TCP listener on loopback that hands each connection to ``serve``; yields its port."""
    server = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def loop() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            accepted.append(connection)
            serve(connection)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        for connection in accepted:
            connection.close()
        server.close()


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("file:///etc/passwd", "it must start with tcp:// or tls://"),
        ("http://x", "it must start with tcp:// or tls://"),
        ("127.0.0.1:8786", "it must start with tcp:// or tls://"),
        ("TCP://127.0.0.1:8786", "it must start with tcp:// or tls://"),
        ("inproc://127.0.0.1/1", "it must start with tcp:// or tls://"),
        ("tcp://[::1", "the IPv6 address is not closed with ']'"),
        ("tcp://[::g]:8786", "'::g' is not an IPv6 address"),
        ("tcp://[::1]8786", "'8786' follows the host"),
        ("tcp://", "it names no host"),
        ("tcp://:8786", "it names no host"),
        ("tcp://host:", "the port '' is not a number"),
        ("tcp://host:http", "the port 'http' is not a number"),
        ("tcp://host:-1", "the port '-1' is not a number"),
        ("tcp://host:0", "the port 0 is not between 1 and 65535"),
        ("tcp://host:65536", "the port 65536 is not between 1 and 65535"),
        ("tcp://host:8786/path", "the port '8786/path' is not a number"),
        ("tcp://user@host:8786", "'user@host' is not a host name or IP address"),
        ("tcp://ho st:8786", "'ho st' is not a host name or IP address"),
    ],
)
def test_an_address_that_is_not_a_tcp_or_tls_url_is_refused_before_anything_else(
    tmp_path: Path, address: str, why: str
) -> None:
    code, out, err, seconds = build(tmp_path, address, timeout="60")
    assert code == 1
    line = one_line(out, err)
    assert line.startswith(f"--executor {address!r} is not a Dask scheduler's address: ")
    assert why in line
    # Refused as the options are read: no build started, no connection waited for.
    assert not (tmp_path / "out").exists()
    assert seconds < 30


@pytest.mark.parametrize(
    ("address", "host", "port"),
    [
        ("tcp://127.0.0.1:8786", "127.0.0.1", 8786),
        ("tls://scheduler.example-1.internal:443", "scheduler.example-1.internal", 443),
        ("tcp://[::1]:8786", "::1", 8786),
        ("tcp://[::1]", "::1", 8786),
        ("tcp://dask_scheduler", "dask_scheduler", 8786),
    ],
)
def test_a_tcp_or_tls_url_is_taken_and_a_missing_port_is_dasks_own(
    address: str, host: str, port: int
) -> None:
    assert check_address(address) == SchedulerAddress(address, host, port)


def test_a_listener_that_accepts_and_says_nothing_fails_within_the_connect_timeout(
    tmp_path: Path,
) -> None:
    # Dask's handshake is read without a timeout: this hung for ever.
    with listener(lambda connection: None) as port:
        code, out, err, seconds = build(tmp_path, f"tcp://127.0.0.1:{port}", timeout="2")
    assert code == 1
    assert one_line(out, err).startswith(
        f"127.0.0.1:{port} did not answer as a Dask scheduler within 2 s "
    )
    # Two seconds of waiting, and the start of the command: generous for a loaded machine.
    assert seconds < 15


def test_a_listener_that_speaks_http_is_not_taken_for_a_scheduler(tmp_path: Path) -> None:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_error(404)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        address = f"tcp://127.0.0.1:{server.server_address[1]}"
        code, out, err, _ = build(tmp_path, address, timeout="2")
    finally:
        server.shutdown()
        server.server_close()
    assert code == 1
    assert "did not answer as a Dask scheduler" in one_line(out, err)


def test_a_listener_that_sends_garbage_is_one_line(tmp_path: Path) -> None:
    # Read as Dask's frame lengths, these bytes ask for exabytes.
    with listener(lambda connection: connection.sendall(b"\xff" * 64)) as port:
        code, out, err, _ = build(tmp_path, f"tcp://127.0.0.1:{port}", timeout="2")
    assert code == 1
    assert one_line(out, err).startswith(f"127.0.0.1:{port} did not answer as a Dask scheduler")


def test_a_refused_connection_is_one_line(tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
    # The port is free again, and nothing listens on it.
    code, out, err, _ = build(tmp_path, f"tcp://127.0.0.1:{port}", timeout="1")
    assert code == 1
    assert one_line(out, err) == (
        f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}: "
        "connection refused (is the scheduler running, and on this port?)"
    )


def test_an_unknown_host_is_one_line(tmp_path: Path) -> None:
    code, out, err, _ = build(tmp_path, "tcp://no-such-host.invalid:8786", timeout="5")
    assert code == 1
    line = one_line(out, err)
    assert line.startswith("cannot reach the Dask scheduler at tcp://no-such-host.invalid:8786: ")


def test_tls_without_dasks_tls_settings_says_what_it_needs(tmp_path: Path) -> None:
    code, out, err, _ = build(tmp_path, "tls://127.0.0.1:8786", timeout="2")
    assert code == 1
    assert "tls:// needs Dask's TLS settings" in one_line(out, err)


def test_the_check_raises_the_one_expected_error() -> None:
    with pytest.raises(BriefpackError, match="not a Dask scheduler's address"):
        check_address("file:///etc/passwd")


@pytest.mark.parametrize("command", ["build", "watch", "preview"])
def test_each_command_that_takes_an_executor_takes_a_connect_timeout(command: str) -> None:
    from click.testing import CliRunner

    from briefpack.cli import cli

    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "--connect-timeout SECONDS Seconds to wait for the --executor scheduler" in text
    assert "[default: 10.0; x>0]" in text
    refused = CliRunner().invoke(cli, [command, "--connect-timeout", "0"])
    assert refused.exit_code == 2


class RunsCode:
    """Unpickled, it makes the folder ``marker``: proof that the peer's pickle ran here."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Callable[[str], None], tuple[str]]:
        return os.mkdir, (self.marker,)


def dask_message(message: dict[str, object], serializers: list[str] | None = None) -> bytes:
    """``message`` framed as Dask's TCP comm writes it: total size, frame sizes, frames."""
    from distributed.protocol import dumps
    from distributed.protocol.utils import pack_frames_prelude

    frames = [bytes(frame) for frame in dumps(message, serializers=serializers)]
    prelude = pack_frames_prelude(frames)
    return struct.pack("Q", len(prelude) + sum(map(len, frames))) + prelude + b"".join(frames)


HANDSHAKE = {"compression": None, "python": (3, 11, 0), "pickle-protocol": 5}


@pytest.mark.parametrize(
    "case",
    ["pickled handshake", "serialized answer", "pickled answer"],
)
def test_a_peer_that_sends_pickles_runs_no_code_here(tmp_path: Path, case: str) -> None:
    from distributed.protocol.serialize import ToPickle, to_serialize

    marker = tmp_path / "ran"
    evil = RunsCode(str(marker))
    if case == "pickled handshake":
        # Dask's comms unpickle a __Pickled__ part whatever deserializers they are given.
        sent = dask_message({**HANDSHAKE, "note": ToPickle(evil)})
    elif case == "serialized answer":
        sent = dask_message(HANDSHAKE) + dask_message(
            {"type": to_serialize(evil), "id": "s"}, serializers=["pickle"]
        )
    else:
        sent = dask_message(HANDSHAKE) + dask_message({"type": ToPickle(evil), "id": "s"})
    # The peer speaks first and never reads: what it sends does not depend on the question.
    with listener(lambda connection: connection.sendall(sent)) as port:
        code, out, err, _ = build(tmp_path, f"tcp://127.0.0.1:{port}", timeout="5")
    assert not marker.exists()
    assert code == 1
    line = one_line(out, err)
    assert line.startswith(f"127.0.0.1:{port} ")
    assert "not as a Dask scheduler" in line or "did not answer as a Dask scheduler" in line


def test_a_listener_that_closes_at_once_is_said_to_have_closed(tmp_path: Path) -> None:
    with listener(lambda connection: connection.close()) as port:
        code, out, err, _ = build(tmp_path, f"tcp://127.0.0.1:{port}", timeout="5")
    assert code == 1
    assert one_line(out, err) == (
        f"127.0.0.1:{port} did not answer as a Dask scheduler "
        f"(--executor tcp://127.0.0.1:{port}): it closed the connection"
    )


def test_an_address_without_a_port_is_given_to_dask_with_the_default_one() -> None:
    # Dask cannot parse tcp://[::1] without a port ("missing port number").
    assert check_address("tcp://[::1]").full_url == "tcp://[::1]:8786"
    assert check_address("tls://dask_scheduler").full_url == "tls://dask_scheduler:8786"
    assert check_address("tcp://10.0.0.1:9000").full_url == "tcp://10.0.0.1:9000"


class RunsCodeAgain(RunsCode):
    """Like :class:`RunsCode`, but loads without error however often: Dask's client goes on."""

    def __reduce__(self) -> tuple[Callable[..., None], tuple[str, int, bool]]:  # type: ignore[override]
        return os.makedirs, (self.marker, 0o777, True)


def imitates_a_scheduler(marker: Path) -> Callable[[socket.socket], None]:
    """A peer that answers ``identity`` as a scheduler with one worker, and all else with a pickle.

    Briefpack's own question is answered exactly as a scheduler would; Dask's
    client then gets, to its ``register-client``, a pickled object that makes
    ``marker`` when it is loaded.
    """
    from distributed.protocol import loads
    from distributed.protocol.serialize import to_serialize
    from distributed.protocol.utils import unpack_frames

    identity = {"type": "Scheduler", "id": "s", "workers": {"tcp://127.0.0.1:1": {"nthreads": 1}}}
    evil = to_serialize(RunsCodeAgain(str(marker)))
    answer = dask_message({"op": evil, "status": evil, "type": evil}, serializers=["pickle"])

    def talk(connection: socket.socket) -> None:
        with suppress(OSError), connection.makefile("rb") as stream:
            connection.sendall(dask_message(HANDSHAKE))
            stream.read(struct.unpack("Q", stream.read(8))[0])  # the peer's handshake
            while size := stream.read(8):
                message = loads(unpack_frames(stream.read(struct.unpack("Q", size)[0])))
                is_identity = isinstance(message, dict) and message.get("op") == "identity"
                connection.sendall(dask_message(identity) if is_identity else answer)

    return lambda connection: threading.Thread(target=talk, args=(connection,), daemon=True).start()


def test_a_peer_that_imitates_a_scheduler_then_fails_dasks_client_is_one_line_quickly(
    tmp_path: Path,
) -> None:
    marker = tmp_path / "ran"
    with listener(imitates_a_scheduler(marker)) as port:
        code, out, err, seconds = build(tmp_path, f"tcp://127.0.0.1:{port}", timeout="5")
    # Dask's client unpickles what a scheduler sends: tcp:// trusts whoever answers as one.
    assert marker.exists()
    assert code == 1
    line = one_line(out, err)
    assert line.startswith(
        f"tcp://127.0.0.1:{port} answered as a Dask scheduler, but Dask's client could not "
        "connect to it: "
    )
    # Client.__del__ would have closed it again for twice its timeout (10 s), then printed.
    assert seconds < 8


@pytest.mark.parametrize("command", ["build", "watch", "preview"])
def test_the_executor_help_says_that_tcp_trusts_whoever_answers(command: str) -> None:
    from click.testing import CliRunner

    from briefpack.cli import cli

    text = " ".join(CliRunner().invoke(cli, [command, "--help"]).stdout.split())
    assert "tcp:// trusts the scheduler and anyone who can reach its address" in text
    assert "use tls:// with certificates on a network you do not trust" in text
