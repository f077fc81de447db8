"""Excel (.xlsx) output of ``eezcheck batch``: a ``results`` sheet and a ``summary`` sheet.

The ``results`` sheet is the output table as CSV has it (the input's columns first, then the
result columns; nested values as JSON text, geometries as WKT), one row per input row, with
the header row frozen. Every text cell is stored as text, never as a formula: an event name
such as ``=HYPERLINK(...)`` stays the string it was. The ``summary`` sheet holds the run's
counts, the boundary data and claims policy, the columns used and the first errors.

The file depends only on the rows and the summary: the package's timestamps are fixed
(:data:`FIXED_TIME`) and the workbook's properties carry no clock time, so the same input gives
the same bytes (the web app's downloads equal ``eezcheck batch -o out.xlsx``). Japanese text
(column names and cells) is stored as Unicode, which Excel opens as it is.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date, datetime, time, timezone
from typing import IO, Any

import pyarrow as pa

from eezcheck.errors import TableFormatError

__all__ = ["EXCEL_MAX_ROWS", "FIXED_TIME", "ExcelWriter"]

EXCEL_MAX_ROWS = 1_048_576 - 1
"""Data rows an Excel sheet holds (one row is the header)."""
EXCEL_MAX_TEXT = 32_767
"""Characters an Excel cell holds."""
FIXED_TIME = datetime(2000, 1, 1, tzinfo=timezone.utc)
"""The workbook's created/modified time and the zip entries' time (bytes do not depend on when)."""

_MODIFIED = re.compile(r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell_text(text: str) -> str:
    """Text Excel can store: control characters Excel refuses shown as ``\\xNN``."""
    text = _ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    if len(text) > EXCEL_MAX_TEXT:
        raise TableFormatError(
            f"a cell of {len(text):,} characters does not fit in Excel (at most {EXCEL_MAX_TEXT:,}): "
            "write CSV, GeoJSON or Parquet instead (-o out.csv)"
        )
    return text


class ExcelWriter:
    """Streams result tables into a write-only workbook; :meth:`close` adds the summary sheet
    and writes the .xlsx to ``stream``."""

    def __init__(self, stream: IO[bytes], schema: pa.Schema) -> None:
        try:
            from openpyxl import Workbook
        except ModuleNotFoundError as exc:  # pragma: no cover - openpyxl is in the batch extra
            raise TableFormatError(
                "Excel output needs openpyxl: pip install 'eezcheck[batch]'"
            ) from exc
        self.stream = stream
        self.rows = 0
        self.book = Workbook(write_only=True)
        self.sheet = self.book.create_sheet("results")
        self.sheet.freeze_panes = "A2"
        self.sheet.append([self._text(_cell_text(name)) for name in schema.names])

    def _text(self, value: str) -> Any:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self.sheet, value=value)
        cell.data_type = "s"  # never a formula, whatever the text starts with
        return cell

    def _value(self, v: Any) -> Any:
        if v is None or isinstance(v, bool):
            return v
        if isinstance(v, (int, float)):
            return v if v == v and v not in (float("inf"), float("-inf")) else None
        if isinstance(v, datetime) and v.tzinfo is not None:
            return self._text(v.isoformat())
        if isinstance(v, (datetime, date, time)):
            return v
        if isinstance(v, bytes):
            return self._text(v.hex())
        if isinstance(v, (dict, list, tuple)):
            v = json.dumps(v, default=str, ensure_ascii=False)
        return self._text(_cell_text(str(v)))

    def write(self, table: pa.Table) -> None:
        """Append the rows of a (CSV-ready) table."""
        if self.rows + table.num_rows > EXCEL_MAX_ROWS:
            raise TableFormatError(
                f"the table has more than {EXCEL_MAX_ROWS:,} rows, the most an Excel sheet "
                "holds: write CSV or Parquet instead (-o out.csv, -o out.parquet)"
            )
        columns = [col.to_pylist() for col in table.columns]
        for row in zip(*columns):
            self.sheet.append([self._value(v) for v in row])
        self.rows += table.num_rows

    def close(self, summary: dict[str, Any] | None) -> None:
        """Add the summary sheet and write the workbook (fixed timestamps) to the stream."""
        sheet = self.book.create_sheet("summary")
        for key, value in summary_rows(summary or {"rows": self.rows}):
            sheet.append([self._text(key), self._value(value)])
        self.book.properties.created = FIXED_TIME.replace(tzinfo=None)
        self.book.properties.creator = "eezcheck"
        buf = io.BytesIO()
        self.book.save(buf)
        self.stream.write(_fixed_zip(buf.getvalue()))


def summary_rows(summary: dict[str, Any]) -> list[tuple[str, Any]]:
    """The summary sheet as (label, value) rows: counts, data, policy, columns, errors.

    Nothing here depends on file paths or on the clock, so the sheet is the same wherever and
    whenever the table was checked.
    """
    rows: list[tuple[str, Any]] = []
    for key in ("rows", "inside", "outside", "disputed", "uncertain", "errors", "warnings"):
        if key in summary:
            rows.append((key, summary[key]))
    for zone, n in (summary.get("zones") or {}).items():
        rows.append((f"zone: {zone}", n))
    b = summary.get("boundaries") or {}
    for key in ("dataset", "version", "sha256", "claims_policy", "licence"):
        if key in b:
            rows.append((f"boundary data: {key}", b[key]))
    inp = summary.get("input") or {}
    if inp.get("read"):
        rows.append(("input read as", inp["read"]))
    if summary.get("fields"):
        rows.append(("fields", ", ".join(summary["fields"])))
    for key, value in (summary.get("columns") or {}).items():
        if value not in (None, "", [], {}):
            rows.append(
                (
                    f"column: {key}",
                    value if isinstance(value, str) else json.dumps(value, ensure_ascii=False),
                )
            )
    for e in summary.get("first_errors") or []:
        rows.append((f"error in row {e['row']}", e["error"]))
    if summary.get("eezcheck_version"):
        rows.append(("eezcheck version", summary["eezcheck_version"]))
    return rows


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry dated :data:`FIXED_TIME` (reproducible bytes)."""
    stamp = FIXED_TIME.timetuple()[:6]
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time
                body = _MODIFIED.sub(
                    lambda m: m.group(1) + FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ") + m.group(2),
                    body.decode("utf-8"),
                ).encode("utf-8")
            dst.writestr(fixed, body)
    return out.getvalue()
