"""The README's reliability table is the suite's: each row's cases are counted from the tests
that run (collected items: one per parametrised case, a hypothesis test's examples; the hostile corpus as payloads ×
fields).

The reliability files are collected in a subprocess (as a plain run collects them). On a
mismatch the test prints the table to paste.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# (class, [file or file::test-name prefix], what is asserted); the first row is the corpus
ROWS: list[tuple[str, list[str], str]] = [
    (
        "hostile text (Jinja, HTML, script, template literals, shell, formulas, terminal escapes, "
        "U+2028/NEL/RS, RTL, format strings, stray quotes, NUL, 5,000 characters) through 4 batch "
        "columns, the headers, `check`'s text and the manifest's fields (shown with controls escaped "
        "in the terminal)",
        ["test_reliability.py"],
        "no file created, CSV output literal, map text only in the page's JSON data, `check` exits 2 with `Error:`",
    ),
    (
        "hostile text in map fields: `--name`/`--title`/`--time`, wording, CSV and Excel cells, a "
        "boundary file's `feature`, the manifest's `dataset`",
        ["test_map_injection.py"],
        "no template runs, the page shows the text literally",
    ),
    (
        "CSV cut into pieces: stray `\"` in unquoted cells, quoted multi-line cells, `\"\"`, "
        "LF/CRLF/CR, any piece size (hypothesis: each example a case), 30,001 and 3,001 rows, an unclosed quote",
        ["test_batch_split.py"],
        "the rows of a full parse, in order",
    ),
    (
        "property tests (hypothesis) of batch: CSV in UTF-8, UTF-8 with BOM, CP932 and UTF-16, "
        "random bytes, quote and newline soup, GeoJSON features, any JSON document, Excel rows, "
        "Arrow columns of wrong types",
        ["test_batch_fuzz.py"],
        "one output row per input row, in order, a verdict or an error; only a table-format error raised",
    ),
    (
        "numbers and coordinates: `14e1`, 0..360, ±180/±90 in CLI, library, batch cells, Excel "
        "numbers, geometries; sign vs hemisphere; `138.5\"`; shapes, masks, text in `check_many`; "
        "uncertainty ≤ 1,000 km; bearing 0..360",
        ["test_hostile_numbers.py"],
        "the same value or the same error everywhere",
    ),
    (
        "outputs: `/dev/null`, `/dev/stdout`, FIFO, directory, two outputs one file (also hard "
        "links), mode kept, umask, stale part files",
        ["test_batch_outputs.py"],
        "devices never replaced, exit 2 for the same file twice",
    ),
    (
        "encodings: UTF-8 + Shift_JIS mixed either way, UTF-8 only after the first megabyte of "
        "Shift_JIS, a bad byte past the first megabyte, `--encoding`, re-run on own output",
        ["test_batch_encodings.py"],
        "error naming line and byte",
    ),
    (
        "inputs: bad GeoJSON geometries, 100,000 deep, `--encoding rot13`, chart sheet, FIFO, "
        "`<(…)`, FIFO as boundary data, U+2028 in `map --table`, trajectory below float resolution",
        ["test_batch_hostile_inputs.py"],
        "read as streams, or a row error / message",
    ),
    (
        'CRS: a GeoParquet in the Tokyo datum (EPSG:4301) within ~600 m of the limit (about 490 points; taken as WGS84, a fifth or more get the wrong verdict), GeoPackage and Shapefile input in EPSG:4301, a CSV with `--crs EPSG:4301` and `--crs EPSG:3857` (bad cells too), GeoJSON `crs` members (EPSG:4301, EPSG:3857, CRS84), GeoParquet without `crs` and with `crs: null`, unknown, linked or geocentric CRSs, an unknown or contradicting `--crs`, points a projection cannot hold; `--boundaries` GeoPackage, Shapefile and GeoParquet in EPSG:4301, EPSG:3857 GeoPackages, a Shapefile without `.prj`; a polygon drawn from 170°E to −170°; a GeoDataFrame in EPSG:4301 given to `check_many`',
        ["test_crs.py"],
        'the WGS84 verdicts; exit 2 naming the file, the CRS found and the fix; the Mediterranean stays outside and the cut at 180° is no limit; the CRS read in the answer',
    ),
    (
        "damaged data: every registry file corrupted, truncated, deleted, mtime-restored; manifest "
        "pointing at the display layer; Okushiri moved; launch tables; non-UTF-8 registry; "
        "unreadable zones; a hostile gazetteer row (shown literally in the terminal and the page)",
        ["test_data_damage.py"],
        "exit 3 naming the file, never an answer; hostile text never obeyed",
    ),
    (
        "the machine: a full disk (tmpfs), `/dev/full` as output and as standard output, read-only "
        "output, cache and state folders, kill -9 at random moments, SIGTERM during a Parquet run, "
        "the Dask scheduler lost mid-run",
        ["test_reliability_system.py"],
        "one-line message, no partial output, the next run cleans up",
    ),
    (
        "`data download`: a partial folder, a trickling server, an endless response, a killed "
        "download's folder",
        [
            "test_download.py::test_a_partial_directory_is_never_a_set",
            "test_download.py::test_trickling_server_hits_the_total_deadline",
            "test_download.py::test_endless_response_hits_the_size_cap",
            "test_download.py::test_a_killed_downloads_partial_folder_is_removed",
        ],
        "total deadline, size cap, nothing left",
    ),
]
FILES = sorted({sel.split("::")[0] for _, sels, _ in ROWS for sel in sels})


def collected_ids() -> list[str]:
    """Every case of the reliability files, as a plain run collects them (a subprocess: this
    run's own items may be a selection, -k or -m)."""
    r = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "-n", "0",
         *[f"tests/{f}" for f in FILES]],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    return [ln.split("tests/", 1)[-1] for ln in r.stdout.splitlines() if "::" in ln]


def render(ids: list[str]) -> str:
    import test_reliability as corpus

    lines = ["| class | cases | what is asserted |", "|---|---|---|"]
    total = 0
    for n, (label, selectors, asserted) in enumerate(ROWS):
        if n == 0:
            cases = corpus.ATTACKS
            assert cases % len(corpus.CORPUS) == 0
            shown = f"{len(corpus.CORPUS)} × {cases // len(corpus.CORPUS)} = {cases}"
        else:
            cases = sum(_cases(i) for i in ids if any(_matches(i, s) for s in selectors))
            shown = f"{cases:,}"
        total += cases
        lines.append(f"| {label} | {shown} | {asserted} |")
    lines.append(f"| **all** | **{total:,}** | every case handled |")
    return "\n".join(lines) + "\n"


def _cases(node: str) -> int:
    """1 per collected item; a hypothesis test counts its examples (its module's SETTINGS)."""
    import importlib

    file, name = node.split("::")[0], node.split("::")[1].split("[")[0]
    module = importlib.import_module(file[: -len(".py")])
    if hasattr(getattr(module, name, None), "hypothesis") and hasattr(module, "SETTINGS"):
        return int(module.SETTINGS.max_examples)
    return 1


def _matches(node: str, selector: str) -> bool:
    if "::" in selector:
        return node == selector or node.startswith(selector + "[")
    return node.startswith(selector + "::")


@pytest.mark.slow
def test_the_readme_table_counts_the_suite() -> None:
    ids = collected_ids()
    for _, selectors, _ in ROWS:
        for s in selectors:
            assert any(_matches(i, s) for i in ids), f"no test collected for {s}"
    table = render(ids)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert table in readme, "README's reliability table should be:\n" + table
