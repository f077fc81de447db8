"""Golden outputs of the CLI: record them (``--write``) or compare with the recorded ones.

Runs every CLI command of the README, ``batch`` on ``../shared/data/events`` (the CNS and MoD
tables) in every output format, and ``map`` on single events and on both tables, each group in a
fresh process (``python tests/golden/make_golden.py GROUP``) so that nothing a test did before
can change an answer. Only what legitimately varies is normalised: folium's random element ids
(numbered in order of appearance), run times, and the paths of the repository, of ../shared
and of the temporary folder.

Outputs that embed the ../shared tables (batch results, table maps) are recorded as sha256
digests of their normalised bytes plus small extracts computed by eezcheck (the verdict
columns), never as copies: ../shared data must not enter the repository.

    python tests/golden/make_golden.py --write      # after a deliberate change of output
    python tests/golden/make_golden.py --check      # exit 1 and a diff on any difference

A deliberate change (a fixed bug) regenerates the files with ``--write``; the commit says which
outputs changed and why.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SHARED = (REPO.parent / "shared").resolve()
EVENTS = SHARED / "data" / "events"
CNS = EVENTS / "cns_missile_tests.csv"
MOD = EVENTS / "mod_verdicts_2016_2020.csv"

FORMATS = ("csv", "tsv", "geojson", "parquet")


def _case(name: str, *argv: str, files: tuple[str, ...] = (), shared: bool = False, stdin: str | None = None) -> dict[str, Any]:
    """One CLI run: ``argv`` with ``{cns}``, ``{mod}`` and ``{out}`` (the temporary folder)
    substituted; ``files`` are outputs (relative to ``{out}``) to record; ``shared`` means the
    outputs embed ../shared data (record digests and extracts, not text)."""
    return {"name": name, "argv": list(argv), "files": list(files), "shared": shared, "stdin": stdin}


def cases() -> dict[str, list[dict[str, Any]]]:
    """The recorded runs, by group (one fresh process per group)."""
    readme = [
        _case("check-decimal", "check", "41.3", "138.5"),
        _case("check-decimal-json", "check", "41.3", "138.5", "--json"),
        _case("check-southern", "check", "-33.9", "151.2"),
        _case("check-dms", "check", "41°18'N 138°30'E"),
        _case("check-hemisphere", "check", "41.3N", "138.5E"),
        _case("check-japanese-coords", "check", "北緯41.3度 東経138.5度"),
        _case("check-lat-lon-options", "check", "--lat", "41.3", "--lon", "138.5", "--json"),
        _case("check-mod-english", "check", "about 200 km west of Okushiri Island"),
        _case("check-mod-english-json", "check", "about 200 km west of Okushiri Island", "--json"),
        _case("check-mod-japanese", "check", "北海道奥尻島の西約200km"),
        _case("check-from-range-bearing", "check", "--from", "sunan", "--range-km", "1000", "--bearing", "75"),
        _case("check-from-range-bearing-json", "check", "--from", "sunan", "--range-km", "1000", "--bearing", "75", "--json"),
        _case("check-uncertainty-json", "check", "37.3", "131.95", "--uncertainty-km", "30", "--json"),
        _case("check-takeshima-json", "check", "37.24", "131.87", "--json"),
        _case("check-bad-input", "check", "91", "138.5"),
        _case("reach", "reach", "--from", "sunan", "--range-km", "1000"),
        _case("reach-json", "reach", "--from", "sunan", "--range-km", "1000", "--json"),
        _case("trajectory", "trajectory", "--range-km", "960", "--apogee-km", "4500"),
        _case("trajectory-json", "trajectory", "--range-km", "960", "--apogee-km", "4500", "--json"),
        _case("data-info", "data", "info"),
        _case("data-list", "data", "list"),
        _case("data-verify", "data", "verify"),
    ]
    batch: list[dict[str, Any]] = []
    for table, key in (("{cns}", "cns"), ("{mod}", "mod")):
        for fmt in FORMATS:
            batch.append(_case(f"batch-{key}-{fmt}", "batch", table, "-o", f"{{out}}/{key}.{fmt}", "--summary-json", f"{{out}}/{key}-{fmt}.summary.json", files=(f"{key}.{fmt}", f"{key}-{fmt}.summary.json"), shared=True))
        batch.append(_case(f"batch-{key}-verdict", "batch", table, "-o", f"{{out}}/{key}-verdict.csv", "--fields", "verdict", files=(f"{key}-verdict.csv",), shared=True))
    batch.append(_case("batch-readme-map", "batch", "{cns}", "-o", "{out}/cns_checked.csv", "--map", "{out}/maps/cns.html", files=("cns_checked.csv", "maps/cns.html"), shared=True))
    batch.append(_case("batch-stdin-verdict", "batch", "-", "-o", "-", "--fields", "verdict", stdin="lat,lon\n41.3,138.5\n37.3,131.95\n-33.9,151.2\n36.0,200.0\nx,y\n"))
    maps = [
        _case("map-oga-hwangju", "map", "about 250 km west of the Oga Peninsula", "--from", "hwangju", "-o", "{out}/oga.html", files=("oga.html",)),
        _case("map-help-example", "map", "41.3", "138.5", "--from", "sunan", "--apogee-km", "550", "--name", "test 1", "-o", "{out}/test-1.html", files=("test-1.html",)),
        _case("map-rings", "map", "--from", "sunan", "--range-km", "1000", "--bearing", "75", "--rings", "1000,3000,5500", "-o", "{out}/rings.html", files=("rings.html",)),
        _case("map-uncertainty", "map", "41.3", "138.5", "--uncertainty-km", "50", "-o", "{out}/impact.html", files=("impact.html",)),
        _case("map-table-cns", "map", "--table", "{cns}", "--title", "CNS missile tests", "-o", "{out}/cns.html", files=("cns.html",), shared=True),
        _case("map-table-mod", "map", "--table", "{mod}", "-o", "{out}/mod.html", files=("mod.html",), shared=True),
    ]
    return {"cli": readme, "batch": batch, "map": maps}


# --------------------------------------------------------------------------- normalising

_FOLIUM_ID = re.compile(r"\b([a-z][a-z_]*?)_([0-9a-f]{32})(?![0-9a-f])")
_RUN_TIME = re.compile(r"\(\d+(?:\.\d+)? s, [\d,]+ rows/s\)")
_SUMMARY_TIMES = re.compile(r'"(elapsed_s|rows_per_s|seconds|elapsed)": [0-9.eE+-]+')


def normalise(text: str, out: str) -> str:
    """Replace what legitimately varies between runs (see the module docstring)."""
    for path, label in ((out, "<out>"), (str(REPO), "<repo>"), (str(SHARED), "<shared>")):
        text = text.replace(path, label)
    ids: dict[str, str] = {}

    def number(m: re.Match[str]) -> str:
        key = m.group(0)
        if key not in ids:
            ids[key] = f"{m.group(1)}_{len(ids):04d}"
        return ids[key]

    text = _FOLIUM_ID.sub(number, text)
    text = _RUN_TIME.sub("(<time>)", text)
    return _SUMMARY_TIMES.sub(r'"\1": <time>', text)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _extract(path: Path) -> str | None:
    """The verdict columns of a batch result (computed by eezcheck, no input column)."""
    suffix = path.suffix
    if suffix == ".json":
        return None
    try:
        if suffix in (".csv", ".tsv"):
            import csv

            with open(path, encoding="utf-8", newline="") as fh:
                rows = list(csv.DictReader(fh, delimiter="\t" if suffix == ".tsv" else ","))
        elif suffix == ".geojson":
            rows = [f["properties"] for f in json.loads(path.read_text(encoding="utf-8"))["features"]]
        elif suffix == ".parquet":
            import pyarrow.parquet as pq

            rows = pq.read_table(path).to_pylist()
        else:
            return None
    except Exception as exc:  # noqa: BLE001 - recorded, so that a difference shows
        return f"unreadable: {type(exc).__name__}"
    return " ".join(f"{r.get('zone') or '-'}/{r.get('japan_eez') or '-'}" for r in rows)


def _file_record(path: Path, out: str, shared: bool) -> dict[str, Any]:
    if not path.exists():
        return {"missing": True}
    raw = path.read_bytes()
    if path.suffix == ".parquet":
        record: dict[str, Any] = {"sha256": _digest(raw), "bytes": len(raw)}
        text = None
    else:
        text = normalise(raw.decode("utf-8"), out)
        record = {"sha256": _digest(text.encode("utf-8")), "chars": len(text)}
    if shared:
        extract = _extract(path)
        if extract is not None:
            record["verdicts"] = extract
        if path.suffix == ".json" and text is not None:
            record["text"] = text  # run summaries: counts and eezcheck's messages
    elif text is not None and path.suffix != ".html":
        record["text"] = text
    return record


def run_group(group: str) -> dict[str, Any]:
    """Run one group's cases in this process, in order; return their records."""
    from click.testing import CliRunner

    from eezcheck.cli.main import cli

    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="eezcheck-golden-") as tmp:
        out = str(Path(tmp).resolve())
        old = os.getcwd()
        os.chdir(out)
        try:
            for case in cases()[group]:
                argv = [a.format(cns=CNS, mod=MOD, out=out) for a in case["argv"]]
                runner = CliRunner()
                res = runner.invoke(cli, argv, input=case["stdin"], catch_exceptions=True)
                stdout = res.stdout_bytes.decode("utf-8", "replace")
                stderr = res.stderr_bytes.decode("utf-8", "replace") if res.stderr_bytes is not None else ""
                record: dict[str, Any] = {"argv": case["argv"], "exit_code": res.exit_code}
                if res.exception is not None and not isinstance(res.exception, SystemExit):
                    record["exception"] = f"{type(res.exception).__name__}: {res.exception}"
                if case["shared"]:
                    record["stdout_sha256"] = _digest(normalise(stdout, out).encode("utf-8"))
                else:
                    record["stdout"] = normalise(stdout, out)
                record["stderr"] = normalise(stderr, out)
                record["files"] = {f: _file_record(Path(out) / f, out, case["shared"]) for f in case["files"]}
                results[case["name"]] = record
        finally:
            os.chdir(old)
    return results


def isolated_env(state: str) -> dict[str, str]:
    """The environment of a golden run: no user EEZCHECK_* variable, fresh state and cache
    folders, this checkout first on the path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EEZCHECK_")}
    env["EEZCHECK_STATE_DIR"] = os.path.join(state, "state")
    env["EEZCHECK_CACHE_DIR"] = os.path.join(state, "cache")
    env["EEZCHECK_USE_CACHE"] = "0"
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])])
    env["PYTHONHASHSEED"] = "0"
    env["COLUMNS"] = "80"
    env["LC_ALL"] = env["LANG"] = "C.UTF-8"
    return env


def produce(group: str) -> dict[str, Any]:
    """Run one group in a fresh, isolated process and return its records."""
    with tempfile.TemporaryDirectory(prefix="eezcheck-golden-state-") as state:
        proc = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--run", group],
            env=isolated_env(state), capture_output=True, text=True, encoding="utf-8", timeout=900,
        )
    if proc.returncode != 0:
        raise RuntimeError(f"golden group {group!r} failed (exit {proc.returncode}):\n{proc.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def golden_path(group: str) -> Path:
    return HERE / f"{group}.json"


def dump(records: dict[str, Any]) -> str:
    return json.dumps(records, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def differences(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """Readable differences between recorded and produced records."""
    import difflib

    out: list[str] = []
    for name in sorted(set(expected) | set(actual)):
        if name not in actual:
            out.append(f"{name}: no longer produced")
            continue
        if name not in expected:
            out.append(f"{name}: new case (not recorded; run --write)")
            continue
        a, b = dump(expected[name]).splitlines(), dump(actual[name]).splitlines()
        if a != b:
            diff = "\n".join(difflib.unified_diff(a, b, "recorded", "now", lineterm="", n=1))
            out.append(f"{name}:\n{diff}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("groups", nargs="*", help=f"groups (default: all of {', '.join(cases())})")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="record the outputs")
    mode.add_argument("--check", action="store_true", help="compare with the recorded outputs")
    mode.add_argument("--run", metavar="GROUP", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run:
        sys.stdout.write(json.dumps(run_group(args.run), ensure_ascii=False))
        return 0
    if not CNS.exists() or not MOD.exists():
        print(f"../shared event tables not found under {EVENTS}", file=sys.stderr)
        return 2
    status = 0
    show: Callable[[str], None] = print
    for group in args.groups or list(cases()):
        records = produce(group)
        if args.write:
            golden_path(group).write_text(dump(records), encoding="utf-8")
            show(f"wrote {golden_path(group).relative_to(REPO)} ({len(records)} runs)")
        else:
            diffs = differences(json.loads(golden_path(group).read_text(encoding="utf-8")), records)
            if diffs:
                status = 1
                show("\n\n".join(diffs))
            else:
                show(f"{group}: {len(records)} runs identical")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
