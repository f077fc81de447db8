"""Tests for eezcheck.wording: compass words, MoD wordings and their uncertainty."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from eezcheck.descriptions import describe
from eezcheck.errors import UnknownPlaceError, WordingError
from eezcheck.geodesy import GEOD, destination
from eezcheck.places import COMPASS_EN, COMPASS_JA, find_place
from eezcheck.wording import (
    kanji_to_int,
    normalize_text,
    parse_bearing,
    parse_wording,
    parse_wordings,
    uncertainty_from_wording,
)
from eezcheck.wording.model import MODEL
from eezcheck.wording.regions import Region

SHARED = Path(__file__).parents[2] / "shared" / "data"
MOD_VERDICTS = SHARED / "events" / "mod_verdicts_2016_2020.csv"


def _km(lon1, lat1, lon2, lat2):
    return GEOD.inv(lon1, lat1, lon2, lat2)[2] / 1000.0


# --------------------------------------------------------------------------------------------
# Compass words


@pytest.mark.parametrize("i", range(16))
def test_parse_bearing_all_points(i):
    deg = i * 22.5
    points = 16 if len(COMPASS_EN[i]) == 3 else 8
    full = "-".join(
        {"N": "north", "S": "south", "E": "east", "W": "west"}[c] for c in COMPASS_EN[i]
    )
    for word in (COMPASS_EN[i], COMPASS_EN[i].lower(), full, full.replace("-", " "), COMPASS_JA[i]):
        assert parse_bearing(word) == (deg, points), word


@pytest.mark.parametrize(
    ("word", "deg", "points"),
    [
        ("West", 270, 8),
        ("due west", 270, 8),
        ("westward", 270, 8),
        ("north-west", 315, 8),
        ("North North-West", 337.5, 16),
        ("西方", 270, 8),
        ("西方向", 270, 8),
        ("北西方", 315, 8),
        ("北寄り", 0, 8),
        ("東北", 45, 8),
        ("西南", 225, 8),
        ("ＷＮＷ", 292.5, 16),
    ],
)
def test_parse_bearing_variants(word, deg, points):
    assert parse_bearing(word) == (deg, points)


@pytest.mark.parametrize("word", ["westish", "up", "NNNW", "北北北", "左", "", "north by west"])
def test_parse_bearing_errors_name_the_word(word):
    with pytest.raises(WordingError) as info:
        parse_bearing(word)
    assert repr(word) in str(info.value)


# --------------------------------------------------------------------------------------------
# Wordings

# text -> (place key, bearing deg, points, distance km, rounding km, approximate, language)
WORDINGS = {
    "about 200 km west of Okushiri Island": ("okushiri", 270, 8, 200, 50, True, "en"),
    "200km W of Okushiri": ("okushiri", 270, 8, 200, 50, False, "en"),
    "北海道奥尻島の西約200km": ("okushiri", 270, 8, 200, 50, True, "ja"),
    "奥尻島の西方約200キロ": ("okushiri", 270, 8, 200, 50, True, "ja"),
    "島後の北約350km": ("dogo", 0, 8, 350, 50, True, "ja"),
    "男鹿半島の西約250キロ": ("oga-peninsula", 270, 8, 250, 50, True, "ja"),
    "青森県西方約250キロ": ("aomori", 270, 8, 250, 50, True, "ja"),
    "Cape Erimo east 1,180 km": ("cape-erimo", 90, 8, 1180, 10, False, "en"),
    "approximately 250 km west of the Oga Peninsula": ("oga-peninsula", 270, 8, 250, 50, True, "en"),
    "landed in Japan's EEZ 250 km west of Akita Prefecture's Oga Peninsula "
    "(男鹿半島の西方約250キロ)": ("oga-peninsula", 270, 8, 250, 50, False, "en"),
    "男鹿半島の西方約250キロの日本海": ("oga-peninsula", 270, 8, 250, 50, True, "ja"),
    "about 100 nm NW of Okushiri": ("okushiri", 315, 8, 185.2, 92.6, True, "en"),
    "奥尻島の北西約100海里": ("okushiri", 315, 8, 185.2, 92.6, True, "ja"),
    "about 120 nautical miles north of Sado": ("sado", 0, 8, 222.24, 18.52, True, "en"),
    "200-250 km west of Okushiri Island": ("okushiri", 270, 8, 225, 50, False, "en"),
    "奥尻島の西200～250キロ": ("okushiri", 270, 8, 225, 50, False, "ja"),
    "男鹿半島から西に約300~350キロ": ("oga-peninsula", 270, 8, 325, 50, True, "ja"),
    "男鹿半島から西に約300〜350キロ": ("oga-peninsula", 270, 8, 325, 50, True, "ja"),
    "about 300 to 350 km W of Oga": ("oga-peninsula", 270, 8, 325, 50, True, "en"),
    "島根県隠岐諸島の島後沖の北約350km": ("dogo", 0, 8, 350, 50, True, "ja"),
    "島後から北寄りに370キロほど": ("dogo", 0, 8, 370, 10, True, "ja"),
    "積丹半島西約200キロ、奥尻島北西約150キロ": ("shakotan-peninsula", 270, 8, 200, 50, True, "ja"),
    "奥尻島北西約150キロ": ("okushiri", 315, 8, 150, 50, True, "ja"),
    "around 200km north-northwest of the Noto Peninsula": ("noto-peninsula", 337.5, 16, 200, 50, True, "en"),
    "about 200 km NNW of Noto": ("noto-peninsula", 337.5, 16, 200, 50, True, "en"),
    "能登半島の北北西約200km": ("noto-peninsula", 337.5, 16, 200, 50, True, "ja"),
    "approx. 2,200 kilometers east of the Cape Erimo at around 7:16 a.m.": ("cape-erimo", 90, 8, 2200, 100, True, "en"),
    "about 210 km W of Oshima-Oshima": ("oshima-oshima", 270, 8, 210, 10, True, "en"),
    "渡島大島の西約210km": ("oshima-oshima", 270, 8, 210, 10, True, "ja"),
    "about 75 km east-southeast of Cape Erimo": ("cape-erimo", 112.5, 16, 75, 5, True, "en"),
    "some 1,000 kilometres to the west of Cape Erimo": ("cape-erimo", 270, 8, 1000, 100, True, "en"),
    "250.5 km W of Oga": ("oga-peninsula", 270, 8, 250.5, 0.1, False, "en"),
    "襟裳岬の東約１，１８０ｋｍ": ("cape-erimo", 90, 8, 1180, 10, True, "ja"),
    "near Okushiri": ("okushiri", 0, 1, 0, 5, True, "en"),
    "奥尻島付近": ("okushiri", 0, 1, 0, 5, True, "ja"),
}  # fmt: skip


@pytest.mark.parametrize("text", list(WORDINGS))
def test_parse_wording(text):
    key, deg, points, dist, rounding, approx, lang = WORDINGS[text]
    w = parse_wording(text)
    assert w.place.key == key
    assert (w.bearing_deg, w.bearing_points) == (deg, points)
    assert w.distance_km == pytest.approx(dist)
    assert w.distance_rounding_km == pytest.approx(rounding)
    assert (w.approximate, w.language) == (approx, lang)
    # the point is the geodesic destination from the place
    lon, lat = destination(w.place.lon, w.place.lat, w.bearing_deg, w.distance_km * 1000)
    assert (w.lon, w.lat) == pytest.approx((lon, lat))
    assert _km(w.place.lon, w.place.lat, w.lon, w.lat) == pytest.approx(dist, abs=1e-6)
    json.dumps(w.to_dict())


def test_wording_fields_and_spans():
    w = parse_wording("landed in Japan's EEZ 250 km west of Akita Prefecture's Oga Peninsula")
    assert w.bearing_word == "west" and w.distance_text == "250 km"
    assert w.matched_text.startswith("250 km west of Akita Prefecture's Oga Peninsula")
    w = parse_wording("男鹿半島から西に約300~350キロ")
    assert w.bearing_word == "西" and w.distance_text == "300~350キロ"
    assert w.distance_text in w.matched_text


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("about 200 km westish of Okushiri", "westish"),
        ("about 200 km upwards of Okushiri", "upwards"),
        ("奥尻島の左約200km", "左"),
        ("奥尻島の北北北約200km", "北北北"),
    ],
)
def test_unreadable_bearing_names_the_word(text, word):
    with pytest.raises(WordingError) as info:
        parse_wording(text)
    assert repr(word) in str(info.value)


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("about 200 km W of Okushri", "Okushiri Island"),
        ("about 250 km west of the Ogaa Peninsula", "Oga Peninsula"),
        ("奥尻島島島の西約200km", None),
    ],
)
def test_unknown_place_in_wording(text, suggestion):
    if suggestion is None:  # resolves after all: decorations are stripped repeatedly
        assert parse_wording(text).place.key == "okushiri"
        return
    with pytest.raises(UnknownPlaceError) as info:
        parse_wording(text)
    assert suggestion in info.value.suggestions
    assert suggestion in str(info.value)


def test_unknown_japanese_place():
    with pytest.raises(UnknownPlaceError, match="架空半島"):
        parse_wording("架空半島東方約400キロ")
    # the Korean Peninsula is a region now (tests/test_regions.py), not an unknown place
    assert parse_wording("朝鮮半島東方約400キロ").place.key == "korean-peninsula"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("about 300 km from Akita's Oga Peninsula", "no bearing"),
        ("男鹿半島から約300キロ", "no bearing"),
        ("about 500 km from Sado Island and about 300 km from the Oki Islands", "no bearing"),
        ("likely landed outside Japan's exclusive economic zone", "names a zone, not where in it"),
        ("--", "no impact description"),
        ("", "empty description"),
        ("   ", "empty description"),
        ("250-200 km W of Oga", "runs backwards"),
    ],
)
def test_wording_errors(text, reason):
    with pytest.raises(WordingError, match=reason):
        parse_wording(text)


def test_wording_rejects_non_strings():
    with pytest.raises(WordingError):
        parse_wording(None)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Uncertainty


def _model_sigmas(distance, step, half_sector_deg, extent, model=MODEL):
    est2 = model.floor_km**2 + (model.relative * distance) ** 2
    along = math.sqrt(step**2 / 12 + extent**2 / 3 + est2)
    across = math.sqrt((distance * math.radians(half_sector_deg)) ** 2 / 3 + extent**2 / 3 + est2)
    return along, across


def test_uncertainty_rule():
    """95 % half-widths are 1.96 sigma of the fitted model (rounding + sector + extent + estimate)."""
    w = parse_wording("about 250 km W of Okushiri")  # 8 points, step 50, extent 12
    along, across = uncertainty_from_wording(w)
    a, c = _model_sigmas(250, 50, 22.5, 12)
    assert (along, across) == pytest.approx((1.959964 * a, 1.959964 * c))
    w16 = parse_wording("about 250 km WNW of Okushiri")
    assert uncertainty_from_wording(w16).across_km == pytest.approx(
        1.959964 * _model_sigmas(250, 50, 11.25, 12)[1]
    )
    assert uncertainty_from_wording(w16).across_km < across  # a finer compass word is narrower
    fine = parse_wording("about 1,180 km E of Cape Erimo")  # step 10, extent 1
    assert uncertainty_from_wording(fine).along_km == pytest.approx(
        1.959964 * _model_sigmas(1180, 10, 22.5, 1)[0]
    )
    near = parse_wording("near Cape Erimo")  # no bearing: the place's size and the 5 km step
    assert tuple(uncertainty_from_wording(near)) == pytest.approx(
        (1.959964 * math.sqrt(25 / 12 + 1 / 3), 1.959964 * math.sqrt(1 / 3))
    )
    d = json.loads(json.dumps(uncertainty_from_wording(w).to_dict()))
    assert d["along_95_km"] == round(along, 3) and d["kind"] == "wording"


def test_rounder_and_farther_wordings_are_wider():
    def along(text):
        return uncertainty_from_wording(parse_wording(text)).along_km

    assert along("約250km W of Okushiri") > along("約260km W of Okushiri")  # 50 vs 10 km step
    assert along("200~300km W of Okushiri") > along("約250km W of Okushiri")  # a range is wider
    assert along("約2,200 km E of Cape Erimo") > 2 * along("約1,180 km E of Cape Erimo") / 1.5


@pytest.mark.parametrize(
    ("written", "step"),
    [("7", 1), ("75", 5), ("80", 10), ("50", 10), ("100", 50), ("150", 50), ("200", 50),
     ("210", 10), ("370", 10), ("1,000", 100), ("1,180", 10), ("2,200", 100), ("3,200", 100),
     ("1,185", 5), ("12.5", 0.1), ("12.25", 0.01)],
)  # fmt: skip
def test_distance_rounding_rule(written, step):
    assert parse_wording(f"{written} km W of Oga").distance_rounding_km == pytest.approx(step)


# Sea and ocean around Japan: the area describe() is meant for.
_points = st.tuples(st.floats(122.0, 160.0), st.floats(18.0, 47.0))


@settings(max_examples=120, deadline=None)
@given(_points, st.sampled_from(["en", "ja"]))
def test_describe_then_parse_is_within_the_rounding(point, lang):
    lon, lat = point
    d = describe(lon, lat)
    w = parse_wording(d.en if lang == "en" else d.ja)
    assert w.place.key == d.place.key
    assert w.language == lang
    # distance and bearing each within what the wording's rounding allows
    az, _, dist_m = GEOD.inv(w.place.lon, w.place.lat, lon, lat)
    assert abs(dist_m / 1000 - w.distance_km) <= w.distance_rounding_km / 2 + 1e-6
    if w.bearing_points > 1:
        half_sector = 180.0 / w.bearing_points
        diff = (az - w.bearing_deg + 180.0) % 360.0 - 180.0
        assert abs(diff) <= half_sector + 1e-6
    # and the point within the uncertainty region
    along, across = uncertainty_from_wording(w)
    assert _km(lon, lat, w.lon, w.lat) <= math.hypot(along, across) + 1e-6


@settings(max_examples=40, deadline=None)
@given(
    key=st.sampled_from(["okushiri", "oga-peninsula", "dogo", "cape-erimo", "aomori", "sado"]),
    i=st.integers(0, 15),
    dist=st.integers(1, 300).map(lambda k: k * 10),
)
def test_english_and_japanese_agree(key, i, dist):
    place = find_place(key)
    en = parse_wording(f"about {dist:,} km {COMPASS_EN[i]} of {place.name_en}")
    ja = parse_wording(f"{place.name_ja}の{COMPASS_JA[i]}約{dist:,}km")
    assert (en.place, en.bearing_deg, en.distance_km) == (ja.place, ja.bearing_deg, ja.distance_km)
    assert (en.lon, en.lat) == pytest.approx((ja.lon, ja.lat))
    assume(en.language == "en")


# --------------------------------------------------------------------------------------------
# Real MoD wordings 2016-2020


def _mod_rows():
    if not MOD_VERDICTS.is_file():
        pytest.skip(f"shared reference data not present ({MOD_VERDICTS})")
    with MOD_VERDICTS.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_mod_descriptions_parse_near_the_reported_points():
    rows = [r for r in _mod_rows() if r["impact_lat"]]
    assert len(rows) >= 13
    parsed = 0
    for row in rows:
        try:
            w = parse_wording(row["impact_description"])
        except WordingError as exc:
            # "about 300 km from the Oki Islands": no bearing in the wording itself; read the
            # row's structured columns instead.
            assert "no bearing" in str(exc), row["event_id"]
            w = parse_wording(
                f"{float(row['impact_distance_km']):g} km {row['impact_bearing']} of "
                f"{row['impact_ref_place']}"
            )
        else:
            parsed += 1
        off = _km(w.lon, w.lat, float(row["impact_lon"]), float(row["impact_lat"]))
        assert off < 60, (row["event_id"], row["impact_description"], w.place.key, off)
    assert parsed >= len(rows) - 1


def test_mod_structured_columns_parse_exactly():
    for row in _mod_rows():
        if not row["impact_ref_place"]:
            continue
        w = parse_wording(
            f"{float(row['impact_distance_km']):g} km {row['impact_bearing']} of "
            f"{row['impact_ref_place']}"
        )
        assert w.bearing_deg == float(row["impact_bearing_deg"])
        off = _km(w.lon, w.lat, float(row["impact_lon"]), float(row["impact_lat"]))
        assert off < 30, (row["event_id"], off)  # only the place coordinate and sphere differ


def test_every_mod_description_parses_or_fails_cleanly():
    ok = 0
    for row in _mod_rows():
        try:
            parse_wording(row["impact_description"])
            ok += 1
        except (WordingError, UnknownPlaceError):
            pass
    assert ok >= 13


def test_mod_prefecture_wording():
    """2017-11-29: "青森県西方約250キロ" (no point in the shared table; sanity only)."""
    w = parse_wording("flew ~53 min, fell ~04:11 in Japan's EEZ about 250 km west of Aomori "
                      "Prefecture (青森県西方約250キロ)")  # fmt: skip
    assert w.place.key == "aomori" and w.distance_km == 250
    assert 40.5 < w.lat < 41.1 and 137.3 < w.lon < 138.2  # Sea of Japan, W of Aomori
    along, across = uncertainty_from_wording(w)
    assert along >= 80  # the prefecture's size dominates


def test_long_sentences_and_long_junk():
    text = (
        "北朝鮮が本日午前に発射した弾道ミサイルは約40分間飛翔し北海道奥尻島の西約200kmの"
        "日本海の我が国排他的経済水域内に落下したものと推定されます"
    )
    w = parse_wording(text)
    assert (w.place.key, w.distance_km, w.bearing_deg) == ("okushiri", 200, 270)
    assert w.matched_text == "北海道奥尻島の西約200km"
    # long inputs do not make the patterns backtrack for seconds
    for junk in ("word " * 2000, "奥尻島" * 2000, "a-" * 5000 + " 3 km"):
        with pytest.raises((WordingError, UnknownPlaceError)):
            parse_wording(junk)
    assert parse_wording("x" * 20000 + " 200 km W of Oga").place.key == "oga-peninsula"


# --------------------------------------------------------------------------------------------
# The corpus of published phrases (tests/data/mod_phrases.csv, a source per row)

CORPUS = Path(__file__).parent / "data" / "mod_phrases.csv"


def _corpus() -> list[dict[str, str]]:
    with CORPUS.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_corpus_is_large_and_sourced():
    rows = _corpus()
    assert len(rows) >= 60
    assert all(r["source"].strip() and r["basis"] for r in rows)
    assert len({r["text"] for r in rows}) == len(rows)


@pytest.mark.parametrize("row", _corpus(), ids=lambda r: r["text"][:40])
def test_corpus_phrase_gives_the_expected_point(row):
    found = parse_wordings(row["text"])
    assert len(found) == int(row["impacts"])
    w = found[0]
    assert w.place.key == row["place"]
    assert w.bearing_deg == pytest.approx(float(row["bearing_deg"]))
    assert w.distance_km == pytest.approx(float(row["distance_km"]))
    assert w.distance_rounding_km == pytest.approx(float(row["rounding_km"]))
    assert w.matched_text in normalize_text(row["text"])
    if isinstance(w.place, Region):  # the middle of the region's point set (tests/test_regions.py)
        return
    place = find_place(row["place"])
    lon, lat = destination(place.lon, place.lat, w.bearing_deg, w.distance_km * 1000.0)
    assert (w.lon, w.lat) == pytest.approx((float(lon), float(lat)))


@pytest.mark.parametrize(
    "text, quoted",
    [
        ("北朝鮮の東岸付近、約400キロ先に落下", "'北朝鮮の東岸付近、約400キロ先に落下'"),
        ("it fell about 300 km into the sea", "'it fell about 300 km into the'"),
    ],
)
def test_unreadable_text_quotes_the_part_with_a_distance(text, quoted):
    with pytest.raises(WordingError) as e:
        parse_wordings(text)
    assert quoted in str(e.value) and "no impact description found" in str(e.value)


@pytest.mark.parametrize(
    "kanji, value",
    [("二百", 200), ("二百五十", 250), ("千百八十", 1180), ("二千二百", 2200), ("三百五十", 350),
     ("二〇〇", 200), ("十", 10), ("三万", 30000)],
)  # fmt: skip
def test_kanji_numerals(kanji, value):
    assert kanji_to_int(kanji) == value


def test_place_names_with_numerals_are_not_numbers():
    # 五島列島, 八丈島, 三宅島: numerals in names are only read as numbers before a unit
    assert normalize_text("五島列島の西約二百キロ") == "五島列島の西約200キロ"
    assert parse_wording("八丈島の東約三百キロ").place.key == "hachijojima"


def test_distance_flown_is_not_an_impact():
    text = "北朝鮮西岸から東方向に約400キロ飛翔し、秋田県男鹿半島の西約250kmの日本海に落下"
    assert [w.matched_text for w in parse_wordings(text)] == ["秋田県男鹿半島の西約250km"]


def test_english_and_japanese_of_one_impact_count_once():
    text = "landed 250 km west of Akita Prefecture's Oga Peninsula (男鹿半島の西方約250キロ)"
    assert len(parse_wordings(text)) == 1


def test_every_mod_wording_of_the_shared_table_parses_or_says_why():
    """Each description in the 2016-2020 table: read, or (no place in it) a clean error."""
    if not MOD_VERDICTS.exists():
        pytest.skip(f"shared table not found at {MOD_VERDICTS}")
    with MOD_VERDICTS.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    read = 0
    for row in rows:
        text = row["impact_description"]
        try:
            found = parse_wordings(text)
        except (WordingError, UnknownPlaceError) as exc:
            # no place + compass word + distance in the text: the error says what it lacks
            assert not row["impact_bearing"] or "no bearing" in str(exc), text
            continue
        read += 1
        if row["impact_ref_place"] and row["impact_bearing"]:
            keys = {w.place.key for w in found}
            assert any(w.distance_km > 0 for w in found)
            assert keys, text
    assert read >= 14


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("発射されたミサイルの1発は、7時27分頃に島根県隠岐諸島の島後沖の北約350kmの我が国の排他的経済水域(EEZ)内に落下",
         "島根県隠岐諸島の島後沖の北約350km"),
        ("ミサイルは京都府経が岬の北約100キロに落下", "京都府経が岬の北約100キロ"),
        ("北海道の襟裳(えりも)岬の東方およそ1180キロの太平洋上", "北海道の襟裳岬の東方およそ1180キロ"),
        ("about 200 kilometers west of Hokkaido's Okushiri Island around 8:37 a.m.",
         "about 200 kilometers west of Hokkaido's Okushiri Island"),
    ],
)  # fmt: skip
def test_matched_text_is_the_phrase_not_the_clause_before_it(text, matched):
    assert parse_wording(text).matched_text == matched


@pytest.mark.parametrize(
    ("name", "key"),
    [("Oshima Island", "oshima-oshima"), ("Oshima island in northern Japan's Hokkaido", "oshima-oshima"),
     ("Oshima Peninsula", "oshima-peninsula"), ("Hokkaido's Okushiri Island", "okushiri")],
)  # fmt: skip
def test_the_kind_word_picks_the_place(name, key):
    assert parse_wording(f"about 200 km west of {name}").place.key == key
