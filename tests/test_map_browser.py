"""Maps in a real browser: Debian's chromium driven headless by Playwright, network blocked.

Every request that is not ``file:`` or ``data:`` is aborted and recorded: a map must load with
none, no failed request, no console error and no page error, and draw the expected numbers of
markers, tracks, rings and polygons. Hostile event names must stay text (a dialog fails the
test). Screenshots go to ``tmp_path`` and are copied to ``/tmp/eezcheck-screens/``.

Skipped when ``/usr/bin/chromium`` or Playwright is missing. Browsers are never downloaded.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.browser import Loaded, require_browser

pytestmark = pytest.mark.browser
require_browser("js_lib_leaflet")

from fixtures.mappage import calls, page_data  # noqa: E402
from pyproj import Geod  # noqa: E402

from eezcheck.mapping import MapEvent, build_map, events_map, read_table, save_map  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"
MR_PATH = SHARED / "data" / "reference" / "marineregions_eez_v12_japan_region.geojson"
CNS = SHARED / "data" / "events" / "cns_missile_tests.csv"
GEOD = Geod(ellps="WGS84")

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "${alert(1)}",
    "`",
    "\"double\" 'single' quotes",
    "</textarea><b>bold?</b>",
    "B" * 10_000,
    "🚀🎯 emoji",
    "北朝鮮の弾道ミサイル（日本語）",
    '<img src=x onerror="window.__xss=1">',
    "${window.__xss=2}",
    "</script><script>window.__xss=3</script>",
]


@pytest.fixture(scope="module")
def boundaries() -> str | None:
    """The Marine Regions reference clip (fast to load), else the embedded data."""
    return str(MR_PATH) if MR_PATH.exists() else None


def zone_features(m) -> int:
    return sum(len(c[0]["fc"]["features"]) for c in calls(m.html(), "zones"))


def overlays(m) -> int:
    return len(page_data(m.html())["groups"])


# --------------------------------------------------------------------------- one event


@pytest.fixture(scope="module")
def one_event(boundaries, tmp_path_factory):
    ev = MapEvent(
        "41.3 138.5", launch="sunan", apogee_km=550, name="Hwasong test (one event)",
        time="2017-07-28 14:41 UTC", uncertainty_km=60,
    )  # fmt: skip
    m = build_map(ev, boundaries=boundaries, rings_km=(1000, 3000, 5500))
    path = save_map(m, tmp_path_factory.mktemp("one") / "one.html")
    return m, path


def test_one_event_loads_offline_with_every_layer(browser, one_event, tmp_path):
    m, path = one_event
    pg = Loaded(browser, path)
    try:
        pg.assert_clean()
        assert pg.count("path.ez-splash") == 1
        assert pg.count("path.ez-track") == 1
        assert pg.count("path.ez-uncertainty") == 1
        assert pg.count("path.ez-ring") == 3
        assert pg.count("path.ez-launch") == 1  # the others are behind a layer toggle, off
        assert pg.count("path.ez-launch-used") == 1
        assert pg.count("path.ez-zone") == zone_features(m)
        assert pg.count("path.ez-zone-land.leaflet-interactive") == 0
        assert pg.count(".leaflet-control-layers-overlays label") == overlays(m)
        assert pg.count(".leaflet-marker-icon img") == 0  # circle markers and text labels: no images
        assert pg.count(".leaflet-control-scale-line") == 1
        assert pg.count(".ez-measure-btn") == 1
        assert pg.page.inner_text(".ez-title") == (
            "Hwasong test (one event)\n2017-07-28 14:41 UTC\nINSIDE Japan's EEZ"
        )
        legend = pg.page.inner_text(".ez-legend")
        assert "Japan's EEZ" in legend and "Vincenty" in legend
        attribution = pg.page.inner_text(".leaflet-control-attribution")
        assert "Leaflet 1.9.4" in attribution and "CC BY 4.0" in attribution
        assert pg.count(".leaflet-control-attribution a") == 0  # plain text, nothing to fetch
        # the popup: verdict card and the trajectory profile
        pg.page.locator("path.ez-splash").click()
        pg.page.wait_for_selector(".leaflet-popup-content .ez-card")
        pg.page.wait_for_timeout(600)  # popup fade-in and auto-pan
        card = pg.page.inner_text(".leaflet-popup-content")
        for text in (
            "INSIDE Japan's EEZ",
            "EEZ limit",
            "MoD style",
            "Claims policy",
            "Sunan",
            "apogee",
        ):
            assert text in card, text
        assert pg.count(".leaflet-popup-content svg polyline") == 1
        pg.screenshot(tmp_path, "map-one-event.png")
        pg.assert_clean()
    finally:
        pg.close()


def test_zones_are_drawn_at_their_rounded_coordinates(browser, boundaries, one_event):
    """The page's encoded zone outlines decode, vertex by vertex, to the display geometry."""
    import numpy as np
    import shapely

    from eezcheck.checker import get_checker
    from eezcheck.mapping.layers import zone_layers

    _m, path = one_event
    expect: dict[str, list[list[float]]] = {}
    for lay in zone_layers(get_checker(boundaries).boundaries)[0]:
        pts: list[list[float]] = []
        for geom, _tip in lay.items:
            for part in shapely.get_parts(geom):
                if part.geom_type == "Polygon":  # Leaflet drops each ring's closing vertex
                    for ring in (part.exterior, *part.interiors):
                        pts.extend(shapely.get_coordinates(ring)[:-1].tolist())
                else:
                    pts.extend(shapely.get_coordinates(part).tolist())
        if pts:
            expect[f"ez-zone-{lay.key}"] = pts
    pg = Loaded(browser, path)
    try:
        drawn = pg.page.evaluate(
            """() => {
              const out = {};
              const walk = ll => Array.isArray(ll) ? ll.flatMap(walk) : [[ll.lng, ll.lat]];
              EZ.map.eachLayer(l => {
                if (!l.feature || !l.getLatLngs) return;
                const cls = l.options.className.split(" ")[1];
                out[cls] = (out[cls] || []).concat(walk(l.getLatLngs()));
              });
              return out;
            }"""
        )
        assert set(drawn) == set(expect)
        for cls, pts in expect.items():
            got = np.asarray(drawn[cls])
            assert got.shape == (len(pts), 2), cls
            assert np.allclose(got, pts, rtol=0, atol=1e-9), cls
        pg.assert_clean()
    finally:
        pg.close()


def test_measuring_tool_is_geodesic(browser, one_event):
    _m, path = one_event
    pg = Loaded(browser, path)
    try:
        pg.page.click(".ez-measure-btn")
        box = pg.page.locator(".leaflet-container").bounding_box()
        pts = [
            (box["x"] + 700, box["y"] + 250),
            (box["x"] + 1000, box["y"] + 600),
            (box["x"] + 650, box["y"] + 700),
        ]
        latlngs = []
        for x, y in pts:
            latlngs.append(
                pg.page.evaluate(
                    "([x, y]) => { const ll = EZ.map.containerPointToLatLng([x, y]); return [ll.lat, ll.lng]; }",
                    [x - box["x"], y - box["y"]],
                )
            )
            pg.page.mouse.click(x, y)
        pg.page.keyboard.press("Escape")
        out = pg.page.locator("#ez-measure-out")
        total_m = float(out.get_attribute("data-m"))
        assert (
            out.get_attribute("data-points") == "3" and out.get_attribute("data-approx") == "false"
        )
        expected = 0.0
        for (la1, lo1), (la2, lo2) in zip(latlngs, latlngs[1:]):
            expected += GEOD.inv(lo1, la1, lo2, la2)[2]
        assert total_m == pytest.approx(expected, rel=1e-6)  # Vincenty vs GeographicLib
        text = out.inner_text()
        assert "Vincenty" in text and f"{expected / 1000:,.1f} km" in text
        assert pg.count("path.ez-measure-line") == 1 and pg.count("path.ez-measure-pt") == 3
        # the formula itself, including across 180 and nearly antipodal points (fallback)
        for p, q in [
            ((39.0, 125.7), (21.3, -157.9)),
            ((0.0, 0.0), (0.5, 179.7)),
            ((10.0, 170.0), (-20.0, -170.0)),
        ]:
            js = pg.page.evaluate(
                "([p, q]) => EZ.distance({lat: p[0], lng: p[1]}, {lat: q[0], lng: q[1]})", [p, q]
            )
            ref = GEOD.inv(p[1], p[0], q[1], q[0])[2]
            if js["approx"]:
                assert js["m"] == pytest.approx(ref, rel=0.006)  # sphere vs ellipsoid
            else:
                assert js["m"] == pytest.approx(ref, rel=1e-9)
        pg.page.click(".ez-measure-out a")  # Clear
        assert pg.count("path.ez-measure-line") == 0
        pg.assert_clean()
    finally:
        pg.close()


def test_track_and_ring_across_the_antimeridian(browser, boundaries, tmp_path):
    ev = MapEvent("21.3069 -157.8583", launch="39.0392 125.7625", name="Pyongyang towards Hawaii")
    m = build_map(ev, boundaries=boundaries, rings_km=(10_000,))
    pg = Loaded(browser, save_map(m, tmp_path / "hawaii.html"))
    try:
        pg.assert_clean()
        steps = pg.page.evaluate(
            """() => { const out = {};
              EZ.map.eachLayer(l => { const c = l.options && l.options.className;
                if (c === 'ez-track' || c === 'ez-ring') { const ll = l.getLatLngs();
                  let s = 0, lo = 1e9, hi = -1e9;
                  for (let i = 0; i < ll.length; i++) { lo = Math.min(lo, ll[i].lng); hi = Math.max(hi, ll[i].lng);
                    if (i) s = Math.max(s, Math.abs(ll[i].lng - ll[i - 1].lng)); }
                  out[c] = {maxStep: s, min: lo, max: hi, n: ll.length}; } });
              return out; }"""
        )
        assert steps["ez-track"]["maxStep"] < 3 and steps["ez-track"]["max"] == pytest.approx(
            202.1417, abs=1e-3
        )
        assert steps["ez-track"]["n"] >= 16
        assert steps["ez-ring"]["maxStep"] < 10 and steps["ez-ring"]["max"] > 180
        # drawn in one piece: the track's on-screen width is a fraction of the world's
        width = pg.page.locator("path.ez-track").bounding_box()["width"]
        world = pg.page.evaluate("() => 256 * Math.pow(2, EZ.map.getZoom())")
        assert width < 0.3 * world
        pg.screenshot(tmp_path, "map-antimeridian.png")
    finally:
        pg.close()


# --------------------------------------------------------------------------- many events


def test_cns_table_loads_offline(browser, boundaries, tmp_path):
    if not CNS.exists():
        pytest.skip("CNS table not found")
    read = read_table(CNS)
    events = read.events
    m = events_map(events, boundaries=boundaries, columns=read.columns)
    info = m.eezcheck_info
    path = save_map(m, tmp_path / "cns.html")
    assert path.stat().st_size < 6_000_000
    pg = Loaded(browser, path)
    try:
        pg.assert_clean()
        assert pg.count("path.ez-splash") == info.drawn > 250
        assert pg.count("path.ez-track") == info.tracks == info.drawn
        assert pg.count("path.ez-uncertainty") == 0
        assert pg.count("path.ez-zone") == zone_features(m)
        assert pg.count(".leaflet-control-layers-overlays label") == overlays(m)
        for verdict, n in info.verdicts.items():
            assert pg.count(f"path.ez-splash.ez-v-{verdict}") == n
        assert pg.page.inner_text(".ez-title").startswith("339 events, 1984–2026")
        pg.screenshot(tmp_path, "map-cns-table.png")
        # one year's layer off: its markers go
        first = pg.page.locator(".leaflet-control-layers-overlays label", has_text="2017 (")
        n2017 = sum(1 for e in events if e.year == "2017") - sum(
            1 for s in info.skipped if events[s.index].year == "2017"
        )
        pg.page.hover(".leaflet-control-layers")  # expands the collapsed control
        pg.page.wait_for_timeout(100)
        first.locator("input").uncheck()
        assert pg.count("path.ez-splash") == info.drawn - n2017
        pg.assert_clean()
    finally:
        pg.close()


# --------------------------------------------------------------------------- hostile text


def test_hostile_names_stay_text(browser, boundaries, tmp_path):
    events = [
        MapEvent(
            f"{36 + i * 0.7:.2f} {131 + (i % 4) * 1.5:.2f}",
            launch="sunan",
            name=n,
            time=n[:40],
            notes=n,
        )
        for i, n in enumerate(HOSTILE)
    ]
    m = build_map(events, boundaries=boundaries, title=HOSTILE[1], group_by="event")
    pg = Loaded(browser, save_map(m, tmp_path / "hostile.html"))
    try:
        pg.assert_clean()  # no dialog, no error: the page did not break on a backtick
        assert pg.page.evaluate("() => window.__xss") is None
        assert pg.count("path.ez-splash") == len(HOSTILE)
        assert pg.count("path.ez-track") == len(HOSTILE)
        assert pg.page.inner_text(".ez-title b") == HOSTILE[1]
        labels = pg.page.locator(".leaflet-control-layers-overlays label").all_text_contents()
        for n in HOSTILE[:6]:
            assert any(n in " ".join(lbl.split()) for lbl in labels), n
        assert pg.count(".leaflet-container img, .leaflet-container script") == 0
        # tooltips and popups show the text itself
        for i in (0, 1, 2, 3, 6, 9, 10):
            marker = pg.page.locator("path.ez-splash").nth(i)
            marker.hover(force=True)
            tip = pg.page.locator(".leaflet-tooltip").last
            verdict, name = tip.inner_text().split("\n", 1)
            assert verdict.startswith(("INSIDE", "OUTSIDE", "UNCERTAIN", "DISPUTED")), verdict
            assert name.startswith(HOSTILE[i][:200].strip()), (name[:80], HOSTILE[i][:80])
            # the verdict comes first and stays on screen whatever the name's length
            box = tip.locator("b").bounding_box()
            assert box is not None and box["y"] >= 0 and box["x"] >= 0
        pg.page.locator("path.ez-splash").nth(1).click()
        pg.page.wait_for_selector(".leaflet-popup-content .ez-card")
        assert pg.page.inner_text(".leaflet-popup-content h3") == HOSTILE[1]
        assert pg.count(".leaflet-popup-content img, .leaflet-popup-content b:not(.x)") == 0
        pg.page.evaluate("() => { EZ.map.closePopup(); }")
        pg.page.wait_for_selector(".leaflet-popup", state="detached")  # faded out
        pg.page.locator("path.ez-splash").nth(6).click(force=True)
        assert (
            pg.page.inner_text(".leaflet-popup-content h3") == HOSTILE[6]
        )  # all 10,000 characters
        pg.page.evaluate("() => { EZ.map.closePopup(); }")
        pg.page.wait_for_selector(".leaflet-popup", state="detached")  # faded out
        pg.page.locator("path.ez-splash").nth(8).click(force=True)
        assert pg.page.inner_text(".leaflet-popup-content h3") == HOSTILE[8]
        pg.page.wait_for_timeout(600)  # popup fade-in and auto-pan
        pg.screenshot(tmp_path, "map-hostile-names.png")
        assert pg.page.evaluate("() => window.__xss") is None
        pg.assert_clean()
    finally:
        pg.close()


def test_unnamed_event_tooltip_and_popup_say_its_point(browser, boundaries, tmp_path):
    """Hovering an unnamed event reads its verdict, then its point as given; the popup's heading
    says the same (never "Event 1")."""
    m = build_map(MapEvent("about 250 km west of the Oga Peninsula"), boundaries=boundaries)
    pg = Loaded(browser, save_map(m, tmp_path / "unnamed.html"))
    try:
        pg.assert_clean()
        marker = pg.page.locator("path.ez-splash").first
        marker.hover(force=True)
        verdict, name = pg.page.locator(".leaflet-tooltip").last.inner_text().split("\n", 1)
        assert verdict.startswith(("INSIDE", "OUTSIDE", "UNCERTAIN")), verdict
        assert name == "about 250 km west of the Oga Peninsula"
        marker.click(force=True)
        pg.page.wait_for_selector(".leaflet-popup-content .ez-card")
        assert pg.page.inner_text(".leaflet-popup-content h3") == name
        assert "Event" not in pg.page.inner_text(".leaflet-popup-content h3")
    finally:
        pg.close()
