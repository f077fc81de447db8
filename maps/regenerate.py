"""Regenerate the README's example maps into this folder, with the project's own CLI.

    python maps/regenerate.py [--png]

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

EXAMPLES: list[tuple[str, list[str]]] = [
    (
        "oga-2016-08-03",
        ["map", "about 250 km west of the Oga Peninsula", "--from", "hwangju",
         "--name", "Nodong, 3 August 2016", "--time", "2016-08-03 07:53 JST"],
    ),
    ("cns", ["map", "--table", str(CNS), "--title", "CNS missile tests"]),
]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--png", action="store_true", help="also write a PNG of each map")
    args = parser.parse_args()
    failed = 0
    for name, cmd in EXAMPLES:
        if "--table" in cmd and not CNS.exists():
            print(f"skipped {name}: {CNS} not found", file=sys.stderr)
            continue
        out = HERE / f"{name}.html"
        extra = ["-o", str(out), "--overwrite"]
        if args.png:
            extra += ["--png", str(out.with_suffix(".png"))]
        res = subprocess.run([sys.executable, "-m", "eezcheck", *cmd, *extra], cwd=ROOT)
        failed += res.returncode != 0
    # the README's batch example: results to a temporary folder, the map here
    if CNS.exists():
        with tempfile.TemporaryDirectory() as tmp:
            res = subprocess.run(
                [sys.executable, "-m", "eezcheck", "batch", str(CNS), "-o",
                 str(Path(tmp) / "cns_checked.csv"), "--map", str(HERE / "cns-batch.html"),
                 "--overwrite"],
                cwd=ROOT,
            )  # fmt: skip
            failed += res.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
