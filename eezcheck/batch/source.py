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

from eezcheck.errors import TableFormatError

__all__ = ["FIELD_LIMIT", "Chunk", "Source", "codec_name", "display_name", "unique_names"]

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
