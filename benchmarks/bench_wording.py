"""Speed of reading MoD wording in batch, measured side by side in one run (not part of the tests).

100,000 wording strings: (a) all distinct (English and Japanese, every reference place of the
gazetteer, 16 compass words, distances 50-2,000 km), (b) the 63 phrases of
``tests/data/mod_phrases.csv`` repeated to 100,000 rows (a table of real releases repeats its
phrases). Each is parsed the way batch reads a wording cell
(:func:`eezcheck.wording.parse_wordings`); the first pass of (a) is measured against the same
strings through the parser with its memoised lookups cleared before every string (what every
string cost before the fast path), on a 2,000-string sample, in the same run. Target: >= 50,000
strings/s on 100,000 strings.

Usage::

    python benchmarks/bench_wording.py [--rows N]
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def distinct_strings(n: int, seed: int = 0) -> list[str]:
    from eezcheck.places import COMPASS_EN, COMPASS_JA, reference_places

    rng = np.random.default_rng(seed)
    places = reference_places()
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        p = places[int(rng.integers(len(places)))]
        b = int(rng.integers(16))
        d = int(rng.integers(5, 200)) * 10
        if rng.random() < 0.5:
            s = f"about {d:,d} km {COMPASS_EN[b]} of {p.name_en}"
        else:
            s = f"{p.name_ja}の{COMPASS_JA[b]}約{d}キロ"
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out


def corpus_strings(n: int) -> list[str]:
    with (ROOT / "tests" / "data" / "mod_phrases.csv").open(encoding="utf-8") as f:
        rows = [r["text"] for r in csv.DictReader(f)]
    return [rows[i % len(rows)] for i in range(n)]


def rate(texts: list[str], clear: bool = False) -> float:
    from eezcheck.wording import parse_wordings
    from eezcheck.wording.parser import clear_caches

    t = time.perf_counter()
    for s in texts:
        if clear:
            clear_caches()
        try:
            parse_wordings(s)
        except ValueError:
            pass
    return len(texts) / (time.perf_counter() - t)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=100_000)
    args = ap.parse_args()
    from eezcheck.wording.parser import clear_caches

    distinct = distinct_strings(args.rows)
    corpus = corpus_strings(args.rows)
    rate(distinct[:200])  # imports, gazetteer, regexes
    clear_caches()
    slow = rate(distinct[:2000], clear=True)
    clear_caches()
    fast_distinct = rate(distinct)
    clear_caches()
    fast_corpus = rate(corpus)
    print(f"(a) {args.rows:,} distinct strings: {fast_distinct:,.0f} strings/s")
    print(f"    without the memoised lookups (2,000 of them): {slow:,.0f} strings/s "
          f"(x{fast_distinct / slow:.1f})")
    print(f"(b) {args.rows:,} rows of the 63 corpus phrases: {fast_corpus:,.0f} strings/s")
    ok = min(fast_distinct, fast_corpus) >= 50_000
    print(f"target >= 50,000 strings/s on both: {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
