"""Tests of ``eezcheck reach`` through click's CliRunner.

Exact answers use a synthetic boundary file (``--boundaries``): a Japanese EEZ box east of a
site on the equator. The ``--help`` examples are checked against the embedded data.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from fixtures import synthetic as S

from eezcheck.cli.main import cli
from eezcheck.cli.reach import EPILOG
from eezcheck.geodesy import GEOD

EAST = (135.0, -2.0, 140.0, 2.0)
CLAIM = (135.0, 0.0, 140.0, 2.0)
RANGE_KM = float(GEOD.inv(130.0, 0.0, 137.5, 0.0)[2]) / 1000.0  # 834.9 km


@pytest.fixture(scope="module")
def boxes(tmp_path_factory: pytest.TempPathFactory) -> str:
    areas = [
        ("eez", "JPN", "Japanese EEZ", EAST),
        ("overlapping_claim", "JPN;RUS", "Overlapping claim: test", CLAIM),
        ("coverage", "", "", (100.0, -40.0, 170.0, 40.0)),
    ]
    path = tmp_path_factory.mktemp("reach") / "boxes.geojson"
    return str(S.write_json(path, S.user_collection(areas)))


def run(runner: CliRunner, *args: str):
    return runner.invoke(cli, ["reach", *args])


def run_json(runner: CliRunner, *args: str) -> dict:
    res = run(runner, *args, "--json")
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert len(lines) == 1
    obj = json.loads(lines[0])
    assert lines[0] == json.dumps(obj, sort_keys=True, ensure_ascii=False)
    return obj


# --------------------------------------------------------------------------- synthetic data


def test_json_contract(runner, boxes):
    obj = run_json(runner, "--from", "0 130", "--range-km", f"{RANGE_KM}", "--boundaries", boxes)
    assert set(obj) == {
        "launch", "range_km", "can_reach", "closest_approach", "intervals",
        "disputed_intervals", "bearings", "method", "boundaries", "margin_km", "footprint",
        "trajectory",
    }  # fmt: skip
    assert obj["launch"] == {
        "name": "", "key": "", "kind": "coordinates", "input": "0 130", "lon": 130.0,
        "lat": 0.0, "extent_km": 0.0,
    }  # fmt: skip
    assert obj["footprint"]["can_reach"] is True and obj["footprint"]["shape"] == "ring"
    assert obj["can_reach"] is True
    (iv,) = obj["intervals"]
    # symmetric about due east (the box is symmetric about the equator)
    assert iv["start_deg"] + iv["end_deg"] == pytest.approx(180.0, abs=0.02)
    assert 70 < iv["start_deg"] < 80 and iv["wraps"] is False
    (disp,) = obj["disputed_intervals"]
    assert disp["start_deg"] == pytest.approx(iv["start_deg"], abs=0.01)
    assert disp["end_deg"] == pytest.approx(90.0, abs=0.01)
    assert obj["closest_approach"]["distance_km"] == pytest.approx(556.6, abs=0.1)
    assert obj["closest_approach"]["bearing_deg"] == pytest.approx(90.0, abs=0.01)
    assert obj["method"]["bearing_step_deg"] == 0.5
    east = next(b for b in obj["bearings"] if b["bearing_deg"] == 90.0)
    assert east["impact"] == "inside" and east["entry_km"] == pytest.approx(556.6, abs=0.1)
    assert {b["kind"] for b in obj["bearings"]} == {"grid", "edge"}


def test_human_output(runner, boxes):
    res = run(runner, "--from", "0 130", "--range-km", f"{RANGE_KM}", "--boundaries", boxes)
    assert res.exit_code == 0 and res.stderr == ""
    lines = res.stdout.splitlines()
    iv = run_json(runner, "--from", "0 130", "--range-km", f"{RANGE_KM}", "--boundaries", boxes)[
        "intervals"
    ][0]
    a, b = f"{iv['start_deg']:.1f}°", f"{iv['end_deg']:.1f}°"
    assert lines[0] == (
        f"From 0.00N 130.00E, a {RANGE_KM:,g} km shot lands inside Japan's EEZ on bearings "
        f"{a}–{b} (in disputed waters on {a}–90.0°); closest approach 557 km at 0.00N 135.00E "
        "(bearing 90.0°)."
    )
    assert lines[1].split() == "bearings width entry at edges (km) earliest entry".split()
    assert lines[2].split()[0] == f"{a}–{b}"
    assert any(ln.split()[:3] == ["90°", "inside", "0.00N"] for ln in lines)
    assert any(ln.split()[:2] == ["80°", "disputed"] for ln in lines)
    assert lines[-3].startswith("    boundary data: ")
    assert lines[-2].startswith("    boundary crs: EPSG:4326 (WGS 84) from the file's CRS")


def test_cannot_reach(runner, boxes):
    res = run(runner, "--from", "0 130", "--range-km", "500", "--boundaries", boxes)
    assert res.exit_code == 0
    assert res.stdout.splitlines()[0] == (
        "From 0.00N 130.00E, a 500 km shot cannot reach Japan's EEZ: closest approach 557 km "
        "at 0.00N 135.00E (bearing 90.0°)."
    )
    obj = run_json(runner, "--from", "0 130", "--range-km", "500", "--boundaries", boxes)
    assert obj["can_reach"] is False and obj["intervals"] == [] and obj["bearings"] == []


def test_site_inside_all_bearings(runner, boxes):
    res = run(runner, "--from", "-1 137.5", "--range-km", "1", "--boundaries", boxes)
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines()[0].startswith(
        "From 1.00S 137.50E, itself inside Japan's EEZ, a 1 km shot lands inside Japan's EEZ "
        "on all bearings"
    )


def test_step_option(runner, boxes):
    obj = run_json(
        runner, "--from", "0 130", "--range-km", "700", "--step", "0.25", "--boundaries", boxes
    )
    assert obj["method"]["bearing_step_deg"] == 0.25


# --------------------------------------------------------------------------- errors


def test_unknown_site_exit_2_with_suggestions(runner):
    res = run(runner, "--from", "sunnan", "--range-km", "1000")
    assert res.exit_code == 2 and res.stdout == ""
    assert res.stderr.startswith(
        "Error: unknown launch site or area 'sunnan': did you mean 'Sunan', 'West Sunan', "
        "'Sunan area', 'Sunchon Airbase', 'Tonghae Satellite Launching Ground'? (known names "
        "are listed in launch_sites.csv and launch_areas.csv)"
    )


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (
            ["--from", "39.2 925.7", "--range-km", "100"],
            "Error: cannot read coordinates from '39.2 925.7': longitude 925.7 is outside "
            "-180..180 (or 0..360 east of Greenwich); write latitude then longitude, e.g. "
            "'41.3 138.5', '41.3N 138.5E', "
            "'41°18'N 138°30'E' or '北緯41.3度 東経138.5度'\n",
        ),
        (
            ["--from", "xyz", "--range-km", "100"],
            "Error: unknown launch site or area 'xyz': no similar name is known (known names are "
            "listed in launch_sites.csv and launch_areas.csv)\n",
        ),
        (
            ["--from", "sunan", "--range-km", "nan"],
            "Error: range_km nan is not a finite number of km\n",
        ),
    ],
)
def test_bad_input_exact_stderr(runner, args, stderr):
    res = run(runner, *args)
    assert res.exit_code == 2
    assert res.stderr == stderr


@pytest.mark.parametrize(
    ("args", "last_line"),
    [
        (["--from", "sunan"], "Error: Missing option '--range-km'."),
        (["--range-km", "100"], "Error: Missing option '--from'."),
        (
            ["--from", "sunan", "--range-km", "0"],
            "Error: range_km 0.0 km is out of range: give a value above 0 and at most 20,000 "
            "(about half the Earth's circumference)",
        ),
        (
            ["--from", "sunan", "--range-km", "100", "--step", "11"],
            "Error: Invalid value for '--step': 11.0 is not in the range 0<x<=10.",
        ),
    ],
)
def test_usage_errors(runner, args, last_line):
    res = run(runner, *args)
    assert res.exit_code == 2
    assert res.stderr.splitlines()[-1] == last_line


def test_missing_boundaries_file(runner, tmp_path):
    res = run(runner, "--from", "sunan", "--range-km", "100", "--boundaries", str(tmp_path / "x"))
    assert res.exit_code == 1
    assert res.stderr.startswith("Error: ") and "does not exist" in res.stderr


# --------------------------------------------------------------------------- help, real data


def test_help_documents_exit_codes_and_example(runner):
    res = run(runner, "--help")
    assert res.exit_code == 0
    out = res.stdout
    assert "$ eezcheck reach --from sunan --range-km 1000" in out
    assert "Exit codes: 0 success" in out and "2 bad input" in out
    assert "--boundaries PATH" in out and "--json" in out and "--step DEG" in out


def _example(command: str) -> list[str]:
    block = EPILOG.split(f"$ {command}\n")[1].split("\n\n")[0]
    return [ln[2:] for ln in block.splitlines() if not ln.startswith("  $")]


def test_help_examples_are_real_output(runner):
    """The --help examples are what the embedded data prints (\\b lines are blank lines)."""
    res = run(runner, "--from", "sunan", "--range-km", "1000")
    assert res.exit_code == 0
    want = [
        "" if ln == "\b" else ln
        for ln in _example("eezcheck reach --from sunan --range-km 1000 | head -9")
    ]
    assert res.stdout.splitlines()[:9] == want
    res = run(runner, "--from", "sunan", "--range-km", "400")
    assert res.exit_code == 0
    assert res.stdout.splitlines()[0] == _example("eezcheck reach --from sunan --range-km 400")[0]


def test_named_site_json(runner):
    obj = run_json(runner, "--from", "順安", "--range-km", "1000")
    assert obj["launch"]["key"] == "sunan" and obj["launch"]["name"] == "Sunan"
    assert obj["launch"]["input"] == "順安"
    assert obj["can_reach"] is True
    assert obj["boundaries"]["dataset"].startswith("eezcheck computed")
