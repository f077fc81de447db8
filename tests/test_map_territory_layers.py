"""Japan's internal waters on the map (issue 13): a layer of its own, apart from the territorial
sea, with its own swatch in the legend; hovered in Chromium (network blocked) over Tokyo Bay, Ise
Bay and the Seto Inland Sea it names internal waters, and 6 nm off Cape Inubo the territorial sea.

Uses the embedded data (its display file); skipped when it is not built or without
/usr/bin/chromium and Playwright.
"""

from __future__ import annotations

import html as html_mod
from pathlib import Path

import pytest
from fixtures.browser import require_browser

pytestmark = [pytest.mark.browser, pytest.mark.slow]

require_browser("js_lib_leaflet")

from fixtures.mappage import calls  # noqa: E402

from eezcheck.data import package_data_dir  # noqa: E402
from eezcheck.mapping import MapEvent, build_map, save_map  # noqa: E402

if not (package_data_dir() / "manifest.json").exists():
    pytest.skip("embedded data not built", allow_module_level=True)

# (lat, lon, what the hover label must say)
HOVERS = [
    (35.50, 139.85, "internal waters"),  # Tokyo Bay
    (34.85, 136.75, "internal waters"),  # Ise Bay
    (34.30, 133.50, "internal waters"),  # Seto Inland Sea (Hiuchi-nada)
    (35.7076, 140.99, "territorial sea"),  # 6 nm off Cape Inubo
]


@pytest.fixture(scope="module")
def page_path(tmp_path_factory) -> Path:
    m = build_map(MapEvent("36.5 141.6", name="off Ibaraki"))
    return save_map(m, tmp_path_factory.mktemp("iw") / "iw.html")


def test_internal_waters_is_a_layer_of_its_own(page_path):
    text = page_path.read_text(encoding="utf-8")
    zones = {c[0]["cls"]: c[0] for c in calls(text, "zones")}
    assert {"ez-zone-iw", "ez-zone-ts"} <= set(zones)
    iw = [f["properties"]["label"] for f in zones["ez-zone-iw"]["fc"]["features"]]
    ts = [f["properties"]["label"] for f in zones["ez-zone-ts"]["fc"]["features"]]
    assert iw and all("internal waters" in t for t in iw)
    assert ts and not any("internal waters" in t for t in ts)
    legend = html_mod.unescape(calls(text, "finish")[0][0]["legend"])
    assert "Japan's internal waters (landward of the baselines)" in legend


def test_hover_names_internal_waters_and_territorial_sea(browser, page_path, tmp_path):
    outside: list[str] = []
    problems: list[str] = []
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    try:

        def route(r):
            if r.request.url.startswith(("file:", "data:")):
                r.continue_()
            else:
                outside.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.goto(page_path.resolve().as_uri())
        page.wait_for_function("window.EZ && window.EZ.map && window.EZ.map._loaded")
        # the two legend swatches differ in colour
        swatches = page.evaluate(
            """() => [...document.querySelectorAll('.ez-legend .ez-row')].map(r =>
                [r.innerText, getComputedStyle(r.querySelector('.ez-sw') || r).backgroundColor])"""
        )
        colour = dict(swatches)
        iw = next(c for t, c in colour.items() if "internal waters" in t)
        ts = next(c for t, c in colour.items() if "territorial sea" in t)
        assert iw != ts, swatches
        for lat, lon, want in HOVERS:
            page.mouse.move(2, 430)
            page.evaluate(f"() => {{ EZ.map.setView([{lat}, {lon}], 10, {{animate: false}}); }}")
            page.wait_for_timeout(300)
            xy = page.evaluate(f"(() => {{ const q = EZ.map.latLngToContainerPoint([{lat}, {lon}]); return [q.x, q.y]; }})()")
            box = page.locator("#" + page.evaluate("EZ.map.getContainer().id")).bounding_box()
            assert box is not None
            page.mouse.move(box["x"] + xy[0], box["y"] + xy[1], steps=3)
            tip = page.locator(".leaflet-tooltip").last
            tip.wait_for(state="visible")
            label = tip.inner_text()
            assert want in label, (lat, lon, label)
            if want == "internal waters":
                page.screenshot(path=str(tmp_path / "iw.png"))
        assert outside == [] and problems == [], (outside, problems)
    finally:
        page.close()
