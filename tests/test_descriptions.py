"""The one description function: what a person reads in check's headline and --json."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from eezcheck import check
from eezcheck.cli.main import cli
from eezcheck.descriptions import FAR_KM, describe, describe_points
from eezcheck.places import find_place, nearest_place


def test_scalar_is_the_vector_form():
    rng = np.random.default_rng(7)
    lon, lat = rng.uniform(120, 160, 50), rng.uniform(15, 50, 50)
    d = describe_points(lon, lat)
    for i in range(50):
        one = describe(float(lon[i]), float(lat[i]))
        assert (one.en, one.ja) == (d.en[i], d.ja[i])
        assert one.place.key == nearest_place(float(lon[i]), float(lat[i])).key


def test_wording_is_described_from_the_place_the_user_named():
    # Hegura-jima is nearer to this point than the Oga Peninsula is
    r = check(wording="about 300 km west of the Oga Peninsula")
    assert r.nearest_place is not None and r.nearest_place.key == "hegurajima"
    assert r.description_en == "about 300 km W of Oga Peninsula"
    assert r.description_ja == "男鹿半島の西約300km"
    # the Japanese text keeps its reference too, and the nearest place is reported apart
    ja = check(text="男鹿半島の西約300キロ")
    assert ja.description_en == "about 300 km W of Oga Peninsula"
    assert ja.to_dict()["nearest_place"]["key"] == "hegurajima"


def test_several_impacts_each_keep_their_reference():
    out = CliRunner().invoke(
        cli, ["check", "--json", "1発目は男鹿半島の西約300キロ、2発目は奥尻島の西約200キロに落下"]
    )
    assert out.exit_code == 0, out.output
    got = json.loads(out.output)
    assert [g["description_ja"] for g in got] == ["男鹿半島の西約300km", "奥尻島の西約200km"]


def test_far_from_japan_is_said_so():
    r = check(-33.9, 151.2)  # Sydney
    assert r.description_en == (
        "far from Japan: about 6,220 km from Okinotorishima, the nearest Japanese reference place"
    )
    assert r.description_ja == "日本から遠く離れた地点（最寄りの基準地点の沖ノ鳥島から約6,220km）"
    assert r.nearest_place is not None and r.nearest_place.distance_km > FAR_KM
    # the headline a person reads
    out = CliRunner().invoke(cli, ["check", "--", "-33.9", "151.2"])
    head = out.output.splitlines()[0]
    assert "far from Japan" in head and "SSE" not in head


def test_beyond_the_coverage_but_near():
    r = check(56.5, 142.0)  # the Sea of Okhotsk north of the embedded data's 55°N
    assert r.zone.value == "unknown"
    assert r.description_en == "beyond the boundary data's coverage: about 1,220 km N of Cape Soya"
    assert r.description_ja == "境界データの範囲外：宗谷岬の北約1,220km"


def test_foreign_land_names_the_state():
    r = check(39.0, 125.75)  # Pyongyang
    assert r.description_en == "in North Korea: about 600 km NNW of Tsushima Island"
    assert r.description_ja == "北朝鮮の陸上：対馬の北北西約600km"
    sea = check(41.3, 138.5)
    assert sea.description_en == "about 75 km WSW of Oshima-Oshima"


def test_reference_outside_the_reference_set():
    """A prefecture (not one of the nearest-place references) can still be the user's."""
    akita = find_place("Akita Prefecture")
    d = describe(akita.lon - 3.0, akita.lat, reference=akita)
    assert d.place.key == akita.key and d.en.endswith("W of " + akita.name_en)


@pytest.mark.parametrize("lon,lat", [(151.2, -33.9), (-74.0, 40.7), (0.0, 51.5)])
def test_far_points_have_no_compass_word(lon, lat):
    d = describe(lon, lat)
    assert d.en.startswith("far from Japan: about ")
    assert not any(f" {w} of " in d.en for w in ("N", "S", "E", "W", "NNW", "SSE"))
