"""Tests of ``eezcheck batch`` through click's CliRunner, and real subprocesses for piping and
for interrupting a run (SIGTERM, SIGINT) half way.

Synthetic square-island boundaries (``fixtures.synthetic``) unless the real data is needed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from eezcheck.cli.batch import EPILOG
from eezcheck.cli.main import cli

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
CNS = SHARED / "events" / "cns_missile_tests.csv"
EEZCHECK = [sys.executable, "-m", "eezcheck"]

CSV_IN = "name,lat,lon\na,28,138\nb,28,147\nc,x,1\nd,33,144.5\n"


def run(runner: CliRunner, *args: str, input: bytes | str | None = None):
    return runner.invoke(cli, ["batch", *args], input=input)


def rows_of(text: str, delimiter: str = ",") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def test_file_to_file_with_summary(runner, square, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text(CSV_IN, encoding="utf-8")
    out = tmp_path / "out.csv"
    res = run(
        runner,
        str(src),
        "-o",
        str(out),
        "--boundaries",
        square,
        "--summary-json",
        str(tmp_path / "s.json"),
    )
    assert res.exit_code == 0, res.output
    assert res.stdout == ""
    err = res.stderr.splitlines()
    assert err[0] == "read: CSV, UTF-8, 3 columns"
    assert err[1] == "impact point: latitude 'lat', longitude 'lon'"
    assert err[2].startswith(
        f"4 rows: 1 inside, 1 outside, 1 disputed, 0 uncertain, 1 error -> {out} ("
    )
    assert err[3].startswith("  row 3: cannot read coordinates")
    rows = rows_of(out.read_text(encoding="utf-8"))
    assert [r["name"] for r in rows] == ["a", "b", "c", "d"]
    assert [r["japan_eez"] for r in rows] == ["inside", "outside", "", "disputed"]
    summary = json.loads((tmp_path / "s.json").read_text())
    assert (summary["rows"], summary["inside"], summary["errors"]) == (4, 1, 1)
    assert summary["first_errors"][0]["row"] == 3
    assert "checking" not in res.stderr  # no progress bar when stderr is not a terminal


def test_stdin_to_stdout(runner, square):
    res = run(runner, "-", "-o", "-", "--boundaries", square, "--fields", "verdict", input=CSV_IN)
    assert res.exit_code == 0, res.output
    rows = rows_of(res.stdout)
    assert [r["japan_eez"] for r in rows] == ["inside", "outside", "", "disputed"]
    assert list(rows[0]) == [
        "name",
        "lat",
        "lon",
        "eezcheck.lat",
        "eezcheck.lon",
        "zone",
        "japan_eez",
        "japan_area",
        "warning",
        "error",
    ]
    assert [r["japan_area"] for r in rows] == ["eez", "outside", "", "disputed"]
    assert "4 rows:" in res.stderr and "-> standard output" in res.stderr


@pytest.mark.parametrize("fmt", ["tsv", "geojson", "parquet"])
def test_stdout_formats(runner, square, fmt):
    res = run(runner, "-", "-o", "-", "--format", fmt, "--boundaries", square, input=CSV_IN)
    assert res.exit_code == 0, res.output
    data = res.stdout_bytes
    if fmt == "tsv":
        assert [r["japan_eez"] for r in rows_of(data.decode(), "\t")][:2] == ["inside", "outside"]
    elif fmt == "geojson":
        assert len(json.loads(data)["features"]) == 4
    else:
        import pyarrow.parquet as pq

        assert pq.read_table(io.BytesIO(data)).column("japan_eez").to_pylist()[0] == "inside"


def test_stdin_excel_and_parquet_are_sniffed(runner, square, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["lat", "lon"])
    wb.active.append([28, 138])
    wb.save(tmp_path / "in.xlsx")
    res = run(
        runner, "-", "-o", "-", "--boundaries", square, input=(tmp_path / "in.xlsx").read_bytes()
    )
    assert res.exit_code == 0, res.output
    assert res.stderr.startswith("read: Excel sheet 'Sheet', 2 columns")
    assert rows_of(res.stdout)[0]["japan_eez"] == "inside"
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"lat": [28.0], "lon": [147.0]}), tmp_path / "in.parquet")
    res = run(
        runner, "-", "-o", "-", "--boundaries", square, input=(tmp_path / "in.parquet").read_bytes()
    )
    assert res.exit_code == 0, res.output
    assert res.stderr.startswith("read: Parquet, 1 rows, 2 columns")
    assert rows_of(res.stdout)[0]["japan_eez"] == "outside"


def test_shift_jis_from_stdin(runner, square):
    data = "地点,緯度,経度\n八丈島沖,28,138\n".encode("cp932")
    res = run(runner, "-", "-o", "-", "--boundaries", square, input=data)
    assert res.exit_code == 0, res.output
    assert res.stderr.startswith("read: CSV, Shift_JIS (CP932), 3 columns")
    assert rows_of(res.stdout)[0]["地点"] == "八丈島沖"


def test_strict_exit_2_and_nothing_written(runner, square, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text(CSV_IN, encoding="utf-8")
    res = run(runner, str(src), "-o", str(tmp_path / "out.csv"), "--boundaries", square, "--strict")
    assert res.exit_code == 2
    assert "Error: row 3: cannot read coordinates" in res.stderr
    assert "nothing was written" in res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]
    res = run(runner, "-", "-o", "-", "--boundaries", square, "--strict", input=CSV_IN)
    assert res.exit_code == 2 and res.stdout == ""


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["missing.csv", "-o", "out.csv"], 1, "Error: input 'missing.csv' does not exist"),
        (
            ["in.csv", "-o", "in.csv"],
            1,
            "Error: output 'in.csv' exists; use --overwrite to replace it",
        ),
        (["in.csv", "-o", "out.xyz"], 1, "cannot tell the output format of 'out.xyz'"),
        (
            ["in.csv", "-o", "out.csv", "--fields", "nope"],
            2,
            "Error: unknown field 'nope' in --fields",
        ),
        (
            ["in.csv", "-o", "out.csv", "--lat-col", "nope"],
            1,
            "Error: column 'nope' (given for lat) is not in the table",
        ),
        (
            ["in.csv", "-o", "out.csv", "--scheduler", "tcp://x:1"],
            2,
            "--scheduler needs --engine dask",
        ),
        (["in.csv", "-o", "-", "--summary-json", "-"], 2, "would both write to standard output"),
        (["in.csv"], 2, "Missing option '-o'"),
        (
            ["bad.csv", "-o", "out.csv"],
            1,
            "cannot find the point to check among the columns ['a', 'b']",
        ),
        (["in.csv", "-o", "out.csv", "--encoding", "nope"], 1, "Error: unknown encoding 'nope'"),
    ],
)
def test_errors_and_exit_codes(runner, square, tmp_path, monkeypatch, args, code, message):
    monkeypatch.chdir(tmp_path)
    Path("in.csv").write_text(CSV_IN, encoding="utf-8")
    Path("bad.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    res = run(runner, *args, "--boundaries", square)
    assert res.exit_code == code, res.output
    assert message in res.stderr
    assert not Path("out.csv").exists()
    assert "Traceback" not in res.output


def test_overwrite(runner, square, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text(CSV_IN, encoding="utf-8")
    out = tmp_path / "out.csv"
    out.write_text("old")
    assert run(runner, str(src), "-o", str(out), "--boundaries", square).exit_code == 1
    assert out.read_text() == "old"
    assert (
        run(runner, str(src), "-o", str(out), "--boundaries", square, "--overwrite").exit_code == 0
    )
    assert rows_of(out.read_text())[0]["japan_eez"] == "inside"


def test_column_overrides(runner, square, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("p,q,where\n28,138,x\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    res = run(
        runner, str(src), "-o", str(out), "--boundaries", square, "--lat-col", "p", "--lon-col", "q"
    )
    assert res.exit_code == 0, res.output
    assert (
        "impact point: latitude 'p', longitude 'q'; where empty: wording/coordinates text 'where'"
        in res.stderr
    )
    assert rows_of(out.read_text())[0]["japan_eez"] == "inside"


def test_uncertainty_option(runner, square):
    res = run(runner, "-", "-o", "-", "--boundaries", square, "--uncertainty-km", "300", "--fields", "zones",
              input="lat,lon\n28,143.5\n")  # fmt: skip
    assert res.exit_code == 0, res.output
    row = rows_of(res.stdout)[0]
    assert row["japan_eez"] == "uncertain" and row["uncertainty_km"] == "300"


def test_map_option(runner, tmp_path):
    if not CNS.exists():
        pytest.skip("CNS table not found")
    try:
        from eezcheck import mapping

        mapping.leaflet_assets()
    except Exception as exc:  # noqa: BLE001 - maps are an optional extra
        pytest.skip(f"maps not available: {exc}")
    out, html = tmp_path / "out.csv", tmp_path / "map.html"
    res = run(runner, str(CNS), "-o", str(out), "--map", str(html), "--fields", "verdict")
    assert res.exit_code == 0, res.output
    assert html.exists() and "leaflet" in html.read_text(encoding="utf-8").lower()
    assert f"map: {html} (260 events drawn)" in res.stderr


def test_map_path_refused_before_running(runner, square, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text(CSV_IN, encoding="utf-8")
    (tmp_path / "map.html").write_text("old")
    res = run(
        runner,
        str(src),
        "-o",
        str(tmp_path / "out.csv"),
        "--map",
        str(tmp_path / "map.html"),
        "--boundaries",
        square,
    )
    assert res.exit_code == 1 and "map.html' exists" in res.stderr
    assert not (tmp_path / "out.csv").exists()


def test_cns_without_flags(runner, tmp_path):
    if not CNS.exists():
        pytest.skip("CNS table not found")
    out = tmp_path / "cns.csv"
    res = run(runner, str(CNS), "-o", str(out))
    assert res.exit_code == 0, res.output
    lines = res.stderr.splitlines()
    shown = EPILOG.split("$ eezcheck batch cns_missile_tests.csv -o checked.csv\n")[1].splitlines()
    assert lines[:3] == [s.strip() for s in shown[:3]]  # the help example is real output
    assert lines[3].startswith("339 rows: ") and " 79 errors -> " in lines[3]
    # the counts in the help are those of the embedded data (update the help when it changes)
    assert lines[3].split(" -> ")[0] == shown[3].strip().split(" -> ")[0]
    assert len(rows_of(out.read_text(encoding="utf-8"))) == 339


def test_help_lists_options_and_examples(runner):
    res = runner.invoke(cli, ["batch", "--help"])
    assert res.exit_code == 0
    for opt in ("--lat-col", "--lon-col", "--where-col", "--from-col", "--range-col", "--bearing-col",
                "--uncertainty-col", "--uncertainty-km", "--fields", "--strict", "--overwrite",
                "--summary-json", "--map", "--engine", "--scheduler", "--format", "--encoding"):  # fmt: skip
        assert opt in res.stdout
    assert "$ eezcheck batch cns_missile_tests.csv -o checked.csv" in res.stdout
    assert "Exit codes: 0 the run completed" in res.stdout


# --------------------------------------------------------------------------- real processes


def _big_csv(path: Path, n: int) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("id,lat,lon\n")
        for i in range(n):
            fh.write(f"{i},{25 + (i % 1000) * 0.01:.2f},{136 + (i % 997) * 0.01:.2f}\n")
    return path


def test_pipe_through_the_installed_command(square, tmp_path):
    proc = subprocess.run(
        [*EEZCHECK, "batch", "-", "-o", "-", "--boundaries", square, "--fields", "verdict"],
        input=CSV_IN.encode(), capture_output=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr.decode()
    assert [r["japan_eez"] for r in rows_of(proc.stdout.decode())] == [
        "inside",
        "outside",
        "",
        "disputed",
    ]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_interrupted_run_leaves_no_output(square, tmp_path, sig):
    src = _big_csv(tmp_path / "in.csv", 400_000)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "out.csv"
    proc = subprocess.Popen(
        [*EEZCHECK, "batch", str(src), "-o", str(out), "--boundaries", square, "--chunk-mb", "0.2",
         "--fields", "all"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.time() + 60
    while time.time() < deadline and not any(out_dir.iterdir()):
        time.sleep(0.05)
    # freeze the run the moment it has started writing, so that it cannot finish between this
    # check and the signal however loaded the machine is; the signal is handled when it resumes
    proc.send_signal(signal.SIGSTOP)
    assert any(out_dir.iterdir()), "the run never started writing"
    assert proc.poll() is None, "the run finished before it could be interrupted"
    proc.send_signal(sig)
    proc.send_signal(signal.SIGCONT)
    proc.wait(timeout=60)
    assert proc.returncode != 0
    assert list(out_dir.iterdir()) == []  # no output and no temporary file
    assert b"Traceback" not in proc.stderr.read()


def test_progress_bar_only_on_a_terminal(square, tmp_path):
    import pty

    src = _big_csv(tmp_path / "in.csv", 2000)
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [*EEZCHECK, "batch", str(src), "-o", str(tmp_path / "o.csv"), "--boundaries", square, "--chunk-mb", "0.01",
         "--fields", "verdict"],
        stdout=subprocess.PIPE, stderr=slave,
    )  # fmt: skip
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(master)
    assert proc.returncode == 0
    assert b"checking" in b"".join(chunks)
