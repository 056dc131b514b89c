"""The package keeps the shape of the pipeline: dependencies point down, never up.

Read from the source with ``ast``, so the rules hold for every import,
including those inside functions:

    model  <-  content  <-  build  <-  authoring, cli
    model  <-  render   <-  build

1. ``model`` imports nothing of briefpack outside itself.
2. ``content`` imports only ``model``, ``errors`` and itself.
3. ``render`` imports only ``model``, ``errors`` and itself.
4. ``build`` never imports ``cli`` or ``authoring``.
5. No import cycles between modules (module-level imports outside ``TYPE_CHECKING``).
6. Only ``build`` and ``authoring`` write to the file system.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO

SOURCE = REPO / "src"
PACKAGE = SOURCE / "briefpack"
#: The package's root module: it holds only ``__version__`` and may be imported by all.
ROOT = "briefpack"


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    line: int
    #: At module level and outside ``if TYPE_CHECKING:``: runs when the module is imported.
    eager: bool


def module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def resolve(name: str) -> str:
    """The briefpack module ``name`` refers to: itself, or the package that holds it."""
    while name not in MODULES:
        name = name.rpartition(".")[0]
    return name


def _is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def imports_of(module: str) -> Iterator[Import]:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))

    def visit(node: ast.AST, eager: bool) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.split(".")[0] == ROOT:
                        yield Import(module, resolve(alias.name), child.lineno, eager)
            elif isinstance(child, ast.ImportFrom) and child.module:
                if child.module.split(".")[0] == ROOT:
                    for alias in child.names:
                        target = f"{child.module}.{alias.name}"
                        name = target if target in MODULES else resolve(child.module)
                        yield Import(module, name, child.lineno, eager)
            elif (isinstance(child, ast.If) and _is_type_checking(child)) or isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
            ):
                yield from visit(child, eager=False)
            else:
                yield from visit(child, eager)

    yield from visit(tree, eager=True)


ALL_IMPORTS = [found for module in MODULES for found in imports_of(module)]


def layer(module: str) -> str:
    """The first name under briefpack: ``model``, ``content``, ``cli``, ..."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ROOT


def crossings(importer_layer: str, allowed: set[str]) -> list[str]:
    return sorted(
        {
            f"{found.importer}:{found.line} imports {found.imported}"
            for found in ALL_IMPORTS
            if layer(found.importer) == importer_layer
            and layer(found.imported) not in allowed | {importer_layer}
        }
    )


def test_the_layers_exist() -> None:
    layers = {layer(module) for module in MODULES}
    assert {"model", "content", "render", "build", "authoring", "cli", "errors"} <= layers
    assert len(ALL_IMPORTS) > 50  # the parser sees the imports


def test_model_imports_nothing_of_briefpack_outside_itself() -> None:
    assert crossings("model", set()) == []


def test_content_imports_only_the_model_and_errors() -> None:
    assert crossings("content", {"model", "errors"}) == []


def test_render_imports_only_the_model_and_errors() -> None:
    assert crossings("render", {"model", "errors", ROOT}) == []


def test_build_never_imports_the_command_line_or_authoring() -> None:
    assert [
        f"{found.importer}:{found.line} imports {found.imported}"
        for found in ALL_IMPORTS
        if layer(found.importer) == "build" and layer(found.imported) in {"cli", "authoring"}
    ] == []


def test_no_import_cycles_between_modules() -> None:
    graph: dict[str, set[str]] = {module: set() for module in MODULES}
    for found in ALL_IMPORTS:
        if found.eager and found.imported != found.importer:
            graph[found.importer].add(found.imported)
    # A package's __init__ importing its own modules is how Python packages work.
    for module, targets in graph.items():
        graph[module] = {t for t in targets if not module.startswith(t + ".")}
    cycles = []
    state: dict[str, int] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


#: Methods and functions whose only job is to change the file system.
WRITING_CALLS = {
    "write_text", "write_bytes", "mkdir", "makedirs", "touch", "unlink", "rmdir", "rmtree",
    "symlink_to", "hardlink_to", "mkdtemp", "mkstemp", "NamedTemporaryFile",
    "TemporaryDirectory", "copyfile", "copytree",
}  # fmt: skip
#: Names that change the file system only when os or shutil provides them
#: (``dataclasses.replace`` and lxml's ``remove`` do not).
WRITING_IN_OS = {"replace", "remove", "rename", "copy", "copy2", "move", "chmod"}


def writes_in(module: str) -> Iterator[str]:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        if isinstance(function, ast.Attribute):
            name = function.attr
            owner = function.value.id if isinstance(function.value, ast.Name) else ""
        elif isinstance(function, ast.Name):
            name, owner = function.id, ""
        else:
            continue
        if name in WRITING_CALLS or (name in WRITING_IN_OS and owner in {"os", "shutil"}):
            yield f"{module}:{node.lineno} calls {name}"
        elif name == "open" and _opens_for_writing(node):
            yield f"{module}:{node.lineno} opens a file for writing"


def _opens_for_writing(call: ast.Call) -> bool:
    modes = [*call.args[1:2], *(k.value for k in call.keywords if k.arg == "mode")]
    return any(
        isinstance(mode, ast.Constant)
        and isinstance(mode.value, str)
        and bool(set(mode.value) & set("wax+"))
        for mode in modes
    )


@pytest.mark.parametrize("module", [m for m in MODULES if layer(m) not in {"build", "authoring"}])
def test_only_build_and_authoring_write_files(module: str) -> None:
    assert list(writes_in(module)) == []


def test_the_write_check_sees_writes() -> None:
    found = [write for module in MODULES if layer(module) == "build" for write in writes_in(module)]
    assert any("calls replace" in write for write in found)  # os.replace in the atomic write
    assert any("calls mkdtemp" in write for write in found)  # the workers' temporary folders
