"""The column reader :func:`eezcheck.wording.parse_wordings_many` gives, row by row and field by
field, what :func:`eezcheck.wording.parse_wordings` (the search over every pattern) gives: the
same phrases, or an error of the same type and message."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eezcheck.errors import InvalidInputError
from eezcheck.places import COMPASS_EN, COMPASS_JA, places
from eezcheck.wording import normalize_text, parse_wordings, parse_wordings_many
from eezcheck.wording.parser import _simple_match  # noqa: PLC2701 - the fast path's own guard
from eezcheck.wording.regions import regions

CORPUS = Path(__file__).parent / "data" / "mod_phrases.csv"
MOD_VERDICTS = Path(__file__).parents[2] / "shared" / "data" / "events" / "mod_verdicts_2016_2020.csv"


def _full(text):
    """The reference: the search over every pattern, text by text."""
    try:
        return [w.to_dict() | {"place_obj": w.place} for w in parse_wordings(text)]
    except InvalidInputError as exc:
        return (type(exc), str(exc))


def _fast(texts):
    out = []
    for got in parse_wordings_many(texts):
        if isinstance(got, Exception):
            out.append((type(got), str(got)))
        else:
            out.append([w.to_dict() | {"place_obj": w.place} for w in got])
    return out


def _same(texts):
    fast = _fast(texts)
    assert len(fast) == len(texts)
    for text, got in zip(texts, fast, strict=True):
        want = _full(text)
        assert got == want, text
        if isinstance(want, list):  # floats bit for bit (== already; NaN never expected)
            for a, b in zip(got, want, strict=True):
                assert all(math.isfinite(a[k]) for k in ("lon", "lat"))
                assert (a["lon"], a["lat"]) == (b["lon"], b["lat"])


def _corpus():
    with CORPUS.open(encoding="utf-8") as f:
        return [r["text"] for r in csv.DictReader(f)]


def test_corpus_row_by_row_and_repeated():
    texts = _corpus()
    _same(texts)
    _same(texts * 3 + list(reversed(texts)))


def test_corpus_mostly_takes_the_fast_path():
    """The guard is not a wall that sends everything to the slow search."""
    texts = _corpus()
    simple = [t for t in texts if _simple_match(normalize_text(t)) is not None]
    assert len(simple) >= 0.8 * len(texts)
    # ... and the ones it declines hold several distances or come before a place
    assert _simple_match(normalize_text("Cape Erimo east 1180 km")) is None
    assert _simple_match(normalize_text("奥尻島の西約200kmに、渡島大島の西約250キロ")) is None


@pytest.mark.skipif(not MOD_VERDICTS.exists(), reason="shared MoD table absent")
def test_mod_table_wordings():
    with MOD_VERDICTS.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    texts = [r[k] for r in rows for k in ("impact_description", "notes", "source2") if r.get(k)]
    assert len(texts) > len(rows)
    _same(texts)


def test_errors_and_odd_cells_keep_their_rows():
    texts = ["", "   ", "foo", "200 km W of Nowhere", "奥尻島の西約400キロ飛翔", "奥尻島の左約200キロ",
             "about 200 km upward of Okushiri", "奥尻島の西300~250キロ", "near Okushiri", "日本海に落下",
             "about 3,200 km east of Japan", "about 350 km west of the Korean Peninsula",
             "奥尻島の西約200km", "奥尻島の西約200km"]  # fmt: skip
    _same(texts)
    got = parse_wordings_many([None, 3.5, "奥尻島の西約200km"])
    assert isinstance(got[0], InvalidInputError) and isinstance(got[1], InvalidInputError)
    assert got[2][0].place.key == "okushiri"
    assert parse_wordings_many([]) == []


# --------------------------------------------------------------------------------------------
# Generated wordings: every form the MoD and the press use, and damaged ones

_NAMES_EN = sorted({n for p in places() for n in (p.name_en, *p.aliases) if n.isascii()})[:400]
_NAMES_JA = sorted({n for p in places() for n in (p.name_ja, *p.aliases) if not n.isascii()})
_REGIONS = sorted({n for r in regions() for n in (r.name_en, r.name_ja)})
_PREFS = ["", "北海道", "秋田県", "石川県", "島根県隠岐諸島の", "Hokkaido's ", "Akita Prefecture's "]
_BEAR_EN = [*COMPASS_EN, "west", "north-northwest", "North North-West", "due west", "to the west", "westward", "up"]
_BEAR_JA = [*COMPASS_JA, "西方", "北西方向", "西沖", "東北", "左"]
_APPROX_EN = ["", "about ", "approximately ", "approx. ", "some ", "around ", "~", "an estimated ", "nearly "]
_APPROX_JA = ["", "約", "およそ", "概ね", "、約", "、", "，約", "に約"]
_UNIT_EN = [" km", "km", " kilometers", " kilometres", " nautical miles", " nm", " miles", " kms"]
_UNIT_JA = ["キロ", "km", "ｋｍ", "キロメートル", "海里", "キロほど", "キロ付近", "キロ程度"]
_HEAD_EN = ["", "It fell ", "fell in Japan's EEZ ", "The missile landed ", "Okushiri west ", "4 missiles fell ",
            "奥尻島の西 ", "At 7:16 a.m. it fell ", "It flew 1,000 km and fell "]
_TAIL_EN = ["", " Island", " in Hokkaido", ".", ", Hokkaido", " and Sado", " (124 miles)", " at 7:16 a.m."]
_HEAD_JA = ["", "弾道ミサイルは", "1発は", "本日、", "奥尻島の西 ", "午前6時12分ごろ、", "約1,000km飛翔し、",
            "最高高度は約50キロで、", "2発目は200-", "7時27分頃に"]
_TAIL_JA = ["", "の日本海", "に落下", "の我が国の排他的経済水域内", "の日本のEEZ外", "飛翔", "、奥尻島の北西約150km", " west"]


def _number():
    plain = st.integers(0, 4000).map(str)
    commas = st.integers(1000, 9999).map(lambda v: f"{v:,d}")
    decimal = st.tuples(st.integers(0, 999), st.integers(0, 99)).map(lambda t: f"{t[0]}.{t[1]}")
    full = st.integers(0, 999).map(lambda v: str(v).translate(str.maketrans("0123456789", "０１２３４５６７８９")))
    kanji = st.sampled_from(["二百", "二百五十", "千百八十", "三百五十", "二〇〇", "十"])
    one = st.one_of(plain, commas, decimal, full, kanji)
    rng = st.tuples(one, st.sampled_from(["-", "~", "〜", "～", " to ", "から"]), one).map("".join)
    return st.one_of(one, one, rng)


_EN = st.tuples(
    st.sampled_from(_HEAD_EN), st.sampled_from(_APPROX_EN), _number(), st.sampled_from(_UNIT_EN),
    st.sampled_from(_BEAR_EN), st.sampled_from([" of ", " from ", " off ", " of the ", "  of  "]),
    st.sampled_from(_PREFS[4:] + [""]), st.sampled_from(_NAMES_EN + _REGIONS), st.sampled_from(_TAIL_EN),
).map(lambda t: f"{t[0]}{t[1]}{t[2]}{t[3]} {t[4]}{t[5]}{t[6]}{t[7]}{t[8]}")
_JA = st.tuples(
    st.sampled_from(_HEAD_JA), st.sampled_from(_PREFS[:5]), st.sampled_from(_NAMES_JA + _REGIONS),
    st.sampled_from(["の", "", "から", "沖の"]), st.sampled_from(_BEAR_JA), st.sampled_from(_APPROX_JA),
    _number(), st.sampled_from(_UNIT_JA), st.sampled_from(_TAIL_JA),
).map("".join)


@st.composite
def _damaged(draw):
    """A generated wording with a few characters inserted, deleted or replaced."""
    text = draw(st.one_of(_EN, _JA))
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["insert", "delete", "replace"]))
        ch = draw(st.sampled_from(list(" 0123456789,.-~、の西北約km()aZ\u0130\u212a")) | st.characters())
        if op == "insert":
            text = text[:i] + ch + text[i:]
        elif op == "delete":
            text = text[:i] + text[i + 1 :]
        else:
            text = text[:i] + ch + text[i + 1 :]
    return text


_SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(st.lists(st.one_of(_EN, _JA), min_size=1, max_size=12))
def test_generated_wordings_same_as_the_search(texts):
    _same(texts)


@_SETTINGS
@given(st.lists(_damaged(), min_size=1, max_size=8))
def test_damaged_wordings_same_as_the_search(texts):
    _same(texts)
