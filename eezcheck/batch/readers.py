"""Reading input tables for ``eezcheck batch``: formats, encodings, chunks.

Readers (:func:`open_source`) yield the input as :class:`Chunk` objects (a
:class:`pyarrow.Table` of a bounded number of rows, plus the rows the reader found bad), so that
memory stays bounded whatever the size of the input:

- **CSV/TSV** (``.csv``, ``.tsv``, ``.tab``, ``.txt``): :mod:`eezcheck.batch.csvtable` (cut
  into record-exact byte ranges, each parsed by Arrow; a row with more fields than the header
  gets an error, a shorter one is padded; an unclosed quote names its line).
- **Excel** (``.xlsx``, ``.xlsm``): the active sheet or ``sheet``, read row by row (openpyxl
  read-only); cells become text (``41.3``, ``2017-07-04``, ``TRUE``).
- **GeoJSON** (``.geojson``, ``.json``): features' properties are the columns; a Point geometry
  is the point when no latitude/longitude columns exist. Read whole. RFC 7946 (WGS84), or the
  CRS of a legacy ``crs`` member, transformed to WGS84 (:mod:`eezcheck.crs`).
- **GeoParquet/Parquet** (``.parquet``, ``.geoparquet``): read by groups of row groups; the
  primary geometry column (WKB) of GeoParquet metadata can be the point, transformed to WGS84
  from the CRS the metadata declares (absent: OGC:CRS84; ``null``: refused).
- **GeoPackage, Shapefile** (``.gpkg``, ``.shp``, a zipped Shapefile ``.zip``):
  :mod:`eezcheck.batch.vector` (pyogrio; the layer's CRS, from the ``.prj`` or the GeoPackage
  SRS, transformed to WGS84).
- ``-``: standard input, copied to a temporary file first (its format sniffed from its bytes).
"""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any

import pyarrow as pa

from eezcheck.batch.csvtable import (
    FIRST_RANGE_BYTES,
    RANGE_BYTES,
    CsvDialect,
    CsvSource,
    read_csv_range,
    split_ranges,
)
from eezcheck.batch.source import (
    Chunk,
    Source,
    TableSource,
    codec_name,
    display_name,
    unique_names,
    wgs84_geometry,
)
from eezcheck.crs import InputCRS, geojson_crs_member, geoparquet_crs
from eezcheck.errors import TableFormatError

__all__ = [
    "CHUNK_ROWS",
    "FIRST_RANGE_BYTES",
    "INPUT_FORMATS",
    "RANGE_BYTES",
    "Chunk",
    "CsvDialect",
    "CsvSource",
    "ExcelSource",
    "GeoJSONSource",
    "ParquetSource",
    "Source",
    "TableSource",
    "close_source",
    "input_format",
    "open_source",
    "parquet_geometry",
    "read_csv_range",
    "read_parquet_groups",
    "read_parquet_part",
    "split_ranges",
    "unique_names",
]

INPUT_FORMATS = ("csv", "tsv", "xlsx", "geojson", "parquet", "gpkg", "shp")


_EXT_IN = {
    ".csv": "csv", ".txt": "csv", ".tsv": "tsv", ".tab": "tsv", ".xlsx": "xlsx", ".xlsm": "xlsx",
    ".geojson": "geojson", ".json": "geojson", ".parquet": "parquet", ".geoparquet": "parquet",
    ".pq": "parquet", ".gpkg": "gpkg", ".shp": "shp", ".zip": "shp",
}  # fmt: skip


CHUNK_ROWS = 250_000
"""Rows per chunk for the other formats."""


def input_format(path: str, given: str | None = None, head: bytes | None = None) -> str:
    """The input format: ``given``, else from the extension, else sniffed from ``head``."""
    if given:
        if given not in INPUT_FORMATS:
            raise TableFormatError(
                f"unknown input format {given!r}: use one of {', '.join(INPUT_FORMATS)}"
            )
        return given
    ext = Path(path).suffix.lower() if path != "-" else ""
    if ext == ".xls":
        raise TableFormatError(
            f"{display_name(path)} is an old Excel .xls file, which cannot be read: save it as .xlsx or CSV"
        )
    if ext in _EXT_IN:
        return _EXT_IN[ext]
    return sniff_format(head or b"")


def sniff_format(head: bytes) -> str:
    """``xlsx`` (a zip), ``parquet`` (PAR1), ``gpkg`` (SQLite), ``geojson`` (starts with ``{``)
    or ``csv``."""
    if head.startswith(b"SQLite format 3\x00"):
        return "gpkg"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"PAR1"):
        return "parquet"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{"):
        return "geojson"
    return "csv"


# --------------------------------------------------------------------------- chunks and sources


def open_source(
    path: str,
    *,
    fmt: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    chunk_rows: int = CHUNK_ROWS,
    range_bytes: int = RANGE_BYTES,
    stdin: IO[bytes] | None = None,
) -> Source:
    """Open an input table (``-`` for standard input, or ``stdin``)."""
    spooled: str | None = None
    if path == "-":
        spooled = _spool(stdin if stdin is not None else sys.stdin.buffer)
        real = spooled
    else:
        real = path
        p = Path(path)
        if not p.exists():
            raise TableFormatError(f"input {str(path)!r} does not exist")
        if p.is_dir():
            raise TableFormatError(f"input {str(path)!r} is a directory, not a table")
        if not p.is_file():
            # a FIFO, <(process substitution), a device: read once, as a stream, like stdin
            with open(path, "rb") as stream:
                spooled = _spool(stream)
            real = spooled
    try:
        with open(real, "rb") as fh:
            head = fh.read(64)
    except OSError as exc:
        raise TableFormatError(
            f"input {display_name(path)} cannot be read: {exc.strerror or exc}"
        ) from exc
    kind = input_format(path, fmt, head)
    src: Source
    try:
        if kind in ("csv", "tsv"):
            src = CsvSource(real, path, kind, encoding, delimiter, range_bytes)
        elif kind == "xlsx":
            src = ExcelSource(real, path, sheet, chunk_rows)
        elif kind == "geojson":
            src = GeoJSONSource(real, path, encoding, chunk_rows)
        elif kind in ("gpkg", "shp"):
            from eezcheck.batch.vector import VectorSource

            src = VectorSource(real, path, sheet, chunk_rows)
        else:
            src = ParquetSource(real, path, chunk_rows)
    except BaseException:
        if spooled:
            os.unlink(spooled)
        raise
    src.spool_path = spooled
    return src


def _spool(stream: IO[bytes]) -> str:
    fd, tmp = tempfile.mkstemp(prefix="eezcheck-stdin-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(stream, out, 1 << 20)
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def close_source(src: Source) -> None:
    src.close()
    spooled = src.spool_path
    if spooled:
        with contextlib.suppress(OSError):
            os.unlink(spooled)


# --------------------------------------------------------------------------- Excel


def _excel_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v.is_integer() and abs(v) < 1e16:
            return str(int(v))
        return repr(v)
    if isinstance(v, datetime):
        return (
            v.isoformat(sep=" ")
            if (v.hour, v.minute, v.second, v.microsecond) != (0, 0, 0, 0)
            else v.date().isoformat()
        )
    if isinstance(v, (date, time)):
        return v.isoformat()
    return str(v)


class ExcelSource(Source):
    """The rows of one sheet of an .xlsx workbook, as text."""

    kind = "xlsx"

    def __init__(self, real: str, shown: str, sheet: str | None, chunk_rows: int) -> None:
        super().__init__()
        import zipfile

        try:
            import openpyxl
        except ImportError as exc:  # pragma: no cover - a dependency of the batch extra
            raise TableFormatError(
                "reading Excel files needs openpyxl (pip install openpyxl)"
            ) from exc
        self.chunk_rows = chunk_rows
        from openpyxl.utils.exceptions import InvalidFileException

        self._fh = open(real, "rb")  # a file object: openpyxl judges paths by their extension
        try:
            self.wb = openpyxl.load_workbook(self._fh, read_only=True, data_only=True)
        except (
            zipfile.BadZipFile,
            InvalidFileException,
            KeyError,
            ValueError,
            OSError,
            TypeError,
        ) as exc:
            self._fh.close()
            raise TableFormatError(
                f"{display_name(shown)} is not a readable .xlsx workbook ({exc})"
            ) from exc
        if sheet is not None:
            if sheet not in self.wb.sheetnames:
                raise TableFormatError(
                    f"workbook {display_name(shown)} has no sheet {sheet!r}; its sheets are {self.wb.sheetnames}"
                )
            self.ws = self.wb[sheet]
        else:
            self.ws = self.wb.active or self.wb.worksheets[0]
        if not hasattr(self.ws, "iter_rows"):  # a chart sheet
            sheets = [w.title for w in self.wb.worksheets]
            self.close()
            raise TableFormatError(
                f"sheet {self.ws.title!r} of {display_name(shown)} is a chart, not a table: give "
                f"--sheet with one of {sheets}" if sheets else
                f"workbook {display_name(shown)} has no table sheet (only charts)"
            )
        self.rows = self.ws.iter_rows(values_only=True)
        header: tuple[Any, ...] | None = None
        for row in self.rows:
            if any(v is not None and str(v).strip() for v in row):
                header = tuple(row)
                break
        if header is None:
            raise TableFormatError(
                f"sheet {self.ws.title!r} of {display_name(shown)} is empty: no header row"
            )
        while header and (header[-1] is None or not str(header[-1]).strip()):
            header = header[:-1]
        self.names, notes = unique_names([_excel_text(v) for v in header])
        self.notes.extend(notes)
        self.total = self.ws.max_row
        self.description = f"Excel sheet {self.ws.title!r}, {len(self.names)} columns"
        self._done = 1

    def parts(self) -> list[Any]:
        raise NotImplementedError("Excel rows are read in order by the client")

    def chunks(self) -> Iterator[Chunk]:
        n = len(self.names)
        batch: list[list[str]] = []
        errors: list[tuple[int, str]] = []
        for row in self.rows:
            self._done += 1
            cells = [_excel_text(v) for v in row]
            while len(cells) > n and not cells[-1].strip():
                cells.pop()
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > n:
                errors.append(
                    (
                        len(batch),
                        f"this row has {len(cells)} cells but the header has {n}: the extra cells were dropped",
                    )
                )
                cells = cells[:n]
            batch.append(cells + [""] * (n - len(cells)))
            if len(batch) >= self.chunk_rows:
                yield self._chunk(batch, errors)
                batch, errors = [], []
        if batch or self._done <= 2:
            yield self._chunk(batch, errors)

    def _chunk(self, batch: list[list[str]], errors: list[tuple[int, str]]) -> Chunk:
        cols = list(zip(*batch)) if batch else [()] * len(self.names)
        table = pa.table({nm: pa.array(list(c), pa.string()) for nm, c in zip(self.names, cols)})
        return Chunk(table, errors, self._done)

    def close(self) -> None:
        self.wb.close()
        self._fh.close()


# --------------------------------------------------------------------------- GeoJSON


class GeoJSONSource(TableSource):
    """Features of a GeoJSON file (read whole): properties as columns, geometry as WKB."""

    kind = "geojson"

    def __init__(self, real: str, shown: str, encoding: str | None, chunk_rows: int) -> None:
        super().__init__()
        import shapely
        from shapely.geometry import shape

        self.chunk_rows = chunk_rows
        raw = Path(real).read_bytes()
        enc = (
            codec_name(encoding)
            if encoding
            else ("utf-8-sig" if raw.startswith(codecs.BOM_UTF8) else "utf-8")
        )
        try:
            obj = json.loads(raw.decode(enc))
        except RecursionError as exc:
            raise TableFormatError(
                f"GeoJSON {display_name(shown)} is nested too deeply to be a GeoJSON table"
            ) from exc
        except UnicodeDecodeError as exc:
            raise TableFormatError(
                f"GeoJSON {display_name(shown)} is not {enc} text ({exc.reason} at byte {exc.start})"
            ) from exc
        except json.JSONDecodeError as exc:
            raise TableFormatError(
                f"GeoJSON {display_name(shown)}, line {exc.lineno} column {exc.colno}: not valid JSON ({exc.msg})"
            ) from exc
        if isinstance(obj, dict) and obj.get("type") == "FeatureCollection":
            feats = obj.get("features")
            if not isinstance(feats, list):
                raise TableFormatError(f"GeoJSON {display_name(shown)}: 'features' is not a list")
        elif isinstance(obj, dict) and obj.get("type") == "Feature":
            feats = [obj]
        else:
            raise TableFormatError(
                f"GeoJSON {display_name(shown)} is not a FeatureCollection or a Feature (top level: "
                f"{type(obj).__name__}{' of type ' + repr(obj.get('type')) if isinstance(obj, dict) else ''})"
            )
        self.geometry_crs = geojson_crs_member(obj, where=f"input {display_name(shown)}")
        keys: dict[str, None] = {}
        props_list: list[dict[str, Any]] = []
        geoms: list[bytes | None] = []
        self.row_errors: list[tuple[int, str]] = []
        for i, f in enumerate(feats):
            props = f.get("properties") if isinstance(f, dict) else None
            if not isinstance(props, dict):
                props = {}
                if not isinstance(f, dict):
                    self.row_errors.append((i, f"feature {i + 1} is not a JSON object"))
            props_list.append(props)
            for k in props:
                keys.setdefault(str(k), None)
            g = f.get("geometry") if isinstance(f, dict) else None
            wkb = None
            if g is not None:
                problem = _geometry_problem(g)
                if problem:
                    self.row_errors.append((i, f"the feature's geometry cannot be read: {problem}"))
                    geoms.append(None)
                    continue
                try:
                    geom = shape(g)
                    wkb = shapely.to_wkb(geom) if not geom.is_empty else None
                except (
                    ValueError,
                    TypeError,
                    KeyError,
                    AttributeError,
                    IndexError,
                    shapely.errors.GEOSException,
                ) as exc:
                    self.row_errors.append((i, f"the feature's geometry cannot be read: {_shape_problem(g, exc)}"))
            geoms.append(wkb)
        names = list(keys)
        self.geometry = _free_name("geometry", names)
        columns = {k: _arrow_column([p.get(k) for p in props_list]) for k in names}
        columns[self.geometry] = pa.array(geoms, pa.binary())
        self.table, moved = wgs84_geometry(pa.table(columns), self.geometry, self.geometry_crs)
        self.row_errors = sorted(self.row_errors + moved)
        self.names = [*names, self.geometry]
        self.total = self.table.num_rows
        self.description = f"GeoJSON, {self.table.num_rows} features, {len(names)} properties"



_GEOMETRY_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon",
                   "MultiPolygon", "GeometryCollection")  # fmt: skip


def _geometry_problem(g: Any) -> str | None:
    """What is wrong with a GeoJSON geometry object (RFC 7946), in words, or None."""
    if not isinstance(g, dict):
        return f"it is a JSON {type(g).__name__}, not an object with 'type' and 'coordinates'"
    kind = g.get("type")
    if kind not in _GEOMETRY_TYPES:
        return f"unknown geometry type {kind!r} (RFC 7946 types: {', '.join(_GEOMETRY_TYPES)})"
    if kind == "Point":
        c = g.get("coordinates")
        numbers = isinstance(c, list) and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in c
        )
        if not (numbers and isinstance(c, list) and 2 <= len(c) <= 3):
            shown = json.dumps(c)[:60]
            return f"a Point's coordinates must be [longitude, latitude] numbers, not {shown}"
    return None


def _shape_problem(g: dict[str, Any], exc: Exception) -> str:
    """The words for a geometry shapely could not build (its messages name Python types)."""
    kind = g.get("type")
    text = str(exc)
    if isinstance(exc, KeyError):
        return f"a {kind} needs a {exc.args[0]!r} member"
    if "linearring" in text.lower():
        return f"a {kind}'s rings need at least 4 positions, the first repeated as the last"
    if "0 or >1" in text:
        return f"a {kind} needs at least 2 positions"
    shown = json.dumps(g.get("coordinates"))[:60]
    return f"a {kind}'s coordinates must be nested lists of [longitude, latitude] numbers, not {shown}"


def _free_name(name: str, taken: Sequence[str]) -> str:
    while name in taken:
        name = "eezcheck." + name
    return name


def _arrow_column(values: list[Any]) -> pa.Array:
    """One Arrow array for JSON values: a common type if there is one, else JSON text."""
    kinds = {type(v) for v in values if v is not None}
    if kinds <= {bool} or kinds <= {str}:
        return pa.array(values)
    if kinds <= {int, float}:
        if kinds == {int} and all(-(2**63) <= v < 2**63 for v in values if v is not None):
            return pa.array(values, pa.int64())
        return pa.array([None if v is None else float(v) for v in values], pa.float64())
    return pa.array(
        [
            None if v is None else (v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
            for v in values
        ],
        pa.string(),
    )


# --------------------------------------------------------------------------- Parquet


class ParquetSource(Source):
    """A (Geo)Parquet file read in batches; types are kept."""

    kind = "parquet"

    def __init__(self, real: str, shown: str, chunk_rows: int) -> None:
        super().__init__()
        import pyarrow.parquet as pq

        self.real, self.shown, self.chunk_rows = real, shown, chunk_rows
        try:
            self.pf = pq.ParquetFile(real)
        except (pa.ArrowInvalid, OSError) as exc:
            raise TableFormatError(
                f"{display_name(shown)} is not a readable Parquet file ({exc})"
            ) from exc
        schema = self.pf.schema_arrow
        self.names = list(schema.names)
        if len(set(self.names)) != len(self.names):
            raise TableFormatError(f"Parquet file {display_name(shown)} has duplicate column names")
        self.geometry, self.geometry_crs = parquet_geometry(schema, shown)
        self.total = self.pf.metadata.num_rows
        self.description = f"{'GeoParquet' if self.geometry else 'Parquet'}, {self.total} rows, {len(self.names)} columns"

    @property
    def path(self) -> str | None:
        return None if self.shown == "-" else self.real

    def parts(self) -> list[tuple[int, ...]]:
        """Groups of row groups of about ``chunk_rows`` rows."""
        md = self.pf.metadata
        out: list[tuple[int, ...]] = []
        cur: list[int] = []
        rows = 0
        for i in range(md.num_row_groups):
            cur.append(i)
            rows += md.row_group(i).num_rows
            if rows >= self.chunk_rows:
                out.append(tuple(cur))
                cur, rows = [], 0
        if cur or not out:
            out.append(tuple(cur))
        return out

    def read_part(self, part: tuple[int, ...]) -> Chunk:
        table, errors = read_parquet_part(self.real, part, self.shown)
        return Chunk(table, errors, None)

    def chunks(self) -> Iterator[Chunk]:
        done = 0
        for part in self.parts():
            chunk = self.read_part(part)
            done += chunk.table.num_rows
            chunk.done = done
            yield chunk


def parquet_geometry(schema: pa.Schema, shown: str) -> tuple[str | None, InputCRS | None]:
    """The primary WKB geometry column of GeoParquet ``geo`` metadata and its CRS (absent:
    OGC:CRS84; unknown or unreadable: :class:`~eezcheck.crs.CRSError`), or (None, None)."""
    geo_text = (schema.metadata or {}).get(b"geo")
    if not geo_text:
        return None, None
    try:
        geo = json.loads(geo_text)
        primary = geo.get("primary_column")
    except (ValueError, AttributeError, TypeError):
        return None, None
    if not (isinstance(primary, str) and primary in schema.names):
        return None, None
    if not (pa.types.is_binary(schema.field(primary).type) or pa.types.is_large_binary(schema.field(primary).type)):
        return None, None
    return primary, geoparquet_crs(geo, primary, where=f"input {display_name(shown)}")


def read_parquet_part(
    path: str, groups: Sequence[int], shown: str = ""
) -> tuple[pa.Table, list[tuple[int, str]]]:
    """Row groups of a (Geo)Parquet file, its geometry in WGS84 lon/lat (from the CRS its
    metadata declares), and the rows whose geometry cannot be transformed."""
    table = read_parquet_groups(path, groups, shown)
    column, crs = parquet_geometry(table.schema, shown or path)
    return wgs84_geometry(table, column, crs)


def read_parquet_groups(path: str, groups: Sequence[int], shown: str = "") -> pa.Table:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
        if not groups:
            return pf.schema_arrow.empty_table()
        return pf.read_row_groups(list(groups))
    except (pa.ArrowInvalid, OSError) as exc:
        raise TableFormatError(
            f"Parquet file {display_name(shown or path)} cannot be read ({exc})"
        ) from exc
