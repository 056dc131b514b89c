"""Where the default theme (the HTML template, the print stylesheet, the fonts) lives.

The theme is the top-level ``templates/`` folder of the repository.  It has
no reference DOCX: the Word copy's look is :mod:`briefpack.render.docx.styles`.
A wheel carries it inside the package as ``briefpack/templates``; an editable install
(``pip install -e .``) does not map it there, so the checkout's own folder is
used instead.  This is the one place that knows both.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
#: Inside an installed wheel.
_INSTALLED = _PACKAGE_DIR / "templates"
#: In a checkout: src/briefpack/ -> the repository root.
_CHECKOUT = _PACKAGE_DIR.parent.parent / "templates"
#: A file every theme has; it tells a theme folder from an unrelated one.
THEME_MARKER = "README.md"


def templates_dir() -> Path:
    """Return the folder of the default theme.

    Raises :class:`RuntimeError` when neither an installed nor a checkout
    theme exists: that is a broken installation, not a user error.
    """
    for candidate in (_INSTALLED, _CHECKOUT):
        if (candidate / THEME_MARKER).is_file():
            return candidate
    raise RuntimeError(
        f"briefpack's theme is missing: looked in {_INSTALLED} and {_CHECKOUT}; reinstall briefpack"
    )


#: The built-in themes, by name: each a folder with a theme.yaml.
BUILT_IN_THEMES = ("executive", "classic")


def built_in_theme_dir(name: str) -> Path | None:
    """The folder of the built-in theme ``name``; ``None`` if there is none of that name.

    ``executive``, the default, is the theme folder itself; the others are
    in its ``themes/`` folder and extend it.
    """
    if name not in BUILT_IN_THEMES:
        return None
    root = templates_dir()
    return root if name == "executive" else root / "themes" / name
