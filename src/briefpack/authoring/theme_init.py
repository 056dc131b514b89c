"""``briefpack theme init``: start a theme of one's own from a built-in one."""

from __future__ import annotations

from pathlib import Path

import click

from briefpack.errors import BriefpackError, Problem


def run_theme_init(folder: Path, source: str) -> None:
    """Write ``folder/theme.yaml`` from the built-in theme ``source``; never overwrite.

    The copy names the built-in theme's font files as they are written there;
    a theme finds them in its own folder first, then in the theme it extends,
    so it builds as it is.  Replace what should change.
    """
    from briefpack.authoring.starter import write_new
    from briefpack.build.chosen_settings import choose_theme
    from briefpack.content.theme_file import THEME_FILE
    from briefpack.render.builtin_themes import BUILT_IN_THEMES, built_in_theme_dir

    built_in = built_in_theme_dir(source)
    if built_in is None:
        raise BriefpackError(
            [
                Problem(
                    None,
                    f"no built-in theme {source!r}; choose one of {', '.join(BUILT_IN_THEMES)}",
                )
            ]
        )
    text = (built_in / THEME_FILE).read_text(encoding="utf-8")
    header = (
        f"# Made by briefpack theme init from the built-in theme {source!r}.\n"
        "# Keys left out come from 'executive'; a file named here is looked up in\n"
        "# this folder first, then in executive's (its fonts).\n"
    )
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / THEME_FILE
    write_new(target, header + text.replace(f"name: {source}", f"name: {folder.name}", 1))
    choose_theme(str(folder.resolve()), Path.cwd())  # it must load as it is
    click.echo(f"wrote {target}; use it with: briefpack build --theme {folder}")
