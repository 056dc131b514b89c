"""``python -m briefpack``: the same command line as the ``briefpack`` console script.

Where the console script is not on PATH (a virtual environment not activated, a
Python run by its full path), ``python -m briefpack`` still runs every command,
named ``briefpack`` in its usage lines and messages, with the same exit status.
"""

from __future__ import annotations

from briefpack.cli import main

if __name__ == "__main__":
    main()
