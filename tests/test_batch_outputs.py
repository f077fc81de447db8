"""Outputs of one run (issue 11, item 3): devices and FIFOs are streams, never replaced; two
outputs of one run may not be the same file; a replaced file keeps its mode and a new one
honours the umask; part files a killed run left are removed by the next run to that output."""

from __future__ import annotations

import csv
import io
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from fixtures import synthetic as S

from eezcheck.batch import io as bio
from eezcheck.batch import run_batch
from eezcheck.cli.main import cli
from eezcheck.errors import FileOverwriteError

TABLE = "id,lat,lon\n1,30.5,140.5\n2,28,147\n"


@pytest.fixture(scope="module")
def square(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(S.make_user_dataset(tmp_path_factory.mktemp("square") / "set"))


@pytest.fixture
def table(tmp_path: Path) -> Path:
    p = tmp_path / "in.csv"
    p.write_text(TABLE, encoding="utf-8")
    return p


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_dev_null_is_written_as_a_stream_and_stays_a_device(square, table):
    assert bio.output_kind("/dev/null") == "stream"  # before anything is written
    before = os.stat("/dev/null")
    r = CliRunner().invoke(cli, ["batch", str(table), "-o", "/dev/null", "--overwrite",
                                 "--boundaries", square])  # fmt: skip
    assert r.exit_code == 0, r.output
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_fifo_output_is_a_stream(tmp_path, square, table):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    run_batch(str(table), str(fifo), boundaries=square, overwrite=True)
    reader.join(30)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert [r["id"] for r in _rows(got[0].decode())] == ["1", "2"]


def test_dev_stdout_is_standard_output(tmp_path, square, table):
    """``-o /dev/stdout`` is ``-o -``, also when standard output is a file (never replaced)."""
    out = tmp_path / "captured.csv"
    with open(out, "wb") as fh:
        r = subprocess.run(
            [sys.executable, "-m", "eezcheck", "batch", str(table), "-o", "/dev/stdout",
             "--boundaries", square],
            stdout=fh, stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": os.getcwd()},
            timeout=120,
        )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert [row["id"] for row in _rows(out.read_text(encoding="utf-8"))] == ["1", "2"]


def test_directory_output_is_refused(tmp_path, square, table):
    with pytest.raises(FileOverwriteError, match="is a directory"):
        run_batch(str(table), str(tmp_path), boundaries=square, overwrite=True)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "{d}/out.csv", "--summary-json", "{d}/out.csv"], "are the same file"),
        (["-o", "{d}/out.csv", "--map", "{d}/out.csv"], "are the same file"),
        (["-o", "{d}/out.csv", "--summary-json", "{d}/./sub/../out.csv"], "are the same file"),
        (["-o", "-", "--summary-json", "/dev/stdout"], "would both write to standard output"),
    ],
)
def test_two_outputs_of_one_run_cannot_be_one_file(tmp_path, square, table, args, message):
    (tmp_path / "sub").mkdir()
    argv = ["batch", str(table), *[a.format(d=tmp_path) for a in args], "--boundaries", square]
    r = CliRunner().invoke(cli, argv)
    assert r.exit_code == 2 and message in r.output, r.output
    assert not (tmp_path / "out.csv").exists()


def test_hard_linked_outputs_are_refused(tmp_path, square, table):
    a, b = tmp_path / "a.csv", tmp_path / "b.json"
    a.write_text("keep\n")
    os.link(a, b)
    r = CliRunner().invoke(cli, ["batch", str(table), "-o", str(a), "--summary-json", str(b),
                                 "--overwrite", "--boundaries", square])  # fmt: skip
    assert r.exit_code != 0 and "hard links" in r.output
    assert a.read_text() == "keep\n"


def test_replaced_file_keeps_its_mode(tmp_path, square, table):
    out = tmp_path / "out.csv"
    out.write_text("old\n")
    os.chmod(out, 0o600)
    run_batch(str(table), str(out), boundaries=square, overwrite=True)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert _rows(out.read_text())[0]["id"] == "1"


def test_new_file_honours_the_umask(tmp_path, square, table):
    out = tmp_path / "out.csv"
    code = (
        "import os, sys; os.umask(0o077); from eezcheck.batch import run_batch; "
        f"run_batch({str(table)!r}, {str(out)!r}, boundaries={square!r})"
    )
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=120)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_stale_part_files_are_removed_by_the_next_run(tmp_path, square, table):
    out = tmp_path / "out.csv"
    stale = tmp_path / ".out.csv.abc123.eezcheck-part"  # what kill -9 left
    stale.write_bytes(b"x" * 1000)
    other = tmp_path / ".other.csv.abc123.eezcheck-part"  # another output's: not ours to touch
    other.write_bytes(b"y")
    notes: list[str] = []
    run_batch(str(table), str(out), boundaries=square, on_info=notes.append)
    assert not stale.exists() and other.exists()
    assert any("left by an interrupted run" in n for n in notes)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [".other.csv.abc123.eezcheck-part", "in.csv", "out.csv"]
    )


def test_part_file_of_a_live_run_is_kept(tmp_path):
    out = tmp_path / "out.csv"
    live = bio.AtomicOutput(str(out))
    try:
        assert bio.clean_stale_parts(out) == []
        assert os.path.exists(live.tmp)
    finally:
        live.discard()
