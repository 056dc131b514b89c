"""Open a password-protected .docx in LibreOffice and print its text; exit 3 if it will not open.

Run with a Python that has LibreOffice's ``uno`` module (Debian's python3-uno):
``python3 lo_open.py IN.docx PASSWORD``.  tests/test_word_encryption.py uses it to
show that a reader's encrypted Word copy opens in a real office with their
password and not with another's.  It starts a headless LibreOffice of its own
(tests/lo_session.py), with a profile of its own, and stops it when done.
"""

from __future__ import annotations

import sys
from pathlib import Path

from lo_session import office, uno_property

#: The exit status when LibreOffice will not open the document (a wrong password).
NOT_OPENED = 3


def main(source: Path, password: str) -> int:
    """Print the text of ``source`` opened with ``password``; the exit status."""
    with office() as (desktop, _):
        try:
            document = desktop.loadComponentFromURL(
                source.resolve().as_uri(),
                "_blank",
                0,
                (uno_property("Hidden", True), uno_property("Password", password)),
            )
        except Exception:
            document = None
        if document is None:
            return NOT_OPENED
        print(document.getText().getString())
        document.close(True)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2]))
