"""The size of the maps a person sends: a one-event map under 1 MB, the CNS table's under 3 MB.

Built with the embedded boundary data (what ``eezcheck map`` draws by default). The bytes of
each part of the page's JSON data block are printed on failure, so a regression names its
layer. Display geometry only: verdicts are computed from the full data, never from these.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fixtures.mappage import page_data

from eezcheck.mapping import MapEvent, build_map, events_map, read_table
from eezcheck.mapping.geometry import EVENT_DIGITS, encode_coordinates
from eezcheck.mapping.page import script_json

pytest.importorskip("js_lib_leaflet")

CNS = Path(__file__).resolve().parents[2] / "shared" / "data" / "events" / "cns_missile_tests.csv"
ONE_EVENT_MAX = 1_000_000
TABLE_MAX = 3_000_000


def parts(html: str) -> dict[str, int]:
    """Bytes of the data block by drawing step (zones by layer class), as JSON in the page."""
    data = page_data(html)
    out: dict[str, int] = {}
    for step in data["draw"]:
        key = step["fn"]
        if key == "zones":
            key = step["args"][0]["cls"]
        out[key] = out.get(key, 0) + len(script_json(step).encode())
    out["cardEnds"] = len(script_json(data.get("cardEnds", [])).encode())
    return out


@pytest.fixture(scope="module")
def one_event_html() -> str:
    m = build_map(
        MapEvent(
            "about 250 km west of the Oga Peninsula", launch="hwangju",
            name="Nodong, 3 August 2016", time="2016-08-03 07:53 JST",
        )
    )  # fmt: skip
    return m.html()


def test_one_event_map_is_under_1_mb(one_event_html):
    size = len(one_event_html.encode())
    by_part = parts(one_event_html)
    assert size < ONE_EVENT_MAX, (size, by_part)
    # the zones are most of it, and no zone layer dwarfs the page's own code (Leaflet ~165 kB)
    assert by_part["ez-zone-neighbour"] < 600_000, by_part


def test_no_coordinate_in_the_data_has_more_than_event_precision(one_event_html):
    block = re.search(r'id="ez-data">(.*?)</script>', one_event_html, re.S)
    assert block is not None
    decimals = re.findall(r"[-\d]\.(\d+)[,\]]", block.group(1))
    assert decimals and max(len(d) for d in decimals) <= EVENT_DIGITS


def test_zone_coordinates_are_encoded_polylines(one_event_html):
    zones = [s["args"][0] for s in page_data(one_event_html)["draw"] if s["fn"] == "zones"]
    geoms = [f["geometry"] for z in zones for f in z["fc"]["features"]]
    assert geoms and all("enc" in g and "coordinates" not in g for g in geoms)
    assert all(g["digits"] == 3 for g in geoms)


def test_encoding_is_the_polyline_algorithm():
    # Google's documented example, here in GeoJSON's (lon, lat) order
    lon_lat = [[-120.2, 38.5], [-120.95, 40.7], [-126.453, 43.252]]
    assert encode_coordinates(lon_lat, 5) == "~ps|U_p~iFnnqC_ulLvxq`@_mqN"
    assert encode_coordinates([[0.001, -0.001]], 3) == "A@"  # zigzag 2 -> "A", 1 -> "@"
    assert encode_coordinates([], 3) == ""


@pytest.mark.skipif(not CNS.exists(), reason="../shared/data/events/cns_missile_tests.csv absent")
def test_cns_table_map_is_under_3_mb():
    read = read_table(CNS)
    m = events_map(read.events, columns=read.columns, title="CNS missile tests")
    html = m.html()
    size = len(html.encode())
    by_part = parts(html)
    assert size < TABLE_MAX, (size, by_part)
    # the end of the cards (boundary data, claims policy, event source) is held once
    data = page_data(html)
    assert len(data["cardEnds"]) == 1
    assert html.count('class=\\"ez-src\\"') == 1, html.count("ez-src")
    n = sum(len(s["args"][0]) for s in data["draw"] if s["fn"] == "events")
    assert n == m.eezcheck_info.drawn > 200
    assert json.dumps(data["cardEnds"]).count("Event source") == 1
