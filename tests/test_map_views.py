"""What a person sees, measured in Chromium (issue 15): hover labels and popups of every kind
at desktop and phone sizes, screenshots that change when a layer, the legend or a label goes,
the timeline filter of a table map, the base map's names and grid, and the PNG image.

Network blocked (every non-file request aborted and recorded), console errors recorded: each
page must have none of either. Skipped without /usr/bin/chromium or Playwright.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fixtures.browser import require_browser

pytestmark = pytest.mark.browser

require_browser("js_lib_leaflet")

from fixtures.mappage import assert_layout  # noqa: E402

from eezcheck.mapping import MapEvent, build_map, events_map, read_table, save_map  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"
MR_PATH = SHARED / "data" / "reference" / "marineregions_eez_v12_japan_region.geojson"
CNS = SHARED / "data" / "events" / "cns_missile_tests.csv"
DESKTOP = {"width": 1400, "height": 1000}
PHONE = {"width": 390, "height": 844}
LONG_NAME = "Hwasong-15 test launch reported by the JCS and the MoD " * 40

# a point on a drawn layer of a class, moved into view, in container pixels
POINT_ON = """(cls) => {
  let found = null;
  EZ.map.eachLayer(l => {
    if (found || !l.options || !(l.options.className || "").split(" ").includes(cls)) return;
    if (l.getLatLng) found = l.getLatLng();
    else if (l.getLatLngs && l instanceof L.Polygon) found = l.getCenter();
    else if (l.getLatLngs) { const ps = l.getLatLngs().flat(3); found = ps[Math.floor(ps.length / 2)]; }
  });
  if (!found) return null;
  EZ.map.panTo(found, { animate: false });
  const p = EZ.map.latLngToContainerPoint(found);
  return [p.x, p.y];
}"""


@pytest.fixture(scope="module")
def boundaries() -> str | None:
    return str(MR_PATH) if MR_PATH.exists() else None


class Page:
    """A map page in a viewport, network blocked, problems recorded."""

    def __init__(self, browser, path: Path, viewport: dict[str, int]) -> None:
        self.outside: list[str] = []
        self.problems: list[str] = []
        self.viewport = viewport
        self.page = browser.new_page(viewport=viewport)
        self.page.route("**/*", self._route)
        self.page.on("pageerror", lambda e: self.problems.append(str(e)))
        self.page.on(
            "console",
            lambda m: self.problems.append(m.text) if m.type in ("error", "warning") else None,
        )
        self.page.on("dialog", lambda d: (self.problems.append(d.message), d.dismiss()))
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function("window.EZ && window.EZ.map && window.EZ.map._loaded")
        self.page.wait_for_timeout(300)

    def _route(self, route) -> None:
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def clean(self) -> None:
        assert self.outside == [] and self.problems == [], (self.outside, self.problems)

    def hover_layer(self, cls: str) -> dict[str, float]:
        """Hover a layer of class ``cls``; the box of the tooltip that opens."""
        self.page.mouse.move(2, self.viewport["height"] // 2)
        self.page.wait_for_timeout(100)
        xy = self.page.evaluate(POINT_ON, cls)
        assert xy is not None, f"no layer of class {cls}"
        self.page.mouse.move(xy[0], xy[1], steps=3)
        tip = self.page.locator(".leaflet-tooltip").last
        tip.wait_for(state="visible")
        box = tip.bounding_box()
        assert box is not None
        box["text"] = tip.inner_text()
        return box

    def close(self) -> None:
        self.page.close()


def readable(box: dict, viewport: dict[str, int], what: str) -> None:
    """A label a person can read: a sane shape, wholly on screen."""
    assert box["width"] >= 120, (what, box)
    assert box["height"] <= 300, (what, box)
    assert box["width"] <= min(360, viewport["width"]), (what, box)
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 1, (what, box)


@pytest.fixture(scope="module")
def one_event(boundaries, tmp_path_factory) -> Path:
    ev = MapEvent(
        "37.6 134.0", launch="sunan", name="Hwasong test", time="2017-07-28 14:41 UTC",
        uncertainty_km=60, apogee_km=550,
    )  # fmt: skip
    m = build_map(ev, boundaries=boundaries, rings_km=(1000,))
    return save_map(m, tmp_path_factory.mktemp("views") / "one.html")


@pytest.fixture(scope="module")
def long_name(boundaries, tmp_path_factory) -> Path:
    m = build_map(MapEvent("41.3 138.5", launch="sunan", name=LONG_NAME), boundaries=boundaries)
    return save_map(m, tmp_path_factory.mktemp("views") / "long.html")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_label_and_popup_is_readable(browser, one_event, long_name, viewport):
    pg = Page(browser, one_event, viewport)
    try:
        for cls in ("ez-splash", "ez-launch", "ez-zone-disputed", "ez-track", "ez-ring",
                    "ez-uncertainty"):  # fmt: skip
            box = pg.hover_layer(cls)
            readable(box, viewport, cls)
            if cls in ("ez-splash", "ez-track", "ez-uncertainty"):
                assert box["text"].startswith("INSIDE Japan's EEZ"), box["text"]  # verdict first
        pg.page.mouse.move(2, 2)
        xy = pg.page.evaluate(POINT_ON, "ez-splash")
        pg.page.mouse.click(xy[0], xy[1])
        popup = pg.page.locator(".leaflet-popup-content-wrapper")
        popup.wait_for(state="visible")
        pg.page.wait_for_timeout(400)  # auto-pan
        box = popup.bounding_box()
        assert 200 <= box["width"] <= viewport["width"] - 10, box
        assert box["height"] <= viewport["height"] - 100, box
        assert pg.page.locator(".ez-card .ez-verdict").inner_text().startswith("INSIDE")
        first = pg.page.evaluate(
            "() => document.querySelector('.ez-card').firstElementChild.className"
        )
        assert first == "ez-verdict"  # the popup opens with the verdict
        pg.clean()
    finally:
        pg.close()
    pg = Page(browser, long_name, viewport)
    try:
        box = pg.hover_layer("ez-splash")
        lines = box["text"].split("\n")
        assert lines[0] == "INSIDE Japan's EEZ", lines[0]  # first, whatever the name's length
        assert box["width"] <= min(360, viewport["width"]) and box["height"] <= 300, box
        pg.clean()
    finally:
        pg.close()


def test_screenshots_change_when_a_layer_the_legend_or_a_label_goes(browser, one_event):
    pg = Page(browser, one_event, DESKTOP)
    try:
        labels = pg.page.locator(".leaflet-control-layers-overlays label")
        pg.page.hover(".leaflet-control-layers")
        names = [" ".join(t.split()) for t in labels.all_text_contents()]
        assert "Splashdown" in names and "Sea, country and place names" in names
        pg.page.evaluate(
            "() => { EZ.map.setView([33, 140], 3, { animate: false }); }"
        )  # every layer in view
        pg.page.mouse.move(700, 990)
        pg.page.wait_for_timeout(300)
        for i, name in enumerate(names):
            before = pg.page.screenshot()
            pg.page.hover(".leaflet-control-layers")
            labels.nth(i).locator("input").click()
            pg.page.mouse.move(700, 990)
            pg.page.wait_for_timeout(200)
            after = pg.page.screenshot()
            assert after != before, f"toggling layer {name!r} changed nothing on screen"
            pg.page.hover(".leaflet-control-layers")
            labels.nth(i).locator("input").click()
            pg.page.mouse.move(700, 990)
            pg.page.wait_for_timeout(200)
        legend = pg.page.locator(".ez-legend")
        box = legend.bounding_box()
        assert box["width"] > 200 and box["height"] > 200, box
        with_legend = pg.page.screenshot()
        pg.page.evaluate("() => { document.querySelector('.ez-legend').style.display = 'none'; }")
        assert pg.page.screenshot() != with_legend, "the legend is not on screen"
        pg.page.evaluate("() => { document.querySelector('.ez-legend').style.display = ''; }")
        box = pg.hover_layer("ez-splash")
        clip = {k: box[k] for k in ("x", "y", "width", "height")}
        shown = pg.page.screenshot(clip=clip)
        pg.page.mouse.move(2, 500)
        pg.page.locator(".leaflet-tooltip").wait_for(state="detached")
        assert pg.page.screenshot(clip=clip) != shown, "the marker's label is not on screen"
        pg.clean()
    finally:
        pg.close()


def test_base_map_names_and_grid(browser, one_event):
    pg = Page(browser, one_event, DESKTOP)
    try:
        text = pg.page.locator(".ez-label").all_inner_texts()
        assert any("Sea of Japan" in t and "日本海" in t for t in text), text
        assert any("NORTH KOREA" in t.upper() for t in text)
        assert pg.page.locator(".ez-grid-label").count() >= 4  # latitudes and longitudes
        pg.page.evaluate("() => { EZ.map.setView([40.0, 140.0], 8, { animate: false }); }")
        pg.page.wait_for_timeout(300)
        text = pg.page.locator(".ez-label").all_inner_texts()
        assert any("Akita" in t and "秋田" in t for t in text), text  # gazetteer places
        assert pg.page.locator(".ez-grid-label").count() >= 4  # the grid at every zoom
        assert pg.page.locator(".leaflet-control-scale-line").count() == 1
        assert pg.page.title().startswith("Hwasong test — 2017-07-28 14:41 UTC — INSIDE")
        pg.clean()
    finally:
        pg.close()


@pytest.fixture(scope="module")
def cns_table(boundaries, tmp_path_factory) -> Path:
    if not CNS.exists():
        pytest.skip(f"{CNS} not found")
    read = read_table(CNS)
    m = events_map(read.events, boundaries=boundaries, columns=read.columns, title="CNS missile tests")
    return save_map(m, tmp_path_factory.mktemp("views") / "cns.html")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("kind", ["one-event", "cns-table"])
def test_panels_do_not_overlap_and_leave_the_map_visible(browser, request, kind, viewport):
    """Title, legend, timeline, layers, zoom, measure, scale and attribution: no panel over
    another, at least half of the map uncovered; on a phone the timeline starts folded to its
    summary line and opens with a tap."""
    path = request.getfixturevalue("one_event" if kind == "one-event" else "cns_table")
    pg = Page(browser, path, viewport)
    try:
        layout = assert_layout(pg.page)
        classes = {c for b in layout["boxes"] for c in b["cls"].split()}
        assert {"ez-title", "ez-legend", "leaflet-control-zoom", "ez-measure"} <= classes
        title = pg.page.locator(".ez-title")
        assert title.get_attribute("open") is not None  # a short title stays open
        assert title.evaluate("e => e.scrollHeight <= e.clientHeight + 1")  # nothing clipped
        if kind == "cns-table":
            tl = pg.page.locator(".ez-timeline")
            summary = tl.locator("summary")
            assert "260 of 260 drawn events" in summary.inner_text()
            if viewport is PHONE:
                assert tl.get_attribute("open") is None
                assert not pg.page.locator(".ez-tl-from").is_visible()
                summary.click()
                assert pg.page.locator(".ez-tl-from").is_visible()
                assert_layout(pg.page)  # open, it still hides nothing and leaves half the map
                summary.click()
            else:
                assert tl.get_attribute("open") is not None
        pg.clean()
    finally:
        pg.close()


def test_timeline_filters_markers_and_counts(browser, boundaries, tmp_path):
    rows = [
        {"lat": "41.3", "lon": "138.5", "name": "a", "date": "2016-08-03", "site": "sunan"},
        {"lat": "40.9", "lon": "139.0", "name": "b", "date": "2017-03-06", "site": "sunan"},
        {"lat": "30.0", "lon": "150.0", "name": "c", "date": "2017-08-29", "site": "sohae"},
        {"lat": "31.0", "lon": "151.0", "name": "d", "date": "2019-10-02", "site": "39.5 127.5"},
        {"lat": "", "lon": "", "name": "<b>not drawn</b>", "date": "2018-01-01", "site": ""},
    ]  # fmt: skip
    m = events_map(rows, boundaries=boundaries, title="Timeline <test>")
    assert m.eezcheck_info.drawn == 4
    pg = Page(browser, save_map(m, tmp_path / "t.html"), DESKTOP)
    try:
        tl = pg.page.locator(".ez-timeline")
        used = pg.page.locator("path.ez-launch-used")

        def site_names() -> list[str]:  # hover every visible site of these events
            out = []
            for i in range(used.count()):
                used.nth(i).hover(force=True)
                out.append(pg.page.locator(".leaflet-tooltip").last.inner_text())
            return sorted(out)

        assert tl.get_attribute("data-shown") == "4"
        assert pg.page.locator("path.ez-splash").count() == 4
        assert used.count() == 3 and tl.get_attribute("data-sites") == "3"
        pg.page.locator(".ez-tl-from").fill("1")  # 2017 ...
        pg.page.locator(".ez-tl-to").fill("1")  # ... to 2017
        assert tl.get_attribute("data-range") == "2017-2017"
        assert pg.page.locator("path.ez-splash").count() == 2
        assert "2017: 2 of 4 drawn events, from 2 of 3 launch sites" in tl.inner_text()
        assert tl.locator(".ez-tl-inside").inner_text() == "inside 1"
        assert tl.locator(".ez-tl-outside").inner_text() == "outside 1"
        names = site_names()
        assert len(names) == 2 and "Sunan" in names[1] and "Sohae" in names[0], names
        pg.page.locator(".ez-tl-from").fill("2")  # 2019: the launch point only
        pg.page.locator(".ez-tl-to").fill("2")
        assert "2019: 1 of 4 drawn events, from 1 of 3 launch sites" in tl.inner_text()
        assert site_names() == ["Launch point: 39.5000, 127.5000"]
        pg.page.locator(".ez-tl-all").click()
        assert pg.page.locator("path.ez-splash").count() == 4
        assert used.count() == 3 and tl.get_attribute("data-sites") == "3"
        assert tl.get_attribute("data-counts") == '{"inside":2,"outside":2}'
        legend = pg.page.locator(".ez-legend").inner_text()
        assert "2018-01-01 <b>not drawn</b>" in legend  # undrawn: date, name (as text), why
        assert pg.page.title() == "Timeline <test>, 2016–2019"
        pg.clean()
    finally:
        pg.close()


def test_png_shows_the_same_map(boundaries, tmp_path):
    """``eezcheck map --png`` (a process of its own: Playwright's sync API cannot run inside
    this module's browser loop)."""
    import subprocess
    import sys

    from PIL import Image

    out = tmp_path / "sub" / "m.png"
    cmd = [sys.executable, "-m", "eezcheck", "map", "37.6", "134.0", "--from", "sunan",
           "--name", "PNG", "-o", str(tmp_path / "m.html"), "--png", str(out)]  # fmt: skip
    if boundaries:
        cmd += ["--boundaries", boundaries]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    img = Image.open(io.BytesIO(out.read_bytes())).convert("RGB")
    assert img.size == (1400, 1000)
    colours = {c for _n, c in img.getcolors(1 << 20)}
    assert (0xD6, 0x27, 0x28) in colours  # the inside verdict's marker
    assert (0xFF, 0xD4, 0x00) in colours  # the launch site of the event
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert res.returncode == 2 and "exists; use --overwrite" in res.stderr
