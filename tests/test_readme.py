"""The README and docs/format.md document the content format as the validator enforces it."""

from __future__ import annotations

import re
from pathlib import Path

from briefpack.content.schema import RECORDS

from conftest import REPO, valid

README = (REPO / "README.md").read_text(encoding="utf-8")
FORMAT = (REPO / "docs" / "format.md").read_text(encoding="utf-8")


def test_key_table_lists_exactly_the_schema_keys() -> None:
    documented = {
        (record, key, required == "yes")
        for key, record, required in re.findall(
            r"^\| `(\w+)` \| (\w+) \| (yes|no) \|", FORMAT, re.MULTILINE
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
