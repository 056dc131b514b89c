"""The sandbox a theme's templates run in, and their errors as problems at the template's line.

A theme folder may come from anyone (a shared brand theme, a pack received
from outside), and ``build``, ``watch``, ``preview`` and every worker render
its template; so a template is untrusted code.  It runs in Jinja's
:class:`~jinja2.sandbox.ImmutableSandboxedEnvironment`, which refuses private
attributes (``__class__``, ``_TemplateReference__context``), Python's
internals (``__globals__``, ``gi_frame``), ``str.format`` tricks and calls
that change a list or a dict.  Four holes that sandbox leaves are closed here:

- the values briefpack hands a template hold paths (the theme's files, a
  pre-read's file), and a :class:`~pathlib.Path` can read, write and delete
  files; a template sees only a path's name, never its methods;
- :class:`jinja2.FileSystemLoader` follows symbolic links, so ``{% include %}``
  of a link could read any file into the page; only files inside the theme's
  folder are served;
- ``'x' * 10 ** 10`` or ``2 ** (10 ** 9)`` would take all the memory or time
  there is, even while Jinja folds constants when it compiles; ``*`` and
  ``**`` are bounded (:data:`MAX_REPEAT`, :data:`MAX_EXPONENT`), and so is
  every width or count a filter or string method pads to or multiplies by
  (``center``, ``ljust``, ``zfill``, a ``%`` or ``format`` field's width,
  ``indent``, ``replace``...: :data:`MAX_WIDTH`);
- a private attribute fetched but never printed (``{% set c = x.__class__ %}``)
  is silently undefined; every template is also read once for such names,
  in branches a render never takes too, so ``validate`` refuses what a build
  might only stumble on.

Any failure of a template is reported as ``TEMPLATE:LINE:1: message``, never
as a traceback; so is a template nested too deeply for Jinja's parser or
Python's compiler (25 nested ``{% for %}``, 300 parentheses), which fail
before the template has a line to run.
"""

from __future__ import annotations

import functools
import io
import re
import string
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePath
from types import BuiltinMethodType, CodeType, MethodType, TracebackType
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from briefpack.errors import BriefpackError, Mark, Problem

#: What a template may read of a path: its name, never a method that touches a file.
PATH_ATTRIBUTES = frozenset({"name", "stem", "suffix"})
#: Values a template may not reach into: they reach the file system.
_FILE_TYPES = (PurePath, io.IOBase)
#: Most items (characters) ``*`` may make of a string or a list.
MAX_REPEAT = 1_000_000
#: Largest power ``**`` may raise to.
MAX_EXPONENT = 100
#: Widest field a template may pad a string to, and longest string
#: ``replace``, ``indent`` or ``wordwrap`` may make: ``"x"|center(1500000000)``
#: or ``"%01500000000d"|format(1)`` would build gigabytes.
MAX_WIDTH = MAX_REPEAT
#: String methods whose arguments are widths (``'x'.ljust(N)``).
_WIDTH_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})
#: A ``%`` conversion's width and precision (``%(name)-08.3f``, ``%*d``).
_PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(\*|\d+)?(?:\.(\*|\d+))?")
#: What a theme is told when its template reaches outside the sandbox.
SANDBOX_ADVICE = (
    "a theme's template runs in a sandbox and may use only the values, filters and "
    "functions briefpack gives it"
)


class ThemeSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with no way to a file through a path and bounded ``*``, ``**``."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters.update(_bounded_filters(self.filters))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """A string's ``format``, ``ljust``, ``replace``... refusing a width over :data:`MAX_WIDTH`.

        Jinja calls this on every attribute a template reads, whether it is
        then called by the template or handed to a filter.
        """
        wrapped = super().wrap_str_format(value)
        owner = getattr(value, "__self__", None)
        if not isinstance(owner, str) or not isinstance(value, BuiltinMethodType | MethodType):
            return wrapped
        method: Callable[..., str] = value
        name = value.__name__
        if name in ("format", "format_map") and wrapped is not None:
            formatted = wrapped

            def checked(*args: Any, **kwargs: Any) -> str:
                _check_format_fields(owner, [*args, *kwargs.values()])
                return formatted(*args, **kwargs)

            return checked
        if name in _WIDTH_METHODS:

            def padded(*args: Any, **kwargs: Any) -> str:
                _refuse_wide(f"str.{name}()", [*args, *kwargs.values()])
                return method(*args, **kwargs)

            return padded
        if name == "replace":

            def replaced(old: Any, new: Any, count: Any = -1) -> str:
                _check_replace(owner, old, new, count)
                return method(old, new, count)

            return replaced
        return wrapped

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """``left * right`` or ``left ** right``, refused when the result would be huge."""
        if operator == "%" and isinstance(left, str):
            _check_percent(left, right)
        if operator == "**" and isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"a power above {MAX_EXPONENT}")
        count, repeated = (right, left) if isinstance(right, int) else (left, right)
        if (
            operator == "*"
            and isinstance(count, int)
            and isinstance(repeated, str | list | tuple)
            and len(repeated) * count > MAX_REPEAT
        ):
            raise SecurityError(f"a string or list of over {MAX_REPEAT} items")
        return super().call_binop(context, operator, left, right)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """The template's tree; one that nests past Python's recursion limit is a problem.

        Jinja's parser and code generator recurse once per level of nesting
        (``((((x))))``, ``x.title().title()...``, ``not not ...``), so a deep
        enough template stops them with a :class:`RecursionError` that has no
        frame of the template to place it by.
        """
        with _too_deep(filename or name):
            return super()._parse(source, name, filename)

    def _generate(
        self,
        source: nodes.Template,
        name: str | None,
        filename: str | None,
        defer_init: bool = False,
    ) -> str:
        """Jinja's Python code for the tree, which recurses as :meth:`_parse` does."""
        with _too_deep(filename or name):
            return super()._generate(source, name, filename, defer_init)

    def _compile(self, source: str, filename: str) -> CodeType:
        """Python's code for Jinja's ``source``: Python's nesting limits placed at the template.

        Python refuses 20 nested loops (``for``, ``with``) and about 100 levels
        of indentation with a :class:`SyntaxError` at a line of the code Jinja
        generated; Jinja's ``debug_info`` maps that line back to the template's.
        """
        try:
            with _too_deep(filename):
                return super()._compile(source, filename)
        except SyntaxError as error:
            line = _template_line(source, error.lineno or 0)
            raise BriefpackError(
                [Problem(Mark(filename, line, 1), f"{TOO_DEEP} ({error.msg})")]
            ) from None

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Refuse every attribute of a path or a file but its name (see :data:`PATH_ATTRIBUTES`)."""
        if isinstance(obj, _FILE_TYPES) and attr not in PATH_ATTRIBUTES:
            return False
        return bool(super().is_safe_attribute(obj, attr, value))

    def is_safe_callable(self, obj: Any) -> bool:
        """Refuse a method of a path or a file, however the template came by it."""
        if isinstance(getattr(obj, "__self__", None), _FILE_TYPES):
            return False
        return bool(super().is_safe_callable(obj))


def _refuse_wide(what: str, numbers: Iterable[Any]) -> None:
    """Refuse any whole number over :data:`MAX_WIDTH` among ``numbers`` (widths, counts)."""
    if any(isinstance(n, int) and n > MAX_WIDTH for n in numbers):
        raise SecurityError(f"{what} with a width over {MAX_WIDTH}")


def _too_wide(digits: str) -> bool:
    # int() of over 4,300 digits is itself refused, so a long number is judged by its length.
    return len(digits) > len(str(MAX_WIDTH)) or int(digits) > MAX_WIDTH


def _check_percent(template: str, values: Any) -> None:
    """Refuse a ``%`` format whose field is wider or more precise than :data:`MAX_WIDTH`."""
    for width, precision in _PERCENT_FIELD.findall(template):
        if any(n.isdigit() and _too_wide(n) for n in (width, precision)):
            raise SecurityError(f"a % format field with a width over {MAX_WIDTH}")
        if "*" in (width, precision):
            _refuse_wide("a % format field", values if isinstance(values, tuple) else [values])


def _check_format_fields(template: str, values: list[Any]) -> None:
    """Refuse a ``str.format`` field wider or more precise than :data:`MAX_WIDTH`.

    A width taken from an argument (``'{:>{}}'.format('x', n)``) is judged by
    the arguments: then no whole number among them may be over the limit.
    """
    try:
        fields = [spec for _, _, spec, _ in string.Formatter().parse(template) if spec]
    except ValueError:
        return  # format() itself refuses the template
    for spec in fields:
        if any(_too_wide(n) for n in re.findall(r"\d+", spec)):
            raise SecurityError(f"a format field with a width over {MAX_WIDTH}")
        if "{" in spec:
            _refuse_wide("a format field", values)


def _check_replace(text: str, old: Any, new: Any, count: Any) -> None:
    """Refuse a ``replace`` whose result would be longer than :data:`MAX_WIDTH`."""
    if not isinstance(old, str) or not isinstance(new, str) or len(new) <= len(old):
        return
    found = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    if len(text) + found * (len(new) - len(old)) > MAX_WIDTH:
        raise SecurityError(f"a replace() making a string of over {MAX_WIDTH} characters")


def _bounded_filters(filters: dict[str, Any]) -> dict[str, Any]:
    """Jinja's ``center``, ``format``, ``indent``, ``replace``, ``truncate`` and ``wordwrap``,
    each refusing a width or a result over :data:`MAX_WIDTH` before it builds anything.

    Each keeps the original's ``pass_environment``/``pass_eval_context`` mark
    (``functools.wraps`` copies it), so Jinja passes it the same arguments.
    """
    center, format_, indent = filters["center"], filters["format"], filters["indent"]
    replace, truncate, wordwrap = filters["replace"], filters["truncate"], filters["wordwrap"]

    @functools.wraps(center)
    def do_center(value: Any, width: Any = 80) -> Any:
        _refuse_wide("center", [width])
        return center(value, width)

    @functools.wraps(format_)
    def do_format(value: Any, *args: Any, **kwargs: Any) -> Any:
        _check_percent(str(value), tuple(args) or kwargs)
        return format_(value, *args, **kwargs)

    @functools.wraps(indent)
    def do_indent(text: Any, width: Any = 4, *args: Any, **kwargs: Any) -> Any:
        _refuse_wide("indent", [width])
        size = width if isinstance(width, int) else len(str(width))
        if len(str(text)) + size * (str(text).count("\n") + 1) > MAX_WIDTH:
            raise SecurityError(f"an indent making a string of over {MAX_WIDTH} characters")
        return indent(text, width, *args, **kwargs)

    @functools.wraps(replace)
    def do_replace(context: Any, text: Any, old: Any, new: Any, count: Any = None) -> Any:
        _check_replace(str(text), str(old), str(new), -1 if count is None else count)
        return replace(context, text, old, new, count)

    @functools.wraps(truncate)
    def do_truncate(
        environment: Any, text: Any, length: Any = 255, *args: Any, **kwargs: Any
    ) -> Any:
        _refuse_wide("truncate", [length])
        return truncate(environment, text, length, *args, **kwargs)

    @functools.wraps(wordwrap)
    def do_wordwrap(environment: Any, text: Any, width: Any = 79, *args: Any, **kwargs: Any) -> Any:
        _refuse_wide("wordwrap", [width])
        wrapstring = kwargs.get("wrapstring", args[1] if len(args) > 1 else None)
        lines = len(str(text)) // max(1, width if isinstance(width, int) else 1) + 1
        if len(str(text)) + lines * len(str(wrapstring or "\n")) > MAX_WIDTH:
            raise SecurityError(f"a wordwrap making a string of over {MAX_WIDTH} characters")
        return wordwrap(environment, text, width, *args, **kwargs)

    return {
        "center": do_center,
        "format": do_format,
        "indent": do_indent,
        "replace": do_replace,
        "truncate": do_truncate,
        "wordwrap": do_wordwrap,
    }


#: What a template too deeply nested to compile is told.
TOO_DEEP = "the template nests too deeply for Python to compile"


@contextmanager
def _too_deep(filename: str | None) -> Iterator[None]:
    """A :class:`RecursionError` while reading or compiling a template, as one problem at it."""
    try:
        yield
    except RecursionError:
        where = Mark(filename, 1, 1) if filename else "the theme's template"
        why = "its expressions or blocks nest past the recursion limit"
        raise BriefpackError([Problem(where, f"{TOO_DEEP} ({why})")]) from None


def _template_line(code: str, code_line: int) -> int:
    """The template's line that Jinja's generated ``code`` has at ``code_line`` (else 1).

    Jinja ends the code with ``debug_info = 'TEMPLATE=CODE&...'``, in order.
    """
    line = 1
    marker = "\ndebug_info = '"
    start = code.rfind(marker)
    if start < 0:
        return line
    pairs = code[start + len(marker) :].partition("'")[0]
    for pair in filter(None, pairs.split("&")):
        template_line, _, generated = pair.partition("=")
        if int(generated) > code_line:
            break
        line = int(template_line)
    return line


class ThemeLoader(jinja2.FileSystemLoader):
    """Templates from one folder only, each read for private names before it is compiled."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.folder = folder.resolve()

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        """The template's text, refused if it lies outside the folder or names private things."""
        source, filename, uptodate = super().get_source(environment, template)
        # resolve() follows symbolic links: a link inside that leads outside is outside.
        if not Path(filename).resolve().is_relative_to(self.folder):
            raise BriefpackError(
                [Problem(filename, f"a theme's template must be a file in {self.folder}")]
            )
        # Walking the tree recurses once per level, as parsing it does.
        with _too_deep(filename):
            _refuse_private_names(environment.parse(source, template, filename), filename)
        return source, filename, uptodate


#: Filters whose first argument names an attribute (``x|attr('name')``).
_ATTRIBUTE_FILTERS = frozenset({"attr", "selectattr", "rejectattr"})


def _refuse_private_names(tree: nodes.Template, filename: str) -> None:
    """Every ``x._name``, ``x['_name']``, ``x|attr('_name')``, ``attribute='a._b'``, refused.

    One problem per line of the template, naming every private name on it.
    """
    by_line: dict[int, set[str]] = {}
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter, nodes.Test)):
        for name in _named(node):
            if any(part.startswith("_") for part in name.split(".")):
                by_line.setdefault(node.lineno, set()).add(name)
    if by_line:
        raise BriefpackError(
            [
                Problem(
                    Mark(filename, line, 1),
                    f"the template may not use the private name{'s' if len(names) > 1 else ''} "
                    f"{', '.join(repr(name) for name in sorted(names))}: {SANDBOX_ADVICE}",
                )
                for line, names in sorted(by_line.items())
            ]
        )


def _named(node: nodes.Node) -> list[str]:
    """The attribute names ``node`` spells out in its text (computed ones the sandbox checks)."""
    if isinstance(node, nodes.Getattr):
        return [node.attr]
    if isinstance(node, nodes.Getitem):
        return _constant(node.arg)
    if isinstance(node, nodes.Filter | nodes.Test):
        named = [
            value
            for pair in node.kwargs
            if pair.key == "attribute"
            for value in _constant(pair.value)
        ]
        if node.name in _ATTRIBUTE_FILTERS and node.args:
            named += _constant(node.args[0])
        return named
    return []


def _constant(node: nodes.Expr) -> list[str]:
    return [node.value] if isinstance(node, nodes.Const) and isinstance(node.value, str) else []


@contextmanager
def template_problems(template: Path) -> Iterator[None]:
    """Report what goes wrong in a theme's templates at their file and line.

    Jinja's own errors (syntax, an undefined name, a sandbox refusal, a
    missing include) are the template's, and so is any error raised while a
    template line runs (``{{ 1 / 0 }}``, ``{{ initials(5) }}``): a theme can
    call briefpack's functions with anything.  Running out of memory is left
    to the worker, which names the limit.
    """
    try:
        yield
    except (BriefpackError, MemoryError):
        raise
    except jinja2.TemplateSyntaxError as error:
        where = Mark(error.filename or str(template), error.lineno, 1)
        raise BriefpackError([Problem(where, f"template syntax error: {error.message}")]) from None
    except (jinja2.TemplateError, RecursionError) as error:
        raise BriefpackError([Problem(_where(error, template), _message(error))]) from None
    except Exception as error:
        if _innermost_template_frame(error.__traceback__, template) is None:
            raise
        raise BriefpackError([Problem(_where(error, template), _message(error))]) from None


def _message(error: BaseException) -> str:
    if isinstance(error, jinja2.exceptions.SecurityError):
        return f"refused: {error} ({SANDBOX_ADVICE})"
    if isinstance(error, jinja2.TemplateNotFound):
        return f"no template {error.name!r} in the theme's folder"
    if isinstance(error, RecursionError):
        return "the template calls itself without end"
    if isinstance(error, jinja2.TemplateError):
        return f"template error: {error}"
    return f"template error: {type(error).__name__}: {error}"


def _where(error: BaseException, template: Path) -> Mark | str:
    frame = _innermost_template_frame(error.__traceback__, template)
    if frame is None:
        return str(template)
    return Mark(frame.tb_frame.f_code.co_filename, frame.tb_lineno, 1)


def _innermost_template_frame(
    traceback: TracebackType | None, template: Path
) -> TracebackType | None:
    """The last frame of ``traceback`` that is a line of a template of the theme's folder.

    Jinja rewrites a render's traceback so that its frames carry the
    template's file name and line, which is how they are told from Python's.
    """
    folder = template.parent.resolve()
    found = None
    while traceback is not None:
        if Path(traceback.tb_frame.f_code.co_filename).resolve().is_relative_to(folder):
            found = traceback
        traceback = traceback.tb_next
    return found
