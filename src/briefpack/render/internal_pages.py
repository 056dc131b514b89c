"""briefpack's own pages: the few HTML documents it writes besides the theme's template.

The sheet of page numbers laid over a joined book (:mod:`briefpack.render.book.parts`)
and a recipient's mark (:mod:`briefpack.render.recipient_mark`) are
briefpack's, not the theme's: a theme cannot override them, so they are not
looked up in its folder nor run in its sandbox.  Their templates are in the
package, in ``pages/`` beside this module (a wheel carries them as it carries
the fonts and the catalogues), and follow the theme's rules all the same:
every value is escaped, and a name a template uses but is not given is an
error rather than an empty string.
"""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2

#: The folder of briefpack's own page templates.
PAGES_DIR = Path(__file__).resolve().parent / "pages"


@functools.cache
def _environment() -> jinja2.Environment:
    """One environment per process: the templates are parsed once, never reloaded."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(PAGES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        # Part of the package: they do not change under a running process.
        auto_reload=False,
    )


def page_html(name: str, **values: object) -> str:
    """The page ``name`` (a template in :data:`PAGES_DIR`) written with ``values``."""
    return _environment().get_template(name).render(values)
