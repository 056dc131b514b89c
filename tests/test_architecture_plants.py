"""Each architecture rule fails when its violation is planted in a copy of the source.

A rule that cannot fail proves nothing: these tests copy ``src/`` into a
temporary folder, plant one violation (the ones the previous architecture
test missed among them: a relative import, ``path.open("w")`` in render, a
cycle through imports inside functions, authoring importing the command
line), and expect that rule to report it, while the untouched copy's
report for that rule is unchanged otherwise.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

import architecture as rules
from conftest import REPO

PACKAGE = Path("briefpack")
FUNCTION_BODY = "".join(f"    x{n} = {n}\n" for n in range(81))


@dataclass(frozen=True)
class Plant:
    """What to add to which file of the copy, and the rule that must then complain."""

    file: str
    code: str
    rule: Callable[[rules.Source], list[str]]


PLANTS = {
    "relative import": Plant(
        "render/rendered.py", "from ..build import files\n", rules.relative_imports
    ),
    "relative import that crosses the layers": Plant(
        "render/rendered.py", "from ..build import files\n", rules.crossings
    ),
    "render opening a path for writing": Plant(
        "render/rendered.py", "def planted(path):\n    path.open('w')\n", rules.writes
    ),
    "render opening a file for writing with the builtin": Plant(
        "render/rendered.py", "def planted(path):\n    open(path, mode='a')\n", rules.writes
    ),
    "content writing bytes": Plant(
        "model/marks.py", "def planted(path):\n    path.write_bytes(b'')\n", rules.writes
    ),
    "os.open with a write flag in the model": Plant(
        "model/marks.py",
        "import os\ndef planted(path):\n    os.open(path, os.O_WRONLY | os.O_CREAT)\n",
        rules.writes,
    ),
    "a temporary folder in render": Plant(
        "render/rendered.py", "import tempfile\n", rules.writes
    ),
    "shutil's move imported into render": Plant(
        "render/rendered.py", "from shutil import move\n", rules.writes
    ),
    "a cycle through an import inside a function": Plant(
        "render/rendered.py",
        "def planted():\n    from briefpack.render import formats\n",
        rules.cycles,
    ),
    "a cycle through a type-checking import": Plant(
        "render/rendered.py",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from briefpack.render.formats import Format\n",
        rules.cycles,
    ),
    "authoring importing the command line lazily": Plant(
        "authoring/__init__.py", "def planted():\n    from briefpack.cli import main\n",
        rules.crossings,
    ),
    "build importing authoring lazily": Plant(
        "build/__init__.py", "def planted():\n    import briefpack.authoring\n", rules.crossings
    ),
    "content importing build lazily": Plant(
        "content/__init__.py", "def planted():\n    import briefpack.build\n", rules.crossings
    ),
    "render importing content": Plant(
        "render/rendered.py", "import briefpack.content\n", rules.crossings
    ),
    "the model importing errors under TYPE_CHECKING": Plant(
        "model/marks.py",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import briefpack.errors\n",
        rules.crossings,
    ),
    "the errors importing render": Plant(
        "errors.py", "def planted():\n    import briefpack.render\n", rules.crossings
    ),
    "a private name imported across modules": Plant(
        "render/__init__.py", "from briefpack.render.rendered import _planted\n",
        rules.private_imports,
    ),
    "click in the model": Plant("model/marks.py", "import click\n", rules.click_users),
    "click in render": Plant("render/rendered.py", "from click import echo\n", rules.click_users),
    "a module over 500 lines": Plant("render/rendered.py", "x = 0\n" * 500, rules.long_modules),
    "a command line over 350 lines": Plant("cli.py", "# planted\n" * 350, rules.long_modules),
    "a function over 80 lines": Plant(
        "model/marks.py", "def planted():\n" + FUNCTION_BODY, rules.long_functions
    ),
    "a method over 80 lines": Plant(
        "model/marks.py", "class Planted:\n    def planted(self):\n" + "    " +
        FUNCTION_BODY.replace("\n    ", "\n        "), rules.long_functions,
    ),
    "a class defined twice": Plant(
        "render/formats.py", "class Rendered:\n    pass\n", rules.duplicate_classes
    ),
    "render importing build by name at run time": Plant(
        "render/rendered.py",
        "import importlib\ndef planted():\n    importlib.import_module('briefpack.build.files')\n",
        rules.crossings,
    ),
    "a cycle through a package's __init__": Plant(
        # both_versions imports Pack from the package, which would import it back.
        "model/__init__.py", "from briefpack.model import both_versions\n", rules.cycles
    ),
    "shutil under another name in render": Plant(
        "render/rendered.py", "import shutil as sh\ndef planted(a, b):\n    sh.copy(a, b)\n",
        rules.writes,
    ),
    "os under another name in content": Plant(
        "content/__init__.py", "import os as o\ndef planted(a):\n    o.remove(a)\n",
        rules.writes,
    ),
    "a path renamed in render": Plant(
        "render/rendered.py", "def planted(path, other):\n    path.rename(other)\n", rules.writes
    ),
    "a path replaced in the model": Plant(
        "model/marks.py", "def planted(path, other):\n    path.replace(other)\n", rules.writes
    ),
    "a Word document saved to a file in render": Plant(
        "render/rendered.py", "def planted(document):\n    document.save('copy.docx')\n",
        rules.writes,
    ),
    "a PDF written to a path in render": Plant(
        "render/rendered.py",
        "def planted(document, folder):\n    document.write_pdf(folder / 'x.pdf')\n",
        rules.writes,
    ),
    "a zip archive written to a path in render": Plant(
        "render/rendered.py",
        "import zipfile\ndef planted(folder):\n    zipfile.ZipFile(folder / 'x.zip', 'w')\n",
        rules.writes,
    ),
    "a path opened in a mode chosen at run time": Plant(
        "render/rendered.py",
        "def planted(folder, mode):\n    (folder / 'x').open(mode)\n",
        rules.writes,
    ),
    "os.open with flags chosen at run time": Plant(
        "content/__init__.py",
        "import os\ndef planted(path, flags):\n    os.open(path, flags)\n",
        rules.writes,
    ),
    "a program run from render": Plant(
        "render/rendered.py",
        "import subprocess\ndef planted():\n    subprocess.run(['touch', 'x'])\n",
        rules.writes,
    ),
    "a class made by a call, twice": Plant(
        "render/formats.py",
        "from typing import NamedTuple\nRendered = NamedTuple('Rendered', [('data', bytes)])\n",
        rules.duplicate_classes,
    ),
    "render diffing text outside docx": Plant(
        "render/view/__init__.py", "import difflib\n", rules.word_comparisons
    ),
    "a Word module diffing text": Plant(
        "render/docx/__init__.py", "import difflib\n", rules.word_comparisons
    ),
    "a Word module reading a rendered document back": Plant(
        "render/docx/__init__.py",
        "def planted(archive):\n    return archive.read('word/document.xml')\n",
        rules.word_comparisons,
    ),
}  # fmt: skip


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One untouched copy of the source; each test copies it again to plant in."""
    copy = tmp_path_factory.mktemp("pristine")
    shutil.copytree(REPO / "src" / "briefpack", copy / "briefpack")
    return copy


def copy_of(pristine: Path, tmp_path: Path) -> Path:
    shutil.copytree(pristine / "briefpack", tmp_path / "briefpack")
    return tmp_path


@pytest.mark.parametrize("name", list(PLANTS))
def test_the_rule_fails_on_a_planted_violation(name: str, pristine: Path, tmp_path: Path) -> None:
    plant = PLANTS[name]
    before = plant.rule(rules.Source(pristine))
    root = copy_of(pristine, tmp_path)
    target = root / PACKAGE / plant.file
    target.write_text(target.read_text(encoding="utf-8") + "\n" + plant.code, encoding="utf-8")
    after = plant.rule(rules.Source(root))
    assert set(after) - set(before), f"{plant.rule.__name__} did not see: {name}"


def test_a_new_layer_needs_a_rule(pristine: Path, tmp_path: Path) -> None:
    root = copy_of(pristine, tmp_path)
    (root / PACKAGE / "extras").mkdir()
    (root / PACKAGE / "extras" / "__init__.py").write_text("", encoding="utf-8")
    assert rules.unknown_layers(rules.Source(root)) == ["briefpack.extras"]


def test_a_module_name_reused_in_another_layer_is_seen(pristine: Path, tmp_path: Path) -> None:
    root = copy_of(pristine, tmp_path)
    (root / PACKAGE / "render" / "marks.py").write_text('"""Planted."""\n', encoding="utf-8")
    after = rules.duplicate_module_names(rules.Source(root))
    assert any(line.startswith("marks:") for line in after)


def test_a_package_named_as_another_layers_module_is_seen(pristine: Path, tmp_path: Path) -> None:
    root = copy_of(pristine, tmp_path)
    (root / PACKAGE / "build" / "view").mkdir()
    (root / PACKAGE / "build" / "view" / "__init__.py").write_text('"""Planted."""\n')
    after = rules.duplicate_module_names(rules.Source(root))
    assert any(line.startswith("view:") for line in after)


@pytest.mark.parametrize("writer", rules.WRITER_MODULES)
def test_a_writer_that_stops_reading_the_view_is_seen(
    writer: str, pristine: Path, tmp_path: Path
) -> None:
    root = copy_of(pristine, tmp_path)
    path = root / Path(*writer.split(".")).with_suffix(".py")
    path.write_text(
        path.read_text(encoding="utf-8").replace(rules.VIEW, "briefpack.render.planted")
    )
    assert writer in rules.writers_without_the_view(rules.Source(root))


def test_the_whole_architecture_test_fails_on_a_planted_copy(tmp_path: Path) -> None:
    """The project's own test, run by pytest on a copy of the repository with a relative import."""
    import subprocess
    import sys

    for folder in ("src", "tests"):
        shutil.copytree(REPO / folder, tmp_path / folder,
                        ignore=shutil.ignore_patterns("__pycache__", "golden"))  # fmt: skip
    for name in ("pyproject.toml",):
        shutil.copy(REPO / name, tmp_path / name)
    target = tmp_path / "src" / "briefpack" / "render" / "rendered.py"
    target.write_text(target.read_text(encoding="utf-8") + "\nfrom ..build import files\n")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n0", "-p", "no:cacheprovider",
         "tests/test_architecture.py", "-k", "relative"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    assert "test_no_relative_imports FAILED" in result.stdout or "1 failed" in result.stdout
