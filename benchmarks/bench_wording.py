"""Speed of reading MoD wording in batch, measured side by side in one run (not part of the tests).

Two columns of 100,000 wording strings:

(a) all distinct: the forms the MoD and the press write (English and Japanese; every reference
    place of the gazetteer, with prefecture prefixes and decorations; 8- and 16-point compass
    words in both languages; 約/およそ/概ね, "about"/"approximately"/"some"; km, キロ,
    キロメートル, nautical miles; full-width digits, kanji numerals, ranges; 、 and ，; a tail
    such as "の日本海" or "in Hokkaido"), and 5 % of rows that the column reader hands to the full
    search (two impacts in one text, "Cape Erimo east 1,180 km", a miles conversion in brackets,
    a whole paragraph);
(b) the phrases of ``tests/data/mod_phrases.csv`` repeated to 100,000 rows (a table of real
    releases repeats its phrases).

Each column is read by the column reader :func:`eezcheck.wording.parse_wordings_many` and, as the
baseline, text by text by :func:`eezcheck.wording.parse_wordings` (the search over every
pattern; memoised by text, which helps (b) only). Every memo is cleared before each
measurement, so the first lookups of each place name are counted. Times are CPU time
(user + sys) of this process, and wall time; the load average is printed with them. The two
readers' results are compared row by row (they must be equal). Target: >= 50,000 rows/s on
(a) with the column reader.

Usage::

    python benchmarks/bench_wording.py [--rows N] [--baseline-rows N]
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import resource
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]

_FULL_WIDTH = str.maketrans("0123456789,", "０１２３４５６７８９，")
_KANJI = {200: "二百", 250: "二百五十", 300: "三百", 350: "三百五十", 1180: "千百八十", 2200: "二千二百"}
_HARD = (
    "1発目は{ja}の{bj}約{d}kmに、2発目は{ja}の{bj}、約{d2}キロの日本海に落下",
    "{en} {be} {d:,d} km",
    "about {d} km ({mi} miles) {bw} of {en}",
    "本日7時34分頃、北朝鮮西岸から弾道ミサイルが発射され、約1,000km飛翔し、{ja}の{bj}約{d}kmの日本海上に落下した。",
    "{d} km {bw} of {en} and {d2} km {bw} of {en}",
)


def distinct_strings(n: int, seed: int = 0) -> list[str]:
    """``n`` distinct wordings in the forms the MoD and the press write (see the module
    docstring); 5 % of them in forms the column reader passes to the full search."""
    from eezcheck.places import COMPASS_EN, COMPASS_JA, reference_places

    rng = np.random.default_rng(seed)
    places = reference_places()
    words = {"N": "north", "S": "south", "E": "east", "W": "west"}
    out: list[str] = []
    seen: set[str] = set()

    def pick(options: tuple[Any, ...]) -> Any:
        return options[int(rng.integers(len(options)))]

    while len(out) < n:
        p = places[int(rng.integers(len(places)))]
        b = int(rng.integers(16))
        abbr, bj = COMPASS_EN[b], COMPASS_JA[b]
        bw = abbr if rng.random() < 0.4 else "-".join(words[c] for c in abbr)
        d = int(rng.integers(5, 250)) * 10
        d2 = d + 50
        form = rng.random()
        if form < 0.05:
            s = pick(_HARD).format(ja=p.name_ja, en=p.name_en, bj=bj, bw=bw, be=words[abbr[-1]],
                                   d=d, d2=d2, mi=round(d / 1.609))  # fmt: skip
        elif form < 0.5:
            approx = pick(("about ", "approximately ", "some ", "around ", "approx. ", "", "~"))
            dist = pick((f"{d:,d}", f"{d}", f"{d}-{d2}", f"{d} to {d2}"))
            unit = pick((" km", "km", " kilometers", " kilometres", " nautical miles"))
            head = pick(("", "", "", "It fell ", "fell in Japan's EEZ ", "landed in the sea "))
            name = pick((p.name_en, f"the {p.name_en}", *p.aliases[:1]))
            tail = pick(("", "", ".", " in Hokkaido", ", Japan", " off Japan's coast"))
            s = f"{head}{approx}{dist}{unit} {bw} of {name}{tail}"
        else:
            pref = pick(("", "", "北海道", "秋田県", "石川県", "島根県"))
            sep = pick(("の", "の", "", "から"))
            bjw = bj + pick(("", "", "方", "方向", "沖"))
            approx = pick(("約", "約", "およそ", "概ね", "、約", "，約", "に約", ""))
            if rng.random() < 0.1 and d in _KANJI:
                dist = _KANJI[d]
            else:
                dist = pick((f"{d}", f"{d:,d}", f"{d}~{d2}", f"{d}〜{d2}"))
                if rng.random() < 0.15:
                    dist = dist.translate(_FULL_WIDTH)
            unit = pick(("キロ", "km", "キロメートル", "ｋｍ", "キロ付近", "キロほど"))
            tail = pick(("", "", "の日本海", "に落下", "の我が国の排他的経済水域内", "の太平洋上"))
            s = f"{pref}{p.name_ja}{sep}{bjw}{approx}{dist}{unit}{tail}"
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out


def corpus_strings(n: int) -> list[str]:
    with (ROOT / "tests" / "data" / "mod_phrases.csv").open(encoding="utf-8") as f:
        rows = [r["text"] for r in csv.DictReader(f)]
    return [rows[i % len(rows)] for i in range(n)]


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _one_by_one(texts: list[str]) -> list[Any]:
    from eezcheck.errors import InvalidInputError
    from eezcheck.wording import parse_wordings

    out: list[Any] = []
    for s in texts:
        try:
            out.append(parse_wordings(s))
        except InvalidInputError as exc:
            out.append(exc)
    return out


def measure(texts: list[str], column: bool) -> tuple[float, float, list[int]]:
    """Rows per second of CPU time and of wall time, and a hash of each row's result (the
    results themselves are let go, so that each measurement starts from the same heap)."""
    from eezcheck.wording import parse_wordings_many
    from eezcheck.wording.parser import clear_caches

    clear_caches()
    gc.collect()
    c, t = _cpu(), time.perf_counter()
    got = parse_wordings_many(texts) if column else _one_by_one(texts)
    cpu, wall = _cpu() - c, time.perf_counter() - t
    return len(texts) / cpu, len(texts) / wall, [_key(r) for r in got]


def _key(r: Any) -> int:
    return hash((type(r), str(r)) if isinstance(r, Exception) else tuple(r))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--baseline-rows", type=int, default=None,
                    help="read only the first N rows text by text (default: all)")  # fmt: skip
    args = ap.parse_args()
    from eezcheck.wording import normalize_text, parse_wordings_many
    from eezcheck.wording.parser import _simple_match  # noqa: PLC2701 - what takes the fast path

    distinct = distinct_strings(args.rows)
    corpus = corpus_strings(args.rows)
    measure(distinct[:300], column=False)  # imports, gazetteer, regexes
    measure(distinct[:300], column=True)
    load0 = os.getloadavg()[0]
    nb = args.baseline_rows or args.rows
    base_cpu, base_wall, base = measure(distinct[:nb], column=False)
    col_cpu, col_wall, col = measure(distinct, column=True)
    cb_cpu, cb_wall, cbase = measure(corpus, column=False)
    cc_cpu, cc_wall, ccol = measure(corpus, column=True)
    load1 = os.getloadavg()[0]
    same = base == col[:nb] and cbase == ccol
    fast = sum(_simple_match(normalize_text(s)) is not None for s in distinct)

    read = sum(isinstance(r, list) for r in parse_wordings_many(distinct))
    print(f"load average {load0:.1f} at the start, {load1:.1f} at the end (1 min); "
          f"{os.cpu_count()} cores")  # fmt: skip
    print(f"(a) {args.rows:,} distinct wordings ({read:,} read, {args.rows - read:,} errors; "
          f"{fast / args.rows:.1%} on the column reader's fast path)")  # fmt: skip
    print(f"    column reader parse_wordings_many: {col_cpu:,.0f} rows/s CPU, {col_wall:,.0f} rows/s wall")
    print(f"    text by text parse_wordings ({nb:,} rows): {base_cpu:,.0f} rows/s CPU, "
          f"{base_wall:,.0f} rows/s wall")  # fmt: skip
    print(f"    ratio: x{col_cpu / base_cpu:.1f} (CPU), x{col_wall / base_wall:.1f} (wall)")
    print(f"(b) {args.rows:,} rows of the {len(set(corpus))} corpus phrases")
    print(f"    column reader: {cc_cpu:,.0f} rows/s CPU, {cc_wall:,.0f} rows/s wall")
    print(f"    text by text (memoised): {cb_cpu:,.0f} rows/s CPU, {cb_wall:,.0f} rows/s wall")
    print(f"results of the two readers identical row by row: {'yes' if same else 'NO'}")
    ok = min(col_cpu, cc_cpu) >= 50_000
    okw = min(col_wall, cc_wall) >= 50_000
    print(f"target >= 50,000 rows/s on (a) and (b) with the column reader: {'met' if ok else 'NOT met'} "
          f"in CPU time, {'met' if okw else 'NOT met'} in wall time (wall time counts the other "
          "processes of a loaded machine)")  # fmt: skip
    print(f"README row: 100,000 distinct strings: **{col_wall:,.0f} rows/s** ({col_cpu:,.0f} CPU), x{col_wall / base_wall:.1f} the text-by-text "
          f"reader in the same run ({base_wall:,.0f}/s); the {len(set(corpus))} corpus phrases repeated: {cc_wall:,.0f} rows/s; load "
          f"average {load0:.1f}-{load1:.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
