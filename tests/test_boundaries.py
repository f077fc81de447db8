"""Boundary loaders: Marine Regions files in every form users download, user files, errors.

The real-data tests read the Marine Regions v12 reference clip from ``../shared/data`` (never
copied into the repository) and are skipped when it is absent. Property tests use the
synthetic square island of ``fixtures.synthetic``, whose zones are known exactly.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from fixtures import synthetic as S
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eezcheck.boundaries import REGION_BBOX, Boundaries, ZoneType
from eezcheck.boundary_readers import load_boundaries_file, load_marineregions, load_user_file
from eezcheck.errors import AxisOrderError, BoundaryDataError
from eezcheck.zones import Classifier, JapanEEZ, Zone

SHARED = Path(__file__).resolve().parents[2] / "shared"
REFERENCE = SHARED / "data" / "reference" / "marineregions_eez_v12_japan_region.geojson"

# (lon, lat) -> (zone, Japan verdict, MRGID or None): points named in the issue, and checked
# against the Marine Regions polygons
REFERENCE_POINTS: list[tuple[str, float, float, Zone, JapanEEZ, int | None]] = [
    ("Japanese EEZ, Sea of Japan", 138.5, 41.3, Zone.EEZ, JapanEEZ.INSIDE, 8487),
    ("South Korean EEZ", 132.0, 39.0, Zone.FOREIGN_EEZ, JapanEEZ.OUTSIDE, 8327),
    ("Russian EEZ", 134.0, 40.0, Zone.FOREIGN_EEZ, JapanEEZ.OUTSIDE, 5690),
    ("Liancourt Rocks / Takeshima", 131.95, 37.3, Zone.OVERLAPPING_CLAIM, JapanEEZ.DISPUTED, 48955),
    ("Senkaku Islands claim", 123.5, 25.9, Zone.OVERLAPPING_CLAIM, JapanEEZ.DISPUTED, 48954),
    ("Kuril Islands claim", 148.0, 45.0, Zone.OVERLAPPING_CLAIM, JapanEEZ.DISPUTED, 48950),
    ("Japan-Korea joint regime", 127.5, 31.0, Zone.JOINT_REGIME, JapanEEZ.DISPUTED, 21796),
    ("Minamitorishima", 153.98, 24.28, Zone.EEZ, JapanEEZ.INSIDE, 8487),
    ("High seas, North Pacific", 170.0, 36.0, Zone.HIGH_SEAS, JapanEEZ.OUTSIDE, None),
    ("Tokyo", 139.69, 35.69, Zone.LAND, JapanEEZ.INSIDE, None),
    ("Atlantic, outside coverage", -30.0, 10.0, Zone.UNKNOWN, JapanEEZ.OUTSIDE, None),
    ("Arabian Sea, outside coverage", 60.0, 15.0, Zone.UNKNOWN, JapanEEZ.OUTSIDE, None),
    ("north of the clip", 150.0, 65.0, Zone.UNKNOWN, JapanEEZ.OUTSIDE, None),
]

UPPER_V12 = {
    "mrgid": "MRGID", "geoname": "GEONAME", "pol_type": "POL_TYPE", "sovereign1": "SOVEREIGN1",
    "sovereign2": "SOVEREIGN2", "sovereign3": "SOVEREIGN3", "territory1": "TERRITORY1",
    "iso_ter1": "ISO_TER1", "iso_sov1": "ISO_SOV1", "area_km2": "AREA_KM2", "source": "SOURCE",
}


def _need_reference() -> Path:
    if not REFERENCE.exists():
        pytest.skip(f"reference data {REFERENCE} not available")
    return REFERENCE


@pytest.fixture(scope="module")
def reference() -> Boundaries:
    return load_marineregions(_need_reference())


@pytest.fixture(scope="module")
def reference_gdf() -> Any:
    import geopandas as gpd

    return gpd.read_file(_need_reference())


def _classify(b: Boundaries, points: list[tuple[float, float]], use_grid: bool = False) -> list[tuple[Zone, JapanEEZ, str]]:
    clf = Classifier(b)
    res = clf.classify([p[0] for p in points], [p[1] for p in points], use_grid=use_grid)
    idents = [clf.areas[i].ident if i >= 0 else "" for i in res.area_index]
    return list(zip(res.zones(), res.japan(), idents))


def _expected_reference() -> list[tuple[Zone, JapanEEZ, int | None]]:
    return [(z, j, m) for _, _, _, z, j, m in REFERENCE_POINTS]


def _check_reference_points(b: Boundaries, use_grid: bool = False) -> None:
    got = _classify(b, [(lon, lat) for _, lon, lat, *_ in REFERENCE_POINTS], use_grid=use_grid)
    for (label, *_), (zone, japan, ident), (ezone, ejapan, mrgid) in zip(REFERENCE_POINTS, got, _expected_reference()):
        assert (zone, japan) == (ezone, ejapan), label
        if mrgid is not None:
            assert ident == f"MRGID {mrgid}", label


# --------------------------------------------------------------------------- Marine Regions, real data


def test_reference_loads(reference: Boundaries) -> None:
    assert reference.provenance.version == "v12"
    assert reference.provenance.source == "https://doi.org/10.14284/632"
    assert reference.provenance.licence.startswith("CC BY 4.0")
    assert reference.claims_policy.startswith("marineregions")
    assert len([a for a in reference.areas if a.zone_type is not ZoneType.LAND]) == 18
    assert {"foreign_eez", "japan_eez", "joint_regimes", "overlapping_claims"} <= set(reference.layers)
    # land comes from the embedded data set, with its own provenance
    if "japan_land" in reference.layers:
        assert reference.layers["japan_land"].provenance.dataset != reference.provenance.dataset
    assert len(reference.layers["japan_eez"]) == 1
    assert len(reference.layers["overlapping_claims"]) == 6
    assert reference.layers["joint_regimes"].areas[0].states == ("KOR", "JPN")
    takeshima = next(a for a in reference.areas if a.ident == "MRGID 48955")
    assert takeshima.zone_type is ZoneType.OVERLAPPING_CLAIM
    assert takeshima.states == ("JPN", "KOR")
    assert takeshima.feature == "Liancourt Rocks"
    senkaku = next(a for a in reference.areas if a.ident == "MRGID 48954")
    assert senkaku.states == ("TWN", "JPN", "CHN")
    assert reference.coverage.bounds == pytest.approx((107.159, 0.0, 180.0, 60.0), abs=1e-6)


@pytest.mark.parametrize("use_grid", [False, True])
def test_reference_known_points(reference: Boundaries, use_grid: bool) -> None:
    _check_reference_points(reference, use_grid=use_grid)


def test_reference_high_seas_enclave(reference: Boundaries) -> None:
    """MRGID 8487 has a hole for the Shikoku Basin high-seas pocket: with land polygons loaded,
    only holes that meet land count as land, so the pocket is high seas."""
    assert _classify(reference, [(135.0, 25.0)]) == [(Zone.HIGH_SEAS, JapanEEZ.OUTSIDE, "")]


def test_reference_grid_equals_exact(reference: Boundaries) -> None:
    rng = np.random.default_rng(20240601)
    lon = rng.uniform(95, 185, 30_000)
    lat = rng.uniform(-5, 65, 30_000)
    clf = Classifier(reference)
    a = clf.classify(lon, lat, use_grid=True)
    b = clf.classify(lon, lat, use_grid=False)
    np.testing.assert_array_equal(a.zone_code, b.zone_code)
    np.testing.assert_array_equal(a.area_index, b.area_index)
    np.testing.assert_array_equal(a.japan_code, b.japan_code)


def _upper(gdf: Any, drop_iso: bool = False) -> Any:
    out = gdf.rename(columns=UPPER_V12)
    if drop_iso:
        out = out.drop(columns=["ISO_SOV1", "ISO_TER1"])
    return out


def test_geopackage_with_upper_case_names(reference_gdf: Any, tmp_path: Path) -> None:
    path = tmp_path / "World_EEZ_v12_20231025.gpkg"
    _upper(reference_gdf).to_file(path, layer="eez_v12", driver="GPKG")
    b = load_marineregions(path, with_land=False)
    assert b.provenance.version == "v12"
    assert b.provenance.path == str(path)
    assert len(b.areas) == 18
    _check_reference_points(b)


@pytest.mark.parametrize("drop_iso", [False, True], ids=["iso_sov1", "sovereign-names-only"])
def test_zipped_shapefile_with_upper_case_names(reference_gdf: Any, tmp_path: Path, drop_iso: bool) -> None:
    shp_dir = tmp_path / "shp"
    shp_dir.mkdir()
    _upper(reference_gdf.drop(columns=["source"]), drop_iso).to_file(shp_dir / "eez_v11.shp", driver="ESRI Shapefile")
    zpath = tmp_path / "World_EEZ_v11_20191118.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        for f in sorted(shp_dir.iterdir()):
            zf.write(f, f.name)
    b = load_marineregions(zpath, with_land=False)
    assert b.provenance.version == "v11"
    assert len(b.areas) == 18
    jp = next(a for a in b.areas if a.ident == "MRGID 8487")
    assert jp.states == ("JPN",) and jp.name == "Japanese Exclusive Economic Zone"
    _check_reference_points(b)
    # the same file is recognised as Marine Regions by the generic loader (--boundaries)
    assert len([a for a in load_boundaries_file(zpath).areas if a.zone_type is not ZoneType.LAND]) == 18


def test_whole_world_file_is_clipped_to_the_region(reference_gdf: Any, tmp_path: Path) -> None:
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import box

    far = gpd.GeoDataFrame(
        [
            {"geoname": "Ghanaian Exclusive Economic Zone", "pol_type": "200NM", "sovereign1": "Ghana",
             "iso_sov1": "GHA", "mrgid": 8400, "geometry": box(-3.0, 0.0, 1.0, 5.0)},
            {"geoname": "Brazilian Exclusive Economic Zone", "pol_type": "200NM", "sovereign1": "Brazil",
             "iso_sov1": "BRA", "mrgid": 8464, "geometry": box(-40.0, -20.0, -30.0, -5.0)},
        ],
        crs="EPSG:4326",
    )
    world = pd.concat([far, reference_gdf], ignore_index=True)
    path = tmp_path / "World_EEZ_v12_20231025.gpkg"
    world.to_file(path, driver="GPKG")
    b = load_marineregions(path, with_land=False)
    idents = {a.ident for a in b.areas}
    assert "MRGID 8400" not in idents and "MRGID 8464" not in idents
    assert len(b.areas) == 18
    minx, miny, maxx, maxy = b.coverage.bounds
    assert minx >= REGION_BBOX[0] and miny >= REGION_BBOX[1] and maxx <= REGION_BBOX[2] and maxy <= REGION_BBOX[3]
    got = _classify(b, [(-1.0, 2.5), (-35.0, -10.0)])
    assert [g[0] for g in got] == [Zone.UNKNOWN, Zone.UNKNOWN]
    _check_reference_points(b)
    # a custom bbox reads the far polygon (and only what meets the box)
    b2 = load_marineregions(path, bbox=(-10.0, -1.0, 10.0, 10.0), with_land=False)
    assert [a.ident for a in b2.areas] == ["MRGID 8400"]


def test_projected_file_is_transformed(reference_gdf: Any, tmp_path: Path) -> None:
    """A projected file (EPSG:3857) is transformed to WGS84 with pyproj, not refused (issue 11)."""
    path = tmp_path / "World_EEZ_v12_3857.gpkg"
    reference_gdf.to_crs(3857).to_file(path, driver="GPKG")
    b = load_marineregions(path, with_land=False)
    assert len(b.areas) == 18
    assert b.provenance.crs.startswith("EPSG:3857 (WGS 84 / Pseudo-Mercator) from the file's CRS")
    _check_reference_points(b)


def test_swapped_reference_is_an_axis_order_error(reference_gdf: Any, tmp_path: Path) -> None:
    swapped = reference_gdf.copy()
    swapped["geometry"] = shapely.transform(np.asarray(swapped.geometry.values), lambda c: c[:, ::-1])
    path = tmp_path / "eez_wfs20.geojson"
    swapped.to_file(path, driver="GeoJSON")
    with pytest.raises(AxisOrderError) as info:
        load_marineregions(path)
    msg = str(info.value)
    assert "has y (latitude) values from 107.159 to 180, beyond ±90" in msg
    assert "look swapped (lat, lon instead of lon, lat)" in msg
    assert "WFS 1.0.0 or srsName=CRS:84" in msg


# --------------------------------------------------------------------------- Marine Regions, synthetic


def test_marineregions_with_extra_layers(tmp_path: Path) -> None:
    eez = S.write_json(tmp_path / "eez.geojson", S.mr_eez())
    ts = S.write_json(tmp_path / "eez_12nm.geojson", S.mr_12nm())
    cz = S.write_json(tmp_path / "eez_24nm.geojson", S.mr_24nm())
    lines = S.write_json(tmp_path / "eez_boundaries.geojson", S.mr_boundaries())
    b = load_marineregions(eez, territorial_sea=ts, contiguous_zone=cz, boundary_lines=lines, with_land=False)
    assert b.layer_provenance["japan_territorial_sea"].path == str(ts)
    assert b.layers["japan_contiguous_zone"].provenance.path == str(cz)
    assert b.boundary_lines[0].line_type == "Median line"
    got = _classify(b, [(138.9, 34.9), (138.7, 34.7), (137.0, 32.0), (139.5, 35.5)])
    assert [g[0] for g in got] == [Zone.INTERNAL_OR_TERRITORIAL_SEA, Zone.CONTIGUOUS_ZONE, Zone.EEZ, Zone.LAND]


def test_marineregions_layer_without_polygons(tmp_path: Path) -> None:
    eez = S.write_json(tmp_path / "eez.geojson", S.mr_eez())
    lines = S.write_json(tmp_path / "lines.geojson", S.mr_boundaries())
    with pytest.raises(BoundaryDataError, match=r"eez_12nm file .* has no usable polygons"):
        load_marineregions(eez, territorial_sea=lines)


# --------------------------------------------------------------------------- file errors


@pytest.fixture
def garbage(tmp_path: Path) -> Path:
    p = tmp_path / "eez.gpkg"
    p.write_bytes(np.random.default_rng(1).bytes(4096))
    return p


@pytest.mark.parametrize("loader", [load_marineregions, load_boundaries_file])
def test_garbage_file(garbage: Path, loader: Any) -> None:
    with pytest.raises(BoundaryDataError, match=r"file '.*eez.gpkg' is not a readable vector file .*Give a GeoPackage, Shapefile"):
        loader(garbage)


def test_truncated_geojson(tmp_path: Path) -> None:
    p = tmp_path / "eez.geojson"
    p.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "geom')
    with pytest.raises(BoundaryDataError, match="is not a readable vector file"):
        load_boundaries_file(p)


@pytest.mark.parametrize("loader", [load_marineregions, load_boundaries_file])
def test_empty_file(tmp_path: Path, loader: Any) -> None:
    p = tmp_path / "eez.geojson"
    p.write_bytes(b"")
    with pytest.raises(BoundaryDataError, match=r"'.*eez.geojson' is empty \(0 bytes\)"):
        loader(p)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(BoundaryDataError, match=r"'.*nope.gpkg' does not exist. Check the path"):
        load_boundaries_file(tmp_path / "nope.gpkg")


def test_directory_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(BoundaryDataError, match=r"is a directory; give the file itself"):
        load_marineregions(tmp_path)


def test_unreadable_file(tmp_path: Path) -> None:
    p = S.write_json(tmp_path / "zones.geojson", S.user_collection())
    p.chmod(0)
    try:
        try:
            with open(p, "rb"):
                readable = True
        except PermissionError:
            readable = False
        if readable:
            pytest.skip("running as root (or similar): a chmod 000 file is still readable")
        with pytest.raises(BoundaryDataError, match=r"'.*zones.geojson' cannot be read: Permission denied"):
            load_boundaries_file(p)
    finally:
        p.chmod(0o644)


def _points_and_lines(zone_type: str | None) -> dict[str, Any]:
    props: dict[str, Any] = {"mrgid": 1, "pol_type": "200NM"} if zone_type is None else {"zone_type": zone_type, "states": "JPN"}
    return S.feature_collection(
        [
            {"type": "Feature", "properties": props, "geometry": {"type": "Point", "coordinates": [140.0, 30.0]}},
            {"type": "Feature", "properties": props, "geometry": {"type": "LineString", "coordinates": [[140, 30], [141, 31]]}},
        ]
    )


def test_no_usable_polygons_marineregions(tmp_path: Path) -> None:
    p = S.write_json(tmp_path / "eez.geojson", _points_and_lines(None))
    with pytest.raises(BoundaryDataError, match=r"has no usable polygons in the region \(100.0, 0.0, 180.0, 60.0\)"):
        load_marineregions(p)


def test_no_usable_polygons_user_file(tmp_path: Path) -> None:
    p = S.write_json(tmp_path / "zones.geojson", _points_and_lines("eez"))
    with pytest.raises(BoundaryDataError, match=r"has no usable polygons \(all empty or not polygons\)"):
        load_user_file(p)


def test_swapped_user_file(tmp_path: Path) -> None:
    p = S.write_json(tmp_path / "zones.geojson", S.swap_axes(S.user_collection()))
    with pytest.raises(AxisOrderError, match=r"has y \(latitude\) values from 135 to 152, beyond ±90"):
        load_user_file(p)


def test_swapped_marineregions_wfs20_style(tmp_path: Path) -> None:
    p = S.write_json(tmp_path / "eez.geojson", S.swap_axes(S.mr_eez()))
    with pytest.raises(AxisOrderError, match="look swapped"):
        load_marineregions(p)


def test_missing_zone_type_names_the_columns(tmp_path: Path) -> None:
    fc = S.user_collection()
    for f in fc["features"]:
        f["properties"] = {"kind": f["properties"]["zone_type"], "states": f["properties"]["states"]}
    p = S.write_json(tmp_path / "zones.geojson", fc)
    with pytest.raises(BoundaryDataError) as info:
        load_user_file(p)
    assert "has no 'zone_type' column (columns: ['kind', 'states'])" in str(info.value)
    assert "states (ISO3 codes separated by ';', holder first)" in str(info.value)


def test_user_file_is_not_marineregions(tmp_path: Path) -> None:
    p = S.write_json(tmp_path / "zones.geojson", S.user_collection())
    with pytest.raises(BoundaryDataError, match=r"has no Marine Regions attributes .*its columns are \['name', 'states', 'zone_type'\]"):
        load_marineregions(p)


def test_bad_zone_type_value(tmp_path: Path) -> None:
    areas = list(S.USER_AREAS)
    areas[2] = ("reef", "JPN", "", S.CZ)
    p = S.write_json(tmp_path / "zones.geojson", S.user_collection(areas))
    with pytest.raises(BoundaryDataError) as info:
        load_user_file(p)
    msg = str(info.value)
    assert "zones.geojson', feature 2: zone_type 'reef' is not one of [" in msg
    for z in ZoneType:
        assert repr(z.value) in msg


def test_missing_states(tmp_path: Path) -> None:
    areas = list(S.USER_AREAS)
    areas[3] = ("eez", "", "", S.EEZ)
    p = S.write_json(tmp_path / "zones.geojson", S.user_collection(areas))
    with pytest.raises(BoundaryDataError, match=r"feature 3 \(eez\): no state given"):
        load_user_file(p)


# --------------------------------------------------------------------------- user schema, synthetic


@pytest.fixture(scope="module")
def square_clf(square_boundaries: Boundaries) -> Classifier:
    return Classifier(square_boundaries)


def test_square_island_layers(square_boundaries: Boundaries) -> None:
    square = square_boundaries
    assert square.coverage.bounds == S.COVERAGE
    assert square.provenance.dataset == "square"
    assert square.provenance.claims_policy == "synthetic"
    assert square.layers["japan_land"].areas[0].name == "Square Island"
    assert square.layers["overlapping_claims"].areas[0].states == ("JPN", "RUS")
    assert square.japan_claim.equals(shapely.union_all([shapely.box(*S.EEZ), shapely.box(*S.CLAIM)]))


def test_square_island_known_points(square_clf: Classifier) -> None:
    res = square_clf.classify([p[0] for p in S.KNOWN_POINTS], [p[1] for p in S.KNOWN_POINTS])
    assert res.zones() == [p[2] for p in S.KNOWN_POINTS]
    assert res.japan() == [p[3] for p in S.KNOWN_POINTS]
    for lon, lat, zone, japan in S.KNOWN_POINTS:
        assert S.expected(lon, lat) == (zone, japan)


def test_state_synonym_and_comma_separator(tmp_path: Path) -> None:
    fc = S.user_collection()
    for f in fc["features"]:
        f["properties"]["state"] = f["properties"].pop("states").replace(";", ",")
    b = load_user_file(S.write_json(tmp_path / "z.geojson", fc))
    assert b.layers["overlapping_claims"].areas[0].states == ("JPN", "RUS")


# hypothesis: points on a 0.001-degree lattice offset by half a step never sit on an edge (all
# edges are on multiples of 0.1 degree); the "edgy" strategy also hits edges and corners exactly
lon_in = st.integers(min_value=130_000, max_value=157_000).map(lambda k: k / 1000 + 0.0005)
lat_in = st.integers(min_value=20_000, max_value=40_000).map(lambda k: k / 1000 + 0.0005)
_edges_x = sorted({v for b in (S.LAND, S.TS, S.CZ, S.EEZ, S.FOREIGN, S.CLAIM, S.COVERAGE) for v in (b[0], b[2])})
_edges_y = sorted({v for b in (S.LAND, S.TS, S.CZ, S.EEZ, S.FOREIGN, S.CLAIM, S.COVERAGE) for v in (b[1], b[3])})
edgy_lon = st.one_of(lon_in, st.sampled_from(_edges_x), st.floats(130, 157))
edgy_lat = st.one_of(lat_in, st.sampled_from(_edges_y), st.floats(20, 40))
points = st.lists(st.tuples(lon_in, lat_in), min_size=1, max_size=60)
edgy_points = st.lists(st.tuples(edgy_lon, edgy_lat), min_size=1, max_size=60)
HYP = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@HYP
@given(points)
def test_every_point_gets_exactly_one_zone(square_clf: Classifier, pts: list[tuple[float, float]]) -> None:
    lon, lat = zip(*pts)
    res = square_clf.classify(lon, lat)
    zones, japan = res.zones(), res.japan()
    assert len(zones) == len(japan) == len(pts)
    for (x, y), z, j in zip(pts, zones, japan):
        assert isinstance(z, Zone) and isinstance(j, JapanEEZ)
        assert (z, j) == S.expected(x, y)


@HYP
@given(points, st.sampled_from([-720.0, -360.0, 360.0, 720.0]))
def test_lon_and_lon_plus_360_agree(square_clf: Classifier, pts: list[tuple[float, float]], shift: float) -> None:
    lon, lat = map(np.asarray, zip(*pts))
    a = square_clf.classify(lon, lat)
    b = square_clf.classify(lon + shift, lat)
    np.testing.assert_array_equal(a.zone_code, b.zone_code)
    np.testing.assert_array_equal(a.japan_code, b.japan_code)
    np.testing.assert_array_equal(a.area_index, b.area_index)


@HYP
@given(edgy_points)
def test_scalar_equals_vector(square_clf: Classifier, pts: list[tuple[float, float]]) -> None:
    lon, lat = zip(*pts)
    vec = square_clf.classify(lon, lat)
    for i, (x, y) in enumerate(pts):
        one = square_clf.classify(x, y)
        assert one.zones() == [vec.zones()[i]]
        assert one.japan() == [vec.japan()[i]]


@HYP
@given(edgy_points)
def test_grid_equals_exact(square_clf: Classifier, pts: list[tuple[float, float]]) -> None:
    lon, lat = zip(*pts)
    a = square_clf.classify(lon, lat, use_grid=True)
    b = square_clf.classify(lon, lat, use_grid=False)
    np.testing.assert_array_equal(a.zone_code, b.zone_code)
    np.testing.assert_array_equal(a.area_index, b.area_index)
    np.testing.assert_array_equal(a.japan_code, b.japan_code)


def test_grid_equals_exact_many_points(square_clf: Classifier) -> None:
    rng = np.random.default_rng(7)
    n = 100_000
    lon = rng.uniform(130, 157, n)
    lat = rng.uniform(20, 40, n)
    # a tenth of the points exactly on edges and on grid-cell lines
    k = n // 10
    lon[:k] = rng.choice(np.asarray(_edges_x + [135.05, 140.05]), k)
    lat[k : 2 * k] = rng.choice(np.asarray(_edges_y + [25.05, 30.05]), k)
    a = square_clf.classify(lon, lat, use_grid=True)
    b = square_clf.classify(lon, lat, use_grid=False)
    np.testing.assert_array_equal(a.zone_code, b.zone_code)
    np.testing.assert_array_equal(a.area_index, b.area_index)
    np.testing.assert_array_equal(a.japan_code, b.japan_code)
    # and off the edges both match the hand-worked answer
    off = np.ones(n, bool)
    off[: 2 * k] = False
    exp = [S.expected(x, y)[0] for x, y in zip(lon[off][:3000], lat[off][:3000])]
    assert list(np.asarray(a.zones(), dtype=object)[off][:3000]) == exp

