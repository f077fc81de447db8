"""The fitted uncertainty model of the MoD's wording against the MoD's own record.

Required (issue 14): no wording the MoD has used for verdicts on both sides of the limit gets
P >= 0.95 or <= 0.05; on the 2016-2020 record no MoD verdict has probability < 0.05; points
more than 100 km from the limit stay definite; and the published model is the fit's maximum.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from eezcheck.build import wording_fit as wf
from eezcheck.checker import get_checker
from eezcheck.wording.model import MODEL, WordingModel
from eezcheck.wording.regions import regions as wording_regions

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
MOD_VERDICTS = SHARED / "events" / "mod_verdicts_2016_2020.csv"
CORPUS = Path(__file__).parent / "data" / "mod_phrases.csv"

BOTH_SIDES = (
    # 2016-09-05 (inside: "this missile ~200 km" / "~250 km") and 2024-10-31 / 2023-07-12 (outside)
    "北海道奥尻島の西約200km",
    "北海道奥尻島の西約250km",
)


@pytest.fixture(scope="module")
def checker():
    return get_checker()


@pytest.fixture(scope="module")
def record(checker):
    if not MOD_VERDICTS.exists():
        pytest.skip(f"MoD table not found at {MOD_VERDICTS}")
    return wf.observations(MOD_VERDICTS, checker.classifier, later=False)


def test_published_model_is_the_maximum_likelihood(record, checker):
    obs = record + wf.observations(MOD_VERDICTS, checker.classifier, later=True)[len(record) :]
    best = wf.log_likelihood(obs, MODEL)
    for df, dr in ((1, 0), (0, 0.005), (0, -0.005)):
        other = WordingModel(max(MODEL.floor_km + df, 0.0), max(MODEL.relative + dr, 0.0))
        if other != MODEL:
            assert wf.log_likelihood(obs, other) < best, other


def test_no_mod_verdict_of_the_record_is_improbable(record, checker):
    assert len(record) >= 14
    for o in record:
        r = checker.check(text=o.wording.matched_text)
        p_mod = r.p_inside if o.inside else 1.0 - r.p_inside
        assert p_mod >= 0.05, (o.event_id, o.wording.matched_text, r.p_inside)
        assert r.japan_eez.value in (
            ("inside", "disputed", "uncertain") if o.inside else ("outside", "uncertain")
        )


@pytest.mark.parametrize("text", BOTH_SIDES)
def test_wordings_used_on_both_sides_are_uncertain(checker, text):
    r = checker.check(text=text)
    assert 0.05 < r.p_inside < 0.95
    assert r.japan_eez.value == "uncertain"


def test_points_far_from_the_limit_stay_definite(checker):
    with CORPUS.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    far = 0
    regions = {r.key for r in wording_regions()}
    for row in rows:
        if row["place"] in regions:  # a region's point set is judged by its members, not one point
            continue
        r = checker.check(text=row["text"])
        if abs(r.distance_to_eez_limit_km) > 100:
            far += 1
            assert r.p_inside <= 0.05 or r.p_inside >= 0.95, (row["text"], r.p_inside)
    assert far >= 10


def test_reliability_table_counts_every_observation(record):
    table = wf.reliability_table(record, MODEL)
    counts = [int(line.split("|")[2]) for line in table.splitlines()[2:]]
    assert sum(counts) == len(record)
