"""Writing ``eezcheck batch`` output: formats, chunk encoding, atomic files.

Writers (:class:`Sink`) write CSV/TSV (UTF-8 by Arrow's writer: text is quoted, numbers are
not), Excel (:mod:`eezcheck.batch.excel`: the CSV's cells plus a summary sheet), GeoJSON (a FeatureCollection, one Feature per row, the checked point as geometry) or
GeoParquet (WKB ``geometry``, ``geo`` metadata, row groups of a fixed size). Encoding a chunk
(:func:`encode_chunk`) depends only on its rows, so any chunking (local engine, Dask partitions)
gives the same bytes. Files are written atomically (:class:`AtomicOutput`). Reading is in
:mod:`eezcheck.batch.readers`.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import stat
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any, BinaryIO

import pyarrow as pa

from eezcheck.batch.parts import PartFile, append_part, seekable, spill
from eezcheck.errors import FileOverwriteError, InvalidInputError, TableFormatError

__all__ = [
    "OUTPUT_FORMATS",
    "AtomicOutput",
    "OutputSpec",
    "PartFile",
    "Sink",
    "check_output_path",
    "clean_stale_parts",
    "distinct_outputs",
    "encode_chunk",
    "output_format",
    "output_kind",
    "spill",
]

OUTPUT_FORMATS = ("csv", "tsv", "xlsx", "geojson", "parquet")


_EXT_OUT = {
    ".csv": "csv", ".txt": "csv", ".tsv": "tsv", ".tab": "tsv", ".xlsx": "xlsx", ".geojson": "geojson",
    ".json": "geojson", ".parquet": "parquet", ".geoparquet": "parquet", ".pq": "parquet",
}  # fmt: skip


ROW_GROUP_ROWS = 128 * 1024
"""Rows per Parquet row group (fixed, so that any chunking writes the same file)."""


def _name(path: str) -> str:
    return "standard input" if path == "-" else repr(str(path))


def output_format(path: str, given: str | None = None) -> str:
    """The output format: ``given``, else from the extension (``-``: CSV)."""
    if given:
        if given not in OUTPUT_FORMATS:
            raise TableFormatError(
                f"unknown output format {given!r}: use one of {', '.join(OUTPUT_FORMATS)}"
            )
        return given
    if path == "-":
        return "csv"
    ext = Path(path).suffix.lower()
    if ext in _EXT_OUT:
        return _EXT_OUT[ext]
    if output_kind(path) != "file":  # /dev/stdout, /dev/null, a FIFO: CSV unless --format
        return "csv"
    raise TableFormatError(
        f"cannot tell the output format of {str(path)!r} from its extension: name it .csv, .tsv, "
        ".xlsx, .geojson or .parquet, or give --format"
    )


_STDOUT_PATHS = ("/dev/stdout", "/dev/fd/1", "/proc/self/fd/1")


def output_kind(path: str) -> str:
    """How an output path is written: ``"stdout"``, ``"stream"`` or ``"file"``.

    ``-`` and ``/dev/stdout`` are standard output; an existing character device or FIFO
    (``/dev/null``, ``/dev/stderr``, a named pipe, ``>(...)``) and anything under ``/dev/`` or
    ``/proc/`` is written as a stream, in place; anything else is a file, written atomically.
    A directory, a block device or a socket is refused (:class:`FileOverwriteError`).
    """
    if path == "-" or os.path.normpath(os.path.abspath(path)) in _STDOUT_PATHS:
        return "stdout"
    try:
        st = os.stat(path)
    except OSError:
        return "file"
    if stat.S_ISDIR(st.st_mode):
        raise FileOverwriteError(f"output {str(path)!r} is a directory; give a file name")
    if stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode):
        return "stream"
    if not stat.S_ISREG(st.st_mode):
        what = "a block device" if stat.S_ISBLK(st.st_mode) else "not a regular file"
        raise FileOverwriteError(f"output {str(path)!r} is {what}; give a file name")
    if os.path.abspath(path).startswith(("/dev/", "/proc/")):
        return "stream"  # e.g. /dev/stderr redirected to a file: append to it, never replace it
    return "file"


def check_output_path(path: str, overwrite: bool) -> None:
    """Raise FileOverwriteError if ``path`` exists (and ``overwrite`` is False) or is a folder.

    Streams (:func:`output_kind`) are written in place and need no ``overwrite``.
    """
    if output_kind(path) != "file":
        return
    p = Path(path)
    if p.exists() and not overwrite:
        raise FileOverwriteError(f"output {str(path)!r} exists; use --overwrite to replace it")
    if not p.parent.is_dir():
        raise FileOverwriteError(f"the folder of output {str(path)!r} does not exist")


def distinct_outputs(outputs: dict[str, str | None]) -> None:
    """Raise InvalidInputError (a usage error) when two outputs of one run are the same file.

    ``outputs`` maps an option name (``-o``, ``--map``, ``--summary-json``) to its path.
    Streams other than standard output (``/dev/null``) may be shared.
    """
    seen: dict[str, str] = {}
    for option, path in outputs.items():
        if not path:
            continue
        kind = output_kind(path)
        if kind == "stream":
            continue
        key = "standard output" if kind == "stdout" else os.path.realpath(path)
        if key in seen and kind == "stdout":
            raise InvalidInputError(
                f"{seen[key]} and {option} {path!r} would both write to standard output; give "
                "one of them a file name"
            )
        if key in seen:
            raise InvalidInputError(
                f"{seen[key]} and {option} {path!r} are the same file: one would replace the "
                "other; give each output its own name"
            )
        seen[key] = f"{option} {path!r}"
    files = [(o, p) for o, p in outputs.items() if p and output_kind(p) == "file"]
    for i, (o1, p1) in enumerate(files):
        for o2, p2 in files[i + 1 :]:
            try:
                same = os.path.samefile(p1, p2)  # hard links
            except OSError:
                same = False
            if same:
                raise InvalidInputError(
                    f"{o1} {p1!r} and {o2} {p2!r} are the same file (hard links): give "
                    "each output its own name"
                )


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_PART_SUFFIX = ".eezcheck-part"


def clean_stale_parts(path: str | os.PathLike[str]) -> list[str]:
    """Delete the part files an interrupted run (kill -9, power loss) left next to ``path``.

    A run holds an exclusive lock on its part file while it writes; a part file nobody holds a
    lock on is stale. Returns the deleted paths.
    """
    import fcntl

    p = Path(path)
    removed: list[str] = []
    folder = p.parent if str(p.parent) else Path(".")
    for cand in folder.glob(f".{glob_escape(p.name)}.*{_PART_SUFFIX}"):
        try:
            fd = os.open(cand, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue  # a live run is writing it
        try:
            os.unlink(cand)
            removed.append(str(cand))
        except OSError:
            pass
        finally:
            os.close(fd)
    return removed


def glob_escape(name: str) -> str:
    """``name`` with glob wildcards escaped."""
    import glob

    return glob.escape(name)


class AtomicOutput:
    """A temporary file next to ``path``, renamed onto it by :meth:`commit`.

    Leaving the ``with`` block without :meth:`commit` (an error, Ctrl-C, SIGTERM handled as an
    exception) deletes the temporary file: no partial output ever has the output's name. The
    temporary file is locked while it is written, so that the next run to the same output
    deletes what a killed run left (:func:`clean_stale_parts`). A replaced file keeps its
    permission bits; a new one gets those the umask allows (0666 & ~umask).

    A stream (``/dev/null``, a FIFO, ``/dev/stderr``, see :func:`output_kind`) is written in
    place instead: nothing is renamed and nothing replaces the device.
    """

    def __init__(self, path: str, overwrite: bool = False) -> None:
        import fcntl

        check_output_path(path, overwrite)
        self.path = Path(path)
        self.overwrite = overwrite
        self.committed = False
        self.kind = output_kind(path)
        self.stale_removed: list[str] = []
        if self.kind != "file":
            self.tmp = ""
            self.stream: BinaryIO = open(path, "ab")  # noqa: SIM115 - closed by commit/discard
            return
        self.stale_removed = clean_stale_parts(self.path)
        try:
            fd, self.tmp = tempfile.mkstemp(
                prefix=f".{self.path.name}.", suffix=_PART_SUFFIX, dir=str(self.path.parent or ".")
            )
        except OSError as exc:  # a read-only or full folder: the message names the output
            raise OSError(exc.errno, exc.strerror, str(self.path)) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            self.stream = os.fdopen(fd, "wb")
        except BaseException:  # Ctrl-C here: nobody holds this object to discard it
            os.close(fd)
            os.unlink(self.tmp)
            raise

    def commit(self) -> Path:
        self.stream.flush()
        if self.kind != "file":
            self.stream.close()
            self.committed = True
            return self.path
        os.fsync(self.stream.fileno())
        try:
            old = os.stat(self.path)
        except FileNotFoundError:
            old = None
        if old is not None and not self.overwrite:
            self.stream.close()
            raise FileOverwriteError(
                f"output {str(self.path)!r} appeared while writing; not replaced"
            )
        mode = stat.S_IMODE(old.st_mode) if old is not None else 0o666 & ~_umask()
        os.chmod(self.tmp, mode)
        os.replace(self.tmp, self.path)
        self.stream.close()  # after the rename: the lock is held until the file has its name
        self.committed = True
        return self.path

    def discard(self) -> None:
        if not self.committed:
            with contextlib.suppress(OSError):
                self.stream.close()
            if self.tmp:
                with contextlib.suppress(OSError):
                    os.unlink(self.tmp)

    def __enter__(self) -> AtomicOutput:
        return self

    def __exit__(self, kind: Any, exc: Any, tb: Any) -> None:
        self.discard()
        if isinstance(exc, OSError) and exc.filename is None:
            exc.filename = str(self.path)  # a write of the part file failed: name the output


class CountingWriter:
    """A write-only binary stream that knows its position (Parquet on a pipe)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.pos = 0
        self.closed = False

    def write(self, b: Any) -> int:
        data = bytes(b)
        self.raw.write(data)
        self.pos += len(data)
        return len(data)

    def tell(self) -> int:
        return self.pos

    def flush(self) -> None:
        self.raw.flush()

    def close(self) -> None:
        self.flush()
        self.closed = True

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readable(self) -> bool:
        return False


@dataclass(frozen=True)
class OutputSpec:
    """How chunks are encoded (picklable: the Dask workers encode their partitions)."""

    fmt: str
    lat: str
    """Name of the result latitude column (the checked point)."""
    lon: str
    input_geometry: str | None = None
    """The input's WKB geometry column, if any."""
    geometry: str = "geometry"
    """Name of the geometry column added to GeoParquet output (when the input has none)."""


def encode_chunk(table: pa.Table, spec: OutputSpec) -> Any:
    """A checked chunk as output bytes (CSV, GeoJSON features) or a table (Excel, Parquet)."""
    if spec.fmt in ("csv", "tsv"):
        return _encode_csv(table, "\t" if spec.fmt == "tsv" else ",", header=False)
    if spec.fmt == "xlsx":
        return _csv_ready(table)
    if spec.fmt == "geojson":
        return _encode_geojson(table, spec)
    return _with_geometry(table, spec)


def _csv_ready(table: pa.Table) -> pa.Table:
    cols = []
    changed = False
    for col, f in zip(table.columns, table.schema):
        t = f.type
        if pa.types.is_binary(t) or pa.types.is_large_binary(t):
            import shapely

            vals = col.to_pylist()
            out: list[str | None] = []
            for v in vals:
                if v is None:
                    out.append(None)
                    continue
                try:
                    out.append(shapely.to_wkt(shapely.from_wkb(v), rounding_precision=-1))
                except (shapely.errors.GEOSException, ValueError, TypeError):
                    out.append(v.hex())
            cols.append(pa.array(out, pa.string()))
            changed = True
        elif pa.types.is_nested(t) or pa.types.is_dictionary(t) or pa.types.is_null(t):
            vals = col.to_pylist()
            cols.append(
                pa.array(
                    [
                        None
                        if v is None
                        else (
                            v
                            if isinstance(v, str)
                            else json.dumps(v, default=str, ensure_ascii=False)
                        )
                        for v in vals
                    ],
                    pa.string(),
                )
            )
            changed = True
        else:
            cols.append(col)
    if not changed:
        return table
    return pa.table(cols, names=table.column_names)


def _encode_csv(table: pa.Table, delimiter: str, header: bool) -> bytes:
    import pyarrow.csv as pcsv

    buf = io.BytesIO()
    pcsv.write_csv(
        _csv_ready(table),
        buf,
        write_options=pcsv.WriteOptions(include_header=header, delimiter=delimiter),
    )
    return buf.getvalue()


def _json_value(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, (datetime, date, time)):
        return v.isoformat()
    if isinstance(v, bytes):
        return v.hex()
    if isinstance(v, dict):
        return {str(k): _json_value(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_json_value(x) for x in v]
    return v


def _encode_geojson(table: pa.Table, spec: OutputSpec) -> bytes:
    import shapely

    rows = table.to_pylist()
    out = []
    for row in rows:
        lat, lon = row.get(spec.lat), row.get(spec.lon)
        geom: Any = None
        if lat is not None and lon is not None:
            geom = {"type": "Point", "coordinates": [lon, lat]}
        elif spec.input_geometry and row.get(spec.input_geometry) is not None:
            try:
                geom = json.loads(shapely.to_geojson(shapely.from_wkb(row[spec.input_geometry])))
            except (shapely.errors.GEOSException, ValueError, TypeError):
                geom = None
        props = {k: _json_value(v) for k, v in row.items() if k != spec.input_geometry}
        feature = {"type": "Feature", "geometry": geom, "properties": props}
        out.append(json.dumps(feature, ensure_ascii=False, allow_nan=False, default=str))
    return ",\n".join(out).encode("utf-8")


def _with_geometry(table: pa.Table, spec: OutputSpec) -> pa.Table:
    if spec.input_geometry is not None:
        return table
    import numpy as np
    import shapely

    lat = table.column(spec.lat).to_numpy(zero_copy_only=False).astype(float)
    lon = table.column(spec.lon).to_numpy(zero_copy_only=False).astype(float)
    ok = np.isfinite(lat) & np.isfinite(lon)
    wkb = np.full(len(lat), None, dtype=object)
    if ok.any():
        wkb[ok] = shapely.to_wkb(shapely.points(lon[ok], lat[ok]))
    return table.append_column(spec.geometry, pa.array(wkb, pa.binary()))


class Sink:
    """Writes encoded chunks, in order, to a binary stream (a file or standard output)."""

    def __init__(
        self, stream: IO[bytes], spec: OutputSpec, schema: pa.Schema, metadata: dict[str, Any]
    ) -> None:
        self.stream = stream
        self.spec = spec
        self.rows = 0
        self._first = True
        if spec.fmt in ("csv", "tsv"):
            empty = schema.empty_table()
            stream.write(_encode_csv(empty, "\t" if spec.fmt == "tsv" else ",", header=True))
        elif spec.fmt == "geojson":
            head = {"type": "FeatureCollection", "eezcheck": metadata}
            text = json.dumps(head, ensure_ascii=False, sort_keys=True, default=str)
            stream.write((text[:-1] + ', "features": [\n').encode("utf-8"))
        elif spec.fmt == "xlsx":
            from eezcheck.batch.excel import ExcelWriter

            self.excel = ExcelWriter(stream, schema)
        else:
            import pyarrow.parquet as pq

            pschema = _with_geometry(schema.empty_table(), spec).schema
            geo = {
                "version": "1.1.0",
                "primary_column": spec.input_geometry or spec.geometry,
                "columns": {
                    spec.input_geometry or spec.geometry: {
                        "encoding": "WKB",
                        "geometry_types": [] if spec.input_geometry else ["Point"],
                    }
                },
            }
            meta = dict(pschema.metadata or {})
            meta[b"geo"] = json.dumps(geo, sort_keys=True).encode()
            meta[b"eezcheck"] = json.dumps(metadata, sort_keys=True, default=str).encode()
            self.pschema = pschema.with_metadata(meta)
            target: Any = stream if seekable(stream) else CountingWriter(stream)
            self.writer = pq.ParquetWriter(target, self.pschema, compression="zstd")
            self._buffer: list[pa.Table] = []
            self._buffered = 0

    def write(self, payload: Any) -> None:
        if isinstance(payload, PartFile):
            try:
                if payload.size:
                    if self.spec.fmt == "geojson" and not self._first:
                        self.stream.write(b",\n")
                    append_part(payload, self.stream)
                    self._first = False
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(payload.path)
            return
        if self.spec.fmt in ("csv", "tsv"):
            self.stream.write(payload)
        elif self.spec.fmt == "geojson":
            if payload:
                if not self._first:
                    self.stream.write(b",\n")
                self.stream.write(payload)
                self._first = False
        elif self.spec.fmt == "xlsx":
            self.excel.write(payload)
        else:
            table = payload.cast(self.pschema) if payload.schema != self.pschema else payload
            self._buffer.append(table)
            self._buffered += table.num_rows
            while self._buffered >= ROW_GROUP_ROWS:
                self._flush(ROW_GROUP_ROWS)

    def _flush(self, n: int) -> None:
        whole = pa.concat_tables(self._buffer) if len(self._buffer) > 1 else self._buffer[0]
        head, rest = whole.slice(0, n), whole.slice(n)
        self.writer.write_table(head, row_group_size=n)
        self._buffer = [rest] if rest.num_rows else []
        self._buffered = rest.num_rows

    def close(self, summary: dict[str, Any] | None = None) -> None:
        """Finish the file; ``summary`` (a :class:`~eezcheck.batch.summary.BatchSummary` dict)
        becomes the summary sheet of an Excel output."""
        if self.spec.fmt == "geojson":
            self.stream.write(b"\n]}\n")
        elif self.spec.fmt == "xlsx":
            self.excel.close(summary)
        elif self.spec.fmt == "parquet":
            if self._buffered:
                self._flush(self._buffered)
            self.writer.close()
        self.stream.flush()


    def abort(self) -> None:
        """A run stopped before :meth:`close` (an error, SIGTERM): the Parquet writer is let go
        without its footer (the output is discarded, or a stream that stays incomplete), so that
        its finaliser does not write into the closed output later ("write to closed file")."""
        writer = getattr(self, "writer", None)
        if writer is not None:
            writer.is_open = False
