"""Open a .docx in LibreOffice, update its contents (every index) and print what they then say.

Run with a Python that has LibreOffice's ``uno`` module (Debian's python3-uno):
``python3 lo_update_contents.py IN.docx``.  Prints a JSON list: for each index,
its lines as LibreOffice regenerated them ("Title<TAB>page").  It starts a
headless LibreOffice of its own, with a profile of its own, and stops it when
done.  ``uno`` is imported when it runs, so that pytest can import the module.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def main(source: Path) -> None:
    """Print the regenerated text of every index of ``source``."""
    import uno  # type: ignore[import-not-found]
    from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

    hidden = PropertyValue()
    hidden.Name, hidden.Value = "Hidden", True
    with tempfile.TemporaryDirectory() as profile:
        pipe = f"briefpack{int(time.time() * 1000)}"
        office = subprocess.Popen(
            ["soffice", f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
             "--invisible", "--norestore", f"--accept=pipe,name={pipe};urp;"]
        )  # fmt: skip
        try:
            local = uno.getComponentContext()
            resolver = local.ServiceManager.createInstanceWithContext(
                "com.sun.star.bridge.UnoUrlResolver", local
            )
            context = _connect(resolver, pipe)
            desktop = context.ServiceManager.createInstanceWithContext(
                "com.sun.star.frame.Desktop", context
            )
            document = desktop.loadComponentFromURL(
                source.resolve().as_uri(), "_blank", 0, (hidden,)
            )
            indexes = document.getDocumentIndexes()
            texts = []
            for number in range(indexes.getCount()):
                index = indexes.getByIndex(number)
                index.update()
                texts.append(index.getAnchor().getString().splitlines())
            print(json.dumps(texts))
            document.close(True)
            desktop.terminate()
        finally:
            try:
                office.wait(timeout=30)
            except subprocess.TimeoutExpired:
                office.kill()


def _connect(resolver: Any, pipe: str) -> Any:
    for _ in range(200):
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            time.sleep(0.1)
    raise SystemExit("LibreOffice did not start")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
