"""Running a batch: :func:`run_batch` reads the input, plans its columns, checks its pieces with
the local engine (:func:`eezcheck.batch.pieces.local_pieces`, a thread pool) or the Dask engine
(:func:`eezcheck.batch.dask_engine.dask_pieces`), writes them in input order to an atomic output
and, with ``map_path``, draws the first rows on a map. Both engines give the same bytes.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import pyarrow as pa

from eezcheck.batch import io as bio
from eezcheck.batch import readers as rd
from eezcheck.batch.columns import ColumnPlan, detect_columns
from eezcheck.batch.coords import input_crs
from eezcheck.batch.dask_engine import dask_pieces
from eezcheck.batch.fields import CheckSettings, output_fields, parse_fields
from eezcheck.batch.pieces import (
    Job,
    Piece,
    input_schema,
    local_pieces,
    local_threads,
    read_ahead,
)
from eezcheck.batch.rows import RowError
from eezcheck.batch.summary import BatchSummary
from eezcheck.errors import InvalidInputError, TableFormatError

log = logging.getLogger("eezcheck.batch")

__all__ = ["MAP_MAX_EVENTS", "BatchSummary", "run_batch"]

MAP_MAX_EVENTS = 2000
"""Rows drawn by ``--map`` (the first ones); a map of millions of events is of no use."""


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
    crs: str | None = None,
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
    crs : str, optional
        CRS of the coordinate columns (``--crs``: ``EPSG:4301``, a URN, WKT...; default
        EPSG:4326, WGS84), transformed to WGS84 with pyproj. A geometry column's CRS is the one
        its file declares (:mod:`eezcheck.crs`); a ``crs`` contradicting it is an error.
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
    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = tempfile.TemporaryDirectory()
    >>> events = Path(folder.name, "events.csv")
    >>> _ = events.write_text("lat,lon\\n41.3,138.5\\n91,138\\n")
    >>> s = run_batch(str(events), str(events.with_name("checked.csv")), fields="verdict")
    >>> s.line(), s.first_errors[0]["row"]
    ('2 rows: 1 inside, 0 outside, 0 disputed, 0 uncertain, 1 error', 2)
    >>> folder.cleanup()
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
    ahead = None
    try:
        info(f"read: {source.description}")
        for note in source.notes:
            info(note)
        plan = detect_columns(source.names, columns, geometry=source.geometry)
        for line in plan.describe():
            info(line)
        crs_read = input_crs(source, plan, crs, input)
        if crs_read is not None:
            info(f"crs: {crs_read.describe()}")
        n_threads = local_threads() if threads is None else threads
        # the local engine's reading thread starts now: the first pieces are parsed while the
        # boundary data loads
        ahead = read_ahead(source) if engine == "local" and n_threads > 1 else None
        checker = get_checker(boundaries)
        settings = CheckSettings(
            plan, field_keys, uncertainty_km, crs_read if "latlon" in plan.sources else None
        )
        in_schema = input_schema(source)
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
            by_key["warning"], by_key["error"], by_key.get("agrees_with_report"),
        )  # fmt: skip
        schema = pa.schema(list(in_schema) + list(out_fields))
        summary = BatchSummary(
            input={
                "path": input, "format": source.kind, "read": source.description,
                **({"crs": crs_read.to_dict()} if crs_read is not None else {}),
            },  # fmt: skip
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
            **({"input_crs": crs_read.to_dict()} if crs_read is not None else {}),
        }
        map_rows: list[Any] | None = [] if map_path else None  # the map's events
        atomic: bio.AtomicOutput | None = None
        spool = None
        sink: bio.Sink | None = None
        pieces: Iterator[Piece] | None = None
        finished = False
        try:  # from here on, an interruption (Ctrl-C, SIGTERM) discards the part file
            # made inside the try: a signal the moment after the part file exists discards it
            atomic = None if to_stdout else bio.AtomicOutput(output, overwrite)
            for stale in atomic.stale_removed if atomic else ():
                info(f"note: removed {stale}, a part file left by an interrupted run")
            # with --strict, standard output is spooled too: a bad row must leave no output
            spool = tempfile.TemporaryFile() if (strict and to_stdout) else None
            stream: IO[bytes] = atomic.stream if atomic else (spool or stdout or _stdout())
            sink = bio.Sink(stream, spec, schema, metadata)
            pieces = (
                local_pieces(source, checker, job, n_threads, ahead)
                if engine == "local"
                else dask_pieces(
                    source,
                    job,
                    boundaries,
                    scheduler,
                    workers,
                    summary,
                    info,
                    tempfile.gettempdir()
                    if atomic is None or atomic.kind != "file"
                    else _out_dir(output),
                )
            )
            for payload, stats, chunk, done in pieces:
                offset = summary.rows
                if strict and stats["errors"]:
                    i, msg = stats["first_errors"][0]
                    raise RowError(
                        f"row {offset + i + 1}: {msg} (--strict stops at the first bad row; "
                        "nothing was written)"
                    )
                sink.write(payload)
                summary.add(stats, offset)
                if map_rows is not None and chunk is not None and len(map_rows) < MAP_MAX_EVENTS:
                    take = chunk.table.slice(0, MAP_MAX_EVENTS - len(map_rows))
                    errors = [(i, m) for i, m in chunk.row_errors if i < take.num_rows]
                    map_rows.extend(_map_events(take, errors, plan, settings, checker, len(map_rows)))
                if progress:
                    progress(done if done is not None else summary.rows, source.total)
            sink.close({**summary.to_dict(), "eezcheck_version": metadata["eezcheck_version"]})
            if map_rows == [] and summary.rows:  # the pieces were read by Dask workers
                map_rows = _first_map_events(
                    source.spool_path or input, plan, settings, checker,
                    fmt=input_format, encoding=encoding, delimiter=delimiter, sheet=sheet,
                )  # fmt: skip
            if map_path:
                summary.map = _write_map(
                    map_path, map_rows or [], checker, overwrite, summary.rows
                )
            if atomic:
                atomic.commit()
            if spool is not None:
                spool.seek(0)
                out = stdout or _stdout()
                shutil.copyfileobj(spool, out, 1 << 20)
                out.flush()
            finished = True
        finally:
            try:
                if isinstance(pieces, Generator):  # its threads stop before the source closes
                    pieces.close()
                if sink is not None and not finished:
                    sink.abort()
            finally:  # whatever stopping the threads raised, the part file goes
                if atomic:
                    atomic.discard()
                if spool is not None:
                    spool.close()
    finally:
        if ahead is not None:
            ahead.close()
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


# --------------------------------------------------------------------------- map


def _map_events(
    table: pa.Table, row_errors: Sequence[tuple[int, str]], plan: ColumnPlan,
    settings: CheckSettings, checker: Any, first_row: int,
) -> list[Any]:
    """The map's events of input rows: each at the point batch checks it
    (:func:`eezcheck.mapping.located_events`), a row batch cannot check not drawn, with its
    error."""
    try:
        from eezcheck import mapping
    except ImportError as exc:
        raise TableFormatError(
            f"maps not available: eezcheck.mapping cannot be imported ({exc})"
        ) from exc

    cols = mapping.event_columns(table.column_names, plan)
    return mapping.located_events(
        table, cols, settings, checker, row_errors=row_errors, first_row=first_row
    )


def _first_map_events(
    path: str, plan: ColumnPlan, settings: CheckSettings, checker: Any, **read: Any
) -> list[Any]:
    """The map's events of the first :data:`MAP_MAX_EVENTS` rows, read again here (a Dask run
    whose workers read the pieces themselves)."""
    events: list[Any] = []
    src = rd.open_source(path, **read)
    try:
        for chunk in src.chunks():
            take = chunk.table.slice(0, MAP_MAX_EVENTS - len(events))
            errors = [(i, m) for i, m in chunk.row_errors if i < take.num_rows]
            events.extend(_map_events(take, errors, plan, settings, checker, len(events)))
            if len(events) >= MAP_MAX_EVENTS:
                break
    finally:
        rd.close_source(src)
    return events


def _write_map(
    path: str, events: list[Any], checker: Any, overwrite: bool, total_rows: int
) -> dict[str, Any]:
    from eezcheck import mapping

    m = mapping.events_map(events, boundaries=checker.boundaries)
    mapping.save_map(m, path, overwrite=overwrite)
    info = getattr(m, "eezcheck_info", None)
    out: dict[str, Any] = {"path": path, "events": len(events), "rows": total_rows}
    if info is not None:
        out.update({"drawn": info.drawn, "skipped": len(info.skipped)})
    return out
