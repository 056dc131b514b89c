"""The package keeps the shape of the pipeline: dependencies point down, never up.

The rules themselves live in :mod:`architecture` (a function of a source
tree each); here they run on the project's own source and must find
nothing, and ``test_architecture_plants`` proves that each one fails on a
copy of the source with a violation planted in it.
"""

from __future__ import annotations

import pytest

import architecture as rules
from conftest import REPO

SOURCE = rules.Source(REPO / "src")


def test_the_layers_exist_and_the_parser_sees_the_imports() -> None:
    layers = {rules.layer(module) for module in SOURCE.modules}
    assert {"model", "content", "render", "build", "authoring", "cli", "errors"} <= layers
    assert len(SOURCE.imports) > 200
    # Imports inside functions are seen: the format table imports its renderers lazily.
    assert any(
        imp.importer == "briefpack.render.formats" and imp.imported == "briefpack.render.pdf"
        for imp in SOURCE.imports
    )


def test_every_module_is_in_a_known_layer() -> None:
    assert rules.unknown_layers(SOURCE) == []


def test_imports_point_down_the_layers_lazy_ones_included() -> None:
    assert rules.crossings(SOURCE) == []


def test_no_import_cycles_lazy_and_type_checking_imports_included() -> None:
    assert rules.cycles(SOURCE) == []


def test_no_relative_imports() -> None:
    assert rules.relative_imports(SOURCE) == []


def test_no_private_name_is_imported_from_another_module() -> None:
    assert rules.private_imports(SOURCE) == []


def test_only_the_command_line_knows_click() -> None:
    assert rules.click_users(SOURCE) == []


def test_only_build_and_authoring_change_the_file_system() -> None:
    assert rules.writes(SOURCE) == []


def test_the_write_check_sees_the_builds_writes() -> None:
    found = [
        write
        for module in SOURCE.modules
        if rules.layer(module) == "build"
        for write in rules.writes_in(SOURCE, module)
    ]
    assert any("calls replace" in write for write in found)  # os.replace in the atomic write
    assert any("calls mkdtemp" in write for write in found)  # the workers' temporary folders


def test_no_module_over_500_lines_and_the_command_line_under_350() -> None:
    assert rules.long_modules(SOURCE) == []


def test_no_function_over_80_lines() -> None:
    assert rules.long_functions(SOURCE) == []


def test_each_public_class_is_defined_once() -> None:
    assert rules.duplicate_classes(SOURCE) == []


def test_module_names_are_not_reused_across_layers() -> None:
    assert rules.duplicate_module_names(SOURCE) == []


def test_both_writers_read_one_view_of_the_page() -> None:
    assert rules.writers_without_the_view(SOURCE) == []


def test_word_changes_come_from_the_model_not_from_comparing_two_word_files() -> None:
    assert rules.word_comparisons(SOURCE) == []


@pytest.mark.parametrize("writer", rules.WRITER_MODULES)
def test_the_writers_exist(writer: str) -> None:
    assert writer in SOURCE.modules
