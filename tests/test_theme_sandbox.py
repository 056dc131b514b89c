"""A theme is untrusted: its template runs in a sandbox that refuses at the template's line
what reaches outside it, never ends, nests too deep or builds gigabyte strings, in
``validate`` as in ``build``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MINIMAL_PACK, run
from theme_helpers import build_pack, one_line_at, pack_with_theme, run_fresh

# Each escape sits on line 3, inside a branch that is taken; MARKER is the file it
# tries to create, so the test can tell that nothing ran.
ESCAPES = {
    "subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "cycler globals": "{{ cycler.__init__.__globals__.os.system('touch MARKER') }}",
    "lipsum globals": "{{ lipsum.__globals__['os'].popen('touch MARKER').read() }}",
    "range self": "{{ range.__self__.__import__('os').system('touch MARKER') }}",
    "pack class": "{{ pack.__class__.__init__.__globals__ }}",
    "template reference": "{{ self._TemplateReference__context }}",
    "attr filter": "{{ (pack|attr('__class__')).__base__ }}",
    "computed name": "{{ pack|attr('_' ~ '_class__') }}",
    "str.format": "{{ '{0.__class__.__init__.__globals__}'.format(pack) }}",
    "computed format": "{{ ('{0.' ~ '__class__}').format(pack) }}",
    "path method": "{{ settings.chosen_theme.folder.joinpath('MARKER').touch() }}",
    "path read": "{{ settings.chosen_theme.template.read_text() }}",
    "mutating call": "{% set found = [] %}{{ found.append(1) }}",
    "map attribute": "{{ pack.days|map(attribute='date.__class__')|list }}",
    "unused private": "{% set c = pack.__class__ %}",
    "huge repeat": "{{ 'x' * 10 ** 10 }}",
    "huge power": "{{ 2 ** (10 ** 9) }}",
}


def _escaping_template(escape: str, marker: Path) -> str:
    body = escape.replace("MARKER", str(marker))
    return f"<html><body>\n{{% if pack.title %}}\n{body}\n{{% endif %}}\n</body></html>\n"


@pytest.mark.parametrize("escape", ESCAPES.values(), ids=ESCAPES.keys())
def test_a_template_that_reaches_outside_the_sandbox_is_refused_at_its_line_by_validate(
    tmp_path: Path, escape: str
) -> None:
    marker = tmp_path / "marker"
    pack = pack_with_theme(tmp_path, _escaping_template(escape, marker))
    code, out, err = run("validate", str(pack))
    assert code == 1
    assert "ok" not in out
    line = one_line_at(err, f"{tmp_path / 'brand' / 'pack.html.j2'}:3:1: ")
    assert "sandbox" in line
    assert not marker.exists()


@pytest.mark.parametrize("escape", ESCAPES.values(), ids=ESCAPES.keys())
def test_a_template_that_reaches_outside_the_sandbox_fails_the_build_at_its_line(
    tmp_path: Path, escape: str
) -> None:
    marker = tmp_path / "marker"
    pack = pack_with_theme(tmp_path, _escaping_template(escape, marker))
    code, err = build_pack(pack)
    assert code == 1
    line = one_line_at(err, f"{tmp_path / 'brand' / 'pack.html.j2'}:3:1: ")
    assert "sandbox" in line
    assert not marker.exists()
    assert not (tmp_path / "out" / "pack" / "pack.html").exists()


def test_an_escape_that_stops_every_output_of_a_pack_is_reported_once(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    pack = pack_with_theme(tmp_path, _escaping_template(ESCAPES["path method"], marker))
    code, err = build_pack(pack, "html", "pdf")
    assert code == 1
    one_line_at(err, f"{tmp_path / 'brand' / 'pack.html.j2'}:3:1: ")
    assert "0 written, 0 up to date, 1 problem," in err
    assert not marker.exists()


def test_validate_finds_an_escape_in_a_branch_the_render_does_not_take(tmp_path: Path) -> None:
    pack = pack_with_theme(
        tmp_path, "<html>\n{% if false %}\n\n\n{{ x.__init__ }}\n{% endif %}\n</html>\n"
    )
    code, _, err = run("validate", str(pack))
    assert code == 1
    assert "'__init__'" in one_line_at(err, f"{tmp_path / 'brand' / 'pack.html.j2'}:5:1: ")


def test_an_include_that_links_outside_the_theme_folder_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the secret", encoding="utf-8")
    pack = pack_with_theme(tmp_path, "<html>{% include 'part.j2' %}</html>\n")
    (tmp_path / "brand" / "part.j2").symlink_to(secret)
    code, err = build_pack(pack)
    assert code == 1
    one_line_at(err, f"{tmp_path / 'brand' / 'part.j2'}: ")
    code, _, err = run("validate", str(pack))
    assert code == 1
    assert "the secret" not in err


def test_the_sandbox_leaves_a_template_what_briefpack_gives_it(tmp_path: Path) -> None:
    template = (
        "<html><body>{% set ns = namespace(n=0) %}{% for i in range(3) %}"
        "{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }}|{{ pack.title|upper }}|"
        "{{ _('Question') }}|{{ initials('Jane Doe') }}|{{ settings.chosen_theme.logo }}|"
        "{{ settings.chosen_theme.template.name }}</body></html>\n"
    )
    pack = pack_with_theme(tmp_path, template)
    code, err = build_pack(pack)
    assert code == 0, err
    html = (tmp_path / "out" / "pack" / "pack.html").read_text(encoding="utf-8")
    assert "3|OFFSITE|Question|JD|None|pack.html.j2" in html


@pytest.mark.parametrize("name", ["lipsum", "cycler", "joiner", "dict"])
def test_jinja_globals_briefpack_does_not_give_are_undefined(tmp_path: Path, name: str) -> None:
    pack = pack_with_theme(tmp_path, f"<html>\n{{{{ {name}() }}}}\n</html>\n")
    code, _, err = run("validate", str(pack))
    assert code == 1
    assert f"'{name}' is undefined" in one_line_at(err, f"{tmp_path / 'brand' / 'pack.html.j2'}:2")


@pytest.mark.parametrize(
    ("template", "line", "words"),
    [
        ("<html>\n\n{% for %}\n", 3, "template syntax error"),
        ("<html>\n{{ nothing_of_that_name }}\n", 2, "'nothing_of_that_name' is undefined"),
        ("<html>\n{{ 1 / 0 }}\n", 2, "ZeroDivisionError"),
        ("<html>\n{% include 'missing.j2' %}\n", 2, "no template 'missing.j2'"),
        ("<html>\n{% macro f() %}{{ f() }}{% endmacro %}\n{{ f() }}\n", 2, "without end"),
    ],
)
def test_a_broken_template_is_reported_at_its_line_by_build_and_validate(
    tmp_path: Path, template: str, line: int, words: str
) -> None:
    pack = pack_with_theme(tmp_path, template)
    where = f"{tmp_path / 'brand' / 'pack.html.j2'}:{line}:1: "
    fresh = "without end" in words
    code, _, err = (run_fresh if fresh else run)("validate", str(pack))
    assert code == 1
    assert words in one_line_at(err, where)
    code, err = build_pack(pack, fresh=fresh)
    assert code == 1
    assert words in one_line_at(err, where)


def test_a_template_that_never_ends_stops_validate_at_the_time_limit_not_forever(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The sandbox bounds what a template may reach, not how long it runs: validate's
    # trial render runs in a worker under the build's limits (shortened here).
    from briefpack.build import trial
    from briefpack.build.render_limits import Limits

    monkeypatch.setattr(trial, "TRIAL_LIMITS", Limits(seconds=2))
    endless = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    pack = pack_with_theme(tmp_path, f"<html><body>\n{endless}\n</body></html>\n")
    code, out, err = run("validate", str(pack))
    assert code == 1
    assert "ok" not in out
    line = one_line_at(err, f"{tmp_path / 'brand' / 'pack.html.j2'}: ")
    assert "time limit of 2 s (the build's default" in line
    assert "--time-limit" not in line  # validate has no such option


# Templates that Python cannot compile: Jinja turns each {% for %} into a Python loop
# (Python allows 20 nested) and each {% if %} into a level of indentation (about 100),
# and parses each parenthesis or method call by recursing once more.
TOO_DEEP = {
    "nested for": "\n" + "{% for a in [1] %}" * 25 + "x" + "{% endfor %}" * 25,
    "nested if": "\n" + "{% if true %}" * 150 + "x" + "{% endif %}" * 150,
    "nested parentheses": "\n{{ " + "(" * 300 + "1" + ")" * 300 + " }}",
    "method chain": "\n{{ 'a'" + ".title()" * 1000 + " }}",
    "not chain": "\n{{ " + "not " * 2000 + "true }}",
}


@pytest.mark.parametrize("body", TOO_DEEP.values(), ids=TOO_DEEP.keys())
def test_a_template_too_deep_to_compile_is_one_line_at_the_template_in_validate_and_build(
    tmp_path: Path, body: str
) -> None:
    pack = pack_with_theme(tmp_path, f"<html><body>{body}\n</body></html>\n")
    template = tmp_path / "brand" / "pack.html.j2"
    code, _, err = run_fresh("validate", str(pack))
    assert code == 1
    line = one_line_at(err, f"{template}:")
    assert "the template nests too deeply for Python to compile" in line
    assert "calls itself without end" not in line
    code, err = build_pack(pack, fresh=True)
    assert code == 1
    assert "the template nests too deeply for Python to compile" in one_line_at(err, f"{template}:")


def test_a_block_python_cannot_nest_is_placed_at_its_template_line(tmp_path: Path) -> None:
    # Python's SyntaxError names a line of Jinja's generated code; the template's is told.
    loops = "{% for a in [1] %}\n" * 25 + "x\n" + "{% endfor %}\n" * 25
    pack = pack_with_theme(tmp_path, f"<html>\n<body>\n{loops}</body></html>\n")
    code, _, err = run("validate", str(pack))
    assert code == 1
    line = one_line_at(err, f"{tmp_path / 'brand' / 'pack.html.j2'}:")
    # Python refuses the 21st loop, which opens on the template's line 23.
    assert line.startswith(f"{tmp_path / 'brand' / 'pack.html.j2'}:23:1: ")
    assert "too many statically nested blocks" in line


# A template's branches that only some of the build's renders take: validate's trial
# render takes each (reproducer tpl/branch.txt: validate said ok, build refused).
_SESSIONS = "".join(
    f'      - title: Topic {n}\n        start: "1{n}:00"\n        end: "1{n}:30"\n'
    f"        questions:\n          - title: Item {n}\n            question: Why {n}?\n"
    for n in range(1, 4)
)
#: Four sessions (a book), a recipient, and an answers file beside it (a debrief).
BRANCHING_PACK = (
    MINIMAL_PACK.replace("days:", "recipients:\n  - name: Jane Doe\ndays:", 1)
    + _SESSIONS
    + "options:\n  theme: brand\n"
)
BRANCHES = {
    "session pack": "settings.session",
    "PDF (no inline stylesheet)": "stylesheet is none",
    "recipient's pack": "settings.recipient",
    "change-marked pack": "changes_title",
    "debrief": "settings.answers",
    "answer fields": "settings.answer_fields",
    "notes": "settings.notes",
    "letter paper": "page_size == 'letter'",
    "archival PDF": "settings.pdf_variant == 'pdf/a-3b'",
    "book part": "part",
}


@pytest.mark.parametrize("condition", BRANCHES.values(), ids=BRANCHES.keys())
def test_validate_refuses_a_sandbox_refusal_in_a_branch_only_some_outputs_take(
    tmp_path: Path, condition: str
) -> None:
    pack = pack_with_theme(
        tmp_path,
        "<html><body>\n"
        f"{{% if {condition} %}}\n{{{{ [].append(1) }}}}\n{{% endif %}}\n"
        "</body></html>\n",
    )
    pack.write_text(BRANCHING_PACK, encoding="utf-8")
    (tmp_path / "pack.answers.yaml").write_text("answers: {}\n", encoding="utf-8")
    code, out, err = run("validate", str(pack))
    assert code == 1, out
    assert "refused" in one_line_at(err, f"{tmp_path / 'brand' / 'pack.html.j2'}:3:1: ")


def test_a_refusal_only_in_the_pdf_is_refused_alike_by_validate_and_build(tmp_path: Path) -> None:
    # The PDF's HTML has no inline stylesheet; the HTML file, which validate rendered, has.
    pack = pack_with_theme(
        tmp_path,
        "<html><body>\n{% if stylesheet is none %}{{ {}.update(a=1) }}{% endif %}ok\n"
        "</body></html>\n",
    )
    where = f"{tmp_path / 'brand' / 'pack.html.j2'}:2:1: "
    code, _, err = run("validate", str(pack))
    assert code == 1
    line = one_line_at(err, where)
    code, err = build_pack(pack, "html", "pdf")
    assert code == 1
    assert one_line_at(err, where) == line


# Widths and counts that build gigabyte strings (attacker A2 #4): `*` was bounded,
# these were not; each is refused at its line before anything is built.
_HUGE = 1_500_000_000
WIDTH_BOMBS = {
    "center filter": f'{{{{ "x"|center({_HUGE})|length }}}}',
    "format filter's width": f'{{{{ "%0{_HUGE}d"|format(1)|length }}}}',
    "% operator's precision": f'{{{{ ("%.{_HUGE}f" % 1.0)|length }}}}',
    "% operator's width from an argument": f'{{{{ ("%*d" % ({_HUGE}, 1))|length }}}}',
    "str.ljust": f"{{{{ 'x'.ljust({_HUGE})|length }}}}",
    "str.zfill": f"{{{{ 'x'.zfill({_HUGE})|length }}}}",
    "str.expandtabs": f"{{{{ 'a\\tb'.expandtabs({_HUGE})|length }}}}",
    "str.format's width": f"{{{{ '{{:>{_HUGE}}}'.format('x')|length }}}}",
    "str.format's width from an argument": f"{{{{ '{{:>{{}}}}'.format('x', {_HUGE})|length }}}}",
    "indent filter": f"{{{{ 'a\\nb'|indent({_HUGE})|length }}}}",
    "wordwrap filter": f"{{{{ 'a b'|wordwrap({_HUGE})|length }}}}",
    "truncate filter": f"{{{{ 'a b'|truncate({_HUGE})|length }}}}",
    "replace filter doubling": "{{ ('x' * 1000000)|replace('x', 'xx')|length }}",
    "str.replace doubling": "{{ ('x' * 1000000).replace('x', 'xx')|length }}",
}


@pytest.mark.parametrize("bomb", WIDTH_BOMBS.values(), ids=WIDTH_BOMBS.keys())
def test_a_filter_or_string_method_asked_for_a_gigabyte_string_is_refused_at_its_line(
    tmp_path: Path, bomb: str
) -> None:
    pack = pack_with_theme(tmp_path, _escaping_template(bomb, tmp_path / "marker"))
    code, _, err = run("validate", str(pack))
    assert code == 1
    line = one_line_at(err, f"{tmp_path / 'brand' / 'pack.html.j2'}:3:1: ")
    assert "over 1000000" in line


def test_widths_counts_and_formats_as_themes_use_them_still_render(tmp_path: Path) -> None:
    used = (
        '{{ "x"|center(9) }}|{{ "%05d"|format(3) }}|{{ "%s-%s" % (1, 2) }}|{{ 7 % 3 }}|'
        '{{ "{:>5}".format("a") }}|{{ "a\\nb"|indent(2) }}|{{ "a b c"|wordwrap(2) }}|'
        '{{ "abc"|replace("b", "B") }}|{{ "hello world foo"|truncate(9) }}|{{ "x".rjust(3) }}.'
    )
    pack = pack_with_theme(tmp_path, f"<html><body>\n{used}\n</body></html>\n")
    code, err = build_pack(pack)
    assert code == 0, err
    html = (tmp_path / "out" / "pack" / "pack.html").read_text(encoding="utf-8")
    assert "    x    |00003|1-2|1|    a|a\n  b|a\nb\nc|aBc|hello...|  x." in html


def test_a_worker_recurses_under_pythons_own_limit_whatever_its_parent_set(
    tmp_path: Path,
) -> None:
    # Forked with a parent's limit of 100,000, the worker overflowed the C stack
    # (SIGSEGV) before any RecursionError could name the template's line.  Run in
    # a fresh process, like the other recursion tests (see run_fresh).
    pack = pack_with_theme(tmp_path, "<html>\n{% macro f() %}{{ f() }}{% endmacro %}\n{{ f() }}\n")
    out = tmp_path / "out"
    arguments = ["briefpack", "build", str(pack), "-o", str(out), "--no-sessions", "-f", "html"]
    code = (
        "import sys; sys.setrecursionlimit(100_000); "
        f"sys.argv = {arguments!r}; "
        "from briefpack.cli import main; main()"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 1
    where = f"{tmp_path / 'brand' / 'pack.html.j2'}:2:1: "
    assert "without end" in one_line_at(done.stderr, where)
