"""Load test of ``eezcheck serve``'s ``/api/check`` (not part of the tests).

Starts ``eezcheck serve`` on a free port of 127.0.0.1 (this machine only, nothing else is ever
contacted), then:

(a) warm single checks: one client, ``--single`` sequential requests of ``41.3 138.5``; the
    p50 latency (target <= 20 ms), beside the library's own ``Checker.check`` of the same input
    in this process, measured in the same run (the ratio is the HTTP and JSON overhead);
(b) ``--clients`` (50) concurrent clients for ``--seconds`` (30 s) with mixed valid and invalid
    input (coordinates, MoD wording in English and Japanese, a launch site + range + bearing,
    unknown places, malformed JSON, a wrong content type, an oversized body): the status
    counts (no 5xx allowed), p50/p99 latency, requests/s, and the server's memory (RSS)
    sampled every second: at the start, the end and its maximum (memory flat = no growth
    past the first seconds).

The run is bounded by ``--seconds`` and ``--max-requests`` and stops by itself; the server is
stopped at the end. Exit status 1 when a 5xx (or a connection error) was seen.

Usage::

    python benchmarks/bench_serve.py [--clients 50] [--seconds 30] [--single 300]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import psutil

MIXED: list[tuple[str, Any]] = [
    ("json", {"q": "41.3 138.5"}),
    ("json", {"q": "about 200 km west of Okushiri Island"}),
    ("json", {"q": "北海道奥尻島の西約200km"}),
    ("json", {"q": "37.3 131.95", "uncertainty_km": 30}),
    ("json", {"from": "sunan", "range_km": 1000, "bearing": "75"}),
    ("json", {"q": "30 150"}),
    ("json", {"q": "about 200 km west of Atlantis"}),  # 400 unknown place
    ("json", {"q": "91 200"}),  # 400 out of range
    ("json", {"lat": "41.3"}),  # 400 half a point
    ("raw", b"{not json"),  # 400 malformed
    ("text", b"41.3 138.5"),  # 415 content type
    ("raw", b'{"q": "' + b"x" * 70_000 + b'"}'),  # 413
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EEZCHECK_")}
    root = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.Popen(
        [sys.executable, "-m", "eezcheck", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            r = httpx.get(f"http://127.0.0.1:{port}/api/check", params={"q": "41.3 138.5"}, timeout=5)
            if r.status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.5)
    proc.kill()
    raise SystemExit("eezcheck serve did not start: " + (proc.stderr.read().decode() if proc.stderr else ""))


def _pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


async def _request(client: httpx.AsyncClient, kind: str, payload: Any) -> int:
    if kind == "json":
        r = await client.post("/api/check", json=payload)
    elif kind == "text":
        r = await client.post("/api/check", content=payload, headers={"content-type": "text/plain"})
    else:
        r = await client.post("/api/check", content=payload, headers={"content-type": "application/json"})
    return r.status_code


async def _single(base: str, n: int) -> list[float]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        for _ in range(20):
            await _request(client, "json", {"q": "41.3 138.5"})
        out = []
        for _ in range(n):
            t = time.perf_counter()
            status = await _request(client, "json", {"q": "41.3 138.5"})
            out.append((time.perf_counter() - t) * 1000)
            assert status == 200
        return out


async def _load(base: str, clients: int, seconds: float, max_requests: int, pid: int) -> dict[str, Any]:
    statuses: Counter[str] = Counter()
    latencies: list[float] = []
    stop = time.monotonic() + seconds
    sent = itertools.count()
    proc = psutil.Process(pid)
    rss: list[float] = []

    async def client_loop(k: int) -> None:
        limits = httpx.Limits(max_connections=1)
        async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
            for i in itertools.count(k):
                if time.monotonic() >= stop or next(sent) >= max_requests:
                    return
                kind, payload = MIXED[i % len(MIXED)]
                t = time.perf_counter()
                try:
                    status = str(await _request(client, kind, payload))
                except httpx.HTTPError as exc:
                    status = f"connection error ({type(exc).__name__})"
                latencies.append((time.perf_counter() - t) * 1000)
                statuses[status] += 1

    async def sampler() -> None:
        while time.monotonic() < stop:
            rss.append(proc.memory_info().rss / 2**20)
            await asyncio.sleep(1)

    t0 = time.perf_counter()
    await asyncio.gather(sampler(), *(client_loop(k) for k in range(clients)))
    elapsed = time.perf_counter() - t0
    return {"statuses": dict(statuses), "latencies": latencies, "elapsed": elapsed, "rss": rss}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--single", type=int, default=300)
    ap.add_argument("--max-requests", type=int, default=200_000)
    args = ap.parse_args()

    from eezcheck.checker import get_checker

    checker = get_checker(None)
    checker.check(41.3, 138.5)
    lib = []
    for _ in range(args.single):
        t = time.perf_counter()
        checker.check(text="41.3 138.5")
        lib.append((time.perf_counter() - t) * 1000)

    port = _free_port()
    proc = _start(port)
    base = f"http://127.0.0.1:{port}"
    try:
        single = asyncio.run(_single(base, args.single))
        load = asyncio.run(_load(base, args.clients, args.seconds, args.max_requests, proc.pid))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    lat = load["latencies"]
    statuses = load["statuses"]
    bad = {k: v for k, v in statuses.items() if not k.isdigit() or int(k) >= 500}
    rss = load["rss"]
    p50_single, p50_lib = statistics.median(single), statistics.median(lib)
    print(f"(a) single warm check over HTTP: p50 {p50_single:.1f} ms, p99 {_pct(single, 99):.1f} ms "
          f"({args.single} requests; target p50 <= 20 ms); library Checker.check p50 {p50_lib:.2f} ms; "
          f"HTTP/library {p50_single / p50_lib:.1f}x")  # fmt: skip
    print(f"(b) {args.clients} clients x {load['elapsed']:.1f} s, mixed input: {len(lat):,} requests "
          f"({len(lat) / load['elapsed']:,.0f}/s), p50 {_pct(lat, 50):.1f} ms, p99 {_pct(lat, 99):.1f} ms")  # fmt: skip
    print("    statuses: " + ", ".join(f"{k}: {v:,}" for k, v in sorted(statuses.items())))
    if rss:
        print(f"    server RSS: start {rss[0]:.0f} MB, after 5 s {rss[min(5, len(rss) - 1)]:.0f} MB, "
              f"end {rss[-1]:.0f} MB, max {max(rss):.0f} MB ({len(rss)} samples)")  # fmt: skip
    print(json.dumps({"single_p50_ms": round(p50_single, 2), "load_p50_ms": round(_pct(lat, 50), 2),
                      "load_p99_ms": round(_pct(lat, 99), 2), "requests": len(lat),
                      "five_xx": sum(bad.values())}, sort_keys=True))  # fmt: skip
    if bad:
        print(f"FAIL: {bad}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
