"""Where a point is, in the embedded data: every state's land and territorial sea, and Japan's
own categories (land, internal waters, territorial sea, contiguous zone, EEZ beyond it).

The points are real places (city centres, summits, bays) and points at set geodesic distances
off a coast; what is asserted is what a reader reads: the zone, its state, its name and
``japan_area``, and the headline ``eezcheck check`` prints.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

import eezcheck
from eezcheck.geodesy import NM, destination

DATA = Path(eezcheck.__file__).resolve().parents[1] / "data"

# name: (lat, lon, zone, holder, japan_area)
POINTS: dict[str, tuple[float, float, str, str, str]] = {
    # land of every state in the coverage
    "Pyongyang": (39.0194, 125.7381, "land", "PRK", "outside"),
    "Sariwon": (38.5072, 125.7558, "land", "PRK", "outside"),
    "Wonsan": (39.1528, 127.4436, "land", "PRK", "outside"),
    "Hamhung": (39.9183, 127.5364, "land", "PRK", "outside"),
    "Sinuiju (on the Yalu, the border with China)": (40.1006, 124.3983, "land", "PRK", "outside"),
    "Seoul": (37.5665, 126.9780, "land", "KOR", "outside"),
    "Busan": (35.1796, 129.0756, "land", "KOR", "outside"),
    "Hallasan (Jeju)": (33.3617, 126.5292, "land", "KOR", "outside"),
    "Vladivostok": (43.1155, 131.8855, "land", "RUS", "outside"),
    "Khabarovsk": (48.4802, 135.0719, "land", "RUS", "outside"),
    "Yuzhno-Sakhalinsk": (46.9591, 142.7381, "land", "RUS", "outside"),
    "Shanghai": (31.2304, 121.4737, "land", "CHN", "outside"),
    "Dalian": (38.9140, 121.6147, "land", "CHN", "outside"),
    "Beijing": (39.9042, 116.4074, "land", "CHN", "outside"),
    "Harbin": (45.7500, 126.6500, "land", "CHN", "outside"),
    "Taipei": (25.0330, 121.5654, "land", "TWN", "outside"),
    "Kinmen": (24.4500, 118.3800, "land", "TWN", "outside"),
    "Manila": (14.5995, 120.9842, "land", "PHL", "outside"),
    "Guam (airport)": (13.4834, 144.7960, "land", "USA", "outside"),
    # Japan: land, internal waters, territorial sea, contiguous zone, EEZ
    "Mt Fuji": (35.3606, 138.7274, "land", "JPN", "land"),
    "Tokyo Bay": (35.5000, 139.8500, "internal_waters", "JPN", "internal_waters"),
    "Osaka Bay": (34.5000, 135.2500, "internal_waters", "JPN", "internal_waters"),
    "Ise Bay": (34.8000, 136.7500, "internal_waters", "JPN", "internal_waters"),
    "Seto Inland Sea (Harima-nada)": (34.5000, 134.6000, "internal_waters", "JPN", "internal_waters"),
    "Seto Inland Sea (Hiuchi-nada)": (34.1000, 133.3000, "internal_waters", "JPN", "internal_waters"),
    "Sea of Japan, 41.3N 138.5E": (41.3000, 138.5000, "eez", "JPN", "eez"),
    # disputed islands: land of every claimant, disputed
    "Takeshima (between the islets)": (37.2414, 131.8692, "overlapping_claim", "JPN", "disputed"),
    "Kunashiri": (44.0000, 145.8000, "land", "JPN", "disputed"),
    "Uotsuri-jima (Senkaku)": (25.7425, 123.4733, "land", "JPN", "disputed"),
    # neighbours' seas
    "Manila Bay": (14.5000, 120.8000, "foreign_territorial_sea", "PHL", "outside"),
    "Peter the Great Gulf": (42.9500, 131.9500, "foreign_territorial_sea", "RUS", "outside"),
    "Sea of Japan off Russia": (42.0000, 133.5000, "foreign_eez", "RUS", "outside"),
    "East Sea off North Korea": (40.0000, 131.0000, "foreign_eez", "PRK", "outside"),
    "Sea of Japan off South Korea": (36.0000, 130.5000, "foreign_eez", "KOR", "outside"),
    "East China Sea off China": (30.0000, 124.0000, "foreign_eez", "CHN", "outside"),
    "Pacific off Taiwan": (22.5000, 122.0000, "foreign_eez", "TWN", "outside"),
    "Pacific off Luzon": (16.0000, 123.5000, "foreign_eez", "PHL", "outside"),
    "West of Guam": (12.5000, 144.0000, "foreign_eez", "USA", "outside"),
    "North Pacific high seas": (30.0000, 160.0000, "high_seas", "", "outside"),
}

# name: (from (lat, lon), bearing, nautical miles, zone, holder, japan_area)
OFFSHORE: dict[str, tuple[tuple[float, float], float, float, str, str, str]] = {
    "6 nm off Cape Inubo": ((35.7077, 140.8685), 90.0, 6.0, "territorial_sea", "JPN", "territorial_sea"),
    "20 nm off Cape Inubo": ((35.7077, 140.8685), 90.0, 20.0, "contiguous_zone", "JPN", "contiguous_zone"),
    "100 nm off Cape Inubo": ((35.7077, 140.8685), 90.0, 100.0, "eez", "JPN", "eez"),
    "5 nm off Wonsan": ((39.1528, 127.4436), 90.0, 5.0, "foreign_territorial_sea", "PRK", "outside"),
    # OSM's outline of Guam's waters is 3 nm wide (the territory's own waters); the USA claims
    # 12 nm, which the build adds from Guam's coast. The start is about 0.9 nm off the coast.
    "2 nm off Guam's west coast": ((13.4000, 144.6500), 270.0, 2.0, "foreign_territorial_sea", "USA", "outside"),
    "4.9 nm off Guam's west coast": ((13.4000, 144.6500), 270.0, 4.0, "foreign_territorial_sea", "USA", "outside"),
    "7.2 nm off Guam's west coast": ((13.4000, 144.6500), 270.0, 6.3, "foreign_territorial_sea", "USA", "outside"),
    "11.7 nm off Guam's west coast": ((13.4000, 144.6500), 270.0, 10.8, "foreign_territorial_sea", "USA", "outside"),
    "14.6 nm off Guam's west coast": ((13.4000, 144.6500), 270.0, 13.7, "foreign_eez", "USA", "outside"),
    "8 nm off Keelung": ((25.1300, 121.7400), 45.0, 8.0, "foreign_territorial_sea", "TWN", "outside"),
}


def _offshore(start: tuple[float, float], bearing: float, nm: float) -> tuple[float, float]:
    lon, lat = destination(start[1], start[0], bearing, nm * NM)
    return float(lat), float(lon)


def _cases() -> list[tuple[str, float, float, str, str, str]]:
    out = [(k, *v) for k, v in POINTS.items()]
    for k, (start, bearing, nm, *rest) in OFFSHORE.items():
        out.append((k, *_offshore(start, bearing, nm), *rest))  # type: ignore[arg-type]
    return out


CASES = _cases()


def test_enough_points() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize(("name", "lat", "lon", "zone", "holder", "area"), CASES, ids=[c[0] for c in CASES])
def test_point(name: str, lat: float, lon: float, zone: str, holder: str, area: str) -> None:
    r = eezcheck.check(lat, lon)
    assert r.zone.value == zone, (name, r.zone_name)
    assert (r.zone_states[0] if r.zone_states else "") == holder, (name, r.zone_name)
    assert r.japan_area.value == area, name
    if zone == "land" and holder != "JPN":
        adjective = eezcheck.states.state_adjective(holder)
        assert r.zone_name.startswith(f"{adjective} land"), r.zone_name


def _launch_sites() -> list[dict[str, str]]:
    with open(DATA / "launch_sites.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("site", _launch_sites(), ids=lambda s: s["key"])
def test_every_launch_site_is_north_korean(site: dict[str, str]) -> None:
    r = eezcheck.check(float(site["lat"]), float(site["lon"]))
    assert r.zone_states[:1] == ("PRK",), (site["key"], r.zone_name)
    assert r.zone.value in ("land", "foreign_territorial_sea"), (site["key"], r.zone_name)
    assert r.japan_eez.value == "outside"
    assert r.japan_area.value == "outside"


def _headline(lat: float, lon: float) -> str:
    from eezcheck.cli.check import headline

    return headline(eezcheck.check(lat, lon))


def test_headlines_in_the_mod_words() -> None:
    assert _headline(35.3606, 138.7274).startswith("ON Japanese land (Honshu)")
    assert _headline(35.5, 139.85).startswith("INSIDE Japanese territory — internal waters, ")
    ts = _headline(*_offshore((35.7077, 140.8685), 90.0, 6.0))
    assert re.match(r"INSIDE Japanese territory — territorial sea, 1\d km from the coast; about ", ts), ts
    for h in (_headline(35.3606, 138.7274), ts):
        assert "EEZ" not in h and "the limit" not in h
    cz = _headline(*_offshore((35.7077, 140.8685), 90.0, 20.0))
    assert cz.startswith("INSIDE Japan's EEZ (contiguous zone) — "), cz
    assert _headline(39.0194, 125.7381).startswith("OUTSIDE Japan's EEZ")


def test_japanese_land_names_its_island() -> None:
    assert eezcheck.check(35.3606, 138.7274).zone_name == "Japanese land (Honshu)"
    assert eezcheck.check(43.5, 142.8).zone_name == "Japanese land (Hokkaido)"
    assert eezcheck.check(33.8, 133.5).zone_name == "Japanese land (Shikoku)"
