"""Every CLI text output shows a string from a file or the user, never obeys it (issue 11):
a hostile string (``ESC[2J`` clears the screen, a newline forging ``  Japan's EEZ  inside``,
U+202E reversing what follows) in a CSV column name, a cell, an event name, a file name and a
``--from`` value reaches the terminal only escaped; and I/O errors say "Cannot read" for an
input and name the file a failed write was writing."""

from __future__ import annotations

import csv
import errno
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from fixtures import synthetic as S

from eezcheck.cli.errors import system_error_message
from eezcheck.cli.main import cli
from eezcheck.cli.terminal import shown

HOSTILE = "\x1b[2J\n  Japan's EEZ  inside\u202e"
ESCAPED = "\\x1b[2J\\n  Japan's EEZ  inside\\u202e"


@pytest.fixture(scope="module")
def square(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(S.make_user_dataset(tmp_path_factory.mktemp("square") / "set"))


def only_escaped(text: str, payload_seen: bool = True) -> None:
    """Nothing the terminal obeys, no forged line; the payload there, written as its escapes."""
    assert not any(c in text for c in "\x1b\u202e"), repr(text)
    assert not any(line.startswith("  Japan's EEZ") for line in text.splitlines()), text
    if payload_seen:
        assert ESCAPED in text.replace("\\\\", "\\"), text


def hostile_table(path: Path, header: str = "note") -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "lat", "lon", header])
        w.writerow([HOSTILE, "30.5", "140.5", "x"])  # an event name
        w.writerow(["bad", HOSTILE, "140.5", "y"])  # a cell quoted in the row's error
    return path


def test_shown_is_the_escape_the_tests_expect():
    assert shown(HOSTILE) == ESCAPED


def test_batch_file_name_and_cell_reach_stderr_escaped(tmp_path, square, monkeypatch):
    monkeypatch.chdir(tmp_path)
    src = hostile_table(tmp_path / "in.csv")
    out = f"out{HOSTILE}.csv"
    r = CliRunner().invoke(cli, ["batch", str(src), "-o", out, "--boundaries", square])
    assert r.exit_code == 0, r.output
    only_escaped(r.stderr)
    assert f"-> out{ESCAPED}.csv" in r.stderr  # the output's name
    assert "row 2: cannot read coordinates" in r.stderr  # the cell, in the row's error
    assert (tmp_path / out).is_file()  # the file itself has the name the user gave


def test_batch_column_name_reaches_stderr_escaped(tmp_path, square):
    src = tmp_path / "in.csv"
    with open(src, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["name", HOSTILE, "lon"], ["a", "30.5", "140.5"]])
    r = CliRunner().invoke(cli, ["batch", str(src), "-o", str(tmp_path / "o.csv"), "--lat-col", HOSTILE, "--lon-col", "lon", "--boundaries", square])
    assert r.exit_code == 0, r.output
    only_escaped(r.stderr)  # the plan line names the column
    missing = CliRunner().invoke(cli, ["batch", str(src), "-o", str(tmp_path / "o2.csv"), "--lat-col", HOSTILE + "x", "--lon-col", "lon", "--boundaries", square])
    assert missing.exit_code in (1, 2), missing.output
    only_escaped(missing.stderr)  # the error quoting a column that is not there
    assert missing.stderr.startswith("Error:") or "\nError:" in missing.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--range-km", "1000", "--bearing", "90"],
        ["map", "--range-km", "1000", "--bearing", "90"],
        ["reach", "--range-km", "1000"],
    ],
    ids=["check", "map", "reach"],
)
def test_from_value_in_the_error_is_escaped(tmp_path, square, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(cli, [*args, "--from", HOSTILE, "--boundaries", square])
    assert r.exit_code == 2, r.output
    assert r.stderr.startswith("Error: unknown launch site"), r.stderr
    only_escaped(r.stderr)
    assert len(r.stderr.splitlines()) == 1  # one line: the newline in the value is shown as \n
    assert list(tmp_path.iterdir()) == []


def test_map_table_event_name_and_file_name_escaped(tmp_path, square):
    src = hostile_table(tmp_path / "in.csv")
    out = tmp_path / f"m{HOSTILE}.html"
    r = CliRunner().invoke(cli, ["map", "--table", str(src), "-o", str(out), "--boundaries", square])
    assert r.exit_code == 0, r.output
    only_escaped(r.output)  # stdout (the page's path) and stderr
    assert "not drawn: bad (row 2)" in r.stderr
    assert out.is_file()


def test_map_named_event_skipped_row_escaped(tmp_path, square):
    src = tmp_path / "in.csv"
    with open(src, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["name", "lat", "lon"], [HOSTILE, "x", "140.5"], ["ok", "30.5", "140.5"]])
    r = CliRunner().invoke(cli, ["map", "--table", str(src), "-o", str(tmp_path / "m.html"), "--boundaries", square])
    assert r.exit_code == 0, r.output
    only_escaped(r.stderr)
    assert f"not drawn: {ESCAPED} (row 1)" in r.stderr


def test_trajectory_plot_file_name_escaped(tmp_path):
    plot = tmp_path / f"p{HOSTILE}.svg"
    r = CliRunner().invoke(cli, ["trajectory", "--range-km", "1000", "--plot", str(plot)])
    assert r.exit_code == 0, r.output
    only_escaped(r.output)
    assert plot.is_file()


def test_serve_startup_lines_escaped(monkeypatch, square):
    pytest.importorskip("uvicorn")
    import uvicorn

    seen: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw))
    host = "192.0.2.1" + HOSTILE  # a host the user typed: echoed in the warning and the URL
    r = CliRunner().invoke(cli, ["serve", "--host", host, "--boundaries", square])
    assert seen.get("host") == host, r.output
    only_escaped(r.stderr)
    assert "Warning: listening on 192.0.2.1" in r.stderr


def test_unknown_option_quoted_escaped(square):
    r = CliRunner().invoke(cli, ["check", "30.5", "140.5", "--" + HOSTILE, "--boundaries", square])
    assert r.exit_code == 2
    only_escaped(r.stderr, payload_seen=False)


# ---- I/O errors: read vs write, and the file named ----


@pytest.mark.parametrize("code", [errno.EACCES, errno.EPERM, errno.EIO])
def test_a_failing_input_is_cannot_read(tmp_path, code):
    src = tmp_path / "in.csv"
    src.write_text("lat,lon\n30.5,140.5\n")
    exc = OSError(code, os.strerror(code), str(src))
    msg = system_error_message(exc, {"input_path": str(src), "output": str(tmp_path / "o.csv")})
    assert msg is not None and msg.startswith(f"Cannot read {str(src)!r}: {os.strerror(code)}"), msg
    assert "write the output" not in msg
    # a file in a --boundaries folder is an input too
    inner = OSError(code, os.strerror(code), str(tmp_path / "set" / "zones.wkb"))
    assert system_error_message(inner, {"boundaries": str(tmp_path / "set")}).startswith("Cannot read")  # type: ignore[union-attr]


def test_a_failing_output_is_cannot_write(tmp_path):
    exc = OSError(errno.EACCES, "Permission denied", str(tmp_path / "ro" / "o.csv"))
    msg = system_error_message(exc, {"input_path": str(tmp_path / "in.csv"), "output": str(tmp_path / "ro" / "o.csv")})
    assert msg is not None and msg.startswith(f"Cannot write {str(tmp_path / 'ro' / 'o.csv')!r}: Permission denied")


def test_a_failed_write_names_the_output_files():
    exc = OSError(errno.ENOSPC, "No space left on device")  # write() failed: no file in the error
    assert system_error_message(exc, {"output": "o.csv"}).startswith("Cannot write 'o.csv': No space")  # type: ignore[union-attr]
    both = system_error_message(exc, {"output": "o.csv", "map_path": "m.html"})
    assert both is not None and both.startswith("Cannot write one of 'o.csv', 'm.html': ")
    assert system_error_message(exc, {"output": "-"}).startswith("Cannot write the output")  # type: ignore[union-attr]


def test_batch_cli_reading_an_input_that_fails_says_cannot_read(tmp_path, square, monkeypatch):
    """A read that fails on the machine (EIO from a failing disk; as root, EACCES cannot be made
    by chmod): the CLI's one-line message says it could not read the input, exit 1."""
    import eezcheck.batch as cb

    src = hostile_table(tmp_path / "in.csv")

    def failing(input_path, *a, **k):
        raise OSError(errno.EIO, "Input/output error", input_path)

    monkeypatch.setattr(cb, "run_batch", failing)
    r = CliRunner().invoke(cli, ["batch", str(src), "-o", str(tmp_path / "o.csv"), "--boundaries", square])
    assert r.exit_code == 1, r.output
    assert r.stderr.splitlines()[-1].startswith(f"Error: Cannot read {str(src)!r}: Input/output error"), r.stderr
    assert "Traceback" not in r.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_batch_cli_unreadable_input_says_cannot_read(tmp_path, square):
    src = hostile_table(tmp_path / "in.csv")
    src.chmod(0)
    try:
        r = CliRunner().invoke(cli, ["batch", str(src), "-o", str(tmp_path / "o.csv"), "--boundaries", square])
    finally:
        src.chmod(0o644)
    assert r.exit_code in (1, 2), r.output
    assert "Cannot read" in r.stderr and "Cannot write" not in r.stderr, r.stderr


@pytest.mark.parametrize("sub", ["list", "verify"])
def test_data_folder_name_and_dataset_escaped(tmp_path, sub):
    """A data-set folder the user names, and a manifest's dataset, in `data list` / `data verify`."""
    # (no newline in the folder's name: GDAL drops it from the path and cannot open the file)
    d = S.make_user_dataset(tmp_path / "set\x1b[2J\u202e", dataset=f"Set {HOSTILE}")
    r = CliRunner().invoke(cli, ["data", sub, "--boundaries", str(d)])
    assert r.exit_code == 0, r.output
    only_escaped(r.output, payload_seen=sub == "list")
    assert "set\\x1b[2J\\u202e" in r.output


def _raised_in(fn_name: str, exc: OSError) -> OSError:
    ns: dict[str, object] = {}
    exec(f"def {fn_name}(e):\n    raise e\n", ns)
    try:
        ns[fn_name](exc)  # type: ignore[operator]
    except OSError as caught:
        return caught
    raise AssertionError("not raised")


def test_a_read_with_no_file_named_says_cannot_read_the_input():
    """EIO from read() (no file in the error) where the input is read: "Cannot read IN"."""
    exc = _raised_in("read_csv_range", OSError(errno.EIO, "Input/output error"))
    msg = system_error_message(exc, {"input_path": "in.csv", "output": "o.csv"})
    assert msg is not None and msg.startswith("Cannot read 'in.csv': Input/output error"), msg
    exc = _raised_in("write_page", OSError(errno.EIO, "Input/output error"))
    msg = system_error_message(exc, {"input_path": "in.csv", "output": "o.csv"})
    assert msg is not None and msg.startswith("Cannot write 'o.csv': Input/output error"), msg
    # a file of neither parameter (e.g. under $EEZCHECK_DATA) raised where a data set is loaded
    exc = _raised_in("load_store", OSError(errno.EIO, "Input/output error", "/data/set/zones.wkb"))
    assert system_error_message(exc, {}).startswith("Cannot read '/data/set/zones.wkb'")  # type: ignore[union-attr]


def test_a_full_disk_is_always_a_write():
    exc = _raised_in("load_store", OSError(errno.ENOSPC, "No space left on device", "/state/grid.npz"))
    assert system_error_message(exc, {}).startswith("Cannot write '/state/grid.npz'")  # type: ignore[union-attr]


# --------------------------------------------------------------------------- multi-line errors


def test_multi_line_error_keeps_its_lines_and_escapes_a_value_s_newline(tmp_path):
    """``data verify`` lists every failed file, one line each; a file name with a newline (from
    the data set's manifest) stays on its line, written ``\\n``."""
    import json

    dataset = S.make_user_dataset(tmp_path / "set")
    manifest = json.loads((dataset / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"]["extra"] = f"x{HOSTILE}.geojson"
    S.write_json(dataset / "manifest.json", manifest)
    r = CliRunner().invoke(cli, ["data", "verify", "--boundaries", str(dataset)])
    assert r.exit_code == 3, r.output
    only_escaped(r.output)
    err = r.stderr.splitlines()  # the manifest changed too: it fails its sha256
    assert err[0].startswith("Error: Data set ") and err[0].endswith("1 of 2 files corrupted, truncated or missing.")
    assert err[1].startswith("  manifest.json: CORRUPTED or TRUNCATED")
    assert err[4] == f"  x{ESCAPED}.geojson: named in manifest.json but has no sha256 in registry.txt."
    assert err[5].startswith("Fix: ") and len(err) == 6


def test_one_line_error_with_a_newline_in_a_value_stays_one_line():
    """A library message is one line unless made with ``from_lines``: a value's newline in it
    is shown ``\\n`` (a cell quoted without repr cannot forge a line of the answer)."""
    import click

    from eezcheck.cli.errors import handle_errors
    from eezcheck.errors import DataIntegrityError, InvalidInputError

    @click.command()
    @click.argument("kind")
    @handle_errors
    def fail(kind: str) -> None:
        if kind == "one":
            raise InvalidInputError(f"cell {HOSTILE} is not a latitude")
        raise DataIntegrityError.from_lines(["2 rows failed:", f"  row 1: {HOSTILE}", "  row 2: ok"])

    r = CliRunner().invoke(fail, ["one"])
    assert r.exit_code == 2 and r.stderr == f"Error: cell {ESCAPED} is not a latitude\n"
    r = CliRunner().invoke(fail, ["many"])
    assert r.exit_code == 3
    assert r.stderr.splitlines() == ["Error: 2 rows failed:", f"  row 1: {ESCAPED}", "  row 2: ok"]
