"""Open a .docx in LibreOffice, accept or reject every tracked change (or not), save it as .docx.

Run with a Python that has LibreOffice's ``uno`` module (Debian's python3-uno):
``python3 lo_accept.py accept|reject|save IN.docx OUT.docx``.  It starts a headless
LibreOffice of its own, with a profile of its own, and stops it when done.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def _property(name: str, value: object) -> PropertyValue:
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def main(action: str, source: Path, target: Path) -> None:
    with tempfile.TemporaryDirectory() as profile:
        pipe = f"briefpack{int(time.time() * 1000)}"
        office = subprocess.Popen(
            [
                "soffice",
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--invisible",
                "--norestore",
                f"--accept=pipe,name={pipe};urp;",
            ]
        )
        try:
            resolver = uno.getComponentContext().ServiceManager.createInstanceWithContext(
                "com.sun.star.bridge.UnoUrlResolver", uno.getComponentContext()
            )
            for _ in range(200):
                try:
                    context = resolver.resolve(
                        f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"
                    )
                    break
                except Exception:
                    time.sleep(0.1)
            else:
                raise SystemExit("LibreOffice did not start")
            manager = context.ServiceManager
            desktop = manager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
            document = desktop.loadComponentFromURL(
                source.resolve().as_uri(), "_blank", 0, (_property("Hidden", True),)
            )
            dispatcher = manager.createInstanceWithContext(
                "com.sun.star.frame.DispatchHelper", context
            )
            command = (
                ".uno:AcceptAllTrackedChanges"
                if action == "accept"
                else ".uno:RejectAllTrackedChanges"
            )
            frame = document.getCurrentController().getFrame()
            dispatcher.executeDispatch(frame, command, "", 0, ())
            document.storeToURL(
                target.resolve().as_uri(), (_property("FilterName", "MS Word 2007 XML"),)
            )
            document.close(True)
            desktop.terminate()
        finally:
            try:
                office.wait(timeout=30)
            except subprocess.TimeoutExpired:
                office.kill()


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
