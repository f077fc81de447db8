"""The unit of work of both engines, and the local engine.

A :class:`Job` is everything a piece of the input needs besides its rows; :func:`process` checks
one piece (:func:`eezcheck.batch.rows.check_table`), encodes it
(:func:`eezcheck.batch.io.encode_chunk`) and counts it (:func:`eezcheck.batch.summary.chunk_stats`).
:func:`local_pieces` runs them in this process: on two CPUs a thread reads ahead
(:func:`read_ahead`), this thread checks and another encodes; with more CPUs a pool of threads
checks and encodes once the first piece has built the checker's shared indexes
(:meth:`eezcheck.checker.Checker.prepare`). Pieces are yielded in input order, so the output is
the same bytes whatever the number of threads.
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
    "ReadAhead",
    "check_piece",
    "input_schema",
    "local_pieces",
    "local_threads",
    "process",
    "read_ahead",
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


Piece = tuple[Any, dict[str, Any], "rd.Chunk | None", "int | None"]
"""(encoded payload, counts, the input chunk (its rows and the reader's row errors, for the
map) or None, progress so far)."""


def local_pieces(
    source: rd.Source, checker: Any, job: Job, threads: int, ahead: ReadAhead | None = None
) -> Iterator[Piece]:
    """Pieces checked in this process, in input order (the output is the same bytes whatever
    ``threads`` is).

    ``threads`` 1: read, check, encode one piece after the other. 2 (two CPUs): a thread reads
    and parses the next pieces and another encodes the last checked one while this thread
    checks (Arrow, numpy, GEOS and the file writes run outside the GIL); checking stays in
    this thread, whose boundary polygons need no copy (:meth:`eezcheck.zones.Classifier.classify`:
    every other thread tests its own copy, about 0.25 s of CPU each). 3 or more: the reading
    thread, and ``threads - 1`` threads checking and encoding, once the first piece has been
    checked here and the checker's shared indexes are built
    (:meth:`eezcheck.checker.Checker.prepare`). ``ahead``: the source's :func:`read_ahead`,
    if it was started already.
    """
    if threads <= 1:
        for i, chunk in enumerate(source.chunks()):
            _prepare(checker, job, chunk, i)
            payload, stats = process(chunk.table, chunk.row_errors, checker, job)
            yield payload, stats, chunk, chunk.done
        return
    chunks = ahead if ahead is not None else read_ahead(source)
    try:
        if threads == 2:
            yield from _overlapped(chunks, checker, job)
            return
        for chunk in chunks:
            payload, stats = process(chunk.table, chunk.row_errors, checker, job)
            yield payload, stats, chunk, chunk.done
            checker.prepare(job.settings.fields)
            yield from _threaded(chunks, checker, job, threads - 1)
    finally:
        chunks.close()


def read_ahead(source: rd.Source) -> ReadAhead:
    """The chunks of ``source``, read and parsed ahead in a thread of their own."""
    return ReadAhead(source.chunks())


class ReadAhead(Iterator[rd.Chunk]):
    """The chunks of ``it`` read ahead (at most ``ahead``) by a thread of their own; an error
    of the reader is raised here, at the chunk it stopped at. :meth:`close` stops the reader
    and waits for it (the source may then be closed)."""

    def __init__(self, it: Iterator[rd.Chunk], ahead: int = 2) -> None:
        import queue
        import threading

        self._queue: queue.Queue[tuple[str, Any]] = queue.Queue(ahead)
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._read, args=(it,), name="eezcheck-batch-read", daemon=True
        )
        self._finished = False
        self._thread.start()

    def _put(self, item: tuple[str, Any]) -> bool:
        import queue

        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _read(self, it: Iterator[rd.Chunk]) -> None:
        try:
            for chunk in it:
                if not self._put(("chunk", chunk)):
                    return
        except BaseException as exc:  # handed to the consumer, raised there
            self._put(("error", exc))
            return
        self._put(("end", None))

    def __iter__(self) -> ReadAhead:
        return self

    def __next__(self) -> rd.Chunk:
        if self._finished:
            raise StopIteration
        kind, value = self._queue.get()
        if kind == "chunk":
            return value  # type: ignore[no-any-return]
        self._finished = True
        if kind == "error":
            raise value
        raise StopIteration

    def close(self) -> None:
        import queue

        self._stop.set()
        while self._thread.is_alive():
            try:
                self._queue.get(timeout=0.1)
            except queue.Empty:
                pass
        self._finished = True


PREPARE_ROWS = 1000
"""A piece of more rows (or a second piece) prepares the checker first: every polygon decoded
and prepared once, instead of the parts around each point tested one by one (the way of a
single check, :meth:`eezcheck.zones.Classifier.classify`)."""


def _prepare(checker: Any, job: Job, chunk: rd.Chunk, i: int) -> None:
    if i == 1 or (i == 0 and chunk.table.num_rows > PREPARE_ROWS):
        checker.prepare(job.settings.fields)


def _overlapped(chunks: Iterator[rd.Chunk], checker: Any, job: Job) -> Iterator[Piece]:
    """Check each piece here while a thread encodes the previous one (its bytes are yielded,
    hence written, as soon as they are ready)."""
    from concurrent.futures import Future, ThreadPoolExecutor

    pending: deque[tuple[Future[Any], dict[str, Any], rd.Chunk]] = deque()
    pool = ThreadPoolExecutor(1, thread_name_prefix="eezcheck-batch-encode")
    try:
        for i, chunk in enumerate(chunks):
            _prepare(checker, job, chunk, i)
            out, stats = check_piece(chunk.table, chunk.row_errors, checker, job)
            pending.append((pool.submit(bio.encode_chunk, out, job.spec), stats, chunk))
            while pending and (len(pending) > 2 or pending[0][0].done()):
                fut, st, ch = pending.popleft()
                yield fut.result(), st, ch, ch.done
        while pending:
            fut, st, ch = pending.popleft()
            yield fut.result(), st, ch, ch.done
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


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
    return payload, stats, chunk, chunk.done


def local_threads() -> int:
    """Threads of the local engine: one per CPU this process may use, at most 4."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(4, cpus))
