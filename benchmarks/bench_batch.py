"""Speed of ``eezcheck batch``, measured side by side in one run (not part of the tests).

(a) Baseline: the obvious geopandas script on a CSV of N random points in 120-160 E, 15-50 N
    (``read_csv`` -> ``points_from_xy`` -> ``sjoin`` against the same layers -> ``to_csv``),
    which gives zones only; against ``eezcheck batch --fields verdict`` (zone and verdict) and
    ``eezcheck batch`` with every field (signed geodesic distance, nearest land and place,
    descriptions, claims). All three run end to end in subprocesses (interpreter start and data
    loading included): wall time and CPU time (user + sys of the process), and their ratios.
    Targets: verdict >= 10x the baseline, every field >= 3x. The one-time index build of the
    boundary data (``Classifier.grid``, the distance indexes) is timed separately and reported.
    Then where the time of ``--fields verdict`` goes, in one thread (CPU s and shares: start =
    imports, data load and column detection; read = reading and parsing the CSV; check;
    encode + write the CSV), next to Arrow alone reading the same CSV and writing the same
    output table.
(b) The Dask engine against the local engine on a CSV of M rows (default 10,000,000),
    ``--fields verdict``: a local cluster (``--engine dask --workers 2``) and a 3-process
    cluster started here as the README's recipe says (``dask scheduler`` and two
    ``dask worker ... --nthreads 1``, joined with ``--scheduler tcp://...``): speed-ups, output
    identity, and the local engine's peak memory (max RSS by ``/usr/bin/time -v``).

Every figure is printed with the CPU count and the load average (before and after): under
load, CPU-time ratios are steadier than wall-time ones.

Usage::

    python benchmarks/bench_batch.py [--boundaries PATH] [--rows N] [--all-rows N]
                                     [--dask-rows M] [--workdir DIR] [--skip-dask]
                                     [--skip-cluster]

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
from dataclasses import dataclass
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

SHARES = r"""
import io, sys, time
t0 = time.process_time()
import pyarrow as pa, pyarrow.csv as pcsv
from eezcheck.batch import engine, pieces, io as bio, csvtable
spent = dict.fromkeys(["read", "check", "encode", "write"], 0.0)
tables = []
def timing(key, f, keep=False):
    def wrapper(*a, **k):
        t = time.process_time()
        out = f(*a, **k)
        spent[key] += time.process_time() - t
        if keep:
            tables.append(out[0])
        return out
    return wrapper
csvtable.CsvSource.read_part = timing("read", csvtable.CsvSource.read_part)
pieces.check_piece = timing("check", pieces.check_piece, keep=True)
bio.encode_chunk = timing("encode", bio.encode_chunk)
bio.Sink.write = timing("write", bio.Sink.write)
src, out, boundaries = sys.argv[1], sys.argv[2], (sys.argv[3] or None)
engine.run_batch(src, out, fields="verdict", boundaries=boundaries, threads=1, overwrite=True)
total = time.process_time() - t0
start = total - sum(spent.values())
t = time.process_time()
pcsv.read_csv(src, convert_options=pcsv.ConvertOptions(strings_can_be_null=False,
              column_types={n: pa.string() for n in ("id", "lat", "lon")}))
arrow_read = time.process_time() - t
whole = pa.concat_tables(tables)
t = time.process_time()
pcsv.write_csv(whole, io.BytesIO(), write_options=pcsv.WriteOptions(include_header=False))
arrow_write = time.process_time() - t
print(total, start, spent["read"], spent["check"], spent["encode"], spent["write"], arrow_read, arrow_write)
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


@dataclass
class Run:
    wall: float
    cpu: float | None
    """user + sys of the process and the children it waited for (GNU time), if known."""
    rss: int | None
    """peak RSS, KB"""
    stderr: str


def timed(cmd: list[str]) -> Run:
    """Wall time, CPU time, peak RSS and stderr of a command."""
    gnu_time = "/usr/bin/time" if Path("/usr/bin/time").exists() else None
    full = [gnu_time, "-v", *cmd] if gnu_time else cmd
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run(full, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(
            f"command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-2000:]}"
        )
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    rss = int(m.group(1)) if m else None
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(wall, cpu, rss, proc.stderr)


def load() -> str:
    return (
        " ".join(Path("/proc/loadavg").read_text().split()[:3])
        if Path("/proc/loadavg").exists()
        else "?"
    )


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
    ap.add_argument("--skip-dask", action="store_true", help="no (b)")
    ap.add_argument("--skip-cluster", action="store_true", help="(b) without the 3-process cluster")
    args = ap.parse_args()

    work = Path(args.workdir or tempfile.mkdtemp(prefix="eezcheck-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    bopt = ["--boundaries", args.boundaries] if args.boundaries else []
    try:
        print(f"# eezcheck batch benchmark: {os.cpu_count()} CPUs, load average {load()}, "
              f"boundaries: {args.boundaries or 'active data'}")  # fmt: skip
        setup = subprocess.run(
            [sys.executable, "-c", SETUP, args.boundaries],
            capture_output=True,
            text=True,
            check=True,
        )
        load_s, grid_s, dist_s = map(float, setup.stdout.split())
        print(f"one-time: load {load_s:.2f} s, classification grid {grid_s:.2f} s, "
              f"distance indexes {dist_s:.2f} s")  # fmt: skip

        n = args.rows
        src = write_points(work / "points.csv", n)
        print(f"\n(a) {n:,} random points, {src.stat().st_size / 1e6:.1f} MB CSV")
        base_py = work / "baseline.py"
        base_py.write_text(BASELINE, encoding="utf-8")
        base = timed(
            [sys.executable, str(base_py), str(src), str(work / "base.csv"), args.boundaries]
        )
        ver = timed(
            eezcheck(str(src), "-o", str(work / "verdict.csv"), "--fields", "verdict", *bopt)
        )
        all_n = args.all_rows or n
        src_all = src if all_n == n else write_points(work / "points_all.csv", all_n)
        every = timed(eezcheck(str(src_all), "-o", str(work / "all.csv"), *bopt))
        scale = all_n / n
        print(
            f"  {'':32} {'wall':>8} {'CPU':>8} {'rows/s (wall)':>14} {'peak':>8}   ratio wall, CPU"
        )
        _row("baseline geopandas sjoin (zones)", base, n)
        _row("eezcheck batch --fields verdict", ver, n, base, 1.0, "target >= 10x")
        _row("eezcheck batch (every field)", every, all_n, base, scale,
             "target >= 3x" + ("" if all_n == n else f"; baseline scaled to {all_n:,} rows"))  # fmt: skip
        fixed = load_s + grid_s
        if ver.wall > fixed:
            print(f"  without the one-time index build ({fixed:.1f} s): verdict "
                  f"{n / (ver.wall - fixed):,.0f} rows/s, ratio {base.wall / (ver.wall - fixed):.2f}x")  # fmt: skip
        (work / "base.csv").unlink(missing_ok=True)
        (work / "all.csv").unlink(missing_ok=True)

        sh = subprocess.run(
            [sys.executable, "-c", SHARES, str(src), str(work / "shares.csv"), args.boundaries],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        total, start, read, check, encode, write, a_read, a_write = map(float, sh.stdout.split())
        pct = lambda x: f"{x:.2f} s ({100 * x / total:.0f} %)"  # noqa: E731
        print(f"  where --fields verdict spends its CPU, one thread ({total:.2f} s after the "
              f"interpreter's start): start {pct(start)}, read {pct(read)}, check {pct(check)}, "
              f"encode + write {pct(encode + write)}")  # fmt: skip
        print(f"  Arrow alone on the same data: read {a_read:.2f} s (batch's read "
              f"{read / a_read:.2f}x), write {a_write:.2f} s (batch's encode + write "
              f"{(encode + write) / a_write:.2f}x)")  # fmt: skip
        (work / "shares.csv").unlink(missing_ok=True)
        (work / "verdict.csv").unlink(missing_ok=True)
        print(f"  load average {load()}")

        if not args.skip_dask:
            _dask(args, work, bopt)
        print(f"\nload average at the end {load()}")
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


def _row(
    label: str, r: Run, rows: int, base: Run | None = None, scale: float = 1.0, target: str = ""
) -> None:
    cpu = f"{r.cpu:8.2f}" if r.cpu is not None else f"{'?':>8}"
    peak = f"{r.rss / 1e6:6.2f}GB" if r.rss else f"{'?':>8}"
    line = f"  {label:32} {r.wall:7.2f}s {cpu}s {rows / r.wall:>14,.0f} {peak}"
    if base is not None:
        cpu_ratio = f"{base.cpu * scale / r.cpu:.2f}x" if base.cpu and r.cpu else "?"
        line += f"   {base.wall * scale / r.wall:5.2f}x, {cpu_ratio} ({target})"
    print(line)


def _dask(args: argparse.Namespace, work: Path, bopt: list[str]) -> None:
    m = args.dask_rows
    big = write_points(work / "big.csv", m, seed=1)
    print(f"\n(b) {m:,} rows, {big.stat().st_size / 1e6:,.0f} MB CSV, --fields verdict "
          f"(load average {load()})")  # fmt: skip
    local = timed(
        eezcheck(str(big), "-o", str(work / "big_local.csv"), "--fields", "verdict", *bopt)
    )
    dask = timed(eezcheck(str(big), "-o", str(work / "big_dask.csv"), "--fields", "verdict",
                          "--engine", "dask", "--workers", "2", *bopt))  # fmt: skip
    same = _same(work / "big_local.csv", work / "big_dask.csv")
    (work / "big_dask.csv").unlink(missing_ok=True)
    peak = f"{local.rss / 1e6:.2f} GB" if local.rss else "?"
    print(f"  local engine                 {local.wall:8.2f} s {m / local.wall:>12,.0f} rows/s  "
          f"CPU {local.cpu:.2f} s, peak memory {peak} (target < 2 GB)")  # fmt: skip
    print(f"  dask LocalCluster, 2 workers {dask.wall:8.2f} s {m / dask.wall:>12,.0f} rows/s  "
          f"speed-up {local.wall / dask.wall:.2f}x (target >= 1x); byte-identical: {same}")  # fmt: skip
    if not args.skip_cluster:
        cl = _cluster_run(work, big, bopt)
        if cl is not None:
            same = _same(work / "big_local.csv", work / "big_cluster.csv")
            print(f"  3-process cluster (dask scheduler + 2 x dask worker --nthreads 1) "
                  f"{cl.wall:.2f} s, {m / cl.wall:,.0f} rows/s, speed-up "
                  f"{local.wall / cl.wall:.2f}x; byte-identical: {same}")  # fmt: skip
    print(f"  load average {load()}")


def _cluster_run(work: Path, big: Path, bopt: list[str]) -> Run | None:
    """The README's cluster recipe on this machine: a scheduler and two single-thread workers
    (their own processes), then ``--scheduler tcp://...``; the cluster's start is not timed."""
    import socket

    dask_cli = shutil.which("dask")
    if dask_cli is None:
        print("  3-process cluster: no `dask` command on PATH; skipped")
        return None
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    logs = [open(work / f"cluster{i}.log", "wb") for i in range(3)]  # noqa: SIM115
    procs = [subprocess.Popen([dask_cli, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], stdout=logs[0], stderr=logs[0])]  # fmt: skip
    try:
        for i in (1, 2):
            procs.append(subprocess.Popen([dask_cli, "worker", address, "--nthreads", "1",
                                           "--no-dashboard"], stdout=logs[i], stderr=logs[i]))  # fmt: skip
        code = (f"from distributed import Client; c = Client({address!r}, timeout='120s'); "
                "c.wait_for_workers(2, timeout=300); c.close()")  # fmt: skip
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
        return timed(eezcheck(str(big), "-o", str(work / "big_cluster.csv"), "--fields", "verdict",
                              "--engine", "dask", "--scheduler", address, *bopt))  # fmt: skip
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
        for f in logs:
            f.close()


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
