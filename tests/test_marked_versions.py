"""The earlier version is read back from the change-marked pack, never compared again."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from test_changes_outputs import _moves_and_renames

from briefpack.content.validate import load_pack
from briefpack.model import Pack
from briefpack.model.changes import compare
from briefpack.model.marked_versions import earlier_of


def _without_keys(pack: Pack) -> Pack:
    """``pack`` with its questions' answer keys blank: a moved question keeps its new key."""
    days = tuple(
        replace(
            day,
            sessions=tuple(
                replace(s, questions=tuple(replace(q, key="") for q in s.questions))
                for s in day.sessions
            ),
        )
        for day in pack.days
    )
    return replace(pack, days=days)


@pytest.mark.parametrize("case", ["sessions moved", "session retitled", "speakers and attendees"])
def test_the_marked_pack_records_the_earlier_version_whole(case: str, tmp_path: Path) -> None:
    old_text, new_text = _moves_and_renames()[case]
    (tmp_path / "old.yaml").write_text(old_text, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(new_text, encoding="utf-8")
    old, new = load_pack(tmp_path / "old.yaml"), load_pack(tmp_path / "new.yaml")
    earlier = earlier_of(compare(old, new))
    assert _without_keys(earlier).days == _without_keys(old).days
    assert earlier.attendees == old.attendees


def test_a_retitled_session_is_also_merged_with_the_one_it_replaced(tmp_path: Path) -> None:
    old_text, new_text = _moves_and_renames()["session retitled"]
    (tmp_path / "old.yaml").write_text(old_text, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(new_text, encoding="utf-8")
    marked = compare(load_pack(tmp_path / "old.yaml"), load_pack(tmp_path / "new.yaml"))
    (renamed,) = marked.renamed
    assert renamed.id == "agentcore"
    assert renamed.change is not None
    assert renamed.change.renamed_from == "agent-core"
    assert renamed.change.status == "edited"
    assert all(q.change is not None and q.change.status == "same" for q in renamed.questions)
