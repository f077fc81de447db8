"""eezcheck.footprint: the possible impact points of a range flown from a launch site or area.

Synthetic boundaries (lon/lat boxes around the equator, as in test_reach.py) give answers
computed here another way: the share of a ring from the impact points of a fine bearing grid,
the share of a band from the geodesic areas (pyproj) of its polygon's intersection with the
boxes, the gap from the geometry of the boxes.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon, box

from eezcheck.boundaries import Area, Boundaries, Provenance, ZoneType
from eezcheck.errors import InvalidInputError
from eezcheck.footprint import (
    VERDICTS,
    footprint,
    headline,
    launch_answer,
    parse_bearing_range,
    summary_lines,
)
from eezcheck.geodesy import GEOD

EAST = (135.0, -2.0, 140.0, 2.0)  # Japanese EEZ east of the site (130, 0)
WEST = (120.0, -2.0, 125.0, 2.0)
EAST_NORTH = (135.0, 0.0, 140.0, 2.0)  # overlapping claim: the north half of EAST
LAND = (129.0, 4.0, 131.0, 6.0)  # an island due north of the site


def _boundaries(*areas) -> Boundaries:
    prov = Provenance(
        dataset="synthetic boxes", version="t1", source="tests/test_footprint.py",
        licence="CC0-1.0", sha256="0" * 64, path="<memory>", claims_policy="synthetic: as drawn",
    )  # fmt: skip
    return Boundaries(
        areas=[Area(box(*b), ZoneType(z), s, f"{z} {'/'.join(s)}") for z, s, b in areas],
        coverage=box(100.0, -40.0, 170.0, 40.0),
        provenance=prov,
    )


@pytest.fixture(scope="module")
def boxes() -> Boundaries:
    return _boundaries(
        ("eez", ("JPN",), EAST),
        ("eez", ("JPN",), WEST),
        ("overlapping_claim", ("JPN", "RUS"), EAST_NORTH),
        ("land", ("XXX",), LAND),
    )


def _in(b, x, y):
    return (x >= b[0]) & (x <= b[2]) & (y >= b[1]) & (y <= b[3])


def _ring_shares(range_km, start=0.0, width=360.0):
    """Shares of the sea part of the ring from 200,000 bearings (independent of the module)."""
    az = start + (np.arange(200_000) + 0.5) * width / 200_000
    x, y, _ = GEOD.fwd(np.full(az.size, 130.0), np.zeros(az.size), az, np.full(az.size, range_km * 1e3))
    land = _in(LAND, x, y)
    inside = (_in(EAST, x, y) | _in(WEST, x, y)) & ~land
    disputed = _in(EAST_NORTH, x, y) & ~land
    sea = (~land).sum()
    return inside.sum() / sea, disputed.sum() / sea, land.mean()


@pytest.mark.parametrize(("range_km", "sector"), [(600, None), (700, None), (600, (60, 120))])
def test_ring_shares_match_a_fine_bearing_grid(boxes, range_km, sector):
    fp = footprint(130.0, 0.0, range_km, bearing_range=sector, boundaries=boxes)
    start, width = (0, 360) if sector is None else (sector[0], sector[1] - sector[0])
    want_in, want_disp, want_land = _ring_shares(range_km, start, width)
    # each edge between verdicts is placed to half an arc (0.125 degrees) of the width
    tol = 4 * 0.125 / width
    assert fp.is_ring and fp.can_reach and fp.gap_km == 0.0
    assert fp.share_inside == pytest.approx(want_in, abs=tol)
    assert fp.share_disputed == pytest.approx(want_disp, abs=tol)
    assert fp.land_share == pytest.approx(want_land, abs=tol)
    assert set(fp.parts) == set(VERDICTS)
    assert fp.parts["inside"].geom_type == "MultiLineString" and not fp.parts["inside"].is_empty


def test_short_ring_gap_is_the_distance_left(boxes):
    fp = footprint(130.0, 0.0, 500, boundaries=boxes)
    to_box = GEOD.inv(130.0, 0.0, 135.0, 0.0)[2] / 1000  # 556.6 km due east (or west)
    assert not fp.can_reach and fp.share_inside == 0.0
    assert fp.gap_km == pytest.approx(to_box - 500, abs=0.05)
    assert fp.closest.distance_km == pytest.approx(to_box, abs=0.05)
    assert headline(fp, "Test").startswith(
        f"CANNOT REACH Japan's EEZ — a 500 km range from Test on every bearing comes down at "
        f"least {to_box - 500:,.0f} km outside Japan's EEZ"
    )


def _band(range_km, extent_km, n=3600):
    az = np.linspace(0, 360, n, endpoint=False)
    rings = []
    for d in (range_km + extent_km, range_km - extent_km):
        x, y, _ = GEOD.fwd(np.full(n, 130.0), np.zeros(n), az, np.full(n, d * 1e3))
        rings.append(np.column_stack([x, y]))
    return Polygon(rings[0], [rings[1][::-1]])


def _area(g) -> float:
    return abs(GEOD.geometry_area_perimeter(g)[0])


def test_band_shares_match_geodesic_areas(boxes):
    """An area launch (100 km around the site): the band 500-700 km, shares by area."""
    fp = footprint(130.0, 0.0, 600, extent_km=100, boundaries=boxes)
    band = _band(600, 100)
    land = band.intersection(box(*LAND))
    sea = band.difference(box(*LAND))
    japan = shapely.union_all([box(*EAST), box(*WEST)])
    want_in = _area(sea.intersection(japan)) / _area(sea)
    want_disp = _area(sea.intersection(box(*EAST_NORTH))) / _area(sea)
    assert not fp.is_ring and (fp.inner_km, fp.outer_km) == (500.0, 700.0)
    assert fp.share_inside == pytest.approx(want_in, rel=0.02)
    assert fp.share_disputed == pytest.approx(want_disp, rel=0.02)
    assert fp.land_share == pytest.approx(_area(land) / _area(band), rel=0.05)
    # the drawn parts cover the band's sea: their geodesic areas add up to it
    drawn = sum(_area(fp.parts[v]) for v in VERDICTS)
    assert drawn == pytest.approx(_area(sea), rel=0.01)
    assert _area(fp.parts["inside"]) + _area(fp.parts["disputed"]) == pytest.approx(
        _area(sea.intersection(japan)), rel=0.02
    )


def test_area_extent_moves_the_closest_approach_and_the_gap(boxes):
    to_box = GEOD.inv(130.0, 0.0, 135.0, 0.0)[2] / 1000
    fp = footprint(130.0, 0.0, 300, extent_km=100, boundaries=boxes)
    assert fp.closest.distance_km == pytest.approx(to_box - 100, abs=0.1)
    assert fp.closest.centre_distance_km == pytest.approx(to_box, abs=0.05)
    assert fp.gap_km == pytest.approx(to_box - 400, abs=0.5)
    d = launch_answer(fp, {"key": "x", "name": "X area", "lat": 0.0, "lon": 130.0,
                           "kind": "area", "extent_km": 100.0})  # fmt: skip
    assert d["can_reach"] is False and d["launch"]["extent_km"] == 100.0
    assert d["margin_km"] == pytest.approx(300 - (to_box - 100), abs=0.1)
    json.dumps(d, sort_keys=True)
    text = "\n".join(summary_lines(fp, "X area"))
    assert "400–" not in text and "200–400 km from the centre (300 ± 100 km)" in text
    assert f"{to_box - 100:,.1f} km from the launch area" in text


def test_trajectory_note(boxes):
    fp = footprint(130.0, 0.0, 400, apogee_km=100, boundaries=boxes)
    assert fp.trajectory["kind"] == "lofted"
    fp = footprint(130.0, 0.0, 1000, apogee_km=7000, boundaries=boxes)
    assert "circular speed" in fp.trajectory["error"]
    assert any("outside the ballistic model" in ln for ln in summary_lines(fp))


@pytest.mark.parametrize(
    ("value", "want"),
    [("45..135", (45.0, 135.0)), ("300..30", (300.0, 30.0)), ("45-135", (45.0, 135.0)),
     ((10, 20), (10.0, 20.0)), ("45°..135°", (45.0, 135.0)), (None, None)],
)  # fmt: skip
def test_parse_bearing_range(value, want):
    assert parse_bearing_range(value) == want


@pytest.mark.parametrize(
    ("value", "message"),
    [("45", "is not two bearings"), ("a..b", "bearing range start 'a' is not a number"),
     ("90..90", "is empty")],
)  # fmt: skip
def test_bad_bearing_range(value, message):
    with pytest.raises(InvalidInputError, match=message):
        parse_bearing_range(value)


def test_bad_inputs(boxes):
    with pytest.raises(InvalidInputError, match="range_km 0 km is out of range"):
        footprint(130.0, 0.0, 0, boundaries=boxes)
    with pytest.raises(InvalidInputError, match="extent_km -1 km is out of range"):
        footprint(130.0, 0.0, 100, extent_km=-1, boundaries=boxes)
    with pytest.raises(InvalidInputError, match="apogee_km 0 km is out of range"):
        footprint(130.0, 0.0, 100, apogee_km=0, boundaries=boxes)


def test_seed_morning_on_the_embedded_data():
    """5 Nov 2024: ~400 km from an area south of Pyongyang toward the east coast, apogee ~100 km;
    the MoD said outside Japan's EEZ. The footprint on bearings 45..135 stays outside."""
    from eezcheck.places import find_launch_site

    a = find_launch_site("an area south of Pyongyang in North Hwanghae province")
    fp = footprint(a.lon, a.lat, 400, extent_km=a.extent_km, bearing_range="45..135", apogee_km=100)
    assert not fp.can_reach and fp.share_inside == 0.0
    assert 40 < fp.gap_km < 150 and math.isfinite(fp.closest.distance_km)
    assert fp.closest.distance_km == pytest.approx(fp.closest.centre_distance_km - a.extent_km, abs=2)
    assert fp.trajectory["kind"] == "lofted"


# --------------------------------------------------------------------------- the map command


def test_map_from_a_site_with_a_range_alone_draws_the_footprint(tmp_path):
    """`map --from sariwon --range-km 400` (no bearing, no impact) draws the ring by verdict."""
    from click.testing import CliRunner
    from fixtures.mappage import calls, overlay_names

    from eezcheck.cli.main import cli

    hostile = "</script><script>window.__x=1</script> ${x} `"
    out = tmp_path / "sub" / "sariwon.html"
    res = CliRunner().invoke(
        cli, ["map", "--from", "sariwon", "--range-km", "400", "--name", hostile, "-o", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert res.stdout.strip() == str(out)
    assert "CANNOT REACH Japan's EEZ — a 400 km range from Sariwon on every bearing" in res.stderr
    html = out.read_text(encoding="utf-8")
    (args,) = calls(html, "footprint")
    fp = args[0]
    assert [p["v"] for p in fp["parts"]] == ["outside"] and fp["parts"][0]["line"] is True
    assert fp["head"].startswith("CANNOT REACH") and "area" not in fp
    assert [r[0] for r in fp["rows"]] == [
        "footprint", "in Japan's EEZ", "footprint to EEZ", "closest approach", "trajectory",
    ]  # fmt: skip
    assert "Possible impact points" in overlay_names(html)
    # the name is text: escaped in <title>, and it closes no script of the page
    assert "&lt;/script&gt;&lt;script&gt;window.__x=1" in html
    assert html.count("</script>") == html.count("<script")


def test_map_from_an_area_with_a_bearing_draws_the_area_as_uncertainty(tmp_path):
    """One impact from a launch area: the area's extent is the impact's 95 % region."""
    from click.testing import CliRunner
    from fixtures.mappage import calls

    from eezcheck.cli.main import cli

    out = tmp_path / "nh.html"
    res = CliRunner().invoke(
        cli, ["map", "--from", "North Hwanghae", "--range-km", "400", "--bearing", "80", "-o", str(out)]
    )
    assert res.exit_code == 0, res.output
    (args,) = calls(out.read_text(encoding="utf-8"), "events")
    (ev,) = args[0]
    assert ev["uncTip"].startswith("95 % uncertainty: within 90 km (geodesic circle)")
    assert "P(inside) = " in ev["head"]
