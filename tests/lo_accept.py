"""Open a .docx in LibreOffice, accept or reject every tracked change (or not), save it as .docx.

Run with a Python that has LibreOffice's ``uno`` module (Debian's python3-uno):
``python3 lo_accept.py accept|reject|save IN.docx OUT.docx``.  It starts a headless
LibreOffice of its own (tests/lo_session.py), with a profile of its own, and stops
it when done.
"""

from __future__ import annotations

import sys
from pathlib import Path

from lo_session import office, uno_property


def main(action: str, source: Path, target: Path) -> None:
    """Write ``source`` as LibreOffice saves it, its tracked changes accepted or rejected."""
    with office() as (desktop, context):
        document = desktop.loadComponentFromURL(
            source.resolve().as_uri(), "_blank", 0, (uno_property("Hidden", True),)
        )
        dispatcher = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.DispatchHelper", context
        )
        command = (
            ".uno:AcceptAllTrackedChanges" if action == "accept" else ".uno:RejectAllTrackedChanges"
        )
        frame = document.getCurrentController().getFrame()
        dispatcher.executeDispatch(frame, command, "", 0, ())
        document.storeToURL(
            target.resolve().as_uri(), (uno_property("FilterName", "MS Word 2007 XML"),)
        )
        document.close(True)


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
