"""Preview: serve the built packs on loopback and reload the open page after each rebuild.

The server shows only the output folder.  Pages are the HTML the PDF is
rendered from; a few lines of script are added as they are served (never to
the file on disk) that listen on a server-sent events stream and reload the
page when a rebuild has finished.  Every response carries a
Content-Security-Policy under which only that script runs (its nonce is new
each time): a theme's template writes the pages, and its script must not
read the other packs from the preview's origin.

It answers only requests addressed to it by name: the ``Host`` header must be
its own address and port.  Otherwise any web page could re-point a domain of
its own at 127.0.0.1 (DNS rebinding) and read the packs through the
browser, which sees one origin and so lets the page read the answers.
"""

from __future__ import annotations

import html
import ipaddress
import secrets
import sys
import threading
from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import click

from briefpack.errors import BriefpackError
from briefpack.render.scrub import first

EVENTS_PATH = "/__briefpack/events"
#: Preview's own script, the one allowed to run: its nonce is new in every response.
RELOAD_SCRIPT = (
    '<script nonce="{nonce}">'
    f"new EventSource('{EVENTS_PATH}').onmessage = "
    "function () {{ location.reload(); }};</script>"
)
#: The policy of every response: a page shows, and runs nothing but preview's
#: reload script (``script-src`` is given with its nonce), whatever a theme
#: wrote into it or a file served beside it holds.
POLICY = (
    "default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'none'; script-src {scripts}"
)
#: The names of the loopback address, as a browser on this machine may write them.
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


class Reloads:
    """Counts finished rebuilds; event streams wait on it."""

    def __init__(self) -> None:
        self.generation = 0
        self.condition = threading.Condition()
        self.closed = False

    def bump(self) -> None:
        """A rebuild finished: tell every open page."""
        with self.condition:
            self.generation += 1
            self.condition.notify_all()

    def wait_past(self, seen: int, timeout: float) -> int | None:
        """Wait until a rebuild after generation ``seen`` (or ``timeout``); ``None`` once closed."""
        with self.condition:
            self.condition.wait_for(lambda: self.generation != seen or self.closed, timeout)
            return None if self.closed else self.generation

    def close(self) -> None:
        """Release every waiting stream, for shutdown."""
        with self.condition:
            self.closed = True
            self.condition.notify_all()


class _Handler(SimpleHTTPRequestHandler):
    out_dir: Path
    reloads: Reloads
    #: The nonce of the reload script in the page being answered, if any.
    nonce: str | None = None

    def __init__(self, *args: Any, out_dir: Path, reloads: Reloads, **kwargs: Any) -> None:
        self.out_dir = out_dir
        self.reloads = reloads
        super().__init__(*args, directory=str(out_dir), **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the terminal for build output."""

    def parse_request(self) -> bool:
        """Read the request, and refuse it unless its one ``Host`` is this server's own."""
        if not super().parse_request():
            return False
        given = self.headers.get_all("Host") or []
        allowed: frozenset[str] = getattr(self.server, "hosts", frozenset())
        bound = self.server.server_address
        assert isinstance(bound, tuple)  # a TCP server's address: (host, port, ...)
        if len(given) == 1 and addressed_here(given[0], allowed, bound):
            return True
        self.send_error(
            HTTPStatus.MISDIRECTED_REQUEST,
            explain="This preview answers only requests addressed to its own host and port.",
        )
        return False

    def do_GET(self) -> None:
        """The index, the events stream, HTML with the reload script, or a file."""
        self.nonce = None
        path = self.path.split("?", 1)[0]
        if any(part.startswith(".") for part in unquote(path).split("/")):
            # The build's own state (.briefpack-parts, .briefpack-rendered: the readers'
            # renders before encryption) is never served.
            self.send_error(HTTPStatus.NOT_FOUND)
        elif path == EVENTS_PATH:
            self._events()
        elif path in ("/", "/index.html"):
            self._send_html(self._index())
        elif path.endswith(".html"):
            local = Path(self.translate_path(path))
            try:
                # A regular file only (a FIFO would hang the request).
                page = local.read_text(encoding="utf-8") if local.is_file() else None
            except (OSError, UnicodeDecodeError):
                page = None
            if page is None:
                # Missing, or removed by a rebuild since the request came: not found.
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            # First, where no markup of the theme can swallow or precede it, and
            # before the page's own policy (which allows no script).
            self.nonce = secrets.token_urlsafe(18)
            self._send_html(first(page, RELOAD_SCRIPT.format(nonce=self.nonce)))
        else:
            super().do_GET()

    def end_headers(self) -> None:
        """Every response, error pages and files included, with the policy and ``nosniff``."""
        scripts = f"'nonce-{self.nonce}'" if self.nonce else "'none'"
        self.send_header("Content-Security-Policy", POLICY.format(scripts=scripts))
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def _send_html(self, text: str) -> None:
        data = text.encode("utf-8")
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def _events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        reloads = self.reloads
        with reloads.condition:
            seen = reloads.generation
        try:
            self.wfile.write(b": connected\n\n")
            self.wfile.flush()
            while True:
                generation = reloads.wait_past(seen, timeout=15)
                if generation is None:
                    return
                # A comment line every 15 s keeps proxies and browsers from giving up.
                self.wfile.write(b"data: reload\n\n" if generation != seen else b": waiting\n\n")
                seen = generation
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return

    def _index(self) -> str:
        rows = []
        for folder in sorted(p for p in self.out_dir.iterdir() if p.is_dir()):
            name = folder.name
            links = [
                f'<a href="{html.escape(name)}/{html.escape(name)}.{kind}">{label}</a>'
                for kind, label in (("html", "page"), ("pdf", "PDF"), ("docx", "Word"))
                if (folder / f"{name}.{kind}").is_file()
            ]
            if links:
                rows.append(f"<li><strong>{html.escape(name)}</strong> · {' · '.join(links)}</li>")
        listing = "\n".join(rows) or "<li>No pack built yet.</li>"
        return (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            "<title>briefpack preview</title>"
            "<style>body{font:15px/1.5 system-ui,sans-serif;max-width:40em;margin:3em auto}"
            "li{margin:.4em 0}</style></head><body><h1>briefpack preview</h1>"
            f"<ul>{listing}</ul></body></html>"
        )


def run_preview(
    paths: Sequence[str], host: str, port: int, quiet: bool, verbose: bool, **options: Any
) -> None:
    """``briefpack preview``: serve the outputs, build as watch does, reload open pages.

    ``options`` are the command line's build options, as for ``briefpack build``.
    """
    from briefpack.authoring.watch import watch_and_build
    from briefpack.build.console import (
        EXIT_INTERRUPTED,
        progress_for,
        report,
        report_warnings_on_stderr,
    )
    from briefpack.build.request import build_options_from, pack_paths

    report_warnings_on_stderr(quiet)
    chosen = build_options_from(**options)
    formats = tuple(dict.fromkeys((*chosen.formats, "html")))
    chosen = replace(chosen, formats=formats, shortest_first=True)
    reloads = Reloads()
    try:
        server = serve(chosen.out_dir, host, port, reloads)
    except OSError as error:
        raise BriefpackError(f"cannot serve on {host}:{port}: {error.strerror}") from None
    click.echo(f"serving http://{host}:{server.server_address[1]}/")
    try:
        watch_and_build(
            pack_paths(paths),
            chosen,
            progress=lambda: progress_for(quiet, verbose),
            report=report,
            after_build=reloads.bump,
        )
    except KeyboardInterrupt:
        # A Ctrl-C before watching began: as watch ends on one (not click's "Aborted!").
        click.echo("stopped watching")
        sys.exit(EXIT_INTERRUPTED)
    finally:
        reloads.close()
        server.shutdown()
        server.server_close()


class _Server(ThreadingHTTPServer):
    #: The ``Host`` headers answered, lower case: see :func:`own_hosts`.
    hosts: frozenset[str] = frozenset()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser closing or resetting a connection is ordinary: nothing is printed.

        socketserver would print a traceback of some 40 lines for each, over
        the build's output; anything else is one line on standard error.
        """
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        click.echo(f"preview: a request failed: {error!r}", err=True)


def own_hosts(host: str, bound: str, port: int) -> frozenset[str]:
    """The ``Host`` headers that address this server: its host (as given, and as bound) and port.

    On loopback, every name of loopback; a browser leaves out port 80.
    """
    names = {host.lower(), bound.lower()}
    try:
        loopback = ipaddress.ip_address(bound).is_loopback
    except ValueError:
        loopback = False
    if loopback or host.lower() == "localhost":
        names.update(LOOPBACK_NAMES)
    # An IPv6 address is written in brackets in a Host header.
    names = {f"[{name}]" if ":" in name and not name.startswith("[") else name for name in names}
    hosts = {f"{name}:{port}" for name in names}
    return frozenset(hosts | names if port == 80 else hosts)


def addressed_here(given: str, allowed: frozenset[str], bound: tuple[Any, ...]) -> bool:
    """Whether a request's ``Host`` header names this server.

    A server bound to every interface (``--host 0.0.0.0`` or ``::``) also
    answers its port at any IP address: DNS rebinding needs a name the
    attacker controls, never an address typed as digits, so an address is
    safe to accept where the server can be reached at it.
    """
    value = given.strip().lower()
    if value in allowed:
        return True
    address, port = str(bound[0]), int(bound[1])
    if address not in ("0.0.0.0", "::"):
        return False
    host, _, given_port = value.rpartition(":")
    if not given_port.isdigit() or int(given_port) != port:
        return False
    try:
        ipaddress.ip_address(host.removeprefix("[").removesuffix("]"))
    except ValueError:
        return False
    return True


def serve(out_dir: Path, host: str, port: int, reloads: Reloads) -> ThreadingHTTPServer:
    """Start serving ``out_dir`` in a background thread; returns the running server."""
    out_dir.mkdir(parents=True, exist_ok=True)
    handler = partial(_Handler, out_dir=out_dir.resolve(), reloads=reloads)
    server = _Server((host, port), handler)
    server.hosts = own_hosts(host, str(server.server_address[0]), server.server_address[1])
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
