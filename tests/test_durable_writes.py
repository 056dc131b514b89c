"""Outputs are durable: each is flushed to disk before it replaces the old one, and its
folder after; a file system that refuses fsync is written all the same.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from briefpack.build.files import write_atomically


def test_an_output_is_flushed_to_disk_before_it_replaces_the_old_one_and_its_folder_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out" / "pack.pdf"
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(descriptor: int) -> None:
        kind = "folder" if stat.S_ISDIR(os.fstat(descriptor).st_mode) else "file"
        events.append(f"fsync {kind}")
        real_fsync(descriptor)

    def replace(source: str, destination: Path) -> None:
        events.append("replace")
        real_replace(source, destination)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    write_atomically(target, b"%PDF-1.7 new")
    assert events == ["fsync file", "replace", "fsync folder"]
    assert target.read_bytes() == b"%PDF-1.7 new"


def test_a_folder_whose_file_system_refuses_fsync_is_written_all_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fsync = os.fsync

    def fsync(descriptor: int) -> None:
        if stat.S_ISDIR(os.fstat(descriptor).st_mode):
            raise OSError(errno.EINVAL, "Invalid argument")
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    target = tmp_path / "pack.pdf"
    write_atomically(target, b"data")
    assert target.read_bytes() == b"data"
    assert [path.name for path in tmp_path.iterdir()] == ["pack.pdf"]
