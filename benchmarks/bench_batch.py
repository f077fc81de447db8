"""Speed of ``eezcheck batch``, measured side by side in one run (not part of the tests).

(a) Baseline: the obvious geopandas script on a CSV of N random points in 120-160 E, 15-50 N
    (``read_csv`` -> ``points_from_xy`` -> ``sjoin`` against the same layers -> ``to_csv``),
    which gives zones only; against ``eezcheck batch --fields verdict`` (zone and verdict) and
    ``eezcheck batch`` with every field (signed geodesic distance, nearest land and place,
    descriptions, claims). All three run end to end in subprocesses (wall clock, interpreter
    start and data loading included). Targets: verdict >= 5x the baseline, every field >= 1x.
    The one-time index build of the boundary data (``Classifier.grid``, the distance indexes)
    is timed separately and reported, since it does not grow with the input.
(b) The Dask engine (``--engine dask --workers 2``, a local cluster of 2 processes) against the
    local engine on a CSV of M rows (default 10,000,000), ``--fields verdict``: speed-up, and
    the local engine's peak memory (max RSS by ``/usr/bin/time -v`` when available, else
    ``resource`` of the child).

Usage::

    python benchmarks/bench_batch.py [--boundaries PATH] [--rows N] [--all-rows N]
                                     [--dask-rows M] [--workdir DIR] [--skip-dask]

Inputs are generated in a temporary folder (or ``--workdir``) and removed at the end.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

BASELINE = r"""
import sys, numpy as np, pandas as pd, geopandas as gpd
from eezcheck.boundary_readers import load_active
src, out, boundaries = sys.argv[1], sys.argv[2], (sys.argv[3] or None)
b = load_active(boundaries)
areas = list(b.areas)
zones = gpd.GeoDataFrame(
    {"zone_type": [a.zone_type.value for a in areas], "states": [";".join(a.states) for a in areas],
     "name": [a.name for a in areas]},
    geometry=[a.geometry for a in areas], crs="EPSG:4326")
df = pd.read_csv(src)
pts = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs="EPSG:4326")
joined = gpd.sjoin(pts, zones, how="left", predicate="within")
joined.drop(columns="geometry").to_csv(out, index=False)
"""

SETUP = r"""
import sys, time
from eezcheck.checker import get_checker
t = time.perf_counter()
c = get_checker(sys.argv[1] or None)
load = time.perf_counter() - t
t = time.perf_counter(); c.classifier.grid; grid = time.perf_counter() - t
t = time.perf_counter(); c.distances.limit; c.distances.land; dist = time.perf_counter() - t
print(f"{load:.3f} {grid:.3f} {dist:.3f}")
"""


def write_points(path: Path, n: int, seed: int = 0, block: int = 1_000_000) -> Path:
    """``id,lat,lon`` with n random points (5 decimals), written in blocks (bounded memory)."""
    rng = np.random.default_rng(seed)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("id,lat,lon\n")
        for start in range(0, n, block):
            m = min(block, n - start)
            ids = np.arange(start, start + m)
            lat = rng.uniform(15.0, 50.0, m)
            lon = rng.uniform(120.0, 160.0, m)
            lines = "\n".join(f"{i},{a:.5f},{o:.5f}" for i, a, o in zip(ids, lat, lon))
            fh.write(lines + "\n")
    return path


def timed(cmd: list[str]) -> tuple[float, int | None, str]:
    """Wall time, peak RSS (KB) and stderr of a command."""
    gnu_time = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    full = [gnu_time, "-v", *cmd] if gnu_time else cmd
    t = time.perf_counter()
    proc = subprocess.run(full, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(
            f"command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-2000:]}"
        )
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    rss = int(m.group(1)) if m else resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, rss, proc.stderr


def eezcheck(*args: str) -> list[str]:
    return [sys.executable, "-m", "eezcheck", "batch", *args]


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--boundaries", default="", help="boundary data (default: the active set)")
    ap.add_argument("--rows", type=int, default=1_000_000, help="rows for (a)")
    ap.add_argument(
        "--all-rows", type=int, default=None, help="rows for the every-field run (default --rows)"
    )
    ap.add_argument("--dask-rows", type=int, default=10_000_000, help="rows for (b)")
    ap.add_argument("--workdir", default=None, help="folder for the generated files")
    ap.add_argument("--skip-dask", action="store_true")
    args = ap.parse_args()

    work = Path(args.workdir or tempfile.mkdtemp(prefix="eezcheck-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    bopt = ["--boundaries", args.boundaries] if args.boundaries else []
    try:
        print(
            f"# eezcheck batch benchmark ({os.cpu_count()} CPUs), boundaries: {args.boundaries or 'active data'}"
        )
        setup = subprocess.run(
            [sys.executable, "-c", SETUP, args.boundaries],
            capture_output=True,
            text=True,
            check=True,
        )
        load_s, grid_s, dist_s = map(float, setup.stdout.split())
        print(
            f"one-time: load {load_s:.2f} s, classification grid {grid_s:.2f} s, distance indexes {dist_s:.2f} s"
        )

        n = args.rows
        src = write_points(work / "points.csv", n)
        print(f"\n(a) {n:,} random points, {src.stat().st_size / 1e6:.0f} MB CSV")
        base_py = work / "baseline.py"
        base_py.write_text(BASELINE, encoding="utf-8")
        t_base, rss_base, _ = timed(
            [sys.executable, str(base_py), str(src), str(work / "base.csv"), args.boundaries]
        )
        t_ver, rss_ver, _ = timed(
            eezcheck(str(src), "-o", str(work / "verdict.csv"), "--fields", "verdict", *bopt)
        )
        all_n = args.all_rows or n
        src_all = src if all_n == n else write_points(work / "points_all.csv", all_n)
        t_all, rss_all, _ = timed(eezcheck(str(src_all), "-o", str(work / "all.csv"), *bopt))
        rate = lambda rows, t: f"{rows / t:>12,.0f} rows/s"  # noqa: E731
        print(
            f"  baseline geopandas sjoin (zones)  {t_base:8.2f} s {rate(n, t_base)}  peak {rss_base / 1e6:.2f} GB"
        )
        print(f"  eezcheck batch --fields verdict   {t_ver:8.2f} s {rate(n, t_ver)}  peak {rss_ver / 1e6:.2f} GB"
              f"   ratio {t_base / t_ver:5.2f}x (target >= 5x)")  # fmt: skip
        t_base_all = t_base * all_n / n
        print(f"  eezcheck batch (every field)      {t_all:8.2f} s {rate(all_n, t_all)}  peak {rss_all / 1e6:.2f} GB"
              f"   ratio {t_base_all / t_all:5.2f}x (target >= 1x{'' if all_n == n else f'; baseline scaled to {all_n:,} rows'})")  # fmt: skip
        fixed = load_s + grid_s
        if t_ver > fixed:
            print(f"  without the one-time index build ({fixed:.1f} s): verdict {rate(n, t_ver - fixed)},"
                  f" ratio {t_base / (t_ver - fixed):.2f}x")  # fmt: skip
        fixed_all = fixed + dist_s
        if t_all > fixed_all:
            print(
                f"  without the one-time index build ({fixed_all:.1f} s): every field {rate(all_n, t_all - fixed_all)}"
            )
        (work / "base.csv").unlink(missing_ok=True)

        if not args.skip_dask:
            m = args.dask_rows
            big = write_points(work / "big.csv", m, seed=1)
            print(f"\n(b) {m:,} rows, {big.stat().st_size / 1e9:.2f} GB CSV, --fields verdict")
            t_loc, rss_loc, _ = timed(
                eezcheck(str(big), "-o", str(work / "big_local.csv"), "--fields", "verdict", *bopt)
            )
            t_dsk, rss_dsk, _ = timed(eezcheck(str(big), "-o", str(work / "big_dask.csv"), "--fields", "verdict",
                                               "--engine", "dask", "--workers", "2", *bopt))  # fmt: skip
            same = _same(work / "big_local.csv", work / "big_dask.csv")
            print(
                f"  local engine         {t_loc:8.2f} s {rate(m, t_loc)}  peak memory {rss_loc / 1e6:.2f} GB (target < 2 GB)"
            )
            print(
                f"  dask, 2 workers      {t_dsk:8.2f} s {rate(m, t_dsk)}  client peak {rss_dsk / 1e6:.2f} GB"
            )
            print(f"  dask speed-up {t_loc / t_dsk:.2f}x; outputs byte-identical: {same}")
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


def _same(a: Path, b: Path) -> bool:
    if a.stat().st_size != b.stat().st_size:
        return False
    with open(a, "rb") as fa, open(b, "rb") as fb:
        while True:
            x, y = fa.read(1 << 24), fb.read(1 << 24)
            if x != y:
                return False
            if not x:
                return True


if __name__ == "__main__":
    main()
