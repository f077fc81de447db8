"""Tests of ``eezcheck trajectory`` through click's CliRunner."""

from __future__ import annotations

import json
import re
import shlex

import pytest
from click.testing import CliRunner

from eezcheck.cli.main import cli
from eezcheck.cli.trajectory import EPILOG, trajectory


def run(runner: CliRunner, *args: str):
    return runner.invoke(cli, ["trajectory", *args])


def test_lofted_human_output(runner):
    res = run(runner, "--range-km", "960", "--apogee-km", "4500")
    assert res.exit_code == 0, res.output
    first = res.stdout.splitlines()[0]
    assert first == (
        "Lofted trajectory: 960 km range, 4,500 km apogee, 50.5 min free flight; "
        "equivalent minimum-energy range >= 10,055 km (lower bound)."
    )
    assert "lower bound" in res.stdout and "model: spherical non-rotating Earth" in res.stdout
    assert res.stderr == ""


def test_minimum_energy_json(runner):
    res = run(runner, "--range-km", "1000", "--json")
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert len(lines) == 1
    obj = json.loads(lines[0])
    assert lines[0] == json.dumps(obj, sort_keys=True)
    assert {
        "kind",
        "range_km",
        "apogee_km",
        "flight_time_s",
        "flight_time_min",
        "burnout_speed_km_s",
        "flight_path_angle_deg",
        "equivalent_min_energy_range_km",
        "lower_bound",
        "q",
        "model",
        "notes",
        "rotation",
        "plot_path",
    } <= set(obj)
    assert obj["kind"] == "minimum_energy"
    assert obj["apogee_km"] == pytest.approx(240, rel=0.01)
    assert obj["flight_time_min"] == pytest.approx(7.9, rel=0.01)
    assert obj["lower_bound"] is False
    assert obj["rotation"] is None and obj["plot_path"] is None


def test_lofted_json_values(runner):
    res = run(runner, "--range-km", "960", "--apogee-km", "4500", "--json")
    obj = json.loads(res.stdout)
    assert obj["kind"] == "lofted" and obj["lower_bound"] is True
    assert obj["flight_time_min"] == pytest.approx(50.5, rel=0.01)
    assert obj["equivalent_min_energy_range_km"] == pytest.approx(10055, rel=0.01)


def test_2024_10_31_exit_2(runner):
    res = run(runner, "--range-km", "1000", "--apogee-km", "7000", "--json")
    assert res.exit_code == 2
    assert res.stdout == ""
    assert res.stderr == (
        "Error: A 1,000 km range with a 7,000 km apogee needs a burnout speed at or above "
        "circular speed (Q = 1.048 >= 1, 8.10 km/s >= 7.91 km/s): its equivalent minimum-energy "
        "range would be global, so the model gives no answer for it.\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--range-km", "0"], "range_km 0.0 km is out of range: give a value above 0 and at most 20,000"),
        (["--range-km", "nan"], "range_km nan is not a finite number of km"),
        (["--range-km", "30000"], "half the Earth's circumference"),
        (["--range-km", "1000", "--apogee-km", "-5"], "apogee_km -5.0 km is out of range: give a value above 0"),
        (["--range-km", "abc"], "'abc' is not a valid float"),
        ([], "Missing option '--range-km'"),
        (["--range-km", "1000", "--launch-lat", "39"], "--launch-lat and --azimuth go together"),
        (["--range-km", "1000", "--launch-lat", "95", "--azimuth", "90"], "launch_lat_deg=95"),
        (["--range-km", "1000", "--plot", "out.pdf"], "must end in .png or .svg"),
    ],
)
def test_bad_inputs_exit_2(runner, args, message):
    with runner.isolated_filesystem():
        res = run(runner, *args)
    assert res.exit_code == 2, res.output
    assert message in res.stderr
    assert res.stdout == ""


def test_rotation(runner):
    res = run(runner, "--range-km", "1000", "--launch-lat", "39", "--azimuth", "90", "--json")
    assert res.exit_code == 0, res.output
    rot = json.loads(res.stdout)["rotation"]
    assert rot["launch_lat_deg"] == 39 and rot["azimuth_deg"] == 90
    assert rot["delta_range_km"] > 0
    human = run(runner, "--range-km", "1000", "--launch-lat", "39", "--azimuth", "90")
    assert "with Earth rotation" in human.stdout


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_plot_never_clobbers(runner, tmp_path, suffix):
    out = tmp_path / f"profile.{suffix}"
    args = ["--range-km", "960", "--apogee-km", "4500", "--plot", str(out)]
    res = run(runner, *args, "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["plot_path"] == str(out)
    assert out.stat().st_size > 1000
    assert f"wrote {out}" in res.stderr
    before = out.read_bytes()

    res = run(runner, *args)
    assert res.exit_code == 1
    assert res.stdout == ""
    assert "exists" in res.stderr and "--overwrite" in res.stderr
    assert out.read_bytes() == before

    res = run(runner, *args, "--overwrite")
    assert res.exit_code == 0, res.output


def test_help_has_example_and_exit_codes(runner):
    res = runner.invoke(cli, ["trajectory", "--help"])
    assert res.exit_code == 0
    assert "$ eezcheck trajectory --range-km 960 --apogee-km 4500" in res.stdout
    assert "Exit codes" in res.stdout
    assert runner.invoke(trajectory, ["-h"]).exit_code == 0


def _examples():
    """(command, expected output) pairs of the help examples that show output."""
    blocks = [b for b in EPILOG.split("\n\n") if "$ eezcheck" in b]
    for block in blocks:
        lines = [ln[2:] for ln in block.splitlines() if ln.startswith("  ")]
        if len(lines) > 1 and lines[0].startswith("$ ") and not lines[1].startswith("$ "):
            yield lines[0][2:], lines[1:]


@pytest.mark.parametrize(("command", "expected"), list(_examples()))
def test_help_examples_are_real_output(runner, command, expected):
    """The outputs pasted into --help are what the command prints today."""
    m = re.fullmatch(r"eezcheck (.*?)(?: \| head -(\d+))?(?:; echo \"exit \$\?\")?", command)
    assert m, command
    res = runner.invoke(cli, shlex.split(m.group(1)))
    got = (res.stdout + res.stderr).splitlines()
    if m.group(2):
        got = got[: int(m.group(2))]
    if "exit $?" in command:
        got.append(f"exit {res.exit_code}")
    assert got == expected
