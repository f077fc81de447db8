"""The footprint map of the seed morning in a real browser (Playwright + Debian chromium,
network blocked): 5 Nov 2024, at least seven SRBMs from an area south of Pyongyang in North
Hwanghae province toward waters off the east coast, about 400 km, apogee about 100 km, outside
Japan's EEZ. One command makes the map; the page must load with no outside request and no
console error, show the footprint's figures in text, and a readable label on hover, on a
desktop and on a phone viewport. Screenshots go to /tmp/eezcheck-screens/.
"""

from __future__ import annotations

import json

import pytest
from fixtures.browser import Loaded, require_browser

pytestmark = pytest.mark.browser

require_browser("js_lib_leaflet")

from click.testing import CliRunner  # noqa: E402
from fixtures.mappage import assert_layout  # noqa: E402

from eezcheck.cli.main import cli  # noqa: E402

SEED = [
    "map", "--from", "an area south of Pyongyang in North Hwanghae province",
    "--range-km", "400", "--apogee-km", "100", "--bearing-range", "45..135",
    "--name", "5 Nov 2024: at least seven SRBMs <b>from</b> North Hwanghae",
]  # fmt: skip
VIEWPORTS = [(1400, 1000), (390, 844)]


@pytest.fixture(scope="module")
def seed_map(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed") / "seed.html"
    res = CliRunner().invoke(cli, [*SEED, "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert res.stdout.strip() == str(out)
    return out


def _check_json():
    res = CliRunner().invoke(cli, ["check", *SEED[1:9], "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_seed_morning_footprint_map(browser, seed_map, tmp_path, width, height):
    want = _check_json()
    pg = Loaded(browser, seed_map)
    try:
        pg.page.set_viewport_size({"width": width, "height": height})
        pg.page.reload()  # laid out for this screen from the start
        pg.page.wait_for_function("window.EZ && window.EZ.map && window.EZ.map._loaded")
        pg.page.wait_for_timeout(300)
        pg.assert_clean()
        # the footprint by verdict: the seed morning stays outside Japan's EEZ
        assert pg.count("path.ez-footprint") >= 1
        assert pg.count("path.ez-fp-outside") >= 1 and pg.count("path.ez-fp-inside") == 0
        assert pg.count("path.ez-fp-area") == 1
        # the figures, as text, the same as check's
        info = pg.page.locator(".ez-fp-info")
        if width <= 600:  # a phone shows the headline; a tap opens the figures
            assert info.get_attribute("open") is None
            info.locator("summary").click()
        text = info.inner_text()
        assert "CANNOT REACH Japan's EEZ" in text
        gap = want["footprint"]["gap_km"]
        assert f"at least {gap:,.0f} km outside Japan's EEZ" in text
        assert f"{want['closest_approach']['distance_km']:,.1f} km from the launch area" in text
        assert "in Japan's EEZ: 0 %" in text.replace("\n", " ") and "lofted" in text
        if width <= 600:
            info.locator("summary").click()  # closed again: the map behind it is visible
        ib = info.bounding_box()
        assert ib["x"] >= 0 and ib["x"] + ib["width"] <= width + 1
        # the title keeps the name as text, and shows its whole subtitle (nothing clipped)
        title = pg.page.locator(".ez-title")
        assert "<b>from</b>" in title.inner_text()
        assert title.get_attribute("open") is not None
        assert "geodesic (WGS84)" in title.locator(".ez-title-body").inner_text()
        assert title.evaluate("e => e.scrollHeight <= e.clientHeight + 1")
        # no panel hides another, and they leave most of the map to the map
        layout = assert_layout(pg.page)
        assert {"ez-title", "ez-fp-info"} <= {c for b in layout["boxes"] for c in b["cls"].split()}
        # hover the footprint where it is visible: a readable label, verdict first, on screen
        pt = pg.page.evaluate(
            """(cls) => { var el = document.querySelector('path.' + cls), r = el.getBoundingClientRect();
              for (var i = 1; i < 40; i++) for (var j = 1; j < 40; j++) {
                var x = r.left + r.width * i / 40, y = r.top + r.height * j / 40, h = document.elementFromPoint(x, y);
                if (h && h.classList && h.classList.contains(cls)) return [x, y]; }
              return null; }""",
            "ez-fp-outside",
        )
        assert pt is not None, "no visible point of the footprint to hover"
        pg.page.mouse.move(pt[0], pt[1])
        tip = pg.page.locator(".leaflet-tooltip").last
        tip.wait_for(state="visible", timeout=3000)
        tb = tip.bounding_box()
        assert tb["width"] >= 120 and tb["height"] <= 300, tb
        assert tb["x"] >= 0 and tb["x"] + tb["width"] <= width and tb["y"] >= 0, tb
        assert tip.inner_text().startswith("OUTSIDE Japan's EEZ")
        assert "Possible impact points" in tip.inner_text()
        pg.screenshot(tmp_path, f"footprint-seed-{width}x{height}.png")
        pg.assert_clean()
    finally:
        pg.close()
