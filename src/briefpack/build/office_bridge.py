"""A LibreOffice kept running for a worker, driven through UNO by LibreOffice's own Python.

Starting LibreOffice is most of a conversion's time (about 1 s of 1.2 s for
the bundled pack's Word copy); converting in one that already runs takes
0.2 to 0.4 s.  briefpack's Python cannot speak UNO (its ``uno`` module is
LibreOffice's, built for the system's Python), so this file is run as a
script by that Python (:mod:`briefpack.build.word_layout` starts it, one per
worker): it starts LibreOffice with its own profile, then converts each
request read from standard input, one JSON line each, ``{"source": …,
"target": …}``, answering one JSON line, ``{"ok": true}`` or ``{"error": …}``.
It ends, and LibreOffice with it, when its input closes or its parent dies.
Nothing of briefpack is imported: it runs outside briefpack's environment.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

_PR_SET_PDEATHSIG = 1


def _die_with_parent(how: int = signal.SIGKILL) -> None:
    with contextlib.suppress(Exception):
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, how, 0, 0, 0)


def _stop(number: int, frame: object) -> None:
    """Leave through ``finally``, which closes LibreOffice; a second SIGTERM must not cut it."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise SystemExit(0)


def main(program: str, folder: Path) -> None:
    """Start LibreOffice, say ``ready``, then convert each request until the input ends.

    LibreOffice's profile is made in ``folder``, which is removed at the end.
    """
    import uno  # type: ignore[import-not-found]  # LibreOffice's Python only

    # The worker's death ends the bridge as SIGTERM does, which closes LibreOffice
    # properly: a killed LibreOffice leaves its pipes in /tmp.
    signal.signal(signal.SIGTERM, _stop)
    _die_with_parent(signal.SIGTERM)
    installation = f"-env:UserInstallation={(folder / 'profile').as_uri()}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    # A first start makes the profile and stops; the office then starts for good.
    subprocess.run([program, installation, "--headless", "--terminate_after_init"], **quiet)  # type: ignore[call-overload]
    pipe = f"briefpack-{folder.name}"  # one per bridge: its folder's name
    office = subprocess.Popen(  # type: ignore[call-overload]
        [program, installation, "--headless", "--invisible", "--norestore", "--nolockcheck",
         f"--accept=pipe,name={pipe};urp;"],
        stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent, **quiet,
    )  # fmt: skip
    desktop: Any = None
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        context = _connect(resolver, pipe, office)
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context
        )
        _answer({"ready": True})
        for line in sys.stdin:
            request = json.loads(line)
            try:
                _convert(uno, desktop, Path(request["source"]), Path(request["target"]))
                _answer({"ok": True})
            except Exception as error:  # LibreOffice's, whatever it is: told, not fatal
                _answer({"error": f"{type(error).__name__}: {error}"})
    finally:
        if desktop is None:
            office.terminate()  # stopped while it started: no connection to close it by
        with contextlib.suppress(Exception):
            desktop.terminate()
        try:
            office.wait(timeout=15)
        except subprocess.TimeoutExpired:
            office.kill()
            office.wait()
        shutil.rmtree(folder, ignore_errors=True)


def _connect(resolver: Any, pipe: str, office: Any) -> Any:
    """The running office's context, once it listens; fails at once if the office ended."""
    deadline = time.monotonic() + 60
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            if office.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _convert(uno: Any, desktop: Any, source: Path, target: Path) -> None:
    """``source`` as a PDF at ``target``, Writer's bookmarks as its named destinations."""
    hidden = _property(uno, "Hidden", True)
    document = desktop.loadComponentFromURL(source.as_uri(), "_blank", 0, (hidden,))
    try:
        # A sequence inside a property's value: typed, and passed through uno.invoke.
        options = uno.Any(
            "[]com.sun.star.beans.PropertyValue",
            (_property(uno, "ExportBookmarksToPDFDestination", True),),
        )
        filter_name = _property(uno, "FilterName", "writer_pdf_Export")
        arguments = (filter_name, _property(uno, "FilterData", options))
        uno.invoke(
            document,
            "storeToURL",
            (target.as_uri(), uno.Any("[]com.sun.star.beans.PropertyValue", arguments)),
        )
    finally:
        document.close(True)


def _property(uno: Any, name: str, value: Any) -> Any:
    prop = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
    prop.Name, prop.Value = name, value
    return prop


def _answer(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
