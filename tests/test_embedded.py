"""The embedded (computed) zones: known points, layers, provenance, integrity."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from eezcheck.boundaries import ZoneType
from eezcheck.boundary_readers import load_dataset_dir
from eezcheck.data import MANIFEST, package_data_dir, read_registry, verify_dir
from eezcheck.distances import DistanceIndex
from eezcheck.zones import JAPAN_CODES, Classifier, JapanEEZ, Zone

DATA = package_data_dir()
pytestmark = pytest.mark.skipif(not (DATA / MANIFEST).exists(), reason="embedded data not built")


@pytest.fixture(scope="module")
def emb():
    return load_dataset_dir(DATA)


@pytest.fixture(scope="module")
def clf(emb):
    return Classifier(emb)


# (lat, lon) -> zone, japan verdict, states expected in the zone or the claim
KNOWN = [
    ((41.3, 138.5), Zone.EEZ, JapanEEZ.INSIDE, {"JPN"}),
    ((37.3, 131.95), Zone.OVERLAPPING_CLAIM, JapanEEZ.DISPUTED, {"JPN", "KOR"}),
    ((25.9, 123.6), Zone.OVERLAPPING_CLAIM, JapanEEZ.DISPUTED, {"JPN", "CHN", "TWN"}),
    ((44.0, 147.0), Zone.OVERLAPPING_CLAIM, JapanEEZ.DISPUTED, {"JPN", "RUS"}),
    ((20.5, 136.5), Zone.EEZ, JapanEEZ.INSIDE, {"JPN"}),
    ((38.9, 133.3), Zone.OVERLAPPING_CLAIM, JapanEEZ.DISPUTED, {"JPN", "KOR"}),
    ((36.0, 170.0), Zone.HIGH_SEAS, JapanEEZ.OUTSIDE, set()),
    ((36.0, -170.0), Zone.UNKNOWN, JapanEEZ.OUTSIDE, set()),  # beyond the coverage: not guessed
    ((52.0, 175.0), Zone.FOREIGN_EEZ, JapanEEZ.OUTSIDE, {"USA"}),  # Aleutians, west of 180
    ((39.0, 132.0), Zone.FOREIGN_EEZ, JapanEEZ.OUTSIDE, {"KOR"}),
    ((40.0, 134.0), Zone.FOREIGN_EEZ, JapanEEZ.OUTSIDE, {"RUS"}),
    ((35.68, 139.77), Zone.LAND, JapanEEZ.INSIDE, {"JPN"}),
    ((35.0, 160.0), Zone.HIGH_SEAS, JapanEEZ.OUTSIDE, set()),
    ((26.5, 136.0), Zone.HIGH_SEAS, JapanEEZ.OUTSIDE, set()),  # the pocket south of Shikoku
    ((45.0, 155.0), Zone.FOREIGN_EEZ, JapanEEZ.OUTSIDE, {"RUS"}),
    ((13.45, 144.78), Zone.LAND, JapanEEZ.OUTSIDE, {"USA"}),  # Guam
    ((34.74, 139.30), Zone.INTERNAL_WATERS, JapanEEZ.INSIDE, {"JPN"}),  # off Izu Oshima: more than 12 nm inside OSM's territorial-sea outline
    ((34.60, 139.60), Zone.TERRITORIAL_SEA, JapanEEZ.INSIDE, {"JPN"}),  # south-east of Izu Oshima
]


@pytest.mark.parametrize(("latlon", "zone", "japan", "states"), KNOWN)
def test_known_points(clf, latlon, zone, japan, states):
    lat, lon = latlon
    r = clf.classify([lon], [lat])
    assert r.zones()[0] is zone
    assert r.japan()[0] is japan
    i = r.area_index[0]
    if states:
        assert set(clf.areas[i].states) == states


def test_coverage_holds_japans_claim(emb):
    """Points beyond the coverage are answered 'unknown'; Japan's whole claim lies inside it, so
    Japan's verdict is still known there ('outside')."""
    assert emb.coverage.contains(emb.japan_claim)


def test_okinotorishima_is_contested_not_disputed(emb):
    contested = [a for a in emb.areas if a.zone_type is ZoneType.CONTESTED]
    assert len(contested) == 1
    a = contested[0]
    assert a.states[0] == "JPN" and {"CHN", "KOR"} <= set(a.states)
    assert a.geometry.contains(__import__("shapely").Point(136.5, 20.5))


def test_disputed_areas_are_labelled(emb):
    claims = {a.feature: set(a.states) for a in emb.areas if a.zone_type is ZoneType.OVERLAPPING_CLAIM}
    assert len(claims) == 3
    assert any("Takeshima" in f and s == {"JPN", "KOR"} for f, s in claims.items())
    assert any("Senkaku" in f and s == {"JPN", "CHN", "TWN"} for f, s in claims.items())
    assert any("Kuril" in f and s == {"JPN", "RUS"} for f, s in claims.items())


def test_layers_and_provenance(emb):
    names = set(emb.layers)
    assert {"japan_eez", "japan_territorial_sea", "japan_contiguous_zone", "overlapping_claims", "foreign_eez", "japan_land"} <= names
    states = {a.holder for a in emb.areas if a.zone_type is ZoneType.EEZ}
    assert {"JPN", "KOR", "PRK", "RUS", "CHN", "TWN", "PHL", "USA"} <= states
    p = emb.provenance
    assert "OpenStreetMap" in p.licence and p.sha256 and "japan" in p.claims_policy


def test_registry_matches_files():
    reg = read_registry(DATA)
    files = {p.name for p in DATA.iterdir() if p.is_file() and p.name != "registry.txt" and p.suffix != ".py" and not p.name.startswith(("_", "."))}
    assert set(reg) == files
    assert all(c.ok for c in verify_dir(DATA))


def test_manifest_names_method_and_sources():
    m = json.loads((DATA / MANIFEST).read_text(encoding="utf-8"))
    assert m["inputs"]["roaring-landmask"] == "0.11.0"
    assert "equidistance" in m["method"] or "closer to the state" in m["method"]
    assert m["coverage"] == [115.0, 10.0, 180.0, 55.0]


def test_distances_are_consistent(emb, clf):
    di = DistanceIndex(emb)
    rng = np.random.default_rng(3)
    lon = rng.uniform(125, 150, 300)
    lat = rng.uniform(25, 45, 300)
    r = clf.classify(lon, lat)
    inside = np.isin(r.japan_code, [0, 2])
    d, _, _ = di.signed_limit_m(lon, lat, inside)
    assert np.all((d > 0) == inside)
    land = di.land_m(lon, lat)
    assert np.all(land >= 0)


def test_sources_md_has_validation_figures():
    text = (Path(DATA) / "SOURCES.md").read_text(encoding="utf-8")
    assert "roaring-landmask==0.11.0" in text and "ODbL" in text


def test_korea_strait_follows_the_1974_treaty_line(emb):
    """Between its end points Japan's limit runs along the 1974 Japan-Korea continental shelf
    boundary: every treaty turning point is on it (within 0.5 km: the limit's vertices lie on the
    line ~2 km apart, so the sharpest turn, at point 30, is cut by 0.3 km; the datum of the treaty
    charts, ~0.5 km from WGS84, is not corrected) and the sides are right."""
    from eezcheck.build.treaties import JAPAN_KOREA_1974 as T
    from eezcheck.distances import LineDistance

    ll = T.lonlat[1:-1]
    d, _, _ = LineDistance(emb.japan_limit, max_seg_m=200.0).nearest(ll[:, 0], ll[:, 1])
    assert d.max() < 500.0, ll[np.argmax(d)]
    assert np.median(d) < 50.0
    m = json.loads((DATA / MANIFEST).read_text(encoding="utf-8"))
    assert m["inputs"]["treaty_lines"] == ["japan_korea_1974"]
    clf = Classifier(emb)
    # north of the line off Busan; off Tsushima; and just west of the line east of Tsushima,
    # where a median line drawn from Japan's straight baselines would run ~5 km farther west
    r = clf.classify(np.array([129.2, 129.45, 130.26]), np.array([35.05, 34.75, 35.16]))
    holders = [clf.areas[i].holder if i >= 0 else "" for i in r.area_index]
    assert [JAPAN_CODES[c] for c in r.japan_code] == [JapanEEZ.OUTSIDE, JapanEEZ.INSIDE, JapanEEZ.OUTSIDE]
    assert holders[0] == holders[2] == "KOR"
