"""Property tests of ``eezcheck batch`` on hostile tables (hypothesis).

Random junk cells, missing and extra columns, ragged rows, wrong types, embedded quotes and
newlines, empty files, header-only files, huge numbers, random bytes: a run never raises
anything but :class:`~eezcheck.errors.TableFormatError` (the table cannot be read, or holds no
point), and whenever it completes, the output has one row per input row, in input order, each
with a verdict or an error.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eezcheck.batch import CheckSettings, check_table, detect_columns, run_batch
from eezcheck.checker import get_checker
from eezcheck.errors import TableFormatError

SETTINGS = settings(
    max_examples=int(os.environ.get("EEZCHECK_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# cells: numbers in and out of range, huge and odd numbers, coordinates text, junk text with
# the characters that break CSV (quotes, delimiters, newlines, carriage returns, NUL, BOM)
numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(min_value=-90, max_value=90),
    st.floats(min_value=120, max_value=160),
)
junk_text = st.text(
    alphabet=st.sampled_from(list("ab xyz,;\t\"'\n\r\\°NSEW-.0123456789緯度経度約西北\ufeff\x00")),
    max_size=25,
)
cells = st.one_of(
    numbers.map(repr),
    numbers.map(str),
    junk_text,
    st.sampled_from(
        ["", " ", "nan", "inf", "-0", "1e309", "41.3N", "138°30'E", "unknown", "NA", '""']
    ),
)
names = st.one_of(
    st.sampled_from(["lat", "lon", "latitude", "longitude", "where", "range_km", "bearing", "apogee_km",
                     "launch_site", "uncertainty_km", "impact_lat", "impact_lon", "x", "y", "緯度", "経度"]),
    st.text(max_size=8),
)  # fmt: skip


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    header = ["id"]
    if draw(st.booleans()):
        header += ["lat", "lon"]
    header += draw(st.lists(names, max_size=5))
    n = draw(st.integers(min_value=0, max_value=25))
    rows = []
    for i in range(n):
        width = (
            len(header) + draw(st.integers(min_value=-len(header) + 1, max_value=2))
            if draw(st.integers(0, 5)) == 0
            else len(header)
        )
        rows.append([str(i)] + [draw(cells) for _ in range(max(0, width - 1))])
    return header, rows


def _csv_text(header: list[str], rows: list[list[str]], delimiter: str = ",") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def _expected_records(text: str, delimiter: str) -> list[list[str]]:
    """Records as Python's csv module reads them (empty lines are not rows)."""
    records = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if r]
    return records[1:]


def _run(src: Path, out: Path, square: str, **kw):
    if out.exists():  # tmp_path is shared by the examples of one test
        out.unlink()
    try:
        return run_batch(str(src), str(out), boundaries=square, overwrite=True, **kw)
    except TableFormatError as exc:
        assert str(exc), "a TableFormatError must say what is wrong"
        assert not out.exists()
        return None


@SETTINGS
@given(table=tables(), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp932", "utf-16"]),
       delimiter=st.sampled_from([",", "\t"]))  # fmt: skip
def test_csv_rows_are_kept_in_order(tmp_path, square, table, encoding, delimiter):
    header, rows = table
    text = _csv_text(header, rows, delimiter)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    src = tmp_path / ("in.tsv" if delimiter == "\t" else "in.csv")
    src.write_bytes(data)
    out = tmp_path / "out.csv"
    summary = _run(src, out, square)
    if summary is None:
        return
    with open(out, encoding="utf-8", newline="") as fh:
        got = list(csv.reader(fh))
    expect = _expected_records(
        data.decode(encoding if data != text.encode("utf-8") else "utf-8").lstrip("\ufeff"),
        delimiter,
    )
    assert summary.rows == len(got) - 1 == len(expect)
    hdr = got[0]
    verdict, error = hdr.index("japan_eez"), hdr.index("error")
    assert [r[0] for r in got[1:]] == [r[0] for r in expect]  # same rows, same order
    for r in got[1:]:
        assert bool(r[verdict]) != bool(r[error])


@SETTINGS
@given(data=st.binary(max_size=300))
def test_random_bytes_never_crash(tmp_path, square, data):
    src = tmp_path / "in.csv"
    src.write_bytes(b"lat,lon\n" + data if data[:1] != b"!" else data)
    _run(src, tmp_path / "out.csv", square)


@SETTINGS
@given(text=st.text(alphabet=st.sampled_from(list('lat,on\n"x12.5 \r')), max_size=80))
def test_quote_and_newline_soup(tmp_path, square, text):
    src = tmp_path / "in.csv"
    src.write_text(text, encoding="utf-8")
    summary = _run(src, tmp_path / "out.csv", square)
    if summary is not None:
        assert summary.rows == len(_expected_records(text, ","))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(10**20), max_value=10**20) | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)  # fmt: skip
geometries = st.one_of(
    st.none(),
    st.builds(
        lambda x, y: {"type": "Point", "coordinates": [x, y]},
        st.floats(-400, 400),
        st.floats(-100, 100),
    ),
    st.just({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}),
    st.just({"type": "Point"}),
    json_values,
)


@SETTINGS
@given(features=st.lists(st.fixed_dictionaries({"type": st.just("Feature"), "geometry": geometries,
                                                "properties": st.dictionaries(names, json_values, max_size=4)}),
                         max_size=12))  # fmt: skip
def test_geojson_features_are_kept(tmp_path, square, features):
    src = tmp_path / "in.geojson"
    src.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
    )
    out = tmp_path / "out.geojson"
    summary = _run(src, out, square)
    if summary is None:
        return
    got = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert summary.rows == len(got) == len(features)
    for f in got:
        p = f["properties"]
        # a result column whose name an input property already has is written as eezcheck.<name>
        verdict, error = (p.get(f"eezcheck.{k}", p.get(k)) for k in ("japan_eez", "error"))
        assert (verdict is None) != (error is None)


@SETTINGS
@given(obj=json_values)
def test_any_json_document(tmp_path, square, obj):
    src = tmp_path / "in.geojson"
    src.write_text(json.dumps(obj), encoding="utf-8")
    _run(src, tmp_path / "out.csv", square)


excel_cells = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False), st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=10),
    st.dates(), st.datetimes(),
)  # fmt: skip


@SETTINGS
@given(rows=st.lists(st.lists(excel_cells, min_size=0, max_size=5), max_size=10))
def test_excel_rows_are_kept(tmp_path, square, rows):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "lat", "lon"])
    for i, r in enumerate(rows):
        ws.append([f"r{i}", *r])
    src = tmp_path / "in.xlsx"
    wb.save(src)
    out = tmp_path / "out.csv"
    summary = _run(src, out, square)
    assert summary is not None
    with open(out, encoding="utf-8", newline="") as fh:
        got = list(csv.DictReader(fh))
    assert [r["id"] for r in got] == [f"r{i}" for i in range(len(rows))]


arrow_columns = st.one_of(
    st.lists(st.one_of(st.none(), st.floats()), min_size=6, max_size=6).map(lambda v: pa.array(v, pa.float64())),
    st.lists(st.one_of(st.none(), st.integers(-(2**63), 2**63 - 1)), min_size=6, max_size=6).map(lambda v: pa.array(v, pa.int64())),
    st.lists(st.one_of(st.none(), st.booleans()), min_size=6, max_size=6).map(lambda v: pa.array(v, pa.bool_())),
    st.lists(st.one_of(st.none(), cells), min_size=6, max_size=6).map(lambda v: pa.array(v, pa.string())),
    st.just(pa.nulls(6)),
    st.lists(st.one_of(st.none(), st.binary(max_size=5)), min_size=6, max_size=6).map(lambda v: pa.array(v, pa.binary())),
)  # fmt: skip


@SETTINGS
@given(cols=st.lists(arrow_columns, min_size=2, max_size=6), names=st.permutations(
    ["lat", "lon", "where", "range_km", "bearing", "launch_site", "apogee_km", "uncertainty_km"]))  # fmt: skip
def test_check_table_on_wrong_types(square, cols, names):
    table = pa.table(cols, names=names[: len(cols)])
    try:
        plan = detect_columns(table.column_names)
    except TableFormatError:
        return
    out = check_table(table, get_checker(square), CheckSettings(plan))
    assert out.num_rows == 6
    for name in table.column_names:  # input columns unchanged (repr: NaN equals NaN)
        assert repr(out.column(name).to_pylist()) == repr(table.column(name).to_pylist())
    verdicts, errors = out.column("japan_eez").to_pylist(), out.column("error").to_pylist()
    assert all((v is None) != (e is None) for v, e in zip(verdicts, errors))
