"""Batch and the MoD's wording: the wording first, reported verdicts compared, paragraphs kept."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from eezcheck.batch.columns import detect_columns
from eezcheck.batch.report import agreement, reported_verdict
from eezcheck.cli.main import cli

SHARED = Path(__file__).parents[2] / "shared" / "data"
MOD = SHARED / "events" / "mod_verdicts_2016_2020.csv"


def _run(tmp_path: Path, rows: list[dict[str, str]], *args: str) -> tuple[list[dict[str, str]], dict]:
    src = tmp_path / "in.csv"
    with src.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    out = tmp_path / "out.csv"
    summary = tmp_path / "summary.json"
    res = CliRunner().invoke(
        cli, ["batch", str(src), "-o", str(out), "--summary-json", str(summary), *args]
    )
    assert res.exit_code == 0, res.output
    with out.open(encoding="utf-8", newline="") as f:
        got = list(csv.DictReader(f))
    return got, json.loads(summary.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "name", ["eez_verdict_reported", "MoD", "判定", "reported verdict", "MoD verdict", "防衛省判定"]
)
def test_reported_column_is_detected(name):
    plan = detect_columns(["where", name])
    assert plan.reported == name
    assert detect_columns(["where", "notes"]).reported is None


def test_reported_values():
    assert [reported_verdict(v) for v in ("inside", "EEZ内", "outside", "外", "unknown", "")] == [
        "inside", "inside", "outside", "outside", None, None,
    ]  # fmt: skip
    assert agreement(
        ["inside", "inside", "outside", "outside", "inside"],
        ["inside", "outside", "outside", "disputed", "uncertain"],
    ) == ["agree", "contradicts", "agree", "contradicts", "uncertain"]


def test_wording_wins_over_coordinates(tmp_path):
    # the coordinates say 30 N 150 E (outside); the wording is about 200 km W of Okushiri
    rows = [{"where": "about 200 km W of Okushiri", "lat": "30.0", "lon": "150.0", "MoD": "inside"}]
    got, summary = _run(tmp_path, rows)
    assert got[0]["japan_eez"] == "uncertain" and got[0]["p_inside"] == "0.7498"
    assert json.loads(got[0]["input"])["kind"] == "wording"
    assert got[0]["agrees_with_report"] == "uncertain"
    assert summary["agrees_with_report"] == {"agree": 0, "contradicts": 0, "uncertain": 1}
    assert summary["columns"]["sources"][0] == "where"
    (tmp_path / "c").mkdir()
    got, _ = _run(tmp_path / "c", rows, "--prefer", "coordinates")
    assert got[0]["japan_eez"] == "outside" and got[0]["p_inside"] == ""
    assert got[0]["agrees_with_report"] == "contradicts"


def test_unreadable_wording_falls_back_to_the_coordinates(tmp_path):
    rows = [{"where": "fell somewhere in the sea", "lat": "41.3", "lon": "138.5"}]
    got, _ = _run(tmp_path, rows)
    assert got[0]["japan_eez"] == "inside" and got[0]["error"] == ""
    assert "where 'fell somewhere in the sea' could not be read" in got[0]["warning"]
    assert "the point comes from the other columns" in got[0]["warning"]


def test_a_column_of_paragraphs_keeps_every_impact(tmp_path):
    para = (
        "1発目は奥尻島の西約200kmに、2発目は渡島大島の西約250キロに、3発目は男鹿半島の西約300キロに"
        "落下したものと推定される。"
    )
    rows = [{"where": para}, {"where": "about 1,180 km E of Cape Erimo"}, {"where": ""}]
    got, summary = _run(tmp_path, rows)
    assert len(got) == 3 and summary["rows"] == 3
    assert [g["impacts"] for g in got] == ["3", "1", ""]
    assert json.loads(got[0]["input"])["matched_text"] == "奥尻島の西約200km"
    more = json.loads(got[0]["more_impacts"])
    assert [m["description_ja"] for m in more] == ["渡島大島の西約250km", "男鹿半島の西約300km"]
    assert all(m["japan_eez"] in ("inside", "outside", "uncertain") for m in more)
    assert got[1]["more_impacts"] == "" and got[2]["error"].startswith("no impact point")


@pytest.mark.skipif(not MOD.exists(), reason="../shared/data not available")
def test_mod_table_gives_the_readme_answers(tmp_path):
    out = tmp_path / "mod.csv"
    summary = tmp_path / "s.json"
    res = CliRunner().invoke(
        cli, ["batch", str(MOD), "-o", str(out), "--summary-json", str(summary)]
    )
    assert res.exit_code == 0, res.output
    with out.open(encoding="utf-8", newline="") as f:
        rows = {r["event_id"]: r for r in csv.DictReader(f)}
    # the README table "Checked against the Ministry of Defense" (P to two decimals)
    readme = {
        "2016-08-03": ("inside", "1.00"), "2016-09-05-1": ("uncertain", "0.44"),
        "2016-09-05-2": ("uncertain", "0.44"), "2016-09-05-3": ("uncertain", "0.44"),
        "2017-03-06-1": ("uncertain", "0.93"), "2017-03-06-2": ("uncertain", "0.93"),
        "2017-03-06-3": ("uncertain", "0.93"), "2017-03-06-closest": ("inside", "1.00"),
        "2017-05-29": ("uncertain", "0.93"), "2017-07-28": ("uncertain", "0.65"),
        "2017-08-29": ("outside", "0.00"), "2017-09-15": ("outside", "0.00"),
        "2017-11-29": ("inside", "1.00"), "2019-10-02": ("uncertain", "0.81"),
    }  # fmt: skip
    for event, (verdict, p) in readme.items():
        r = rows[event]
        assert (r["japan_eez"], f"{float(r['p_inside']):.2f}") == (verdict, p), event
    s = json.loads(summary.read_text(encoding="utf-8"))
    assert s["agrees_with_report"]["contradicts"] == 0
    assert "contradicts" not in {r["agrees_with_report"] for r in rows.values()}
    # the row whose wording gives no bearing is read from the compiled columns, and says so
    assert "read from 'impact_ref_place', 'impact_bearing', 'impact_distance_km'" in rows["2017-05-29"]["warning"]
