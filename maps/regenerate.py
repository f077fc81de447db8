"""Regenerate the README's example maps into this folder, with the project's own CLI.

    python maps/regenerate.py [--png] [--only NAME] [--out FOLDER]

Each example is the exact command of the README, run as ``python -m eezcheck`` from the
repository root (so the checkout's code, not an installed copy, draws it). Generated files are
ignored by git.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CNS = ROOT.parent / "shared" / "data" / "events" / "cns_missile_tests.csv"

SEED_MORNING = "5-nov-2024-at-least-seven-srbms-from-north-hwanghae"
MOD_EVENT = "about-250-km-west-of-the-oga-peninsula"

EXAMPLES: list[tuple[str, list[str]]] = [
    (
        SEED_MORNING,  # the footprint of the morning of 5 November 2024 (README, "reach")
        ["map", "--from", "an area south of Pyongyang in North Hwanghae province",
         "--range-km", "400", "--apogee-km", "100", "--bearing-range", "45..135",
         "--name", "5 Nov 2024: at least seven SRBMs from North Hwanghae"],
    ),
    (
        MOD_EVENT,  # one event in the MoD's wording (README, quick start)
        ["map", "about 250 km west of the Oga Peninsula", "--from", "hwangju"],
    ),
    ("cns", ["map", "--table", str(CNS), "--title", "CNS missile tests"]),
]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--png", action="store_true", help="also write a PNG of each map")
    parser.add_argument(
        "--out", type=Path, default=HERE, help="folder of the maps (default: this folder)"
    )
    parser.add_argument(
        "--only", action="append", default=[], metavar="NAME",
        help="regenerate only this example (repeatable): "
        + ", ".join([*(n for n, _c in EXAMPLES), "cns-batch"]),
    )  # fmt: skip
    args = parser.parse_args(argv)
    args.out = args.out.resolve()  # the commands run from the repository root
    unknown = sorted(set(args.only) - {n for n, _c in EXAMPLES} - {"cns-batch"})
    if unknown:
        parser.error(f"unknown example(s) {', '.join(unknown)}")
    failed = 0
    for name, cmd in EXAMPLES:
        if args.only and name not in args.only:
            continue
        if "--table" in cmd and not CNS.exists():
            print(f"skipped {name}: {CNS} not found", file=sys.stderr)
            continue
        out = args.out / f"{name}.html"
        extra = ["-o", str(out), "--overwrite"]
        if args.png:
            extra += ["--png", str(out.with_suffix(".png"))]
        res = subprocess.run([sys.executable, "-m", "eezcheck", *cmd, *extra], cwd=ROOT)
        failed += res.returncode != 0
    # the README's batch example: results to a temporary folder, the map here
    if CNS.exists() and (not args.only or "cns-batch" in args.only):
        with tempfile.TemporaryDirectory() as tmp:
            res = subprocess.run(
                [sys.executable, "-m", "eezcheck", "batch", str(CNS), "-o",
                 str(Path(tmp) / "cns_checked.csv"), "--map", str(args.out / "cns-batch.html"),
                 "--overwrite"],
                cwd=ROOT,
            )  # fmt: skip
            failed += res.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
