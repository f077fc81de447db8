"""Regions as references: the point set, the definite or uncertain verdict, what a person reads."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from eezcheck import check
from eezcheck.cli.main import cli
from eezcheck.geodesy import GEOD
from eezcheck.wording import parse_wording
from eezcheck.wording.regions import region_points, regions, resolve_region


@pytest.mark.parametrize(
    "name,key",
    [
        ("the Korean Peninsula", "korean-peninsula"),
        ("朝鮮半島", "korean-peninsula"),
        ("Japan", "japan"),
        ("日本", "japan"),
        ("the Philippines", "philippines"),
        ("日本海", "sea-of-japan"),
        ("the Sea of Japan", "sea-of-japan"),
        ("East China Sea", "east-china-sea"),
        ("Pacific", "pacific"),
    ],
)
def test_names(name, key):
    r = resolve_region(name)
    assert r is not None and r.key == key


def test_every_row_has_a_source():
    for r in regions():
        assert r.source and r.outline.split(":")[0] in ("land", "polygon")
        assert r.source.startswith(("outline:", "name:")), r.key


@pytest.mark.parametrize("r", regions(), ids=lambda r: r.key)
def test_every_region_gives_a_point_set(r):
    """Each outline is read (China's bbox once lost its commas to the CSV and raised TypeError)."""
    lon, lat = region_points(r, 90.0, 300.0, 50.0, 8)
    assert lon.size > 0 and np.isfinite(lon).all() and np.isfinite(lat).all()


def test_point_set_is_at_that_distance_beyond_the_region():
    w = parse_wording("about 350 km west of the Korean Peninsula")
    assert w.place.key == "korean-peninsula" and w.bearing_deg == 270.0
    lon, lat = region_points(w.place, 270.0, 350.0, w.distance_rounding_km, w.bearing_points)
    assert lon.size > 50
    # every point is west of the peninsula's west coast (about 124.6-126.7 E) ...
    assert lon.max() < 125.0
    # ... and at least 0.9 x the distance from the outline's vertices it was drawn from
    from eezcheck.wording.regions import _outline  # noqa: PLC2701 - test of the module itself

    vx, vy, _ = _outline("korean-peninsula")
    i = np.argmin(lat)
    _, _, d = GEOD.inv(np.full(vx.size, lon[i]), np.full(vx.size, lat[i]), vx, vy)
    assert d.min() / 1000 >= 0.9 * 325 - 1


@pytest.mark.parametrize(
    "text,verdict",
    [
        ("about 350 km west of the Korean Peninsula", "outside"),
        ("about 600 km east of the Philippines", "outside"),
        ("about 3,200 km east of Japan", "outside"),
        ("日本の東約3,200キロ", "outside"),
        ("about 200 km west of Japan", "uncertain"),
        ("日本海に落下", "uncertain"),
    ],
)
def test_verdicts(text, verdict):
    r = check(text=text)
    assert r.japan_eez.value == verdict
    m = r.uncertainty_model
    assert m is not None and m["kind"] == "region"
    assert m["all_on_one_side"] is (verdict != "uncertain")
    if verdict == "outside":
        assert r.p_inside == 0.0 and m["points_inside"] == 0
    else:
        assert 0 < m["points_inside"] < m["points"]


def test_the_answer_says_which():
    out = CliRunner().invoke(cli, ["check", "about 3,200 km east of Japan"])
    assert out.exit_code == 0, out.output
    head = out.output.splitlines()[0]
    assert head.startswith("OUTSIDE Japan's EEZ (every point about 3,200 km E of Japan is outside)")
    assert "about 3,200 km E of Japan" in head
    js = json.loads(CliRunner().invoke(cli, ["check", "--json", "日本海に落下"]).output)
    assert js["japan_eez"] == "uncertain" and js["description_en"] == "in the Sea of Japan"
    assert js["input"]["reference"] == "region"
    head = CliRunner().invoke(cli, ["check", "日本海に落下"]).output.splitlines()[0]
    assert head.startswith("UNCERTAIN (the points in the Sea of Japan lie on both sides of the limit")


def test_places_still_win_over_regions():
    assert parse_wording("about 200 km W of Okushiri, Japan").place.key == "okushiri"


@pytest.mark.parametrize(
    "text,key",
    [
        ("fell into the Sea of Japan inside Japan's ADIZ", "sea-of-japan"),
        ("landed in the Sea of Japan, inside Japan's air defense identification zone", "sea-of-japan"),
        ("It fell outside Japan's EEZ in the Sea of Japan", "sea-of-japan"),
        ("fell into the Pacific outside Japan's exclusive economic zone (EEZ)", "pacific"),
        ("fell in the East China Sea inside Japan's EEZ", "east-china-sea"),
        ("日本海の我が国の防空識別圏内に落下", "sea-of-japan"),
        ("日本の防空識別圏内の日本海に落下", "sea-of-japan"),
        ("我が国の排他的経済水域外の日本海に落下", "sea-of-japan"),
    ],
)
def test_the_zone_a_report_names_is_read_around(text, key):
    """"inside Japan's ADIZ" / 防空識別圏内 says which zone, not where: the point set is the whole
    sea named (never surer than that), and the matched text keeps the user's words."""
    w = parse_wording(text)
    assert w.place.key == key and w.distance_km == 0 and w.bearing_points == 1
    assert w.matched_text == text


@pytest.mark.parametrize("text,zone", [("fell inside Japan's ADIZ", "inside Japan's ADIZ"),
                                       ("日本の防空識別圏内に落下", "日本の防空識別圏内")])  # fmt: skip
def test_a_zone_alone_is_an_error_naming_it(text, zone):
    from eezcheck.errors import WordingError

    with pytest.raises(WordingError) as info:
        parse_wording(text)
    assert repr(zone) in str(info.value) and "names a zone, not where in it" in str(info.value)


def test_read_as_says_the_region_itself():
    res = CliRunner().invoke(cli, ["check", "fell into the Sea of Japan inside Japan's ADIZ"])
    assert "read as          the Sea of Japan (日本海) itself, no distance or bearing given" in res.stdout
    res = CliRunner().invoke(cli, ["check", "near Okushiri"])
    assert "read as          near Okushiri Island (奥尻島), no distance or bearing given" in res.stdout
