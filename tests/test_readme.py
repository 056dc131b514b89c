"""The README and docs/ say what briefpack does, as the code does it.

The README is the five-minute page: every command it shows runs as written
right after its set-up command, and it stays short. The reference lives in
docs/*.md; these tests read both, so a page moved from one to the other keeps
being checked.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
import yaml

from briefpack.cli import cli
from briefpack.content.schema import RECORDS

from conftest import REPO, valid

README_PATH = REPO / "README.md"
README = README_PATH.read_text(encoding="utf-8")
DOCS = REPO / "docs"
#: Every page of the documentation: the README and docs/*.md.
PAGES = [README_PATH, *sorted(DOCS.glob("*.md"))]
#: The README's limit: a newcomer reads it in five minutes (issue 27).
README_MAX_LINES = 350
#: How the README calls briefpack: the set-up command installs it there, and
#: it works from the root of the checkout without activating the venv.
INSTALLED = ".venv/bin/briefpack"

FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"(`+)(.+?)\1", re.DOTALL)
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^(#{1,6}) +(.+?) *#*$", re.MULTILINE)


def page_id(page: Path) -> str:
    return page.relative_to(REPO).as_posix()


def text(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def code_blocks(page_text: str, language: str | None = None) -> Iterator[str]:
    """The fenced code blocks of a page, of one language when given ("" for none)."""
    for match in FENCE.finditer(page_text):
        if language is None or match.group(1) == language:
            yield match.group(2)


def prose(page_text: str) -> str:
    """A page without its code, where links and headings are not what they seem."""
    return INLINE_CODE.sub("", FENCE.sub("", page_text))


def anchors(page_text: str) -> set[str]:
    """The anchors GitHub gives a page's headings: lower case, punctuation dropped,
    spaces as hyphens, and -1, -2, ... after a repeated one."""
    seen: dict[str, int] = {}
    found: set[str] = set()
    for _, heading in HEADING.findall(FENCE.sub("", page_text)):
        words = re.sub(r"[^\w\- ]", "", INLINE_CODE.sub(r"\2", heading).lower())
        slug = words.replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(f"{slug}-{count}" if count else slug)
    return found


def command(words: list[str]) -> tuple[click.Command, list[str]]:
    """The briefpack (sub)command ``words`` name, and the words after its name."""
    found: click.Command = cli
    parent = click.Context(cli, info_name="briefpack")
    while isinstance(found, click.Group) and words and not words[0].startswith("-"):
        sub = found.get_command(parent, words[0])
        assert sub is not None, f"briefpack has no command {words[0]!r}"
        parent = click.Context(sub, info_name=words[0], parent=parent)
        found, words = sub, words[1:]
    return found, words


def readme_commands() -> list[list[str]]:
    """Every briefpack command in the README's shell blocks, as its words."""
    commands = []
    for block in code_blocks(README, "sh"):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if INSTALLED in words:
                commands.append(words[words.index(INSTALLED) + 1 :])
    return commands


def test_key_table_lists_exactly_the_schema_keys() -> None:
    documented = {
        (record, key, required == "yes")
        for key, record, required in re.findall(
            r"^\| `(\w+)` \| (\w+) \| (yes|no) \|", text(DOCS / "format.md"), re.MULTILINE
        )
    }
    expected = {
        (record, key.name, key.required) for record, keys in RECORDS.items() for key in keys
    }
    assert documented == expected


def test_example_pack_in_the_readme_is_valid(tmp_path: Path) -> None:
    example = re.search(r"```yaml\n(.*?)```", README, re.DOTALL)
    assert example is not None
    path = tmp_path / "example.yaml"
    path.write_text(example.group(1), encoding="utf-8")
    pack = valid(path)
    assert pack.summary() == "1 day, 1 session, 1 question"
    assert pack.sessions[0].id == "devops-culture"


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_yaml_example_is_well_formed_yaml(page: Path) -> None:
    for block in code_blocks(text(page), "yaml"):
        assert isinstance(yaml.safe_load(block), dict), block


def test_every_figure_in_the_readme_is_one_the_docs_give_with_its_history() -> None:
    table = README.split("## Figures\n", 1)[1].split("\n## ", 1)[0]
    figures = re.findall(r"\d[\d,.]*(?: min \d+ s\b| ?(?:s|x|pages)\b| ?%)", table)
    assert len(figures) >= 10, figures
    docs = " ".join(text(page) for page in DOCS.glob("*.md"))
    assert [figure for figure in figures if figure not in docs] == []


def test_the_code_map_lists_every_module_and_only_those() -> None:
    package = REPO / "src" / "briefpack"
    modules = {path.relative_to(package).as_posix() for path in package.rglob("*.py")}
    listed = re.findall(r"^\| `([\w/]+\.py)` \|", text(DOCS / "architecture.md"), re.MULTILINE)
    assert len(listed) == len(set(listed)), "a module listed twice"
    assert {"not listed": modules - set(listed), "gone": set(listed) - modules} == {
        "not listed": set(),
        "gone": set(),
    }


@pytest.mark.parametrize("page", [*PAGES, REPO / "benchmarks" / "README.md"], ids=page_id)
def test_every_file_the_docs_name_exists(page: Path) -> None:
    """Paths in code spans: from the checkout's root, or a module from src/briefpack."""
    missing = []
    for name in re.findall(r"`([^`\s]+)`", text(page)):
        if re.search(r"[A-Z]{2,}|\*", name):  # a placeholder: content/NAME.yaml
            continue
        if re.match(r"(src|tests|benchmarks|templates|tools|\.ci)/", name):
            found = (REPO / name).exists()
        elif re.fullmatch(r"(model|content|render|build|authoring)/[\w/]+\.py", name):
            found = (REPO / "src" / "briefpack" / name).exists()
        else:
            continue
        if not found:
            missing.append(name)
    assert missing == []


def test_the_readme_is_read_in_five_minutes() -> None:
    assert len(README.splitlines()) <= README_MAX_LINES


@pytest.mark.parametrize("page", [*PAGES, REPO / "benchmarks" / "README.md"], ids=page_id)
def test_every_relative_link_leads_to_a_file_and_heading_that_exist(page: Path) -> None:
    broken = []
    for target in LINK.findall(prose(text(page))):
        if re.match(r"^[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists():
            broken.append(f"{target}: no file {linked}")
        elif anchor and anchor not in anchors(text(linked)):
            broken.append(f"{target}: no heading #{anchor} in {linked.name}")
    assert not broken, broken


def test_every_page_in_docs_is_linked_from_the_readme() -> None:
    linked = {target.partition("#")[0] for target in LINK.findall(prose(README))}
    pages = {f"docs/{page.name}" for page in DOCS.glob("*.md")}
    assert pages <= linked, pages - linked


def test_the_readme_shows_briefpack_as_the_set_up_installs_it() -> None:
    """No bare ``briefpack``: it is not on PATH until .venv is activated."""
    for block in code_blocks(README, "sh"):
        for line in block.splitlines():
            assert not re.match(r"^\s*briefpack\b", line), line
    assert len(readme_commands()) >= 5


def test_the_readme_tests_as_ci_does() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    command = ci.split("# The README's test command.\n", 1)[1].splitlines()[0]
    command = command.replace(" install -q ", " install ")  # CI's pip is quiet, that is all
    assert any(command in block for block in code_blocks(README, "sh")), command


def test_every_command_in_the_readme_runs_as_written(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each is parsed as the shell gives it to briefpack, from the checkout's root:
    the command exists, takes those options, and the files it names are there."""
    monkeypatch.chdir(REPO)
    failed = []
    for words in readme_commands():
        found, rest = command(words)
        try:
            found.make_context(words[0] if words else "briefpack", rest)
        except click.exceptions.Exit as done:  # --help and --version exit here
            if done.exit_code != 0:
                failed.append(f"{shlex.join(words)}: exit status {done.exit_code}")
        except click.ClickException as error:
            failed.append(f"{shlex.join(words)}: {error.format_message()}")
    capsys.readouterr()
    assert not failed, failed


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_option_the_docs_show_is_one_the_command_has(page: Path) -> None:
    for block in code_blocks(text(page)):
        shown: click.Command | None = None
        for line in block.splitlines():
            words = [*line.split(), ""]
            if words[0] in ("briefpack", INSTALLED) and words[1] in cli.commands:
                shown, _ = command(words[1:3] if words[1] == "theme" else words[1:2])
            elif words[0] in ("briefpack", INSTALLED) and words[1].startswith("-"):
                shown = cli
            elif not line.startswith(" "):
                shown = None
            if shown is None:
                continue
            options = {
                opt for param in shown.params for opt in (*param.opts, *param.secondary_opts)
            }
            options |= {"--help"}
            for option in re.findall(r"(?<![\w-])(--?[a-zA-Z][\w-]*)", line):
                assert option in options, f"{page.name}: {line.strip()}: no option {option}"
