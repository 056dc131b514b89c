"""build --cache: outputs kept by the hash of their inputs, shared between checkouts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from briefpack.build import pipeline
from briefpack.build.files import PARTS

from conftest import BUNDLED_PACK, run


def checkout(folder: Path) -> Path:
    """The bundled pack with a picture, in ``folder``: a checkout of the content."""
    from PIL import Image

    folder.mkdir(parents=True)
    Image.new("RGB", (60, 40), (10, 80, 160)).save(folder / "chart.png")
    text = BUNDLED_PACK.read_text(encoding="utf-8").replace(
        "question: >-\n", "question: >-\n              ![Revenue by quarter](chart.png)\n\n", 1
    )
    (folder / "pack.yaml").write_text(text, encoding="utf-8")
    return folder / "pack.yaml"


def outputs(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        # The manifest and the kept book parts are the build's state, not outputs.
        if path.is_file() and path.name != "manifest.json" and PARTS not in path.parts
    }


def no_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(job: Any) -> Any:
        raise AssertionError(f"rendered {job.target}")

    monkeypatch.setattr(pipeline, "_render_in_worker", refuse)


def test_a_second_checkout_with_the_same_content_renders_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = checkout(tmp_path / "first")
    cache = str(tmp_path / "cache")
    code, _, err = run("build", str(first), "-o", str(tmp_path / "out-1"), "--cache", cache)
    assert code == 0, err
    second = checkout(tmp_path / "elsewhere" / "second")
    no_rendering(monkeypatch)
    code, out, err = run("build", str(second), "-o", str(tmp_path / "out-2"), "--cache", cache)
    assert code == 0, err
    assert "10 written" in out + err
    assert outputs(tmp_path / "out-2") == outputs(tmp_path / "out-1")
    manifest = json.loads((tmp_path / "out-2" / "pack" / "manifest.json").read_text("utf-8"))
    assert all(entry["pages"] for entry in manifest["outputs"] if entry["path"].endswith(".pdf"))


def test_a_pack_of_the_same_content_under_another_name_gets_outputs_of_its_own_name(
    tmp_path: Path,
) -> None:
    from briefpack.content.filled import read_filled

    pack = checkout(tmp_path / "checkout")
    twin = pack.with_name("twin.yaml")
    twin.write_bytes(pack.read_bytes())
    cache = str(tmp_path / "cache")
    for source in (pack, twin):
        code, _, err = run(
            "build", str(source), "-o", str(tmp_path / "out"), "--cache", cache,
            "-f", "docx", "--no-sessions", "--answer-fields",
        )  # fmt: skip
        assert code == 0, err
    for name in ("pack", "twin"):
        identity = read_filled(tmp_path / "out" / name / f"{name}.docx").pack
        assert identity is not None
        assert identity.split("@")[0] == name


def test_an_edit_renders_only_what_it_touched_and_a_damaged_entry_is_a_miss(
    tmp_path: Path,
) -> None:
    pack = checkout(tmp_path / "content")
    cache = tmp_path / "cache"
    code, _, err = run("build", str(pack), "-o", str(tmp_path / "out-1"), "--cache", str(cache))
    assert code == 0, err
    entries = sorted(path for path in cache.rglob("*.pdf"))
    assert len(entries) == 5  # the pack and its four sessions
    entries[0].write_bytes(entries[0].read_bytes()[:100])  # torn
    code, _, err = run("build", str(pack), "-o", str(tmp_path / "out-2"), "--cache", str(cache))
    assert code == 0, err
    assert outputs(tmp_path / "out-2") == outputs(tmp_path / "out-1")
    assert len(entries[0].read_bytes()) > 100  # rendered again and kept whole


def test_any_fsspec_store_serves_as_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("fsspec")
    arguments = [str(BUNDLED_PACK), "-f", "pdf", "--no-sessions", "--cache", "memory://bp-test"]
    code, _, err = run("build", *arguments, "-o", str(tmp_path / "out-1"))
    assert code == 0, err
    no_rendering(monkeypatch)
    code, _, err = run("build", *arguments, "-o", str(tmp_path / "out-2"))
    assert code == 0, err
    assert outputs(tmp_path / "out-2") == outputs(tmp_path / "out-1")
    shutil.rmtree(tmp_path / "out-1")
