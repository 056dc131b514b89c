"""Reading YAML: syntax errors, encodings, and values kept exactly as written."""

from __future__ import annotations

from pathlib import Path

from conftest import MINIMAL_PACK, WritePack, problems, valid


def test_yaml_syntax_error_is_reported_at_its_line(write_pack: WritePack) -> None:
    path = write_pack("title: Offsite\ndays:\n  - date: [2026-03-02\n")
    reported = problems(path)
    assert len(reported) == 1
    assert reported[0].startswith("pack.yaml:4:1: YAML syntax: ")


def test_mapping_value_in_plain_text_is_a_syntax_error_at_its_column(
    write_pack: WritePack,
) -> None:
    path = write_pack("title: Offsite: the sequel\n")
    assert problems(path) == [
        "pack.yaml:1:15: YAML syntax: mapping values are not allowed in this context; "
        "if the value is text containing ': ', put it in double quotes"
    ]


def test_file_that_is_not_utf8_names_the_line_and_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: Offsite\nsubtitle: Résumé\n".encode("latin-1"))
    assert problems(path) == [
        "latin1.yaml:2:12: the file is not UTF-8 text (byte 0xe9); save it with UTF-8 encoding"
    ]


def test_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL_PACK.encode())
    assert valid(path).title == "Offsite"


def test_empty_file_is_reported(write_pack: WritePack) -> None:
    assert problems(write_pack("")) == [
        "pack.yaml:1:1: the file is empty; a pack needs at least 'title' and 'days'"
    ]


def test_file_of_only_comments_is_empty(write_pack: WritePack) -> None:
    assert problems(write_pack("# nothing yet\n")) == [
        "pack.yaml:1:1: the file is empty; a pack needs at least 'title' and 'days'"
    ]


def test_second_document_is_refused(write_pack: WritePack) -> None:
    path = write_pack(MINIMAL_PACK + "---\ntitle: Other\n")
    assert problems(path) == [
        "pack.yaml:11:1: a pack file holds one YAML document; remove the second '---' "
        "or split the packs into separate files"
    ]


def test_alias_is_refused_at_its_line(write_pack: WritePack) -> None:
    path = write_pack(
        MINIMAL_PACK.replace("title: Offsite", "title: &name Offsite\nsubtitle: *name")
    )
    assert problems(path) == [
        "pack.yaml:2:11: aliases (*name) are not supported in content; write the value out in full"
    ]


def test_tags_other_than_str_are_refused(write_pack: WritePack) -> None:
    path = write_pack(MINIMAL_PACK.replace("title: Offsite", "title: !!python/name:os.system x"))
    assert problems(path) == [
        "pack.yaml:1:8: YAML tags (tag:yaml.org,2002:python/name:os.system) "
        "are not supported in content"
    ]


def test_str_tag_keeps_text(write_pack: WritePack) -> None:
    path = write_pack(MINIMAL_PACK.replace("title: Offsite", "title: !!str 2026"))
    assert valid(path).title == "2026"


def test_raw_control_character_is_refused_at_its_place(tmp_path: Path) -> None:
    path = tmp_path / "bell.yaml"
    path.write_text(MINIMAL_PACK.replace("Offsite", "Off\x07site"), encoding="utf-8")
    assert problems(path) == [
        "bell.yaml:1:11: character U+0007 is not allowed here: control characters are not allowed"
    ]


def test_text_stays_as_written_not_yaml_11_types(write_pack: WritePack) -> None:
    path = write_pack(
        MINIMAL_PACK.replace("title: Offsite", "title: 1.10\nsubtitle: yes\nauthor: 0o17").replace(
            "title: Strategy", "title: on"
        )
        + "        speakers:\n          - name: No\n            role: 1e3\n"
    )
    pack = valid(path)
    session = pack.days[0].sessions[0]
    assert (pack.title, pack.subtitle, pack.author) == ("1.10", "yes", "0o17")
    assert session.title == "on"
    assert session.speakers[0].name == "No"
    assert session.speakers[0].role == "1e3"
