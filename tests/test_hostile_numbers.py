"""One number and coordinate reading for the CLI, the library and batch (issue 11, item 4).

``14e1`` is 140 everywhere; longitudes beyond -180..180 / 0..360 are errors in every path (never
wrapped into a verdict); a sign and a hemisphere letter together are an error; the messages say
what was read.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from fixtures import synthetic as S

from eezcheck.batch import run_batch
from eezcheck.cli.main import cli
from eezcheck.errors import InvalidCoordinateError
from eezcheck.parsing import coordinate_problem, parse_coordinates, parse_lat_lon


@pytest.fixture(scope="module")
def square(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(S.make_user_dataset(tmp_path_factory.mktemp("square") / "set"))


def _cli_lon(square: str, lon: str) -> tuple[int, str]:
    r = CliRunner().invoke(cli, ["check", "--lat", "30.5", "--lon", lon, "--json",
                                 "--boundaries", square])  # fmt: skip
    return r.exit_code, r.output


def _batch_rows(tmp_path, square: str, cells: list[str]) -> list[dict[str, str]]:
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text("lat,lon\n" + "".join(f"30.5,{c}\n" for c in cells), encoding="utf-8")
    run_batch(str(src), str(out), boundaries=square)
    return list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))


@pytest.mark.parametrize(("cell", "lon"), [("14e1", 140.0), ("1.4E2", 140.0), ("1e2", 100.0),
                                           ("+140.5", 140.5), ("200", -160.0)])  # fmt: skip
def test_exponent_and_0_360_read_alike_in_cli_library_and_batch(tmp_path, square, cell, lon):
    code, out = _cli_lon(square, cell)
    assert code == 0, out
    answer = json.loads(out)
    assert answer["lon"] == lon
    assert parse_lat_lon("30.5", cell).lon == lon
    assert parse_coordinates(f"30.5 {cell}").lon == lon
    (row,) = _batch_rows(tmp_path, square, [cell])
    assert row["error"] == "" and row["japan_eez"] == answer["japan_eez"]
    assert float(row["distance_to_eez_limit_km"]) == answer["distance_to_eez_limit_km"]


@pytest.mark.parametrize("cell", ["498.5", "1e300", "-180.5", "360.001", "1e20", "15417268"])
def test_longitude_out_of_range_is_an_error_in_every_path(tmp_path, square, cell):
    code, out = _cli_lon(square, cell)
    assert code == 2 and "is outside -180..180 (or 0..360 east of Greenwich)" in out
    with pytest.raises(InvalidCoordinateError, match="outside -180..180"):
        parse_lat_lon("30.5", cell)
    with pytest.raises(InvalidCoordinateError, match="outside -180..180"):
        parse_coordinates(f"30.5 {cell}")
    (row,) = _batch_rows(tmp_path, square, [cell])
    assert row["japan_eez"] == "" and "outside -180..180" in row["error"]


def test_excel_number_out_of_range_is_an_error(tmp_path, square):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["lat", "lon"])
    wb.active.append([30.5, 1e20])
    wb.active.append([30.5, 140.5])
    src, out = tmp_path / "in.xlsx", tmp_path / "out.csv"
    wb.save(src)
    run_batch(str(src), str(out), boundaries=square)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert "outside -180..180" in rows[0]["error"] and rows[1]["error"] == ""


def test_projected_geometry_is_refused_not_wrapped(tmp_path, square):
    """An EPSG:3857 point given as lon/lat must not become a point near lon -92."""
    src, out = tmp_path / "in.geojson", tmp_path / "out.csv"
    feats = [{"type": "Feature", "properties": {"id": 1},
              "geometry": {"type": "Point", "coordinates": [15417268.0, 45.0]}}]  # fmt: skip
    src.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    run_batch(str(src), str(out), boundaries=square)
    (row,) = csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline=""))
    assert row["japan_eez"] == "" and "longitude 1.54173e+07 is outside" in row["error"]


@pytest.mark.parametrize("text", ["-41.3N 138.5E", "41.3N -138.5E", "-41.3S 138.5E"])
def test_sign_and_hemisphere_must_agree(text):
    with pytest.raises(InvalidCoordinateError, match="a minus sign and '[NSEW]' together"):
        parse_coordinates(text)


def test_cli_sign_and_hemisphere(square):
    r = CliRunner().invoke(cli, ["check", "--lat", "-41.3N", "--lon", "138.5", "--boundaries", square])
    assert r.exit_code == 2 and "a minus sign and 'N' together (-41.3N)" in r.output


def test_seconds_mark_message_says_what_was_read():
    with pytest.raises(InvalidCoordinateError, match=r'138.5" reads as 138.5 seconds'):
        parse_coordinates('41.3 138.5"')


def test_one_rule():
    assert coordinate_problem(138.5, 41.3) is None
    assert coordinate_problem(360.0, 0.0) is None and coordinate_problem(-180.0, 0.0) is None
    assert "latitude 91" in coordinate_problem(0.0, 91.0)
    assert "not a finite number" in coordinate_problem(float("nan"), 0.0)


# --------------------------------------------------------------------------- the library


def test_library_check_refuses_wrapped_longitudes(square):
    from eezcheck import check

    with pytest.raises(InvalidCoordinateError, match="longitude 498.5 is outside -180..180"):
        check(41.3, 498.5, boundaries=square)
    with pytest.raises(InvalidCoordinateError, match="outside -180..180"):
        check(41.3, 1e300, boundaries=square)
    assert check(30.5, 140.5 + 360 - 360, boundaries=square).lon == 140.5
    assert check(30.5, "14e1", boundaries=square).lon == 140.0


def test_check_many_checks_shapes_masks_and_text(square):
    import numpy as np

    from eezcheck import check_many

    with pytest.raises(InvalidCoordinateError, match=r"differ in length or shape \(\(3, 1\) vs \(1, 3\)\)"):
        check_many(np.full((3, 1), 30.5), np.full((1, 3), 140.5), boundaries=square)
    lats = np.ma.masked_array([30.5, 30.5], mask=[False, True])
    with pytest.raises(InvalidCoordinateError, match="point 1 is masked"):
        check_many(lats, [140.5, 140.5], boundaries=square)
    res = check_many(["30.5N"], ["140.5E"], boundaries=square)
    assert res.row(0).lon == 140.5
    with pytest.raises(InvalidCoordinateError, match="outside -180..180"):
        check_many([30.5, 30.5], [140.5, 498.5], boundaries=square)


@pytest.mark.parametrize("value", ["20000", "1e308", "1000.5"])
def test_uncertainty_is_bounded(square, value):
    from eezcheck import check
    from eezcheck.errors import InvalidInputError

    with pytest.raises(InvalidInputError, match="too large: give a radius of at most 1,000 km"):
        check(30.5, 140.5, uncertainty_km=float(value), boundaries=square)
    r = CliRunner().invoke(cli, ["check", "30.5", "140.5", "--uncertainty-km", value,
                                 "--boundaries", square])  # fmt: skip
    assert r.exit_code == 2 and "at most 1,000 km" in r.output


@pytest.mark.parametrize("value", ["400", "-5", "360.5"])
def test_bearing_outside_0_360_is_a_usage_error(square, value):
    r = CliRunner().invoke(cli, ["check", "--from", "sunan", "--range-km", "500", "--bearing",
                                 value, "--boundaries", square])  # fmt: skip
    assert r.exit_code == 2 and f"bearing {value!r} is outside 0..360 degrees" in r.output
