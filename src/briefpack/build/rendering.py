"""Rendering the outputs a build has to make: from the cache, else on workers, books joined.

The build hands over the jobs that are not up to date and takes back each
output's bytes (or its error) as it completes.  In between: the cache is
asked first (``--cache``); the rest go longest first to worker processes
here or on a Dask cluster (``--executor``); a book's steps go out as its
earlier steps come in, and the book comes back as one output.

What renders a job in a worker is passed in (``render``), not imported:
the build chooses it, so that this module depends on the workers and the
cluster and none of them depends back on the build.  Workers, the cache,
the cluster and the book are imported only when there is something to
render, so a build with every output up to date loads none of them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from briefpack.build.jobs import Job, describe_job
from briefpack.build.options import BuildOptions
from briefpack.build.system import require_renderer
from briefpack.build.word_layout import numbered_copy, numbering_failed
from briefpack.errors import BriefpackError
from briefpack.render.formats import FORMAT_TABLE
from briefpack.render.rendered import Rendered

if TYPE_CHECKING:
    from briefpack.build.cache import RenderCache
    from briefpack.build.workers import JobQueue, Outcome, WorkerPool

#: What renders one job in a worker process.
Render = Callable[[Job], Rendered]
#: A job, its bytes and pages (or why it failed), and the seconds it took.
Result = tuple[Job, "Outcome", float]


def render_job(job: Job) -> Rendered:
    """Render one output, or one step of a book, with its format's renderer; runs in a worker."""
    format_ = FORMAT_TABLE[job.output_format]
    if format_.uses_weasyprint:
        require_renderer()  # a worker without Pango: one line, never WeasyPrint's banner
    if job.step is not None:
        assert format_.render_step is not None
        return format_.render_step(job.pack, job.settings, job.step)
    output = format_.render(job.pack, job.settings)
    if job.libreoffice is not None:
        # The contents' page numbers, as LibreOffice lays the finished copy out.
        numbered = numbered_copy(output.data, job.libreoffice, str(job.target))
        return output._replace(data=numbered)
    return output


def worker_pool(options: BuildOptions, render: Render) -> WorkerPool[Job]:
    """Worker processes for ``options``: as many as ``-j`` says, within the render limits."""
    from briefpack.build.workers import WorkerPool

    return WorkerPool(
        size=max(1, options.jobs),
        render=render,
        limits=options.limits,
        describe=describe_job,
    )


def rendered(
    pending: list[Job], options: BuildOptions, pool: WorkerPool[Job] | None, render: Render
) -> Iterator[Result]:
    """Each of ``pending``'s outputs as it completes: from the cache, else rendered.

    ``pool`` lends warm workers (``watch``); without it, workers are started
    for the jobs and ended when they are done.
    """
    cache = None
    if options.cache is not None:
        from briefpack.build.cache import RenderCache

        cache = RenderCache(options.cache)
    kept, rest = _cache_hits(pending, cache)
    if not rest and not kept:
        return  # every output up to date: no renderer, and no worker, is loaded
    from_cache = {id(job) for job, _, _ in kept}
    from briefpack.build.books import Books
    from briefpack.build.workers import JobQueue

    books = Books()
    queue = JobQueue(ordered(books.start(rest), options))
    results = itertools.chain(kept, run_jobs(queue, options, pool, render))
    for output in (output for result in results for output in books.receive(*result, queue)):
        job, outcome, _ = output
        # An output rendered now is kept in the cache; not one it came from, nor a failure.
        if (
            cache is not None
            and id(job) not in from_cache
            and not isinstance(outcome, BriefpackError)
            and not numbering_failed(job.libreoffice, outcome[0])
        ):
            cache.put(job.inputs, job.output_format, *outcome)
        yield output


def _cache_hits(pending: list[Job], cache: RenderCache | None) -> tuple[list[Result], list[Job]]:
    """The outputs the cache has (each with its bytes), and the jobs left to render."""
    if cache is None:
        return [], pending
    kept: list[Result] = []
    rest: list[Job] = []
    for job in pending:
        hit = cache.get(job.inputs, job.output_format)
        if hit is not None:
            kept.append((job, Rendered(*hit), 0.0))
        else:
            rest.append(job)
    return kept, rest


def ordered(jobs: list[Job], options: BuildOptions) -> list[Job]:
    """Longest first, or shortest first if asked; a book's parts before any output.

    The rest of a book waits on its parts, and the other outputs fill the
    workers while its last steps run.
    """
    if options.shortest_first:
        return sorted(jobs, key=lambda job: job.cost)
    return sorted(jobs, key=lambda job: (job.step is None, -job.cost))


def run_jobs(
    queue: JobQueue[Job], options: BuildOptions, pool: WorkerPool[Job] | None, render: Render
) -> Iterator[Result]:
    """Render the jobs of ``queue``, and those added to it, on worker processes."""
    if not queue:
        return  # a build with nothing to render starts no worker
    if options.executor is not None:
        from briefpack.build.cluster import ClusterPool

        limits, timeout = options.limits, options.connect_timeout
        with ClusterPool(options.executor, limits, render, timeout) as cluster:
            yield from cluster.run(queue)
        return
    if pool is not None:
        yield from pool.run(queue)
        return
    with worker_pool(replace(options, jobs=min(options.jobs, len(queue)) or 1), render) as own:
        yield from own.run(queue)
