"""PDFs as books: their parts rendered as jobs, shared between outputs, kept, then joined.

A :class:`Book` stands for one PDF to make from parts (the full pack, a
session's pack, a reader's).  It hands the build the steps to render (see
:mod:`briefpack.render.book.parts`), takes their results as they come, and
hands out the next steps:

1. its front matter and each session, unless kept from an earlier build;
   with them, on a first build, its contents with placeholder numbers, to
   count its pages (a session's pack has no contents);
2. once those are in: the contents, numbered, and the sheet of page numbers;
3. once those are in: the join, whose result is the output.

A session's part is the same in every output that shows the session as the
full pack does: :class:`Books` renders it once per build, for all of them,
and gives each the one copy in memory.  Parts are kept beside the packs'
folders (``OUT/.briefpack-parts/NAME``), by the hash of their HTML, the
theme's files and briefpack's version: an edit to one question renders that
session's part, the joins, and a contents only if a title or a page number
moved.  Each output's contents' page count is kept too, by the hash of its
placeholder HTML (exact), and the last one (a guess that the next contents
checks), and so is the list of parts each output used
(:func:`~briefpack.build.files.used_key`): once a pack's outputs are written,
the build removes the parts no output of its uses
(:func:`~briefpack.build.files.keep_used_parts`).  A part that cannot be
read is rendered again; nothing fails.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from briefpack.build.files import FolderPartStore, output_label, used_key
from briefpack.errors import BriefpackError
from briefpack.render.book.parts import (
    JoinSpec,
    PartSpec,
    RenderedPart,
    contents_page_of,
    contents_part,
    front_part,
    nested_parts,
    neutral_settings,
    numbers_part,
    plan_book,
)
from briefpack.render.html import CONTENTS_PART, FRONT_PART
from briefpack.render.rendered import Rendered

if TYPE_CHECKING:
    from briefpack.build.jobs import Job
    from briefpack.build.workers import JobQueue, Outcome

#: How many times the contents may turn out longer or shorter than counted;
#: once is the most it can, since its numbers take no room of their own.
RECOUNTS = 2
#: A book's result as the build takes it: its job, its bytes or error, its seconds.
BookResult = tuple["Job", "Outcome", float]


class PartPool:
    """The parts of one store, each read or rendered once per build and shared by the books."""

    def __init__(self, store: FolderPartStore) -> None:
        self.store = store
        self._parts: dict[str, RenderedPart | None] = {}

    def get(self, key: str) -> RenderedPart | None:
        """The part under ``key``: in memory, else kept (if it reads), else None."""
        if key not in self._parts:
            data = self.store.get(f"{key}.part")
            try:
                self._parts[key] = RenderedPart.from_bytes(data) if data is not None else None
            except ValueError:
                self._parts[key] = None
        return self._parts[key]

    def put(self, key: str, data: bytes) -> RenderedPart:
        """Keep a part just rendered, for this build's books and the next build."""
        part = RenderedPart.from_bytes(data)
        self._parts[key] = part
        self.store.put(f"{key}.part", data)
        return part

    def number(self, key: str) -> int | None:
        """A kept count (a contents' pages), if there is one."""
        data = self.store.get(key)
        try:
            return int(data) if data is not None else None
        except ValueError:
            return None


class Book:
    """One PDF being made from parts: the steps to render, then the result."""

    def __init__(self, job: Job, pool: PartPool) -> None:
        self.job = job
        self.pool = pool
        self.started = time.monotonic()
        self.plan = plan_book(job.pack, job.settings)
        self.body = self.plan.body
        #: The parts counted before they are numbered: a changes pack's front, the contents.
        self.counting: dict[str, PartSpec] = {}
        if self.plan.numbered_front:
            self.counting[FRONT_PART] = self.plan.front
        if self.plan.contents:
            self.counting[CONTENTS_PART] = contents_part(job.pack, job.settings)
        self.label = output_label(job.relative)
        self.parts: dict[str, RenderedPart] = {}
        #: Each counted part's pages, and how many of them are front matter.
        self.counts: dict[str, tuple[int, int]] = {}
        self.recounts = 0
        self.waiting: set[str] = set()
        #: The output, once joined.
        self.result: Rendered | None = None
        #: A step failed: the book is reported failed, and later steps' results dropped.
        self.failed = False

    @property
    def seconds(self) -> float:
        """How long the book has taken so far."""
        return time.monotonic() - self.started

    def start(self) -> list[Job]:
        """The first steps: the parts not kept, and a count of each numbered part not kept."""
        steps = [self._step(spec) for spec in self.body if not self._have(spec)]
        for name, spec in self.counting.items():
            counted = _counted(self.pool.store.get(f"{spec.key}.counted"))
            if counted is None and name == CONTENTS_PART:
                # The last count: a guess, which the numbered contents checks.
                last = self.pool.number(f"{self.label}.contents")
                counted = None if last is None else (last, 0)
            if counted is None:
                steps.append(self._step(spec))
            else:
                self.counts[name] = counted
        if steps and len(self.counts) == len(self.counting) and not self.plan.numbered_front:
            steps += self._foreseen()
        return steps or self._next()

    def _foreseen(self) -> list[Job]:
        """The contents and page numbers, started now on what the last book's pages foretell.

        A part being rendered again is taken to keep the pages of the part in
        its place in the last book (same anchors, in order, on the same
        pages), as an edit to a question's wording or a title mostly does.
        When the parts are in, the contents they call for is made unless it
        is this one: a wrong guess costs a render, never a wrong number.
        """
        last = (self.pool.store.get(used_key(self.job.relative)) or b"").decode("ascii", "replace")
        keys = last.split()[: len(self.body)]
        if len(keys) != len(self.body):
            return []
        guessed: list[RenderedPart] = []
        for spec, key in zip(self.body, keys, strict=True):
            part = self.parts.get(spec.key)
            if part is None:
                part = _moved(self.pool.get(key), _ids(spec.html))
            if part is None:
                return []
            guessed.append(part)
        specs = self._finishing_specs(guessed[0], guessed[1:])
        return [self._step(spec) for spec in specs if not self._have(spec)]

    def _finishing_specs(
        self, front: RenderedPart | None, sessions: list[RenderedPart]
    ) -> list[PartSpec]:
        """The numbered parts (front, contents) and the sheet of numbers, for these pages.

        ``front`` is the front part, unless it is numbered (then counted).
        """
        pack, settings = self.job.pack, self.job.settings
        front_pages, front_matter = self.counts.get(FRONT_PART) or (front.pages if front else 0, 0)
        contents_pages = self.counts.get(CONTENTS_PART, (0, 0))[0]
        page_of = contents_page_of(front_pages - front_matter, contents_pages, sessions)
        specs = []
        if self.plan.numbered_front:
            specs.append(front_part(pack, settings, page_of))
        if self.plan.contents:
            specs.append(contents_part(pack, settings, page_of))
        total = front_pages + contents_pages + sum(part.pages for part in sessions)
        specs.append(numbers_part(pack, settings, total, front_matter))
        return specs

    def receive(self, spec: PartSpec | JoinSpec, result: RenderedPart | Rendered) -> list[Job]:
        """Take a step's result; the steps it lets start (none once the book is joined)."""
        if isinstance(spec, JoinSpec):
            assert isinstance(result, Rendered)
            self.result = result
            return []
        self.waiting.discard(spec.key)
        if spec.count_only:
            assert isinstance(result, Rendered)
            counted = RenderedPart.counted(result.data)
            self.counts[spec.name] = (counted.pages, counted.front_matter)
            self.pool.store.put(f"{spec.key}.counted", result.data)
        else:
            assert isinstance(result, RenderedPart)
            self.parts[spec.key] = result
        return [] if self.waiting else self._next()

    def _next(self) -> list[Job]:
        """The steps that can start now that every step given out is in."""
        if len(self.counts) < len(self.counting):
            return []
        if any(spec.key not in self.parts for spec in self.body):
            return []
        body = [self.parts[spec.key] for spec in self.body]
        front = None if self.plan.numbered_front else body.pop(0)
        specs = self._finishing_specs(front, body)
        steps = [self._step(spec) for spec in specs if not self._have(spec)]
        if steps:
            return steps
        *numbered, numbers = specs
        if self._recounted(numbered):
            return self._next()
        ordered = [self.parts[spec.key] for spec in numbered]
        if front is not None:
            ordered.insert(0, front)
        # The body first, in order: the next build's guess of its pages reads them so.
        used = [spec.key for spec in (*self.body, *numbered, numbers)]
        used += [spec.key for spec in self.counting.values()]
        self.pool.store.put(used_key(self.job.relative), "\n".join(used).encode("ascii"))
        join = JoinSpec(
            tuple(part.to_bytes() for part in (*ordered, *body)),
            self.parts[numbers.key].pdf,
            nested_parts(self.job.pack, self.job.settings),
        )
        return [replace(self.job, step=join, parts=None)]

    def _recounted(self, numbered: list[PartSpec]) -> bool:
        """Whether a numbered part came out longer or shorter than counted (then counted anew)."""
        changed = False
        for spec in numbered:
            part = self.parts[spec.key]
            found = (part.pages, part.front_matter if spec.name == FRONT_PART else 0)
            if found != self.counts[spec.name]:
                self.counts[spec.name] = found
                changed = True
        if changed:
            self.recounts += 1
            if self.recounts > RECOUNTS:
                raise BriefpackError(
                    f"{self.job.pack.source}: {self.job.target}: the contents would not "
                    "keep one page count; this is a bug in briefpack"
                )
            return True
        for spec in numbered:
            # Its layout is the placeholders': the count the next build takes as exact.
            counted = self.parts[spec.key].anchors_json()
            self.pool.store.put(f"{self.counting[spec.name].key}.counted", counted)
        if CONTENTS_PART in self.counts:
            pages = str(self.counts[CONTENTS_PART][0]).encode()
            self.pool.store.put(f"{self.label}.contents", pages)
        return False

    def _have(self, spec: PartSpec) -> bool:
        """Whether the part is here, or kept from an earlier build (then it is here)."""
        if spec.key not in self.parts:
            part = self.pool.get(spec.key)
            if part is None:
                return False
            self.parts[spec.key] = part
        return True

    def _step(self, spec: PartSpec) -> Job:
        self.waiting.add(spec.key)
        # A shared part (a session's, the numbers) is rendered with no output's own
        # settings, so that whichever book asks first, its bytes are the same.
        own = spec.name in (FRONT_PART, CONTENTS_PART)
        settings = self.job.settings if own else neutral_settings(self.job.settings)
        # The length of its HTML stands for its cost: the longest parts start first.
        return replace(self.job, settings=settings, step=spec, parts=None, cost=len(spec.html))


class Books:
    """The books a build is making, and which of them each step in flight belongs to.

    Steps come back from the workers mixed with the other outputs: this
    hands each step's result to every book waiting on it (a session's part
    serves the full pack, the session's pack and the readers' at once), the
    books' next steps to the queue, and each book, once joined (or failed),
    back as one output.
    """

    def __init__(self) -> None:
        self._books_of: dict[int, list[Book]] = {}
        self._in_flight: dict[tuple[str, str, bool], Job] = {}
        self._pools: dict[str, PartPool] = {}

    def start(self, pending: list[Job]) -> list[Job]:
        """The jobs to render first: each output, or for a book its first steps."""
        first: list[Job] = []
        for job in pending:
            if job.parts is None:
                first.append(job)
                continue
            pool = self._pools.setdefault(str(job.parts.folder), PartPool(job.parts))
            book = Book(job, pool)
            first += self._given_out(book, book.start())
        return first

    def _given_out(self, book: Book, steps: Iterable[Job]) -> list[Job]:
        """The steps to queue: each part in flight once, whichever books wait on it."""
        queued = []
        for step in steps:
            spec = step.step
            flight = None
            if isinstance(spec, PartSpec):
                # A count is shared too: readers who get every session count one contents.
                flight = (book.pool.store.folder.as_posix(), spec.key, spec.count_only)
            if flight is not None and flight in self._in_flight:
                self._books_of[id(self._in_flight[flight])].append(book)
                continue
            if flight is not None:
                self._in_flight[flight] = step
            self._books_of[id(step)] = [book]
            queued.append(step)
        return queued

    def receive(
        self, job: Job, outcome: Outcome, seconds: float, queue: JobQueue[Job]
    ) -> list[BookResult]:
        """An output's result, as it came; a step's, through the books that wait on it.

        A book's result is its job, outcome and time so far, once it is joined
        or has failed; nothing while it waits on steps.
        """
        books = self._books_of.pop(id(job), None)
        if books is None:
            return [(job, outcome, seconds)]
        spec = job.step
        result: RenderedPart | Rendered | BriefpackError = outcome
        if isinstance(spec, PartSpec):
            folder = books[0].pool.store.folder.as_posix()
            self._in_flight.pop((folder, spec.key, spec.count_only), None)
            if not spec.count_only and not isinstance(outcome, BriefpackError):
                result = books[0].pool.put(spec.key, outcome.data)
        finished = []
        for book in books:
            if book.failed:
                continue  # its failure is reported already
            done = self._give(book, spec, result, queue)
            if done is not None:
                finished.append(done)
        return finished

    def _give(
        self,
        book: Book,
        spec: PartSpec | JoinSpec | None,
        result: RenderedPart | Rendered | BriefpackError,
        queue: JobQueue[Job],
    ) -> BookResult | None:
        """Hand ``book`` a step's result; the book's result if it is now done."""
        outcome: Outcome
        if isinstance(result, BriefpackError):
            outcome = result
        else:
            assert spec is not None
            try:
                steps = book.receive(spec, result)
            except BriefpackError as error:
                outcome = error
            else:
                queue.add_first(self._given_out(book, steps))
                if book.result is None:
                    return None
                outcome = book.result
        book.failed = isinstance(outcome, BriefpackError)
        return book.job, outcome, book.seconds


def _counted(data: bytes | None) -> tuple[int, int] | None:
    """A kept count: a part's pages and its front matter; None if there is none that reads."""
    if data is None:
        return None
    try:
        counted = RenderedPart.counted(data)
    except ValueError:
        return None
    return counted.pages, counted.front_matter


def _ids(html: str) -> list[str]:
    """The ids of a part's HTML, in document order."""
    return re.findall(r'\sid="([^"]+)"', html)


def _moved(old: RenderedPart | None, ids: list[str]) -> RenderedPart | None:
    """``old``'s pages with ``ids`` in place of its anchors, one for one; None if they differ.

    WeasyPrint lists a page's anchors in document order (an element that
    runs on to the next page is listed there again), so the n-th anchor the
    old part names is taken to be the n-th id of the new one.
    """
    if old is None:
        return None
    names = list(dict.fromkeys(name for anchors in old.anchors for name in anchors))
    if len(names) != len(ids):
        return None
    renamed = dict(zip(names, ids, strict=True))
    return RenderedPart(
        b"", tuple(tuple(renamed[name] for name in anchors) for anchors in old.anchors)
    )
