"""The Dask engine: the pieces of the input checked as tasks on a Dask cluster.

Every piece of the input (:meth:`eezcheck.batch.readers.Source.parts`) is one task, read by
the workers themselves when they can see the input file (checked with ``client.run``) and
checked with the same function as the local engine (:func:`eezcheck.batch.pieces.process`), so
the outputs are byte-identical. A task is a plain ``client.submit`` of a byte range (no
dataframe, no pandas round trip: Arrow in, encoded bytes out). The boundary data goes to each
worker once, in a :class:`~distributed.WorkerPlugin` carrying the data files' bytes: every
worker writes them to its local directory and loads them when it starts, so tasks carry only a
key, never the boundaries. Workers write their encoded pieces to a folder the client sees when
there is one, and results come back in order through a bounded window of futures, so memory
stays bounded on the client too. A local cluster starts its workers from a fork server that
has imported eezcheck once (``forkserver`` instead of Dask's ``spawn``).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pyarrow as pa

from eezcheck.batch import io as bio
from eezcheck.batch import readers as rd
from eezcheck.batch.pieces import Job, Piece, input_schema, process
from eezcheck.batch.summary import BatchSummary
from eezcheck.errors import EezcheckError, EngineError, InvalidInputError

log = logging.getLogger("eezcheck.batch")

__all__ = ["LOADS", "BoundaryPayload", "check_part", "dask_pieces", "read_part"]

_ROW_ERROR_COLUMN = "__eezcheck_row_error__"
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

    # a worker checks pieces of many points: every polygon decoded and prepared (not tested
    # part by part, as a single check would), the grid and the distance lines loaded
    get_checker(path).prepare(fields)


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

        async def setup(self, worker: Any) -> None:
            import asyncio

            # the module's own dicts (a class made here is pickled by value, its globals too)
            from eezcheck.batch import dask_engine

            path = self.payload.materialize(worker.local_directory)
            if self.payload.key not in dask_engine._WORKER_DATA:
                dask_engine._WORKER_DATA[self.payload.key] = path
                dask_engine.LOADS[self.payload.key] += 1
            # loaded in the thread that runs the tasks (one, as --nthreads 1 makes it): the
            # classifier's own thread tests its polygons without copying them
            executor = getattr(worker, "executor", None)
            if executor is not None:
                await asyncio.wrap_future(executor.submit(_warm, path, self.fields))
            else:
                _warm(path, self.fields)

    return BoundariesPlugin()


def read_part(part: Any, reader: tuple[str, Any], schema: pa.Schema) -> rd.Chunk:
    """One piece of the input file, read on a worker."""
    kind, info = reader
    if kind == "csv":
        path, dialect = info
        table, errors = rd.read_csv_range(path, dialect, part[0], part[1])
    else:
        table, errors = rd.read_parquet_part(info, part)
        table = table.cast(schema) if table.schema != schema else table
    return rd.Chunk(table, errors)


def check_part(
    part: Any, reader: tuple[str, Any], schema: pa.Schema, key: str, job: Job,
    parts_dir: str | None,
) -> tuple[Any, dict[str, Any]]:  # fmt: skip
    """A task: read one piece on the worker, check and encode it with the local engine's
    :func:`process`; the encoded bytes go to a file in ``parts_dir`` (a folder the client sees)
    or, without one, back to the client with the counts."""
    chunk = read_part(part, reader, schema)
    payload, stats = process(chunk.table, chunk.row_errors, _worker_checker(key), job)
    return bio.spill(payload, parts_dir), stats


def _process_remote(
    table: pa.Table, errors: Sequence[tuple[int, str]], key: str, job: Job, parts_dir: str | None
) -> tuple[Any, dict[str, Any]]:
    payload, stats = process(table, errors, _worker_checker(key), job)
    return bio.spill(payload, parts_dir), stats


def dask_pieces(
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
        from distributed import Client, KilledWorker, LocalCluster
        from distributed.client import FutureCancelledError
        from distributed.comm.core import CommClosedError
    except ImportError as exc:  # pragma: no cover - the dask extra
        raise InvalidInputError(
            "--engine dask needs dask and distributed (pip install 'eezcheck[dask]')"
        ) from exc

    payload = BoundaryPayload.from_option(boundaries)
    parts_dir: str | None = None
    if not log.isEnabledFor(logging.DEBUG):  # Dask's chatter is not for batch users: its
        # errors (a lost scheduler logs tracebacks while it reconnects) become one EngineError
        for name in list(logging.root.manager.loggerDict):  # its config sets child levels
            if name.split(".")[0] in ("distributed", "dask"):
                logging.getLogger(name).setLevel(logging.CRITICAL)
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
        with dask.config.set({"distributed.worker.multiprocessing-method": _start_method()}):
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
        schema = input_schema(source)
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
            [reader_f, schema_f, job_f] = client.scatter([reader, schema, job], broadcast=True)
            tasks = (
                (
                    client.submit(
                        check_part, part, reader_f, schema_f, payload.key, job_f, parts_dir,
                        pure=False,
                    ),
                    part,
                )
                for part in parts
            )  # fmt: skip
            rows = 0
            for (payload_, stats), part in _ordered_futures(tasks, window):
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
                yield payload_, stats, chunk, chunk.done
    except (CommClosedError, FutureCancelledError, KilledWorker) as exc:
        what = f"scheduler {scheduler!r}" if scheduler else "local cluster"
        reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
        raise EngineError(
            f"the Dask {what} was lost during the run ({reason}); nothing was written to the "
            "output. Check the cluster and run again, or use --engine local"
        ) from exc
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
        if parts_dir is not None:
            shutil.rmtree(parts_dir, ignore_errors=True)


def _start_method() -> str:
    """How a local cluster starts its workers: from a fork server that has imported the
    checker's modules once (each spawned worker would import them again, about 1.5 s of CPU),
    where the platform has one; else Dask's default."""
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return "spawn"
    import dask
    from distributed.utils import get_mp_context

    with dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"}):
        ctx = get_mp_context()  # Dask sets its own preload list once: ours replaces it
    ctx.set_forkserver_preload(list(_PRELOAD))  # type: ignore[attr-defined]
    return "forkserver"


_PRELOAD = (
    "distributed", "numpy", "pandas", "pyarrow", "pyarrow.csv", "pyarrow.compute", "shapely",
    "pyproj", "eezcheck.batch.dask_engine", "eezcheck.checker",
)
"""Modules the fork server imports once for every worker it starts."""


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


_T = TypeVar("_T")


def _ordered_futures(
    futures: Iterator[tuple[Any, _T]], window: int
) -> Iterator[tuple[tuple[Any, dict[str, Any]], _T]]:
    """Results of futures in order (each with its tag), at most ``window`` submitted at once."""
    pending: list[tuple[Any, _T]] = []
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
