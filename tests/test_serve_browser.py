"""``eezcheck serve`` in a real browser: the command started on a free port, Debian's chromium
driven headless by Playwright, every request off this server aborted and recorded.

A person's morning: type the MoD's Japanese wording and read the verdict; click the map and
read the verdict of that point; upload the CNS table, wait for the progress bar, download
every format and find the bytes ``eezcheck batch`` writes; hostile text in every field stays
text (a dialog or a ``window.__xss`` fails the test). Screenshots at 1400×1000 and 390×844
go to ``/tmp/eezcheck-screens/``.

Skipped when ``/usr/bin/chromium`` or Playwright is missing (browsers are never downloaded);
the CNS test is skipped when ``../shared`` is absent.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from fixtures.browser import SCREENS, require_browser

pytestmark = [pytest.mark.browser, pytest.mark.slow]

require_browser("fastapi", "uvicorn")

CNS = Path(__file__).resolve().parents[2] / "shared" / "data" / "events" / "cns_missile_tests.csv"
WORDING_JA = "北海道奥尻島の西約200km"
HOSTILE = [
    "<img src=x onerror=\"window.__xss=1\">",
    "${window.__xss=2}`",
    "</script><script>window.__xss=3</script>",
    "\"><svg onload=window.__xss=4>",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EEZCHECK_")}
    root = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:  # noqa: S310 - localhost only
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    port = _free_port()
    cwd = tmp_path_factory.mktemp("serve")
    log = open(cwd / "serve.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "eezcheck", "serve", "--port", str(port)],
        cwd=cwd, env=_env(), stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            if _get(base + "/api/check?q=41.3+138.5")[0] == 200:
                break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise AssertionError((cwd / "serve.log").read_text(errors="replace"))
        time.sleep(0.5)
    yield base
    proc.terminate()
    proc.wait(timeout=30)
    log.close()


class Watch:
    """A page whose requests off the server are aborted and listed, dialogs and errors kept."""

    def __init__(self, browser, base: str, viewport=(1400, 1000)) -> None:
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(
            viewport={"width": viewport[0], "height": viewport[1]}, accept_downloads=True
        )
        self.page = self.context.new_page()

        def route(r):
            url = r.request.url
            if url.startswith((base + "/", "data:", "about:", "blob:")):
                r.continue_()
            else:
                self.outside.append(url)
                r.abort()

        self.context.route("**/*", route)
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on(
            "console",
            lambda m: self.errors.append(m.text)
            if m.type == "error" and "Content Security Policy" in m.text
            else None,
        )

    def xss(self) -> list:
        frames = self.page.frames
        return [f.evaluate("window.__xss === undefined ? null : window.__xss") for f in frames]

    def close(self) -> None:
        self.context.close()


def _screenshot(page, name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    page.screenshot(path=str(path))
    SCREENS.mkdir(exist_ok=True)
    shutil.copy(path, SCREENS / name)


def _wait_card(page, timeout: float = 60_000) -> str:
    page.wait_for_function(
        "() => !document.getElementById('check-button').disabled"
        " && (!document.getElementById('card').hidden || !document.getElementById('error').hidden)",
        timeout=timeout,
    )
    return page.inner_text("#card") if page.is_visible("#card") else ""


def _api(base: str, q: str) -> dict:
    status, body = _get(base + "/api/check?" + urllib.parse.urlencode({"q": q}))
    assert status == 200, body
    return json.loads(body)


def _map_frame(page):
    page.wait_for_function(
        "() => { const f = document.getElementById('map');"
        " const d = f.contentDocument; return Boolean(d && d.documentElement"
        " && d.documentElement.dataset.eezcheckBridge === 'ready'); }",
        timeout=90_000,
    )
    return page.frame_locator("#map")


def test_japanese_wording_then_click_on_the_map(server, browser, tmp_path):
    w = Watch(browser, server)
    page = w.page
    try:
        page.goto(server + "/")
        page.fill("#q", WORDING_JA)
        page.click("#check-button")
        _wait_card(page)
        want = _api(server, WORDING_JA)
        assert page.get_attribute("#verdict", "data-verdict") == want["japan_eez"]
        assert page.inner_text("#headline-ja").endswith(want["description_ja"])
        assert want["description_en"] in page.inner_text("#headline-en")
        assert urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)["q"] == [WORDING_JA]
        share = page.get_attribute("#share", "href")
        assert share == "/?" + urllib.parse.urlencode({"q": WORDING_JA})
        _map_frame(page)
        _screenshot(page, "serve-1400x1000.png", tmp_path)

        box = page.locator("#map").bounding_box()
        before = page.input_value("#q")
        page.mouse.click(box["x"] + box["width"] * 0.72, box["y"] + box["height"] * 0.30)
        page.wait_for_function(
            f"() => document.getElementById('q').value !== {json.dumps(before)}", timeout=30_000
        )
        clicked = page.input_value("#q")
        assert re.fullmatch(r"-?\d+\.\d{4} -?\d+\.\d{4}", clicked), clicked
        page.wait_for_function(
            "q => new URLSearchParams(location.search).get('q') === q", arg=clicked, timeout=30_000
        )
        text = _wait_card(page)
        point = _api(server, clicked)
        lat, lon = (float(v) for v in clicked.split())
        assert point["lat"] == pytest.approx(lat, abs=1e-4)
        assert f"lat {point['lat']:.4f}, lon {point['lon']:.4f}" in text
        page.wait_for_function(
            "v => document.getElementById('verdict').dataset.verdict === v",
            arg=point["japan_eez"], timeout=30_000,
        )  # fmt: skip

        with page.expect_download() as dl:
            page.click("#download-json")
        saved = tmp_path / "check.json"
        dl.value.save_as(saved)
        assert json.loads(saved.read_text("utf-8")) == point

        phone = Watch(browser, server, viewport=(390, 844))
        try:
            phone.page.goto(server + "/?" + urllib.parse.urlencode({"q": WORDING_JA}))
            _wait_card(phone.page)
            _map_frame(phone.page)
            _screenshot(phone.page, "serve-390x844.png", tmp_path)
            width = phone.page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"the page is {width} px wide on a 390 px phone"
            assert phone.outside == [] and phone.errors == []
        finally:
            phone.close()
        assert w.outside == [], w.outside
        assert w.dialogs == [] and w.errors == [], (w.dialogs, w.errors)
    finally:
        w.close()


def test_hostile_input_in_every_field_stays_text(server, browser, tmp_path):
    w = Watch(browser, server)
    page = w.page
    try:
        page.goto(server + "/")
        for s in HOSTILE:
            for field in ("#q", "#from"):
                page.fill("#q", "")
                page.evaluate("document.getElementById('launch-details').open = true")
                for f in ("#from", "#range_km", "#bearing", "#uncertainty_km"):
                    page.fill(f, "")
                page.fill(field, s)
                if field == "#from":
                    page.fill("#range_km", "1000")
                    page.fill("#bearing", s)
                page.click("#check-button")
                _wait_card(page)
                assert page.is_visible("#error")
                assert s in page.inner_text("#error") or s[:20] in page.inner_text("#error")
        assert all(v is None for v in w.xss()), w.xss()
        for s in HOSTILE:  # in the address: the shared link and the map page
            page.goto(server + "/?" + urllib.parse.urlencode({"q": s}))
            _wait_card(page)
            assert s in page.inner_text("#error")
            assert page.input_value("#q") == s
            page.goto(server + "/map.html?" + urllib.parse.urlencode({"q": s}))
            assert all(v is None for v in w.xss()), w.xss()
        rows = ["name,lat,lon,notes"] + [
            f'"{s.replace(chr(34), chr(34) * 2)}",{41 + i * 0.5},{136 + i},"{s.replace(chr(34), chr(34) * 2)}"'
            for i, s in enumerate(HOSTILE)
        ]
        table = tmp_path / "hostile.csv"
        table.write_text("\n".join(rows) + "\n", encoding="utf-8")
        page.goto(server + "/")
        page.set_input_files(
            "#file", files=[{"name": HOSTILE[0] + ".csv", "mimeType": "text/csv", "buffer": table.read_bytes()}]
        )
        page.click("#batch-button")
        page.wait_for_selector("#batch-status[data-state=done]", timeout=120_000)
        cells = page.locator("#preview td").all_inner_texts()
        for s in HOSTILE:
            assert s in cells
        page.wait_for_function(
            "() => { const f = document.getElementById('batch-map');"
            " return f.contentDocument && f.contentDocument.readyState === 'complete'"
            " && f.contentWindow.location.href.includes('map.html'); }",
            timeout=60_000,
        )
        time.sleep(1)
        assert all(v is None for v in w.xss()), w.xss()
        assert w.dialogs == [], w.dialogs
        assert w.outside == [], w.outside
    finally:
        w.close()


@pytest.mark.skipif(not CNS.exists(), reason="../shared/data/events/cns_missile_tests.csv is absent")
def test_cns_upload_downloads_are_the_batch_bytes(server, browser, tmp_path):
    cli = tmp_path / "cli"
    cli.mkdir()
    w = Watch(browser, server)
    page = w.page
    try:
        page.goto(server + "/")
        page.set_input_files("#file", str(CNS))
        page.click("#batch-button")
        page.wait_for_selector("#batch-status[data-state=done]", timeout=240_000)
        assert page.evaluate("document.getElementById('progress').value") == 1
        assert page.inner_text("#summary td[data-key=rows]") == "339"
        assert page.locator("#preview tr").count() == 21
        for fmt in ("csv", "xlsx", "geojson", "parquet"):
            with page.expect_download(timeout=120_000) as dl:
                page.click(f"#download-{fmt}")
            got = tmp_path / f"web.{fmt}"
            dl.value.save_as(got)
            assert dl.value.suggested_filename == f"cns_missile_tests-checked.{fmt}"
            out = cli / f"cli.{fmt}"
            res = subprocess.run(
                [sys.executable, "-m", "eezcheck", "batch", str(CNS), "-o", str(out)],
                env=_env(), capture_output=True, timeout=300,
            )  # fmt: skip
            assert res.returncode == 0, res.stderr
            assert got.read_bytes() == out.read_bytes(), fmt
        with page.expect_download() as dl:
            page.click("#download-table-map")
        assert dl.value.suggested_filename == "cns_missile_tests-map.html"
        assert w.outside == [] and w.dialogs == [] and w.errors == [], (w.outside, w.errors)
    finally:
        w.close()


def test_zipped_shapefile_and_lone_shp_upload(server, browser, tmp_path):
    """A person uploads a zipped Shapefile (Tokyo datum): the page says it is done, shows the
    rows and the verdicts batch gives; a lone .shp gets the fix (upload one .zip) on the page."""
    import warnings
    import zipfile

    gpd = pytest.importorskip("geopandas")
    import shapely

    frame = gpd.GeoDataFrame({"name": ["a", "b"]}, geometry=[shapely.Point(138.5, 41.3), shapely.Point(150.0, 30.0)], crs="EPSG:4301")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame.to_file(tmp_path / "pts.shp")
    with zipfile.ZipFile(tmp_path / "pts.zip", "w") as z:
        for p in tmp_path.glob("pts.*"):
            if p.suffix != ".zip":
                z.write(p, p.name)
    w = Watch(browser, server)
    page = w.page
    try:
        page.goto(server + "/")
        assert ".zip" in page.get_attribute("#file", "accept") and ".gpkg" in page.get_attribute("#file", "accept")
        page.set_input_files("#file", str(tmp_path / "pts.zip"))
        page.click("#batch-button")
        page.wait_for_selector("#batch-status[data-state=done]", timeout=120_000)
        assert page.inner_text("#summary td[data-key=rows]") == "2"
        cells = page.locator("#preview td").all_inner_texts()
        assert "a" in cells and "inside" in cells and "outside" in cells
        page.set_input_files("#file", str(tmp_path / "pts.shp"))
        page.click("#batch-button")
        page.wait_for_selector("#batch-status[data-state=error]", timeout=60_000)
        text = page.inner_text("#batch-error")
        assert "'pts.shp' is one file of a Shapefile" in text and "upload them together as one .zip" in text
        assert w.outside == [], w.outside
    finally:
        w.close()
