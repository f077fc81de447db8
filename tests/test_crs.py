"""CRS read, never assumed (issue 11, item 5): batch input and ``--boundaries`` in another datum
(Tokyo, EPSG:4301) or projected (EPSG:3857) are transformed to WGS84; an unknown CRS is refused
with exit 2; a polygon drawn across ±180° is split; the CRS read is stated in the answers.

Every fixture is made here (tmp_path) with geopandas/pyogrio; the truth is always the WGS84
answer for the same points.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from click.testing import CliRunner
from fixtures import synthetic as S

from eezcheck.cli.main import cli
from eezcheck.crs import CRSError, read_crs, split_antimeridian

gpd = pytest.importorskip("geopandas")
pq = pytest.importorskip("pyarrow.parquet")


def _square_gdf(crs: str = "EPSG:4326") -> Any:
    """The square island's areas (eezcheck schema) as a GeoDataFrame in WGS84, then ``crs``."""
    fc = S.user_collection()
    g = gpd.GeoDataFrame.from_features(fc["features"], crs="EPSG:4326")
    return g if crs == "EPSG:4326" else g.to_crs(crs)


def _around_west_edge() -> tuple[np.ndarray, np.ndarray]:
    """Points 50-300 m either side of the square's EEZ limit at 137° E (lat 28-33)."""
    lat = np.repeat(np.linspace(28.0, 33.0, 11), 8)
    offsets_km = np.tile([-0.3, -0.2, -0.1, -0.05, 0.05, 0.1, 0.2, 0.3], 11)
    lon = 137.0 + offsets_km / (111.32 * np.cos(np.radians(lat)))
    return lon, lat


def _verdicts(boundaries: Path, lon: np.ndarray, lat: np.ndarray) -> list[str]:
    from eezcheck.boundary_readers import load_user_file
    from eezcheck.checker import Checker

    c = Checker(load_user_file(boundaries))
    r = c.evaluate(lon=lon, lat=lat, fields=("japan_eez",))
    return [str(v) for v in r.to_pandas()["japan_eez"]]


# --------------------------------------------------------------------------- --boundaries


@pytest.mark.parametrize("ext", ["gpkg", "shp", "parquet"])
def test_boundary_file_in_tokyo_datum_is_transformed(tmp_path: Path, ext: str) -> None:
    truth_file = S.write_json(tmp_path / "wgs84.geojson", S.user_collection())
    tokyo = tmp_path / f"tokyo.{ext}"
    g = _square_gdf("EPSG:4301")
    g.to_parquet(tokyo) if ext == "parquet" else g.to_file(tokyo)
    # what the old reader did: the same Tokyo coordinates taken as WGS84
    naive = tmp_path / f"naive.{ext}"
    n = g.set_crs("EPSG:4326", allow_override=True)
    n.to_parquet(naive) if ext == "parquet" else n.to_file(naive)
    lon, lat = _around_west_edge()
    truth = _verdicts(truth_file, lon, lat)
    assert truth.count("inside") == 44 and truth.count("outside") == 44
    assert _verdicts(tokyo, lon, lat) == truth
    wrong = sum(a != b for a, b in zip(_verdicts(naive, lon, lat), truth))
    assert wrong >= 20  # the Tokyo datum is ~300 m off here: the test can fail


def test_boundary_crs_is_stated_in_check_json_and_text(tmp_path: Path) -> None:
    tokyo = tmp_path / "tokyo.gpkg"
    _square_gdf("EPSG:4301").to_file(tokyo)
    runner = CliRunner()
    res = runner.invoke(cli, ["check", "28", "138", "--boundaries", str(tokyo), "--json"])
    assert res.exit_code == 0, res.output
    b = json.loads(res.stdout)["boundaries"]
    assert b["crs"].startswith("EPSG:4301 (Tokyo) from the file's CRS (read by GDAL), transformed to WGS84 with pyproj ")
    res = runner.invoke(cli, ["check", "28", "138", "--boundaries", str(tokyo)])
    assert res.exit_code == 0, res.output
    line = next(x for x in res.stdout.splitlines() if x.strip().startswith("boundary crs"))
    assert "EPSG:4301 (Tokyo)" in line and "transformed to WGS84 with pyproj" in line


def test_projected_boundary_file_is_transformed(tmp_path: Path) -> None:
    merc = tmp_path / "square_3857.gpkg"
    _square_gdf("EPSG:3857").to_file(merc)
    truth_file = S.write_json(tmp_path / "wgs84.geojson", S.user_collection())
    lon, lat = _around_west_edge()
    assert _verdicts(merc, lon, lat) == _verdicts(truth_file, lon, lat)
    from eezcheck.boundary_readers import load_user_file

    prov = load_user_file(merc).provenance
    assert prov.crs.startswith("EPSG:3857 (WGS 84 / Pseudo-Mercator)")


def test_boundary_file_without_crs_is_refused(tmp_path: Path) -> None:
    shp = tmp_path / "no_prj.shp"
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyogrio: "'crs' was not provided"
        _square_gdf().set_crs(None, allow_override=True).to_file(shp)
    assert not shp.with_suffix(".prj").exists()
    res = CliRunner().invoke(cli, ["check", "28", "138", "--boundaries", str(shp)])
    assert res.exit_code == 2
    assert f"Boundary file {str(shp)!r} has no coordinate reference system" in res.stderr
    assert "does not assume one" in res.stderr and "ogr2ogr -a_srs EPSG:4326" in res.stderr
    assert "Traceback" not in res.output


def test_boundary_geoparquet_with_unknown_crs_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "unknown.parquet"
    _square_gdf().to_parquet(path)
    t = pq.read_table(path)
    geo = json.loads(t.schema.metadata[b"geo"])
    geo["columns"]["geometry"]["crs"] = None
    pq.write_table(t.replace_schema_metadata({**t.schema.metadata, b"geo": json.dumps(geo).encode()}), path)
    res = CliRunner().invoke(cli, ["check", "28", "138", "--boundaries", str(path)])
    assert res.exit_code == 2
    assert "the GeoParquet metadata says the CRS of column 'geometry' is unknown (crs: null)" in res.stderr


def test_antimeridian_polygon_is_split_not_the_rest_of_the_world(tmp_path: Path) -> None:
    fc = S.feature_collection([
        {"type": "Feature", "properties": {"zone_type": "eez", "states": "JPN", "name": "Japanese EEZ"},
         "geometry": {"type": "Polygon", "coordinates": [[[170, 30], [-170, 30], [-170, 40], [170, 40], [170, 30]]]}},
    ])  # fmt: skip
    path = S.write_json(tmp_path / "across.geojson", fc)
    runner = CliRunner()
    answers = {}
    for name, lat, lon in (("Mediterranean", 35, 15), ("west of 180", 35, 179.9), ("east of 180", 35, -179.9), ("Atlantic", 35, -40)):
        res = runner.invoke(cli, ["check", str(lat), str(lon), "--boundaries", str(path), "--json"])
        assert res.exit_code == 0, res.output
        answers[name] = json.loads(res.stdout)
    assert answers["Mediterranean"]["japan_eez"] == "outside"
    assert answers["Mediterranean"]["zone"] == "unknown"  # beyond the file's coverage (both sides of 180°)
    assert answers["Atlantic"]["japan_eez"] == "outside"
    assert answers["west of 180"]["japan_eez"] == "inside"
    assert answers["east of 180"]["japan_eez"] == "inside"
    # the cut at 180° is not the limit: 5° of latitude (555 km) to the polygon's top edge
    assert 550 < answers["west of 180"]["distance_to_eez_limit_km"] < 560
    assert 550 < answers["east of 180"]["distance_to_eez_limit_km"] < 560


def test_split_keeps_ordinary_polygons_and_world_boxes() -> None:
    from shapely.geometry import box

    for g in (box(130, 30, 140, 40), box(-180, -90, 180, 90)):
        assert split_antimeridian(g) is g
    cw = shapely.Polygon([(170, 30), (170, 40), (-170, 40), (-170, 30)])  # clockwise (Shapefile)
    parts = split_antimeridian(cw)
    assert parts.geom_type == "MultiPolygon" and round(parts.area, 6) == 200.0


# --------------------------------------------------------------------------- batch input


def _points_near_the_limit() -> tuple[np.ndarray, np.ndarray, list[str]]:
    """About 500 WGS84 points within ~600 m of the embedded data's EEZ limit (Sea of Japan
    and the Pacific), with their WGS84 verdicts (the truth)."""
    from eezcheck.checker import get_checker

    c = get_checker()
    lons = np.linspace(130.05, 145.95, 80)
    lats = np.arange(33.0, 45.0, 0.004)
    X, Y = np.meshgrid(lons, lats, indexing="ij")
    v = np.asarray(c.evaluate(lon=X.ravel(), lat=Y.ravel(), fields=("japan_eez",)).to_pandas()["japan_eez"].astype(str))
    v = v.reshape(X.shape)
    i, j = np.nonzero(v[:, 1:] != v[:, :-1])
    rng = np.random.default_rng(20261202)
    k = 6
    lon = np.repeat(X[i, j], k) + rng.uniform(-0.007, 0.007, i.size * k)
    lat = np.repeat(Y[i, j] + 0.002, k) + rng.uniform(-0.0055, 0.0055, i.size * k)
    truth = [str(x) for x in c.evaluate(lon=lon, lat=lat, fields=("japan_eez",)).to_pandas()["japan_eez"]]
    return lon, lat, truth


@pytest.mark.slow
def test_geoparquet_in_tokyo_datum_near_the_limit_gets_the_wgs84_verdicts(tmp_path: Path) -> None:
    from pyproj import Transformer

    lon, lat, truth = _points_near_the_limit()
    assert len(truth) >= 400
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:4301", always_xy=True).transform(lon, lat)
    src = tmp_path / "tokyo.parquet"
    gpd.GeoDataFrame({"id": np.arange(len(x))}, geometry=shapely.points(x, y), crs="EPSG:4301").to_parquet(src)
    out = tmp_path / "out.parquet"
    summary = tmp_path / "s.json"
    res = CliRunner().invoke(cli, ["batch", str(src), "-o", str(out), "--fields", "verdict", "--summary-json", str(summary)])
    assert res.exit_code == 0, res.output
    assert "crs: EPSG:4301 (Tokyo) from the GeoParquet metadata, transformed to WGS84 with pyproj" in res.stderr
    got = pq.read_table(out)
    assert got.column("error").null_count == got.num_rows
    assert got.column("japan_eez").to_pylist() == truth
    # the output geometry is the WGS84 point, as its GeoParquet metadata (no crs: CRS84) says
    assert "crs" not in json.loads(got.schema.metadata[b"geo"])["columns"]["geometry"]
    pts = shapely.from_wkb(got.column("geometry").to_pylist())
    assert np.allclose(shapely.get_x(pts), lon, atol=1e-7) and np.allclose(shapely.get_y(pts), lat, atol=1e-7)
    s = json.loads(summary.read_text())
    assert s["input"]["crs"]["code"] == "EPSG:4301" and s["input"]["crs"]["transformed_to_wgs84"] is True
    # the Tokyo coordinates taken as WGS84 (what batch did before) change many verdicts
    naive = tmp_path / "naive.parquet"
    gpd.GeoDataFrame({"id": np.arange(len(x))}, geometry=shapely.points(x, y), crs="EPSG:4326").to_parquet(naive)
    res = CliRunner().invoke(cli, ["batch", str(naive), "-o", str(tmp_path / "naive_out.csv"), "--fields", "verdict"])
    assert res.exit_code == 0, res.output
    import csv

    with open(tmp_path / "naive_out.csv", encoding="utf-8", newline="") as fh:
        wrong = sum(r["japan_eez"] != t for r, t in zip(csv.DictReader(fh), truth))
    assert wrong >= len(truth) // 5


@pytest.mark.parametrize(
    "crs_name, crs",
    [("urn:ogc:def:crs:EPSG::4301", "EPSG:4301"), ("EPSG:3857", "EPSG:3857"), ("urn:ogc:def:crs:OGC:1.3:CRS84", None)],
)
def test_geojson_legacy_crs_member_is_honoured(tmp_path: Path, square: str, crs_name: str, crs: str | None) -> None:
    from pyproj import Transformer

    lon = np.array([138.0, 147.0, 136.99, 137.01])
    lat = np.array([28.0, 28.0, 30.0, 30.0])
    x, y = (lon, lat) if crs is None else Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(lon, lat)
    fc = S.feature_collection(
        [{"type": "Feature", "properties": {"name": f"p{i}"}, "geometry": {"type": "Point", "coordinates": [float(a), float(b)]}}
         for i, (a, b) in enumerate(zip(x, y))],
        crs=crs_name,
    )  # fmt: skip
    src = S.write_json(tmp_path / "in.geojson", fc)
    out = tmp_path / "out.geojson"
    res = CliRunner().invoke(cli, ["batch", str(src), "-o", str(out), "--boundaries", square, "--fields", "verdict"])
    assert res.exit_code == 0, res.output
    feats = json.loads(out.read_text())["features"]
    assert [f["properties"]["japan_eez"] for f in feats] == ["inside", "outside", "outside", "inside"]
    assert np.allclose([f["geometry"]["coordinates"] for f in feats], np.column_stack([lon, lat]), atol=1e-7)
    code = crs or "OGC:CRS84"
    assert f"crs: {code} (" in res.stderr


@pytest.mark.parametrize(
    "member, found",
    [
        ({"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::999999"}}, "'urn:ogc:def:crs:EPSG::999999'"),
        ({"type": "name", "properties": {"name": "my local grid"}}, "'my local grid'"),
        ({"type": "link", "properties": {"href": "http://example.com/crs", "type": "proj4"}}, "a linked CRS is not fetched"),
        ({"type": "name", "properties": {"name": "EPSG:4978"}}, "is not geographic or projected"),
    ],
)
def test_unknown_crs_is_refused_with_exit_2(tmp_path: Path, square: str, member: dict[str, Any], found: str) -> None:
    fc = {"type": "FeatureCollection", "crs": member,
          "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [138, 28]}}]}  # fmt: skip
    src = S.write_json(tmp_path / "odd.geojson", fc)
    out = tmp_path / "out.csv"
    res = CliRunner().invoke(cli, ["batch", str(src), "-o", str(out), "--boundaries", square])
    assert res.exit_code == 2, res.output
    assert res.stderr.startswith(f"Error: input {str(src)!r}")
    assert found in res.stderr
    assert "Traceback" not in res.output and not out.exists()


def test_geoparquet_without_crs_key_is_crs84_and_null_is_refused(tmp_path: Path, square: str) -> None:
    import pyarrow as pa

    wkb = [shapely.to_wkb(shapely.Point(138, 28)), shapely.to_wkb(shapely.Point(147, 28))]
    for crs_meta, ok in (({}, True), ({"crs": None}, False)):
        geo = {"version": "1.1.0", "primary_column": "geometry",
               "columns": {"geometry": {"encoding": "WKB", "geometry_types": ["Point"], **crs_meta}}}  # fmt: skip
        t = pa.table({"geometry": pa.array(wkb, pa.binary())}).replace_schema_metadata({b"geo": json.dumps(geo).encode()})
        src = tmp_path / f"in{len(crs_meta)}.parquet"
        pq.write_table(t, src)
        out = tmp_path / f"out{len(crs_meta)}.csv"
        res = CliRunner().invoke(cli, ["batch", str(src), "-o", str(out), "--boundaries", square, "--fields", "verdict"])
        if ok:
            assert res.exit_code == 0, res.output
            assert "crs: OGC:CRS84 (WGS 84 (CRS84)) from the GeoParquet metadata (no crs: OGC:CRS84)" in res.stderr
        else:
            assert res.exit_code == 2
            assert "the GeoParquet metadata says the CRS of column 'geometry' is unknown (crs: null)" in res.stderr
            assert not out.exists()


def test_points_a_projection_cannot_hold_get_a_row_error(tmp_path: Path, square: str) -> None:
    from pyproj import Transformer

    x, y = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True).transform(138.0, 28.0)
    pts = [shapely.Point(x, y), shapely.Point(1e30, 1e30), shapely.Point(x, 1e9)]
    src = tmp_path / "merc.parquet"
    gpd.GeoDataFrame({"name": ["ok", "huge", "beyond the pole"]}, geometry=pts, crs="EPSG:3857").to_parquet(src)
    out = tmp_path / "out.csv"
    res = CliRunner().invoke(cli, ["batch", str(src), "-o", str(out), "--boundaries", square, "--fields", "verdict"])
    assert res.exit_code == 0, res.output
    import csv

    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["japan_eez"] for r in rows] == ["inside", "", ""]
    for r in rows[1:]:
        assert "is not a position in EPSG:3857 (WGS 84 / Pseudo-Mercator): it cannot be transformed to WGS84" in r["error"]


def test_read_crs_messages() -> None:
    with pytest.raises(CRSError, match=r"^input 'a.csv': the coordinate reference system 'EPSG:999999' \(--crs\) is not one pyproj knows"):
        read_crs("EPSG:999999", where="input 'a.csv'", read_from="--crs")
    c = read_crs("EPSG:6668", where="--crs", read_from="--crs")
    assert (c.code, c.name, c.wgs84) == ("EPSG:6668", "JGD2011", False)
    assert read_crs("EPSG:4979", where="x", read_from="y").wgs84  # WGS84 3D: its 2D part


# --------------------------------------------------------------------------- --crs (coordinate columns)


def _csv(path: Path, header: str, rows: list[tuple[Any, ...]]) -> Path:
    path.write_text(header + "\n" + "".join(",".join(str(v) for v in r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_csv_in_tokyo_datum_with_crs_option(tmp_path: Path, square: str) -> None:
    import csv

    from pyproj import Transformer

    lon, lat = _around_west_edge()
    truth = _verdicts(S.write_json(tmp_path / "wgs84.geojson", S.user_collection()), lon, lat)
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:4301", always_xy=True).transform(lon, lat)
    src = _csv(tmp_path / "tokyo.csv", "name,lat,lon", [(f"p{i}", repr(float(b)), repr(float(a))) for i, (a, b) in enumerate(zip(x, y))])
    runner = CliRunner()
    answers = {}
    for crs in ("EPSG:4301", None):
        out = tmp_path / f"out-{crs}.csv"
        summary = tmp_path / f"s-{crs}.json"
        args = ["batch", str(src), "-o", str(out), "--boundaries", square, "--summary-json", str(summary)]
        res = runner.invoke(cli, args + (["--crs", crs] if crs else []))
        assert res.exit_code == 0, res.output
        with open(out, encoding="utf-8", newline="") as fh:
            answers[crs] = list(csv.DictReader(fh))
        s = json.loads(summary.read_text())
        if crs:
            assert "crs: EPSG:4301 (Tokyo) from --crs, transformed to WGS84 with pyproj" in res.stderr
            assert s["input"]["crs"]["code"] == "EPSG:4301"
        else:  # the default (EPSG:4326) is not a transformation: output unchanged, nothing added
            assert "crs:" not in res.stderr and "crs" not in s["input"]
    assert [r["japan_eez"] for r in answers["EPSG:4301"]] == truth
    assert np.allclose([float(r["eezcheck.lon"]) for r in answers["EPSG:4301"]], lon, atol=1e-7)
    assert [r["lon"] for r in answers["EPSG:4301"]] == [r["lon"] for r in answers[None]]  # input kept
    wrong = sum(r["japan_eez"] != t for r, t in zip(answers[None], truth))
    assert wrong >= 20


def test_csv_projected_columns_and_bad_cells(tmp_path: Path, square: str) -> None:
    import csv

    from pyproj import Transformer

    x, y = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True).transform(138.0, 28.0)
    src = _csv(tmp_path / "merc.csv", "name,x,y", [("ok", x, y), ("text", "abc", y), ("huge", "1e30", "1e30"), ("empty", "", "")])
    out = tmp_path / "out.csv"
    res = CliRunner().invoke(cli, ["batch", str(src), "-o", str(out), "--boundaries", square, "--crs", "EPSG:3857", "--fields", "verdict"])
    assert res.exit_code == 0, res.output
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["japan_eez"] for r in rows] == ["inside", "", "", ""]
    assert rows[1]["error"] == "cannot read x='abc', y='3248973.789650975' as EPSG:3857 (WGS 84 / Pseudo-Mercator) coordinates: with --crs give plain numbers (x or longitude, y or latitude)"
    assert "x='1e30', y='1e30' is not a position in EPSG:3857 (WGS 84 / Pseudo-Mercator): it cannot be transformed to WGS84" in rows[2]["error"]
    assert rows[3]["error"] == "no impact point: y and x are empty"


def test_crs_option_unknown_or_contradicting_is_exit_2(tmp_path: Path, square: str) -> None:
    src = _csv(tmp_path / "a.csv", "lat,lon", [(28, 138)])
    out = tmp_path / "out.csv"
    res = CliRunner().invoke(cli, ["batch", str(src), "-o", str(out), "--boundaries", square, "--crs", "EPSG:999999"])
    assert res.exit_code == 2
    assert "Error: --crs: the coordinate reference system 'EPSG:999999' (--crs) is not one pyproj knows" in res.stderr
    assert not out.exists()
    gj = S.write_json(tmp_path / "p.geojson", S.feature_collection(
        [{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [138, 28]}}], crs="urn:ogc:def:crs:EPSG::4301"))  # fmt: skip
    res = CliRunner().invoke(cli, ["batch", str(gj), "-o", str(out), "--boundaries", square, "--crs", "EPSG:3857"])
    assert res.exit_code == 2
    assert "--crs EPSG:3857 contradicts input" in res.stderr and "declared EPSG:4301 (Tokyo" in res.stderr
    res = CliRunner().invoke(cli, ["batch", str(gj), "-o", str(out), "--boundaries", square, "--crs", "EPSG:4301"])
    assert res.exit_code == 0, res.output


@pytest.mark.parametrize("ext", ["gpkg", "shp"])
def test_geopackage_and_shapefile_input_in_tokyo_datum(tmp_path: Path, square: str, ext: str) -> None:
    import csv

    from pyproj import Transformer

    lon, lat = _around_west_edge()
    truth = _verdicts(S.write_json(tmp_path / "wgs84.geojson", S.user_collection()), lon, lat)
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:4301", always_xy=True).transform(lon, lat)
    src = tmp_path / f"tokyo.{ext}"
    gpd.GeoDataFrame({"name": [f"p{i}" for i in range(len(x))]}, geometry=shapely.points(x, y), crs="EPSG:4301").to_file(src)
    out = tmp_path / "out.csv"
    res = CliRunner().invoke(cli, ["batch", str(src), "-o", str(out), "--boundaries", square, "--fields", "verdict"])
    assert res.exit_code == 0, res.output
    assert "crs: EPSG:4301 (Tokyo) from the file's CRS (read by GDAL), transformed to WGS84 with pyproj" in res.stderr
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["name"] for r in rows] == [f"p{i}" for i in range(len(x))]
    assert [r["japan_eez"] for r in rows] == truth
    # a layer without a CRS is refused
    bare = tmp_path / f"bare.{ext}"
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gpd.GeoDataFrame({"name": ["a"]}, geometry=[shapely.Point(138, 28)]).to_file(bare)
    res = CliRunner().invoke(cli, ["batch", str(bare), "-o", str(tmp_path / "o2.csv"), "--boundaries", square])
    assert res.exit_code == 2
    assert f"Error: input {str(bare)!r} has no coordinate reference system" in res.stderr


def test_library_geodataframe_in_tokyo_datum(tmp_path: Path, square: str) -> None:
    from pyproj import Transformer

    import eezcheck

    lon, lat = _around_west_edge()
    truth = _verdicts(S.write_json(tmp_path / "wgs84.geojson", S.user_collection()), lon, lat)
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:4301", always_xy=True).transform(lon, lat)
    g = gpd.GeoDataFrame({"id": range(len(x))}, geometry=gpd.points_from_xy(x, y), crs="EPSG:4301")
    got = eezcheck.check_many(g, boundaries=square)
    assert list(got["japan_eez"].astype(str)) == truth
    assert np.allclose(got["lon"], lon, atol=1e-7) and np.allclose(got["lat"], lat, atol=1e-7)
    with pytest.raises(CRSError, match=r"^the GeoDataFrame has no coordinate reference system \(its \.crs is empty\)"):
        eezcheck.check_many(g.set_crs(None, allow_override=True), boundaries=square)
