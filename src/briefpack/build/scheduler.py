"""Reaching the Dask scheduler of ``--executor``: refused at once, or connected in bounded time.

Dask's own client trusts its address: a URL it cannot parse fails deep
inside it (after its timeout, with a traceback from ``Client.__del__``),
and a listener that accepts the connection but never speaks Dask holds it
for ever, since the handshake is read without a timeout.  So the address is
checked here first, by plain string rules, and the scheduler is then asked
who it is (Dask's ``identity``) under one deadline, in an event loop of our
own; only a peer that answers as a scheduler gets a :class:`~distributed.Client`.
Dask's loggers are silenced meanwhile: every failure is said once, here.

That question is asked in Dask's wire format written out here, not through
Dask's comms: they unpickle whatever a peer sends (a ``__Pickled__`` part of
a message is loaded whatever deserializers are asked for, even in the
handshake), so a listener at a mistyped address could run code in this
process.  Here the peer's bytes are bounded and read as plain msgpack, which
makes only numbers, strings, lists and maps.  Once a scheduler has answered,
Dask's client does exchange pickles with it: ``tcp://`` trusts the scheduler
completely, and only ``tls://`` with certificates makes sure of who it is.
"""

from __future__ import annotations

import contextlib
import ipaddress
import string
import struct
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from briefpack.errors import BriefpackError

# asyncio, logging and socket are imported where they are used: the command
# line imports this module for its default, and must stay quick to start.

#: Seconds to wait for the scheduler, by default (``--connect-timeout``).
DEFAULT_CONNECT_TIMEOUT = 10.0
#: The schemes of Dask's TCP transport: plain, and with TLS from Dask's configuration.
SCHEMES = ("tcp", "tls")
#: The port Dask's scheduler listens on when an address names none.
DEFAULT_PORT = 8786
#: Seconds given to closing Dask's client: a scheduler that answers the close
#: late (or a peer that only imitates one) does not hold the command's end.
CLOSE_TIMEOUT = 2.0
_HOST_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-._")
_FORM = "give tcp://HOST:PORT or tls://HOST:PORT"
#: The most the peer may send in one message: a scheduler's identity names
#: each of its workers in well under a kilobyte, so this is room for many thousands.
MAX_MESSAGE = 64 * 2**20
#: Dask's frame lengths: 8-byte unsigned integers in the machine's byte order.
_LENGTH = struct.Struct("Q")
#: The most frames one message may have: Dask's handshake and identity have one.
MAX_FRAMES = 1024


@dataclass(frozen=True)
class SchedulerAddress:
    """A checked ``--executor`` address."""

    url: str
    host: str
    port: int

    @property
    def where(self) -> str:
        """``HOST:PORT``, an IPv6 host in brackets, for messages."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def full_url(self) -> str:
        """The address with its port always written: Dask needs one after an IPv6 host."""
        return f"{self.url.partition('://')[0]}://{self.where}"


def check_address(url: str) -> SchedulerAddress:
    """``url`` as a scheduler's address, or a one-line error saying what is wrong with it.

    Only ``tcp://HOST:PORT`` and ``tls://HOST:PORT`` (the port may be left
    out: 8786): no path, no user, no other transport, nothing left over.
    """

    def refuse(why: str) -> BriefpackError:
        return BriefpackError(f"--executor {url!r} is not a Dask scheduler's address: {why}")

    scheme, separator, rest = url.partition("://")
    if not separator or scheme not in SCHEMES:
        raise refuse(f"it must start with tcp:// or tls://; {_FORM}")
    if rest.startswith("["):
        host, bracket, port_text = rest[1:].partition("]")
        if not bracket:
            raise refuse("the IPv6 address is not closed with ']'")
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise refuse(f"{host!r} is not an IPv6 address") from None
        if port_text and not port_text.startswith(":"):
            raise refuse(f"{port_text!r} follows the host; {_FORM}")
        port_text = port_text[1:] if port_text else ""
        given_port = bool(port_text) or rest.endswith(":")
    else:
        host, colon, port_text = rest.partition(":")
        given_port = bool(colon)
        if not host:
            raise refuse(f"it names no host; {_FORM}")
        if not _HOST_CHARACTERS.issuperset(host):
            raise refuse(f"{host!r} is not a host name or IP address; {_FORM}")
    if given_port and not (port_text.isascii() and port_text.isdigit()):
        raise refuse(f"the port {port_text!r} is not a number; {_FORM}")
    port = int(port_text) if given_port else DEFAULT_PORT
    if not 1 <= port <= 65535:
        raise refuse(f"the port {port} is not between 1 and 65535")
    return SchedulerAddress(url, host, port)


def connect(url: str, timeout: float) -> Any:
    """A Dask client of the scheduler at ``url``, or a one-line error within ``timeout`` s."""
    address = check_address(url)
    try:
        from distributed import Client
    except ImportError as error:
        raise BriefpackError(
            "--executor needs Dask distributed: pip install 'briefpack[dask]'"
        ) from error
    started = time.monotonic()
    with quiet_dask():
        _identify(address, timeout, _connection_arguments(address))
        left = max(timeout - (time.monotonic() - started), 1.0)
        # Made in two steps so that a client whose constructor fails is still
        # ours to close: left to Client.__del__, its close waits twice its
        # timeout and prints "Exception ignored in ... __del__" with a traceback.
        client: Any = Client.__new__(Client)
        try:
            client.__init__(address.full_url, timeout=left, set_as_default=False)
        except BaseException as error:
            discard(client)
            if not isinstance(error, Exception):
                raise
            # It answered a moment ago as a scheduler; its next answers were not.
            raise BriefpackError(
                f"{address.url} answered as a Dask scheduler, but Dask's client could not "
                f"connect to it: {_reason(error, timeout)}"
            ) from None
        return client


def discard(client: Any, timeout: float = CLOSE_TIMEOUT) -> None:
    """Close Dask's ``client`` within ``timeout`` s, whatever state it is in, and say nothing.

    A close that fails or times out leaves the client "closing" with its
    event loop running, and Client.__del__ would try again later (for twice
    the client's timeout, then print a traceback at exit): its loop is
    stopped here and it is marked closed, so its finaliser has nothing to do.
    """
    with quiet_dask(), contextlib.suppress(Exception):
        client.close(timeout=timeout)
    with quiet_dask(), contextlib.suppress(Exception):
        client._loop_runner.stop()
    client.status = "closed"


@contextlib.contextmanager
def quiet_dask() -> Iterator[None]:
    """Keep Dask's loggers (which print to stderr themselves) quiet while connecting."""
    import logging

    logger = logging.getLogger("distributed")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(level)


def _connection_arguments(address: SchedulerAddress) -> dict[str, Any]:
    """Dask's connection settings for a client, from its configuration; TLS needs some."""
    from distributed.security import Security

    arguments: dict[str, Any] = Security().get_connection_args("client")  # type: ignore[no-untyped-call]
    if address.url.startswith("tcp://") and arguments.get("require_encryption"):
        raise BriefpackError(
            f"--executor {address.url}: Dask's configuration requires encryption "
            "(distributed.comm.require-encryption): give a tls:// address"
        )
    if address.url.startswith("tls://") and arguments.get("ssl_context") is None:
        raise BriefpackError(
            f"--executor {address.url}: tls:// needs Dask's TLS settings (the client's "
            "certificate, key and CA file: distributed.comm.tls in Dask's configuration, "
            "or the DASK_DISTRIBUTED__COMM__TLS__* variables)"
        )
    return arguments


class _NotDaskError(Exception):
    """The peer's bytes are not Dask's protocol; the message says how."""


def _identify(address: SchedulerAddress, timeout: float, arguments: dict[str, Any]) -> None:
    """Ask the peer who it is, within ``timeout``; refuse it unless it is a Dask scheduler."""
    import asyncio

    slow = BriefpackError(
        f"{address.where} did not answer as a Dask scheduler within {timeout:g} s "
        f"(--executor {address.url}; a slow scheduler may need a longer --connect-timeout)"
    )
    try:
        answer = asyncio.run(
            asyncio.wait_for(_ask_identity(address, timeout, arguments), timeout + 0.25)
        )
    except BriefpackError:
        raise
    except TimeoutError:
        raise slow from None
    except OSError as error:
        raise BriefpackError(
            f"cannot reach the Dask scheduler at {address.url}: {_reason(error)}"
        ) from None
    except Exception as error:
        # Whatever the peer sent, it was not Dask's protocol.
        why = str(error) if isinstance(error, _NotDaskError) else _reason(error)
        raise BriefpackError(
            f"{address.where} did not answer as a Dask scheduler (--executor {address.url}): {why}"
        ) from None
    kind = answer.get("type") if isinstance(answer, dict) else None
    if kind != "Scheduler":
        what = (
            f"as a Dask {kind}, not a scheduler"
            if isinstance(kind, str) and kind.isascii() and kind.isalnum()
            else "not as a Dask scheduler"
        )
        raise BriefpackError(
            f"{address.where} answered, but {what} "
            f"(--executor {address.url}): give the scheduler's address"
        )


async def _ask_identity(
    address: SchedulerAddress, timeout: float, arguments: dict[str, Any]
) -> Any:
    """Dask's handshake and ``identity`` call, spoken here so that nothing is unpickled."""
    import asyncio
    import pickle
    import socket
    import sys

    loop = asyncio.get_running_loop()
    try:
        # Resolved first, so that an unknown host is said as such.
        await loop.getaddrinfo(address.host, address.port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise BriefpackError(
            f"cannot reach the Dask scheduler at {address.url}: "
            f"unknown host {address.host!r} ({error.strerror})"
        ) from None
    tls = arguments.get("ssl_context") if address.url.startswith("tls://") else None
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(
                address.host,
                address.port,
                ssl=tls,
                server_hostname=(arguments.get("server_hostname") or address.host) if tls else None,
            ),
            timeout,
        )
    except TimeoutError:
        raise BriefpackError(
            f"cannot reach the Dask scheduler at {address.url}: no connection within {timeout:g} s"
        ) from None
    try:
        # What Dask's own handshake says; this connection carries nothing pickled.
        hello = {
            "compression": None,
            "python": tuple(sys.version_info)[:3],
            "pickle-protocol": pickle.HIGHEST_PROTOCOL,
        }
        writer.write(_message(hello))
        await _read_message(reader)
        writer.write(_message({"op": "identity", "reply": True}))
        answer = await _read_message(reader)
        writer.write(_message({"op": "close", "reply": False}))
        await writer.drain()
        return answer
    except (ConnectionResetError, BrokenPipeError):
        raise _NotDaskError("it closed the connection") from None
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


def _message(value: dict[str, Any]) -> bytes:
    """``value`` as one Dask message of one frame: total size, frame count and size, frame."""
    import msgpack  # type: ignore[import-untyped]

    frame: bytes = msgpack.packb(value, use_bin_type=True)
    prelude = _LENGTH.pack(1) + _LENGTH.pack(len(frame))
    return _LENGTH.pack(len(prelude) + len(frame)) + prelude + frame


async def _read_message(reader: Any) -> Any:
    """One Dask message from the peer, its first frame read as plain msgpack.

    No hook is given to msgpack, so the maps Dask would turn into pickled or
    serialized objects stay maps.  Frames after the first (Dask's serialized
    parts) are read past and never looked at.
    """
    import asyncio

    import msgpack

    try:
        (size,) = _LENGTH.unpack(await reader.readexactly(_LENGTH.size))
        if size > MAX_MESSAGE:
            raise _NotDaskError(f"it announced a message of {size} bytes")
        if size < 2 * _LENGTH.size:
            raise _NotDaskError(f"it announced a message of {size} bytes, too short for Dask's")
        body = await reader.readexactly(size)
        (count,) = _LENGTH.unpack_from(body)
        start = _LENGTH.size * (1 + count)
        if not 1 <= count <= MAX_FRAMES or start > size:
            raise _NotDaskError(f"it announced {count} frames in {size} bytes")
        lengths = struct.unpack_from(f"{count}Q", body, _LENGTH.size)
        end = start + sum(lengths)
        if end > MAX_MESSAGE or start + lengths[0] > size:
            raise _NotDaskError(f"it announced frames of {sum(lengths)} bytes in all")
        # Dask may send its larger frames after the ones counted in the first length.
        if end > size:
            await reader.readexactly(end - size)
    except asyncio.IncompleteReadError:
        raise _NotDaskError("it closed the connection") from None
    try:
        return msgpack.unpackb(
            body[start : start + lengths[0]], raw=False, strict_map_key=False, use_list=False
        )
    except Exception as error:
        raise _NotDaskError(f"its message is not msgpack ({_reason(error)})") from None


def _reason(error: BaseException, timeout: float | None = None) -> str:
    """Why a connection failed, in a few words: the root cause Dask wraps, if it is known."""
    seen: list[BaseException] = []
    cause: BaseException | None = error
    while cause is not None and cause not in seen:
        seen.append(cause)
        if isinstance(cause, ConnectionRefusedError) or "ConnectionRefusedError" in str(cause):
            return "connection refused (is the scheduler running, and on this port?)"
        cause = cause.__cause__ or cause.__context__
    if timeout is not None and str(error).startswith("Timed out trying to connect"):
        return f"no connection within {timeout:g} s"
    if timeout is not None and isinstance(error, TimeoutError) and not str(error):
        return f"no answer within {timeout:g} s"
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
