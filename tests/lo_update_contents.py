"""Open a .docx in LibreOffice, update its contents (every index) and print what they then say.

Run with a Python that has LibreOffice's ``uno`` module (Debian's python3-uno):
``python3 lo_update_contents.py IN.docx``.  Prints a JSON list: for each index,
its lines as LibreOffice regenerated them ("Title<TAB>page").  It starts a
headless LibreOffice of its own (tests/lo_session.py), with a profile of its
own, and stops it when done.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from lo_session import office, uno_property


def main(source: Path) -> None:
    """Print the regenerated text of every index of ``source``."""
    with office() as (desktop, _):
        document = desktop.loadComponentFromURL(
            source.resolve().as_uri(), "_blank", 0, (uno_property("Hidden", True),)
        )
        indexes = document.getDocumentIndexes()
        texts = []
        for number in range(indexes.getCount()):
            index = indexes.getByIndex(number)
            index.update()
            texts.append(index.getAnchor().getString().splitlines())
        print(json.dumps(texts))
        document.close(True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
