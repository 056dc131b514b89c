"""Jobs sent to workers by reference: each pack and theme travels once, then by its key.

Every job names the whole pack it renders a part of, and most jobs of a
build name the same one: pickled with each job, a 40 x 10 pack was 630 kB
of frozen dataclasses to send and unpickle 126 times.  Here a job is
pickled with every *shared* object in it (a :class:`~briefpack.model.Pack`,
a :class:`~briefpack.model.theme.Theme`, :class:`~briefpack.model.answers.Answers`)
replaced by a key, and each shared object is pickled once on its own, as
a *definition*, which a receiver unpickles once and keeps.

A key is the SHA-256 of the definition's bytes: the same key always means
the same bytes, so a receiver can never resolve it to another pack, however
many packs one run builds (recipients' copies, change-marked copies, other
pack files) and whenever Python reuses an object's ``id``.  The sender
finds an object's key by its ``id`` only while it holds the object itself
(:class:`Definitions`), so that id cannot be reused meanwhile.

:class:`Sender` keeps, for one receiver, which keys it holds, and tells it
what to forget beyond a budget; :class:`Receiver` obeys.  Nothing here
knows workers or pipes: :mod:`briefpack.build.workers` sends parcels over
its pipe, and :mod:`briefpack.build.cluster` through Dask.
"""

from __future__ import annotations

import collections
import hashlib
import io
import pickle
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from multiprocessing.reduction import ForkingPickler
from typing import Any

from briefpack.model import Pack
from briefpack.model.answers import Answers
from briefpack.model.theme import Theme

#: What travels once and then by key: large, immutable, and named by many jobs.
SHARED_TYPES: tuple[type, ...] = (Pack, Theme, Answers)

#: How many shared objects a sender remembers the keys of (holding each alive meanwhile).
REMEMBERED = 16
#: How many pickled bytes of definitions one receiver keeps: a 40 x 10 pack is 0.6 MB,
#: 1.7 MB unpickled.
RECEIVER_BUDGET = 32 * 1024**2


@dataclass(frozen=True, slots=True)
class Definition:
    """A shared object's pickle, its key, and the definitions of shared objects inside it."""

    key: str
    data: bytes
    needs: tuple[Definition, ...]


@dataclass(frozen=True, slots=True)
class Parcel:
    """One job as a receiver gets it: what to learn and forget first, then the job by reference."""

    #: Each new shared object's key and pickle, those it names before it.
    define: tuple[tuple[str, bytes], ...]
    forget: tuple[str, ...]
    job: bytes


@dataclass(frozen=True, slots=True)
class Split:
    """A job pickled by reference, and what it names."""

    job: bytes
    #: The definitions the job needs, each after those it needs itself.
    needs: tuple[Definition, ...]
    #: The shared objects the job names itself (not those inside them), by key.
    named: Mapping[str, object]


class _KeyingPickler(ForkingPickler):
    """Pickles with every shared object but ``itself`` replaced by its key."""

    def __init__(
        self, file: io.BytesIO, define: Callable[[object], Definition], itself: object = None
    ) -> None:
        super().__init__(file, pickle.HIGHEST_PROTOCOL)
        self.define = define
        self.itself = itself
        self.named: dict[str, Definition] = {}
        self.objects: dict[str, object] = {}

    def persistent_id(self, obj: Any) -> str | None:
        if obj is self.itself or not isinstance(obj, SHARED_TYPES):
            return None
        definition = self.define(obj)
        self.named[definition.key] = definition
        self.objects[definition.key] = obj
        return definition.key


class Definitions:
    """The sender's side: the definition of each shared object it meets, made once.

    Objects are known by ``id`` while this holds them, the last
    :data:`REMEMBERED` of them; one forgotten and met again is pickled again,
    and gets the same key if it pickles to the same bytes.
    """

    def __init__(self, remembered: int = REMEMBERED) -> None:
        self.remembered = remembered
        # id -> (the object, held so that its id stays its own, and its definition)
        self._known: collections.OrderedDict[int, tuple[object, Definition]] = (
            collections.OrderedDict()
        )

    def define(self, obj: object) -> Definition:
        """The definition of shared ``obj`` (and of those inside it), made if new."""
        known = self._known.get(id(obj))
        if known is not None and known[0] is obj:
            self._known.move_to_end(id(obj))
            return known[1]
        buffer = io.BytesIO()
        pickler = _KeyingPickler(buffer, self.define, itself=obj)
        pickler.dump(obj)
        data = buffer.getvalue()
        definition = Definition(
            hashlib.sha256(data).hexdigest(), data, tuple(pickler.named.values())
        )
        self._known[id(obj)] = (obj, definition)
        while len(self._known) > self.remembered:
            self._known.popitem(last=False)
        return definition

    def split(self, job: object) -> Split:
        """``job`` pickled by reference, with what it needs."""
        buffer = io.BytesIO()
        pickler = _KeyingPickler(buffer, self.define)
        pickler.dump(job)
        order: dict[str, Definition] = {}

        def visit(definition: Definition) -> None:
            if definition.key not in order:
                for inner in definition.needs:
                    visit(inner)
                order[definition.key] = definition

        for definition in pickler.named.values():
            visit(definition)
        return Split(buffer.getvalue(), tuple(order.values()), pickler.objects)

    def clear(self) -> None:
        """Let every object go (a pool being closed)."""
        self._known.clear()


class Sender:
    """What one receiver holds, as its sender knows it: parcels send only what it lacks.

    The receiver keeps definitions up to ``budget`` bytes, the least recently
    used forgotten first; the sender decides what it forgets and says so in
    the parcel, so both always agree.
    """

    def __init__(self, definitions: Definitions, budget: int = RECEIVER_BUDGET) -> None:
        self.definitions = definitions
        self.budget = budget
        self.held: collections.OrderedDict[str, int] = collections.OrderedDict()

    def parcel(self, job: object) -> Parcel:
        """``job`` as a parcel for this receiver."""
        split = self.definitions.split(job)
        data, needed = split.job, split.needs
        define = tuple((item.key, item.data) for item in needed if item.key not in self.held)
        for item in needed:
            self.held[item.key] = len(item.data)
            self.held.move_to_end(item.key)
        in_use = {item.key for item in needed}
        forget = []
        total = sum(self.held.values())
        for key in list(self.held):
            if total <= self.budget:
                break
            if key not in in_use:
                total -= self.held.pop(key)
                forget.append(key)
        return Parcel(define, tuple(forget), data)


class _ResolvingUnpickler(pickle.Unpickler):
    def __init__(self, data: bytes, objects: Mapping[str, object]) -> None:
        super().__init__(io.BytesIO(data))
        self.objects = objects

    def persistent_load(self, pid: Any) -> object:
        return self.objects[pid]


def unpickle(data: bytes, objects: Mapping[str, object]) -> Any:
    """``data`` unpickled, each key in it resolved from ``objects``."""
    return _ResolvingUnpickler(data, objects).load()


class Receiver:
    """The receiver's side: shared objects by key, each unpickled once, kept as told."""

    def __init__(self) -> None:
        self.objects: dict[str, object] = {}

    def open(self, parcel: Parcel) -> Any:
        """The job in ``parcel``, its shared objects resolved (the same objects every time)."""
        for key in parcel.forget:
            self.objects.pop(key, None)
        for key, data in parcel.define:
            if key not in self.objects:
                self.objects[key] = unpickle(data, self.objects)
        return unpickle(parcel.job, self.objects)
