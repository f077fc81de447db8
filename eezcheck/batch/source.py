"""The pieces every input reader shares: :class:`Chunk`, :class:`Source`, column names.

Readers of each format (:mod:`eezcheck.batch.csvtable` for CSV/TSV, :mod:`eezcheck.batch.readers`
for the others and :func:`~eezcheck.batch.readers.open_source`) subclass :class:`Source`.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from eezcheck.crs import InputCRS
from eezcheck.errors import TableFormatError

__all__ = [
    "FIELD_LIMIT",
    "Chunk",
    "Source",
    "TableSource",
    "codec_name",
    "display_name",
    "unique_names",
    "wgs84_geometry",
]

FIELD_LIMIT = 1 << 30
"""Largest cell Python's csv module is allowed to read (the default 128 kB is too small)."""


def display_name(path: str) -> str:
    """How an input is named in messages: ``standard input`` or its quoted path."""
    return "standard input" if path == "-" else repr(str(path))


def codec_name(encoding: str) -> str:
    """The codec's canonical name, or a TableFormatError naming the unknown encoding."""
    try:
        info = codecs.lookup(encoding)
    except LookupError as exc:
        raise TableFormatError(
            f"unknown encoding {encoding!r}: use e.g. utf-8, utf-8-sig, cp932 (Shift_JIS), euc-jp"
        ) from exc
    if not getattr(info, "_is_text_encoding", True):  # rot13, base64, zlib: not text encodings
        raise TableFormatError(
            f"{encoding!r} is not a text encoding: use e.g. utf-8, utf-8-sig, cp932 (Shift_JIS), "
            "euc-jp"
        )
    return info.name


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
    geometry_crs: InputCRS | None = None
    """The CRS of :attr:`geometry` as the file declares it (its chunks carry the geometry
    transformed to WGS84 lon/lat already)."""
    total: int | None = None
    """Size for the progress bar (bytes for CSV, rows otherwise), if known."""
    description = ""
    notes: list[str]
    spool_path: str | None = None
    """The temporary copy of standard input this source reads, removed by
    :func:`eezcheck.batch.readers.close_source`."""

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


class TableSource(Source):
    """An input read whole into :attr:`table` (GeoJSON, GeoPackage...), cut into chunks of
    ``chunk_rows`` rows, with the reader's :attr:`row_errors` (row index, message)."""

    table: pa.Table
    chunk_rows: int
    row_errors: list[tuple[int, str]]

    def parts(self) -> list[tuple[int, int]]:
        n = self.table.num_rows
        return [(s, min(n, s + self.chunk_rows)) for s in range(0, n, self.chunk_rows)] or [(0, 0)]

    def read_part(self, part: tuple[int, int]) -> Chunk:
        a, b = part
        errors = [(i - a, m) for i, m in self.row_errors if a <= i < b]
        return Chunk(self.table.slice(a, b - a), errors, b)


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


def wgs84_geometry(
    table: pa.Table, column: str | None, crs: InputCRS | None
) -> tuple[pa.Table, list[tuple[int, str]]]:
    """``table`` with its WKB ``column`` transformed from ``crs`` to WGS84 lon/lat, and a row
    error for each geometry that cannot be transformed (its cell becomes null). Unreadable WKB
    is left for the row checker's message; nothing changes when ``crs`` is WGS84."""
    if column is None or crs is None or crs.wgs84 or table.num_rows == 0:
        return table, []
    import numpy as np
    import shapely

    cells = table.column(column).to_pylist()
    geoms = shapely.from_wkb(
        np.asarray([c if isinstance(c, bytes) else None for c in cells], dtype=object),
        on_invalid="ignore",
    )
    moved = crs.geometries_to_wgs84(geoms)
    out: list[bytes | None] = []
    errors: list[tuple[int, str]] = []
    for i, (cell, g, m) in enumerate(zip(cells, geoms, moved)):
        if g is None:
            out.append(cell)  # null, or not WKB: the checker says so
        elif m is None:
            out.append(None)
            errors.append(
                (i, f"geometry {shapely.to_wkt(g, rounding_precision=6)[:80]} is not a position "
                    f"in {crs.code} ({crs.name}): it cannot be transformed to WGS84")
            )  # fmt: skip
        else:
            out.append(shapely.to_wkb(m))
    i = table.column_names.index(column)
    field = table.schema.field(i)
    return table.set_column(i, field, pa.array(out, field.type)), errors
