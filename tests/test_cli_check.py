"""Tests of ``eezcheck check`` through click's CliRunner (and one real subprocess).

Real-data cases use the Marine Regions v12 reference clip from ``../shared/data`` via
``--boundaries`` and skip when it is absent; the swapped-coordinates warning uses a synthetic
boundary file.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from fixtures import synthetic as S

from eezcheck.cli.check import EPILOG
from eezcheck.cli.main import cli
from eezcheck.results import RESULT_KEYS

SHARED = Path(__file__).resolve().parents[2] / "shared"
MR_PATH = SHARED / "data" / "reference" / "marineregions_eez_v12_japan_region.geojson"

HOW = (
    "write latitude then longitude, e.g. '41.3 138.5', '41.3N 138.5E', "
    "'41°18'N 138°30'E' or '北緯41.3度 東経138.5度'"
)


@pytest.fixture(scope="module")
def mr() -> str:
    if not MR_PATH.exists():
        pytest.skip(f"Marine Regions reference clip not found at {MR_PATH}")
    return str(MR_PATH)


def run(runner: CliRunner, *args: str):
    return runner.invoke(cli, ["check", *args])


def run_json(runner: CliRunner, *args: str) -> dict:
    res = run(runner, *args, "--json")
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert len(lines) == 1
    obj = json.loads(lines[0])
    assert lines[0] == json.dumps(obj, sort_keys=True, ensure_ascii=False)
    return obj


# --------------------------------------------------------------------------- input forms


@pytest.mark.parametrize(
    "args",
    [
        ["41.3", "138.5"],
        ["41.3,138.5"],
        ["41.3N", "138.5E"],
        ["41°18'N 138°30'E"],
        ["41°18′00″N 138°30′00″E"],
        ["北緯41.3度 東経138.5度"],
        ["--lat", "41.3", "--lon", "138.5"],
        ["--lat", "41.3", "--lon", "1.385e2"],
        ["41.3", "1385e-1"],
    ],
)
def test_coordinate_forms(runner, mr, args):
    obj = run_json(runner, *args, "--boundaries", mr)
    assert sorted(obj) == sorted(RESULT_KEYS)
    assert (obj["lat"], obj["lon"]) == pytest.approx((41.3, 138.5))
    assert obj["japan_eez"] == "inside" and obj["zone"] == "eez" and obj["zone_states"] == ["JPN"]
    assert obj["distance_to_eez_limit_km"] > 0 and obj["p_inside"] is None


def test_human_output_first_line(runner, mr):
    res = run(runner, "41.3", "138.5", "--boundaries", mr)
    assert res.exit_code == 0 and res.stderr == ""
    lines = res.stdout.splitlines()
    assert (
        lines[0] == "INSIDE Japan's EEZ — 164 km inside the limit; about 75 km WSW of Oshima-Oshima"
    )
    body = "\n".join(lines[1:])
    for label in (
        "zone",
        "EEZ limit",
        "Japanese land",
        "nearest place",
        "MoD style",
        "claims",
        "boundary data",
        "claims policy",
    ):
        assert f"  {label}" in body
    assert "164.0 km = 88.6 nm inside (geodesic)" in body
    assert "渡島大島の西南西約75km" in body


def test_negative_numbers_are_coordinates(runner, mr):
    res = run(runner, "-33.9", "151.2", "--boundaries", mr)
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith(
        "OUTSIDE Japan's EEZ — 5,850 km outside the limit; beyond the loaded boundary data's coverage"
    )
    obj = run_json(runner, "-33.9", "151.2", "--boundaries", mr)
    assert obj["zone"] == "unknown" and obj["lat"] == -33.9
    assert (
        run_json(runner, "--lat", "-33.9", "--lon", "151.2", "--boundaries", mr)["zone"]
        == "unknown"
    )


@pytest.mark.parametrize(
    "wording",
    [
        "about 200 km west of Okushiri Island",
        "200km W of Okushiri",
        "北海道奥尻島の西約200km",
        "奥尻島の西方約200キロ",
    ],
)
def test_mod_wording(runner, mr, wording):
    obj = run_json(runner, wording, "--boundaries", mr)
    assert obj["input"]["kind"] == "wording" and obj["input"]["place"] == "okushiri"
    assert obj["uncertainty_model"]["kind"] == "wording"
    assert obj["japan_eez"] == "uncertain" and 0.05 < obj["p_inside"] < 0.95
    from eezcheck.wording import parse_wording, uncertainty_from_wording

    u = uncertainty_from_wording(parse_wording(wording))  # the fitted model's 95 % half-widths
    assert obj["uncertainty_km"] == pytest.approx(max(u.along_km, u.across_km), abs=0.01)
    assert obj["uncertainty_model"]["across_95_km"] == pytest.approx(u.across_km, abs=0.001)
    assert 85 < obj["uncertainty_km"] < 100


def test_mod_wording_unquoted_words(runner, mr):
    obj = run_json(
        runner, "about", "200", "km", "west", "of", "Okushiri", "Island", "--boundaries", mr
    )
    assert obj["input"]["place"] == "okushiri"


def test_mod_wording_human(runner, mr):
    res = run(runner, "島後の北約350km", "--boundaries", mr)
    assert res.exit_code == 0
    first = res.stdout.splitlines()[0]
    assert first.startswith("UNCERTAIN (P(inside Japan's EEZ) = 0.")
    assert "the point given is 43 km outside the limit; about 350 km N of Dogo" in first
    assert "350 km (±25) on bearing 0° ±22.5° (8-point compass) from Dogo" in res.stdout


def test_uncertainty_radius(runner, mr):
    obj = run_json(runner, "41.3", "138.5", "--uncertainty-km", "50", "--boundaries", mr)
    assert obj["p_inside"] == 1.0 and obj["japan_eez"] == "inside" and obj["uncertainty_km"] == 50.0
    assert obj["uncertainty_model"] == {
        "kind": "circular",
        "radius_95_km": 50.0,
        "sigma_km": 20.427,
        "samples": 4000,
        "seed": 0,
    }
    res = run(runner, "41.3", "138.5", "--uncertainty-km", "50", "--boundaries", mr)
    assert res.stdout.splitlines()[0].startswith(
        "INSIDE Japan's EEZ (P(inside) = 1.00) — 164 km inside"
    )


def test_disputed_says_by_whom(runner, mr):
    res = run(runner, "37.24", "131.87", "--boundaries", mr)
    first = res.stdout.splitlines()[0]
    assert first.startswith(
        "DISPUTED (inside Japan's claimed EEZ, also claimed by South Korea: Liancourt Rocks) — "
    )
    obj = run_json(runner, "37.24", "131.87", "--boundaries", mr)
    assert obj["claims"] == [
        {"feature": "Liancourt Rocks", "kind": "overlapping_claim", "states": ["JPN", "KOR"]}
    ]


def test_launch_range_bearing(runner, mr):
    obj = run_json(
        runner, "--from", "sunan", "--range-km", "1000", "--bearing", "75", "--boundaries", mr
    )
    assert obj["input"]["kind"] == "launch" and obj["input"]["launch"]["key"] == "sunan"
    assert obj["japan_eez"] == "inside"
    coords = run_json(
        runner,
        "--from",
        "39.20299 125.70926",
        "--range-km",
        "1000",
        "--bearing",
        "ENE",
        "--boundaries",
        mr,
    )
    assert coords["input"]["bearing_deg"] == 67.5


def test_range_without_bearing_says_whether_it_can_reach(runner, mr):
    res = run(runner, "--from", "sunan", "--range-km", "400", "--boundaries", mr)
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert lines[0].startswith(
        "CANNOT REACH Japan's EEZ — a 400 km range from Sunan on every bearing comes down at least "
    )
    gap = float(lines[0].split("at least ")[1].split(" km")[0].replace(",", ""))
    assert 159 <= gap < 175  # the ring stays at least (559 - 400) km from the EEZ
    assert any(ln.split()[:2] == ["closest", "approach"] and "558.5 km" in ln for ln in lines)
    obj = run_json(runner, "--from", "sunan", "--range-km", "1000", "--boundaries", mr)
    assert set(obj) == {
        "launch", "range_km", "can_reach", "closest_approach", "margin_km", "footprint",
        "boundaries", "trajectory",
    }  # fmt: skip
    assert obj["can_reach"] is True and obj["footprint"]["can_reach"] is True
    assert obj["closest_approach"]["distance_km"] == pytest.approx(558.5, abs=0.5)
    assert obj["margin_km"] == pytest.approx(
        1000 - obj["closest_approach"]["distance_km"], abs=1e-3
    )
    assert obj["launch"] == {
        "key": "sunan", "name": "Sunan", "kind": "site", "input": "sunan", "extent_km": 0.0,
        "lat": obj["launch"]["lat"], "lon": obj["launch"]["lon"],
    }  # fmt: skip
    assert obj["footprint"]["shape"] == "ring" and 0 < obj["footprint"]["share_inside"] < 1
    assert obj["trajectory"]["kind"] == "minimum_energy"


def test_range_without_bearing_matches_reach_json(runner, mr):
    """check --from --range-km and reach --json name the same figures the same way."""
    from eezcheck.cli.main import cli

    args = ["--from", "North Hwanghae", "--range-km", "400", "--apogee-km", "100", "--json"]
    checked = run_json(runner, *args[:-1], "--boundaries", mr)
    res = runner.invoke(cli, ["reach", *args, "--boundaries", mr])
    assert res.exit_code == 0, res.output
    reached = json.loads(res.stdout)
    for key in ("launch", "range_km", "can_reach", "closest_approach", "margin_km", "footprint",
                "trajectory", "boundaries"):  # fmt: skip
        assert reached[key] == checked[key], key
    assert checked["launch"]["kind"] == "province" and checked["launch"]["extent_km"] == 90.0
    assert checked["trajectory"]["kind"] == "lofted"


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (
            ["91", "10"],
            f"Error: cannot read coordinates from '91 10': latitude 91 is outside -90..90 (did you write longitude first?); {HOW}\n",
        ),
        (
            ["138.5", "41.3"],
            f"Error: cannot read coordinates from '138.5 41.3': latitude 138.5 is outside -90..90 (did you write longitude first?); {HOW}\n",
        ),
        (
            ["nan", "3"],
            f"Error: cannot read coordinates from 'nan 3': NaN and infinity are not coordinates; {HOW}\n",
        ),
        (
            ["hello", "world"],
            "Error: cannot read 'hello world' as coordinates or as an impact description: write latitude then "
            "longitude (e.g. '41.3 138.5', '41°18'N 138°30'E', '北緯41.3度 東経138.5度') or a description "
            "such as 'about 200 km W of Okushiri' or '北海道奥尻島の西約200km'\n",
        ),
        (
            ["200 km sideways of Okushiri"],
            "Error: cannot read the bearing 'sideways': use a compass word such as W, west, NNW, north-northwest, 西 or 北北西\n",
        ),
        (
            ["--from", "sunan", "--range-km", "1000", "--bearing", "sideways"],
            "Error: cannot read the bearing 'sideways': use a compass word such as W, west, NNW, north-northwest, 西 or 北北西\n",
        ),
        (
            ["--lat", "95", "--lon", "10"],
            f"Error: cannot read coordinates from \"lat='95', lon='10'\": latitude 95 is outside -90..90; {HOW}\n",
        ),
        (
            ["41.3", "138.5", "--uncertainty-km", "-5"],
            "Error: uncertainty -5.0 km is not a radius: give a distance >= 0 in km\n",
        ),
        (
            ["--from", "sunan", "--range-km", "0", "--bearing", "75"],
            "Error: range_km 0.0 km is out of range: give a value above 0 and at most 20,000 (about "
            "half the Earth's circumference)\n",
        ),
    ],
)
def test_bad_input_exact_stderr(runner, mr, args, stderr):
    res = run(runner, *args, "--boundaries", mr)
    assert res.exit_code == 2, res.output
    assert res.stdout == ""
    assert res.stderr == stderr


@pytest.mark.parametrize(
    ("args", "start"),
    [
        (
            ["about 200 km west of Okushirri Island"],
            "Error: unknown place 'Okushirri Island': did you mean 'Okushiri Island', ",
        ),
        (
            ["--from", "sunnan", "--range-km", "1000", "--bearing", "75"],
            "Error: unknown launch site or area 'sunnan': did you mean 'Sunan', 'West Sunan', ",
        ),
    ],
)
def test_unknown_names_list_nearest_matches(runner, mr, args, start):
    # the tail of the message (the list, and how the CLI repeats suggestions) belongs to the
    # gazetteer and cli/errors.py; the start names what was read and the best matches
    res = run(runner, *args, "--boundaries", mr)
    assert res.exit_code == 2
    assert res.stderr.startswith(start)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--foo", "3"], "Error: No such option: --foo"),
        ([], "Error: give a point: coordinates (eezcheck check 41.3 138.5), an MoD description"),
        (
            ["41.3", "138.5", "--lat", "41", "--lon", "138"],
            "Error: give the point one way only, not POINT and --lat/--lon",
        ),
        (
            ["--range-km", "1000"],
            "Error: --range-km and --bearing need --from SITE (the launch site)",
        ),
        (["--lat", "41"], "Error: give both --lat and --lon"),
        (["--from", "sunan"], "Error: --from needs --range-km (and --bearing for an impact point)"),
    ],
)
def test_usage_errors(runner, mr, args, message):
    res = run(runner, *args, "--boundaries", mr)
    assert res.exit_code == 2
    assert message in res.stderr


def test_swapped_lat_lon_warns_on_stderr(runner, tmp_path):
    areas = [
        ("land", "XXX", "Continent", (0.0, 30.0, 30.0, 60.0)),
        ("eez", "JPN", "Japanese EEZ", (30.0, 5.0, 50.0, 25.0)),
        ("land", "JPN", "Island", (39.0, 19.0, 40.0, 20.0)),
        ("coverage", "", "", (0.0, 0.0, 60.0, 60.0)),
    ]
    path = S.write_json(tmp_path / "z.geojson", S.user_collection(areas))
    res = run(runner, "40", "15", "--boundaries", str(path))
    assert res.exit_code == 0
    assert res.stderr == (
        "Warning: latitude 40, longitude 15 is on land: did you swap latitude and longitude? "
        "Read as latitude 15, longitude 40 it would be at sea, inside Japan's EEZ.\n"
    )
    assert res.stdout.startswith("OUTSIDE Japan's EEZ")
    assert run(runner, "40", "35", "--boundaries", str(path)).stderr == ""


def test_missing_boundary_file_is_an_error(runner, tmp_path):
    res = run(runner, "41.3", "138.5", "--boundaries", str(tmp_path / "nope.geojson"))
    assert res.exit_code == 1
    assert "does not exist" in res.stderr


# --------------------------------------------------------------------------- help, entry point


def test_help_has_examples(runner):
    res = run(runner, "--help")
    assert res.exit_code == 0
    for text in ("eezcheck check 41.3 138.5", "eezcheck check -33.9 151.2", "--from sunan --range-km 1000 --bearing 75",
                 "--uncertainty-km", "--boundaries", "--json", "Exit codes: 0 success"):  # fmt: skip
        assert text in res.stdout


def test_help_example_is_real_output(runner):
    """The epilog's example line is what the default (embedded) data answers."""
    from eezcheck.boundary_readers import load_active
    from eezcheck.errors import BoundaryDataError

    try:
        load_active()
    except BoundaryDataError:
        pytest.skip("no embedded boundary data yet")
    res = run(runner, "41.3", "138.5")
    example = EPILOG.split("$ eezcheck check 41.3 138.5\n")[1].splitlines()[0].strip()
    assert res.stdout.splitlines()[0] == example


def test_installed_entry_point(tmp_path):
    path = S.write_json(tmp_path / "z.geojson", S.user_collection())
    exe = shutil.which("eezcheck")
    cmd = [exe] if exe else [sys.executable, "-m", "eezcheck"]
    out = subprocess.run(
        [*cmd, "check", "28", "138", "--json", "--boundaries", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    obj = json.loads(out.stdout)
    assert (obj["lon"], obj["zone"], obj["japan_eez"]) == (138.0, "eez", "inside")
    bad = subprocess.run(
        [*cmd, "check", "91", "0", "--boundaries", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and bad.stderr.startswith(
        "Error: cannot read coordinates from '91 0'"
    )


# --------------------------------------------------------------------------- trajectory with a range


def test_range_adds_the_minimum_energy_trajectory():
    from click.testing import CliRunner

    from eezcheck.cli.main import cli

    res = CliRunner().invoke(
        cli, ["check", "--from", "sunan", "--range-km", "1000", "--bearing", "75", "--json"]
    )
    assert res.exit_code == 0, res.output
    import json

    t = json.loads(res.output)["trajectory"]
    assert t["kind"] == "minimum_energy"
    assert abs(t["flight_time_min"] - 7.9) / 7.9 < 0.01


def test_apogee_beyond_the_model_is_refused_not_answered():
    from click.testing import CliRunner

    from eezcheck.cli.main import cli

    res = CliRunner().invoke(
        cli,
        [
            "check",
            "--from",
            "sunan",
            "--range-km",
            "1000",
            "--bearing",
            "75",
            "--apogee-km",
            "7000",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "outside the ballistic model" in res.output
    res = CliRunner().invoke(cli, ["check", "41.3", "138.5", "--apogee-km", "500"])
    assert res.exit_code == 2
    assert "--apogee-km needs --from SITE and --range-km" in res.output


# --------------------------------------------------------------------------- published text

THREE_IMPACTS = (
    "本日、北朝鮮は弾道ミサイル3発を東方向に発射し、約1,000km飛翔しました。1発目は北海道奥尻島の"
    "西約200kmに、2発目は秋田県男鹿半島の西約250kmに、3発目は襟裳岬の東約1,180kmの太平洋上に"
    "落下したものと推定されます。最高高度は約550kmでした。"
)


def test_a_paragraph_with_three_impacts_gives_three_verdicts(runner, mr):
    res = run(runner, THREE_IMPACTS, "--boundaries", mr)
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0] == "3 impacts in the text:"
    heads = [lines[i + 1] for i, line in enumerate(lines) if line.startswith("[")]
    assert [line for line in lines if line.startswith("[")] == [
        "[1/3] 北海道奥尻島の西約200km",
        "[2/3] 秋田県男鹿半島の西約250km",
        "[3/3] 襟裳岬の東約1,180km",
    ]
    assert heads[0].startswith("UNCERTAIN")
    assert heads[1].startswith("INSIDE") and heads[2].startswith("OUTSIDE")
    objs = json.loads(run(runner, THREE_IMPACTS, "--json", "--boundaries", mr).stdout)
    assert isinstance(objs, list) and len(objs) == 3
    assert [o["input"]["place"] for o in objs] == ["okushiri", "oga-peninsula", "cape-erimo"]
    assert [(o["input"]["impact"], o["input"]["impacts"]) for o in objs] == [(1, 3), (2, 3), (3, 3)]
    assert [o["japan_eez"] for o in objs] == ["uncertain", "inside", "outside"]


def test_one_impact_stays_one_object(runner, mr):
    obj = run_json(runner, "北海道奥尻島の西約200km", "--boundaries", mr)
    assert isinstance(obj, dict) and "impact" not in obj["input"]


def test_unreadable_text_quotes_the_part_not_understood(runner, mr):
    res = run(runner, "北朝鮮の東岸付近、約400キロ先に落下", "--boundaries", mr)
    assert res.exit_code == 2
    assert (
        "the part '北朝鮮の東岸付近、約400キロ先に落下' has a distance but no known place"
        in res.stderr
    )


# --------------------------------------------------------------------------- compass words


@pytest.mark.parametrize("word", ["東北東", "ENE", "east-northeast"])
def test_compass_word_bearing_carries_its_sector_into_p(runner, mr, word):
    obj = run_json(
        runner, "--from", "順安", "--range-km", "1000", "--bearing", word, "--boundaries", mr
    )
    assert obj["input"]["bearing_deg"] == 67.5 and obj["input"]["bearing_points"] == 16
    assert obj["p_inside"] is not None and obj["uncertainty_model"]["kind"] == "wording"
    # the 16-point sector (±11.25°) at 1,000 km is ±196 km across: no sure answer 3 km inside
    assert obj["uncertainty_model"]["across_95_km"] > 200
    assert obj["japan_eez"] == "uncertain" and 0.05 < obj["p_inside"] < 0.95


def test_degrees_bearing_stays_exact(runner, mr):
    obj = run_json(
        runner, "--from", "sunan", "--range-km", "1000", "--bearing", "75", "--boundaries", mr
    )
    assert obj["p_inside"] is None


@pytest.mark.parametrize("value", ["400", "-10", "360.5"])
def test_bearing_outside_0_360_is_a_usage_error(runner, mr, value):
    res = run(
        runner, "--from", "sunan", "--range-km", "1000", f"--bearing={value}", "--boundaries", mr
    )
    assert res.exit_code == 2
    assert f"bearing '{value}' is outside 0..360 degrees" in res.stderr
