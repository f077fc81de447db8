"""The Dask engine gives byte-identical output to the local engine, on a real
``dask.distributed.LocalCluster`` of 2 worker processes, and loads the boundary data once per
worker (a WorkerPlugin ships the files; tasks carry only a key).

These tests start worker processes: marked ``slow`` (the whole file takes well under a minute).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from eezcheck.batch import run_batch

pytestmark = pytest.mark.slow

distributed = pytest.importorskip("distributed")
pytest.importorskip("dask")

POINTS = [
    ("30.5", "140.5"),
    ("30.5", "139.9"),
    ("28", "138"),
    ("28", "147"),
    ("33", "144.5"),
    ("26", "136"),
]


@pytest.fixture(scope="module")
def cluster():
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as c,
        distributed.Client(c) as client,
    ):
        yield c.scheduler_address, client


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3,000 rows with good points, junk, quoted newlines and ragged rows."""
    path = tmp_path_factory.mktemp("in") / "in.csv"
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["id", "lat", "lon", "note", "range_km", "apogee_km"])
    for i in range(3000):
        lat, lon = POINTS[i % len(POINTS)]
        note = 'a "quoted",\nmulti-line note' if i % 13 == 0 else f"n{i}"
        row = [
            str(i),
            lat if i % 17 else "junk",
            lon,
            note,
            str(300 + i % 700),
            "" if i % 3 else "600",
        ]
        if i % 101 == 0:
            row.append("extra field")
        w.writerow(row)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["csv", "geojson", "parquet"])
def test_dask_output_is_byte_identical(cluster, square, table, tmp_path, fmt):
    address, _ = cluster
    local, remote = tmp_path / f"local.{fmt}", tmp_path / f"dask.{fmt}"
    s1 = run_batch(str(table), str(local), boundaries=square, range_bytes=20_000)
    s2 = run_batch(
        str(table),
        str(remote),
        boundaries=square,
        range_bytes=20_000,
        engine="dask",
        scheduler=address,
    )
    assert s2.engine["workers"] == 2 and s2.engine["workers_read_input"] is True
    assert local.read_bytes() == remote.read_bytes()
    assert s1.rows == s2.rows == 3000
    assert (s1.verdicts, s1.errors, s1.first_errors) == (s2.verdicts, s2.errors, s2.first_errors)
    assert s1.errors > 0


def test_boundaries_loaded_once_per_worker(cluster, square, table, tmp_path):
    address, client = cluster
    for i in range(2):
        run_batch(str(table), str(tmp_path / f"o{i}.csv"), boundaries=square, range_bytes=10_000,
                  engine="dask", scheduler=address, fields="verdict")  # fmt: skip

    def loads() -> dict[str, int]:
        from eezcheck.batch import dask_engine

        return dict(dask_engine.LOADS)

    per_worker = client.run(loads)
    assert len(per_worker) == 2
    for counts in per_worker.values():
        assert counts and all(n == 1 for n in counts.values())


def test_client_read_inputs_are_identical(cluster, square, tmp_path):
    """Excel (read by the client, pieces sent to the workers) gives the same bytes too."""
    import openpyxl

    address, _ = cluster
    wb = openpyxl.Workbook()
    wb.active.append(["id", "lat", "lon"])
    for i in range(500):
        lat, lon = POINTS[i % len(POINTS)]
        wb.active.append([i, float(lat), lon if i % 7 else "bad"])
    src = tmp_path / "in.xlsx"
    wb.save(src)
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    run_batch(str(src), str(a), boundaries=square, chunk_rows=64)
    s = run_batch(
        str(src), str(b), boundaries=square, chunk_rows=64, engine="dask", scheduler=address
    )
    assert s.engine["workers_read_input"] is False
    assert a.read_bytes() == b.read_bytes()


def test_cli_engine_dask_with_its_own_local_cluster(square, table, tmp_path):
    from click.testing import CliRunner

    from eezcheck.cli.main import cli

    out_local, out_dask = tmp_path / "l.csv", tmp_path / "d.csv"
    r1 = CliRunner().invoke(
        cli,
        ["batch", str(table), "-o", str(out_local), "--boundaries", square, "--chunk-mb", "0.05"],
    )
    r2 = CliRunner().invoke(cli, ["batch", str(table), "-o", str(out_dask), "--boundaries", square, "--chunk-mb", "0.05",
                                  "--engine", "dask", "--workers", "2"])  # fmt: skip
    assert r1.exit_code == 0 and r2.exit_code == 0, r2.output
    assert "dask: 2 workers at tcp://" in r2.stderr
    assert out_local.read_bytes() == out_dask.read_bytes()


def test_dask_partitions_never_cut_a_record(cluster, square, tmp_path):
    """Issue 11 item 2: a stray quote in an unquoted cell before quoted multi-line cells."""
    address, _ = cluster
    src, out = tmp_path / "stray.csv", tmp_path / "out.csv"
    lines = ["name,lat,lon,notes", "a,30.5,140.5,height 5'3\" tall"]
    lines += [f"r{i},30.5,140.5," + ('"one\ntwo"' if i % 7 else "plain") for i in range(1, 3001)]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    s = run_batch(str(src), str(out), boundaries=square, range_bytes=10_000, fields="verdict",
                  engine="dask", scheduler=address)  # fmt: skip
    back = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert s.rows == len(back) == 3001
    assert [r["name"] for r in back] == ["a", *(f"r{i}" for i in range(1, 3001))]


def test_dask_batch_map_draws_the_rows(square, tmp_path):
    """--engine dask --map on a CSV (whose pieces the workers read): the map draws the rows."""
    from click.testing import CliRunner

    from eezcheck.cli.main import cli

    src = tmp_path / "d.csv"
    src.write_text("name,lat,lon\na,29.0,139.0\nb,30,150\nbad,30,150,3\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["batch", str(src), "-o", str(tmp_path / "o.csv"), "--map", str(tmp_path / "m.html"),
                                   "--boundaries", square, "--engine", "dask", "--workers", "1"])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "(2 events drawn)" in res.stderr, res.stderr
