"""The machine against the run (issue 11, items 8-10): a full disk, a full device, a read-only
output, cache or state folder, kill -9 at random moments of a batch run.

Each ends with a one-line message and the contract's exit code (never a traceback), no partial
output at the target, and nothing a later run trips over. A full disk is a 64 kB tmpfs: mounted
when the tests run as root (skipped cleanly where mounting is not allowed); a read-only folder
is a read-only tmpfs as root (root writes through mode 0555), else a folder of mode 0555.
"""

from __future__ import annotations

import csv
import logging
import os
import random
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from eezcheck.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def tmpfs(path: Path, options: str) -> Iterator[Path]:
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({r.stderr.decode(errors='replace').strip()})")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


@contextmanager
def read_only_folder(path: Path) -> Iterator[Path]:
    if os.geteuid() == 0:
        with tmpfs(path, "ro,size=64k") as p:
            yield p
        return
    path.mkdir(parents=True)
    path.chmod(0o555)
    try:
        yield path
    finally:
        path.chmod(0o755)


def table(path: Path, rows: int, seed: int = 1) -> Path:
    rng = random.Random(seed)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "lat", "lon", "note"])
        for i in range(rows):
            w.writerow([f"n{i}", f"{29 + 3 * rng.random():.4f}", f"{139 + 3 * rng.random():.4f}", "x" * 50])
    return path


def one_line_error(r, start: str) -> None:
    assert r.stderr.splitlines()[-1].startswith(start), r.stderr
    assert "Traceback" not in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)


WHY_FULL = "No space left on device; the disk is full: free some space"
FULL = f"Error: Cannot write the output: {WHY_FULL}"


def test_batch_to_a_full_disk(tmp_path, square):
    src = table(tmp_path / "in.csv", 400)
    with tmpfs(tmp_path / "disk", "size=64k") as disk:
        r = CliRunner().invoke(cli, ["batch", str(src), "-o", str(disk / "out.csv"), "--boundaries", square])
        assert r.exit_code == 1
        one_line_error(r, f"Error: Cannot write '{disk / 'out.csv'}': {WHY_FULL}")  # write(), not open(), failed
        assert list(disk.iterdir()) == []  # no output, no part file


@pytest.mark.parametrize("fmt", ["csv", "parquet", "geojson"])
def test_batch_to_dev_full(tmp_path, square, fmt):
    src = table(tmp_path / "in.csv", 400)
    r = CliRunner().invoke(cli, ["batch", str(src), "-o", "/dev/full", "--format", fmt, "--boundaries", square])
    assert r.exit_code == 1, r.output
    one_line_error(r, f"Error: Cannot write '/dev/full': {WHY_FULL}")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)  # the device is still a device


def test_check_json_to_a_full_standard_output(square):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open("/dev/full", "w") as full:
        r = subprocess.run(
            [sys.executable, "-m", "eezcheck", "check", "30.5", "140.5", "--json", "--boundaries", square],
            stdout=full, stderr=subprocess.PIPE, text=True, env=env, timeout=120,
        )  # fmt: skip
    assert r.returncode == 1
    assert r.stderr.startswith(FULL) and "Traceback" not in r.stderr and len(r.stderr.splitlines()) == 1


def test_read_only_output_folder(tmp_path, square):
    src = table(tmp_path / "in.csv", 10)
    with read_only_folder(tmp_path / "ro") as ro:
        for args in (
            ["batch", str(src), "-o", str(ro / "out.csv"), "--boundaries", square],
            ["map", "30.5", "140.5", "-o", str(ro / "m.html"), "--boundaries", square],
        ):
            r = CliRunner().invoke(cli, args)
            assert r.exit_code == 1, r.output
            why = "Read-only file system" if os.geteuid() == 0 else "Permission denied"
            one_line_error(r, f"Error: Cannot write '{ro}/")
            assert why in r.stderr
        assert list(ro.iterdir()) == []


def test_read_only_cache_folder_download(tmp_path, monkeypatch):
    with read_only_folder(tmp_path / "ro") as ro:
        monkeypatch.setenv("EEZCHECK_CACHE_DIR", str(ro / "cache"))
        r = CliRunner().invoke(cli, ["data", "download", "--url-base", "http://127.0.0.1:9/wfs", "--timeout", "2"])
        assert r.exit_code == 1, r.output
        one_line_error(r, f"Error: Cannot write '{ro / 'cache'}'")


def test_read_only_state_folder_still_answers_with_a_warning(tmp_path, monkeypatch, square_boundaries, caplog):
    """The state folder keeps the classification grid: unwritable, the grid is built each run
    (the same answers) and a warning says why that run was slower."""
    from eezcheck.zones import Classifier

    rng = np.random.default_rng(3)
    x, y = rng.uniform(139, 142, 20_000), rng.uniform(29, 32, 20_000)
    with read_only_folder(tmp_path / "ro") as ro:
        monkeypatch.setenv("EEZCHECK_STATE_DIR", str(ro / "state"))
        with caplog.at_level(logging.WARNING, logger="eezcheck"):
            grid = Classifier(square_boundaries).classify(x, y, use_grid=True)
        exact = Classifier(square_boundaries).classify(x, y, use_grid=False)
        assert np.array_equal(grid.zone_code, exact.zone_code) and np.array_equal(grid.japan_code, exact.japan_code)
        assert np.array_equal(grid.area_index, exact.area_index)
        assert any("was not saved in the state folder" in m for m in caplog.messages), caplog.messages
        assert list(ro.iterdir()) == []


@pytest.mark.slow
def test_kill_9_at_random_moments_leaves_no_partial_output(tmp_path, square):
    """kill -9 at seeded random moments of a batch run: the target is never a partial file;
    the part file left is removed by the next run to the same output, which is complete."""
    src = table(tmp_path / "in.csv", 30_000)
    out = tmp_path / "out.csv"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "eezcheck", "batch", str(src), "-o", str(out), "--boundaries", square,
           "--chunk-mb", "0.2", "--overwrite"]  # fmt: skip
    rng = random.Random(11)
    killed = 0
    for attempt in range(4):
        p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        started = time.monotonic()
        # wait until the run has its part file, then a random moment more; the last run is
        # killed as soon as its part file exists (a run that finishes removes the parts an
        # earlier kill left, so only a kill at the end leaves one for the next run to clean)
        while not list(tmp_path.glob(".out.csv.*.eezcheck-part")) and p.poll() is None:
            if time.monotonic() - started > 120:
                break
            time.sleep(0.02)
        last = attempt == 3
        time.sleep(0.0 if last else rng.uniform(0.0, 1.5))
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
            killed += 1
        elif last:
            pytest.fail("the last run finished before it could be killed: the table is too small")
        p.wait(timeout=60)
        p.stderr.close()
        if out.exists():  # only ever a complete output (from a run that finished)
            assert sum(1 for _ in open(out, encoding="utf-8")) == 30_001
    assert killed >= 1
    assert list(tmp_path.glob(".out.csv.*.eezcheck-part"))  # what kill -9 leaves ...
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "a part file left by an interrupted run" in r.stderr
    assert not list(tmp_path.glob(".out.csv.*.eezcheck-part"))  # ... the next run removes
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [row["name"] for row in rows] == [f"n{i}" for i in range(30_000)]


def _wait_for_part(folder: Path, p: subprocess.Popen, limit_s: float = 120) -> None:
    started = time.monotonic()
    while not list(folder.glob(".*.eezcheck-part")) and p.poll() is None:
        assert time.monotonic() - started < limit_s, "the run never started writing"
        time.sleep(0.02)


@pytest.mark.slow
def test_sigterm_during_a_parquet_run_is_quiet(tmp_path, square):
    """SIGTERM while Parquet row groups are written: exit 143, nothing at the target, no part
    file, and no "Exception ignored in: ParquetWriter.__del__ ... write to closed file"."""
    src = table(tmp_path / "in.csv", 30_000)
    out = tmp_path / "out.parquet"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "eezcheck", "batch", str(src), "-o", str(out), "--boundaries", square,
           "--chunk-mb", "0.2"]  # fmt: skip
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _wait_for_part(tmp_path, p)
    time.sleep(0.5)
    p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=120)
    if p.returncode == 0:
        pytest.skip("the run finished before SIGTERM arrived")
    assert p.returncode == 143, err
    assert "Exception ignored" not in err and "Traceback" not in err, err
    assert not out.exists() and not list(tmp_path.glob(".*.eezcheck-part"))


@pytest.mark.slow
def test_dask_scheduler_lost_mid_run_is_a_message(tmp_path, square):
    """The scheduler killed while its worker checks the pieces: one line, exit 1, no output."""
    pytest.importorskip("distributed")
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "3s"}
    py_m = [sys.executable, "-m"]
    sched = subprocess.Popen([*py_m, "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", str(port),
                              "--no-dashboard"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    worker = None
    try:
        worker = subprocess.Popen([*py_m, "distributed.cli.dask_worker", address, "--nthreads", "1",
                                   "--no-dashboard"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        started = time.monotonic()
        while True:  # the scheduler listens
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert time.monotonic() - started < 120, "the scheduler did not start"
            time.sleep(0.1)
        src = table(tmp_path / "in.csv", 30_000)
        out, log = tmp_path / "out.csv", tmp_path / "stderr.txt"
        cmd = [sys.executable, "-m", "eezcheck", "batch", str(src), "-o", str(out), "--boundaries", square,
               "--engine", "dask", "--scheduler", address, "--chunk-mb", "0.1"]  # fmt: skip
        with open(log, "w") as fh:
            p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=fh)
            while "dask: " not in log.read_text() and p.poll() is None:  # connected, pieces sent
                assert time.monotonic() - started < 240, log.read_text()
                time.sleep(0.1)
            time.sleep(1.0)
            sched.kill()
            p.wait(timeout=180)
        err = log.read_text()
        if p.returncode == 0:
            pytest.skip("the run finished before the scheduler was killed")
        assert p.returncode == 1, err
        assert err.splitlines()[-1].startswith(f"Error: the Dask scheduler '{address}' was lost during the run"), err
        assert "Traceback" not in err, err
        assert not out.exists() and not list(tmp_path.glob(".*.eezcheck-part"))
    finally:
        for proc in (worker, sched):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait(timeout=30)
