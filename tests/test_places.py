"""Tests for eezcheck.places: the gazetteer tables, name lookup, nearest place, describe()."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eezcheck.data import package_data_dir
from eezcheck.descriptions import compass_index, describe, round_distance_km
from eezcheck.errors import DataIntegrityError, InvalidCoordinateError, UnknownPlaceError
from eezcheck.geodesy import GEOD, destination
from eezcheck.places import (
    COMPASS_EN,
    COMPASS_JA,
    find_launch_site,
    find_place,
    launch_sites,
    nearest_place,
    nearest_places,
    places,
)

SHARED = Path(__file__).parents[2] / "shared" / "data"


# --------------------------------------------------------------------------------------------
# The tables


def test_package_data_dir_holds_the_tables():
    d = package_data_dir()
    assert (d / "places_japan.csv").is_file()
    assert (d / "launch_sites.csv").is_file()


def test_places_table_is_well_formed():
    ps = places()
    assert len(ps) >= 60
    assert len({p.key for p in ps}) == len(ps)
    for p in ps:
        assert -90 <= p.lat <= 90 and -180 <= p.lon <= 180, p.key
        assert 20 <= p.lat <= 46 and 122 <= p.lon <= 154, f"{p.key} is not around Japan"
        assert p.name_en and p.name_ja and p.kind, p.key
        assert len(p.source) > 15, f"{p.key} needs a real source"
        assert p.coord_status in ("checked", "re-verify"), p.key
        assert p.extent_km >= 0
        json.dumps(p.to_dict())


def test_launch_sites_table_is_well_formed():
    sites = launch_sites()
    assert len(sites) >= 50
    assert len({s.key for s in sites}) == len(sites)
    for s in sites:
        assert 37.5 <= s.lat <= 43 and 124 <= s.lon <= 131, f"{s.key} is not in North Korea"
        assert s.name and s.name_ko and s.name_ja and len(s.source) > 15, s.key
        json.dumps(s.to_dict())


def _squash(name: str) -> str:
    import unicodedata

    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", name).casefold())


@pytest.mark.parametrize("table", ["places", "sites"])
def test_no_alias_names_two_entries(table):
    seen: dict[str, str] = {}
    rows = places() if table == "places" else launch_sites()
    for row in rows:
        names = {row.key, *row.aliases}
        for name in names:
            other = seen.setdefault(_squash(name), row.key)
            assert other == row.key, f"{name!r} names both {other} and {row.key}"


REQUIRED_PLACES = {
    "Okushiri": "okushiri", "渡島大島": "oshima-oshima", "男鹿半島": "oga-peninsula",
    "島後": "dogo", "能登半島": "noto-peninsula", "佐渡島": "sado", "Tappi": "cape-tappi",
    "Tsugaru": "tsugaru-peninsula", "襟裳岬": "cape-erimo", "Cape Soya": "cape-soya",
    "Cape Nosappu": "cape-nosappu", "積丹半島": "shakotan-peninsula", "Rishiri": "rishiri",
    "Rebun": "rebun", "Tobishima": "tobishima", "Awashima": "awashima", "経ヶ岬": "kyogamisaki",
    "Oki Islands": "oki-islands", "Tsushima": "tsushima", "Iki": "iki", "Goto": "goto-islands",
    "竹島": "takeshima", "Senkaku": "uotsuri", "Uotsuri-jima": "uotsuri",
    "Yonaguni": "yonaguni", "Miyako": "miyako", "沖ノ鳥島": "okinotorishima",
    "南鳥島": "minamitorishima", "Hachijojima": "hachijojima", "Chichijima": "chichijima",
    "Etorofu": "etorofu", "Kunashiri": "kunashiri", "Shikotan": "shikotan",
    "Cape Shiretoko": "cape-shiretoko", "Cape Inubo": "cape-inubo",
    "Cape Todogasaki": "cape-todogasaki", "Cape Ashizuri": "cape-ashizuri",
    "Cape Muroto": "cape-muroto", "Cape Sata": "cape-sata", "Aomori": "aomori",
    "Akita": "akita", "Yamagata": "yamagata", "Niigata": "niigata", "Ishikawa": "ishikawa",
    "Fukui": "fukui", "Kyoto": "kyoto", "Hyogo": "hyogo", "Tottori": "tottori",
    "Shimane": "shimane", "Yamaguchi": "yamaguchi", "Hokkaido": "hokkaido",
}  # fmt: skip


@pytest.mark.parametrize(("name", "key"), sorted(REQUIRED_PLACES.items()))
def test_required_places_exist(name, key):
    assert find_place(name).key == key


def test_disputed_places_are_marked():
    disputed = {p.key for p in places() if p.disputed}
    assert {"takeshima", "uotsuri", "etorofu", "kunashiri", "shikotan", "habomai"} <= disputed
    assert "okushiri" not in disputed and "okinotorishima" not in disputed


def test_prefecture_rows_say_which_point_they_are():
    prefs = [p for p in places() if p.kind == "prefecture"]
    assert len(prefs) >= 30
    for p in prefs:
        assert "office" in p.source, p.key
        assert p.extent_km >= 30, p.key


# --------------------------------------------------------------------------------------------
# Lookup


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Okushiri", "okushiri"),
        ("Okushiri Island", "okushiri"),
        ("okushiri-to", "okushiri"),
        ("  OKUSHIRI   island ", "okushiri"),
        ("ｏｋｕｓｈｉｒｉ", "okushiri"),  # full width
        ("奥尻", "okushiri"),
        ("奥尻島", "okushiri"),
        ("北海道奥尻島", "okushiri"),
        ("Okushiri, Hokkaido", "okushiri"),
        ("Oga", "oga-peninsula"),
        ("the Oga Peninsula", "oga-peninsula"),
        ("Akita Prefecture's Oga Peninsula", "oga-peninsula"),
        ("秋田県男鹿半島", "oga-peninsula"),
        ("男鹿", "oga-peninsula"),
        ("Dōgo", "dogo"),
        ("Dogo, Oki Islands, Shimane", "dogo"),
        ("島根県隠岐諸島の島後沖", "dogo"),
        ("Erimo", "cape-erimo"),
        ("Erimo Cape", "cape-erimo"),
        ("the Cape Erimo", "cape-erimo"),
        ("えりも岬", "cape-erimo"),
        ("青森県", "aomori"),
        ("Aomori Prefecture", "aomori"),
        ("経ケ岬", "kyogamisaki"),
        ("沖の鳥島", "okinotorishima"),
        ("Liancourt Rocks", "takeshima"),
        ("Cape Rokkozaki", "rokkozaki"),
    ],
)
def test_find_place_variants(name, key):
    assert find_place(name).key == key


@pytest.mark.parametrize("place", places(), ids=lambda p: p.key)
def test_every_name_and_alias_finds_its_place(place):
    for name in (place.key, place.name_en, place.name_ja, *place.aliases):
        assert find_place(name) is place, name


def test_unknown_place_has_suggestions_in_error_and_message():
    with pytest.raises(UnknownPlaceError) as info:
        find_place("Okushri Island")
    err = info.value
    assert err.suggestions and err.suggestions[0] == "Okushiri Island"
    assert "Okushiri Island" in str(err) and "'Okushri Island'" in str(err)
    assert isinstance(err, ValueError)
    # suggestions are names find_place accepts
    for s in err.suggestions:
        find_place(s)


def test_unknown_place_without_near_names():
    with pytest.raises(UnknownPlaceError, match="no similar name") as info:
        find_place("朝鮮半島")
    assert info.value.suggestions == []


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Sunan", "sunan"),
        ("순안", "sunan"),
        ("順安", "sunan"),
        ("Pyongyang Sunan International Airport", "pyongyang"),
        ("Sohae", "sohae"),
        ("Tongchang-ri", "sohae"),
        ("東倉里", "sohae"),
        ("Musudan-ri", "tonghae"),
        ("무수단리", "tonghae"),
        ("Kalma", "wonsan"),
        ("元山", "wonsan"),
        ("Kusong", "kusong"),
        ("亀城", "kusong"),
        ("Sinpo", "sinpo"),
        ("Hwangju", "hwangju"),
        ("Pukchang", "pukchang"),
        ("Kaechon Air Base", "kaechon"),
        ("Sondok", "sondok"),
        ("Sondok Airbase", "sondok-ab"),
    ],
)
def test_find_launch_site(name, key):
    assert find_launch_site(name).key == key


def test_unknown_launch_site_suggests():
    with pytest.raises(UnknownPlaceError) as info:
        find_launch_site("Sohea")
    assert "Sohae Satellite Launching Station" in info.value.suggestions


def test_shared_launch_sites_and_reference_places_resolve():
    path = SHARED / "places" / "launch_sites.csv"
    if not path.is_file():
        pytest.skip("shared reference data not present")
    with path.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["lat"] and r["key"] != "unknown"]
    for row in rows:
        site = find_launch_site(row["key"])
        assert abs(site.lat - float(row["lat"])) < 0.01 and abs(site.lon - float(row["lon"])) < 0.01
    with (SHARED / "places" / "reference_places.csv").open(encoding="utf-8") as f:
        refs = [r for r in csv.DictReader(f) if r["lat"] and r["name_ja"]]
    for row in refs:
        if "South Korea" in row["name"]:
            continue
        place = find_place(row["name_ja"].split(" ")[0])
        d = GEOD.inv(place.lon, place.lat, float(row["lon"]), float(row["lat"]))[2] / 1000
        assert d < 15, (row["key"], place.key, d)


def test_cns_and_mod_launch_sites_resolve():
    cns = SHARED / "events" / "cns_missile_tests.csv"
    mod = SHARED / "events" / "mod_verdicts_2016_2020.csv"
    if not cns.is_file() or not mod.is_file():
        pytest.skip("shared reference data not present")
    with cns.open(encoding="utf-8") as f:
        keys = {r["facility_key"] for r in csv.DictReader(f)} - {"unknown", ""}
    with mod.open(encoding="utf-8") as f:
        keys |= set(re.findall(r"key=([\w-]+)", f.read()))
    for key in sorted(keys):
        find_launch_site(key)


def test_missing_table_is_a_data_error(monkeypatch, tmp_path):
    from eezcheck import data
    from eezcheck import places as mod

    (tmp_path / "registry.txt").write_text(f"places_japan.csv sha256:{'0' * 64}\n")
    monkeypatch.setattr(data, "package_data_dir", lambda: tmp_path)
    mod.places.cache_clear()
    try:
        with pytest.raises(DataIntegrityError, match="places_japan.csv"):
            mod.places()
    finally:
        monkeypatch.undo()
        mod.places.cache_clear()


# --------------------------------------------------------------------------------------------
# Nearest place


def _brute_force(lons, lats):
    ref = [p for p in places() if not p.disputed and p.kind != "prefecture"]
    plon = np.array([p.lon for p in ref])
    plat = np.array([p.lat for p in ref])
    out = []
    for lon, lat in zip(lons, lats, strict=True):
        az, _, d = GEOD.inv(plon, plat, np.full(len(ref), lon), np.full(len(ref), lat))
        i = int(np.argmin(d))
        out.append((ref[i].key, d[i] / 1000, az[i] % 360))
    return out


def test_nearest_places_matches_brute_force():
    rng = np.random.default_rng(1)
    lons = rng.uniform(118, 160, 400)
    lats = rng.uniform(15, 50, 400)
    keys, dist, az = nearest_places(lons, lats)
    for i, (k, d, a) in enumerate(_brute_force(lons, lats)):
        assert dist[i] == pytest.approx(d, abs=1e-6)
        if keys[i] != k:  # a tie: equal distance to two places
            assert d == pytest.approx(dist[i], abs=1e-6)
        else:
            assert az[i] == pytest.approx(a, abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(
    lon=st.floats(110, 170, allow_nan=False),
    lat=st.floats(10, 55, allow_nan=False),
)
def test_scalar_equals_vector_and_lon_wraps(lon, lat):
    place, d, az = nearest_place(lon, lat)
    keys, dists, azs = nearest_places([lon, lon - 360.0], [lat, lat])
    assert keys[0] == keys[1] == place.key
    assert dists[0] == pytest.approx(d) and dists[1] == pytest.approx(d, abs=1e-6)
    assert azs[0] == pytest.approx(az)
    # the azimuth is from the place to the point: going there lands on the point
    lon2, lat2 = destination(place.lon, place.lat, az, d * 1000)
    assert GEOD.inv(lon2, lat2, lon, lat)[2] < 1.0


def test_nearest_place_options():
    # right next to Takeshima: disputed places are skipped unless asked for
    assert nearest_place(131.87, 37.25).place.key != "takeshima"
    assert nearest_place(131.87, 37.25, include_disputed=True).place.key == "takeshima"
    # at the Aomori prefectural office: prefectures only when asked for
    assert nearest_place(140.7405, 40.8246).place.kind != "prefecture"
    assert nearest_place(140.7405, 40.8246, include_prefectures=True).place.key == "aomori"


def test_nearest_places_validation():
    assert len(nearest_places([], [])) == 0
    with pytest.raises(InvalidCoordinateError, match="differ in length"):
        nearest_places([1, 2], [3])
    with pytest.raises(InvalidCoordinateError, match="lon=nan"):
        nearest_places([np.nan], [40])
    with pytest.raises(InvalidCoordinateError, match="-90..90"):
        nearest_places([130], [95])


def test_nearest_places_many_points_is_fast():
    rng = np.random.default_rng(2)
    res = nearest_places(rng.uniform(125, 150, 50_000), rng.uniform(25, 46, 50_000))
    assert len(res) == 50_000 and np.isfinite(res.distance_km).all()


# --------------------------------------------------------------------------------------------
# describe()


def test_describe_example():
    lon, lat = destination(139.367, 41.51, 270.0, 210_000)
    d = describe(lon, lat)
    assert (d.en, d.ja) == ("about 210 km W of Oshima-Oshima", "渡島大島の西約210km")
    en, ja = d
    assert en == d.en and ja == d.ja
    assert d.place.key == "oshima-oshima" and d.distance_km == 210 and d.rounding_km == 10
    json.dumps(d.to_dict())


def test_describe_far_and_near():
    mtori = find_place("Minamitorishima")
    lon, lat = destination(mtori.lon, mtori.lat, 90.0, 1_183_000)
    d = describe(lon, lat)
    assert d.en == "about 1,180 km E of Minamitorishima"
    assert d.ja == "南鳥島の東約1,180km"
    erimo = find_place("Cape Erimo")
    near = describe(erimo.lon + 0.01, erimo.lat)
    assert (near.en, near.ja) == ("near Cape Erimo", "襟裳岬付近")


def test_describe_uses_16_points_and_japanese_words():
    oki = find_place("Okushiri")
    for i, (en, ja) in enumerate(zip(COMPASS_EN, COMPASS_JA, strict=True)):
        lon, lat = destination(oki.lon, oki.lat, i * 22.5, 42_000)
        d = describe(lon, lat)
        if d.place.key == "okushiri":
            assert d.bearing_en == en and d.bearing_ja == ja
            assert d.en == f"about 40 km {en} of Okushiri Island"


@pytest.mark.parametrize(
    ("d", "rounded"),
    [(0.4, 0), (3.0, 5), (72.4, 70), (72.6, 75), (97.4, 95), (98, 100), (204.9, 200),
     (205.1, 210), (1183, 1180), (2216, 2220)],
)  # fmt: skip
def test_round_distance(d, rounded):
    assert round_distance_km(d) == rounded


@pytest.mark.parametrize(
    ("az", "i16", "i8"),
    [(0, 0, 0), (11.2, 0, 0), (11.3, 1, 0), (22.4, 1, 0), (22.6, 1, 1), (348.7, 15, 0), (348.8, 0, 0),
     (359.9, 0, 0), (-90, 12, 6), (450, 4, 2)],
)  # fmt: skip
def test_compass_index(az, i16, i8):
    assert compass_index(az) == i16
    assert compass_index(az, 8) == i8
