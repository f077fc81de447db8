"""Tests of eezcheck.check and eezcheck.uncertainty: point verdicts, inputs, vectorised answers.

Unit tests use the synthetic square island of ``fixtures.synthetic`` (answers known by hand);
the real-data tests read the Marine Regions v12 reference clip from ``../shared/data`` and skip
when it is absent.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from fixtures import synthetic as S
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import eezcheck
from eezcheck.boundaries import ZoneType
from eezcheck.boundary_readers import load_marineregions, load_user_file
from eezcheck.checker import (
    SWAP_WARNING,
    Checker,
    check,
    check_many,
    get_checker,
)
from eezcheck.errors import (
    InvalidCoordinateError,
    InvalidInputError,
    UnknownPlaceError,
    WordingError,
)
from eezcheck.geodesy import GEOD
from eezcheck.inputs import looks_like_coordinates
from eezcheck.results import RESULT_KEYS, Claim
from eezcheck.uncertainty import (
    N_SAMPLES,
    R95_PER_SIGMA_2D,
    CircularUncertainty,
    p_inside_circular,
    sample_circular,
    standard_offsets,
    verdict_with_p,
)
from eezcheck.zones import JapanEEZ, Zone

SHARED = Path(__file__).resolve().parents[2] / "shared"
MR_PATH = SHARED / "data" / "reference" / "marineregions_eez_v12_japan_region.geojson"

JOINT = (148.5, 30.0, 149.5, 31.0)  # inside the Russian EEZ of the synthetic data
CONTESTED = (137.5, 27.5, 139.0, 29.0)  # inside the Japanese EEZ


@pytest.fixture(scope="module")
def square_claims(tmp_path_factory: pytest.TempPathFactory):
    """Synthetic square island plus a joint regime (and a contested area when supported)."""
    areas = list(S.USER_AREAS) + [("joint_regime", "KOR;JPN", "Joint regime: test", JOINT)]
    if "contested" in {z.value for z in ZoneType}:
        areas.append(("contested", "JPN;CHN;KOR", "Contested: test rock", CONTESTED))
    path = S.write_json(
        tmp_path_factory.mktemp("square") / "zones.geojson", S.user_collection(areas)
    )
    return load_user_file(path, dataset="square", version="t1", claims_policy="synthetic: as drawn")


@pytest.fixture(scope="module")
def mr():
    if not MR_PATH.exists():
        pytest.skip(f"Marine Regions reference clip not found at {MR_PATH}")
    return load_marineregions(MR_PATH)


# --------------------------------------------------------------------------- result shape


def test_to_dict_has_exactly_the_documented_keys(square_claims):
    r = check(28.0, 138.0, boundaries=square_claims)
    d = r.to_dict()
    assert list(d) == list(RESULT_KEYS)
    assert set(d["boundaries"]) == {
        "dataset",
        "version",
        "sha256",
        "claims_policy",
        "source",
        "licence",
        "crs",  # a boundary file's CRS as read (issue 11): the square is GeoJSON, RFC 7946
    }
    assert d["boundaries"]["crs"].startswith("EPSG:4326 (WGS 84) from the file's CRS (read by GDAL)")
    assert (
        d["boundaries"]["dataset"] == "square"
        and d["boundaries"]["claims_policy"] == "synthetic: as drawn"
    )
    json.dumps(d, sort_keys=True, ensure_ascii=False)  # serialisable
    assert d["input"] == {"kind": "lat_lon"}
    assert d["p_inside"] is None and d["uncertainty_km"] is None and d["uncertainty_model"] is None


def test_result_is_frozen(square_claims):
    r = check(28.0, 138.0, boundaries=square_claims)
    with pytest.raises(AttributeError):
        r.lat = 0.0  # type: ignore[misc]


@pytest.mark.parametrize(("lon", "lat", "zone", "japan"), S.KNOWN_POINTS)
def test_known_points_of_the_square_island(square_claims, lon, lat, zone, japan):
    r = check(lat, lon, boundaries=square_claims)
    assert (r.zone, r.japan_eez) == (zone, japan)
    assert r.lat == lat and r.lon == lon


def test_zone_names_and_states(square_claims):
    r = check(28.0, 147.0, boundaries=square_claims)
    assert r.zone is Zone.FOREIGN_EEZ and r.zone_name == "Russian EEZ" and r.zone_states == ("RUS",)
    hs = check(26.0, 136.0, boundaries=square_claims)
    assert hs.zone_name == "High seas" and hs.zone_states == ()
    unk = check(30.0, 120.0, boundaries=square_claims)
    assert (
        unk.zone is Zone.UNKNOWN and unk.zone_name.startswith("Unknown") and unk.zone_states == ()
    )


def test_signed_distance_to_a_straight_limit(square_claims):
    # the synthetic EEZ's southern edge is the parallel 27 N (lon/lat straight line); from
    # 28 N on the same meridian the nearest limit point is due south
    r = check(28.0, 140.5, boundaries=square_claims)
    _, _, expect_m = GEOD.inv(140.5, 28.0, 140.5, 27.0)
    assert r.distance_to_eez_limit_km == pytest.approx(expect_m / 1000, abs=0.002)
    assert r.distance_to_eez_limit_nm == pytest.approx(expect_m / 1852, abs=0.002)
    out = check(26.0, 140.5, boundaries=square_claims)
    assert out.distance_to_eez_limit_km == pytest.approx(-expect_m / 1000 * 1.0, rel=0.01)
    assert out.distance_to_eez_limit_km < 0 and not out.inside


def test_nearest_land_and_places(square_claims):
    r = check(30.5, 139.5, boundaries=square_claims)  # 0.5 deg west of the square_claims island
    _, _, expect_m = GEOD.inv(139.5, 30.5, 140.0, 30.5)
    assert r.nearest_japanese_land_km == pytest.approx(expect_m / 1000, rel=0.002)
    assert check(30.5, 140.5, boundaries=square_claims).nearest_japanese_land_km == 0.0
    assert r.nearest_place is not None and r.description_en and r.description_ja


def test_descriptions_match_describe():
    """The vectorised descriptions of check_many are describe()'s, point by point (on foreign
    land too, and beyond the coverage)."""
    from eezcheck.descriptions import describe

    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(115, 160, 60), rng.uniform(5, 50, 60)
    res = check_many(
        lat, lon,
        fields=["zone", "zone_states", "nearest_place", "description_en", "description_ja"],
    )  # fmt: skip
    kinds = set()
    for i in range(60):
        zone, states = res["zone"][i], tuple(res["zone_states"][i])
        land = states[0] if zone == "land" and states and states[0] != "JPN" else ""
        d = describe(
            float(lon[i]), float(lat[i]), beyond_coverage=zone == "unknown", land_state=land
        )
        kinds.add("land" if land else zone)
        assert (res["description_en"][i], res["description_ja"][i]) == (d.en, d.ja)
        assert res["nearest_place"][i].key == d.place.key
    assert {"land", "unknown"} <= kinds


# --------------------------------------------------------------------------- claims


def test_claims_overlapping(square_claims):
    r = check(33.0, 144.5, boundaries=square_claims)
    assert r.japan_eez is JapanEEZ.DISPUTED
    assert r.claims == (
        Claim("Overlapping claim: Japan / Russia", ("JPN", "RUS"), "overlapping_claim"),
    )
    assert r.to_dict()["claims"] == [
        {
            "feature": "Overlapping claim: Japan / Russia",
            "states": ["JPN", "RUS"],
            "kind": "overlapping_claim",
        }
    ]


def test_claims_joint_regime(square_claims):
    r = check(30.5, 149.0, boundaries=square_claims)
    assert r.zone is Zone.JOINT_REGIME and r.japan_eez is JapanEEZ.DISPUTED
    assert [c.kind for c in r.claims] == ["joint_regime"]
    assert r.claims[0].states == ("KOR", "JPN")


def test_claims_contested_area_is_a_claim_not_a_zone(square_claims):
    if "contested" not in {z.value for z in ZoneType}:
        pytest.skip("this boundaries.py has no 'contested' zone type yet")
    r = check(28.0, 138.0, boundaries=square_claims)
    assert r.zone is Zone.EEZ and r.japan_eez is JapanEEZ.INSIDE
    assert r.to_dict()["claims"] == [
        {"feature": "Contested: test rock", "states": ["JPN", "CHN", "KOR"], "kind": "contested"}
    ]
    assert check(28.0, 140.5, boundaries=square_claims).claims == ()


def test_claims_real_takeshima(mr):
    r = check(37.2, 131.87, boundaries=mr)  # 5 km south of the rocks
    assert r.japan_eez is JapanEEZ.DISPUTED and r.zone is Zone.OVERLAPPING_CLAIM
    assert r.to_dict()["claims"] == [
        {"feature": "Liancourt Rocks", "states": ["JPN", "KOR"], "kind": "overlapping_claim"}
    ]


# --------------------------------------------------------------------------- inputs


@pytest.mark.parametrize(
    "text",
    [
        "41.3 138.5",
        "41.3,138.5",
        "41.3N 138.5E",
        "41°18'N 138°30'E",
        "41°18′00″N 138°30′00″E",
        "北緯41.3度 東経138.5度",
    ],
)
def test_text_coordinates(mr, text):
    r = check(text=text, boundaries=mr)
    assert (r.lat, r.lon) == pytest.approx((41.3, 138.5))
    assert r.input == {"kind": "coordinates", "text": text}
    assert r.japan_eez is JapanEEZ.INSIDE


def test_lat_lon_forms_and_normalised_longitude(mr):
    assert check("41.3N", "138.5E", boundaries=mr).lon == 138.5
    r = check(41.3, -138.5 + 360, boundaries=mr)  # the 0..360 convention
    assert r.lon == pytest.approx(-138.5)
    with pytest.raises(InvalidCoordinateError, match="outside -180..180"):
        check(41.3, 138.5 - 360, boundaries=mr)  # below -180: refused, never wrapped
    assert check(-33.9, 151.2, boundaries=mr).zone is Zone.UNKNOWN


@pytest.mark.parametrize(
    "wording",
    [
        "about 200 km west of Okushiri Island",
        "200km W of Okushiri",
        "北海道奥尻島の西約200km",
        "奥尻島の西方約200キロ",
    ],
)
def test_wording_forms_agree(mr, wording):
    r = check(text=wording, boundaries=mr)
    assert r.input["kind"] == "wording" and r.input["place"] == "okushiri"
    assert r.input["bearing_deg"] == 270.0 and r.input["distance_km"] == 200.0
    assert r.uncertainty_model is not None and r.uncertainty_model["kind"] == "wording"
    assert r.p_inside is not None and 0.0 <= r.p_inside <= 1.0
    assert r.japan_eez.value == verdict_with_p("inside" if r.inside else "outside", r.p_inside)
    again = check(wording=wording, boundaries=mr)
    assert again.to_dict() == r.to_dict()


def test_wording_uncertainty_overridden_by_radius(mr):
    r = check(wording="Cape Erimo east 1,180 km", uncertainty_km=10, boundaries=mr)
    assert r.uncertainty_model == CircularUncertainty(10.0).to_dict()
    assert r.japan_eez is JapanEEZ.OUTSIDE and r.p_inside == 0.0


def test_launch_range_bearing(mr):
    r = check(launch="sunan", range_km=1000, bearing_deg=75, boundaries=mr)
    lon, lat, _ = GEOD.fwd(125.70926, 39.20299, 75, 1_000_000)
    assert (r.lon, r.lat) == pytest.approx((lon, lat))
    assert r.input["kind"] == "launch" and r.input["launch"]["key"] == "sunan"
    same = check(launch="39.20299 125.70926", range_km=1000, bearing_deg="75", boundaries=mr)
    assert (same.lat, same.lon) == pytest.approx((r.lat, r.lon))
    word = check(launch="順安", range_km=1000, bearing_deg="ENE", boundaries=mr)
    assert word.input["bearing_deg"] == 67.5 and word.input["bearing_points"] == 16


def test_closest_approach_and_footprint_reach(mr):
    """The one closest-approach module (eezcheck.approach) and the footprint that check uses."""
    from eezcheck.approach import closest_approach
    from eezcheck.footprint import footprint

    near = closest_approach(125.70926, 39.20299, boundaries=mr)
    assert 400 < near.distance_km < 700 and not near.inside
    # the nearest limit point is on the limit: just outside it is outside, geodesically that far
    _, _, d = GEOD.inv(125.70926, 39.20299, near.lon, near.lat)
    assert d / 1000 == pytest.approx(near.distance_km, abs=0.2)
    short = footprint(125.70926, 39.20299, near.distance_km - 5, boundaries=mr)
    far = footprint(125.70926, 39.20299, near.distance_km + 20, boundaries=mr)
    assert not short.can_reach and far.can_reach
    assert short.gap_km >= 5 - 0.01
    assert closest_approach(138.5, 41.3, boundaries=mr).distance_km == 0.0


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"lat": 91, "lon": 10},
            InvalidCoordinateError,
            "latitude 91.0, longitude 10.0 is not a valid coordinate",
        ),
        (
            {"lat": float("nan"), "lon": 10},
            InvalidCoordinateError,
            "latitude nan, longitude 10.0 is not a valid",
        ),
        ({"lat": "91N", "lon": "10E"}, InvalidCoordinateError, "latitude 91 is outside -90..90"),
        (
            {"text": "hello world"},
            InvalidInputError,
            "cannot read 'hello world' as coordinates or as an impact description",
        ),
        ({"text": "nan 3"}, InvalidCoordinateError, "cannot read coordinates from 'nan 3'"),
        (
            {"text": "about 200 km west of Okushirri Island"},
            UnknownPlaceError,
            "unknown place 'Okushirri Island'",
        ),
        (
            {"text": "200 km sideways of Okushiri"},
            WordingError,
            "cannot read the bearing 'sideways'",
        ),
        (
            {"launch": "sunan", "range_km": 1000, "bearing_deg": "sideways"},
            WordingError,
            "cannot read the bearing 'sideways'",
        ),
        (
            {"launch": "sunnan", "range_km": 1000, "bearing_deg": 75},
            UnknownPlaceError,
            "unknown launch site or area 'sunnan'",
        ),
        (
            {"launch": "sunan", "range_km": -3, "bearing_deg": 75},
            InvalidInputError,
            "range_km -3 km is out of range",
        ),
        (
            {"launch": "sunan", "range_km": 1000},
            InvalidInputError,
            "a range without a bearing gives no impact point",
        ),
        (
            {"lat": 41.3, "lon": 138.5, "text": "41 138"},
            InvalidInputError,
            "give exactly one point",
        ),
        ({}, InvalidInputError, "give exactly one point"),
        (
            {"lat": 41.3, "lon": 138.5, "uncertainty_km": -1},
            InvalidInputError,
            "uncertainty -1 km is not a radius",
        ),
    ],
)
def test_bad_input_says_what_was_read(square_claims, kwargs, error, message):
    with pytest.raises(error) as exc:
        check(**kwargs, boundaries=square_claims)
    assert message in str(exc.value)
    assert exc.value.exit_code == 2


def test_unknown_place_lists_nearest_matches(square_claims):
    with pytest.raises(UnknownPlaceError) as exc:
        check(text="about 200 km west of Okushirri Island", boundaries=square_claims)
    assert "Okushiri Island" in exc.value.suggestions


def test_looks_like_coordinates():
    assert looks_like_coordinates("41°18'N 138°30'E") and looks_like_coordinates("nan 3")
    assert not looks_like_coordinates("200km W of Okushiri") and not looks_like_coordinates("hello")


def test_swapped_reading_warns(tmp_path):
    # land far inland at lat 40 lon 15; read the other way round (lat 15, lon 40) it is at sea
    # inside a Japanese EEZ: say so, without changing the answer
    areas = [
        ("land", "XXX", "Continent", (0.0, 30.0, 30.0, 60.0)),
        ("eez", "JPN", "Japanese EEZ", (30.0, 5.0, 50.0, 25.0)),
        ("land", "JPN", "Island", (39.0, 19.0, 40.0, 20.0)),
        ("coverage", "", "", (0.0, 0.0, 60.0, 60.0)),
    ]
    b = load_user_file(S.write_json(tmp_path / "z.geojson", S.user_collection(areas)))
    r = check(40.0, 15.0, boundaries=b)
    assert r.zone is Zone.LAND and r.japan_eez is JapanEEZ.OUTSIDE
    assert r.warnings == (
        "latitude 40, longitude 15 is on land: did you swap latitude and longitude? Read as "
        "latitude 15, longitude 40 it would be at sea, inside Japan's EEZ.",
    )
    assert SWAP_WARNING in r.warnings[0]
    assert check(40.0, 35.0, boundaries=b).warnings == ()  # at sea: no warning
    # batch answers carry the same warnings
    assert check_many([40.0], [15.0], boundaries=b).row(0).warnings == r.warnings


# --------------------------------------------------------------------------- vectorised


def test_check_many_rows_equal_check(mr):
    rng = np.random.default_rng(5)
    lats = np.concatenate([rng.uniform(15, 50, 30), [37.24, 41.3, -33.9]])
    lons = np.concatenate([rng.uniform(120, 160, 30), [131.87, 138.5, 151.2]])
    res = check_many(lats, lons, boundaries=mr)
    assert len(res) == 33
    for i in range(33):
        assert res.row(i).to_dict() == check(lats[i], lons[i], boundaries=mr).to_dict()


def test_check_many_grid_path_equals_check(square_claims):
    # >= 20,000 points take the classifier's grid path; answers must not change
    rng = np.random.default_rng(11)
    n = 25_000
    lats, lons = rng.uniform(24, 37, n), rng.uniform(134, 153, n)
    res = check_many(
        lats,
        lons,
        boundaries=square_claims,
        fields=["zone", "japan_eez", "distance_to_eez_limit_km", "claims"],
    )
    for i in rng.choice(n, 40, replace=False):
        one = check(lats[i], lons[i], boundaries=square_claims)
        assert (res["zone"][i], res["japan_eez"][i]) == (one.zone.value, one.japan_eez.value)
        assert res["distance_to_eez_limit_km"][i] == one.distance_to_eez_limit_km
        assert tuple(res["claims"][i]) == one.claims
    # and every point agrees with the hand-worked answer
    for i in rng.choice(n, 2000, replace=False):
        zone, japan = S.expected(lons[i], lats[i])
        assert (res["zone"][i], res["japan_eez"][i]) == (zone.value, japan.value) or _in_extra(
            lons[i], lats[i]
        )


def _in_extra(lon: float, lat: float) -> bool:
    """Inside the joint regime or contested box added to the square_claims fixture."""
    return any(b[0] <= lon <= b[2] and b[1] <= lat <= b[3] for b in (JOINT, CONTESTED))


def test_check_many_with_uncertainty_equals_check(mr):
    lats, lons = [41.3, 42.12, 39.0, 37.24], [138.5, 137.05, 134.0, 131.87]
    r = [0.0, 80.0, 150.0, float("nan")]
    res = check_many(lats, lons, uncertainty_km=r, boundaries=mr)
    for i in range(4):
        one = check(
            lats[i], lons[i], uncertainty_km=None if math.isnan(r[i]) else r[i], boundaries=mr
        )
        assert res.row(i).to_dict() == one.to_dict()
    assert res.row(3).p_inside is None and res.row(0).p_inside == 1.0


def test_check_many_dataframe(mr):
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"latitude": [41.3, 30.0], "longitude": [138.5, 150.0]}, index=["a", "b"])
    out = check_many(df, boundaries=mr)
    assert list(out.index) == ["a", "b"]
    assert out.loc["a", "japan_eez"] == "inside" and out.loc["b", "japan_eez"] == "outside"
    flat = {"nearest_place_key", "nearest_place_distance_km", "nearest_place_azimuth_deg"}
    assert set(RESULT_KEYS) - {"boundaries", "uncertainty_model", "nearest_place"} | flat <= set(
        out.columns
    )
    assert out.loc["a", "nearest_place_key"] == "oshima-oshima"


def test_check_many_fields_and_errors(mr):
    res = check_many([41.3], [138.5], fields=["japan_eez"], boundaries=mr)
    assert set(res.columns) == {"lat", "lon", "japan_eez"}
    with pytest.raises(KeyError):
        res.row(0)
    with pytest.raises(InvalidInputError, match="unknown field"):
        check_many([41.3], [138.5], fields=["nope"], boundaries=mr)
    with pytest.raises(InvalidCoordinateError, match="point 1: latitude 95.0"):
        check_many([41.3, 95.0], [138.5, 1.0], boundaries=mr)
    with pytest.raises(InvalidCoordinateError, match="differ in length"):
        check_many([41.3, 42.0], [138.5], boundaries=mr)


def test_checker_reuses_indexes(square_claims):
    assert get_checker(square_claims) is get_checker(square_claims)
    c = Checker(square_claims)
    a = c.check(28.0, 138.0)
    clf, dist = c.classifier, c.distances
    c.check(30.0, 140.0)
    c.check_many([30.0], [140.0])
    assert c.classifier is clf and c.distances is dist and a.japan_eez is JapanEEZ.INSIDE


# --------------------------------------------------------------------------- uncertainty


def test_standard_offsets_are_fixed():
    z = standard_offsets()
    assert z.shape == (N_SAMPLES, 2)
    assert np.array_equal(z, np.random.default_rng(0).standard_normal((N_SAMPLES, 2)))


def test_circular_samples_have_the_95_percent_radius():
    slon, slat = sample_circular(140.0, 35.0, 100.0)
    _, _, d = GEOD.inv(np.full(N_SAMPLES, 140.0), np.full(N_SAMPLES, 35.0), slon[0], slat[0])
    inside = np.mean(np.asarray(d) <= 100_000)
    assert inside == pytest.approx(0.95, abs=0.015)
    assert R95_PER_SIGMA_2D == pytest.approx(2.4477, abs=1e-4)


def test_p_inside_straight_limit_matches_normal_cdf(square_claims):
    # across a straight limit the probability is the 1-D normal CDF of distance / sigma
    c = Checker(square_claims)
    d_km = check(27.3, 140.5, boundaries=square_claims).distance_to_eez_limit_km
    assert d_km is not None
    p = float(p_inside_circular(c.classifier, [140.5], [27.3], [100.0])[0])
    sigma = 100.0 / R95_PER_SIGMA_2D
    expect = 0.5 * (1 + math.erf(d_km / sigma / math.sqrt(2)))
    assert p == pytest.approx(expect, abs=0.02)
    r = check(27.3, 140.5, uncertainty_km=100, boundaries=square_claims)
    assert r.japan_eez is JapanEEZ.UNCERTAIN and r.p_inside == pytest.approx(p, abs=1e-4)


@pytest.mark.parametrize(
    ("point", "p", "verdict"),
    [("inside", 0.5, "uncertain"), ("outside", 0.96, "inside"), ("disputed", 0.99, "disputed"),
     ("inside", 0.05, "outside"), ("outside", None, "outside"), ("inside", 0.95, "inside")],
)  # fmt: skip
def test_verdict_rule(point, p, verdict):
    assert verdict_with_p(point, p) == verdict


# --------------------------------------------------------------------------- properties

REGION = st.tuples(
    st.floats(min_value=15.0, max_value=50.0, allow_nan=False),
    st.floats(min_value=120.0, max_value=160.0, allow_nan=False),
)
PROPS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    points=st.lists(REGION, min_size=1, max_size=5), r=st.one_of(st.none(), st.floats(0.0, 300.0))
)
def test_property_scalar_and_vector_agree(mr, points, r):
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    res = check_many(lats, lons, uncertainty_km=r, boundaries=mr)
    for i, (lat, lon) in enumerate(points):
        assert res.row(i).to_dict() == check(lat, lon, uncertainty_km=r, boundaries=mr).to_dict()


@PROPS
@given(point=REGION, turns=st.sampled_from([-1, 1]))
def test_property_lon_plus_minus_360(mr, point, turns):
    """lon and lon + 360 agree where lon + 360 is within 0..360; elsewhere an error."""
    lat, lon = point
    a = check(lat, lon, boundaries=mr)
    if not -180 <= lon + 360 * turns <= 360:
        with pytest.raises(InvalidCoordinateError, match="outside -180..180"):
            check(lat, lon + 360 * turns, boundaries=mr)
        return
    b = check(lat, lon + 360 * turns, boundaries=mr)
    assert (a.zone, a.japan_eez, a.claims) == (b.zone, b.japan_eez, b.claims)
    assert a.distance_to_eez_limit_km == pytest.approx(b.distance_to_eez_limit_km, abs=1e-3)


@PROPS
@given(point=REGION)
def test_property_distance_sign_agrees_with_verdict(mr, point):
    r = check(*point, boundaries=mr)
    assert r.distance_to_eez_limit_km is not None
    positive = math.copysign(1.0, r.distance_to_eez_limit_km) > 0
    assert positive == (r.japan_eez in (JapanEEZ.INSIDE, JapanEEZ.DISPUTED))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(point=REGION)
def test_property_p_moves_to_0_or_1_as_uncertainty_shrinks(mr, point):
    c = get_checker(mr)
    r = check(*point, boundaries=mr)
    d = abs(r.distance_to_eez_limit_km or 0.0)
    if d < 1.0:
        return
    truth = 1.0 if r.inside else 0.0
    radii = [4 * d, 2 * d, d, d / 2]
    p = p_inside_circular(c.classifier, [r.lon] * 4, [r.lat] * 4, radii)
    dev = np.abs(p - truth)
    # no sample reaches the limit when 4.1 sigma (the largest of 4000 draws) < d
    assert dev[-1] == 0.0
    assert np.all(np.diff(dev) <= 0.05), (radii, p)


# --------------------------------------------------------------------------- package


def test_import_eezcheck_is_light():
    code = (
        "import sys, eezcheck; heavy = [m for m in ('shapely', 'pyproj', 'numpy', 'scipy') if m in sys.modules]; "
        "print(heavy); assert callable(eezcheck.check) and callable(eezcheck.check_many)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_package_exports(mr):
    assert eezcheck.check(41.3, 138.5, boundaries=mr).japan_eez is JapanEEZ.INSIDE
    assert eezcheck.check_many([41.3], [138.5], boundaries=mr)["japan_eez"][0] == "inside"
    assert eezcheck.Checker is Checker
