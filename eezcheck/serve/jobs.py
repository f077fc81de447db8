"""Table checks of ``eezcheck serve``: an uploaded table checked by ``eezcheck batch``'s engine.

An upload is copied into a new folder under the server's temporary folder, under a name the
server chooses (``input`` plus a known extension; the user's file name is only shown, never
used as a path). The job runs :func:`eezcheck.batch.run_batch` in a thread, exactly as
``eezcheck batch IN -o results.csv --map map.html`` does, and reports its progress; the Excel,
GeoJSON and Parquet downloads are written by the same engine on first request, so every
download has the bytes ``eezcheck batch`` writes for the same table.
"""

from __future__ import annotations

import csv
import secrets
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from eezcheck.errors import EezcheckError, InvalidInputError

__all__ = ["DOWNLOADS", "INPUT_EXTENSIONS", "SHAPEFILE_PARTS", "Job", "Jobs", "Worker"]

T = TypeVar("T")

INPUT_EXTENSIONS = (
    ".csv", ".tsv", ".tab", ".txt", ".xlsx", ".xlsm", ".geojson", ".json", ".parquet",
    ".geoparquet", ".pq", ".gpkg", ".zip",
)  # fmt: skip
"""Extensions kept from an upload's name (the batch readers tell the format by them): every
format ``eezcheck batch`` reads from one file; a Shapefile as a ``.zip`` of its files."""

SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg", ".sbn", ".sbx", ".qix")
"""One file of a Shapefile (several files): refused with the fix (upload them as one .zip)."""

DOWNLOADS = {
    "csv": ("results.csv", "text/csv; charset=utf-8"),
    "xlsx": ("results.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "geojson": ("results.geojson", "application/geo+json"),
    "parquet": ("results.parquet", "application/vnd.apache.parquet"),
}
"""Download formats: the file the engine writes and its media type."""

PREVIEW_ROWS = 20
PREVIEW_RESULT_COLUMNS = (
    "japan_eez", "zone", "distance_to_eez_limit_km", "description_en", "description_ja",
    "warning", "error",
)  # fmt: skip
KEEP_JOBS = 16


@dataclass
class Job:
    """One uploaded table and its check."""

    id: str
    folder: Path
    input: Path
    name: str
    fields: str
    state: str = "running"
    done: int = 0
    total: int | None = None
    error: str | None = None
    status: int = 200
    summary: dict[str, Any] | None = None
    info: list[str] = field(default_factory=list)
    started: threading.Event = field(default_factory=threading.Event)
    outputs: dict[str, Path] = field(default_factory=dict)
    map_path: Path | None = None
    created: float = field(default_factory=time.time)
    _preview: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "state": self.state,
            "done": self.done,
            "total": self.total,
            "fields": self.fields,
            "info": list(self.info),
        }
        if self.error is not None:
            out["error"] = self.error
        if self.state == "done":
            out["summary"] = self.summary
            out["preview"] = self.preview()
            base = f"/api/batch/{self.id}"
            out["downloads"] = {fmt: f"{base}/download/{fmt}" for fmt in DOWNLOADS}
            out["map"] = f"{base}/map.html" if self.map_path else None
        return out

    def preview(self) -> dict[str, Any]:
        """The first rows of the CSV output: the input's first columns and the verdict columns."""
        if self._preview is None:
            from eezcheck.batch.readers import close_source, open_source

            source = open_source(str(self.input))
            try:
                n_input = len(source.names)
            finally:
                close_source(source)
            with open(self.outputs["csv"], encoding="utf-8", newline="") as fh:
                reader = csv.reader(fh)
                header = next(reader, [])
                rows = [row for _, row in zip(range(PREVIEW_ROWS), reader)]
            results = header[n_input:]
            keep = list(range(min(3, n_input))) + [
                n_input + results.index(name) for name in PREVIEW_RESULT_COLUMNS if name in results
            ]
            self._preview = {
                "columns": [header[i] for i in keep],
                "rows": [[row[i] if i < len(row) else "" for i in keep] for row in rows],
                "total_rows": (self.summary or {}).get("rows"),
            }
        return self._preview


class Worker:
    """The one thread that runs every check of the server (single checks, maps, tables).

    The checker's GEOS indexes are built lazily and are not thread-safe, and the checker gives
    each other thread exact copies of the polygons (see DESIGN.md): checks from the web
    server's pool of threads would take turns anyway and copy the polygons once per thread
    (40 threads, 2 GB). One thread keeps memory flat; a check takes milliseconds.
    """

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None
        self._guard = threading.Lock()

    def call(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """``fn(*args, **kwargs)`` run in the worker thread; its result or its exception."""
        with self._guard:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="eezcheck-checker")
            future = self._pool.submit(fn, *args, **kwargs)
        return future.result()

    def close(self) -> None:
        """Stop the thread (a later call starts a new one)."""
        with self._guard:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


class Jobs:
    """The server's table checks, in its temporary folder (the last :data:`KEEP_JOBS` kept)."""

    def __init__(self, root: Path, boundaries: str | None, worker: Worker) -> None:
        self.root = root
        self.boundaries = boundaries
        self.worker = worker
        self.jobs: OrderedDict[str, Job] = OrderedDict()
        self._guard = threading.Lock()

    def new(self, name: str, fields: str) -> Job:
        from eezcheck.batch.fields import parse_fields

        parse_fields(fields)  # a bad --fields is a 400 before anything is stored
        ext = Path(name).suffix.lower()
        shown = Path(name.replace("\\", "/")).name[:200] or "table"
        if ext in SHAPEFILE_PARTS:
            raise InvalidInputError(
                f"{shown!r} is one file of a Shapefile, which is several files (.shp, .shx, .dbf "
                "and .prj): upload them together as one .zip, or the layer as a GeoPackage (.gpkg)"
            )
        job_id = secrets.token_urlsafe(12)
        folder = self.root / job_id
        folder.mkdir(parents=True)
        job = Job(
            job_id,
            folder,
            folder / ("input" + (ext if ext in INPUT_EXTENSIONS else "")),
            shown,
            fields,
        )
        with self._guard:
            self.jobs[job_id] = job
            while len(self.jobs) > KEEP_JOBS:
                _, old = self.jobs.popitem(last=False)
                shutil.rmtree(old.folder, ignore_errors=True)
        return job

    def get(self, job_id: str) -> Job:
        job = self.jobs.get(job_id)
        if job is None:
            raise KeyError(job_id)
        return job

    def start(self, job: Job) -> None:
        threading.Thread(
            target=self._run, args=(job,), name=f"eezcheck-job-{job.id}", daemon=True
        ).start()

    def _run(self, job: Job) -> None:
        from eezcheck.batch import run_batch

        def progress(done: int, total: int | None) -> None:
            job.done, job.total = done, total
            job.started.set()

        out = job.folder / DOWNLOADS["csv"][0]
        map_path = job.folder / "map.html"
        try:
            summary = self.worker.call(
                run_batch, str(job.input), str(out), fields=job.fields,
                boundaries=self.boundaries, map_path=str(map_path), on_info=job.info.append,
                progress=progress,
            )  # fmt: skip
            s = summary.to_dict()
            s.pop("input", None)
            s.pop("output", None)
            if s.get("map"):
                s["map"].pop("path", None)
            job.summary = s
            job.outputs["csv"] = out
            job.map_path = map_path if map_path.exists() else None
            job.preview()
            job.state = "done"
        except EezcheckError as exc:
            from eezcheck.serve.security import http_status

            message = _message(exc).replace(repr(str(job.input)), repr(job.name))
            job.state, job.error, job.status = (
                "error",
                message.replace(str(job.input), job.name),
                http_status(exc),
            )
        except Exception as exc:  # a bug: say so on the page, keep serving
            job.state, job.error, job.status = "error", f"internal error: {exc!r}", 500
        finally:
            job.started.set()

    def output(self, job: Job, fmt: str) -> Path:
        """The job's table in ``fmt``, written by the batch engine on first request."""
        if fmt not in DOWNLOADS:
            raise InvalidInputError(
                f"unknown download format {fmt!r}: use one of {', '.join(DOWNLOADS)}"
            )
        if job.state != "done":
            raise InvalidInputError(f"the table {job.name!r} is not checked yet ({job.state})")
        path = job.outputs.get(fmt)
        if path is None:
            from eezcheck.batch import run_batch

            path = job.folder / DOWNLOADS[fmt][0]

            def write() -> None:  # in the worker: one request writes it, the others wait
                if fmt not in job.outputs:
                    run_batch(str(job.input), str(path), fields=job.fields, boundaries=self.boundaries)
                    job.outputs[fmt] = path

            self.worker.call(write)
        return job.outputs[fmt]

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _message(exc: EezcheckError) -> str:
    from eezcheck.cli.errors import error_message

    return error_message(exc)
