"""Hostile and damaged batch inputs give a one-line message, never a traceback or a hang, and
never a verdict for a value that is not a point (issue 11, items 4, 8 and 9)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import threading

import pytest
from click.testing import CliRunner
from fixtures import synthetic as S

from eezcheck.batch import run_batch
from eezcheck.cli.main import cli
from eezcheck.errors import TableFormatError


@pytest.fixture(scope="module")
def square(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(S.make_user_dataset(tmp_path_factory.mktemp("square") / "set"))


def _geojson(tmp_path, geometries):
    p = tmp_path / "in.geojson"
    feats = [{"type": "Feature", "properties": {"id": i}, "geometry": g}
             for i, g in enumerate(geometries)]  # fmt: skip
    p.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    return p


def _out_rows(path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        ({"type": "Point", "coordinates": [True, False]}, "must be [longitude, latitude] numbers"),
        ({"type": "Point", "coordinates": [[138.5, 41.3]]}, "must be [longitude, latitude] numbers"),
        ({"type": "Circle", "coordinates": [140.5, 30.5]}, "unknown geometry type 'Circle'"),
        ("POINT (140.5 30.5)", "not an object with 'type'"),
        # shapely's own words named Python types ("'int' object is not iterable", "A
        # linearring requires at least 4 coordinates."): now GeoJSON's
        ({"type": "Polygon", "coordinates": [[[138, 41], [139, 41]]]},
         "a Polygon's rings need at least 4 positions, the first repeated as the last"),
        ({"type": "LineString", "coordinates": [[138, 41]]}, "a LineString needs at least 2 positions"),
        ({"type": "MultiPoint", "coordinates": [1, 2]},
         "a MultiPoint's coordinates must be nested lists of [longitude, latitude] numbers, not [1, 2]"),
        ({"type": "LineString"}, "a LineString needs a 'coordinates' member"),
        ({"type": "Polygon", "coordinates": "x"}, 'a Polygon\'s coordinates must be nested lists of [longitude, latitude] numbers, not "x"'),
    ],
)
def test_bad_geojson_geometry_gets_no_verdict(tmp_path, square, geometry, message):
    src = _geojson(tmp_path, [geometry, {"type": "Point", "coordinates": [140.5, 30.5]}])
    out = tmp_path / "o.csv"
    run_batch(str(src), str(out), boundaries=square)
    rows = _out_rows(out)
    assert rows[0]["japan_eez"] == "" and message in rows[0]["error"]
    assert rows[1]["error"] == ""
    for internal in ("object is not", "NoneType", "linearring", "Exception", "could not convert"):
        assert internal not in rows[0]["error"]


def test_geojson_nested_100000_deep_is_a_message(tmp_path, square):
    src = tmp_path / "deep.geojson"
    src.write_text('{"type": "FeatureCollection", "features": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(TableFormatError, match="nested too deeply"):
        run_batch(str(src), str(tmp_path / "o.csv"), boundaries=square)


def test_encoding_that_is_not_a_text_encoding(tmp_path, square):
    src = tmp_path / "in.csv"
    src.write_text("lat,lon\n30.5,140.5\n")
    r = CliRunner().invoke(cli, ["batch", str(src), "-o", str(tmp_path / "o.csv"), "--encoding",
                                 "rot13", "--boundaries", square])  # fmt: skip
    assert r.exit_code == 1 and "'rot13' is not a text encoding" in r.output  # unreadable table: 1


def test_excel_whose_active_sheet_is_a_chart(tmp_path, square):
    import openpyxl
    from openpyxl.chart import BarChart, Reference

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "data"
    ws.append(["lat", "lon"])
    ws.append([30.5, 140.5])
    cs = wb.create_chartsheet("chart")
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=1, min_row=1, max_row=2))
    cs.add_chart(chart)
    wb.active = 1
    src = tmp_path / "chart.xlsx"
    wb.save(src)
    r = CliRunner().invoke(cli, ["batch", str(src), "-o", str(tmp_path / "o.csv"),
                                 "--boundaries", square])  # fmt: skip
    assert r.exit_code == 1 and "is a chart, not a table: give --sheet with one of ['data']" in r.output


def test_fifo_input_is_read_as_a_stream(tmp_path, square):
    fifo = tmp_path / "in.fifo"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_text("id,lat,lon\n1,30.5,140.5\n2,28,147\n"))
    writer.start()
    out = tmp_path / "o.csv"
    s = run_batch(str(fifo), str(out), boundaries=square, input_format="csv")
    writer.join(30)
    assert s.rows == 2 and [r["id"] for r in _out_rows(out)] == ["1", "2"]


def test_process_substitution_is_not_empty(tmp_path, square):
    src, out = tmp_path / "in.csv", tmp_path / "o.csv"
    src.write_text("id,lat,lon\n1,30.5,140.5\n")
    script = f'eezcheck batch <(cat {src}) -o {out} --format csv --boundaries {square}'
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    exe = os.path.dirname(sys.executable)
    env["PATH"] = exe + os.pathsep + env.get("PATH", "")
    r = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert [row["id"] for row in _out_rows(out)] == ["1"]


@pytest.mark.parametrize("how", ["option", "env"])
def test_fifo_as_boundary_data_is_a_message_not_a_hang(tmp_path, monkeypatch, how):
    fifo = tmp_path / "zones.fifo"
    os.mkfifo(fifo)
    args = ["check", "30.5", "140.5"]
    if how == "option":
        args += ["--boundaries", str(fifo)]
    else:
        monkeypatch.setenv("EEZCHECK_DATA", str(fifo))
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 1 and "is not a regular file or folder (a FIFO or a device)" in r.output


def test_map_table_keeps_rows_with_unicode_line_separators(tmp_path, square):
    """U+2028, form feed, NEL and RS inside cells: one event per row (batch's reader)."""
    src = tmp_path / "sep.csv"
    src.write_bytes(b'name,lat,lon\n"a\xe2\x80\xa8b",30.5,140.5\n"c\x0cd\xc2\x85e\x1ef",28,147\n')
    r = CliRunner().invoke(cli, ["map", "--table", str(src), "-o", str(tmp_path / "m.html"),
                                 "--boundaries", square])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "2 of 2 event(s) drawn" in r.output


def test_trajectory_below_float_resolution_is_a_message():
    r = CliRunner().invoke(cli, ["trajectory", "--range-km", "1e-300", "--apogee-km", "1e-300"])
    assert r.exit_code == 2 and "too small for the model" in r.output, r.output


def test_csv_as_boundaries_is_a_message(tmp_path):
    """A table of points given as --boundaries: GDAL reads it with no geometry (a traceback
    'object of type NoneType has no len()' before)."""
    pts = tmp_path / "pts.csv"
    pts.write_text("lat,lon\n41.3,138.5\n")
    r = CliRunner().invoke(cli, ["check", "41.3", "138.5", "--boundaries", str(pts)])
    assert r.exit_code == 1, r.output
    assert r.stderr == (
        f"Error: Boundary file '{pts}' has no geometry (a table without polygons; points to check "
        "are batch input: eezcheck batch FILE). Give polygons: a GeoPackage, Shapefile or GeoJSON.\n"
    )


def test_boundaries_without_a_japanese_zone_is_a_message(tmp_path):
    """A boundary file of Korea's EEZ only ('ValueError: no lines to measure distances to')."""
    p = tmp_path / "kor.geojson"
    p.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"zone_type": "eez", "states": "KOR", "name": "x"},
        "geometry": {"type": "Polygon", "coordinates": [[[125, 33], [130, 33], [130, 38], [125, 38], [125, 33]]]},
    }]}))  # fmt: skip
    r = CliRunner().invoke(cli, ["check", "41.3", "138.5", "--boundaries", str(p)])
    assert r.exit_code == 1, r.output
    assert r.stderr.startswith(f"Error: Boundary data '{p}' has no zone of Japan (no eez, territorial_sea")
    assert len(r.stderr.splitlines()) == 1


def test_gdal_notes_on_a_boundary_file_name_the_file_not_python(tmp_path, caplog):
    """GDAL's RuntimeWarning (with pyogrio's source path) becomes a warning naming the file."""
    from eezcheck.boundary_readers import load_user_file
    from eezcheck.errors import BoundaryDataError

    p = tmp_path / "bad.geojson"
    p.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"zone_type": "eez", "states": "JPN"},
        "geometry": {"type": "Polygon", "coordinates": [[[125, 33], [130]]]},
    }]}))  # fmt: skip
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing reaches Python's warnings
        with caplog.at_level("WARNING", logger="eezcheck"), pytest.raises(BoundaryDataError, match="no usable polygons"):
            load_user_file(p)
    notes = [r.getMessage() for r in caplog.records]
    assert notes and all(n.startswith(f"Boundary file {str(p)!r}: ") for n in notes), notes
    assert not any("pyogrio" in n or ".py" in n.split(": ", 1)[1] for n in notes)
