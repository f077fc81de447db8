"""Tests of ``eezcheck.mapping``: geodesy of what is drawn, page content, escaping, sizes, saving.

Content tests render the HTML and read it back: the JavaScript calls that draw each layer carry
their data as JSON (one call per line), which :func:`calls` parses. Real-data maps use the
Marine Regions v12 reference clip from ``../shared/data`` (skipped when absent); the display-file
path uses a synthetic data set. What only a browser shows is in ``test_map_browser.py``.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from fixtures import synthetic as S
from fixtures.mappage import calls, overlay_names, page_data
from pyproj import Geod

from eezcheck.errors import (
    ChecksumMismatchError,
    FileOverwriteError,
    InvalidInputError,
    TableFormatError,
)

pytest.importorskip("js_lib_leaflet")

from eezcheck import mapping as M  # noqa: E402
from eezcheck.mapping import MapEvent, build_map, events_map, save_map  # noqa: E402
from eezcheck.mapping.page import script_json  # noqa: E402
from eezcheck.mapping.text import MAX_TEXT, esc, short  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"
MR_PATH = SHARED / "data" / "reference" / "marineregions_eez_v12_japan_region.geojson"
CNS = SHARED / "data" / "events" / "cns_missile_tests.csv"
MOD = SHARED / "data" / "events" / "mod_verdicts_2016_2020.csv"
GEOD = Geod(ellps="WGS84")

PYONGYANG = (125.7625, 39.0392)  # lon, lat
HONOLULU = (-157.8583, 21.3069)

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "${alert(1)}",
    "`",
    "\"quoted\" and 'single'",
    "</textarea><b>x</b>",
    "A" * 10_000,
    "🚀 ミサイル 発射 🎯",
    "北朝鮮のミサイル（日本語）",
    "</script><script>alert(2)</script>",
    "\u2028line\u2029sep",
]


# --------------------------------------------------------------------------- helpers


def render(m) -> str:
    return m.html()


def outside_leaflet(html: str) -> str:
    """The page without the inlined Leaflet source (which has its own comment URLs)."""
    return re.sub(r'<script data-eezcheck="leaflet">.*?</script>', "", html, flags=re.S)


def lonlat(latlngs) -> tuple[np.ndarray, np.ndarray]:
    a = np.asarray(latlngs, dtype=float)
    return a[:, 1], a[:, 0]


@pytest.fixture(scope="module")
def mr() -> str:
    if not MR_PATH.exists():
        pytest.skip(f"Marine Regions reference clip not found at {MR_PATH}")
    return str(MR_PATH)


@pytest.fixture(scope="module")
def square_display(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic square island as a data set with a display file."""
    d = S.make_user_dataset(tmp_path_factory.mktemp("square"))
    display = S.user_collection(
        [*S.USER_AREAS, ("land", "KOR", "Display-only islet", (138.0, 33.0, 138.2, 33.2))]
    )
    S.write_json(d / "zones_display.geojson", display)
    manifest = json.loads((d / "manifest.json").read_text())
    manifest["files"]["display"] = "zones_display.geojson"
    S.write_json(d / "manifest.json", manifest)
    from eezcheck.data import write_registry

    write_registry(d, ["zones.geojson", "zones_display.geojson"])
    return d


@pytest.fixture(scope="module")
def one_event_html(mr) -> tuple[object, str]:
    ev = MapEvent(
        "41.3 138.5", launch="sunan", apogee_km=550, name="Test event", time="2017-07-28 14:41 UTC",
        uncertainty_km=50, notes="see https://example.org/x",
    )  # fmt: skip
    m = build_map(ev, boundaries=mr, rings_km=(1000, 3000, 5500))
    return m, render(m)


# --------------------------------------------------------------------------- geodesy


def test_leaflet_latlngs_is_the_axis_swap():
    assert M.leaflet_latlngs([138.5, 139.0], [41.3, 41.0]) == [[41.3, 138.5], [41.0, 139.0]]
    assert M.leaflet_latlngs(202.123456, 21.3) == [[21.3, 202.1235]]


def test_ground_track_pyongyang_to_hawaii_is_continuous_and_geodesic():
    x, y, km = M.geodesic_polyline(*PYONGYANG, *HONOLULU)
    assert len(x) >= 16 and x[0] == PYONGYANG[0]
    assert x[-1] == pytest.approx(HONOLULU[0] + 360, abs=1e-6)  # ends east of 180, not at -157
    assert np.abs(np.diff(x)).max() < 3.0  # no jump across the map
    assert np.all(np.diff(x) > 0)  # eastward all the way
    # every vertex lies on the geodesic: distance from start + to end = the total
    _, _, total = GEOD.inv(*PYONGYANG, *HONOLULU)
    _, _, d1 = GEOD.inv(np.full(len(x), PYONGYANG[0]), np.full(len(x), PYONGYANG[1]), x, y)
    _, _, d2 = GEOD.inv(x, y, np.full(len(x), HONOLULU[0]), np.full(len(x), HONOLULU[1]))
    assert np.max(np.abs(np.asarray(d1) + np.asarray(d2) - total)) < 1.0
    assert km == pytest.approx(total / 1000, rel=1e-6)
    # not Leaflet's straight line on the Mercator map: half-way in longitude the geodesic runs
    # about 7 degrees north of the straight Mercator line between the two ends
    merc = lambda lat: np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))  # noqa: E731
    xm = (x[0] + x[-1]) / 2
    straight = np.degrees(2 * np.arctan(np.exp((merc(y[0]) + merc(y[-1])) / 2)) - np.pi / 2)
    assert np.interp(xm, x, y) - straight > 5


def test_short_track_is_never_a_two_point_line():
    x, _y, km = M.geodesic_polyline(129.66, 40.85, 130.0, 41.0)
    assert km < 40 and len(x) >= 16


@pytest.mark.parametrize("radius_km", [100, 1000, 3000, 5500, 10_000, 15_000])
def test_range_ring_vertices_at_radius(radius_km):
    x, y, _pole = M.range_ring(*PYONGYANG, radius_km)
    _, _, d = GEOD.inv(np.full(len(x), PYONGYANG[0]), np.full(len(x), PYONGYANG[1]), x, y)
    assert np.max(np.abs(np.asarray(d) / 1000 / radius_km - 1)) < 0.001


def test_10000_km_ring_goes_round_the_pole_without_a_jump():
    x, y, pole = M.range_ring(*PYONGYANG, 10_000)
    assert pole  # the North Pole is 5,660 km from Pyongyang
    assert np.abs(np.diff(x)).max() < 10  # continuous
    assert x.min() == pytest.approx(PYONGYANG[0] - 180, abs=3)
    assert x.max() == pytest.approx(PYONGYANG[0] + 180, abs=3)
    assert (x > 180).any()  # crosses the antimeridian as a continuous line


def test_ring_across_the_antimeridian_stays_closed_and_continuous():
    x, y, pole = M.range_ring(175.0, 10.0, 2000)
    assert not pole
    assert (x[0], y[0]) == (x[-1], y[-1])
    assert np.abs(np.diff(x)).max() < 5
    assert x.max() > 180 and x.min() < 180


def test_range_ring_bad_radius():
    with pytest.raises(InvalidInputError):
        M.range_ring(*PYONGYANG, 0)
    with pytest.raises(InvalidInputError):
        M.range_ring(*PYONGYANG, 25_000)


def test_frame_lon():
    assert M.frame_lon(-157.86) == pytest.approx(202.14)
    assert M.frame_lon(125.0) == 125.0
    assert M.frame_lon(-40.0) == -40.0


def test_uncertainty_polygons(mr):
    from eezcheck.checker import check

    r = check(41.3, 138.5, uncertainty_km=50, boundaries=mr)
    x, y, label = M.uncertainty_polygon(r)
    _, _, d = GEOD.inv(np.full(len(x), r.lon), np.full(len(x), r.lat), x, y)
    assert np.max(np.abs(np.asarray(d) / 50_000 - 1)) < 0.001 and "50 km" in label
    w = check(text="about 200 km west of Okushiri Island", boundaries=mr)
    x, y, label = M.uncertainty_polygon(w)
    from shapely import Point, Polygon

    assert Polygon(np.column_stack([x, y])).contains(Point(w.lon, w.lat))
    assert "band" in label
    assert M.uncertainty_polygon(check(41.3, 138.5, boundaries=mr)) is None


# --------------------------------------------------------------------------- one event


def test_one_event_layers_and_info(one_event_html):
    m, html = one_event_html
    info = m.eezcheck_info
    assert isinstance(m, M.MapPage)
    assert (info.events, info.drawn, info.tracks, info.uncertainty_regions, info.rings) == (
        1,
        1,
        1,
        1,
        3,
    )
    assert info.verdicts == {"inside": 1}
    names = overlay_names(html)
    assert names == [
        "Neighbouring EEZs",
        "Japan's EEZ as this data draws Japan's claim (incl. disputed areas)",
        "Disputed areas (with claimants)",
        "Land (basemap)",
        "Coverage of the boundary data",
        "Sea, country and place names",
        "Graticule (latitude, longitude)",
        "Launch sites of these events",
        f"Other launch sites ({info.launch_sites - 1}, CNS list)",
        "Range rings (geodesic)",
        "Uncertainty region (95 %, geodesic)",
        "Ground track (geodesic, WGS84)",
        "Splashdown",
    ]
    zones = {c[0]["cls"]: c[0] for c in calls(html, "zones")}
    assert {"ez-zone-japan", "ez-zone-disputed", "ez-zone-neighbour", "ez-zone-land"} <= set(zones)
    labels = [f["properties"]["label"] for f in zones["ez-zone-disputed"]["fc"]["features"]]
    assert any("Liancourt Rocks: claimed by Japan, South Korea" in t for t in labels)
    assert any("Kuril Islands: claimed by Japan, Russia" in t for t in labels)
    used, others = calls(html, "sites")  # the event's site shown; the others behind a toggle
    assert [s["used"] for s in used[0]] == [True] and "Sunan" in used[0][0]["t"]
    assert len(others[0]) == info.launch_sites - 1 and not any(s["used"] for s in others[0])
    shown = {g["name"]: g["show"] for g in page_data(html)["groups"]}
    assert shown["Launch sites of these events"] and not shown[names[8]]
    (ev,) = calls(html, "events")
    (item,) = ev[0]
    assert item["v"] == "inside" and item["c"] == M.VERDICT_COLOURS["inside"]
    assert item["p"] == [41.3, 138.5]
    assert len(item["trk"]) >= 16 and item["trk"][-1] == [41.3, 138.5]
    assert "Test event (2017-07-28 14:41 UTC)" in item["tip"]


def test_card_has_the_verdict_and_the_profile(one_event_html):
    _m, html = one_event_html
    card = calls(html, "events")[0][0][0]["card"]
    for text in (
        "INSIDE Japan&#x27;s EEZ", "Zone", "Japan&#x27;s EEZ", "EEZ limit", "inside the limit",
        "Nearest Japanese land", "MoD style", "Oshima-Oshima", "渡島大島", "Claims policy:",
        "Marine Regions", "CC BY 4.0", "<svg", "polyline", "apogee", "Launch", "Sunan",
        "Ground track", "Uncertainty", "50 km (95 %)", "example.org/x",
    ):  # fmt: skip
        assert text in card, text
    assert "http" not in card  # the note's link is plain text; the SVG has no xmlns URL


def test_card_says_when_the_trajectory_model_refuses(mr):
    # 2024-10-31: about 1,000 km with a 7,000 km apogee needs more than circular speed
    m = build_map(MapEvent("39.0 138.0", launch="sunan", apogee_km=7000), boundaries=mr)
    card = calls(render(m), "events")[0][0][0]["card"]
    assert "Trajectory model refuses these inputs" in card and "circular speed" in card
    m = build_map(MapEvent("39.0 138.0", apogee_km=500), boundaries=mr)
    assert "launch site is not known" in calls(render(m), "events")[0][0][0]["card"]


def test_bounds_fit_the_event_not_the_rings(one_event_html):
    m, html = one_event_html
    (south, west), (north, east) = m.eezcheck_info.bounds
    assert north - south >= 12 and east - west >= 16  # context around a short track
    assert west < 125.7 and east > 138.5 and south < 39 and north > 41.3
    assert east - west < 40  # the 5,500 km ring is drawn but not fitted
    fin = calls(html, "finish")[0][0]
    assert fin["bounds"] == [[south, west], [north, east]]


def test_offline_page_has_no_cdn_and_no_urls(one_event_html):
    _m, html = one_event_html
    for cdn in (
        "cdn.jsdelivr",
        "code.jquery",
        "bootstrapcdn",
        "cdnjs",
        "fontawesome",
        "awesome-markers",
    ):
        assert cdn not in html.lower()
    assert "<script src=" not in html and '<link rel="stylesheet"' not in html
    assert "Leaflet 1.9.4" in html and "L.map(" in html
    assert re.findall(r"https?://", outside_leaflet(html)) == []
    assert "images/layers.png" not in html and "data:image/png;base64," in html
    assert "sourceMappingURL" not in html
    assert "$(" not in outside_leaflet(html)  # no jQuery call anywhere


def test_tiles_are_opt_in(mr):
    m = build_map(MapEvent("41.3 138.5"), boundaries=mr, tiles="osm")
    html = render(m)
    assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in html
    assert "OpenStreetMap contributors, ODbL" in html
    m = build_map(MapEvent("41.3 138.5"), boundaries=mr, tiles="esri-ocean")
    assert "World_Ocean_Base" in render(m)
    with pytest.raises(InvalidInputError, match="choose one of esri-ocean, osm"):
        build_map(MapEvent("41.3 138.5"), boundaries=mr, tiles="google")


def test_attribution_names_every_licence(one_event_html):
    _m, html = one_event_html
    init = calls(html, "init")[0][0]
    text = " ".join(init["attribution"])
    assert "Zones: CC BY 4.0 (Flanders Marine Institute" in text
    assert init["prefix"] == "Leaflet 1.9.4 (BSD-2-Clause)"
    legend = calls(html, "finish")[0][0]["legend"]
    assert "Claims policy:" in legend and "No legal value" in legend
    assert "Vincenty" in legend


def test_pyongyang_to_hawaii_and_a_10000_km_ring_in_the_page(mr):
    ev = MapEvent("21.3069 -157.8583", launch="39.0392 125.7625", name="towards Hawaii")
    html = render(build_map(ev, boundaries=mr, rings_km=(10_000,)))
    item = calls(html, "events")[0][0][0]
    x, y = lonlat(item["trk"])
    assert np.abs(np.diff(x)).max() < 3 and x[-1] == pytest.approx(202.1417, abs=1e-3)
    assert item["p"] == [21.3069, 202.1417]  # the marker sits at the end of the track
    ring = calls(html, "rings")[0][0][0]
    x, y = lonlat(ring["p"])
    assert np.abs(np.diff(x)).max() < 10 and (x > 180).any()
    _, _, d = GEOD.inv(np.full(len(x), PYONGYANG[0]), np.full(len(x), PYONGYANG[1]), x, y)
    assert np.max(np.abs(np.asarray(d) / 1e7 - 1)) < 0.001
    assert "10,000 km (geodesic)" in ring["t"]


# --------------------------------------------------------------------------- escaping


def test_hostile_strings_are_escaped_everywhere(mr):
    events = [
        MapEvent("41.3 138.5", launch="sunan", name=n, time=n[:50], notes=n, source=n[:80])
        for n in HOSTILE
    ]
    m = build_map(events, boundaries=mr, title=HOSTILE[0], group_by="event")
    html = render(m)
    rest = outside_leaflet(html)
    assert m.eezcheck_info.drawn == len(HOSTILE)
    for raw in ("<script>alert", "<img", "</textarea>", "<b>x</b>", "\u2028", "\u2029"):
        assert raw not in rest, raw
    # every user string is in the one JSON data block, none in any script's source
    scripts = " ".join(
        re.findall(r"<script(?![^>]*application/json)[^>]*>(.*?)</script>", rest, re.S)
    )
    assert "EZ.start" in scripts
    assert "`" not in scripts and "alert" not in scripts and "ミサイル" not in scripts
    # every script block closes where it should: the only </script> are ours
    n_open = len(re.findall(r"<script\b", html))
    assert html.count("</script>") == n_open
    items = [it for c in calls(html, "events") for it in c[0]]
    assert len(items) == len(HOSTILE)
    for n, it in zip(HOSTILE, items):
        shown = short(n, MAX_TEXT + 80)
        assert it["tip"].startswith(shown[:40])  # tooltips are text (textContent), unescaped
        card = it["card"]
        assert "<script" not in card and "<img" not in card and "<b>" not in card
    assert esc(HOSTILE[1]) in items[1]["card"]
    assert "A" * 10_000 in items[6]["card"]  # the popup shows the whole name
    assert "🚀 ミサイル 発射 🎯" in html
    title = calls(html, "init")[0][0]["title"]
    assert title == "<b>&lt;script&gt;alert(1)&lt;/script&gt;</b>11 events, 11 drawn"
    names = overlay_names(html)
    assert names[-len(HOSTILE) :] == [short(f"{n} {n[:50]}", 80) for n in HOSTILE]


def test_js_json_escapes_script_breakers():
    s = script_json({"a": "</script><!-- \u2028 & > `${x}`"})
    assert "<" not in s and ">" not in s and "&" not in s and "\u2028" not in s
    assert json.loads(s) == {"a": "</script><!-- \u2028 & > `${x}`"}


def test_zone_names_from_a_user_file_are_escaped(tmp_path):
    areas = [(z, s, n, b) for z, s, n, b in S.USER_AREAS]
    areas[4] = ("eez", "RUS", "<img src=x onerror=alert(1)>", S.FOREIGN)
    path = S.write_json(tmp_path / "evil.geojson", S.user_collection(areas))
    html = render(build_map(MapEvent("28 138"), boundaries=str(path)))
    assert "<img" not in outside_leaflet(html)
    zones = {c[0]["cls"]: c[0] for c in calls(html, "zones")}
    labels = [f["properties"]["label"] for f in zones["ez-zone-neighbour"]["fc"]["features"]]
    assert labels == ["<img src=x onerror=alert(1)> (Russia)"]  # shown with textContent


# --------------------------------------------------------------------------- data sets


def test_display_file_is_used_when_the_manifest_names_one(square_display):
    square = square_display
    m = build_map(MapEvent("28 138", launch="30.5 140.5", name="square"), boundaries=str(square))
    html = render(m)
    zones = {c[0]["cls"]: c[0] for c in calls(html, "zones")}
    land = zones["ez-zone-land"]["fc"]["features"]
    assert len(land) == 2  # the display file's islet is drawn: it is only in that file
    assert "display file zones_display.geojson" in calls(html, "finish")[0][0]["legend"]
    assert {"ez-zone-ts", "ez-zone-cz", "ez-zone-japan", "ez-zone-disputed"} <= set(zones)
    assert m.eezcheck_info.verdicts == {"inside": 1}
    assert "Japan, Russia" in zones["ez-zone-disputed"]["fc"]["features"][0]["properties"]["label"]


def test_corrupted_display_file_is_a_data_integrity_error(square_display, tmp_path):
    square = square_display
    import shutil

    d = tmp_path / "bad"
    shutil.copytree(square, d)
    (d / "zones_display.geojson").write_text("{}", encoding="utf-8")
    with pytest.raises(ChecksumMismatchError):
        build_map(MapEvent("28 138"), boundaries=str(d))


def test_loaded_layers_are_simplified_within_budget(mr):
    from eezcheck.checker import get_checker
    from eezcheck.mapping.layers import MAX_DISPLAY_VERTICES, zone_layers

    layers, source, disputed = zone_layers(get_checker(mr).boundaries)
    import shapely

    total = sum(int(shapely.get_num_coordinates(g)) for lay in layers for g, _t in lay.items)
    assert 1000 < total <= MAX_DISPLAY_VERTICES
    assert source == "the loaded layers, simplified for display"
    assert any("Senkaku" in line and "Japan" in line for line in disputed)


# --------------------------------------------------------------------------- many events


@pytest.fixture(scope="module")
def cns_map(mr):
    if not CNS.exists():
        pytest.skip("CNS table not found")
    read = M.read_table(CNS)
    events = read.events
    m = events_map(events, boundaries=mr, columns=read.columns)
    return m, render(m), events


def test_cns_table_map(cns_map):
    m, html, events = cns_map
    info = m.eezcheck_info
    assert info.events == 339 == len(events)
    assert info.drawn + len(info.skipped) == 339 and info.drawn > 250
    assert info.tracks == info.drawn  # every row has its launch facility
    assert all(g[:4].isdigit() for g in info.groups[:-1])  # one group per year
    items = [it for c in calls(html, "events") for it in c[0]]
    assert len(items) == info.drawn
    assert sum(info.verdicts.values()) == info.drawn
    legend = calls(html, "finish")[0][0]["legend"]
    assert f"{len(info.skipped)} of 339 events not drawn" in legend
    assert "CNS North Korea Missile Test Database" in " ".join(
        calls(html, "init")[0][0]["attribution"]
    )
    assert re.findall(r"https?://", outside_leaflet(html)) == []


def test_sizes(one_event_html, cns_map, tmp_path):
    m1, _ = one_event_html
    mc, _, _ = cns_map
    one = save_map(m1, tmp_path / "one.html").stat().st_size
    many = save_map(mc, tmp_path / "cns.html").stat().st_size
    assert one < 2_000_000, one
    assert many < 6_000_000, many


def test_events_map_reuses_results_and_skips_unusable_rows(mr):
    from eezcheck.checker import check_many

    rows = [
        {"lat": "41.3", "lon": "138.5", "name": "a", "date": "2017-07-28"},
        {"lat": "", "lon": "", "name": "b", "date": "2017-08-29"},
        {"lat": "95", "lon": "138", "name": "c", "date": "2018-01-01"},
        {
            "lat": "30",
            "lon": "150",
            "name": "d",
            "date": "2019-01-01",
            "launch_site": "nowhere-xyz",
        },
    ]
    m = events_map(rows, boundaries=mr)
    info = m.eezcheck_info
    assert info.drawn == 2 and [s.name for s in info.skipped] == ["b", "c"]
    assert "latitude" in info.skipped[1].reason
    html = render(m)
    cards = [it["card"] for c in calls(html, "events") for it in c[0]]
    assert "launch site not drawn" in cards[1]  # unknown site: the impact is still drawn
    res = check_many([41.3, 30.0], [138.5, 150.0], boundaries=mr)
    m = events_map([{"name": "x"}, {"name": "y"}], results=res, boundaries=mr)
    assert m.eezcheck_info.verdicts == {"inside": 1, "outside": 1}
    with pytest.raises(InvalidInputError, match="one result per row"):
        events_map([{"name": "x"}], results=res, boundaries=mr)


def test_read_table_is_batchs_reader(tmp_path):
    if CNS.exists():
        read = M.read_table(CNS)
        e = read.events[200]
        assert e.name == "Hwasong-11A (KN-23)" and e.time == "2022-10-05 21:15 UTC"
        assert e.launch["key"] == "samsok" and e.apogee_km == 50.0 and e.year == "2022"
        assert read.columns.source == M.CNS_SOURCE and read.columns.plan is not None
        assert read.rows == len(read.events) == 339
    p = tmp_path / "t.csv"
    p.write_text("\ufeffname,lat,lon,apogee_km,notes\nx,41.3,138.5,unknown,n\n", encoding="utf-8")
    (e,) = M.read_table(p).events
    assert (e.impact, e.apogee_km, e.name, e.notes) == ((41.3, 138.5), None, "x", "n")
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(TableFormatError, match="cannot find the point"):
        M.read_table(bad)
    with pytest.raises(TableFormatError, match="does not exist"):
        M.read_table(tmp_path / "missing.csv")


def _formats(tmp_path: Path) -> dict[str, Path]:
    """The same two events (and a bad row) in every format batch reads."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [("北朝鮮 発射 1", 41.3, 138.5), ("Event 2", 30.0, 150.0)]
    out = {}
    text = "name,lat,lon\n" + "".join(f"{n},{a},{o}\n" for n, a, o in rows) + "bad,1,2,3\n"
    out["sjis"] = tmp_path / "sjis.csv"
    out["sjis"].write_bytes(text.encode("cp932"))
    out["tsv"] = tmp_path / "t.tsv"
    out["tsv"].write_text(text.replace(",", "\t"), encoding="utf-8")
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["name", "lat", "lon"])
    for r in rows:
        ws.append(list(r))
    out["xlsx"] = tmp_path / "t.xlsx"
    wb.save(out["xlsx"])
    fc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": n},
                "geometry": {"type": "Point", "coordinates": [o, a]},
            }
            for n, a, o in rows
        ],
    }
    out["geojson"] = S.write_json(tmp_path / "t.geojson", fc)
    import shapely

    wkb = [shapely.to_wkb(shapely.Point(o, a)) for _n, a, o in rows]
    table = pa.table({"name": [r[0] for r in rows], "geometry": wkb})
    meta = {
        "version": "1.0.0",
        "primary_column": "geometry",
        "columns": {"geometry": {"encoding": "WKB", "geometry_types": ["Point"]}},
    }
    table = table.replace_schema_metadata({"geo": json.dumps(meta)})
    out["geoparquet"] = tmp_path / "t.parquet"
    pq.write_table(table, out["geoparquet"])
    return out


def test_every_format_batch_reads_a_map_draws(mr, tmp_path):
    for kind, path in _formats(tmp_path).items():
        read = M.read_table(path)
        m = events_map(read.events, boundaries=mr, columns=read.columns)
        info = m.eezcheck_info
        assert info.verdicts == {"inside": 1, "outside": 1}, (kind, info)
        names = [it["tip"] for c in calls(m.html(), "events") for it in c[0]]
        assert names[0].startswith("北朝鮮 発射 1") and names[1].startswith("Event 2"), kind
        if kind in ("sjis", "tsv"):  # the row with a field too many: listed, not drawn
            assert [s.name for s in info.skipped] == ["bad"], kind
            assert "field" in info.skipped[0].reason, info.skipped[0].reason


# --------------------------------------------------------------------------- events and saving


def test_map_event_validation_and_forms(mr):
    with pytest.raises(InvalidInputError, match="apogee_km"):
        MapEvent("41 138", apogee_km=-5)
    with pytest.raises(InvalidInputError, match="uncertainty_km"):
        MapEvent("41 138", uncertainty_km=float("nan"))
    assert MapEvent("x", time="2017-11-29 18:17 UTC").year == "2017"
    from datetime import date

    assert MapEvent("x", time=date(2020, 1, 2)).time == "2020-01-02"
    from eezcheck.checker import check

    forms = [
        MapEvent((41.3, 138.5)),
        MapEvent("41.3 138.5"),
        MapEvent({"lat": 41.3, "lon": 138.5}),
        MapEvent(check(41.3, 138.5, boundaries=mr)),
        MapEvent(None, launch="sunan", range_km=1000, bearing_deg="ENE"),
    ]
    m = build_map(forms, boundaries=mr)
    assert m.eezcheck_info.drawn == 5 and m.eezcheck_info.tracks == 1
    with pytest.raises(InvalidInputError):
        build_map(MapEvent("somewhere nice"), boundaries=mr)
    with pytest.raises(InvalidInputError, match="no impact point"):
        build_map(MapEvent(None, launch="sunan"), boundaries=mr)


def test_save_map_atomic_no_clobber(mr, tmp_path):
    out = tmp_path / "sub" / "m.html"
    p = save_map(MapEvent("41.3 138.5"), out, boundaries=mr)
    assert p == out and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    before = out.read_bytes()
    with pytest.raises(FileOverwriteError, match="use --overwrite"):
        save_map(MapEvent("30 150"), out, boundaries=mr)
    assert out.read_bytes() == before
    save_map(MapEvent("30 150"), out, overwrite=True, boundaries=mr)
    assert out.read_bytes() != before
    assert sorted(x.name for x in out.parent.iterdir()) == ["m.html"]  # no temporary left
    with pytest.raises(FileOverwriteError, match="is a directory"):
        save_map(MapEvent("30 150"), tmp_path, overwrite=True, boundaries=mr)


def test_slugify():
    assert M.slugify("Hwasong-15 <ICBM> 2017-11-29") == "hwasong-15-icbm-2017-11-29"
    assert M.slugify("") == "map"
    ja = M.slugify("北朝鮮ミサイル", default="event")
    assert re.fullmatch(r"event-[0-9a-f]{8}", ja) and ja != M.slugify("別の名前", default="event")
    assert len(M.slugify("a" * 500)) == 60
    assert M.slugify("../../etc/passwd") == "etc-passwd"


def test_map_is_usable_inline_in_jupyter(mr):
    m = build_map(MapEvent("41.3 138.5"), boundaries=mr)
    out = m._repr_html_()
    assert "iframe" in out and "Leaflet 1.9.4" in out.replace("&quot;", '"')
    assert "cdn.jsdelivr" not in out


@pytest.mark.slow
def test_embedded_data_map():
    """The default (embedded) data set has a display file: territorial sea and contiguous
    zone layers, Japan's claim, and the disputed areas with their claimants."""
    from eezcheck.data import package_data_dir

    if not (package_data_dir() / "manifest.json").exists():
        pytest.skip("embedded data not built")
    m = build_map(MapEvent("37.5 132.5", name="near Takeshima"))
    html = render(m)
    zones = {c[0]["cls"]: c[0] for c in calls(html, "zones")}
    assert {"ez-zone-ts", "ez-zone-cz", "ez-zone-japan", "ez-zone-disputed", "ez-zone-land"} <= set(
        zones
    )
    labels = " ".join(f["properties"]["label"] for f in zones["ez-zone-disputed"]["fc"]["features"])
    assert "Takeshima" in labels and "Japan, South Korea" in labels and "Okinotorishima" in labels
    import html as html_mod

    assert "Japan's EEZ as Japan claims it" in html_mod.unescape(
        calls(html, "finish")[0][0]["legend"]
    )
    assert "openstreetmap.org/copyright" in " ".join(calls(html, "init")[0][0]["attribution"])
    assert re.findall(r"https?://", outside_leaflet(html)) == []
    assert len(html.encode("utf-8")) < 1_000_000  # issue 15: a one-event map under 1 MB
    assert not math.isnan(m.eezcheck_info.bounds[0][0])
