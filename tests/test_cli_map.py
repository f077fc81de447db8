"""Tests of ``eezcheck map`` through click's CliRunner.

Maps are written under ``tmp_path`` only (the default ``maps/`` folder is tested from a
temporary working directory). Real-data cases use the Marine Regions v12 reference clip from
``../shared/data`` via ``--boundaries`` and skip when it is absent.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from fixtures.mappage import calls

pytest.importorskip("js_lib_leaflet")
pytest.importorskip("js_lib_leaflet")

from eezcheck.cli.main import cli  # noqa: E402
from eezcheck.cli.map import EPILOG  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"
MR_PATH = SHARED / "data" / "reference" / "marineregions_eez_v12_japan_region.geojson"
CNS = SHARED / "data" / "events" / "cns_missile_tests.csv"


@pytest.fixture(scope="module")
def mr() -> str:
    if not MR_PATH.exists():
        pytest.skip(f"Marine Regions reference clip not found at {MR_PATH}")
    return str(MR_PATH)


def run(runner: CliRunner, *args: str):
    return runner.invoke(cli, ["map", *args])


def events_of(html: str) -> list[dict]:
    return [it for c in calls(html, "events") for it in c[0]]


def test_one_event(runner, mr, tmp_path):
    out = tmp_path / "one.html"
    res = run(
        runner, "41.3", "138.5", "--from", "sunan", "--apogee-km", "550", "--name", "test 1",
        "--time", "2017-07-28 14:41 UTC", "--uncertainty-km", "50", "--rings", "1000,3000,5500",
        "--boundaries", mr, "-o", str(out),
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert res.stdout == f"{out}\n"
    assert "1 of 1 event(s) drawn (inside 1)" in res.stderr
    html = out.read_text(encoding="utf-8")
    (ev,) = events_of(html)
    assert ev["v"] == "inside" and ev["p"] == [41.3, 138.5] and "unc" in ev and "trk" in ev
    assert "test 1 (2017-07-28 14:41 UTC)" in ev["tip"] and "<svg" in ev["card"]
    assert html.count('"t":"1,000 km (geodesic) from Sunan') == 1
    assert out.stat().st_size < 2_000_000


def test_default_output_is_maps_slug(runner, mr, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = run(runner, "about 200 km west of Okushiri Island", "--from", "sunan", "--name",
              "Hwasong <test> 2016", "--boundaries", mr)  # fmt: skip
    assert res.exit_code == 0, res.output
    assert res.stdout == "maps/hwasong-test-2016.html\n"
    assert (tmp_path / "maps" / "hwasong-test-2016.html").is_file()
    res = run(runner, "41.3", "138.5", "--boundaries", mr)
    assert res.exit_code == 0 and res.stdout == "maps/41-3-138-5.html\n"
    res = run(
        runner, "--from", "sunan", "--range-km", "1000", "--bearing", "ENE", "--boundaries", mr
    )
    assert res.exit_code == 0 and res.stdout == "maps/from-sunan.html\n"


def test_refuses_to_clobber(runner, mr, tmp_path):
    out = tmp_path / "m.html"
    out.write_text("keep me", encoding="utf-8")
    res = run(runner, "41.3", "138.5", "--boundaries", mr, "-o", str(out))
    assert res.exit_code == 1
    assert res.stderr == f"Error: '{out}' exists; use --overwrite (overwrite=True) to replace it.\n"
    assert out.read_text(encoding="utf-8") == "keep me"
    res = run(runner, "41.3", "138.5", "--boundaries", mr, "-o", str(out), "--overwrite")
    assert res.exit_code == 0 and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_negative_coordinates_are_not_options(runner, mr, tmp_path):
    out = tmp_path / "m.html"
    res = run(
        runner, "21.3", "-157.86", "--from", "39.04 125.76", "--boundaries", mr, "-o", str(out)
    )
    assert res.exit_code == 0, res.output
    (ev,) = events_of(out.read_text(encoding="utf-8"))
    assert ev["p"] == [21.3, 202.14]  # drawn east of 180, at the end of the continuous track


@pytest.mark.parametrize(
    "args, message",
    [
        ((), "give the impact: coordinates"),
        (("--from", "sunan"), "--from alone gives no impact point"),
        (("--range-km", "1000"), "--range-km and --bearing need --from SITE"),
        (
            ("41", "138", "--from", "sunan", "--range-km", "900", "--bearing", "90"),
            "give the impact one way only",
        ),
        (("--table", "x.csv", "41", "138"), "IMPACT describe one event"),
        (("41", "138", "--rings", "1000,abc"), "'abc' is not a distance in km"),
        (("41", "138", "--rings", "30000"), "give a value above 0 and below 19,970"),
        (("41", "138", "--tiles", "google"), "'google' is not one of 'osm', 'esri-ocean'"),
        (("41", "138", "--bogus"), "No such option: --bogus"),
        (("--table", "does-not-exist.csv"), "'does-not-exist.csv' is not a file"),
    ],
)
def test_usage_errors(runner, args, message):
    res = run(runner, *args)
    assert res.exit_code == 2, res.output
    assert message in res.stderr


def test_bad_input_exit_2(runner, mr, tmp_path):
    res = run(
        runner, "about 200 km west of Atlantis", "--boundaries", mr, "-o", str(tmp_path / "x.html")
    )
    assert res.exit_code == 2 and "Atlantis" in res.stderr
    res = run(
        runner,
        "41",
        "138",
        "--from",
        "nowhere-xyz",
        "--boundaries",
        mr,
        "-o",
        str(tmp_path / "x.html"),
    )
    assert res.exit_code == 2 and "nowhere-xyz" in res.stderr
    res = run(
        runner, "41", "138", "--apogee-km", "-5", "--boundaries", mr, "-o", str(tmp_path / "x.html")
    )
    assert res.exit_code == 2 and "apogee_km=-5.0" in res.stderr
    assert not (tmp_path / "x.html").exists()


def test_tiles_option(runner, mr, tmp_path):
    out = tmp_path / "t.html"
    res = run(runner, "41.3", "138.5", "--tiles", "OSM", "--boundaries", mr, "-o", str(out))
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in html


def test_table(runner, mr, tmp_path):
    if not CNS.exists():
        pytest.skip("CNS table not found")
    out = tmp_path / "cns.html"
    res = run(
        runner, "--table", str(CNS), "--boundaries", mr, "-o", str(out), "--title", "CNS <tests>"
    )
    assert res.exit_code == 0, res.output
    assert res.stdout == f"{out}\n"
    err = res.stderr.splitlines()
    assert err[0] == "eezcheck map: read: CSV, UTF-8, 20 columns"  # batch's reader
    assert err[1].startswith("eezcheck map: impact point: latitude 'nagix_derived_landing_lat'")
    not_drawn = [line for line in err if "not drawn:" in line]
    assert not_drawn[0] == (  # batch's error for the row
        "eezcheck map: not drawn: Scud-B (row 1): no impact point: nagix_derived_landing_lat and "
        "nagix_derived_landing_lon are empty; cannot derive it from facility_lat/facility_lon + "
        "distance_km along nagix_bearing_deg: distance_km is 'unknown', not a distance in km"
    )
    m = re.search(r"(\d+) of 339 event\(s\) drawn", res.stderr)
    assert m and int(m.group(1)) + len(not_drawn) == 339
    html = out.read_text(encoding="utf-8")
    assert len(events_of(html)) == int(m.group(1))
    assert "&amp;lt;tests&amp;gt;" not in html and "\\u0026lt;tests\\u0026gt;" in html
    assert out.stat().st_size < 6_000_000


def test_table_default_name(runner, mr, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "my events.csv").write_text(
        "lat,lon,name\n41.3,138.5,a\n30,150,b\n", encoding="utf-8"
    )
    res = run(runner, "--table", "my events.csv", "--boundaries", mr)
    assert res.exit_code == 0, res.output
    assert res.stdout == "maps/my-events.html\n"
    assert "2 of 2 event(s) drawn (inside 1, outside 1)" in res.stderr


def test_table_without_point_columns(runner, tmp_path):
    (tmp_path / "t.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    res = run(runner, "--table", str(tmp_path / "t.csv"), "-o", str(tmp_path / "o.html"))
    assert res.exit_code == 1 and "cannot find the point to check" in res.stderr


def test_help_has_examples_and_every_option(runner):
    res = run(runner, "--help")
    assert res.exit_code == 0
    for opt in ("--from", "--range-km", "--bearing", "--apogee-km", "--name", "--time", "--title",
                "--uncertainty-km", "--rings", "--tiles", "--table", "--boundaries", "--output",
                "--overwrite", "Exit codes"):  # fmt: skip
        assert opt in res.output, opt
    assert "$ eezcheck map 41.3 138.5 --from sunan" in EPILOG
    res = runner.invoke(cli, ["--help"])
    assert "map" in res.output and "self-contained HTML map" in res.output


def test_help_example_output_is_real(runner, mr, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = run(runner, "41.3", "138.5", "--from", "sunan", "--apogee-km", "550", "--name", "test 1",
              "--boundaries", mr)  # fmt: skip
    shown = EPILOG.split('--name "test 1"\n')[1].splitlines()[0].strip()
    assert res.stdout.strip() == shown


def test_table_of_every_format_batch_reads(runner, mr, tmp_path):
    """``map --table`` reads through batch's reader: Excel and GeoJSON points draw."""
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["name", "lat", "lon"])
    ws.append(["a", 41.3, 138.5])
    ws.append(["b", 30.0, 150.0])
    wb.save(tmp_path / "t.xlsx")
    fc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": n},
             "geometry": {"type": "Point", "coordinates": [lon, lat]}}
            for n, lat, lon in (("a", 41.3, 138.5), ("b", 30.0, 150.0), ("c", 37.0, 134.0))
        ],
    }  # fmt: skip
    (tmp_path / "t.geojson").write_text(json.dumps(fc), encoding="utf-8")
    for name, n in (("t.xlsx", 2), ("t.geojson", 3)):
        out = tmp_path / f"{name}.html"
        res = run(runner, "--table", str(tmp_path / name), "--boundaries", mr, "-o", str(out))
        assert res.exit_code == 0, res.output
        assert f"{n} of {n} event(s) drawn" in res.stderr, res.stderr
        assert len(events_of(out.read_text(encoding="utf-8"))) == n


def test_map_and_batch_map_make_their_folders(runner, mr, tmp_path):
    out = tmp_path / "new" / "sub" / "one.html"
    res = run(runner, "41.3", "138.5", "--boundaries", mr, "-o", str(out))
    assert res.exit_code == 0, res.output
    assert out.is_file()
    table = tmp_path / "t.csv"
    table.write_text("lat,lon,name\n41.3,138.5,a\n30,150,b\n", encoding="utf-8")
    m = tmp_path / "maps" / "t.html"
    res = runner.invoke(
        cli,
        ["batch", str(table), "-o", str(tmp_path / "o.csv"), "--map", str(m), "--boundaries", mr],
    )
    assert res.exit_code == 0, res.output
    assert m.is_file() and "(2 events drawn)" in res.stderr
    (tmp_path / "file").write_text("x", encoding="utf-8")
    res = run(runner, "41.3", "138.5", "--boundaries", mr, "-o", str(tmp_path / "file" / "m.html"))
    assert res.exit_code == 1 and "cannot make the folder" in res.stderr, res.output
