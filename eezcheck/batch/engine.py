"""Running a batch: the local engine (pieces in a thread pool) and the Dask engine (partitions
in parallel).

Both engines cut the input into the same pieces (:meth:`eezcheck.batch.io.Source.parts`), check
each with :func:`eezcheck.batch.rows.check_table`, encode it with
:func:`eezcheck.batch.io.encode_chunk` and write the pieces in input order, so their outputs are
byte-identical. The local engine checks the first piece alone, builds the checker's shared
indexes (:meth:`eezcheck.checker.Checker.prepare`), then checks the others in threads.

The Dask engine builds a :mod:`dask.dataframe` whose partitions are those pieces, read by the
workers themselves when they can see the input file (checked with ``client.run``), and checks
every partition with the same function as the local engine (``map_partitions``). The boundary
data goes to each worker once, in a :class:`~distributed.WorkerPlugin` carrying the data files'
bytes: every worker writes them to its local directory and loads them when it starts, so tasks
carry only a key, never the boundaries. Results come back in order through a bounded window of
futures, so memory stays bounded on the client too.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.compute as pc

from eezcheck.batch import io as bio
from eezcheck.batch import readers as rd
from eezcheck.batch.columns import ColumnPlan, detect_columns
from eezcheck.batch.rows import CheckSettings, RowError, check_table, output_fields, parse_fields
from eezcheck.errors import EezcheckError, InvalidInputError, TableFormatError

log = logging.getLogger("eezcheck.batch")

__all__ = ["BatchSummary", "run_batch"]

VERDICTS = ("inside", "outside", "disputed", "uncertain")
MAP_MAX_EVENTS = 2000
"""Rows drawn by ``--map`` (the first ones); a map of millions of events is of no use."""
_ROW_ERROR_COLUMN = "__eezcheck_row_error__"


@dataclass
class BatchSummary:
    """What a batch run did (``--summary-json``)."""

    rows: int = 0
    verdicts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(VERDICTS, 0))
    errors: int = 0
    warnings: int = 0
    zones: dict[str, int] = field(default_factory=dict)
    first_errors: list[dict[str, Any]] = field(default_factory=list)
    input: dict[str, Any] = field(default_factory=dict)
    output: dict[str, Any] = field(default_factory=dict)
    columns: dict[str, Any] = field(default_factory=dict)
    fields: list[str] = field(default_factory=list)
    boundaries: dict[str, Any] = field(default_factory=dict)
    engine: dict[str, Any] = field(default_factory=dict)
    map: dict[str, Any] | None = None
    elapsed_s: float = 0.0

    def add(self, stats: Mapping[str, Any], offset: int) -> None:
        self.rows += int(stats["rows"])
        for k, v in stats["verdicts"].items():
            self.verdicts[k] = self.verdicts.get(k, 0) + int(v)
        for k, v in stats["zones"].items():
            self.zones[k] = self.zones.get(k, 0) + int(v)
        self.errors += int(stats["errors"])
        self.warnings += int(stats["warnings"])
        for i, msg in stats["first_errors"]:
            if len(self.first_errors) < 10:
                self.first_errors.append({"row": offset + int(i) + 1, "error": msg})

    def to_dict(self) -> dict[str, Any]:
        rate = self.rows / self.elapsed_s if self.elapsed_s > 0 else None
        return {
            "rows": self.rows,
            "inside": self.verdicts.get("inside", 0),
            "outside": self.verdicts.get("outside", 0),
            "disputed": self.verdicts.get("disputed", 0),
            "uncertain": self.verdicts.get("uncertain", 0),
            "errors": self.errors,
            "warnings": self.warnings,
            "zones": dict(sorted(self.zones.items())),
            "first_errors": self.first_errors,
            "input": self.input,
            "output": self.output,
            "columns": self.columns,
            "fields": self.fields,
            "boundaries": self.boundaries,
            "engine": self.engine,
            "map": self.map,
            "elapsed_s": round(self.elapsed_s, 3),
            "rows_per_s": round(rate, 1) if rate else None,
        }

    def line(self) -> str:
        """One human line for stderr."""
        v = self.verdicts
        return (
            f"{self.rows:,} rows: {v.get('inside', 0):,} inside, {v.get('outside', 0):,} outside, "
            f"{v.get('disputed', 0):,} disputed, {v.get('uncertain', 0):,} uncertain, "
            f"{self.errors:,} error{'' if self.errors == 1 else 's'}"
            + (
                f", {self.warnings:,} warning{'' if self.warnings == 1 else 's'}"
                if self.warnings
                else ""
            )
        )


def chunk_stats(
    table: pa.Table, verdict_col: str | None, zone_col: str | None, warn_col: str, err_col: str
) -> dict[str, Any]:
    """Counts of one checked chunk (verdicts, zones, errors, the first errors)."""

    def counts(name: str | None) -> dict[str, int]:
        if name is None:
            return {}
        vc = pc.value_counts(
            table.column(name).combine_chunks() if table.num_rows else pa.array([], pa.string())
        )
        return {
            str(d["values"]): int(d["counts"]) for d in vc.to_pylist() if d["values"] is not None
        }

    err = table.column(err_col)
    n_err = table.num_rows - err.null_count
    first: list[tuple[int, str]] = []
    if n_err:
        valid = pc.is_valid(err)
        idx = pc.indices_nonzero(valid).to_pylist()[:10]
        vals = err.take(pa.array(idx)).to_pylist()
        first = list(zip(idx, vals))
    return {
        "rows": table.num_rows,
        "verdicts": counts(verdict_col),
        "zones": counts(zone_col),
        "errors": n_err,
        "warnings": table.num_rows - table.column(warn_col).null_count,
        "first_errors": first,
    }


# --------------------------------------------------------------------------- the job


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


def check_piece(
    table: pa.Table, row_errors: Sequence[tuple[int, str]], checker: Any, job: Job
) -> tuple[pa.Table, dict[str, Any]]:
    """Check one piece and count it."""
    out = check_table(
        table, checker, job.settings, row_errors=row_errors, out_fields=job.out_fields
    )
    return out, chunk_stats(out, job.verdict_col, job.zone_col, job.warn_col, job.err_col)


def process(
    table: pa.Table, row_errors: Sequence[tuple[int, str]], checker: Any, job: Job
) -> tuple[Any, dict[str, Any]]:
    """Check one piece, encode it and count it: the unit of work of both engines."""
    out, stats = check_piece(table, row_errors, checker, job)
    return bio.encode_chunk(out, job.spec), stats


def run_batch(
    input: str,
    output: str,
    *,
    input_format: str | None = None,
    output_format: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    columns: Mapping[str, str | None] | None = None,
    fields: str | Sequence[str] | None = None,
    uncertainty_km: float | None = None,
    strict: bool = False,
    overwrite: bool = False,
    boundaries: str | os.PathLike[str] | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    threads: int | None = None,
    map_path: str | None = None,
    range_bytes: int = rd.RANGE_BYTES,
    chunk_rows: int = rd.CHUNK_ROWS,
    stdin: IO[bytes] | None = None,
    stdout: IO[bytes] | None = None,
    on_info: Callable[[str], None] | None = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> BatchSummary:
    """Check every row of a table and write the table with its verdicts.

    Parameters
    ----------
    input, output : str
        File paths, or ``-`` for standard input/output (``stdin``/``stdout`` streams may be
        given instead of the process's).
    input_format, output_format : str, optional
        Default: from the extensions (input sniffed when it has none).
    encoding, delimiter, sheet : str, optional
        CSV encoding and delimiter (default: detected), Excel sheet (default: the active one).
    columns : mapping, optional
        Explicit columns (keys of :data:`eezcheck.batch.columns.OVERRIDES`).
    fields : str or list, optional
        Result fields (:func:`eezcheck.batch.rows.parse_fields`); default all.
    uncertainty_km : float, optional
        A 95 % radius for rows without an uncertainty cell.
    strict : bool
        Stop at the first bad row (:class:`~eezcheck.batch.rows.RowError`), writing nothing.
    overwrite : bool
        Replace an existing output (and map).
    boundaries : path, optional
        As ``--boundaries`` (default: the active data).
    engine : "local" or "dask"
        ``dask`` checks partitions in parallel on a Dask cluster: ``scheduler`` (an address) or a
        new local cluster of ``workers`` processes.
    threads : int, optional
        Threads of the local engine (default :func:`local_threads`: one per CPU, at most 4;
        1 checks the pieces one after the other). The output does not depend on it.
    map_path : str, optional
        Also write an HTML map of the (first :data:`MAP_MAX_EVENTS`) events.
    on_info, progress : callables, optional
        Receive human lines about what was detected, and progress ``(done, total)``.

    Returns
    -------
    BatchSummary

    Raises
    ------
    TableFormatError, FileOverwriteError, RowError (strict), BoundaryDataError ...

    Examples
    --------
    >>> s = run_batch("events.csv", "checked.csv")  # doctest: +SKIP
    >>> s.line()  # doctest: +SKIP
    '339 rows: 25 inside, 221 outside, 0 disputed, 0 uncertain, 93 errors'
    """
    t0 = time.perf_counter()
    info = on_info or (lambda line: None)
    if engine not in ("local", "dask"):
        raise InvalidInputError(f"unknown engine {engine!r}: use local or dask")
    out_fmt = bio.output_format(output, output_format)
    bio.check_output_path(output, overwrite)
    if map_path and Path(map_path).parent.is_dir():
        bio.check_output_path(map_path, overwrite)  # else the map's folders are made on saving
    bio.distinct_outputs({"output": output, "map": map_path})
    to_stdout = bio.output_kind(output) == "stdout"
    field_keys = parse_fields(fields)
    from eezcheck.checker import get_checker

    source = rd.open_source(
        input, fmt=input_format, encoding=encoding, delimiter=delimiter, sheet=sheet,
        chunk_rows=chunk_rows, range_bytes=range_bytes, stdin=stdin,
    )  # fmt: skip
    try:
        info(f"read: {source.description}")
        for note in source.notes:
            info(note)
        plan = detect_columns(source.names, columns, geometry=source.geometry)
        for line in plan.describe():
            info(line)
        checker = get_checker(boundaries)
        settings = CheckSettings(plan, field_keys, uncertainty_km)
        in_schema = _input_schema(source)
        out_fields = tuple(output_fields(in_schema.names, settings))
        by_key = {f.metadata[b"eezcheck"].decode(): f.name for f in out_fields}
        spec = bio.OutputSpec(
            out_fmt,
            lat=by_key["lat"],
            lon=by_key["lon"],
            input_geometry=source.geometry,
            geometry=_free(in_schema.names, "geometry", out_fields),
        )
        job = Job(
            settings, out_fields, spec, by_key.get("japan_eez"), by_key.get("zone"),
            by_key["warning"], by_key["error"],
        )  # fmt: skip
        schema = pa.schema(list(in_schema) + list(out_fields))
        summary = BatchSummary(
            input={"path": input, "format": source.kind, "read": source.description},
            output={"path": output, "format": out_fmt},
            columns=plan.to_dict(),
            fields=list(field_keys),
            boundaries=dict(checker.boundaries_info),
            engine={"name": engine},
        )
        metadata = {
            "boundaries": dict(checker.boundaries_info),
            "columns": plan.to_dict(),
            "fields": list(field_keys),
            "eezcheck_version": _version(),
        }
        map_rows: list[dict[str, Any]] | None = [] if map_path else None
        atomic = None if to_stdout else bio.AtomicOutput(output, overwrite)
        for stale in atomic.stale_removed if atomic else ():
            info(f"note: removed {stale}, a part file left by an interrupted run")
        # with --strict, standard output is spooled too: a bad row must leave no output at all
        spool = tempfile.TemporaryFile() if (strict and to_stdout) else None
        try:
            stream: IO[bytes] = atomic.stream if atomic else (spool or stdout or _stdout())
            sink = bio.Sink(stream, spec, schema, metadata)
            pieces = (
                _local(source, checker, job, local_threads() if threads is None else threads)
                if engine == "local"
                else _dask(
                    source, job, boundaries, scheduler, workers, summary, info,
                    tempfile.gettempdir() if atomic is None or atomic.kind != "file"
                    else _out_dir(output),
                )
            )
            for payload, stats, table, done in pieces:
                offset = summary.rows
                if strict and stats["errors"]:
                    i, msg = stats["first_errors"][0]
                    raise RowError(
                        f"row {offset + i + 1}: {msg} (--strict stops at the first bad row; "
                        "nothing was written)"
                    )
                sink.write(payload)
                summary.add(stats, offset)
                if map_rows is not None and table is not None and len(map_rows) < MAP_MAX_EVENTS:
                    take = table.slice(0, MAP_MAX_EVENTS - len(map_rows)).select(in_schema.names)
                    map_rows.extend(take.to_pylist())
                if progress:
                    progress(done if done is not None else summary.rows, source.total)
            sink.close({**summary.to_dict(), "eezcheck_version": metadata["eezcheck_version"]})
            if map_path:
                summary.map = _write_map(
                    map_path, map_rows or [], source.names, plan, checker, overwrite, summary.rows
                )
            if atomic:
                atomic.commit()
            if spool is not None:
                spool.seek(0)
                out = stdout or _stdout()
                shutil.copyfileobj(spool, out, 1 << 20)
                out.flush()
        finally:
            if atomic:
                atomic.discard()
            if spool is not None:
                spool.close()
    finally:
        rd.close_source(source)
    summary.elapsed_s = time.perf_counter() - t0
    return summary


def _out_dir(output: str) -> str:
    return tempfile.gettempdir() if output == "-" else os.path.dirname(os.path.abspath(output))


def _version() -> str:
    from eezcheck._version import __version__

    return __version__


def _stdout() -> IO[bytes]:
    import sys

    return sys.stdout.buffer


def _free(names: Sequence[str], name: str, fields: Sequence[pa.Field]) -> str:
    taken = set(names) | {f.name for f in fields}
    while name in taken:
        name = "eezcheck." + name
    return name


def _input_schema(source: rd.Source) -> pa.Schema:
    if isinstance(source, rd.ParquetSource):
        return source.pf.schema_arrow.remove_metadata()
    if isinstance(source, rd.GeoJSONSource):
        return source.table.schema
    return pa.schema([pa.field(n, pa.string()) for n in source.names])


# --------------------------------------------------------------------------- local engine


Piece = tuple[Any, dict[str, Any], "pa.Table | None", "int | None"]
"""(encoded payload, counts, the input rows (for the map) or None, progress so far)."""


def _local(source: rd.Source, checker: Any, job: Job, threads: int) -> Iterator[Piece]:
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


# --------------------------------------------------------------------------- Dask engine

_WORKER_DATA: dict[str, str] = {}
"""On a worker: boundary payload key -> the local path its files were written to."""
LOADS: Counter[str] = Counter()
"""On a worker: how many times each boundary payload was loaded (1 each: a test checks it)."""


@dataclass(frozen=True)
class BoundaryPayload:
    """The boundary data files themselves, shipped once to every worker."""

    key: str
    name: str
    is_dir: bool
    files: tuple[tuple[str, bytes], ...]

    @classmethod
    def from_option(cls, boundaries: str | os.PathLike[str] | None) -> BoundaryPayload:
        import hashlib

        from eezcheck.data import resolve_source

        src = Path(resolve_source(boundaries).path)
        if src.is_dir():
            files = tuple(
                (p.name, p.read_bytes())
                for p in sorted(src.iterdir())
                if p.is_file() and not p.name.startswith(".")
            )
        else:
            files = ((src.name, src.read_bytes()),)
        h = hashlib.sha256()
        for name, data in files:
            h.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
        return cls(h.hexdigest()[:16], src.name, src.is_dir(), files)

    def materialize(self, root: str) -> str:
        base = Path(root) / f"eezcheck-boundaries-{self.key}"
        target = base / self.name if self.is_dir else base
        target.mkdir(parents=True, exist_ok=True)
        for name, data in self.files:
            p = target / name
            if not p.exists() or p.stat().st_size != len(data):
                tmp = p.with_name(f".{name}.tmp{os.getpid()}")
                tmp.write_bytes(data)
                os.replace(tmp, p)
        return str(target if self.is_dir else target / self.files[0][0])


def _warm(path: str, fields: Sequence[str]) -> None:
    from eezcheck.checker import get_checker

    checker = get_checker(path)
    _ = checker.classifier.grid
    if {"distance_to_eez_limit_km", "distance_to_eez_limit_nm"} & set(fields):
        _ = checker.distances.limit
    if "nearest_japanese_land_km" in fields:
        _ = checker.distances.land


def _worker_checker(key: str) -> Any:
    from eezcheck.checker import get_checker

    path = _WORKER_DATA.get(key)
    if path is None:
        raise EezcheckError(f"boundary data {key} was not sent to this worker (plugin missing)")
    return get_checker(path)


def _make_plugin(payload: BoundaryPayload, fields: Sequence[str]) -> Any:
    from distributed import WorkerPlugin

    class BoundariesPlugin(WorkerPlugin):  # type: ignore[misc]
        """Writes the boundary files into the worker's directory and loads them, once."""

        name = f"eezcheck-boundaries-{payload.key}"

        def __init__(self) -> None:
            self.payload = payload
            self.fields = tuple(fields)

        def setup(self, worker: Any) -> None:
            from eezcheck.batch import engine

            path = self.payload.materialize(worker.local_directory)
            if self.payload.key not in engine._WORKER_DATA:
                engine._WORKER_DATA[self.payload.key] = path
                engine.LOADS[self.payload.key] += 1
            _warm(path, self.fields)

    return BoundariesPlugin()


def _to_pandas(table: pa.Table, errors: Sequence[tuple[int, str]]) -> Any:
    import pandas as pd

    col: list[str | None] = [None] * table.num_rows
    for i, msg in errors:
        col[i] = msg
    t = table.append_column(_ROW_ERROR_COLUMN, pa.array(col, pa.string()))
    return t.to_pandas(types_mapper=pd.ArrowDtype)


def _from_pandas(df: Any, schema: pa.Schema) -> tuple[pa.Table, list[tuple[int, str]]]:
    t = pa.Table.from_pandas(df, preserve_index=False)
    errs = t.column(_ROW_ERROR_COLUMN).to_pylist()
    row_errors = [(i, m) for i, m in enumerate(errs) if m is not None]
    t = t.drop_columns([_ROW_ERROR_COLUMN])
    if t.schema != schema:
        t = t.cast(schema)
    return t, row_errors


def read_partition(part: Any, reader: tuple[str, Any], schema: pa.Schema) -> Any:
    """A Dask partition: one piece of the input file, read on the worker (pandas, Arrow types)."""
    kind, info = reader
    if kind == "csv":
        path, dialect = info
        table, errors = rd.read_csv_range(path, dialect, part[0], part[1])
    else:
        table, errors = rd.read_parquet_groups(info, part), []
        table = table.cast(schema) if table.schema != schema else table
    return _to_pandas(table, errors)


def check_partition(df: Any, key: str, job: Job, schema: pa.Schema, parts_dir: str | None) -> Any:
    """``map_partitions`` function: the local engine's :func:`process` on one partition. The
    encoded bytes go to a file in ``parts_dir`` (a folder the client sees) or, without one,
    back to the client with the counts, in a one-row frame."""
    import pandas as pd

    table, errors = _from_pandas(df, schema)
    payload, stats = process(table, errors, _worker_checker(key), job)
    return pd.DataFrame({"payload": [bio.spill(payload, parts_dir)], "stats": [stats]})


def _process_remote(
    table: pa.Table, errors: Sequence[tuple[int, str]], key: str, job: Job, parts_dir: str | None
) -> tuple[Any, dict[str, Any]]:
    payload, stats = process(table, errors, _worker_checker(key), job)
    return bio.spill(payload, parts_dir), stats


def _dask(
    source: rd.Source,
    job: Job,
    boundaries: str | os.PathLike[str] | None,
    scheduler: str | None,
    workers: int | None,
    summary: BatchSummary,
    info: Callable[[str], None],
    out_dir: str,
) -> Iterator[Piece]:
    try:
        import dask
        import dask.dataframe as dd
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - the dask extra
        raise InvalidInputError(
            "--engine dask needs dask[dataframe] and distributed (pip install 'eezcheck[dask]')"
        ) from exc
    import pandas as pd

    payload = BoundaryPayload.from_option(boundaries)
    parts_dir: str | None = None
    if not log.isEnabledFor(logging.DEBUG):  # Dask's INFO chatter is not for batch users
        for name in ("distributed", "dask"):
            logging.getLogger(name).setLevel(logging.ERROR)
    cluster = None
    if scheduler:
        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise InvalidInputError(
                f"cannot connect to the Dask scheduler {scheduler!r}: {exc}"
            ) from exc
    else:
        n = workers or max(1, min(os.cpu_count() or 1, 8))
        cluster = LocalCluster(
            n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
            silence_logs=logging.ERROR,
        )  # fmt: skip
        client = Client(cluster)
    try:
        nworkers = len(client.scheduler_info().get("workers", {}))
        client.register_plugin(
            _make_plugin(payload, job.settings.fields), name=f"eezcheck-boundaries-{payload.key}"
        )
        schema = _input_schema(source)
        path = source.path
        on_workers = False
        if path is not None:
            seen = client.run(os.path.exists, os.path.abspath(path))
            on_workers = bool(seen) and all(seen.values())
        summary.engine = {
            "name": "dask",
            "scheduler": scheduler or "LocalCluster",
            "workers": nworkers,
            "workers_read_input": on_workers,
        }
        info(
            f"dask: {nworkers} workers at {getattr(client.scheduler, 'address', scheduler)}; "
            + (
                "workers read the input themselves"
                if on_workers
                else "the client reads the input and sends the pieces"
            )
        )
        window = max(2, 2 * nworkers)
        parts_dir = _parts_dir(client, job, out_dir)
        summary.engine["workers_write_parts"] = parts_dir is not None
        if on_workers:
            assert path is not None
            parts = source.parts()
            reader: tuple[str, Any]
            if isinstance(source, rd.CsvSource):
                reader = ("csv", (os.path.abspath(path), source.dialect))
            else:
                reader = ("parquet", os.path.abspath(path))
            meta = _to_pandas(schema.empty_table(), [])
            ddf = dd.from_map(
                read_partition,
                parts,
                reader=reader,
                schema=schema,
                meta=meta,
                enforce_metadata=False,
            )
            out_meta = pd.DataFrame(
                {"payload": pd.Series([], dtype=object), "stats": pd.Series([], dtype=object)}
            )
            checked = ddf.map_partitions(
                check_partition,
                payload.key,
                job,
                schema,
                parts_dir,
                meta=out_meta,
                enforce_metadata=False,
            )
            delayed_parts = [dask.delayed(_unpack)(d) for d in checked.to_delayed()]
            rows = 0
            for (payload_, stats), part in zip(
                _ordered(client, iter(delayed_parts), window), parts
            ):
                rows += stats["rows"]
                done = part[1] if isinstance(source, rd.CsvSource) else rows
                yield payload_, stats, None, done
        else:
            futures = (
                (
                    client.submit(
                        _process_remote,
                        c.table,
                        c.row_errors,
                        payload.key,
                        job,
                        parts_dir,
                        pure=False,
                    ),
                    c,
                )
                for c in source.chunks()
            )
            for (payload_, stats), chunk in _ordered_futures(futures, window):
                yield payload_, stats, chunk.table, chunk.done
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
        if parts_dir is not None:
            shutil.rmtree(parts_dir, ignore_errors=True)


def _parts_dir(client: Any, job: Job, out_dir: str) -> str | None:
    """A new folder next to the output where workers write their encoded pieces, if every
    worker can write there (a shared file system); None (pieces come back over the network)
    otherwise, and for Parquet output (its row groups are written by the client)."""
    if job.spec.fmt == "parquet":
        return None
    try:
        folder = tempfile.mkdtemp(prefix=".eezcheck-parts-", dir=out_dir)
    except OSError:
        return None
    probe = os.path.join(folder, "probe")

    def can_write(path: str) -> bool:
        try:
            with open(f"{path}.{os.getpid()}", "wb"):
                pass
            os.unlink(f"{path}.{os.getpid()}")
            return True
        except OSError:
            return False

    seen = client.run(can_write, probe)
    if seen and all(seen.values()):
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    return None


def _unpack(df: Any) -> tuple[Any, dict[str, Any]]:
    return df["payload"].iloc[0], df["stats"].iloc[0]


def _ordered(
    client: Any, delayed: Iterator[Any], window: int
) -> Iterator[tuple[Any, dict[str, Any]]]:
    """Results of delayed objects in order, at most ``window`` computing at once."""
    pending: list[Any] = []
    it = iter(delayed)
    for d in it:
        pending.append(client.compute(d))
        if len(pending) >= window:
            break
    while pending:
        fut = pending.pop(0)
        payload, stats = fut.result()
        fut.release()
        nxt = next(it, None)
        if nxt is not None:
            pending.append(client.compute(nxt))
        yield payload, stats


def _ordered_futures(
    futures: Iterator[tuple[Any, rd.Chunk]], window: int
) -> Iterator[tuple[tuple[Any, dict[str, Any]], rd.Chunk]]:
    pending: list[tuple[Any, rd.Chunk]] = []
    it = iter(futures)
    for f in it:
        pending.append(f)
        if len(pending) >= window:
            break
    while pending:
        fut, chunk = pending.pop(0)
        result = fut.result()
        fut.release()
        nxt = next(it, None)
        if nxt is not None:
            pending.append(nxt)
        yield result, chunk


# --------------------------------------------------------------------------- map


def _write_map(
    path: str,
    rows: list[dict[str, Any]],
    names: Sequence[str],
    plan: ColumnPlan,
    checker: Any,
    overwrite: bool,
    total_rows: int,
) -> dict[str, Any]:
    try:
        from eezcheck import mapping
    except ImportError as exc:
        raise TableFormatError(
            f"maps not available: eezcheck.mapping cannot be imported ({exc})"
        ) from exc
    if not hasattr(mapping, "events_map") or not hasattr(mapping, "save_map"):
        raise TableFormatError(
            "maps not available: this eezcheck has no map builder (eezcheck.mapping.events_map)"
        )
    cols = mapping.event_columns(list(names), plan)
    m = mapping.events_map(rows, boundaries=checker.boundaries, columns=cols)
    mapping.save_map(m, path, overwrite=overwrite)
    info = getattr(m, "eezcheck_info", None)
    out: dict[str, Any] = {"path": path, "events": len(rows), "rows": total_rows}
    if info is not None:
        out.update({"drawn": info.drawn, "skipped": len(info.skipped)})
    return out
