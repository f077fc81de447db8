"""Tests of ``eezcheck.batch``: column detection, the check of one chunk, every input and output
format and encoding, chunk independence, atomic output, and the real CNS table end to end.

Most tests use the synthetic square island (``fixtures.synthetic``: answers known by hand); the
CNS table runs against the active (embedded) data, or the Marine Regions reference clip.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from eezcheck.batch import (
    CheckSettings,
    RowError,
    check_table,
    detect_columns,
    parse_fields,
    pieces,
    run_batch,
)
from eezcheck.batch import readers as rd
from eezcheck.checker import get_checker
from eezcheck.errors import FileOverwriteError, InvalidInputError, TableFormatError
from eezcheck.results import RESULT_KEYS

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
CNS = SHARED / "events" / "cns_missile_tests.csv"
MOD = SHARED / "events" / "mod_verdicts_2016_2020.csv"

# (lat, lon) -> japan_eez on the square island
POINTS = [
    ("30.5", "140.5", "inside"),  # land
    ("30.5", "139.9", "inside"),  # territorial sea
    ("28", "138", "inside"),  # EEZ
    ("28", "147", "outside"),  # Russian EEZ
    ("33", "144.5", "disputed"),  # overlapping claim
    ("26", "136", "outside"),  # high seas
]


@pytest.fixture(scope="module")
def checker(square):
    return get_checker(square)


def write_csv(
    path: Path, rows: list[list[str]], encoding: str = "utf-8", delimiter: str = ","
) -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def read_out(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def batch(src: Path, out: Path, square: str, **kw):
    return run_batch(str(src), str(out), boundaries=square, **kw)


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize(
    "names, expect",
    [
        (["id", "lat", "lon"], {"lat": "lat", "lon": "lon"}),
        (["Latitude", "Longitude"], {"lat": "Latitude", "lon": "Longitude"}),
        (["y", "x", "name"], {"lat": "y", "lon": "x"}),
        (["緯度", "経度"], {"lat": "緯度", "lon": "経度"}),
        (["着弾緯度", "着弾経度", "発射緯度", "発射経度"], {"lat": "着弾緯度", "launch_lat": "発射緯度"}),
        (["impactLat", "impactLng", "launchLat", "launchLng"], {"lat": "impactLat", "launch_lon": "launchLng"}),
        (["splash_lat", "splash_lon", "origin_lat", "origin_lon"], {"lat": "splash_lat", "launch_lat": "origin_lat"}),
        (["Lat (deg)", "Lon (deg)", "uncertainty_km"], {"lat": "Lat (deg)", "uncertainty": "uncertainty_km"}),
        (["where"], {"where": "where", "lat": None}),
        (["地点"], {"where": "地点"}),
        (["地点", "緯度", "経度"], {"where": None, "lat": "緯度"}),  # too generic as a fallback
        (["lat", "lon", "着弾地点"], {"where": "着弾地点"}),
        (["date", "wording"], {"where": "wording"}),
        (["launch_site", "range_km", "bearing"], {"launch": "launch_site", "range": "range_km", "bearing": "bearing"}),
        (["発射地点", "飛翔距離", "方位"], {"launch": "発射地点", "range": "飛翔距離", "bearing": "方位"}),
        (
            ["facility_lat", "facility_lon", "nagix_derived_landing_lat", "nagix_derived_landing_lon",
             "apogee_km", "distance_km", "nagix_bearing_deg", "description", "landing_area"],
            {"lat": "nagix_derived_landing_lat", "lon": "nagix_derived_landing_lon",
             "launch_lat": "facility_lat", "launch_lon": "facility_lon", "range": "distance_km",
             "apogee": "apogee_km", "bearing": "nagix_bearing_deg", "where": None},
        ),
        (
            ["launch_lat", "launch_lon", "range_km", "apogee_km", "impact_description",
             "impact_bearing_deg", "impact_distance_km", "impact_lat", "impact_lon"],
            {"lat": "impact_lat", "where": "impact_description", "range": "range_km",
             "bearing": None, "launch_lat": "launch_lat"},
        ),
    ],
)  # fmt: skip
def test_detection_by_name(names, expect):
    plan = detect_columns(names)
    for key, value in expect.items():
        assert getattr(plan, key) == value, (key, plan)


def test_detection_cns_header_needs_no_flag():
    if not CNS.exists():
        pytest.skip("CNS table not found")
    names = CNS.read_text(encoding="utf-8").splitlines()[0].split(",")
    plan = detect_columns(names)
    assert plan.sources == ("latlon", "launch")
    text = "\n".join(plan.describe())
    assert "impact point: latitude 'nagix_derived_landing_lat'" in text
    assert "where empty: launch 'facility_lat'/'facility_lon' + range 'distance_km'" in text


def test_detection_overrides_and_their_errors():
    plan = detect_columns(["a", "b", "c"], {"lat": "a", "lon": "b"})
    assert (plan.lat, plan.lon) == ("a", "b")
    plan = detect_columns(["lat", "lon", "txt"], {"where": "txt"})
    assert plan.sources == ("where",) and plan.lat is None
    with pytest.raises(
        TableFormatError, match=r"column 'nope' \(given for lat\) is not in the table"
    ):
        detect_columns(["lat", "lon"], {"lat": "nope"})
    with pytest.raises(TableFormatError, match="give both --lat-col and --lon-col"):
        detect_columns(["a", "b"], {"lat": "a"})


def test_detection_without_a_point_explains():
    with pytest.raises(TableFormatError) as exc:
        detect_columns(["facility_lat", "facility_lon", "name"])
    msg = str(exc.value)
    assert "Found a launch point ('facility_lat'/'facility_lon'), which is not enough" in msg
    assert "--lat-col/--lon-col" in msg


def test_parse_fields():
    assert parse_fields("verdict") == ("lat", "lon", "zone", "japan_eez", "japan_area")
    assert parse_fields(None) == tuple(k for k in RESULT_KEYS if k != "boundaries")
    assert parse_fields("zone,distance_to_eez_limit_km") == (
        "lat",
        "lon",
        "zone",
        "distance_to_eez_limit_km",
    )
    with pytest.raises(InvalidInputError, match="unknown field 'zonez'"):
        parse_fields("zonez")


# --------------------------------------------------------------------------- one chunk


def _table(**cols: list[str]) -> pa.Table:
    return pa.table({k: pa.array(v, pa.string()) for k, v in cols.items()})


def test_rows_keep_order_and_bad_rows_get_errors(checker):
    t = _table(
        lat=["30.5", "x", "", "95", "30°30'N", "28", " 33 "],
        lon=["139.9", "138", "", "138", "139°54'E", "147", "144.5"],
    )
    out = check_table(t, checker, CheckSettings(detect_columns(t.column_names)))
    assert out.num_rows == t.num_rows
    assert out.column("lat").to_pylist() == t.column("lat").to_pylist()  # input unchanged
    assert out.column("japan_eez").to_pylist() == [
        "inside",
        None,
        None,
        None,
        "inside",
        "outside",
        "disputed",
    ]
    err = out.column("error").to_pylist()
    assert err[0] is None and err[4] is None and err[6] is None
    assert "'X' is not a number" in err[1]
    assert err[2] == "no impact point: lat and lon are empty"
    assert "latitude 95 is outside -90..90" in err[3]
    assert out.column("eezcheck.lat").to_pylist()[4] == pytest.approx(30.5)


def test_rows_equal_check_json(checker):
    """Each row's result columns are check --json's values, flattened."""
    t = _table(lat=[p[0] for p in POINTS], lon=[p[1] for p in POINTS])
    out = check_table(t, checker, CheckSettings(detect_columns(t.column_names))).to_pylist()
    for (lat, lon, verdict), row in zip(POINTS, out):
        d = checker.check(float(lat), float(lon)).to_dict()
        assert row["japan_eez"] == d["japan_eez"] == verdict
        for key in ("zone", "zone_name", "distance_to_eez_limit_km", "distance_to_eez_limit_nm",
                    "nearest_japanese_land_km", "description_en", "description_ja", "p_inside"):  # fmt: skip
            assert row[key] == d[key], key
        assert json.loads(row["zone_states"]) == d["zone_states"]
        assert json.loads(row["claims"]) == d["claims"]
        assert json.loads(row["input"]) == d["input"]
        for key, value in d["nearest_place"].items():
            assert row[f"nearest_place.{key}"] == value


def test_wording_rows_equal_check_text(checker):
    t = _table(where=["about 100 km S of Hachijo-jima", "nowhere at all", "", "30.5 139.9"])
    out = check_table(t, checker, CheckSettings(detect_columns(t.column_names))).to_pylist()
    d = checker.check(text="about 100 km S of Hachijo-jima").to_dict()
    assert out[0]["japan_eez"] == d["japan_eez"] and out[0]["p_inside"] == d["p_inside"]
    assert json.loads(out[0]["uncertainty_model"]) == d["uncertainty_model"]
    assert json.loads(out[0]["input"])["kind"] == "wording"
    assert "cannot read 'nowhere at all'" in out[1]["error"]
    assert out[2]["error"] == "no impact point: where is empty"
    assert out[3]["japan_eez"] == "inside" and out[3]["error"] is None


def test_fallbacks_wording_then_launch(checker):
    t = _table(
        impact_lat=["28", "", "", ""],
        impact_lon=["138", "", "", ""],
        impact_description=["", "30.5 139.9", "", ""],
        launch_lat=["30", "30", "30", "30"],
        launch_lon=["138", "138", "138", "138"],
        range_km=["100", "100", "300", "unknown"],
        bearing=["90", "90", "E", "90"],
    )
    plan = detect_columns(t.column_names)
    assert plan.sources == ("where", "latlon", "launch")  # the wording first (issue 14)
    assert detect_columns(t.column_names, {"prefer": "coordinates"}).sources == (
        "latlon", "where", "launch",
    )  # fmt: skip
    out = check_table(t, checker, CheckSettings(plan)).to_pylist()
    assert [json.loads(r["input"])["kind"] if r["input"] else None for r in out] == [
        "lat_lon", "coordinates", "launch", None,
    ]  # fmt: skip
    d = checker.check(launch=(30.0, 138.0), range_km=300, bearing_deg="E").to_dict()
    assert (out[2]["eezcheck.lat"] if "eezcheck.lat" in out[2] else out[2]["lat"]) == d["lat"]
    assert out[3]["error"] == (
        "no impact point: impact_description is empty; impact_lat and impact_lon are empty; "
        "cannot derive it from launch_lat/launch_lon + range_km along bearing: range_km is "
        "'unknown', not a distance in km"
    )


def test_uncertainty_column_and_default(checker):
    t = _table(
        lat=["28", "28", "28"], lon=["143.5", "143.5", "143.5"], uncertainty_km=["", "200", "-3"]
    )
    plan = detect_columns(t.column_names)
    out = check_table(t, checker, CheckSettings(plan, uncertainty_km=50.0)).to_pylist()
    # the input already has uncertainty_km: the result column is prefixed
    assert out[0]["eezcheck.uncertainty_km"] == 50.0 and out[1]["eezcheck.uncertainty_km"] == 200.0
    assert out[1]["p_inside"] == checker.check(28, 143.5, uncertainty_km=200).p_inside
    assert out[1]["japan_eez"] == "uncertain"
    assert "uncertainty '-3'" in out[2]["error"]


def test_trajectory_columns(checker):
    t = _table(lat=["28"] * 4, lon=["138"] * 4, range_km=["1000", "960", "unknown", "1000"],
               apogee_km=["", "4500", "", "7000"])  # fmt: skip
    out = check_table(t, checker, CheckSettings(detect_columns(t.column_names))).to_pylist()
    assert out[0]["trajectory.kind"] == "minimum_energy"
    assert out[0]["trajectory.flight_time_min"] == pytest.approx(7.9, abs=0.05)
    assert out[1]["trajectory.kind"] == "lofted" and out[1]["trajectory.lower_bound"] is True
    assert out[1]["trajectory.equivalent_min_energy_range_km"] == pytest.approx(10055, abs=1)
    assert out[2]["trajectory.note"] == "range_km is 'unknown': no trajectory"
    assert out[3]["trajectory.kind"] is None and "circular speed" in out[3]["trajectory.note"]
    assert all(r["error"] is None for r in out)  # a refused trajectory is not a row error


def test_geometry_column_is_the_point(checker):
    import shapely

    wkb = [shapely.to_wkb(shapely.Point(138, 28)), None, shapely.to_wkb(shapely.box(0, 0, 1, 1))]
    t = pa.table({"name": ["a", "b", "c"], "geometry": pa.array(wkb, pa.binary())})
    plan = detect_columns(["name"], geometry="geometry")
    out = check_table(t, checker, CheckSettings(plan)).to_pylist()
    assert out[0]["japan_eez"] == "inside"
    assert out[1]["error"] == "no impact point: geometry is empty"
    assert out[2]["error"] == "geometry is a Polygon, not a point: give one point per row"


# --------------------------------------------------------------------------- input formats


ROWS = [["name", "lat", "lon"]] + [[f"p{i}", lat, lon] for i, (lat, lon, _) in enumerate(POINTS)]
VERDICTS = [v for _, _, v in POINTS]


@pytest.mark.parametrize(
    "encoding, delimiter, suffix",
    [
        ("utf-8", ",", ".csv"),
        ("utf-8-sig", ",", ".csv"),
        ("cp932", ",", ".csv"),
        ("utf-16", "\t", ".txt"),
        ("utf-8", "\t", ".tsv"),
        ("utf-8", ";", ".csv"),
    ],
)
def test_csv_encodings_and_delimiters(tmp_path, square, encoding, delimiter, suffix):
    rows = [["名前", "緯度", "経度"]] + [[f"地点{i}", a, b] for i, (a, b, _) in enumerate(POINTS)]
    src = write_csv(tmp_path / f"in{suffix}", rows, encoding, delimiter)
    s = batch(src, tmp_path / "out.csv", square)
    out = read_out(tmp_path / "out.csv")
    assert [r["japan_eez"] for r in out] == VERDICTS
    assert [r["名前"] for r in out] == [f"地点{i}" for i in range(len(POINTS))]
    assert s.rows == len(POINTS) and s.errors == 0


def test_wrong_or_unknown_encoding(tmp_path, square):
    src = write_csv(tmp_path / "in.csv", [["名前", "lat", "lon"], ["佐渡", "28", "138"]], "cp932")
    with pytest.raises(TableFormatError, match=r"line 1: not UTF-8 text .*--encoding"):
        batch(src, tmp_path / "o.csv", square, encoding="utf-8")
    with pytest.raises(TableFormatError, match="unknown encoding 'klingon'"):
        batch(src, tmp_path / "o.csv", square, encoding="klingon")
    assert not (tmp_path / "o.csv").exists()


def test_csv_quoted_newlines_ragged_rows_blank_lines(tmp_path, square):
    text = (
        'name,lat,lon\n"multi\nline, with comma",28,138\n\nshort,28\n'
        'long,28,147,extra,more\n"say ""hi""",33,144.5\n'
    )
    src = tmp_path / "in.csv"
    src.write_text(text, encoding="utf-8")
    batch(src, tmp_path / "out.csv", square)
    out = read_out(tmp_path / "out.csv")
    assert [r["name"] for r in out] == ["multi\nline, with comma", "short", "long", 'say "hi"']
    assert out[0]["japan_eez"] == "inside"
    assert out[1]["error"] == "no impact point: lat and lon are empty" or "lon" in out[1]["error"]
    assert out[2]["error"].startswith("this row has 5 fields but the header has 3")
    assert out[3]["japan_eez"] == "disputed"


def test_unclosed_quote_names_its_line(tmp_path, square):
    src = tmp_path / "in.csv"
    src.write_text('name,lat,lon\na,28,138\n"b,28,138\nc,28,138\n', encoding="utf-8")
    with pytest.raises(
        TableFormatError, match=r"line 3: a quoted field starts on this line and is never closed"
    ):
        batch(src, tmp_path / "out.csv", square)
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("content", [b"", b"\n\n", b"\xef\xbb\xbf"])
def test_empty_table_is_an_error(tmp_path, square, content):
    src = tmp_path / "in.csv"
    src.write_bytes(content)
    with pytest.raises(TableFormatError, match="is empty: there is no header line"):
        batch(src, tmp_path / "out.csv", square)


def test_header_only_gives_header_only(tmp_path, square):
    src = write_csv(tmp_path / "in.csv", [["lat", "lon"]])
    s = batch(src, tmp_path / "out.csv", square, fields="verdict")
    assert s.rows == 0
    assert (tmp_path / "out.csv").read_text().splitlines() == [
        '"lat","lon","eezcheck.lat","eezcheck.lon","zone","japan_eez","japan_area","warning","error"'
    ]


def test_excel_input(tmp_path, square):
    import datetime

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "events"
    ws.append(["date", "lat", "lon", "note"])
    ws.append([datetime.date(2017, 7, 4), 28, 138.0, None])
    ws.append([None, None, None, None])  # an empty row is not a row
    ws.append([datetime.datetime(2017, 7, 5, 12, 30), 28.0, "147", "text"])
    ws.append(["x", "bad", 1, True])
    wb.create_sheet("other").append(["lat", "lon"])
    wb.active = 0
    src = tmp_path / "in.xlsx"
    wb.save(src)
    s = batch(src, tmp_path / "out.csv", square)
    out = read_out(tmp_path / "out.csv")
    assert [r["date"] for r in out] == ["2017-07-04", "2017-07-05 12:30:00", "x"]
    assert [r["lat"] for r in out] == ["28", "28", "bad"]
    assert [r["japan_eez"] for r in out] == ["inside", "outside", ""]
    assert out[2]["note"] == "TRUE" and s.errors == 1
    with pytest.raises(
        TableFormatError, match=r"has no sheet 'nope'; its sheets are \['events', 'other'\]"
    ):
        batch(src, tmp_path / "o2.csv", square, sheet="nope")


def test_geojson_input_point_geometry(tmp_path, square):
    fc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": "a", "n": 1}, "geometry": {"type": "Point", "coordinates": [138, 28]}},
            {"type": "Feature", "properties": {"name": "b", "n": 2.5}, "geometry": None},
            {"type": "Feature", "properties": {"name": "c", "n": {"x": 1}}, "geometry": {"type": "Point", "coordinates": [147, 28]}},
        ],
    }  # fmt: skip
    src = tmp_path / "in.geojson"
    src.write_text(json.dumps(fc), encoding="utf-8")
    batch(src, tmp_path / "out.geojson", square)
    out = json.loads((tmp_path / "out.geojson").read_text(encoding="utf-8"))
    feats = out["features"]
    assert [f["properties"]["japan_eez"] for f in feats] == ["inside", None, "outside"]
    assert feats[0]["geometry"] == {"type": "Point", "coordinates": [138.0, 28.0]}
    assert (
        feats[1]["geometry"] is None
        and feats[1]["properties"]["error"] == "no impact point: geometry is empty"
    )
    assert feats[2]["properties"]["n"] == '{"x": 1}'  # mixed types become JSON text
    assert out["eezcheck"]["boundaries"]["dataset"] == "Synthetic square island"


def test_geojson_syntax_error_names_line(tmp_path, square):
    src = tmp_path / "in.geojson"
    src.write_text('{"type": "FeatureCollection",\n "features": [\n {"type": }]}', encoding="utf-8")
    with pytest.raises(TableFormatError, match=r"line 3 column 11: not valid JSON"):
        batch(src, tmp_path / "out.csv", square)


def test_parquet_in_and_out(tmp_path, square):
    t = pa.table(
        {
            "id": pa.array([1, 2, 3], pa.int64()),
            "lat": [28.0, 28.0, None],
            "lon": [138.0, 147.0, 1.0],
        }
    )
    pq.write_table(t, tmp_path / "in.parquet")
    batch(tmp_path / "in.parquet", tmp_path / "out.parquet", square)
    out = pq.read_table(tmp_path / "out.parquet")
    assert out.column("id").type == pa.int64() and out.column("id").to_pylist() == [1, 2, 3]
    assert out.column("japan_eez").to_pylist() == ["inside", "outside", None]
    geo = json.loads(out.schema.metadata[b"geo"])
    assert geo["primary_column"] == "geometry" and geo["columns"]["geometry"]["encoding"] == "WKB"
    import shapely

    g = shapely.from_wkb(out.column("geometry").to_pylist()[0])
    assert (g.x, g.y) == (138.0, 28.0) and out.column("geometry").to_pylist()[2] is None
    # GeoParquet in: its geometry column is the point when there are no lat/lon columns
    g_in = pa.table({"name": ["x"], "geometry": pa.array([shapely.to_wkb(shapely.Point(147, 28))])})
    g_in = g_in.replace_schema_metadata({b"geo": json.dumps({"version": "1.0.0", "primary_column": "geometry",
                                                            "columns": {"geometry": {"encoding": "WKB"}}})})  # fmt: skip
    pq.write_table(g_in, tmp_path / "g.parquet")
    batch(tmp_path / "g.parquet", tmp_path / "g.csv", square)
    assert read_out(tmp_path / "g.csv")[0]["japan_eez"] == "outside"
    assert read_out(tmp_path / "g.csv")[0]["geometry"] == "POINT (147 28)"


@pytest.mark.parametrize("fmt", ["csv", "tsv", "geojson", "parquet"])
def test_output_formats_keep_rows_and_order(tmp_path, square, fmt):
    src = write_csv(tmp_path / "in.csv", ROWS)
    out = tmp_path / f"out.{fmt}"
    batch(src, out, square)
    if fmt in ("csv", "tsv"):
        with open(out, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t" if fmt == "tsv" else ","))
        verdicts, names = [r["japan_eez"] for r in rows], [r["name"] for r in rows]
    elif fmt == "geojson":
        feats = json.loads(out.read_text(encoding="utf-8"))["features"]
        verdicts = [f["properties"]["japan_eez"] for f in feats]
        names = [f["properties"]["name"] for f in feats]
    else:
        t = pq.read_table(out)
        verdicts, names = t.column("japan_eez").to_pylist(), t.column("name").to_pylist()
    assert verdicts == VERDICTS
    assert names == [r[0] for r in ROWS[1:]]


def test_output_format_from_extension_or_error(tmp_path, square):
    src = write_csv(tmp_path / "in.csv", ROWS)
    with pytest.raises(
        TableFormatError, match="cannot tell the output format of .* from its extension"
    ):
        batch(src, tmp_path / "out.xyz", square)
    batch(src, tmp_path / "out.xyz", square, output_format="geojson")
    assert json.loads((tmp_path / "out.xyz").read_text())["type"] == "FeatureCollection"


# --------------------------------------------------------------------------- chunking


def _many_rows(n: int) -> list[list[str]]:
    rows = [["id", "lat", "lon", "note"]]
    for i in range(n):
        lat, lon, _ = POINTS[i % len(POINTS)]
        note = 'with "quotes", commas\nand newlines' if i % 7 == 0 else ("" if i % 5 else "bad")
        rows.append([str(i), lat if i % 11 else "x", lon, note])
    return rows


@pytest.mark.parametrize("fmt", ["csv", "geojson", "parquet"])
def test_any_chunking_gives_the_same_bytes(tmp_path, square, fmt):
    src = write_csv(tmp_path / "in.csv", _many_rows(400))
    a, b = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    batch(src, a, square, range_bytes=300)
    batch(src, b, square, range_bytes=1 << 24)
    assert a.read_bytes() == b.read_bytes()
    assert (
        len(
            rd.split_ranges(
                str(src), rd.CsvSource(str(src), str(src), "csv", None, None, 300).dialect, 300
            )
        )
        > 10
    )


def test_split_ranges_end_on_record_boundaries(tmp_path):
    src = write_csv(tmp_path / "in.csv", _many_rows(200))
    s = rd.CsvSource(str(src), str(src), "csv", None, None, 100)
    ranges = s.parts()
    assert ranges[0][0] == s.dialect.data_offset and ranges[-1][1] == src.stat().st_size
    assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:]))
    rows = [r for part in ranges for r in s.read_part(part).table.to_pylist()]
    assert [r["id"] for r in rows] == [str(i) for i in range(200)]


# --------------------------------------------------------------------------- atomic output


def test_existing_output_is_refused_and_kept(tmp_path, square):
    src = write_csv(tmp_path / "in.csv", ROWS)
    out = tmp_path / "out.csv"
    out.write_text("precious")
    with pytest.raises(FileOverwriteError, match="exists; use --overwrite to replace it"):
        batch(src, out, square)
    assert out.read_text() == "precious"
    batch(src, out, square, overwrite=True)
    assert read_out(out)[0]["japan_eez"] == "inside"


@pytest.mark.parametrize("threads", [1, 2])
def test_failure_mid_run_leaves_no_partial_file(tmp_path, square, monkeypatch, threads):
    src = write_csv(tmp_path / "in.csv", _many_rows(300))
    real = pieces.check_piece
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # as Ctrl-C would, in the middle of the run
        return real(*args, **kwargs)

    monkeypatch.setattr(pieces, "check_piece", flaky)
    with pytest.raises(KeyboardInterrupt):
        batch(src, tmp_path / "out.csv", square, range_bytes=500, threads=threads)
    # in threads, the pieces already submitted (at most ``threads`` more) may still run
    assert calls["n"] == 3 if threads == 1 else 3 <= calls["n"] <= 3 + threads
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


@pytest.mark.parametrize("threads", [2, 3])
def test_reader_error_mid_run_is_raised_and_its_thread_stops(tmp_path, square, monkeypatch, threads):
    """The local engine reads ahead in a thread: an error there is the run's error, no output
    is left, and the reading thread is gone when run_batch returns."""
    import threading

    from eezcheck.batch import csvtable

    src = write_csv(tmp_path / "in.csv", _many_rows(300))
    real = csvtable.CsvSource.read_part
    calls = {"n": 0}

    def broken(self, part):
        calls["n"] += 1
        if calls["n"] == 4:
            raise TableFormatError("the disk went away")
        return real(self, part)

    monkeypatch.setattr(csvtable.CsvSource, "read_part", broken)
    with pytest.raises(TableFormatError, match="the disk went away"):
        batch(src, tmp_path / "out.csv", square, range_bytes=500, threads=threads)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]
    assert not [t for t in threading.enumerate() if t.name.startswith("eezcheck-batch")]


def test_threads_give_the_same_bytes(tmp_path, square):
    src = write_csv(tmp_path / "in.csv", _many_rows(300))
    outs = []
    for threads in (1, 3):
        out = tmp_path / f"out{threads}.csv"
        s = batch(src, out, square, range_bytes=500, threads=threads)
        outs.append(out.read_bytes())
        assert s.rows == 300
    assert outs[0] == outs[1]


def test_strict_stops_at_first_bad_row_and_writes_nothing(tmp_path, square):
    import threading

    src = write_csv(tmp_path / "in.csv", _many_rows(30))
    with pytest.raises(RowError, match=r"^row 1: cannot read coordinates"):
        batch(src, tmp_path / "out.csv", square, strict=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]
    # many pieces, read ahead in a thread: stopping at the first one stops the reader too
    src = write_csv(tmp_path / "in.csv", _many_rows(300))
    with pytest.raises(RowError, match=r"^row 1: cannot read coordinates"):
        batch(src, tmp_path / "out.csv", square, strict=True, range_bytes=500, threads=2)
    assert not [t for t in threading.enumerate() if t.name.startswith("eezcheck-batch")]


def test_stdin_and_stdout_streams(square):
    src = io.BytesIO(b"lat,lon\n28,138\n28,147\n")
    out = io.BytesIO()
    s = run_batch("-", "-", boundaries=square, stdin=src, stdout=out, fields="verdict")
    lines = out.getvalue().decode().splitlines()
    assert len(lines) == 3 and lines[1].endswith('"eez","inside","eez",,') and s.rows == 2


# --------------------------------------------------------------------------- real tables


@pytest.fixture(scope="module")
def real_boundaries() -> str | None:
    try:
        get_checker(None)
        return None
    except Exception:
        mr = SHARED / "reference" / "marineregions_eez_v12_japan_region.geojson"
        if not mr.exists():
            pytest.skip("no boundary data")
        return str(mr)


def test_cns_table_end_to_end(tmp_path, real_boundaries):
    if not CNS.exists():
        pytest.skip("CNS table not found")
    out = tmp_path / "cns.csv"
    lines: list[str] = []
    s = run_batch(str(CNS), str(out), boundaries=real_boundaries, on_info=lines.append)
    with open(CNS, encoding="utf-8", newline="") as fh:
        original = list(csv.reader(fh))
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == len(original) == 340  # header + 339 rows, none lost
    header = rows[0]
    n_in = len(original[0])
    assert header[:n_in] == original[0]
    assert [r[:n_in] for r in rows[1:]] == original[1:]  # input columns unchanged, in order
    verdict, error = header.index("japan_eez"), header.index("error")
    for r in rows[1:]:
        assert bool(r[verdict]) != bool(r[error]), r  # a verdict or an error, never both/neither
        if r[error]:
            assert "distance_km is" in r[error]  # why: no landing point and no usable distance
    assert s.rows == 339 and s.errors == sum(1 for r in rows[1:] if r[error])
    assert sum(s.verdicts.values()) + s.errors == 339
    assert s.verdicts["inside"] > 10
    assert any("nagix_derived_landing_lat" in line for line in lines)
    flight = header.index("trajectory.flight_time_min")
    assert sum(1 for r in rows[1:] if r[flight]) > 200


def test_mod_table_uses_the_wording_first(tmp_path, real_boundaries):
    if not MOD.exists():
        pytest.skip("MoD table not found")
    out = tmp_path / "mod.csv"
    s = run_batch(str(MOD), str(out), boundaries=real_boundaries)
    rows = read_out(out)
    assert s.rows == len(rows) == 29
    for r in rows:
        assert bool(r["japan_eez"]) != bool(r["error"])
        if r["error"]:  # neither the wording nor the other columns give a point
            assert len(r["error"]) > 40
            assert r["error"].lower().count("did you mean") <= 1
        else:  # the wording first (or the compiled columns read as one), never the coordinates
            assert json.loads(r["input"])["kind"] == "wording"
            assert r["agrees_with_report"] in ("agree", "uncertain", "")
    verdicts = [r["agrees_with_report"] for r in rows]
    assert verdicts.count("agree") >= 5 and "contradicts" not in verdicts


def test_summary_to_dict(tmp_path, square):
    src = write_csv(tmp_path / "in.csv", ROWS + [["bad", "", ""]])
    s = batch(src, tmp_path / "out.csv", square)
    d = s.to_dict()
    assert (d["rows"], d["inside"], d["outside"], d["disputed"], d["errors"]) == (7, 3, 2, 1, 1)
    assert d["first_errors"] == [{"row": 7, "error": "no impact point: lat and lon are empty"}]
    assert d["columns"]["lat"] == "lat" and d["boundaries"]["dataset"] == "Synthetic square island"
    assert json.loads(json.dumps(d)) == d
    assert os.path.exists(tmp_path / "out.csv")
