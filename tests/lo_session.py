"""A headless LibreOffice of a script's own, driven over UNO, for the tests' LibreOffice scripts.

tests/lo_accept.py, tests/lo_update_contents.py and tests/lo_open.py are run by
LibreOffice's Python (Debian's python3-uno) as ``/usr/bin/python3 tests/lo_X.py``,
so they import this module as a sibling (``sys.path[0]`` is tests/).  Each starts
an office with a profile of its own in a temporary folder, so that parallel test
workers and a user's own LibreOffice never share one, waits for it to answer on
a pipe, and stops it when done: one copy of that, so that a fix (a longer wait,
another pipe name) is made once.  ``uno`` is imported only when a function runs,
so that pytest (which imports every module under tests/ for its doctests) can
import this one without it.
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def uno_property(name: str, value: object) -> Any:
    """A ``com.sun.star.beans.PropertyValue``: how UNO calls take named arguments."""
    import uno  # type: ignore[import-not-found]

    item = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
    item.Name, item.Value = name, value
    return item


@contextmanager
def office() -> Iterator[tuple[Any, Any]]:
    """A started LibreOffice's Desktop and component context; it is stopped on leaving.

    The Desktop is terminated when the block ends normally; either way the
    office gets 30 s to exit, then is killed, so that no test leaves one behind.
    """
    import uno

    with tempfile.TemporaryDirectory() as profile:
        pipe = f"briefpack{int(time.time() * 1000)}"
        process = subprocess.Popen(
            ["soffice", f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
             "--invisible", "--norestore", f"--accept=pipe,name={pipe};urp;"]
        )  # fmt: skip
        try:
            context = _connect(uno.getComponentContext(), pipe)
            desktop = context.ServiceManager.createInstanceWithContext(
                "com.sun.star.frame.Desktop", context
            )
            yield desktop, context
            desktop.terminate()
        finally:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def _connect(local: Any, pipe: str) -> Any:
    """The office's component context, once it answers on ``pipe`` (up to 30 s: a busy machine)."""
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    for _ in range(300):
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            time.sleep(0.1)
    raise SystemExit("LibreOffice did not start")
