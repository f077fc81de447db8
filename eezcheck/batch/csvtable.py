"""CSV/TSV input: encodings, dialect, record-exact byte ranges, parsing of a range.

UTF-8, UTF-8 with BOM, UTF-16 with BOM and Shift_JIS/CP932 are recognised (or give
``encoding``); the delimiter comes from the extension or the header line. Every cell is read as
text. The file is cut into byte ranges at record boundaries found by an RFC 4180 state machine
(:func:`split_ranges`: a ``"`` opens a quoted field only at the start of a field, as Arrow and
Python's csv module read it, so a stray ``5'3"`` in an unquoted cell cannot move a cut into a
quoted multi-line cell); each range is parsed by Arrow, and a range holding a malformed row is
parsed again by Python's :mod:`csv` module, which keeps every row. The same ranges are the Dask
engine's partitions.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from eezcheck.batch.source import FIELD_LIMIT, Chunk, Source, codec_name, display_name, unique_names
from eezcheck.errors import TableFormatError

__all__ = [
    "FIRST_RANGE_BYTES",
    "RANGE_BYTES",
    "CsvDialect",
    "CsvSource",
    "detect_encoding",
    "parse_csv_bytes",
    "read_csv_range",
    "split_ranges",
]

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


_BYTE_SAFE = {"utf-8", "utf-8-sig", "cp932", "shift_jis", "euc_jp", "latin-1", "iso8859-1",
              "ascii", "cp1252", "gb18030", "gbk", "euc_kr", "cp949", "big5"}  # fmt: skip


def detect_encoding(head: bytes, complete: bool) -> str:
    """``utf-8-sig`` (BOM), ``utf-16`` (BOM), ``utf-8`` or ``cp932`` (Shift_JIS), else error.

    A sample whose lines are UTF-8 text in part and not in part (a file that mixes UTF-8 and
    Shift_JIS) is an error naming the first line that differs, never read as either.
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=complete)
        return "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    _mixed(head, utf8_error, complete)
    try:
        codecs.getincrementaldecoder("cp932")().decode(head, final=complete)
        return "cp932"
    except UnicodeDecodeError:
        pass
    line = head[: utf8_error.start].count(b"\n") + 1
    raise TableFormatError(
        "cannot tell the text encoding of the table: it is neither UTF-8 nor Shift_JIS (CP932) "
        f"(line {line}, byte {utf8_error.start} is not "
        "UTF-8); give it with --encoding (e.g. --encoding euc-jp)"
    )


def _mixed(head: bytes, utf8_error: UnicodeDecodeError, complete: bool) -> None:
    """Raise TableFormatError if some lines of ``head`` are non-ASCII UTF-8 and others are not
    UTF-8 at all."""
    lines = head.split(b"\n")
    if not complete and len(lines) > 1:
        lines = lines[:-1]  # the sample may end inside a character
    first_utf8 = first_other = None
    offset = 0
    for n, line in enumerate(lines, 1):
        if not line.isascii():
            try:
                line.decode("utf-8")
                first_utf8 = first_utf8 or (n, offset)
            except UnicodeDecodeError as exc:
                first_other = first_other or (n, offset + exc.start)
        if first_utf8 and first_other:
            break
        offset += len(line) + 1
    if first_utf8 and first_other:
        raise TableFormatError(
            f"the table mixes text encodings: line {first_utf8[0]} is UTF-8, but line "
            f"{first_other[0]} (byte {first_other[1]}) is not UTF-8 (Shift_JIS?). Save the whole "
            "file in one encoding, or give --encoding to read all of it in one"
        )


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV file is read (picklable: Dask workers read their byte ranges with it)."""

    encoding: str
    """Codec of the data after :attr:`data_offset` (no BOM)."""
    delimiter: str
    names: tuple[str, ...]
    data_offset: int
    header_lines: int
    guessed: bool = False
    """The encoding was detected from the first megabyte, not given with ``--encoding``: every
    piece is checked for lines of another encoding (see :func:`mixed_in_piece`)."""


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
            raise TableFormatError(f"table {display_name(shown)} is empty: there is no header line")
        enc = codec_name(encoding) if encoding else detect_encoding(head, complete=size <= _SAMPLE)
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
                f"table {display_name(shown)}, line {line}: not {shown_enc} text ({exc.reason} at byte "
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
            header_lines=_line_breaks(text[:consumed]),
            guessed=not encoding,
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
            f"table {display_name(shown)} is not {enc} text ({exc}); give --encoding"
        ) from exc
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def _line_breaks(text: str) -> int:
    """Line breaks in ``text`` (LF, CRLF or CR, as CSV readers count them)."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _sniff_delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] == 0 or counts[","] >= counts[best]:
        return ","
    return best


def _header(text: str, delim: str, shown: str) -> tuple[list[str], int]:
    """The first non-empty record and the number of characters it (and blank lines) took."""
    csv.field_size_limit(FIELD_LIMIT)
    buf = io.StringIO(text, newline="")
    reader = csv.reader(buf, delimiter=delim, strict=True)
    try:
        for record in reader:
            if record:
                return record, buf.tell()
    except csv.Error as exc:
        raise TableFormatError(
            f"table {display_name(shown)}, line {reader.line_num}: the header cannot be read ({exc})"
        ) from exc
    raise TableFormatError(f"table {display_name(shown)} is empty: there is no header line")


_QUOTE, _LF, _CR = 0x22, 0x0A, 0x0D
_BLOCK = 1 << 22


def split_ranges(
    path: str, dialect: CsvDialect, target: int, shown: str = "", first: int | None = None
) -> list[tuple[int, int]]:
    """Byte ranges of about ``target`` bytes (the first one about ``first``, if given) that
    start and end on record boundaries.

    The boundaries come from an RFC 4180 state machine run over the whole file (see
    :class:`_QuoteState`): a ``"`` opens a quoted field only at the start of a field, ``""``
    inside one is a quote, and a line ending (LF, CRLF or CR) ends a record only outside a quoted
    field. A quoted field still open at the end of the file is reported as a
    :class:`TableFormatError` naming its line.
    """
    size = os.path.getsize(path)
    start = dialect.data_offset
    out: list[tuple[int, int]] = []
    delim = dialect.delimiter.encode(dialect.encoding)[-1]
    state = _QuoteState(delim)
    seg_start = start
    want = start + (first if first is not None else target)
    with open(path, "rb") as fh:
        fh.seek(start)
        off = start
        while off < size:
            buf = bytearray(fh.read(_BLOCK))
            if not buf:
                break
            # a run of quotes or a CR LF never straddles two blocks
            while buf[-1] in (_QUOTE, _CR):
                more = fh.read(1)
                if not more:
                    break
                buf += more
            a = np.frombuffer(bytes(buf), np.uint8)
            runs = state.scan(a, off)
            while want < off + a.size:
                b = runs.record_end(a, max(want - off, 0))
                if b is None:
                    break
                out.append((seg_start, off + b))
                seg_start = off + b
                want = seg_start + target
            state.finish(a, runs)
            off += a.size
    if state.inside:
        _unclosed_quote(path, dialect, shown, state.opened_at)
    if seg_start < size or not out:
        out.append((seg_start, max(size, seg_start)))
    return out


class _Runs:
    """Runs of ``"`` in one block: their ends and the quoting state after each."""

    def __init__(self, ends: np.ndarray, after: np.ndarray, before: int) -> None:
        self.ends, self.after, self.before = ends, after, before

    def inside_at(self, pos: np.ndarray) -> np.ndarray:
        """Whether each position (not a quote) of the block lies inside a quoted field."""
        k = np.searchsorted(self.ends, pos, side="right") - 1
        return np.where(k >= 0, self.after[np.maximum(k, 0)] if self.after.size else 0, self.before)

    def record_end(self, a: np.ndarray, frm: int) -> int | None:
        """Offset in the block just after the first record-ending line break at or after
        ``frm``, or None."""
        step = 1 << 16
        while frm < a.size:
            w = a[frm : frm + step]
            cand = np.flatnonzero((w == _LF) | (w == _CR)) + frm
            if cand.size:
                ok = cand[self.inside_at(cand) == 0]
                for c in ok.tolist():
                    if a[c] == _CR and c + 1 < a.size and a[c + 1] == _LF:
                        return c + 2
                    return c + 1
            frm += step
        return None


class _QuoteState:
    """The RFC 4180 quoting state carried from block to block.

    Only runs of consecutive ``"`` change the state, so they are all that is looked at
    (vectorised). A run of odd length at the start of a field (after a delimiter, a line break or
    the start of the data) flips the state (it opens a field, or closes one with pairs of escaped
    quotes before); an odd run elsewhere leaves every state outside a quoted field (inside one it
    closes it; outside one its quotes are literal, as Arrow and Python read ``5'3" tall``); a run
    of even length changes nothing (escaped quotes, or an empty quoted field).
    """

    def __init__(self, delimiter: int) -> None:
        self.delimiter = delimiter
        self.inside = 0
        self.prev = _LF
        self.opened_at = -1
        """File offset of the ``"`` that opened the quoted field the state is in."""

    def scan(self, a: np.ndarray, offset: int) -> _Runs:
        q = np.flatnonzero(a == _QUOTE)
        if not q.size:
            return _Runs(q, q, self.inside)
        brk = np.flatnonzero(np.diff(q) != 1) + 1
        first = np.concatenate(([0], brk))
        starts = q[first]
        lens = np.diff(np.concatenate((first, [q.size])))
        prev = np.where(starts > 0, a[np.maximum(starts - 1, 0)], self.prev)
        at_start = (prev == self.delimiter) | (prev == _LF) | (prev == _CR)
        odd = (lens % 2) == 1
        flip = (odd & at_start).astype(np.int64)
        reset = odd & ~at_start
        idx = np.arange(starts.size)
        last_reset = np.maximum.accumulate(np.where(reset, idx, -1))
        flips = np.cumsum(flip)
        since = flips - np.where(last_reset >= 0, flips[np.maximum(last_reset, 0)], 0)
        base = np.where(last_reset >= 0, 0, self.inside)
        after = (base + since) % 2
        opens = np.flatnonzero((np.concatenate(([self.inside], after[:-1])) == 0) & (after == 1))
        if opens.size:
            self.opened_at = offset + int(starts[opens[-1]])
        return _Runs(starts + lens, after, self.inside)

    def finish(self, a: np.ndarray, runs: _Runs) -> None:
        if runs.after.size:
            self.inside = int(runs.after[-1])
        if a.size:
            self.prev = int(a[-1])


def _line_at(path: str, dialect: CsvDialect, at: int) -> int:
    """The (physical) line number of byte offset ``at`` of a CSV file."""
    breaks = 0
    with open(path, "rb") as fh:
        fh.seek(dialect.data_offset)
        left = max(at - dialect.data_offset, 0)
        last = b""
        while left > 0:
            block = fh.read(min(left, _BLOCK))
            if not block:
                break
            breaks += block.count(b"\n") + block.count(b"\r") - block.count(b"\r\n")
            if last == b"\r" and block[:1] == b"\n":
                breaks -= 1
            last = block[-1:]
            left -= len(block)
    return dialect.header_lines + 1 + breaks


def _unclosed_quote(path: str, dialect: CsvDialect, shown: str, at: int) -> None:
    """Raise TableFormatError naming the line of the ``"`` at offset ``at`` that never closes."""
    line = _line_at(path, dialect, at)
    raise TableFormatError(
        f"table {display_name(shown)}, line {line}: a quoted field starts on this line and is "
        'never closed (an unmatched " at the start of a cell): the rest of the file would be one '
        'cell. Fix the quoting (a " inside a quoted field is written "").'
    )


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
    return parse_csv_bytes(data, dialect, where=(path, start))


def parse_csv_bytes(
    data: bytes, dialect: CsvDialect, where: tuple[str, int] | None = None
) -> tuple[pa.Table, list[tuple[int, str]]]:
    """Parse CSV bytes (``where``: the file and offset they come from, for messages)."""
    import pyarrow.csv as pcsv

    names = list(dialect.names)
    if not data.strip(b"\r\n"):
        return _empty_table(names), []
    if dialect.guessed and dialect.encoding == "cp932" and not data.isascii():
        mixed_in_piece(data, dialect, where)
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
        return _parse_csv_python(data, dialect, where)


def mixed_in_piece(data: bytes, dialect: CsvDialect, where: tuple[str, int] | None) -> None:
    """A table read as Shift_JIS because its first megabyte is: a later line that is UTF-8
    (non-ASCII) is an error naming its line and byte, never decoded as Shift_JIS mojibake
    (日本 -> 譌･譛ｬ)."""
    offset = 0
    for line in data.split(b"\n"):
        if not line.isascii():
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                pass
            else:
                at = ""
                if where is not None:
                    byte = where[1] + offset
                    at = f" line {_line_at(where[0], dialect, byte)} (byte {byte})"
                raise TableFormatError(
                    f"the table mixes text encodings: its first megabyte is Shift_JIS (CP932), "
                    f"but{at or ' a later line'} is UTF-8. Save the whole file in one encoding, "
                    "or give --encoding to read all of it in one"
                )
        offset += len(line) + 1


def _empty_table(names: Sequence[str]) -> pa.Table:
    return pa.table({n: pa.array([], pa.string()) for n in names})


def _parse_csv_python(
    data: bytes, dialect: CsvDialect, where: tuple[str, int] | None = None
) -> tuple[pa.Table, list[tuple[int, str]]]:
    csv.field_size_limit(FIELD_LIMIT)
    try:
        text = data.decode(dialect.encoding)
    except UnicodeDecodeError as exc:
        raise TableFormatError(_decode_error(data, exc, dialect, where)) from exc
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


def _decode_error(
    data: bytes, exc: UnicodeDecodeError, dialect: CsvDialect, where: tuple[str, int] | None
) -> str:
    bad = data[exc.start : exc.start + 4]
    at = ""
    if where is not None:
        offset = where[1] + exc.start
        at = f" at line {_line_at(where[0], dialect, offset)}, byte {offset}"
    return (
        f"the table is not {dialect.encoding} text{at} ({exc.reason}: {bad!r}); give the file's "
        "encoding with --encoding (e.g. cp932 for Shift_JIS, utf-8), or save it in one encoding"
    )
