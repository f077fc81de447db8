"""``eezcheck map --table`` reads a table as ``eezcheck batch`` does (issue 12, item 1): every
format and encoding batch reads, the file's own CRS or ``--crs``, the same column detection
(a ``launch`` column included); and the events it draws are the ones batch checks, with the
same verdicts and, for the rows batch cannot check, batch's own error as the reason.

The points lie 50-300 m either side of the synthetic square's EEZ limit, given in the Tokyo
datum (EPSG:4301, about 400 m off there): a reader that assumed WGS84 would get many verdicts
wrong, so the test fails unless the CRS is read and applied.
"""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from fixtures import synthetic as S
from fixtures.mappage import calls

pytest.importorskip("js_lib_leaflet")

from eezcheck.cli.main import cli  # noqa: E402

TOKYO = "EPSG:4301"


def _points() -> tuple[np.ndarray, np.ndarray]:
    """WGS84 points either side of the square's west EEZ limit (137° E)."""
    lat = np.repeat([28.5, 30.0, 32.0], 8)
    offsets_km = np.tile([-0.3, -0.2, -0.1, -0.05, 0.05, 0.1, 0.2, 0.3], 3)
    return 137.0 + offsets_km / (111.32 * np.cos(np.radians(lat))), lat


@pytest.fixture(scope="module")
def points() -> dict[str, object]:
    from pyproj import Transformer

    lon, lat = _points()
    x, y = Transformer.from_crs("EPSG:4326", TOKYO, always_xy=True).transform(lon, lat)
    names = [f"発射 {i + 1}" for i in range(len(lon))]  # Japanese: the encoding matters
    return {"lon": lon, "lat": lat, "x": x, "y": y, "names": names}


def _truth(square: str, points: dict) -> list[str]:
    from eezcheck.checker import check_many

    res = check_many(points["lat"], points["lon"], boundaries=square)
    return [res.row(i).japan_eez.value for i in range(len(res))]


def _write(kind: str, folder: Path, p: dict) -> tuple[Path, list[str]]:
    """The Tokyo-datum points as a table of ``kind``; the extra CLI arguments it needs."""
    rows = list(zip(p["names"], p["y"], p["x"]))
    header = ["name", "lat", "lon"]
    if kind in ("utf-8", "utf-8-sig", "cp932", "utf-16", "tsv"):
        sep = "\t" if kind == "tsv" else ","
        text = sep.join(header) + "\n" + "".join(f"{n}{sep}{float(a)!r}{sep}{float(o)!r}\n" for n, a, o in rows)
        path = folder / ("t.tsv" if kind == "tsv" else f"t-{kind}.csv")
        path.write_bytes(text.encode("utf-8" if kind == "tsv" else kind))
        return path, ["--crs", TOKYO]
    if kind == "xlsx":
        openpyxl = pytest.importorskip("openpyxl")
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(header)
        for r in rows:
            ws.append([r[0], float(r[1]), float(r[2])])
        path = folder / "t.xlsx"
        wb.save(path)
        return path, ["--crs", TOKYO]
    if kind == "geojson":  # a legacy crs member: read, never assumed
        features = [
            {"type": "Feature", "properties": {"name": n},
             "geometry": {"type": "Point", "coordinates": [float(o), float(a)]}}
            for n, a, o in rows
        ]  # fmt: skip
        path = S.write_json(folder / "t.geojson", S.feature_collection(features, crs="urn:ogc:def:crs:EPSG::4301"))
        return path, []
    gpd = pytest.importorskip("geopandas")
    import shapely

    frame = gpd.GeoDataFrame({"name": p["names"]}, geometry=shapely.points(p["x"], p["y"]), crs=TOKYO)
    path = folder / {"geoparquet": "t.parquet", "gpkg": "t.gpkg", "shp": "t.shp", "zip": "t.shp"}[kind]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if kind == "geoparquet":
            frame.to_parquet(path)
        else:
            frame.to_file(path, encoding="utf-8")
    if kind == "zip":  # a Shapefile as it is usually sent: its files in one zip
        import zipfile

        with zipfile.ZipFile(folder / "t.zip", "w") as z:
            for part in folder.glob("t.*"):
                if part.suffix != ".zip":
                    z.write(part, part.name)
        return folder / "t.zip", []
    return path, []


def _batch_verdicts(path: Path, extra: list[str], square: str, out: Path) -> list[str]:
    res = CliRunner().invoke(cli, ["batch", str(path), "-o", str(out), "--boundaries", square, "--fields", "verdict", *extra])
    assert res.exit_code == 0, res.output
    with open(out, encoding="utf-8", newline="") as fh:
        return [r["japan_eez"] for r in csv.DictReader(fh)]


def _map_events(path: Path, extra: list[str], square: str, out: Path) -> tuple[list[dict], str]:
    res = CliRunner().invoke(cli, ["map", "--table", str(path), "-o", str(out), "--boundaries", square, *extra])
    assert res.exit_code == 0, res.output
    items = [it for c in calls(out.read_text(encoding="utf-8"), "events") for it in c[0]]
    return items, res.stderr


FORMATS = ["utf-8", "utf-8-sig", "cp932", "utf-16", "tsv", "xlsx", "geojson", "geoparquet", "gpkg", "shp", "zip"]


@pytest.mark.parametrize("kind", FORMATS)
def test_map_table_draws_what_batch_checks_in_every_format(kind, points, square, tmp_path):
    path, extra = _write(kind, tmp_path, points)
    truth = _truth(square, points)
    assert _batch_verdicts(path, extra, square, tmp_path / "out.csv") == truth
    items, err = _map_events(path, extra, square, tmp_path / "m.html")
    n = len(truth)
    assert f"{n} of {n} event(s) drawn" in err, err
    assert "eezcheck map: crs: EPSG:4301 (Tokyo) from " in err and "transformed to WGS84 with pyproj" in err
    by_name = {it["tip"].split(" (")[0]: it for it in items}
    assert [by_name[name]["v"] for name in points["names"]] == truth
    # drawn where batch checked: the WGS84 point, not the Tokyo-datum numbers
    drawn = np.array([by_name[name]["p"] for name in points["names"]])
    assert np.allclose(drawn[:, 0], points["lat"], atol=1e-4) and np.allclose(drawn[:, 1], points["lon"], atol=1e-4)


def test_map_table_without_crs_reads_wgs84_columns(points, square, tmp_path):
    """The same CSV without --crs is read as WGS84 (the default, as batch): many verdicts then
    differ from the truth, so the test above proves the CRS was applied."""
    path, _ = _write("utf-8", tmp_path, points)
    items, err = _map_events(path, [], square, tmp_path / "m.html")
    assert "crs:" not in err
    by_name = {it["tip"].split(" (")[0]: it["v"] for it in items}
    wrong = sum(by_name[n] != t for n, t in zip(points["names"], _truth(square, points)))
    assert wrong >= 6


def test_map_table_projected_csv(points, square, tmp_path):
    from pyproj import Transformer

    x, y = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True).transform(points["lon"], points["lat"])
    path = tmp_path / "merc.csv"
    path.write_text("name,x,y\n" + "".join(f"{n},{float(a)!r},{float(b)!r}\n" for n, a, b in zip(points["names"], x, y)), encoding="utf-8")
    items, err = _map_events(path, ["--crs", "EPSG:3857"], square, tmp_path / "m.html")
    assert "crs: EPSG:3857 (WGS 84 / Pseudo-Mercator) from --crs" in err
    by_name = {it["tip"].split(" (")[0]: it["v"] for it in items}
    assert [by_name[n] for n in points["names"]] == _truth(square, points)


def test_map_table_crs_errors_are_batch_s(square, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("lat,lon\n28,138\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["map", "--table", str(path), "--crs", "EPSG:999999", "-o", str(tmp_path / "m.html"), "--boundaries", square])
    assert res.exit_code == 2
    assert "Error: --crs: the coordinate reference system 'EPSG:999999' (--crs) is not one pyproj knows" in res.stderr
    gj = S.write_json(tmp_path / "p.geojson", S.feature_collection(
        [{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [138, 28]}}], crs="urn:ogc:def:crs:EPSG::4301"))  # fmt: skip
    res = CliRunner().invoke(cli, ["map", "--table", str(gj), "--crs", "EPSG:3857", "-o", str(tmp_path / "m.html"), "--boundaries", square])
    assert res.exit_code == 2 and "--crs EPSG:3857 contradicts input" in res.stderr
    assert not (tmp_path / "m.html").exists()
    res = CliRunner().invoke(cli, ["map", "41.3", "138.5", "--crs", "EPSG:4301", "-o", str(tmp_path / "m.html")])
    assert res.exit_code == 2 and "Error: --crs read a table: give it with --table FILE" in res.stderr


def test_map_table_takes_batch_s_reading_options(points, square, tmp_path):
    """--sheet, --encoding, --delimiter and the --*-col options mean what they mean for batch."""
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    wb.active.append(["x"])
    ws = wb.create_sheet("events")
    ws.append(["event", "north", "east"])
    ws.append(["a", 29.0, 139.0])
    wb.save(tmp_path / "t.xlsx")
    items, err = _map_events(tmp_path / "t.xlsx", ["--sheet", "events", "--lat-col", "north", "--lon-col", "east"], square, tmp_path / "m.html")
    assert "impact point: latitude 'north', longitude 'east'" in err
    assert [it["v"] for it in items] == ["inside"]
    (tmp_path / "t.txt").write_bytes("名前;lat;lon\n甲;29.0;139.0\n".encode("cp932"))
    items, err = _map_events(tmp_path / "t.txt", ["--encoding", "cp932", "--delimiter", ";"], square, tmp_path / "m2.html")
    assert [it["v"] for it in items] == ["inside"], err


# --------------------------------------------------------------------------- the launch column


@pytest.mark.parametrize("column", ["launch", "launch_site", "発射地点", "site", "Launch Site"])
def test_a_launch_column_is_the_launch_site_for_batch_and_map(column, tmp_path):
    """A launch-site column (gazetteer names) with range and bearing gives the impact point, in
    batch (its output's point) and in the map (the event drawn there, with its ground track)."""
    from eezcheck.batch.columns import detect_columns

    assert detect_columns([column, "range_km", "bearing"]).launch == column
    path = tmp_path / "t.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([[column, "range_km", "bearing", "name"], ["sunan", "1000", "75", "a"]])
    out = tmp_path / "out.csv"
    res = CliRunner().invoke(cli, ["batch", str(path), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert f"impact point: launch {column!r} + range 'range_km' along bearing 'bearing'" in res.stderr
    with open(out, encoding="utf-8", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["error"] == "" and row["japan_eez"] == "inside"
    res = CliRunner().invoke(cli, ["map", "--table", str(path), "-o", str(tmp_path / "m.html")])
    assert res.exit_code == 0, res.output
    (it,) = [it for c in calls((tmp_path / "m.html").read_text(encoding="utf-8"), "events") for it in c[0]]
    assert it["v"] == "inside" and "trk" in it
    assert it["p"] == pytest.approx([float(row["lat"]), float(row["lon"])], abs=1e-4)
    assert "Sunan" in it["trkTip"]


# --------------------------------------------------------------------------- the project's tables

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.mark.parametrize("table", ["cns_missile_tests.csv", "mod_verdicts_2016_2020.csv"])
def test_map_of_a_real_table_is_batch_s_answer(table, tmp_path):
    """The CNS and MoD tables: the map draws the rows batch checks, with batch's verdicts (the
    MoD's wording first, with its uncertainty), and lists every other row with batch's error;
    ``batch --map`` draws the same."""
    src = SHARED / "events" / table
    mr = SHARED / "reference" / "marineregions_eez_v12_japan_region.geojson"
    if not src.exists() or not mr.exists():
        pytest.skip("../shared event tables or the Marine Regions clip not found")
    out = tmp_path / "out.csv"
    res = CliRunner().invoke(cli, ["batch", str(src), "-o", str(out), "--boundaries", str(mr), "--map", str(tmp_path / "b.html")])
    assert res.exit_code == 0, res.output
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    errors = {i + 1: r["error"] for i, r in enumerate(rows) if r["error"]}
    verdicts: dict[str, int] = {}
    for r in rows:
        if not r["error"]:
            verdicts[r["japan_eez"]] = verdicts.get(r["japan_eez"], 0) + 1
    res = CliRunner().invoke(cli, ["map", "--table", str(src), "-o", str(tmp_path / "m.html"), "--boundaries", str(mr)])
    assert res.exit_code == 0, res.output
    not_drawn = {}
    for line in res.stderr.splitlines():
        if " not drawn: " in line:
            head, _, reason = line.partition("): ")
            not_drawn[int(head.rsplit("(row ", 1)[1])] = reason
    assert not_drawn.keys() == errors.keys()
    from eezcheck.cli.terminal import shown

    assert all(not_drawn[k] == shown(errors[k]) for k in errors)
    for page in ("m.html", "b.html"):
        items = [it for c in calls((tmp_path / page).read_text(encoding="utf-8"), "events") for it in c[0]]
        drawn: dict[str, int] = {}
        for it in items:
            v = "inside" if it["v"] == "territory" else it["v"]
            drawn[v] = drawn.get(v, 0) + 1
        assert drawn == verdicts, page


# --------------------------------------------------------------------------- unnamed events


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["41.3", "138.5"], "41.3 138.5"),  # as given
        (["about 200 km west of Okushiri Island"], "about 200 km west of Okushiri Island"),
        (["--from", "sunan", "--range-km", "1000", "--bearing", "75"], None),  # derived: coordinates
    ],
)
def test_an_unnamed_event_is_named_by_its_point(args, named, square, tmp_path):
    """The tooltip of an event without a name says its verdict and its point (never "Event 1"),
    and the popup's heading says the same point."""
    out = tmp_path / "m.html"
    res = CliRunner().invoke(cli, ["map", *args, "-o", str(out)])
    assert res.exit_code == 0, res.output
    (it,) = [it for c in calls(out.read_text(encoding="utf-8"), "events") for it in c[0]]
    if named is None:
        lat, lon = it["p"]
        named = f"{lat:.2f}°N {lon:.2f}°E"
    assert it["head"].endswith("Japan's EEZ") or it["head"].startswith("UNCERTAIN")
    assert it["tip"] == named and "Event" not in it["tip"]
    assert f"<h3>{named}</h3>" in it["card"]


def test_map_table_uncertainty_is_batch_s(points, square, tmp_path):
    """--uncertainty-km with --table is every row's 95 % radius, as for batch: the same
    uncertain verdicts, and each event drawn with its uncertainty region."""
    path, extra = _write("utf-8", tmp_path, points)
    args = [*extra, "--uncertainty-km", "0.2"]
    out = tmp_path / "out.csv"
    res = CliRunner().invoke(cli, ["batch", str(path), "-o", str(out), "--boundaries", square, *args])
    assert res.exit_code == 0, res.output
    with open(out, encoding="utf-8", newline="") as fh:
        batch = [r["japan_eez"] for r in csv.DictReader(fh)]
    assert "uncertain" in batch
    items, _err = _map_events(path, args, square, tmp_path / "m.html")
    by_name = {it["tip"].split(" (")[0]: it for it in items}
    assert [by_name[n]["v"] for n in points["names"]] == batch
    assert all("unc" in it for it in items)
    res = CliRunner().invoke(cli, ["map", "--table", str(path), "--uncertainty-km", "-1", "-o", str(tmp_path / "x.html")])
    assert res.exit_code == 2 and "--uncertainty-km -1 must be a distance >= 0 km" in res.stderr


def test_batch_map_does_not_draw_a_row_its_reader_refused(square, tmp_path):
    """A row with a field too many is an error in batch's output: batch --map lists it, with
    the reader's message, instead of drawing its cells."""
    src = tmp_path / "r.csv"
    src.write_text("name,lat,lon\na,29.0,139.0\nbad,30,150,3\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["batch", str(src), "-o", str(tmp_path / "o.csv"), "--map", str(tmp_path / "m.html"), "--boundaries", square])
    assert res.exit_code == 0, res.output
    assert "(1 events drawn)" in res.stderr, res.stderr
    items = [it for c in calls((tmp_path / "m.html").read_text(encoding="utf-8"), "events") for it in c[0]]
    assert [it["tip"] for it in items] == ["a"]
