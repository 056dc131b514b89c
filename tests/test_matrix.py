"""Every option with every other: the bundled pack and a board pack, built in pairwise combinations.

Each combination is built in its own folder and every output it writes (the
full pack, the sessions, the recipients' packs, the changes, the debrief;
PDF and Word) goes through checkers we did not write (``page`` for PDF/UA-1
and PDF/A-2b, ``openxml-audit`` for Word) and through the layout rules.  One
test per combination and check, so a failure names both, and its message
names each failing file with its findings.

The table covers every pair of option values at least once (the first test
proves it), and starts with the board pack with every option on, as a board
secretary would build it.  Combinations are built and checked by processes
of their own (:mod:`matrix_runner`), as many at once as there are cores; under
pytest-xdist the workers share them through lock files, so each is built once
(:mod:`shared_builds`, which starts them as soon as collection ends).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields
from itertools import combinations
from typing import Any

import pytest

from matrix_runner import CHECKS, Combination
from shared_builds import Matrix, start_selected, the_matrix

#: Every value of every option.
VALUES: dict[str, tuple[Any, ...]] = {
    "pack": ("board", "bundled"),
    "language": ("en", "de", "fr", "es", "ja"),  # ja has no catalogue: built in English
    "theme": ("executive", "classic", "own"),
    "paper": ("a4", "letter"),
    "variant": ("pdf/ua-1", "pdf/a-2b"),
    "notes": (False, True),
    "answers": (False, True),
    "recipients": (False, True),
    "changes": (False, True),
    "debrief": (False, True),
    "sessions": (False, True),
}
C = Combination
_ = False
X = True
# Made with allpairspy (its first row given, the board pack with everything on),
# then each option turned off where every pair stays covered: a smaller pack and
# fewer outputs build faster.  The board pack's rows, the longest, come first,
# so that the last builds to finish are short ones.
# pack      lang  theme        paper     variant    notes/fields/recipients/changes/debrief/sessions
TABLE = [
    C("board",   "en", "executive", "a4",     "pdf/ua-1", X, X, X, X, X, X),
    C("board",   "es", "classic",   "letter", "pdf/a-2b", X, _, X, _, X, _),
    C("board",   "fr", "executive", "letter", "pdf/ua-1", _, _, _, X, _, _),
    C("board",   "de", "own",       "letter", "pdf/ua-1", X, _, _, X, _, _),
    C("board",   "ja", "own",       "letter", "pdf/ua-1", _, _, _, _, _, X),
    C("bundled", "de", "classic",   "letter", "pdf/a-2b", _, _, _, _, _, X),
    C("bundled", "fr", "own",       "a4",     "pdf/a-2b", X, _, X, _, X, _),
    C("bundled", "es", "own",       "letter", "pdf/ua-1", _, X, _, _, _, _),
    C("bundled", "ja", "classic",   "a4",     "pdf/ua-1", _, _, X, X, _, _),
    C("bundled", "ja", "executive", "letter", "pdf/a-2b", X, X, _, _, X, _),
    C("bundled", "es", "executive", "a4",     "pdf/a-2b", _, _, _, X, _, X),
    C("bundled", "fr", "classic",   "letter", "pdf/ua-1", _, X, _, _, _, X),
    C("bundled", "de", "executive", "a4",     "pdf/ua-1", _, X, X, _, X, _),
    C("bundled", "en", "classic",   "letter", "pdf/ua-1", _, _, _, _, _, _),
    C("bundled", "en", "own",       "letter", "pdf/a-2b", _, _, _, _, _, _),
]  # fmt: skip


def test_every_pair_of_option_values_is_built_together() -> None:
    names = [field.name for field in fields(Combination)]
    assert names == list(VALUES)
    built = {
        (a, getattr(row, a), b, getattr(row, b)) for row in TABLE for a, b in combinations(names, 2)
    }
    missing = [
        f"{a}={x} with {b}={y}"
        for a, b in combinations(names, 2)
        for x in VALUES[a]
        for y in VALUES[b]
        if (a, x, b, y) not in built
    ]
    assert missing == []
    assert len({row.id for row in TABLE}) == len(TABLE)


@pytest.fixture(scope="session")
def matrix(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Matrix]:
    """The builds of the run's selected combinations, all under way at once.

    When shared_builds is loaded as a plugin they started at collection's end.
    """
    matrix = the_matrix(tmp_path_factory)
    start_selected(matrix, request.session.items)
    yield matrix
    matrix.close()  # after -x or a keyboard interrupt, start no more


def describe(files: dict[str, list[str]], limit: int = 12) -> str:
    """Each failing file with its findings, at most ``limit`` lines each."""
    lines = []
    for name, found in files.items():
        if found:
            lines.append(f"{name}:")
            lines.extend(f"  {finding}" for finding in found[:limit])
            if len(found) > limit:
                lines.append(f"  … and {len(found) - limit} more")
    return "\n".join(lines)


@pytest.mark.unchecked_outputs("checked here, file by file, by the tests of each combination")
@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize("combination", TABLE, ids=[row.id for row in TABLE])
def test_every_output_passes(matrix: Matrix, combination: Combination, check: str) -> None:
    found = matrix.findings(combination)["checks"][check]
    assert found, f"{check} looked at no file"
    failing = {name: lines for name, lines in found.items() if lines}
    assert not failing, f"{combination.id}: {check}:\n{describe(failing)}"
