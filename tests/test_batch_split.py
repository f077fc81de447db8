"""The CSV splitter cannot cut a record (issue 11, item 2).

The byte ranges a CSV file is cut into (the local engine's pieces and the Dask partitions) are
checked against a full parse of the same file by Python's csv module: the same rows, values and
order, whatever the piece size, with stray quotes in unquoted cells (``5'3" tall``), quoted
multi-line cells, escaped quotes and LF, CRLF or CR line endings.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from fixtures import synthetic as S
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eezcheck.batch import readers as rd
from eezcheck.batch import run_batch

SETTINGS = settings(
    max_examples=int(os.environ.get("EEZCHECK_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

HEADER = ["name", "lat", "lon", "notes"]

unquoted = st.text(alphabet=st.sampled_from(list("ab 5'3\"x-.9")), max_size=12).filter(
    lambda s: not s.startswith('"')
)
quoted = st.text(alphabet=st.sampled_from(list('ab ,"\n\r\r\n9西')), max_size=15)


def _cell(draw) -> tuple[str, str]:
    """(the cell as written, the value a reader gets back)."""
    if draw(st.booleans()):
        v = draw(unquoted)
        return v, v
    v = draw(quoted)
    return '"' + v.replace('"', '""') + '"', v


@st.composite
def tables(draw) -> tuple[bytes, list[list[str]], str]:
    eol = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    rows: list[list[str]] = []
    lines = [",".join(HEADER)]
    for i in range(draw(st.integers(1, 60))):
        written, value = _cell(draw)
        written2, value2 = _cell(draw)
        rows.append([f"r{i}", "41.3", value, value2])
        lines.append(f"r{i},41.3,{written},{written2}")
    return (eol.join(lines) + eol).encode(), rows, eol


def _pieces(path: Path, range_bytes: int, first: int | None) -> list[list[str]]:
    src = rd.open_source(str(path), range_bytes=range_bytes)
    try:
        ranges = rd.split_ranges(src.real, src.dialect, range_bytes, str(path), first=first)
        assert ranges[0][0] == src.dialect.data_offset and ranges[-1][1] == path.stat().st_size
        assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:]))
        out: list[list[str]] = []
        for start, end in ranges:
            table, errors = rd.read_csv_range(src.real, src.dialect, start, end)
            assert errors == []
            out.extend([list(r.values()) for r in table.to_pylist()])
        return out
    finally:
        rd.close_source(src)


@SETTINGS
@given(t=tables(), size=st.integers(1, 400), first=st.one_of(st.none(), st.integers(1, 200)))
def test_pieces_hold_exactly_the_rows_of_a_full_parse(tmp_path, t, size, first):
    data, rows, _ = t
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    full = list(csv.reader(io.StringIO(data.decode(), newline="")))[1:]
    assert full == rows  # the generator writes what it means
    assert _pieces(path, size, first) == rows


def _stray_quote_table(path: Path, n: int) -> None:
    """The issue's table: a stray quote in an unquoted cell, then quoted multi-line cells."""
    lines = ["name,lat,lon,notes", "a,41.3,138.5,height 5'3\" tall"]
    for i in range(1, n):
        note = '"line one\nline two"' if i % 7 else "plain"
        lines.append(f"r{i},41.3,138.5,{note}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def square(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(S.make_user_dataset(tmp_path_factory.mktemp("square") / "set"))


@pytest.mark.parametrize(("n", "range_bytes"), [(30_001, rd.RANGE_BYTES), (3_001, 10_000)])
def test_stray_quote_before_multiline_cells_keeps_every_row(tmp_path, square, n, range_bytes):
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    _stray_quote_table(src, n)
    if range_bytes == rd.RANGE_BYTES:  # default pieces: the first one cuts inside the table
        assert src.stat().st_size > rd.FIRST_RANGE_BYTES
    s = run_batch(str(src), str(out), boundaries=square, fields="verdict", range_bytes=range_bytes)
    back = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert s.rows == len(back) == n
    assert [r["name"] for r in back] == ["a", *(f"r{i}" for i in range(1, n))]
    assert back[0]["notes"] == "height 5'3\" tall" and back[1]["notes"] == "line one\nline two"


def test_cr_only_table_is_read(tmp_path, square):
    src, out = tmp_path / "cr.csv", tmp_path / "out.csv"
    src.write_bytes(b"name,lat,lon\rx,41.3,138.5\ry,30.5,140.5\r")
    s = run_batch(str(src), str(out), boundaries=square, fields="verdict")
    back = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert s.rows == 2 and [r["name"] for r in back] == ["x", "y"]


def test_unclosed_quote_names_its_line(tmp_path, square):
    from eezcheck.errors import TableFormatError

    src = tmp_path / "u.csv"
    src.write_text('name,lat,lon\nx,41.3,138.5\ny,41.3,"138.5\nz,1,2\n', encoding="utf-8")
    with pytest.raises(TableFormatError, match=r"line 3: a quoted field starts"):
        run_batch(str(src), str(tmp_path / "o.csv"), boundaries=square)
