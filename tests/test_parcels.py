"""Jobs go to workers by reference: each pack and theme once, never taken for another."""

from __future__ import annotations

import dataclasses
import gc
from pathlib import Path
from typing import Any

from briefpack.build.chosen_settings import default_theme
from briefpack.build.parcels import Definitions, Parcel, Receiver, Sender
from briefpack.build.render_limits import Limits
from briefpack.build.shipping import job_files, reroot
from briefpack.build.workers import WorkerPool
from briefpack.model import Pack
from briefpack.model.changes import compare
from briefpack.render.rendered import Rendered
from briefpack.render.settings import RenderSettings

from conftest import BUNDLED_PACK, valid

RECIPIENTS = (
    "recipients:\n  - name: Jane Doe\n    exclude: [devops-culture-at-amazon]\n"
    "  - name: Omar Haddad\n    exclude: [agentcore]\n"
)


def _packs(tmp_path: Path) -> dict[str, Pack]:
    """The bundled pack, each recipient's copy, and a copy marked with an edit's changes."""
    text = BUNDLED_PACK.read_text(encoding="utf-8").replace("days:", RECIPIENTS + "days:", 1)
    (tmp_path / "pack.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "edited.yaml").write_text(
        text.replace("title:", "title: Edited", 1), encoding="utf-8"
    )
    pack = valid(tmp_path / "pack.yaml")
    jane, omar = (pack.for_recipient(reader) for reader in pack.recipients)
    return {
        "pack": pack,
        "jane": jane,
        "omar": omar,
        "marked": compare(pack, valid(tmp_path / "edited.yaml")),
    }


def _job(pack: Pack, session: str | None = None) -> tuple[Pack, RenderSettings]:
    return (pack, RenderSettings(session=session, theme=default_theme()))


def test_each_pack_travels_to_a_worker_once_and_each_job_gets_its_own(tmp_path: Path) -> None:
    packs = _packs(tmp_path)
    sender, receiver = Sender(Definitions()), Receiver()
    order = ["pack", "jane", "pack", "omar", "marked", "jane", "pack", "marked", "omar"]
    parcels: list[Parcel] = []
    opened: list[tuple[Pack, RenderSettings]] = []
    for name in order:
        parcel = sender.parcel(_job(packs[name], session=name))
        parcels.append(parcel)
        opened.append(receiver.open(parcel))
    for name, (pack, settings) in zip(order, opened, strict=True):
        assert pack == packs[name]
        assert settings.session == name
        assert settings.theme == default_theme()
    # Four packs and the theme: five definitions, each sent once; a pack met
    # again is the very object the worker made the first time.
    assert sum(len(parcel.define) for parcel in parcels) == 5
    first = {name: pack for name, (pack, _) in reversed(list(zip(order, opened, strict=True)))}
    assert all(pack is first[name] for name, (pack, _) in zip(order, opened, strict=True))
    assert len(parcels[2].job) < 2_000 < len(parcels[0].define[0][1])


def test_a_pack_made_where_a_dropped_one_lived_is_never_taken_for_it(tmp_path: Path) -> None:
    pack = _packs(tmp_path)["pack"]
    # Remembering one object: each pack is forgotten by the sender, and may be
    # freed, as soon as the next comes; Python then reuses its id.
    sender, receiver = Sender(Definitions(remembered=1)), Receiver()
    for number in range(12):
        edited = dataclasses.replace(pack, title=f"Pack {number}")
        opened, _ = receiver.open(sender.parcel(_job(edited)))
        assert opened.title == f"Pack {number}"
        del edited
        gc.collect()


def test_a_worker_forgets_packs_beyond_its_budget_and_is_sent_them_again(tmp_path: Path) -> None:
    packs = _packs(tmp_path)
    sender, receiver = Sender(Definitions(), budget=1), Receiver()
    for name in ["pack", "jane", "pack", "jane"]:
        parcel = sender.parcel(_job(packs[name]))
        opened, _ = receiver.open(parcel)
        assert opened == packs[name]
        # What the job needs (its pack and theme), no more: the rest was forgotten.
        assert len(parcel.define) >= 1
        assert len(receiver.objects) == 2


def _title_and_identity(job: Any) -> Rendered:
    pack, settings = job
    return Rendered(f"{pack.title}|{settings.session}|{id(pack)}".encode())


def test_a_worker_renders_each_job_with_its_own_pack(tmp_path: Path) -> None:
    packs = _packs(tmp_path)
    jobs = [_job(packs[name], name) for name in ["pack", "marked", "pack", "jane", "marked"]]
    with WorkerPool(1, _title_and_identity, Limits(), describe=str) as pool:
        results = list(pool.run(jobs))
    seen: dict[str, str] = {}
    for job, outcome, _ in results:
        assert isinstance(outcome, Rendered)
        title, session, identity = outcome.data.decode().split("|")
        assert (title, session) == (job[0].title, job[1].session)
        # One object per pack in the worker: unpickled once, then named by its key.
        assert seen.setdefault(session, identity) == identity
    assert len(set(seen.values())) == 3


def test_a_pack_a_dask_worker_moved_already_is_not_walked_again(tmp_path: Path) -> None:
    # A Dask worker moves a shared pack under its files' folder once, then keeps it:
    # later jobs name the kept one, which neither a move nor a search for files walks.
    template = tmp_path / "company.docx"
    template.write_bytes(b"not walked")
    pack = _packs(tmp_path)["pack"]
    pack = dataclasses.replace(
        pack, options=dataclasses.replace(pack.options, reference_docx=template)
    )
    job = (pack, RenderSettings(session="x"))
    assert template in job_files(job)
    assert template not in job_files(job, skip=[pack])
    root = tmp_path / "worker"
    moved = reroot(job, root, frozenset({template}))
    assert moved[0].options.reference_docx == root / template.relative_to(template.anchor)
    kept = reroot(job, root, frozenset({template}), moved_already=[pack])
    assert kept[0] is pack
    assert kept[1] is job[1]
