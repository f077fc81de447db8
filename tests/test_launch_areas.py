"""Launch areas as places: provinces, cities and the areas the JCS and MoD name (launch_areas.csv)."""

from __future__ import annotations

import csv
import json
import math
import re
import unicodedata
from pathlib import Path

import pytest

from eezcheck.errors import UnknownPlaceError
from eezcheck.geodesy import GEOD
from eezcheck.places import find_launch_site, launch_areas, launch_sites


def _squash(name: str) -> str:
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", name).casefold())


def test_table_is_well_formed():
    areas = launch_areas()
    assert len(areas) >= 20
    assert len({a.key for a in areas}) == len(areas)
    assert not {a.key for a in areas} & {s.key for s in launch_sites()}
    kinds = {a.kind for a in areas}
    assert {"province", "city", "area", "region"} <= kinds
    assert sum(a.kind == "province" for a in areas) == 9  # North Korea's nine provinces
    for a in areas:
        assert 37.5 <= a.lat <= 43 and 124 <= a.lon <= 131, f"{a.key} is not in North Korea"
        assert a.name and a.name_ko and a.name_ja and len(a.source) > 20, a.key
        assert 0 < a.extent_km <= 500 and a.is_area, a.key
        json.dumps(a.to_dict())
    for s in launch_sites():
        assert s.kind == "site" and s.extent_km == 0.0 and not s.is_area


def test_no_name_means_two_things():
    seen: dict[str, str] = {}
    for row in (*launch_sites(), *launch_areas()):
        for name in {row.key, *row.aliases}:
            other = seen.setdefault(_squash(name), row.key)
            assert other == row.key, f"{name!r} names both {other} and {row.key}"


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("North Hwanghae", "north-hwanghae"),
        ("North Hwanghae Province", "north-hwanghae"),
        ("Hwanghae-bukto", "north-hwanghae"),
        ("Hwanghaebuk-do", "north-hwanghae"),
        ("黄海北道", "north-hwanghae"),
        ("황해북도", "north-hwanghae"),
        ("south of Pyongyang", "south-of-pyongyang"),
        ("an area south of Pyongyang", "south-of-pyongyang"),
        ("平壌の南方", "south-of-pyongyang"),
        # the seed morning's wording: the most specific area named wins
        ("an area south of Pyongyang in North Hwanghae province", "south-of-pyongyang"),
        ("Sunan area", "sunan-area"),
        ("순안 일대", "sunan-area"),
        ("east coast", "east-coast"),
        ("北朝鮮東岸付近", "east-coast"),
        ("동해안", "east-coast"),
        ("Wonsan area", "wonsan-area"),
        ("강원도 원산 일대", "wonsan-area"),
        ("Kangwon-do", "kangwon"),
        ("Jagang", "chagang"),
        ("Yanggang-do", "ryanggang"),
        ("Hamgyŏng-pukto", "north-hamgyong"),
        ("平壌近郊", "pyongyang-area"),
        # the facilities keep their names: "Sunan" is the airport, "Wonsan" Kalma
        ("Sunan", "sunan"),
        ("Wonsan", "wonsan"),
        ("Sariwon", "sariwon"),
    ],
)
def test_names_resolve(name, key):
    assert find_launch_site(name).key == key


def test_north_hwanghae_holds_its_cities():
    """The extent of North Hwanghae holds its capital Sariwon and the Hwangju and Koksan sites."""
    a = find_launch_site("North Hwanghae")
    for key in ("sariwon", "hwangju", "koksan"):
        s = find_launch_site(key)
        d_km = GEOD.inv(a.lon, a.lat, s.lon, s.lat)[2] / 1000
        assert d_km < a.extent_km, (key, d_km)


def test_unknown_area_names_both_tables():
    with pytest.raises(UnknownPlaceError) as info:
        find_launch_site("North Hwanghea")
    assert "North Hwanghae Province" in info.value.suggestions
    assert "launch_sites.csv and launch_areas.csv" in str(info.value)


SHARED = Path(__file__).resolve().parents[2] / "shared"
MR_PATH = SHARED / "data" / "reference" / "marineregions_eez_v12_japan_region.geojson"


def test_batch_carries_the_area_into_the_uncertainty(tmp_path):
    """A table row launched from an area gets the area's extent as its 95 % radius."""
    if not MR_PATH.exists():
        pytest.skip(f"Marine Regions reference clip not found at {MR_PATH}")
    from click.testing import CliRunner

    from eezcheck.cli.main import cli

    src = tmp_path / "events.csv"
    src.write_text(
        "launch_site,range_km,bearing,uncertainty_km\n"
        "North Hwanghae,400,80,\nsariwon,400,80,\nsouth of Pyongyang,400,80,12\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    res = CliRunner().invoke(cli, ["batch", str(src), "-o", str(out), "--boundaries", str(MR_PATH)])
    assert res.exit_code == 0, res.output
    with out.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["error"] for r in rows] == ["", "", ""]
    # the result's column is prefixed: the table has its own uncertainty_km
    u = "eezcheck.uncertainty_km"
    assert float(rows[0][u]) == 90.0 and rows[0]["p_inside"] != ""
    assert rows[1][u] == "" and rows[1]["p_inside"] == ""  # a site: a point
    assert float(rows[2][u]) == pytest.approx(math.hypot(12, 35), abs=0.5)


def test_check_carries_the_area_into_the_uncertainty():
    """check --from AREA --range-km R --bearing B: the impact point is uncertain by the extent."""
    if not MR_PATH.exists():
        pytest.skip(f"Marine Regions reference clip not found at {MR_PATH}")
    from eezcheck.checker import check

    area = check(launch="North Hwanghae", range_km=400, bearing_deg=80, boundaries=str(MR_PATH))
    assert area.uncertainty_km == 90.0 and area.p_inside is not None
    assert area.input["launch"]["extent_km"] == 90.0 and area.input["launch"]["kind"] == "province"
    both = check(launch="黄海北道", range_km=400, bearing_deg=80, uncertainty_km=30,
                 boundaries=str(MR_PATH))  # fmt: skip
    assert both.uncertainty_km == pytest.approx(math.hypot(30, 90), abs=1e-3)
    site = check(launch="sariwon", range_km=400, bearing_deg=80, boundaries=str(MR_PATH))
    assert site.uncertainty_km is None and site.p_inside is None
