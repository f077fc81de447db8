"""Speed of point verdicts, measured side by side in one run (not part of the tests).

(a) zone classification of 1,000,000 random points in 120-160 E, 15-50 N with
    ``Classifier.classify`` against ``geopandas.sjoin`` of the same points and the same layers
    (every area in priority order, the coverage and Japan's claim); the answers must be
    identical (asserted). Target: >= 50x; the grid index (built once per data set, then read
    from the state folder) built in < 5 s, with < 1 % of the points left to an exact test.
(b) signed geodesic distance to Japan's EEZ limit for 1,000,000 points (points/s, target
    >= 1,000,000), against the same lines searched by the KD-tree only (the method before the
    cell table, in the same run; the distances must be identical, asserted), the table's first
    use (built, or read from the state folder) and the share of points it serves; and the
    maximum and p99 error against a brute-force reference on 2,000 points (target <= 10 m):
    pyproj ``Geod.inv`` from each point to the limit densified to 100 m (linearly in lon/lat, the
    way the polygons are drawn), refined to 1 m around the best vertex.
(c) ``eezcheck check 41.3 138.5`` end to end in a subprocess against
    ``python -c "import geopandas"`` (best of 5 each, taken in turns: wall time, and the CPU
    time (user + sys) of the process, which a loaded machine disturbs less). Target: <= 0.6x
    (wall). Also ``--json`` and an MoD wording, for the record. The package's bytecode is
    compiled first (``compileall``), as an installed package has it; the first check of a
    data set also builds its part index in the state folder, so one check runs untimed first.
    ``--startup-only`` runs (c) alone.

Usage::

    python benchmarks/bench_check.py [--boundaries PATH] [--points N] [--sample N]

``--boundaries`` defaults to the active data (embedded set), as ``eezcheck check`` uses it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from typing import Any

import numpy as np


def _best(cmds: dict[str, list[str]], repeat: int = 5) -> dict[str, tuple[float, float]]:
    """Best wall time and best CPU time (user + sys of the child) of each command, the
    commands run in turns ``repeat`` times."""
    import resource

    best = {k: (float("inf"), float("inf")) for k in cmds}
    for _ in range(repeat):
        for k, cmd in cmds.items():
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wall = time.perf_counter() - t
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
            best[k] = (min(best[k][0], wall), min(best[k][1], cpu))
    return best


def _cpu() -> float:
    """CPU time of this process so far (user + system, all threads)."""
    t = os.times()
    return t.user + t.system


def bench_startup(boundaries: str | None, repeat: int = 5) -> list[tuple[str, str, str, str]]:
    """Part (c): rows of the table."""
    import compileall

    import eezcheck

    compileall.compile_dir(os.path.dirname(eezcheck.__file__), quiet=1)
    exe = shutil.which("eezcheck")
    base = [exe] if exe else [sys.executable, "-m", "eezcheck"]
    extra = ["--boundaries", boundaries] if boundaries else []
    cmds = {
        "check": [*base, "check", "41.3", "138.5", *extra],
        "json": [*base, "check", "41.3", "138.5", "--json", *extra],
        "wording": [*base, "check", "about 200 km west of Okushiri Island", *extra],
        "geopandas": [sys.executable, "-c", "import geopandas"],
    }
    subprocess.run(cmds["check"], check=True, stdout=subprocess.DEVNULL)  # the part index, once
    load = os.getloadavg()[0]
    t = _best(cmds, repeat)
    gw, gc = t["geopandas"]
    label = {
        "check": "eezcheck check 41.3 138.5",
        "json": "eezcheck check 41.3 138.5 --json",
        "wording": 'eezcheck check "about 200 km west of Okushiri Island"',
    }
    rows = [
        (f"(c) {label[k]} (best of {repeat})", f"{t[k][0]:.3f} s wall", f"{t[k][1]:.3f} s CPU",
         f"{t[k][0] / gw:.2f}x wall, {t[k][1] / gc:.2f}x CPU of import geopandas")
        for k in label
    ]  # fmt: skip
    rows += [
        (f'(c) python -c "import geopandas" (best of {repeat})', f"{gw:.3f} s wall", f"{gc:.3f} s CPU", ""),
        ("(c) ratio check / import geopandas", f"{t['check'][0] / gw:.2f}x", f"{t['check'][1] / gc:.2f}x CPU",
         f"target <= 0.6x; load average {load:.2f} at the start of (c)"),
    ]  # fmt: skip
    return rows


def _print_rows(rows: list[tuple[str, str, str, str]]) -> None:
    w = max(len(r[0]) for r in rows)
    print()
    for r in rows:
        print(f"{r[0]:<{w}}  {r[1]:>16}  {r[2]:>22}  {r[3]}")


def random_points(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.uniform(120.0, 160.0, n), rng.uniform(15.0, 50.0, n)


# --------------------------------------------------------------------------- (a)


def bench_classification(clf: Any, lon: np.ndarray, lat: np.ndarray) -> dict[str, float]:
    import geopandas as gpd

    from eezcheck.zones import Classifier, GridIndex

    t = time.perf_counter()
    GridIndex(clf)  # what the first use of a data set builds (then saved in the state folder)
    t_build = time.perf_counter() - t
    GridIndex.cached(clf)  # saved in the state folder (if it was not), as a first use does
    t = time.perf_counter()
    first = Classifier(clf.boundaries).classify(lon, lat)
    t_first = time.perf_counter() - t  # includes reading the grid index
    t = time.perf_counter()
    res = clf.classify(lon, lat)
    t_warm = time.perf_counter() - t

    n = lon.size
    layers = list(clf.geoms) + [clf.coverage, clf.claim]
    kind = ["area"] * len(clf.geoms) + ["coverage", "claim"]
    t = time.perf_counter()
    polys = gpd.GeoDataFrame(
        {"order": np.arange(len(layers)), "kind": kind}, geometry=layers, crs="EPSG:4326"
    )
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    joined = gpd.sjoin(pts, polys, how="inner", predicate="within")
    idx_s = np.full(n, -1, dtype=np.int64)
    areas = joined[joined["kind"] == "area"]
    first_area = areas.groupby(level=0)["order"].min()
    idx_s[first_area.index.to_numpy()] = first_area.to_numpy()
    covered = np.zeros(n, bool)
    covered[joined.index[joined["kind"] == "coverage"].to_numpy()] = True
    in_claim = np.zeros(n, bool)
    in_claim[joined.index[joined["kind"] == "claim"].to_numpy()] = True
    idx_s[~covered] = -1
    t_sjoin = time.perf_counter() - t

    ref = clf._finish(idx_s.astype(np.int32), covered, in_claim)
    differ = int(np.sum(res.area_index.astype(np.int64) != idx_s))
    assert differ == 0, f"{differ} points differ from sjoin"
    assert np.array_equal(res.zone_code, ref.zone_code) and np.array_equal(
        res.japan_code, ref.japan_code
    )
    assert np.array_equal(first.zone_code, res.zone_code)
    exact = clf.grid.lookup(lon, lat)[3].size / n
    return {"first": t_first, "warm": t_warm, "sjoin": t_sjoin, "build": t_build, "exact": exact}


# --------------------------------------------------------------------------- (b)


def _densify_lonlat(coords: np.ndarray, spacing_m: float) -> np.ndarray:
    from eezcheck.geodesy import GEOD

    a, b = coords[:-1], coords[1:]
    _, _, d = GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    k = np.maximum(np.ceil(np.asarray(d) / spacing_m).astype(int), 1)
    rep = np.repeat(np.arange(len(a)), k)
    t = (np.arange(k.sum()) - np.repeat(np.cumsum(k) - k, k)) / np.repeat(k, k)
    pts = a[rep] + (b[rep] - a[rep]) * t[:, None]
    return np.vstack([pts, coords[-1:]])


class BruteForceLimit:
    """Reference distance to a set of lines: every 100 m vertex (pruned only by a rigorous
    coarse bound), then 1 m refinement on the segments next to the best vertex."""

    def __init__(self, lines: Any, spacing_m: float = 100.0, coarse_every: int = 50) -> None:
        from eezcheck.distances import line_parts

        self.parts = [
            _densify_lonlat(np.asarray(p.coords)[:, :2], spacing_m) for p in line_parts(lines)
        ]
        self.spacing = spacing_m
        self.every = coarse_every
        coarse: list[tuple[int, int]] = []
        for pi, part in enumerate(self.parts):
            idx = np.unique(np.r_[np.arange(0, len(part), coarse_every), len(part) - 1])
            coarse.extend((pi, i) for i in idx)
        self.coarse = np.array(coarse)
        self.coarse_lonlat = np.array([self.parts[p][i] for p, i in coarse])

    @property
    def n_vertices(self) -> int:
        return sum(len(p) for p in self.parts)

    def distance(self, lon: float, lat: float) -> float:
        from eezcheck.geodesy import GEOD

        m = len(self.coarse_lonlat)
        _, _, dc = GEOD.inv(
            np.full(m, lon), np.full(m, lat), self.coarse_lonlat[:, 0], self.coarse_lonlat[:, 1]
        )
        dc = np.asarray(dc)
        # any point of the line lies within (every/2 * spacing) of a coarse vertex of its part
        slack = (self.every / 2 + 1) * self.spacing
        best, best_seg = np.inf, None
        for j in np.flatnonzero(dc <= dc.min() + 2 * slack):
            p, i = self.coarse[j]
            part = self.parts[p]
            lo, hi = max(0, i - self.every), min(len(part), i + self.every + 1)
            seg = part[lo:hi]
            _, _, d = GEOD.inv(np.full(len(seg), lon), np.full(len(seg), lat), seg[:, 0], seg[:, 1])
            k = int(np.argmin(d))
            if d[k] < best:
                best, best_seg = float(d[k]), (p, lo + k)
        assert best_seg is not None
        p, k = best_seg
        part = self.parts[p]
        fine = []
        for a, b in ((k - 1, k), (k, k + 1)):
            if 0 <= a and b < len(part):
                t = np.linspace(0.0, 1.0, int(self.spacing) + 1)[:, None]
                fine.append(part[a] + (part[b] - part[a]) * t)
        pts = np.vstack(fine)
        _, _, d = GEOD.inv(np.full(len(pts), lon), np.full(len(pts), lat), pts[:, 0], pts[:, 1])
        return float(min(best, np.min(d)))


def bench_distance(checker: Any, lon: np.ndarray, lat: np.ndarray, sample: int) -> dict[str, float]:
    from eezcheck.distances import LineDistance
    from eezcheck.geodesy import to_ecef

    clf = checker.classifier
    c = clf.classify(lon, lat)
    inside = c.japan_code != 1  # JAPAN_CODES: inside, outside, disputed
    dist = checker.distances
    lim = dist.limit
    dist.signed_limit_m(lon[:10], lat[:10], inside[:10])  # build the index first
    # baseline in the same run: the same lines, nearest vertices by the KD-tree only
    tree_only = LineDistance(None, lonlat=lim.lonlat, next_index=lim.next)
    tree_only.nearest(lon[:10], lat[:10])
    tree_only.prepare()
    t, c0 = time.perf_counter(), _cpu()
    d_tree, _, _ = tree_only.nearest(lon, lat)
    t_tree, cpu_tree = time.perf_counter() - t, _cpu() - c0
    # the cell table: built on a data set's first use of a large call (then read from the state
    # folder); timed here as that first use, then the table is in memory
    t = time.perf_counter()
    lim.use_cells()
    t_cells = time.perf_counter() - t
    t, c0 = time.perf_counter(), _cpu()
    d, _, _ = dist.signed_limit_m(lon, lat, inside)
    t_dist, cpu_dist = time.perf_counter() - t, _cpu() - c0
    assert np.array_equal(np.abs(d), d_tree), "the cell table changed a distance"
    table = lim.cell_table
    covered = float((table.nearest(lon, lat, to_ecef(lon, lat)) >= 0).mean()) if table is not None else 0.0
    ref = BruteForceLimit(checker.boundaries.japan_limit)
    pick = np.random.default_rng(1).choice(lon.size, sample, replace=False)
    t = time.perf_counter()
    ref_d = np.array([ref.distance(float(lon[i]), float(lat[i])) for i in pick])
    t_ref = time.perf_counter() - t
    err = np.abs(np.abs(d[pick]) - ref_d)
    sign_ok = np.all((d[pick] > 0) == inside[pick])
    return {
        "seconds": t_dist,
        "points_per_s": lon.size / t_dist,
        "tree_seconds": t_tree,
        "cpu": cpu_dist,
        "tree_cpu": cpu_tree,
        "tree_points_per_s": lon.size / t_tree,
        "cells_seconds": t_cells,
        "covered": covered,
        "max_err_m": float(err.max()),
        "p99_err_m": float(np.percentile(err, 99)),
        "ref_seconds": t_ref,
        "ref_vertices": ref.n_vertices,
        "sign_ok": bool(sign_ok),
    }


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--boundaries",
        default=None,
        help="data-set directory or boundary file (default: active data)",
    )
    ap.add_argument("--points", type=int, default=1_000_000)
    ap.add_argument("--sample", type=int, default=2_000)
    ap.add_argument("--skip-startup", action="store_true")
    ap.add_argument("--startup-only", action="store_true", help="run part (c) only")
    args = ap.parse_args(argv)
    if args.startup_only:
        print(f"CPU: {os.cpu_count()} cores, load average {' '.join(f'{v:.2f}' for v in os.getloadavg())} at start")
        rows = bench_startup(args.boundaries)
        rows.append(("load average at end", " ".join(f"{v:.2f}" for v in os.getloadavg()), "", ""))
        _print_rows(rows)
        return 0

    from eezcheck.checker import Checker

    t = time.perf_counter()
    checker = Checker(args.boundaries)
    clf = checker.classifier
    t_load = time.perf_counter() - t
    prov = checker.boundaries.provenance
    print(
        f"boundary data: {prov.dataset} {prov.version} ({prov.path}); loaded + classifier in {t_load:.2f} s"
    )
    lon, lat = random_points(args.points)
    print(
        f"{args.points:,} random points in 120-160 E, 15-50 N; CPU: {os.cpu_count()} cores, "
        f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())} at start"
    )

    a = bench_classification(clf, lon, lat)
    b = bench_distance(checker, lon, lat, args.sample)

    rows = [
        (
            "(a) grid index build (once per data set, saved)",
            f"{a['build']:.2f} s",
            f"{a['exact']:.2%} of points tested exactly",
            "target < 5 s, < 1 %",
        ),
        (
            "(a) classify, eezcheck (first call of a new Classifier: grid read from the state folder)",
            f"{a['first']:.2f} s",
            f"{args.points / a['first']:,.0f} pts/s",
            "",
        ),
        (
            "(a) classify, eezcheck (warm)",
            f"{a['warm']:.2f} s",
            f"{args.points / a['warm']:,.0f} pts/s",
            "",
        ),
        (
            "(a) classify, geopandas.sjoin",
            f"{a['sjoin']:.2f} s",
            f"{args.points / a['sjoin']:,.0f} pts/s",
            "answers identical",
        ),
        (
            "(a) ratio sjoin / eezcheck",
            f"{a['sjoin'] / a['warm']:.1f}x warm",
            f"{a['sjoin'] / a['first']:.1f}x first call",
            "target >= 50x",
        ),
        (
            "(b) signed distance to EEZ limit, KD-tree only (before, same run)",
            f"{b['tree_seconds']:.2f} s",
            f"{b['tree_points_per_s']:,.0f} pts/s",
            f"CPU {b['tree_cpu']:.2f} s (user+sys, all threads)",
        ),
        (
            "(b) signed distance to EEZ limit (cell table + tree)",
            f"{b['seconds']:.2f} s",
            f"{b['points_per_s']:,.0f} pts/s",
            f"CPU {b['cpu']:.2f} s; {b['tree_seconds'] / b['seconds']:.2f}x the tree only (CPU "
            f"{b['tree_cpu'] / b['cpu']:.2f}x); target >= 1,000,000 pts/s",
        ),
        (
            "(b) cell table: first use (built or read from the state folder)",
            f"{b['cells_seconds']:.2f} s",
            f"{b['covered']:.1%} of points by table",
            "rest by the tree; distances bit-identical (asserted), 0 points recomputed",
        ),
        (
            "(b) max error vs brute force",
            f"{b['max_err_m']:.2f} m",
            f"p99 {b['p99_err_m']:.2f} m",
            f"{args.sample:,} pts, {b['ref_vertices']:,} vertices at 100 m; target <= 10 m",
        ),  # fmt: skip
    ]
    if not args.skip_startup:
        rows += bench_startup(args.boundaries)
    rows.append(("load average at end", " ".join(f"{v:.2f}" for v in os.getloadavg()), "", ""))
    _print_rows(rows)
    assert b["sign_ok"], "distance sign disagrees with the classification"
    return 0


if __name__ == "__main__":
    sys.exit(main())
