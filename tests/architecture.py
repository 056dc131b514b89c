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
    cli                       everything; nothing imports it but __main__
    __main__                  cli (``python -m briefpack``)

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
    "__main__": frozenset({"cli"}),
}
#: Layers that may change the file system.
WRITERS = frozenset({"build", "authoring"})
#: Layers that may run other programs without being writers.
RUNNERS = frozenset({"doctor"})
#: Layers that must not know about the command line's library.
WITHOUT_CLICK = frozenset({"errors", "model", "content", "render"})
#: Calls that make a class at the top of a module.
CLASS_FACTORIES = frozenset({"NamedTuple", "namedtuple", "make_dataclass", "NewType", "TypedDict"})
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
#: Calls that write a document to the file they are given (python-docx, pikepdf, WeasyPrint):
#: a write when that is a file name rather than a buffer.
SAVING_CALLS = frozenset({"save", "write_pdf", "write_png", "write_to"})
#: Modules whose ``open`` takes the file first and the mode second (``""``: the builtin).
FILE_FIRST = frozenset({"", "io", "codecs", "gzip", "bz2", "lzma", "tarfile", "zipfile"})
#: Classes that open the file they are given, in the mode that follows it; a buffer is fine.
ARCHIVES = frozenset({"ZipFile", "TarFile", "FileIO"})
#: Running another program may write anything: only the writing layers may (and doctor,
#: which asks programs their version).
RUNNING_MODULES = frozenset({"subprocess"})
RUNNING_IN_OS = frozenset({"system", "popen", "spawnl", "spawnv", "execv", "execvp", "posix_spawn"})
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
            elif isinstance(node, ast.Call) and (named := _imported_by_name(node)):
                yield Import(module, self.resolve(named), None, node.lineno, False)

    @cached_property
    def imports(self) -> list[Import]:
        return [found for module in self.modules for found in self.imports_of(module)]


def _imported_by_name(call: ast.Call) -> str | None:
    """The briefpack module a call imports by name: ``importlib.import_module("briefpack.x")``,
    ``__import__(...)`` or a helper of ours whose name says it imports (``quiet_import``)."""
    function = call.func
    called = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
    if "import" not in called or not call.args:
        return None
    first = call.args[0]
    if isinstance(first, ast.Constant) and str(first.value).split(".")[0] == ROOT:
        return str(first.value)
    return None


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
    """Who imports whom, every import counted."""
    graph: dict[str, set[str]] = {module: set() for module in source.modules}
    for imp in source.imports:
        # A module importing its own package (``from briefpack.model import Pack`` in
        # briefpack.model.changes) counts too: if the package's __init__ imports that
        # module back, importing either first finds the other half-made.
        if imp.imported != imp.importer:
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
    """File-system changes (and programs run) outside the layers whose job they are."""
    return sorted(
        found
        for module in source.modules
        if layer(module) not in WRITERS
        for found in writes_in(source, module)
        if not (layer(module) in RUNNERS and "runs a program" in found)
    )


def writes_in(source: Source, module: str) -> Iterator[str]:
    """Each call (or import) in ``module`` that changes the file system or runs a program."""
    tree = source.tree(module)
    aliases = _module_aliases(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield from _writing_imports(module, node)
        if not isinstance(node, ast.Call):
            continue
        name, owner = _called(node, aliases)
        if _writes(node, name, owner):
            yield f"{module}:{node.lineno} calls {name}"
        elif name == "open" and _opens_for_writing(node, owner):
            yield f"{module}:{node.lineno} opens a file for writing"
        elif name in ARCHIVES and _names_a_file(node.args[0] if node.args else node):
            if _opens_for_writing(node, ""):
                yield f"{module}:{node.lineno} opens a file for writing"
        elif owner in RUNNING_MODULES or (owner == "os" and name in RUNNING_IN_OS):
            yield f"{module}:{node.lineno} runs a program ({owner}.{name})"


def _module_aliases(tree: ast.Module) -> dict[str, str]:
    """Names that stand for a module in ``tree``: ``import shutil as sh`` gives sh -> shutil."""
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                aliases[alias.asname or alias.name.split(".")[0]] = alias.name
    return aliases


def _writing_imports(module: str, node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    """``import tempfile``, ``from os import replace``, ``from shutil import move as m``."""
    names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
    for name in names:
        if name and name.split(".")[0] in WRITING_MODULES:
            yield f"{module}:{node.lineno} imports {name}"
    if isinstance(node, ast.ImportFrom) and node.module in {"os", "shutil", "subprocess"}:
        for alias in node.names:
            if alias.name in WRITING_CALLS | WRITING_IN_OS | RUNNING_IN_OS or (
                node.module == "subprocess"
            ):
                yield f"{module}:{node.lineno} imports {alias.name} from {node.module}"


def _called(call: ast.Call, aliases: dict[str, str]) -> tuple[str, str]:
    """The called name and, for ``owner.name(...)``, the owner: the module an alias stands
    for, a plain name, or ``"."`` for anything else (``(folder / name).open(...)``)."""
    function = call.func
    if isinstance(function, ast.Attribute):
        if isinstance(function.value, ast.Name):
            owner = function.value.id
            return function.attr, aliases.get(owner, owner).split(".")[0]
        return function.attr, "."
    if isinstance(function, ast.Name):
        return function.id, ""
    return "", ""


def _writes(call: ast.Call, name: str, owner: str) -> bool:
    """A call whose job is to change the file system."""
    if name in WRITING_CALLS or (name in WRITING_IN_OS and owner in {"os", "shutil"}):
        return True
    positional = len(call.args)
    if name == "rename" and owner and positional == 1:
        return True  # Path.rename(target); str has no rename
    if name == "replace" and owner and positional == 1 and not call.keywords:
        return True  # Path.replace(target); str.replace takes two, dataclasses.replace keywords
    if name in SAVING_CALLS:
        targets = [*call.args[:1], *(k.value for k in call.keywords if k.arg == "target")]
        return any(_names_a_file(target) for target in targets)
    return False


def _names_a_file(node: ast.expr) -> bool:
    """A file name or path written in the call (``"x.pdf"``, ``f"{n}.pdf"``, ``folder / n``,
    ``Path(...)``) rather than a buffer."""
    if isinstance(node, ast.Constant | ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        return True
    if isinstance(node, ast.Call):
        function = node.func
        called = (
            function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
        )
        return called in {"Path", "PurePath", "with_suffix", "with_name", "joinpath", "fspath"}
    return False


def _opens_for_writing(call: ast.Call, owner: str) -> bool:
    """``open(f, "w")``, ``path.open("w")``, ``os.open(f, os.O_WRONLY)``, ``mode="a"``..."""
    if owner == "os":
        return _os_flags_write(call)
    keywords = [keyword.value for keyword in call.keywords if keyword.arg == "mode"]
    if owner in FILE_FIRST:
        # The builtin and these modules' open (and ZipFile, FileIO) take the file first and
        # the mode second; a mode computed at run time may write.
        return any(not _reads_only(mode) for mode in [*call.args[1:2], *keywords])
    # A method: Path.open(mode) takes its mode first, but pikepdf.open(file) and
    # Image.open(file) take a file, which is not a mode: a string must read only, and
    # so must anything else given to a path's open ("." is an expression such as
    # ``(folder / name).open(mode)``).
    first = call.args[:1]
    return any(
        (_is_string(mode) or owner == ".") and not _reads_only(mode) for mode in first
    ) or any(not _reads_only(mode) for mode in keywords)


def _os_flags_write(call: ast.Call) -> bool:
    """``os.open``'s flags name a writing flag, or are not written out where they are given."""
    names = {
        node.attr if isinstance(node, ast.Attribute) else node.id
        for argument in call.args[1:2]
        for node in ast.walk(argument)
        if isinstance(node, ast.Attribute | ast.Name)
    }
    flags = {name for name in names if name.startswith("O_")}
    return bool(flags & WRITING_FLAGS) or not flags


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
    """Public classes of one name defined in two modules: one idea, one definition.

    A class is also one made by a call at the top of a module (``X = NamedTuple(...)``,
    ``make_dataclass``, ``namedtuple``, ``NewType``), and one defined under an ``if``.
    """
    defined: dict[str, list[str]] = {}
    for module in source.modules:
        for name in _classes_in(source.tree(module).body):
            defined.setdefault(name, []).append(module)
    return sorted(f"{name} in {', '.join(where)}" for name, where in defined.items()
                  if len(where) > 1)  # fmt: skip


def _classes_in(body: list[ast.stmt]) -> Iterator[str]:
    for node in body:
        if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            yield node.name
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            function = node.value.func
            called = (
                function.attr
                if isinstance(function, ast.Attribute)
                else getattr(function, "id", "")
            )
            if called in CLASS_FACTORIES:
                for target in node.targets:
                    if isinstance(target, ast.Name) and not target.id.startswith("_"):
                        yield target.id
        elif isinstance(node, ast.If | ast.Try):
            yield from _classes_in([*node.body, *node.orelse])


def duplicate_module_names(source: Source) -> list[str]:
    """Module and package names used twice (``settings.py`` in two layers, a ``view/``
    package beside a ``view.py``): names say what a module holds."""
    seen: dict[str, list[str]] = {}
    for module in source.modules:
        if module != ROOT:
            seen.setdefault(module.rpartition(".")[2], []).append(module)
    return sorted(f"{name}: {', '.join(where)}" for name, where in seen.items()
                  if len(where) > 1)  # fmt: skip


#: The module both writers read for what a document contains (issue 27: one view of the page).
VIEW = "briefpack.render.view"
#: The writers: the HTML one (the PDF is rendered from its HTML) and the Word one.
WRITER_MODULES = ("briefpack.render.html", "briefpack.render.docx.writer")


def writers_without_the_view(source: Source) -> list[str]:
    """Writers that do not import the shared view of the page themselves."""
    return sorted(
        writer
        for writer in WRITER_MODULES
        if not any(imp.importer == writer and imp.imported == VIEW for imp in source.imports)
    )


def word_comparisons(source: Source) -> list[str]:
    """Tracked changes made by comparing two rendered Word files rather than from the model.

    The model marks the changes once (``Revision`` nodes); a render module that
    diffs text (difflib) or reads a finished package's ``document.xml`` back is
    a second change marker.
    """
    found = []
    for module in source.modules:
        if layer(module) != "render":
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
