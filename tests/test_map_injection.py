"""No user string reaches a template engine while a map is built (issue 11, item 1).

Every field that once ran code (branca compiled each rendered script again as a Jinja template)
carries a payload that would create a file if it were ever evaluated by Jinja; the map must be
built, no file may appear, and the page must show the text literally: in its data, and in
Chromium (the title, the tooltips, the popup, the legend, the zone labels).
"""

from __future__ import annotations

import html as html_mod
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fixtures import synthetic as S
from fixtures.mappage import calls, overlay_names, page_data

pytest.importorskip("js_lib_leaflet")

from eezcheck.cli.main import cli  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"
MR_PATH = SHARED / "data" / "reference" / "marineregions_eez_v12_japan_region.geojson"
CHROMIUM = Path("/usr/bin/chromium")


_TAGS: dict[str, int] = {}


def payload(marker: Path, tag: str) -> str:
    """Jinja that would create the folder ``marker<N>`` if rendered as a template (no quotes,
    so no JSON or HTML escaping can make it a syntax error instead: the marker path comes from
    the environment, see :func:`marked`)."""
    n = _TAGS.setdefault(tag, len(_TAGS) + 1)
    return (
        "{{ lipsum.__globals__.os.mkdir(lipsum.__globals__.os.environ.EZ_TEST_MARKER ~ "
        f"{n}) }}}} ({tag})"
    )


@pytest.fixture(autouse=True)
def marked(monkeypatch, tmp_path):
    monkeypatch.setenv("EZ_TEST_MARKER", str(tmp_path / "ran"))


OTHERS = ["Event {#3 of 2017}", "set {{x}} value", "{% raw %}", "{%", "}}"]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def mr() -> str:
    if not MR_PATH.exists():
        pytest.skip(f"Marine Regions reference clip not found at {MR_PATH}")
    return str(MR_PATH)


def no_marker(marker: Path) -> None:
    made = sorted(p.name for p in marker.parent.glob(marker.name + "*"))
    assert made == [], f"a template ran: {made}"


def test_map_options_are_text(runner, mr, tmp_path):
    marker = tmp_path / "ran"
    name, title, time = payload(marker, "name"), payload(marker, "title"), payload(marker, "time")
    out = tmp_path / "m.html"
    res = runner.invoke(
        cli,
        ["map", "41.3", "138.5", "--from", "sunan", "--name", name, "--title", title,
         "--time", time, "--boundaries", mr, "-o", str(out)],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    no_marker(marker)
    html = out.read_text(encoding="utf-8")
    (item,) = calls(html, "events")[0][0]
    assert item["tip"] == f"{name} ({time})"
    assert item["head"].startswith("INSIDE Japan's EEZ")
    assert "{{ lipsum" in calls(html, "init")[0][0]["title"]


@pytest.mark.parametrize("text", OTHERS)
def test_template_syntax_is_shown_literally(runner, mr, tmp_path, text):
    out = tmp_path / "m.html"
    res = runner.invoke(
        cli, ["map", "41.3", "138.5", "--name", text, "--boundaries", mr, "-o", str(out)]
    )
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    (item,) = calls(html, "events")[0][0]
    assert item["tip"] == text
    assert f"<title>{text} — INSIDE Japan" in html.replace("&#x27;", "'")


def test_wording_is_text(runner, mr, tmp_path):
    marker = tmp_path / "ran"
    wording = "about 200 km west of Okushiri Island " + payload(marker, "wording")
    out = tmp_path / "m.html"
    res = runner.invoke(cli, ["map", wording, "--boundaries", mr, "-o", str(out)])
    no_marker(marker)
    assert res.exit_code in (0, 2), res.output  # the wording may be refused; never run


def test_batch_csv_fields_are_text(runner, mr, tmp_path):
    marker = tmp_path / "ran"
    cols = ["name", "notes", "date", "time", "facility_name"]
    row = {c: payload(marker, c) for c in cols}
    lines = [
        ",".join(["lat", "lon", "facility_lat", "facility_lon", *cols]),
        ",".join(["41.3", "138.5", "39.2", "125.7", *(json.dumps(row[c]) for c in cols)]),
    ]
    src = tmp_path / "evil.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, m = tmp_path / "o.csv", tmp_path / "m.html"
    res = runner.invoke(
        cli, ["batch", str(src), "-o", str(out), "--map", str(m), "--boundaries", mr]
    )
    assert res.exit_code == 0, res.output
    no_marker(marker)
    html = m.read_text(encoding="utf-8")
    (item,) = [it for c in calls(html, "events") for it in c[0]]
    assert item["tip"].startswith(row["name"])
    for c in ("name", "notes", "facility_name"):
        assert html_mod.escape(row[c]) in item["card"], c


def test_excel_cell_is_text(runner, mr, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    marker = tmp_path / "ran"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["name", "lat", "lon", "notes"])
    ws.append([payload(marker, "xlsx-name"), 41.3, 138.5, payload(marker, "xlsx-notes")])
    src = tmp_path / "evil.xlsx"
    wb.save(src)
    res = runner.invoke(
        cli,
        ["batch", str(src), "-o", str(tmp_path / "o.csv"), "--map", str(tmp_path / "m.html"),
         "--boundaries", mr],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    no_marker(marker)


def test_boundary_feature_and_manifest_dataset_are_text(runner, tmp_path):
    marker = tmp_path / "ran"
    d = S.make_user_dataset(tmp_path / "data", dataset=payload(marker, "dataset"))
    fc = json.loads((d / "zones.geojson").read_text(encoding="utf-8"))
    for f in fc["features"]:
        if f["properties"]["zone_type"] == "overlapping_claim":
            f["properties"]["feature"] = payload(marker, "feature")
    S.write_json(d / "zones.geojson", fc)
    from eezcheck.data import write_registry

    write_registry(d, ["zones.geojson"])
    out = tmp_path / "m.html"
    res = runner.invoke(cli, ["map", "33", "144.5", "--boundaries", str(d), "-o", str(out)])
    assert res.exit_code == 0, res.output
    no_marker(marker)
    html = out.read_text(encoding="utf-8")
    zones = {c[0]["cls"]: c[0] for c in calls(html, "zones")}
    labels = [f["properties"]["label"] for f in zones["ez-zone-disputed"]["fc"]["features"]]
    assert any(payload(marker, "feature") in t for t in labels)
    assert "{{ lipsum" in calls(html, "finish")[0][0]["legend"]
    assert overlay_names(html)  # the page still has its layers
    assert page_data(html)["draw"][0]["fn"] == "init"


@pytest.mark.browser
def test_the_page_shows_template_text_literally(mr, tmp_path):
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium (/usr/bin/chromium) is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    from eezcheck.mapping import MapEvent, build_map, save_map

    marker = tmp_path / "ran"
    evil = payload(marker, "page")
    events = [
        MapEvent("41.3 138.5", launch="sunan", name=evil, time="set {{x}} value", notes=evil),
        MapEvent("37.0 134.0", name="Event {#3 of 2017}", time="{% raw %}"),
    ]
    path = save_map(build_map(events, boundaries=mr, title="set {{x}} value"), tmp_path / "m.html")
    no_marker(marker)
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        page = b.new_page(viewport={"width": 1400, "height": 1000})
        outside: list[str] = []
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.route(
            "**/*",
            lambda r: (
                r.continue_()
                if r.request.url.startswith(("file:", "data:"))
                else (outside.append(r.request.url), r.abort())
            ),
        )
        page.goto(path.resolve().as_uri())
        page.wait_for_function("window.EZ && window.EZ.map && window.EZ.map._loaded")
        assert page.title() == "set {{x}} value"
        assert page.inner_text(".ez-title b") == "set {{x}} value"
        marker0 = page.locator("path.ez-splash").nth(0)
        marker0.hover()
        tip = page.locator(".leaflet-tooltip").last.inner_text()
        assert tip.startswith("INSIDE Japan's EEZ") and f"{evil} (set {{{{x}}}} value)" in tip
        page.locator("path.ez-splash").nth(1).hover()
        tip = page.locator(".leaflet-tooltip").last.inner_text()
        assert "Event {#3 of 2017} ({% raw %})" in tip
        marker0.click()
        page.wait_for_selector(".leaflet-popup-content .ez-card")
        assert page.inner_text(".leaflet-popup-content h3") == evil
        assert evil in page.inner_text(".leaflet-popup-content .ez-notes")
        assert outside == [] and errors == []
        b.close()
    no_marker(marker)
