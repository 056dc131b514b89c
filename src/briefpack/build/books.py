"""The full pack's PDF as a book: its parts rendered as jobs, kept between builds, then joined.

A :class:`Book` stands for one full-pack PDF to make.  It hands the build
the steps to render (see :mod:`briefpack.render.book.parts`), takes their
results as they come, and hands out the next steps:

1. the front matter and each session, unless kept from an earlier build;
   with them, on a first build, the contents with placeholder numbers, to
   count its pages;
2. once those are in: the contents, numbered, and the sheet of page numbers;
3. once those are in: the join, whose result is the output.

Parts are kept beside the packs' folders (``OUT/.briefpack-parts/NAME``), by the hash of
their HTML, the theme's files and briefpack's version: an edit to one
question renders that session's part, the join, and the contents only if a
title or a page number moved.  The contents' page count is kept too: by the
hash of its placeholder HTML (exact), and the last one (a guess that the
next contents checks).  When the book is made, the parts it did not use are
removed.  A part that cannot be read is rendered again; nothing fails.
"""

from __future__ import annotations

import re
import time
from dataclasses import replace
from typing import TYPE_CHECKING

from briefpack.build.files import FolderPartStore
from briefpack.errors import BriefpackError
from briefpack.render.book.parts import (
    JoinSpec,
    PartSpec,
    RenderedPart,
    body_parts,
    contents_page_of,
    contents_part,
    nested_parts,
    numbers_part,
)
from briefpack.render.rendered import Rendered

if TYPE_CHECKING:
    from briefpack.build.jobs import Job
    from briefpack.build.workers import JobQueue, Outcome

#: The contents' last page count, kept under this key.
LAST_CONTENTS_PAGES = "contents.pages"
#: The keys of the last book's front and session parts, in order, kept under this key.
LAST_BODY = "body.last"
#: How many times the contents may turn out longer or shorter than counted;
#: once is the most it can, since its numbers take no room of their own.
RECOUNTS = 2


class Book:
    """One full-pack PDF being made from parts: the steps to render, then the result."""

    def __init__(self, job: Job, store: FolderPartStore) -> None:
        self.job = job
        self.store = store
        self.started = time.monotonic()
        self.body = body_parts(job.pack, job.settings)
        self.counting = contents_part(job.pack, job.settings)
        self.parts: dict[str, RenderedPart] = {}
        self.contents_pages: int | None = None
        self.recounts = 0
        self.waiting: set[str] = set()
        #: The kept parts the book is made of.
        self.used: set[str] = set()
        #: The output, once joined.
        self.result: Rendered | None = None
        #: A step failed: the book is reported failed, and later steps' results dropped.
        self.failed = False

    @property
    def seconds(self) -> float:
        """How long the book has taken so far."""
        return time.monotonic() - self.started

    def start(self) -> list[Job]:
        """The first steps: the parts not kept, and a count of the contents if none is."""
        steps = [self._step(spec) for spec in self.body if not self._have(spec)]
        exact = self._number(f"{self.counting.key}.pages")
        self.contents_pages = exact if exact is not None else self._number(LAST_CONTENTS_PAGES)
        if self.contents_pages is None:
            steps.append(self._step(self.counting))
        elif steps:
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
        last = (self.store.get(LAST_BODY) or b"").decode("ascii", "replace").split()
        if len(last) != len(self.body):
            return []
        guessed: list[RenderedPart] = []
        for spec, key in zip(self.body, last, strict=True):
            part = self.parts.get(spec.key)
            if part is None:
                part = _moved(self._read(key), _ids(spec.html))
            if part is None:
                return []
            guessed.append(part)
        assert self.contents_pages is not None
        front, *sessions = guessed
        contents = contents_part(
            self.job.pack,
            self.job.settings,
            contents_page_of(front, self.contents_pages, sessions),
        )
        total = front.pages + self.contents_pages + sum(part.pages for part in sessions)
        numbers = numbers_part(self.job.pack, self.job.settings, total)
        return [self._step(spec) for spec in (contents, numbers) if not self._have(spec)]

    def receive(self, step: Job, rendered: tuple[bytes, int | None]) -> list[Job]:
        """Take a step's result; the steps it lets start (none once the book is joined)."""
        spec, (data, pages) = step.step, rendered
        if isinstance(spec, JoinSpec):
            self._keep_only()
            self.result = Rendered(data, pages)
            return []
        assert isinstance(spec, PartSpec)
        self.waiting.discard(spec.key)
        if spec.count_only:
            assert pages is not None
            self.contents_pages = pages
            self.store.put(f"{spec.key}.pages", str(pages).encode())
        else:
            self.parts[spec.key] = RenderedPart.from_bytes(data)
            self.store.put(f"{spec.key}.part", data)
        return [] if self.waiting else self._next()

    def _next(self) -> list[Job]:
        """The steps that can start now that every step given out is in."""
        if self.contents_pages is None or any(spec.key not in self.parts for spec in self.body):
            return []
        pack, settings = self.job.pack, self.job.settings
        front, *sessions = (self.parts[spec.key] for spec in self.body)
        contents = contents_part(
            pack, settings, contents_page_of(front, self.contents_pages, sessions)
        )
        total = front.pages + self.contents_pages + sum(part.pages for part in sessions)
        numbers = numbers_part(pack, settings, total)
        steps = [self._step(spec) for spec in (contents, numbers) if not self._have(spec)]
        if steps:
            return steps
        counted = self.parts[contents.key].pages
        if counted != self.contents_pages:
            self.recounts += 1
            if self.recounts > RECOUNTS:
                raise BriefpackError(
                    f"{self.job.pack.source}: {self.job.target}: the contents would not "
                    "keep one page count; this is a bug in briefpack"
                )
            self.contents_pages = counted
            return self._next()
        self.store.put(f"{self.counting.key}.pages", str(counted).encode())
        self.store.put(LAST_CONTENTS_PAGES, str(counted).encode())
        self.store.put(LAST_BODY, "\n".join(spec.key for spec in self.body).encode("ascii"))
        ordered = [front, self.parts[contents.key], *sessions]
        self.used = {f"{spec.key}.part" for spec in (*self.body, contents, numbers)}
        join = JoinSpec(
            tuple(part.to_bytes() for part in ordered),
            self.parts[numbers.key].pdf,
            nested_parts(pack),
        )
        return [replace(self.job, step=join, parts=None)]

    def _have(self, spec: PartSpec) -> bool:
        """Whether the part is here, or kept from an earlier build (then it is here)."""
        if spec.key not in self.parts:
            part = self._read(spec.key)
            if part is None:
                return False
            self.parts[spec.key] = part
        return True

    def _read(self, key: str) -> RenderedPart | None:
        """The part kept under ``key``, if there is one and it reads."""
        data = self.store.get(f"{key}.part")
        try:
            return RenderedPart.from_bytes(data) if data is not None else None
        except ValueError:
            return None

    def _number(self, key: str) -> int | None:
        data = self.store.get(key)
        try:
            return int(data) if data is not None else None
        except ValueError:
            return None

    def _step(self, spec: PartSpec) -> Job:
        self.waiting.add(spec.key)
        # The length of its HTML stands for its cost: the longest parts start first.
        return replace(self.job, step=spec, parts=None, cost=len(spec.html))

    def _keep_only(self) -> None:
        """Remove the kept parts this book no longer uses (counts are kept)."""
        self.store.keep_only(
            {
                *self.used,
                f"{self.counting.key}.pages",
                LAST_CONTENTS_PAGES,
                LAST_BODY,
            }
        )


class Books:
    """The books a build is making, and which of them each step in flight belongs to.

    Steps come back from the workers mixed with the other outputs: this
    hands each step's result to its book, the book's next steps to the
    queue, and the book itself, once joined (or failed), back as one output.
    """

    def __init__(self) -> None:
        self._book_of: dict[int, Book] = {}

    def start(self, pending: list[Job]) -> list[Job]:
        """The jobs to render first: each output, or for a book its first steps."""
        first: list[Job] = []
        for job in pending:
            if job.parts is None:
                first.append(job)
                continue
            book = Book(job, job.parts)
            for step in book.start():
                self._book_of[id(step)] = book
                first.append(step)
        return first

    def receive(
        self, job: Job, outcome: Outcome, seconds: float, queue: JobQueue[Job]
    ) -> tuple[Job, Outcome, float] | None:
        """An output's result, as it came; a step's, through its book.

        A step's result is the book's (its job, outcome and time so far) once
        the book is joined or has failed, and None while it waits on steps.
        """
        book = self._book_of.pop(id(job), None)
        if book is None:
            return job, outcome, seconds
        if book.failed:
            return None  # its failure is reported already
        if not isinstance(outcome, BriefpackError):
            try:
                steps = book.receive(job, outcome)
            except BriefpackError as error:
                outcome = error
            else:
                self._book_of.update((id(step), book) for step in steps)
                queue.add_first(steps)
                if book.result is None:
                    return None
                outcome = book.result
        book.failed = isinstance(outcome, BriefpackError)
        return book.job, outcome, book.seconds


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
