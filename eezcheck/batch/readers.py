"""Reading input tables for ``eezcheck batch``: formats, encodings, chunks.

Readers (:func:`open_source`) yield the input as :class:`Chunk` objects (a
:class:`pyarrow.Table` of a bounded number of rows, plus the rows the reader found bad), so that
memory stays bounded whatever the size of the input:

- **CSV/TSV** (``.csv``, ``.tsv``, ``.tab``, ``.txt``): UTF-8, UTF-8 with BOM, UTF-16 with BOM
  and Shift_JIS/CP932 are recognised (or give ``encoding``); the delimiter comes from the
  extension or the header line. Every cell is read as text, so input columns are written back
  as they were. The file is cut into byte ranges at record boundaries (an even number of ``"``
  before a newline), each parsed by Arrow; a range holding a malformed row is parsed again by
  Python's :mod:`csv` module, which keeps every row: a row with more fields than the header gets
  an error, a shorter one is padded with empty cells. A quoted field that is never closed makes
  the table unreadable (:class:`~eezcheck.errors.TableFormatError` naming its line). The same
  ranges are the Dask engine's partitions.
- **Excel** (``.xlsx``, ``.xlsm``): the active sheet or ``sheet``, read row by row (openpyxl
  read-only); cells become text (``41.3``, ``2017-07-04``, ``TRUE``).
- **GeoJSON** (``.geojson``, ``.json``): features' properties are the columns; a Point geometry
  is the point when no latitude/longitude columns exist. Read whole.
- **GeoParquet/Parquet** (``.parquet``, ``.geoparquet``): read by groups of row groups; the
  primary geometry column (WKB) of GeoParquet metadata can be the point.
- ``-``: standard input, copied to a temporary file first (its format sniffed from its bytes).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any, BinaryIO

import pyarrow as pa

from eezcheck.errors import TableFormatError

__all__ = [
    "CHUNK_ROWS",
    "FIRST_RANGE_BYTES",
    "INPUT_FORMATS",
    "RANGE_BYTES",
    "Chunk",
    "CsvDialect",
    "Source",
    "close_source",
    "input_format",
    "open_source",
    "read_csv_range",
    "read_parquet_groups",
    "split_ranges",
]

INPUT_FORMATS = ("csv", "tsv", "xlsx", "geojson", "parquet")


_EXT_IN = {
    ".csv": "csv", ".txt": "csv", ".tsv": "tsv", ".tab": "tsv", ".xlsx": "xlsx", ".xlsm": "xlsx",
    ".geojson": "geojson", ".json": "geojson", ".parquet": "parquet", ".geoparquet": "parquet",
    ".pq": "parquet",
}  # fmt: skip


RANGE_BYTES = 4 << 20
"""Target size of the byte ranges a CSV file is cut into (one chunk or Dask partition each):
small enough to share the work among threads evenly and to keep arrays out of fresh memory
maps, large enough that the per-piece overhead does not matter."""


FIRST_RANGE_BYTES = 256 << 10
"""Size of the first range: the local engine checks it alone (it builds the indexes the
threads then share, see :func:`eezcheck.batch.engine.run_batch`), so it is kept small."""


CHUNK_ROWS = 250_000
"""Rows per chunk for the other formats."""


_SAMPLE = 1 << 20


_FIELD_LIMIT = 1 << 30


def _name(path: str) -> str:
    return "standard input" if path == "-" else repr(str(path))


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
            f"{_name(path)} is an old Excel .xls file, which cannot be read: save it as .xlsx or CSV"
        )
    if ext in _EXT_IN:
        return _EXT_IN[ext]
    return sniff_format(head or b"")


def sniff_format(head: bytes) -> str:
    """``xlsx`` (a zip), ``parquet`` (PAR1), ``geojson`` (starts with ``{``) or ``csv``."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"PAR1"):
        return "parquet"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{"):
        return "geojson"
    return "csv"


# --------------------------------------------------------------------------- chunks and sources


@dataclass
class Chunk:
    """Up to a bounded number of consecutive input rows."""

    table: pa.Table
    row_errors: list[tuple[int, str]] = field(default_factory=list)
    """(row index within the chunk, message) for rows the reader found bad."""
    done: int | None = None
    """Progress after this chunk (bytes or rows, as :attr:`Source.total`)."""


class Source:
    """An input table: column names, how it was read, and its chunks."""

    kind = ""
    names: list[str]
    geometry: str | None = None
    total: int | None = None
    """Size for the progress bar (bytes for CSV, rows otherwise), if known."""
    description = ""
    notes: list[str]
    _spooled: str | None = None

    def __init__(self) -> None:
        self.names = []
        self.notes = []

    def parts(self) -> list[Any]:
        """Independent pieces of the input, each read by :meth:`read_part` (Dask partitions)."""
        raise NotImplementedError

    def read_part(self, part: Any) -> Chunk:
        raise NotImplementedError

    def chunks(self) -> Iterator[Chunk]:
        for part in self.parts():
            yield self.read_part(part)

    @property
    def path(self) -> str | None:
        """A file the Dask workers may read themselves (None: the client reads)."""
        return None

    def close(self) -> None:
        pass


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
    try:
        with open(real, "rb") as fh:
            head = fh.read(64)
    except OSError as exc:
        raise TableFormatError(
            f"input {_name(path)} cannot be read: {exc.strerror or exc}"
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
        else:
            src = ParquetSource(real, path, chunk_rows)
    except BaseException:
        if spooled:
            os.unlink(spooled)
        raise
    src._spooled = spooled
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
    spooled = getattr(src, "_spooled", None)
    if spooled:
        with contextlib.suppress(OSError):
            os.unlink(spooled)


def unique_names(raw: Sequence[Any]) -> tuple[list[str], list[str]]:
    """Column names made unique and non-empty (``a``, ``a.1``; ``column_3``), with notes."""
    names: list[str] = []
    notes: list[str] = []
    seen: set[str] = set()
    for j, r in enumerate(raw):
        base = "" if r is None else str(r)
        name = base if base.strip() else f"column_{j + 1}"
        k = 1
        while name in seen:
            name = f"{base or f'column_{j + 1}'}.{k}"
            k += 1
        if name != base:
            notes.append(f"note: column {j + 1} ({base!r}) is named {name!r} in the output")
        seen.add(name)
        names.append(name)
    return names, notes


# --------------------------------------------------------------------------- CSV


_BYTE_SAFE = {"utf-8", "utf-8-sig", "cp932", "shift_jis", "euc_jp", "latin-1", "iso8859-1",
              "ascii", "cp1252", "gb18030", "gbk", "euc_kr", "cp949", "big5"}  # fmt: skip


def detect_encoding(head: bytes, complete: bool) -> str:
    """``utf-8-sig`` (BOM), ``utf-16`` (BOM), ``utf-8`` or ``cp932`` (Shift_JIS), else error."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for enc in ("utf-8", "cp932"):
        try:
            codecs.getincrementaldecoder(enc)().decode(head, final=complete)
            return enc
        except UnicodeDecodeError:
            continue
    raise TableFormatError(
        "cannot tell the text encoding of the table: it is neither UTF-8 nor Shift_JIS (CP932); "
        "give it with --encoding (e.g. --encoding euc-jp)"
    )


def _codec(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError as exc:
        raise TableFormatError(
            f"unknown encoding {encoding!r}: use e.g. utf-8, utf-8-sig, cp932 (Shift_JIS), euc-jp"
        ) from exc


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV file is read (picklable: Dask workers read their byte ranges with it)."""

    encoding: str
    """Codec of the data after :attr:`data_offset` (no BOM)."""
    delimiter: str
    names: tuple[str, ...]
    data_offset: int
    header_lines: int


class CsvSource(Source):
    """A CSV/TSV file cut into byte ranges at record boundaries."""

    kind = "csv"

    def __init__(
        self,
        real: str,
        shown: str,
        kind: str,
        encoding: str | None,
        delimiter: str | None,
        range_bytes: int,
    ) -> None:
        super().__init__()
        self.real, self.shown, self.range_bytes = real, shown, range_bytes
        self._transcoded: str | None = None
        size = os.path.getsize(real)
        with open(real, "rb") as fh:
            head = fh.read(_SAMPLE)
        if not head.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n\x00"):
            raise TableFormatError(f"table {_name(shown)} is empty: there is no header line")
        enc = _codec(encoding) if encoding else detect_encoding(head, complete=size <= _SAMPLE)
        shown_enc = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "cp932": "Shift_JIS (CP932)",
                     "utf-16": "UTF-16"}.get(enc, enc)  # fmt: skip
        if enc not in _BYTE_SAFE and codecs.lookup(enc).name not in _BYTE_SAFE:
            # UTF-16 and friends: newline bytes may sit inside characters; transcode to UTF-8
            self._transcoded = _transcode(real, enc, shown)
            self.real = self._transcoded
            enc = "utf-8"
            with open(self.real, "rb") as fh:
                head = fh.read(_SAMPLE)
            size = os.path.getsize(self.real)
        bom = len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0
        data_enc = "utf-8" if enc == "utf-8-sig" else enc
        dec = codecs.getincrementaldecoder(data_enc)()
        try:
            text = dec.decode(head[bom:], final=size <= _SAMPLE)
        except UnicodeDecodeError as exc:
            line = head[: exc.start].count(b"\n") + 1
            raise TableFormatError(
                f"table {_name(shown)}, line {line}: not {shown_enc} text ({exc.reason} at byte "
                f"{exc.start + bom}); give its encoding with --encoding (e.g. cp932 for Shift_JIS)"
            ) from exc
        if delimiter:
            delim = "\t" if delimiter in ("\\t", "tab", "TAB") else delimiter
            if len(delim) != 1:
                raise TableFormatError(f"delimiter {delimiter!r} must be one character (or 'tab')")
        elif kind == "tsv":
            delim = "\t"
        else:
            delim = _sniff_delimiter(text)
        header, consumed = _header(text, delim, shown)
        names, notes = unique_names(header)
        self.notes.extend(notes)
        self.names = names
        header_bytes = len(text[:consumed].encode(data_enc))
        self.dialect = CsvDialect(
            encoding=data_enc,
            delimiter=delim,
            names=tuple(names),
            data_offset=bom + header_bytes,
            header_lines=text[:consumed].count("\n"),
        )
        self.total = size
        what = "TSV" if delim == "\t" else ("CSV" if delim == "," else f"CSV (delimiter {delim!r})")
        self.description = f"{what}, {shown_enc}, {len(names)} columns"
        self._ranges: list[tuple[int, int]] | None = None

    @property
    def path(self) -> str | None:
        return None if self.shown == "-" or self._transcoded else self.real

    def parts(self) -> list[tuple[int, int]]:
        if self._ranges is None:
            first = min(self.range_bytes, FIRST_RANGE_BYTES)
            self._ranges = split_ranges(
                self.real, self.dialect, self.range_bytes, self.shown, first=first
            )
        return self._ranges

    def read_part(self, part: tuple[int, int]) -> Chunk:
        table, errors = read_csv_range(self.real, self.dialect, part[0], part[1])
        return Chunk(table, errors, part[1])

    def close(self) -> None:
        if self._transcoded:
            with contextlib.suppress(OSError):
                os.unlink(self._transcoded)


def _transcode(path: str, enc: str, shown: str) -> str:
    fd, tmp = tempfile.mkstemp(prefix="eezcheck-utf8-", suffix=".csv")
    try:
        with (
            open(path, encoding=enc, newline="") as src,
            os.fdopen(fd, "w", encoding="utf-8", newline="") as out,
        ):
            shutil.copyfileobj(src, out, 1 << 20)
    except UnicodeError as exc:
        os.unlink(tmp)
        raise TableFormatError(
            f"table {_name(shown)} is not {enc} text ({exc}); give --encoding"
        ) from exc
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def _sniff_delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] == 0 or counts[","] >= counts[best]:
        return ","
    return best


def _header(text: str, delim: str, shown: str) -> tuple[list[str], int]:
    """The first non-empty record and the number of characters it (and blank lines) took."""
    csv.field_size_limit(_FIELD_LIMIT)
    buf = io.StringIO(text)
    reader = csv.reader(buf, delimiter=delim, strict=True)
    try:
        for record in reader:
            if record:
                return record, buf.tell()
    except csv.Error as exc:
        raise TableFormatError(
            f"table {_name(shown)}, line {reader.line_num}: the header cannot be read ({exc})"
        ) from exc
    raise TableFormatError(f"table {_name(shown)} is empty: there is no header line")


def split_ranges(
    path: str, dialect: CsvDialect, target: int, shown: str = "", first: int | None = None
) -> list[tuple[int, int]]:
    """Byte ranges of about ``target`` bytes (the first one about ``first``, if given) that
    start and end on record boundaries.

    A newline ends a record when an even number of ``"`` precede it (RFC 4180 quoting; ``""``
    inside a quoted field counts twice). An odd total means a quoted field that is never
    closed: that is located and reported as a :class:`TableFormatError`.
    """
    size = os.path.getsize(path)
    start = dialect.data_offset
    out: list[tuple[int, int]] = []
    quotes = 0  # quotes in [data_offset, pos)
    with open(path, "rb") as fh:
        fh.seek(start)
        pos = start
        seg_start = start
        while pos < size:
            target_end = seg_start + (first if first is not None and not out else target)
            # count quotes up to the target, block by block
            while pos < min(target_end, size):
                block = fh.read(min(1 << 22, min(target_end, size) - pos))
                if not block:
                    break
                quotes += block.count(b'"')
                pos += len(block)
            if pos >= size:
                break
            # move on to the first newline with an even number of quotes before it
            end = _record_end(fh, pos, quotes)
            if end is None:
                break
            pos, quotes = end
            fh.seek(pos)
            out.append((seg_start, pos))
            seg_start = pos
        # the rest of the file
        while pos < size:
            block = fh.read(1 << 22)
            if not block:
                break
            quotes += block.count(b'"')
            pos += len(block)
    if quotes % 2:
        _unclosed_quote(path, dialect, shown)
    if seg_start < size or not out:
        out.append((seg_start, max(size, seg_start)))
    return out


def _record_end(fh: BinaryIO, pos: int, quotes: int) -> tuple[int, int] | None:
    """From ``pos`` (with ``quotes`` quotes before it), the offset just after the first newline
    that ends a record, and the quotes before that offset."""
    fh.seek(pos)
    while True:
        buf = fh.read(1 << 16)
        if not buf:
            return None
        i = 0
        while True:
            nl = buf.find(b"\n", i)
            if nl < 0:
                quotes += buf.count(b'"', i)
                pos += len(buf)
                break
            quotes += buf.count(b'"', i, nl)
            if quotes % 2 == 0:
                return pos + nl + 1, quotes
            i = nl + 1


def _unclosed_quote(path: str, dialect: CsvDialect, shown: str) -> None:
    """Raise TableFormatError at the record whose quoted field never closes (if any)."""
    csv.field_size_limit(_FIELD_LIMIT)
    with open(path, "rb") as raw:
        raw.seek(dialect.data_offset)
        text = io.TextIOWrapper(raw, encoding=dialect.encoding, errors="replace", newline="")
        reader = csv.reader(text, delimiter=dialect.delimiter, strict=True)
        last = reader.line_num
        try:
            for _ in reader:
                last = reader.line_num
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                line = dialect.header_lines + last + 1
                raise TableFormatError(
                    f"table {_name(shown)}, line {line}: a quoted field starts on this line and is "
                    'never closed (an unmatched "): the rest of the file would be one cell. Fix '
                    'the quoting (a " inside a quoted field is written "").'
                ) from exc


def read_csv_range(
    path: str, dialect: CsvDialect, start: int, end: int
) -> tuple[pa.Table, list[tuple[int, str]]]:
    """The rows in bytes ``[start, end)`` of a CSV file, every column as text.

    Arrow parses the range; if it finds a malformed row, Python's csv module parses it again
    and keeps every row (see the module docs). Returns the table and the row errors.
    """
    with open(path, "rb") as fh:
        fh.seek(start)
        data = fh.read(end - start)
    return parse_csv_bytes(data, dialect)


def parse_csv_bytes(data: bytes, dialect: CsvDialect) -> tuple[pa.Table, list[tuple[int, str]]]:
    import pyarrow.csv as pcsv

    names = list(dialect.names)
    if not data.strip(b"\r\n"):
        return _empty_table(names), []
    bad: list[Any] = []

    def handler(row: Any) -> str:
        bad.append(row)
        return "error"

    try:
        table = pcsv.read_csv(
            io.BytesIO(data),
            read_options=pcsv.ReadOptions(
                column_names=names,
                encoding="utf8" if dialect.encoding == "utf-8" else dialect.encoding,
                block_size=1 << 24,
            ),
            parse_options=pcsv.ParseOptions(
                delimiter=dialect.delimiter, newlines_in_values=True, invalid_row_handler=handler
            ),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        return table, []
    except (pa.ArrowInvalid, UnicodeDecodeError, ValueError):
        return _parse_csv_python(data, dialect)


def _empty_table(names: Sequence[str]) -> pa.Table:
    return pa.table({n: pa.array([], pa.string()) for n in names})


def _parse_csv_python(data: bytes, dialect: CsvDialect) -> tuple[pa.Table, list[tuple[int, str]]]:
    csv.field_size_limit(_FIELD_LIMIT)
    try:
        text = data.decode(dialect.encoding)
    except UnicodeDecodeError as exc:
        raise TableFormatError(_decode_error(data, exc, dialect)) from exc
    n = len(dialect.names)
    cols: list[list[str]] = [[] for _ in range(n)]
    errors: list[tuple[int, str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter)
    i = 0
    try:
        for record in reader:
            if not record:
                continue
            if len(record) > n:
                extra = record[n:]
                shown = ", ".join(repr(x if len(x) <= 40 else x[:37] + "...") for x in extra[:5])
                errors.append(
                    (i, f"this row has {len(record)} fields but the header has {n}: the extra "
                        f"field(s) {shown}{' ...' if len(extra) > 5 else ''} were dropped; fix the "
                        "row (a value with a delimiter must be quoted)")
                )  # fmt: skip
                record = record[:n]
            elif len(record) < n:
                record = record + [""] * (n - len(record))
            for c, v in zip(cols, record):
                c.append(v)
            i += 1
    except csv.Error as exc:
        raise TableFormatError(f"the table cannot be read as CSV ({exc})") from exc
    return pa.table(
        {name: pa.array(c, pa.string()) for name, c in zip(dialect.names, cols)}
    ), errors


def _decode_error(data: bytes, exc: UnicodeDecodeError, dialect: CsvDialect) -> str:
    bad = data[exc.start : exc.start + 4]
    return (
        f"the table is not {dialect.encoding} text ({exc.reason}: {bad!r}); give the file's "
        "encoding with --encoding (e.g. cp932 for Shift_JIS, utf-8)"
    )


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
                f"{_name(shown)} is not a readable .xlsx workbook ({exc})"
            ) from exc
        if sheet is not None:
            if sheet not in self.wb.sheetnames:
                raise TableFormatError(
                    f"workbook {_name(shown)} has no sheet {sheet!r}; its sheets are {self.wb.sheetnames}"
                )
            self.ws = self.wb[sheet]
        else:
            self.ws = self.wb.active or self.wb.worksheets[0]
        self.rows = self.ws.iter_rows(values_only=True)
        header: tuple[Any, ...] | None = None
        for row in self.rows:
            if any(v is not None and str(v).strip() for v in row):
                header = tuple(row)
                break
        if header is None:
            raise TableFormatError(
                f"sheet {self.ws.title!r} of {_name(shown)} is empty: no header row"
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


class GeoJSONSource(Source):
    """Features of a GeoJSON file (read whole): properties as columns, geometry as WKB."""

    kind = "geojson"

    def __init__(self, real: str, shown: str, encoding: str | None, chunk_rows: int) -> None:
        super().__init__()
        import shapely
        from shapely.geometry import shape

        self.chunk_rows = chunk_rows
        raw = Path(real).read_bytes()
        enc = (
            _codec(encoding)
            if encoding
            else ("utf-8-sig" if raw.startswith(codecs.BOM_UTF8) else "utf-8")
        )
        try:
            obj = json.loads(raw.decode(enc))
        except UnicodeDecodeError as exc:
            raise TableFormatError(
                f"GeoJSON {_name(shown)} is not {enc} text ({exc.reason} at byte {exc.start})"
            ) from exc
        except json.JSONDecodeError as exc:
            raise TableFormatError(
                f"GeoJSON {_name(shown)}, line {exc.lineno} column {exc.colno}: not valid JSON ({exc.msg})"
            ) from exc
        if isinstance(obj, dict) and obj.get("type") == "FeatureCollection":
            feats = obj.get("features")
            if not isinstance(feats, list):
                raise TableFormatError(f"GeoJSON {_name(shown)}: 'features' is not a list")
        elif isinstance(obj, dict) and obj.get("type") == "Feature":
            feats = [obj]
        else:
            raise TableFormatError(
                f"GeoJSON {_name(shown)} is not a FeatureCollection or a Feature (top level: "
                f"{type(obj).__name__}{' of type ' + repr(obj.get('type')) if isinstance(obj, dict) else ''})"
            )
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
                    self.row_errors.append((i, f"the feature's geometry cannot be read ({exc})"))
            geoms.append(wkb)
        names = list(keys)
        self.geometry = _free_name("geometry", names)
        columns = {k: _arrow_column([p.get(k) for p in props_list]) for k in names}
        columns[self.geometry] = pa.array(geoms, pa.binary())
        self.table = pa.table(columns)
        self.names = [*names, self.geometry]
        self.total = self.table.num_rows
        self.description = f"GeoJSON, {self.table.num_rows} features, {len(names)} properties"

    def parts(self) -> list[tuple[int, int]]:
        n = self.table.num_rows
        return [(s, min(n, s + self.chunk_rows)) for s in range(0, n, self.chunk_rows)] or [(0, 0)]

    def read_part(self, part: tuple[int, int]) -> Chunk:
        a, b = part
        errors = [(i - a, m) for i, m in self.row_errors if a <= i < b]
        return Chunk(self.table.slice(a, b - a), errors, b)


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
                f"{_name(shown)} is not a readable Parquet file ({exc})"
            ) from exc
        schema = self.pf.schema_arrow
        self.names = list(schema.names)
        if len(set(self.names)) != len(self.names):
            raise TableFormatError(f"Parquet file {_name(shown)} has duplicate column names")
        meta = schema.metadata or {}
        geo = meta.get(b"geo")
        if geo:
            with contextlib.suppress(ValueError, AttributeError, TypeError):
                primary = json.loads(geo).get("primary_column")
                if primary in self.names and pa.types.is_binary(schema.field(primary).type):
                    self.geometry = primary
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
        return Chunk(read_parquet_groups(self.real, part, self.shown), [], None)

    def chunks(self) -> Iterator[Chunk]:
        done = 0
        for part in self.parts():
            chunk = self.read_part(part)
            done += chunk.table.num_rows
            chunk.done = done
            yield chunk


def read_parquet_groups(path: str, groups: Sequence[int], shown: str = "") -> pa.Table:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
        if not groups:
            return pf.schema_arrow.empty_table()
        return pf.read_row_groups(list(groups))
    except (pa.ArrowInvalid, OSError) as exc:
        raise TableFormatError(
            f"Parquet file {_name(shown or path)} cannot be read ({exc})"
        ) from exc
