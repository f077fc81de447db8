"""Every row of data/launch_areas.csv checked against the repository's own data.

No outline of North Korea's provinces is installable, so each centre and extent is checked
against what the repository does hold:

- the OSM land and territorial sea of North Korea embedded in the boundary data: every
  province, city and area centre lies on North Korean land, every coastal city within 20 km
  of the sea, and each coast's disc holds both ends of that coast (where North Korea's land
  meets the sea furthest south and furthest north) and every coastal launch site;
- ``data/launch_sites.csv``: the sites an area's own ``source`` says it holds;
- the CNS table's descriptions (``../shared/data/events/cns_missile_tests.csv``): the launch
  sites that a quoted JCS, Yonhap, CNN or KCNA statement places in a province lie inside that
  province's disc (skipped when ../shared is absent).
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
import shapely

from eezcheck.geodesy import GEOD
from eezcheck.places import launch_areas, launch_sites

CNS = Path(__file__).resolve().parents[2] / "shared" / "data" / "events" / "cns_missile_tests.csv"
AREAS = {a.key: a for a in launch_areas()}
SITES = {s.key: s for s in launch_sites()}
COASTAL_KM = 20.0  # a launch site or city this close to the sea is on the coast
EAST_OF, WEST_OF = 127.0, 126.8  # the peninsula's east and west coasts, by longitude

# province <- launch site, as a CNS description states it: (site, date_utc, words quoted)
PROVINCE_SITES: dict[str, list[tuple[str, str, str]]] = {
    "north-hwanghae": [
        ("hwangju", "2016-03-10", "CNN states the missiles came from the North Hwanghae province"),
        ("sariwon", "2024-11-04", "from the Sariwon area of North Hwanghae province"),
    ],
    "south-hwanghae": [
        ("jangyon", "2024-06-30", "from the Jangyon area in South Hwanghae Province"),
    ],
    "south-pyongan": [
        ("sunchon", "2019-10-31", "from areas in the city of Sunchon, South Pyongan Province"),
        ("kaechon", "2024-09-17", "from the Kaechon area in South Pyongan Province"),
    ],
    "north-pyongan": [
        ("sonchon", "2020-03-20", "launched from the North Pyongan province"),
        ("taechon", "2022-09-24", "near Taechon, North Pyongan province"),
        ("uiju", "2022-11-01", "four SRBMs from North Pyongan Province"),
        ("sohae", "2024-05-27", "Sohae Satellite Launching Ground in Cholsan County of North Phyongan"),
    ],
    "kangwon": [
        ("munchon", "2022-10-08", "launched from Munchon, Kangwon Province"),
    ],
}  # fmt: skip

# an area <- the launch sites its own source column says it holds
AREA_SITES: dict[str, tuple[str, ...]] = {
    "south-of-pyongyang": ("chunghwa", "hwangju", "sariwon"),
    "sunan-area": ("sunan", "pyongyang"),  # Pyongyang International Airport is at Sunan
    "pyongyang-area": ("pyongyang", "sunan"),
    "wonsan-area": ("wonsan", "south-wonsan"),
    "sariwon-area": ("sariwon",),
    "hamhung-area": ("hungnam",),
    "nampo-area": ("nampo",),
}
COASTAL_CITIES = (
    "wonsan-area", "hamhung-area", "chongjin-area", "haeju-area", "sinuiju-area", "rason",
    "nampo-area",
)  # fmt: skip


def km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    return float(GEOD.inv(lon1, lat1, lon2, lat2)[2]) / 1000


@lru_cache(maxsize=1)
def north_korea() -> tuple[object, object]:
    """North Korea's land and territorial sea (with internal waters) from the embedded data."""
    from eezcheck.checker import get_checker

    b = get_checker(None).boundaries
    land = [a.geometry for a in b.areas if a.zone_type.value == "land" and a.states == ("PRK",)]
    sea = [
        a.geometry
        for a in b.areas
        if a.zone_type.value == "territorial_sea" and a.states == ("PRK",)
    ]
    assert len(land) == 1 and len(sea) == 1, "the embedded data has North Korea's land and sea"
    shapely.prepare(land[0])
    return land[0], sea[0]


def sea_km(lon: float, lat: float) -> float:
    """Geodesic distance from a point to North Korea's territorial sea (0 at sea)."""
    _land, sea = north_korea()
    p = shapely.Point(lon, lat)
    q = shapely.shortest_line(sea, p).coords[0]
    return km(lon, lat, q[0], q[1])


def coast_ends(east: bool) -> list[tuple[float, float]]:
    """Where North Korea's land meets its sea furthest south and furthest north, on one coast."""
    land, sea = north_korea()
    xy = shapely.get_coordinates(land)
    xy = xy[shapely.distance(shapely.points(xy), sea) < 0.005]
    xy = xy[xy[:, 0] > EAST_OF] if east else xy[xy[:, 0] < WEST_OF]
    return [tuple(xy[np.argmin(xy[:, 1])]), tuple(xy[np.argmax(xy[:, 1])])]


def inside(area_key: str, lon: float, lat: float) -> float:
    a = AREAS[area_key]
    d = km(a.lon, a.lat, lon, lat)
    assert d <= a.extent_km, f"{area_key} (extent {a.extent_km} km) is {d:.0f} km from {lon, lat}"
    return d


@pytest.mark.parametrize("key", [k for k, a in AREAS.items() if a.kind != "region"])
def test_centre_is_on_north_korean_land(key):
    land, _sea = north_korea()
    a = AREAS[key]
    assert land.contains(shapely.Point(a.lon, a.lat)), f"{key} ({a.lat}, {a.lon}) is not on land"


@pytest.mark.parametrize("key", COASTAL_CITIES)
def test_coastal_city_is_on_the_coast(key):
    a = AREAS[key]
    assert sea_km(a.lon, a.lat) <= COASTAL_KM, key


@pytest.mark.parametrize("east", [True, False], ids=["east-coast", "west-coast"])
def test_coast_holds_its_ends_its_cities_and_its_coastal_sites(east):
    key = "east-coast" if east else "west-coast"
    a = AREAS[key]
    assert sea_km(a.lon, a.lat) <= COASTAL_KM, f"{key}'s centre is not on the coast"
    for lon, lat in coast_ends(east):
        inside(key, lon, lat)
    sites = [
        s for s in SITES.values()
        if (s.lon > EAST_OF if east else s.lon < WEST_OF) and sea_km(s.lon, s.lat) <= COASTAL_KM
    ]  # fmt: skip
    assert len(sites) >= 8
    for s in sites:
        inside(key, s.lon, s.lat)
    for c in COASTAL_CITIES:
        city = AREAS[c]
        if (city.lon > EAST_OF) == east:
            inside(key, city.lon, city.lat)


@pytest.mark.parametrize("key", sorted(AREA_SITES))
def test_area_holds_the_sites_its_source_names(key):
    for site in AREA_SITES[key]:
        s = SITES[site]
        inside(key, s.lon, s.lat)


@pytest.mark.parametrize("key", sorted(PROVINCE_SITES))
def test_province_holds_the_sites_reports_place_in_it(key):
    if not CNS.exists():
        pytest.skip(f"{CNS} not found")
    with CNS.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for site, date, words in PROVINCE_SITES[key]:
        stated = [r for r in rows if r["date_utc"] == date and r["facility_key"] == site]
        assert stated and any(words in r["description"] for r in stated), (key, site, date)
        s = SITES[site]
        inside(key, s.lon, s.lat)


def test_every_row_is_checked():
    """Each row is checked by at least one test above besides its centre (or is a province no
    statement names a site in: its centre on land is then its only check)."""
    checked = {*PROVINCE_SITES, *AREA_SITES, *COASTAL_CITIES, "east-coast", "west-coast"}
    unchecked = sorted(set(AREAS) - checked)
    assert unchecked == [
        "chagang", "north-hamgyong", "ryanggang", "south-hamgyong",
    ], unchecked  # fmt: skip
    for key in unchecked:
        assert AREAS[key].kind == "province" and "centre on North Korean land only" in (
            AREAS[key].source
        ), key
