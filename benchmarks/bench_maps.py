"""Size and first paint of eezcheck's maps in headless Chromium (not part of the tests).

Builds, with the embedded boundary data (or ``--boundaries``), a one-event map (launch site,
ground track, uncertainty region) and the map of the CNS table
(``../shared/data/events/cns_missile_tests.csv``), and measures for each:

- the file size (targets: one event < 1 MB, the CNS table < 3 MB);
- first paint (``first-contentful-paint`` of the Paint Timing API) and the time until the
  runtime has drawn every layer (``window.EZ.map._loaded`` plus the draw loop), median of
  ``--runs`` loads in a fresh page each, against a baseline page of the same inlined Leaflet
  and one empty map measured in the same run (target: first paint < 1.5 s).

Usage::

    python benchmarks/bench_maps.py [--boundaries PATH] [--runs 5] [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CNS = ROOT.parent / "shared" / "data" / "events" / "cns_missile_tests.csv"

FIRST_PAINT = """() => new Promise(done => {
  const get = () => { const e = performance.getEntriesByName("first-contentful-paint")[0]; return e ? e.startTime : null; };
  const t = get(); if (t !== null) return done(t);
  new PerformanceObserver(() => { const t2 = get(); if (t2 !== null) done(t2); }).observe({ type: "paint", buffered: true });
})"""


def baseline_page() -> str:
    from eezcheck.mapping.page import leaflet_assets

    _v, js, css = leaflet_assets()
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>baseline</title>"
        f"<style>{css}</style><style>html,body,#m{{height:100%;margin:0}}</style>"
        f"<script>{js}</script></head><body><div id='m'></div><script>"
        "window.EZ={map:L.map('m').setView([36,137],5)};</script></body></html>"
    )


def measure(browser, path: Path, runs: int) -> tuple[float, float]:
    paints, drawn = [], []
    for _ in range(runs):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.route(
            "**/*",
            lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort(),
        )
        t0 = time.perf_counter()
        page.goto(path.resolve().as_uri())
        page.wait_for_function("window.EZ && window.EZ.map && window.EZ.map._loaded")
        drawn.append((time.perf_counter() - t0) * 1000)
        paints.append(float(page.evaluate(FIRST_PAINT)))
        page.close()
    return statistics.median(paints), statistics.median(drawn)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boundaries", default=None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from eezcheck import mapping

    with tempfile.TemporaryDirectory(prefix="eezcheck-bench-maps-") as tmp:
        d = Path(tmp)
        pages: dict[str, Path] = {}
        base = d / "baseline.html"
        base.write_text(baseline_page(), encoding="utf-8")
        pages["baseline (Leaflet, empty map)"] = base
        t0 = time.perf_counter()
        one = mapping.build_map(
            mapping.MapEvent(
                "about 250 km west of the Oga Peninsula", launch="hwangju",
                name="Nodong, 3 August 2016", time="2016-08-03 07:53 JST",
            ),
            boundaries=args.boundaries,
        )  # fmt: skip
        pages["one event"] = mapping.save_map(one, d / "one.html")
        print(f"built one-event map in {time.perf_counter() - t0:.1f} s")
        if CNS.exists():
            t0 = time.perf_counter()
            read = mapping.read_table(CNS)
            cns = mapping.events_map(
                read.events, columns=read.columns, boundaries=args.boundaries,
                title="CNS missile tests",
            )  # fmt: skip
            pages["CNS table"] = mapping.save_map(cns, d / "cns.html")
            print(f"built CNS table map in {time.perf_counter() - t0:.1f} s")
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=args.chromium, headless=True, args=["--no-sandbox"]
            )
            results = {name: measure(browser, path, args.runs) for name, path in pages.items()}
            browser.close()
        b_paint, b_drawn = results["baseline (Leaflet, empty map)"]
        print(
            f"\n{'map':32} {'size':>9} {'first paint':>12} {'x base':>7} {'drawn':>9} {'x base':>7}"
        )
        for name, (paint, drawn) in results.items():
            size = pages[name].stat().st_size / 1e6
            print(
                f"{name:32} {size:7.2f}MB {paint:10.0f}ms {paint / b_paint:6.2f}x "
                f"{drawn:7.0f}ms {drawn / b_drawn:6.2f}x"
            )
        checks = [("one event < 1 MB", pages["one event"].stat().st_size < 1e6)]
        if "CNS table" in pages:
            checks.append(("CNS table < 3 MB", pages["CNS table"].stat().st_size < 3e6))
        checks += [
            (f"{name} first paint < 1.5 s", paint < 1500)
            for name, (paint, _d) in results.items()
            if not name.startswith("baseline")
        ]
        for what, ok in checks:
            print(f"{'ok ' if ok else 'MISSED'} {what}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
