"""The architecture rules, as functions of a source tree, so that a test can plant a violation.

Everything is read from the source with ``ast``, every import included:
those inside functions (lazy, for start-up speed) and under
``if TYPE_CHECKING:`` too, since a cycle or a crossing through a lazy
import is as real as one at the top.  Relative imports are resolved (and
refused by their own rule), so ``from ..build import files`` counts as an
import of ``briefpack.build.files``.

The layers, and what each may import of briefpack besides itself::

    model                     nothing
    errors                    model (its file:line marks)
    content                   model, errors
    render                    model, errors
    build                     model, content, render, errors
    authoring, doctor         model, content, render, build, errors
    cli_options               model, content, render, build, errors (the options
                              the commands share; only cli imports it)
    cli                       everything; nothing imports it

Each rule returns the violations it finds, one line each, ``MODULE:LINE ...``;
:mod:`test_architecture` expects none on the project's own source and
:mod:`test_architecture_plants` expects one for each planted violation.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

#: The package's root module holds only ``__version__``: anyone may import it.
ROOT = "briefpack"
#: What each layer may import of briefpack besides itself and the root module.
ALLOWED: dict[str, frozenset[str]] = {
    "errors": frozenset({"model"}),
    "model": frozenset(),
    "content": frozenset({"model", "errors"}),
    "render": frozenset({"model", "errors"}),
    "build": frozenset({"model", "content", "render", "errors"}),
    "authoring": frozenset({"model", "content", "render", "build", "errors"}),
    "doctor": frozenset({"model", "content", "render", "build", "errors"}),
    "cli_options": frozenset({"model", "content", "render", "build", "errors"}),
    "cli": frozenset(
        {"model", "content", "render", "build", "authoring", "doctor", "cli_options", "errors"}
    ),
}
#: Layers that may change the file system.
WRITERS = frozenset({"build", "authoring"})
#: Layers that must not know about the command line's library.
WITHOUT_CLICK = frozenset({"errors", "model", "content", "render"})
#: Size limits: a module, a function, the command line.
MODULE_LINES = 500
FUNCTION_LINES = 80
CLI_LINES = 350

#: Methods and functions whose only job is to change the file system.
WRITING_CALLS = frozenset({
    "write_text", "write_bytes", "mkdir", "makedirs", "touch", "unlink", "rmdir", "rmtree",
    "symlink_to", "hardlink_to", "mkdtemp", "mkstemp", "NamedTemporaryFile",
    "TemporaryDirectory", "TemporaryFile", "SpooledTemporaryFile", "copyfile", "copytree",
    "removedirs", "mkfifo", "chown", "utime", "symlink",
})  # fmt: skip
#: Names that change the file system only when os or shutil provides them
#: (``dataclasses.replace``, ``str.replace`` and lxml's ``remove`` do not).
WRITING_IN_OS = frozenset(
    {"replace", "remove", "rename", "copy", "copy2", "move", "chmod", "write"}
)
#: A module whose only job is making files: importing it outside WRITERS is a write.
WRITING_MODULES = frozenset({"tempfile"})
#: ``os.open`` flags that create or change a file.
WRITING_FLAGS = frozenset({"O_WRONLY", "O_RDWR", "O_CREAT", "O_APPEND", "O_TRUNC"})


@dataclass(frozen=True)
class Import:
    """One import of a briefpack module: who, what, where, and how it was written."""

    importer: str
    imported: str
    #: The name after ``import``, when it is one name of a module (``from x import _y``).
    name: str | None
    line: int
    relative: bool


def layer(module: str) -> str:
    """The first name under briefpack: ``model``, ``content``, ``cli``, ..."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ROOT


class Source:
    """The briefpack package under ``root`` (a ``src`` folder), as its rules see it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        package = root / ROOT
        self.modules = {self._name(path): path for path in sorted(package.rglob("*.py"))}

    def _name(self, path: Path) -> str:
        parts = path.relative_to(self.root).with_suffix("").parts
        return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)

    def text(self, module: str) -> str:
        return self.modules[module].read_text(encoding="utf-8")

    def tree(self, module: str) -> ast.Module:
        return ast.parse(self.text(module))

    def resolve(self, name: str) -> str:
        """The briefpack module ``name`` refers to: itself, or the package that holds it."""
        while name not in self.modules and "." in name:
            name = name.rpartition(".")[0]
        return name

    def _absolute(self, module: str, node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        is_package = self.modules[module].name == "__init__.py"
        base = module.split(".")
        base = base[: len(base) - (node.level - (1 if is_package else 0))]
        return ".".join([*base, *([node.module] if node.module else [])])

    def imports_of(self, module: str) -> Iterator[Import]:
        for node in ast.walk(self.tree(module)):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == ROOT:
                        yield Import(module, self.resolve(alias.name), None, node.lineno, False)
            elif isinstance(node, ast.ImportFrom):
                target = self._absolute(module, node)
                if target.split(".")[0] != ROOT:
                    continue
                for alias in node.names:
                    full = f"{target}.{alias.name}"
                    imported = full if full in self.modules else self.resolve(target)
                    name = None if full in self.modules else alias.name
                    yield Import(module, imported, name, node.lineno, bool(node.level))

    @cached_property
    def imports(self) -> list[Import]:
        return [found for module in self.modules for found in self.imports_of(module)]


def crossings(source: Source) -> list[str]:
    """Imports that go up or across the layers."""
    found = []
    for imp in source.imports:
        importer, imported = layer(imp.importer), layer(imp.imported)
        if imported in {importer, ROOT}:
            continue
        if imported not in ALLOWED.get(importer, frozenset()):
            found.append(f"{imp.importer}:{imp.line} ({importer}) imports {imp.imported}")
    return sorted(found)


def unknown_layers(source: Source) -> list[str]:
    """Modules in a layer the rules do not know: a new layer needs a rule first."""
    return sorted({m for m in source.modules if layer(m) not in ALLOWED and layer(m) != ROOT})


def relative_imports(source: Source) -> list[str]:
    """Relative imports: they hide a module's layer from a reader (and from grep)."""
    return sorted(f"{imp.importer}:{imp.line} imports {imp.imported} relatively"
                  for imp in source.imports if imp.relative)  # fmt: skip


def private_imports(source: Source) -> list[str]:
    """Private names (``_x``) imported from another module."""
    return sorted(
        f"{imp.importer}:{imp.line} imports {imp.name} from {imp.imported}"
        for imp in source.imports
        if imp.name and imp.name.startswith("_") and not imp.name.startswith("__")
        and imp.imported != imp.importer
    )  # fmt: skip


def import_graph(source: Source) -> dict[str, set[str]]:
    """Who imports whom, every import counted (a package's modules importing it excepted)."""
    graph: dict[str, set[str]] = {module: set() for module in source.modules}
    for imp in source.imports:
        # A module importing its own package (``from briefpack.model import Pack`` in
        # briefpack.model.changes) is how Python packages work, not a cycle.
        if imp.imported != imp.importer and not imp.importer.startswith(imp.imported + "."):
            graph[imp.importer].add(imp.imported)
    return graph


def cycles(source: Source) -> list[str]:
    """Groups of modules that import each other, directly or around a loop (Tarjan)."""
    graph = import_graph(source)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[str] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in sorted(graph[module]):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                groups.append(" <-> ".join(sorted(group)))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return sorted(groups)


def click_users(source: Source) -> list[str]:
    """Modules below the command line that import click."""
    found = []
    for module in source.modules:
        if layer(module) not in WITHOUT_CLICK:
            continue
        for node in ast.walk(source.tree(module)):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            if any(name.split(".")[0] == "click" for name in names):
                found.append(f"{module}:{node.lineno} imports click")
    return sorted(found)


def writes(source: Source) -> list[str]:
    """File-system changes outside the layers whose job they are."""
    return sorted(
        found
        for module in source.modules
        if layer(module) not in WRITERS
        for found in writes_in(source, module)
    )


def writes_in(source: Source, module: str) -> Iterator[str]:
    """Each call (or import) in ``module`` that changes the file system."""
    for node in ast.walk(source.tree(module)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            for name in names:
                if name and name.split(".")[0] in WRITING_MODULES:
                    yield f"{module}:{node.lineno} imports {name}"
            if isinstance(node, ast.ImportFrom) and node.module in {"os", "shutil"}:
                for alias in node.names:
                    if alias.name in WRITING_CALLS | WRITING_IN_OS:
                        yield f"{module}:{node.lineno} imports {alias.name} from {node.module}"
        if not isinstance(node, ast.Call):
            continue
        name, owner = _called(node)
        if name in WRITING_CALLS or (name in WRITING_IN_OS and owner in {"os", "shutil"}):
            yield f"{module}:{node.lineno} calls {name}"
        elif name == "open" and _opens_for_writing(node, owner):
            yield f"{module}:{node.lineno} opens a file for writing"


def _called(call: ast.Call) -> tuple[str, str]:
    """The called name and, for ``owner.name(...)``, the owner's name."""
    function = call.func
    if isinstance(function, ast.Attribute):
        owner = function.value.id if isinstance(function.value, ast.Name) else ""
        return function.attr, owner
    if isinstance(function, ast.Name):
        return function.id, ""
    return "", ""


def _opens_for_writing(call: ast.Call, owner: str) -> bool:
    """``open(f, "w")``, ``path.open("w")``, ``os.open(f, os.O_WRONLY)``, ``mode="a"``..."""
    if owner == "os":
        return any(
            isinstance(node, ast.Attribute | ast.Name)
            and (node.attr if isinstance(node, ast.Attribute) else node.id) in WRITING_FLAGS
            for argument in call.args[1:]
            for node in ast.walk(argument)
        )
    keywords = [keyword.value for keyword in call.keywords if keyword.arg == "mode"]
    if owner in {"", "io", "codecs"}:
        # The builtin takes the file first and the mode second; a mode computed at
        # run time may write.
        return any(not _reads_only(mode) for mode in [*call.args[1:2], *keywords])
    # A method: Path.open("w") takes its mode first; pikepdf.open(file) and
    # Image.open(file) take a file, which is not a mode string.
    first = call.args[:1]
    return any(_is_string(mode) and not _reads_only(mode) for mode in first) or any(
        not _reads_only(mode) for mode in keywords
    )


def _is_string(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _reads_only(mode: ast.expr) -> bool:
    """A constant mode string without w, a, x or +."""
    return _is_string(mode) and not set(str(getattr(mode, "value", ""))) & set("wax+")


def long_modules(source: Source) -> list[str]:
    """Modules over MODULE_LINES lines, and a command line over CLI_LINES."""
    found = []
    for module in source.modules:
        lines = len(source.text(module).splitlines())
        limit = CLI_LINES if layer(module) == "cli" else MODULE_LINES
        if lines > limit:
            found.append(f"{module} has {lines} lines (at most {limit})")
    return sorted(found)


def long_functions(source: Source) -> list[str]:
    """Functions (methods and nested ones included) over FUNCTION_LINES lines."""
    found = []
    for module in source.modules:
        for node in ast.walk(source.tree(module)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > FUNCTION_LINES:
                    found.append(f"{module}:{node.lineno} {node.name} has {lines} lines")
    return sorted(found)


def duplicate_classes(source: Source) -> list[str]:
    """Public classes of one name defined in two modules: one idea, one definition."""
    defined: dict[str, list[str]] = {}
    for module in source.modules:
        for node in source.tree(module).body:
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                defined.setdefault(node.name, []).append(module)
    return sorted(f"{name} in {', '.join(where)}" for name, where in defined.items()
                  if len(where) > 1)  # fmt: skip


def duplicate_module_names(source: Source) -> list[str]:
    """Module names used twice (``settings.py`` in two layers): names say what a module holds."""
    seen: dict[str, list[str]] = {}
    for module in source.modules:
        if source.modules[module].name != "__init__.py":
            seen.setdefault(module.rpartition(".")[2], []).append(module)
    return sorted(f"{name}: {', '.join(where)}" for name, where in seen.items()
                  if len(where) > 1)  # fmt: skip


#: The module both writers read for what a document contains (issue 27: one view of the page).
VIEW = "briefpack.render.view"
#: The writers: the HTML one (the PDF is rendered from its HTML) and the Word one.
WRITER_MODULES = ("briefpack.render.html", "briefpack.render.docx.writer")


def writers_without_the_view(source: Source) -> list[str]:
    """Writers that do not read the shared view of the page (its package or module)."""
    return sorted(
        writer
        for writer in WRITER_MODULES
        if not any(
            imp.importer == writer and (imp.imported == VIEW or imp.imported.startswith(VIEW + "."))
            for imp in source.imports
        )
    )


def word_comparisons(source: Source) -> list[str]:
    """Tracked changes made by comparing two rendered Word files rather than from the model.

    The model marks the changes once (``Revision`` nodes); a Word module that
    diffs text (difflib) or reads a finished package's ``document.xml`` back is
    a second change marker.
    """
    found = []
    for module in source.modules:
        if not module.startswith("briefpack.render.docx"):
            continue
        text = source.text(module)
        for node in ast.walk(source.tree(module)):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = (
                    [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
                )
                if any(name and name.split(".")[0] == "difflib" for name in names):
                    found.append(f"{module}:{node.lineno} imports difflib")
        if "word/document.xml" in text and ".read(" in text:
            found.append(f"{module} reads a rendered document.xml back")
    return sorted(found)
