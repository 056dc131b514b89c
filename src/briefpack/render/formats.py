"""The output formats by name: what the command line offers and ``build`` makes.

Kept apart from :mod:`briefpack.build.pipeline` so that declaring the command line
(``briefpack --help``) does not import the build.
"""

#: Every output format, in the order they are built.
FORMATS = ("pdf", "docx", "html")
#: What ``build`` makes when no format is named.
DEFAULT_FORMATS = ("pdf", "docx")
#: Formats that per-session packs are made in.
SESSION_FORMATS = ("pdf", "docx")
