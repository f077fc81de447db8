"""The unit of work of both engines, and the local engine.

A :class:`Job` is everything a piece of the input needs besides its rows; :func:`process` checks
one piece (:func:`eezcheck.batch.rows.check_table`), encodes it
(:func:`eezcheck.batch.io.encode_chunk`) and counts it (:func:`eezcheck.batch.summary.chunk_stats`).
:func:`local_pieces` checks the first piece alone, builds the checker's shared indexes
(:meth:`eezcheck.checker.Checker.prepare`), then checks the others in a thread pool, yielding
them in input order, so the output is the same bytes whatever the number of threads.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from eezcheck.batch import io as bio
from eezcheck.batch import readers as rd
from eezcheck.batch.fields import CheckSettings
from eezcheck.batch.rows import check_table
from eezcheck.batch.summary import chunk_stats

__all__ = [
    "Job",
    "Piece",
    "check_piece",
    "input_schema",
    "local_pieces",
    "local_threads",
    "process",
]


@dataclass(frozen=True)
class Job:
    """Everything a piece of work needs besides its rows (picklable, shipped to workers)."""

    settings: CheckSettings
    out_fields: tuple[pa.Field, ...]
    spec: bio.OutputSpec
    verdict_col: str | None
    zone_col: str | None
    warn_col: str
    err_col: str
    agree_col: str | None = None


def check_piece(
    table: pa.Table, row_errors: Sequence[tuple[int, str]], checker: Any, job: Job
) -> tuple[pa.Table, dict[str, Any]]:
    """Check one piece and count it."""
    out = check_table(
        table, checker, job.settings, row_errors=row_errors, out_fields=job.out_fields
    )
    return out, chunk_stats(
        out, job.verdict_col, job.zone_col, job.warn_col, job.err_col, job.agree_col
    )


def process(
    table: pa.Table, row_errors: Sequence[tuple[int, str]], checker: Any, job: Job
) -> tuple[Any, dict[str, Any]]:
    """Check one piece, encode it and count it: the unit of work of both engines."""
    out, stats = check_piece(table, row_errors, checker, job)
    return bio.encode_chunk(out, job.spec), stats


def input_schema(source: rd.Source) -> pa.Schema:
    """The Arrow schema of the input's columns (CSV columns are text)."""
    if isinstance(source, rd.ParquetSource):
        return source.pf.schema_arrow.remove_metadata()
    if isinstance(source, rd.TableSource):
        return source.table.schema
    return pa.schema([pa.field(n, pa.string()) for n in source.names])


Piece = tuple[Any, dict[str, Any], "pa.Table | None", "int | None"]
"""(encoded payload, counts, the input rows (for the map) or None, progress so far)."""


def local_pieces(source: rd.Source, checker: Any, job: Job, threads: int) -> Iterator[Piece]:
    """Pieces checked in this process: the first alone, then (once the checker's shared indexes
    are built, :meth:`eezcheck.checker.Checker.prepare`) ``threads`` at a time in a thread pool. The
    check runs mostly outside the GIL (numpy, pyproj, scipy, GEOS, Arrow), and the pieces are
    written in input order, so the output is the same bytes as in one thread."""
    chunks = iter(source.chunks())
    for chunk in chunks:
        payload, stats = process(chunk.table, chunk.row_errors, checker, job)
        yield payload, stats, chunk.table, chunk.done
        if threads > 1:
            checker.prepare(job.settings.fields)
            yield from _threaded(chunks, checker, job, threads)


def _threaded(chunks: Iterator[rd.Chunk], checker: Any, job: Job, threads: int) -> Iterator[Piece]:
    from concurrent.futures import Future, ThreadPoolExecutor

    pending: deque[tuple[Future[tuple[Any, dict[str, Any]]], rd.Chunk]] = deque()
    pool = ThreadPoolExecutor(threads, thread_name_prefix="eezcheck-batch")
    try:
        for chunk in chunks:
            fut = pool.submit(process, chunk.table, chunk.row_errors, checker, job)
            pending.append((fut, chunk))
            # ``threads`` pieces computing while the oldest one is written and the next read
            while len(pending) > threads:
                yield _done(*pending.popleft())
        while pending:
            yield _done(*pending.popleft())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _done(fut: Any, chunk: rd.Chunk) -> Piece:
    payload, stats = fut.result()
    return payload, stats, chunk.table, chunk.done


def local_threads() -> int:
    """Threads of the local engine: one per CPU this process may use, at most 4."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(4, cpus))
