"""Bounded cost: a render over the time or memory limit fails alone, and the other renders
of the build still finish.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MINIMAL_PACK, interfere, run


def test_a_render_over_the_time_limit_fails_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    interfere(monkeypatch, lambda job: job.pack.name == "slow", lambda job: time.sleep(60))
    for name in ("slow", "quick"):
        (tmp_path / f"{name}.yaml").write_text(MINIMAL_PACK, encoding="utf-8")
    out = tmp_path / "out"
    started = time.monotonic()
    code, _, err = run(
        "build",
        str(tmp_path),
        "-o",
        str(out),
        "--no-sessions",
        "-f",
        "pdf",
        "--time-limit",
        "1",
        "-j",
        "2",
    )
    assert time.monotonic() - started < 30
    assert code == 1
    assert (
        f"{tmp_path / 'slow.yaml'}: {out / 'slow' / 'slow.pdf'}: took longer than the time limit "
        "of 1 s (--time-limit raises it)"
    ) in err
    assert (out / "quick" / "quick.pdf").is_file()
    assert not (out / "slow" / "slow.pdf").exists()


def test_a_pathological_pack_hits_the_time_limit_while_the_others_build(tmp_path: Path) -> None:
    words = " ".join(f"word{number}" for number in range(120_000))
    (tmp_path / "wall.yaml").write_text(
        MINIMAL_PACK.replace("Where are we going?", words), encoding="utf-8"
    )
    (tmp_path / "normal.yaml").write_text(MINIMAL_PACK, encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run(
        "build",
        str(tmp_path),
        "-o",
        str(out),
        "--no-sessions",
        "-f",
        "pdf",
        "--time-limit",
        "3",
        "-j",
        "2",
    )
    assert code == 1
    assert "wall.pdf: took longer than the time limit of 3 s" in err
    assert (out / "normal" / "normal.pdf").is_file()


def test_a_render_over_the_memory_limit_fails_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hoards: list[bytearray] = []
    interfere(
        monkeypatch,
        lambda job: job.pack.name == "hungry",
        lambda job: hoards.append(bytearray(3 * 1024**3)),
    )
    for name in ("hungry", "modest"):
        (tmp_path / f"{name}.yaml").write_text(MINIMAL_PACK, encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run(
        "build",
        str(tmp_path),
        "-o",
        str(out),
        "--no-sessions",
        "-f",
        "docx",
        "--memory-limit",
        "2GB",
        "-j",
        "1",
    )
    assert code == 1
    assert "hungry.docx: needed more memory than the limit of 2.0 GB" in err
    assert (out / "modest" / "modest.docx").is_file()
