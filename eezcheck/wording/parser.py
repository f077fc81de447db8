"""Read MoD-style impact descriptions and the point and uncertainty they imply.

Rules for descriptions such as "about 200 km W of Okushiri" / "北海道奥尻島の西約200km":

Distance precision (``distance_rounding_km``, the width of the rounding step):
    * a range "200-250 km" / "200~250キロ" -> its midpoint, step = the width of the range, so
      the interval written is exactly midpoint ± step/2;
    * a number with decimals -> one unit of the last decimal;
    * otherwise the largest of 100, 50, 10, 5, 1 that divides the number, capped by magnitude:
      at most 10 below 100, at most 50 below 1,000, at most 100 from 1,000 up. So 250 -> 50,
      200 -> 50 (the MoD uses 50 km steps around 200-400 km: 200, 250, 300, 350),
      1,180 -> 10, 2,200 -> 100, 75 -> 5, 80 -> 10.
    The same rule applies whether or not "about"/約 is written (the press often drops it).
    Nautical miles are rounded in nautical miles, then converted (1 nm = 1.852 km).

Bearing precision (``bearing_points``):
    three-part words (NNW, north-northwest, 北北西) -> 16 points (sector ± 11.25°); one- or
    two-part words (W, NW, 西, 北西) -> 8 points (± 22.5°), because the MoD may be using an
    8-point rose. "near X" / "X付近" has no direction (``bearing_points`` = 1, distance 0).

Uncertainty (:func:`uncertainty_from_wording`): 95 % half-widths along and across the
bearing from the model fitted to the MoD's record (:mod:`eezcheck.wording.model`): rounding of
the distance and of the compass word, the size of the reference place and the error of the
MoD's own estimate, which grows with the distance.
"""

from __future__ import annotations

import functools
import gc
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np

from eezcheck.errors import InvalidInputError, UnknownPlaceError, WordingError
from eezcheck.geodesy import NM, destination
from eezcheck.places import Place, find_place, resolve_place, specificity
from eezcheck.uncertainty import WordingUncertainty
from eezcheck.wording.compass import parse_bearing
from eezcheck.wording.numbers import kanji_to_int, normalize_text, number_value, rounding_step
from eezcheck.wording.regions import Region, nominal_point, region_points, resolve_region

__all__ = [
    "Wording",
    "WordingUncertainty",
    "kanji_to_int",
    "normalize_text",
    "parse_wording",
    "parse_wordings",
    "parse_wordings_many",
    "clear_caches",
    "rounding_step",
    "uncertainty_from_wording",
]

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_DIST = rf"(?P<lo>{_NUM})(?:\s*(?:-|–|—|~|〜|to|から)\s*(?P<hi>{_NUM}))?"
_UNIT_EN = r"(?P<unit>km|kms|kilomet(?:er|re)s?|nautical\s+miles?|nmi|nm|n\.m\.|miles?|mi)(?![a-z])"
_UNIT_JA = r"(?P<unit>km|キロメートル|キロ|海里|浬)"
_APPROX_EN = r"(?P<approx>about|approximately|approx\.?|around|roughly|some|nearly|circa|ca\.|~|an\s+estimated)"
_APPROX_JA = r"(?P<approx>約|およそ|おおよそ|概ね|大体)"
_PLACE_EN = r"(?P<place>[^()（）\[\];；\n]+)"
_NOT_OF = r"(?!(?:of|from|off)(?![a-z]))"  # a compass word never holds "of": "W of X off Y"
_BW_EN = rf"(?P<bw>{_NOT_OF}[a-z]{{1,20}}(?:[\s\-]{_NOT_OF}[a-z]{{1,20}}){{0,2}})"

_EN_A = re.compile(
    rf"(?:{_APPROX_EN}\s*)?{_DIST}\s*{_UNIT_EN}(?:\s*\([^()]{{0,30}}\))?\s+"
    rf"(?:(?:to\s+the|to|due)\s+)?{_BW_EN}"
    rf"\s+(?:of|from|off)\s+{_PLACE_EN}",
    re.IGNORECASE,
)
_EN_B = re.compile(
    r"(?<![a-z'’.\-])(?P<place>[a-z][a-z'’.\-]{0,30}(?:\s+[a-z][a-z'’.\-]{0,30}){0,5}?)\s+"
    r"(?P<bw>[a-z]{1,12}(?:-[a-z]{1,12}){0,2})\s+"
    rf"(?:{_APPROX_EN}\s*)?{_DIST}\s*{_UNIT_EN}",
    re.IGNORECASE,
)
_EN_NOBEARING = re.compile(
    rf"(?:{_APPROX_EN}\s*)?{_DIST}\s*{_UNIT_EN}\s+(?:from|off)\s+{_PLACE_EN}", re.IGNORECASE
)
_JA_PLACE = r"(?P<place>[^\s、。,，;；()（）「」\[\]~〜]{1,40}?)"
_JA_SEP = r"(?:[、,]\s*)?"
_JA_TAIL = (
    rf"{_JA_SEP}(?:に|へ)?\s*{_JA_SEP}(?:{_APPROX_JA})?\s*{_DIST}\s*{_UNIT_JA}"
    r"(?P<hodo>ほど|程度|前後|余り|付近)?(?!\s*(?:を|も)?\s*(?:飛翔|飛行|飛ん|上昇))"
)
_JA_A = re.compile(
    rf"{_JA_PLACE}(?:の|から)?\s*(?P<bw>[北南東西]{{1,3}})(?:方向|方面|方|側|寄り|より)?(?:沖合?)?"
    rf"{_JA_TAIL}"
)
_JA_BAD = re.compile(rf"{_JA_PLACE}(?:の|から)(?P<bw>[^\d\s約およ、。]{{1,4}}?){_JA_TAIL}")
_JA_NOBEARING = re.compile(rf"{_JA_PLACE}から\s*(?:{_APPROX_JA})?\s*{_DIST}\s*{_UNIT_JA}")
_EN_OFF_COAST = re.compile(
    rf"(?:{_APPROX_EN}\s*)?{_DIST}\s*{_UNIT_EN}(?:\s*\([^()]{{0,30}}\))?\s+off\s+(?:the\s+)?"
    rf"(?P<bw>[a-z]{{1,20}}(?:-[a-z]{{1,20}}){{0,2}})\s+coast\s+of\s+{_PLACE_EN}",
    re.IGNORECASE,
)
_ANY_DISTANCE = re.compile(rf"{_DIST}\s*(?:{_UNIT_EN}|キロメートル|キロ|海里|浬)", re.IGNORECASE)
_ZONE_NAMES = r"(?:ADIZ|EEZ|防空識別圏|排他的経済水域)"
_ZONE_EN = re.compile(
    r"\s*,?\s*(?:(?:most|very|quite)\s+)?(?:(?:likely|probably|possibly|apparently)\s+)?"
    r"\b(?:inside|within|in|outside(?:\s+of)?)\s+(?:the\s+)?(?:Japan(?:'s|’s)?|Japanese|our)\s+"
    r"(?:ADIZ|air[\s-]defen[cs]e\s+identification\s+zone|EEZ|exclusive\s+economic\s+zone)"
    rf"(?:\s*\({_ZONE_NAMES}\))?",
    re.IGNORECASE,
)
_ZONE_JA = re.compile(
    rf"の?(?:我が国|わが国|日本)の?(?:防空識別圏|排他的経済水域|EEZ)(?:\s*\({_ZONE_NAMES}\))?(?:内|外)?の?"
)
"""What a report says about the zone ("inside Japan's ADIZ", "我が国の排他的経済水域外"): read
around, never as the place (the point set stays the whole sea named: never surer than that)."""
_NEAR_EN = re.compile(r"^\s*(?:near|at)\s+(?P<place>.+?)\s*$", re.IGNORECASE)
_NEAR_JA = re.compile(r"^\s*(?P<place>.+?)(?:の)?付近\s*$")
_IN_REGION_EN = re.compile(
    r"^\s*(?:(?:it|the\s+missile|the\s+missiles|they)\s+)?(?:has\s+|have\s+)?"
    r"(?:(?:fell|fallen|landed|splashed\s+down|dropped|crashed)\s+)?"
    r"(?:(?:into|inside|in)\s+)?(?P<place>[^\d]+?)\s*\.?\s*$",
    re.IGNORECASE,
)
_IN_REGION_JA = re.compile(r"^\s*(?P<place>[^\d]+?)(?:内|上)?(?:に|へ)?(?:落下|着弾|着水)?(?:した)?(?:もの)?(?:と推定)?。?\s*$")


@dataclass(frozen=True)
class Wording:
    """A parsed MoD-style description and the point it implies.

    ``lon, lat`` is the geodesic destination from ``place`` along ``bearing_deg`` for
    ``distance_km``; for a region (:class:`~eezcheck.wording.regions.Region`: "west of the
    Korean Peninsula") the middle of its point set. ``distance_rounding_km`` is the rounding step inferred from how the
    distance was written; ``bearing_points`` the compass precision (8 or 16; 1 = no bearing).
    """

    place: Place | Region
    bearing_deg: float
    bearing_word: str
    bearing_points: int
    distance_km: float
    distance_text: str
    distance_rounding_km: float
    approximate: bool
    lon: float
    lat: float
    language: str
    matched_text: str

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["place"] = self.place.key
        return d


def _distance(m: re.Match[str]) -> tuple[float, float]:
    """Distance (km) and rounding step (km) from a match."""
    return _distance_of(m.group("unit"), m.group("lo"), m.group("hi"))


@functools.lru_cache(maxsize=4096)
def _distance_of(unit_text: str, lo_text: str, hi_text: str | None) -> tuple[float, float]:
    unit = re.sub(r"\s+", " ", unit_text.lower())
    factor = (
        NM / 1000.0
        if unit in ("nm", "nmi", "n.m.", "海里", "浬") or unit.startswith("nautical")
        else (1.609344 if unit in ("mi", "mile", "miles") else 1.0)
    )
    lo = number_value(lo_text)
    if hi_text:
        hi = number_value(hi_text)
        if hi < lo:
            raise WordingError(f"distance range {lo_text}-{hi_text} runs backwards")
        value, step = (lo + hi) / 2.0, hi - lo if hi > lo else rounding_step(hi_text)
    else:
        value, step = lo, rounding_step(lo_text)
    return value * factor, step * factor


_JA_CLAUSE_END = frozenset("には頃")
_JA_TRAILING_COMPASS = re.compile(r"[北南東西]{1,3}(?:方向|方面|方|側|沖)$")
_AND = re.compile(r"\s+and\s+")
_WORD = re.compile(r"\S+")
_CONNECTIVES = frozenset({"off", "of", "in", "near", "and", "from"})


@functools.lru_cache(maxsize=16_384)
def _resolve_words(text: str, from_end: bool) -> tuple[Place | Region | None, int]:
    """Longest run of leading (or trailing) words of ``text`` naming a known place, and the
    length of ``text`` up to the end of that run (for leading runs); memoised."""
    spans = [m.span() for m in _WORD.finditer(text)]
    words = [text[a:b] for a, b in spans]
    best: tuple[int, Place, int] | None = None
    for n in range(len(words), 0, -1):
        cand = " ".join(words[-n:] if from_end else words[:n]).strip(" ,.'’")
        hit = resolve_place(cand) if cand else None
        if hit is None:
            continue
        if from_end:
            return hit, spans[n - 1][1]
        # the most specific place of the longest runs: "Hokkaido's Okushiri Island around 8:37"
        # names Okushiri (its first words alone resolve to Hokkaido, through a segment)
        if best is None or specificity(hit) < best[0]:
            while (  # "Okushiri Island off (Hokkaido)": the name ends before "off"
                n > 1
                and words[n - 1].casefold() in _CONNECTIVES
                and resolve_place(" ".join(words[: n - 1]).strip(" ,.'’")) == hit
            ):
                n -= 1
            best = (specificity(hit), hit, n)
    if best is not None:
        return best[1], spans[best[2] - 1][1]
    for n in range(len(words), 0, -1):  # a region ("the Korean Peninsula") only after places
        cand = " ".join(words[-n:] if from_end else words[:n]).strip(" ,.'’")
        region = resolve_region(cand) if cand else None
        if region is not None:
            return region, spans[n - 1][1]
    return None, 0


@functools.lru_cache(maxsize=16_384)
def _resolve_ja(text: str) -> tuple[Place | Region | None, int]:
    """Longest suffix of a Japanese run of characters naming a known place, and its offset;
    memoised."""
    for i in range(len(text)):
        hit = resolve_place(text[i:])
        if hit is not None:
            # "7時27分頃に島根県隠岐諸島の島後沖": the name starts after the clause before it
            for j in range(len(text) - 1, i - 1, -1):
                if text[j] in _JA_CLAUSE_END and resolve_place(text[j + 1 :]) == hit:
                    return hit, j + 1
            return hit, i
    for i in range(len(text)):
        region = resolve_region(text[i:])
        if region is not None:
            return region, i
    bare = _JA_TRAILING_COMPASS.sub("", text)  # "襟裳岬東方の東約1180キロ" (NHK, 2017-08-29)
    return _resolve_ja(bare) if bare != text else (None, 0)


_Reading = tuple[Place | Region, str, str, bool, int, int | None]
"""What a candidate match says: place, compass word, language, approximate, and where the
matched text starts (offset into the match) and ends (None: the match's end)."""


def _point(place: Place | Region, m: re.Match[str], bearing_word: str) -> tuple[float, float]:
    """The point a reading implies (one geodesic; the middle of a region's point set)."""
    deg, points = parse_bearing(bearing_word)
    dist_km, step_km = _distance(m)
    if isinstance(place, Region):
        return nominal_point(*region_points(place, deg, dist_km, step_km, points))
    lon, lat = destination(place.lon, place.lat, deg, dist_km * 1000.0)
    return float(lon), float(lat)


_NEW = object.__new__


def _build(
    m: re.Match[str],
    reading: _Reading,
    lon: float,
    lat: float,
    bearing: tuple[float, int] | None = None,
    distance: tuple[float, float] | None = None,
) -> Wording:
    """The wording of a reading and its point (``bearing``, ``distance``: already read)."""
    place, bearing_word, language, approx, skip, end = reading
    deg, points = bearing or parse_bearing(bearing_word)
    dist_km, step_km = distance or _distance(m)
    start, dist_end = m.start("lo"), m.end("unit")
    if language == "ja" and m.group("hodo"):
        dist_end = m.end("hodo")
    w = _NEW(Wording)  # Wording(...) without its frozen __init__'s twelve __setattr__ calls
    w.__dict__.update(
        place=place, bearing_deg=deg, bearing_word=bearing_word, bearing_points=points,
        distance_km=dist_km, distance_text=m.string[start:dist_end], distance_rounding_km=step_km,
        approximate=approx, lon=float(lon), lat=float(lat), language=language,
        matched_text=m.string[m.start() + skip : m.end() if end is None else end].strip(" ,.;"),
    )  # fmt: skip
    return w


def _near(place: Place | Region, text: str, language: str) -> Wording:
    if isinstance(place, Region):  # "in the Sea of Japan": the region itself
        lon, lat = nominal_point(*region_points(place, 0.0, 0.0, 0.0, 1))
        return Wording(
            place=place, bearing_deg=0.0, bearing_word="", bearing_points=1, distance_km=0.0,
            distance_text="", distance_rounding_km=0.0, approximate=True, lon=lon, lat=lat,
            language=language, matched_text=text.strip(),
        )  # fmt: skip
    return Wording(
        place=place, bearing_deg=0.0, bearing_word="", bearing_points=1, distance_km=0.0,
        distance_text="", distance_rounding_km=5.0, approximate=True, lon=place.lon,
        lat=place.lat, language=language, matched_text=text.strip(),
    )  # fmt: skip


def _candidates(s: str) -> list[tuple[int, str, re.Match[str]]]:
    found: list[tuple[int, str, re.Match[str]]] = []
    for pattern, kind in ((_EN_A, "en_a"), (_EN_OFF_COAST, "en_a"), (_EN_B, "en_b"), (_JA_A, "ja")):
        for m in pattern.finditer(s):
            found.append((m.start(), kind, m))
    found.sort(key=lambda c: c[0])
    return found


def _reading(kind: str, m: re.Match[str]) -> _Reading | None:
    """What one candidate match says; None to skip it; raises when it is unreadable."""
    if kind == "en_a":
        place_text = m.group("place")
        if "and" in place_text:
            place_text = _AND.split(place_text, maxsplit=1)[0]
        place, used = _resolve_words(place_text, from_end=False)
        if place is None:
            words = place_text.split()
            raise _place_error(" ".join(words[:4]))
        return place, m.group("bw"), "en", bool(m.group("approx")), 0, m.start("place") + used
    if kind == "en_b":
        if m.group("bw").lower() in ("of", "from", "off", "and", "the"):
            return None
        place, _ = _resolve_words(m.group("place"), from_end=True)
        if place is None:
            return None  # pattern B is loose; only trust it when the place is known
        return place, m.group("bw"), "en", bool(m.group("approx")), 0, None
    place, skip = _resolve_ja(m.group("place"))
    if place is None:
        raise _place_error(m.group("place"))
    return place, m.group("bw"), "ja", bool(m.group("approx") or m.group("hodo")), skip, None


def _read(kind: str, m: re.Match[str]) -> Wording | None:
    """The wording of one candidate match; None to skip it; raises when it is unreadable."""
    reading = _reading(kind, m)
    if reading is None:
        return None
    return _build(m, reading, *_point(reading[0], m, reading[1]))


def clear_caches() -> None:
    """Forget the memoised readings (texts, place names, compass words): for benchmarks."""
    _parse_cached.cache_clear()
    _resolve_words.cache_clear()
    _resolve_ja.cache_clear()
    _distance_of.cache_clear()
    _place_error_text.cache_clear()
    resolve_place.cache_clear()
    parse_bearing.cache_clear()
    resolve_region.cache_clear()


def parse_wordings(text: str) -> list[Wording]:
    """Every MoD-style impact description in ``text`` (a phrase, a sentence or a whole release).

    The phrases are returned in the order they are written; the same impact written twice
    (an English report quoting the Japanese original: same place, bearing and distance) is
    returned once. Distances flown ("約400キロ飛翔") are not impacts. Raises like
    :func:`parse_wording` when no phrase can be read.

    Each distinct text is read once (memoised: a table of repeated phrases costs one reading
    per phrase; :class:`Wording` is frozen).

    >>> [w.matched_text for w in parse_wordings(
    ...     "1発目は奥尻島の西約200kmに、2発目は渡島大島の西、約250キロの日本海に落下")]
    ['奥尻島の西約200km', '渡島大島の西、約250キロ']
    """
    if not isinstance(text, str) or not text.strip():
        raise WordingError(f"empty description {text!r}; write e.g. 'about 200 km W of Okushiri'")
    return list(_parse_cached(text))


@functools.lru_cache(maxsize=65_536)
def _parse_cached(text: str) -> tuple[Wording, ...]:
    return tuple(_parse(text))


def _parse(text: str) -> list[Wording]:
    if not isinstance(text, str) or not text.strip():
        raise WordingError(f"empty description {text!r}; write e.g. 'about 200 km W of Okushiri'")
    s = normalize_text(text)

    has_distance = _ANY_DISTANCE.search(s) is not None
    # "fell into the Sea of Japan inside Japan's ADIZ": the zone says which zone, not where
    bare = s if has_distance else _ZONE_JA.sub("", _ZONE_EN.sub("", s))
    near = None if has_distance else (_NEAR_EN.match(bare) or _NEAR_JA.match(bare))
    if near:
        place = resolve_place(near.group("place"))
        if place is not None:
            return [_near(place, s, "ja" if near.re is _NEAR_JA else "en")]
    if not has_distance:  # "fell into the Sea of Japan", "日本海に落下"
        for pattern, language in ((_IN_REGION_JA, "ja"), (_IN_REGION_EN, "en")):
            inside = pattern.match(bare)
            region = resolve_region(inside.group("place")) if inside else None
            if region is not None:
                return [_near(region, s, language)]
        zone = _ZONE_EN.search(s) or _ZONE_JA.search(s)
        if zone:
            raise WordingError(
                f"{zone.group(0).strip(' ,の')!r} in {s.strip()!r} names a zone, not where in it: "
                "give the sea ('fell into the Sea of Japan inside Japan's ADIZ', '日本海の我が国の"
                "防空識別圏内に落下') or a distance and bearing ('about 200 km W of Okushiri')"
            )

    out: list[Wording] = []
    taken: list[tuple[int, int]] = []
    seen: set[tuple[str, float, float, float]] = set()
    first_error: Exception | None = None
    for _, kind, m in _candidates(s):
        span = (m.start("lo"), m.end("unit"))
        if any(a < span[1] and span[0] < b for a, b in taken):
            continue  # another pattern already read this distance
        try:
            w = _read(kind, m)
        except (WordingError, UnknownPlaceError) as exc:
            if first_error is None or (
                isinstance(first_error, UnknownPlaceError) and isinstance(exc, WordingError)
            ):
                first_error = exc
            continue
        if w is None:
            continue
        taken.append(span)
        key = (w.place.key, w.bearing_deg, w.distance_km, w.distance_rounding_km)
        if key not in seen:
            seen.add(key)
            out.append(w)
    if out:
        return out
    if first_error is not None:
        raise first_error

    bad = _JA_BAD.search(s)
    if bad and _resolve_ja(bad.group("place"))[0] is not None:
        parse_bearing(bad.group("bw"))  # raises, naming the word
    nob = _EN_NOBEARING.search(s) or _JA_NOBEARING.search(s)
    if nob:
        raise WordingError(
            f"{nob.group(0).strip()!r} gives a distance but no bearing, so no point can be "
            "computed; write e.g. 'about 300 km W of the Oga Peninsula' or '男鹿半島の西約300km'"
        )
    shown = text if len(text) <= 120 else text[:117] + "..."
    dist = _ANY_DISTANCE.search(s)
    part = ""
    if dist:
        a, b = max(0, dist.start() - 25), min(len(s), dist.end() + 10)
        part = (
            f"; the part {s[a:b].strip()!r} has a distance but no known place and compass word "
            "around it"
        )
    raise WordingError(
        f"no impact description found in {shown!r}{part}; write e.g. 'about 200 km W of "
        "Okushiri', 'Cape Erimo east 1,180 km' or '北海道奥尻島の西約200km'"
    )


_DIGIT = re.compile(r"\d")
_LATIN = re.compile(r"[A-Za-z\u0130\u0131\u017f\u212a]")  # what [a-z] matches ignoring case
_GOES_ON = re.compile(r"[\s(]")


def _simple_match(s: str) -> tuple[str, re.Match[str]] | None:
    """The one candidate of a normalised text that holds a single phrase, or None.

    A text qualifies when the full search (:func:`_parse`) would read this candidate and no
    other: no distance with a unit starts at a digit outside the phrase's distance (every
    candidate of every pattern has one, so any other one overlaps this one and comes after it
    or is skipped), and

    * Japanese: the Japanese pattern's match, with no Latin letter before the distance nor
      after it where an English pattern could go on (a space or a bracket after the unit);
    * English (no Japanese phrase in the text): the first pattern's match, and any
      "PLACE BEARING DISTANCE" match before it names no known place (it would come first).
    """
    m = None if s.isascii() else _JA_A.search(s)  # (no Japanese compass word: no match)
    if m is not None:
        a, b = m.span("unit")
        if _LATIN.search(s, 0, a) or (_LATIN.search(s, b) and _GOES_ON.match(s, b)):
            return None  # an English pattern might read it
        kind = "ja"
    else:  # no Japanese phrase: whatever the English patterns find
        m = _EN_A.search(s)
        if m is None:
            return None
        kind = "en_a"
        if m.start():  # a "PLACE BEARING DISTANCE" match may start before it
            mb = _EN_B.search(s)
            if mb is not None and mb.start() < m.start() and _reading("en_b", mb) is not None:
                return None
    a, b = m.start("lo"), m.end("hi") if m.group("hi") else m.end("lo")
    for d in _DIGIT.finditer(s):  # a time ("午前6時12分") is no distance; "1,000km飛翔" is one
        if not a <= d.start() < b and _ANY_DISTANCE.match(s, d.start()):
            return None
    return kind, m


def parse_wordings_many(texts: Iterable[Any]) -> list[list[Wording] | InvalidInputError]:
    """:func:`parse_wordings` of every text of a column, in order: per text the list of its
    phrases, or the error it raises (the same error :func:`parse_wordings` raises).

    The result is the same as :func:`parse_wordings` text by text; the common case, a text
    holding one phrase (:func:`_simple_match`), is read without the search over every
    pattern, each distinct place name, compass word and distance once, and all the geodesics
    in one vectorised call. A text repeated in the column is read once. The garbage collector
    is paused meanwhile (none of these objects form cycles).

    >>> [ws[0].place.key for ws in parse_wordings_many(["奥尻島の西約200km", "200 km W of Oga"])]
    ['okushiri', 'oga-peninsula']
    """
    items = list(texts)
    collecting = gc.isenabled()
    gc.disable()  # the objects made here hold no cycles; collecting them only costs time
    try:
        return _parse_many(items)
    finally:
        if collecting:
            gc.enable()


def _parse_many(items: list[Any]) -> list[list[Wording] | InvalidInputError]:
    out: list[Any] = [None] * len(items)
    first: dict[str, int] = {}
    repeats: list[tuple[int, int]] = []
    simple: list[tuple[int, re.Match[str], _Reading, tuple[float, int], tuple[float, float]]] = []
    for i, text in enumerate(items):
        if isinstance(text, str):
            j = first.setdefault(text, i)
            if j != i:
                repeats.append((i, j))
                continue
            found = _simple_match(normalize_text(text))
            if found is not None:
                try:  # errors are worded by parse_wordings below
                    reading = _reading(*found)
                    if reading is not None and not isinstance(reading[0], Region):
                        bearing, distance = parse_bearing(reading[1]), _distance(found[1])
                        simple.append((i, found[1], reading, bearing, distance))
                        continue
                except InvalidInputError:
                    pass
        try:
            out[i] = parse_wordings(text)
        except InvalidInputError as exc:
            out[i] = exc
    if simple:
        lon0 = np.array([r[0].lon for _, _, r, _, _ in simple])
        lat0 = np.array([r[0].lat for _, _, r, _, _ in simple])
        az = np.array([b[0] for _, _, _, b, _ in simple])
        dist = np.array([d[0] * 1000.0 for _, _, _, _, d in simple])
        lons, lats = destination(lon0, lat0, az, dist)
        for (i, m, r, b, d), lon, lat in zip(simple, lons.tolist(), lats.tolist(), strict=True):
            out[i] = [_build(m, r, lon, lat, b, d)]
    for i, j in repeats:
        out[i] = list(out[j]) if isinstance(out[j], list) else out[j]
    return out


def parse_wording(text: str) -> Wording:
    """Parse the first readable MoD-style impact description in ``text``.

    English: "about 200 km west of Okushiri Island", "200km W of Okushiri",
    "approximately 250 km west of the Oga Peninsula", "Cape Erimo east 1,180 km",
    "about 100 nm NW of Okushiri", "some 250 km (155 miles) off the west coast of Akita".
    Japanese: "北海道奥尻島の西約200km", "奥尻島の西方約200キロ", "北海道奥尻島西沖約200キロ",
    "石川県舳倉島の北、およそ300キロ", "青森県西方約250キロ", "男鹿半島から西に約300~350キロ",
    "襟裳岬の東約千百八十キロ", "...約100海里". Longer sentences are searched for the first
    such phrase (:func:`parse_wordings` returns them all). The rounding and uncertainty rules
    are in the module docstring.

    Raises :class:`~eezcheck.errors.WordingError` (unreadable bearing word, no bearing, nothing
    recognisable, quoting the part with a distance) or
    :class:`~eezcheck.errors.UnknownPlaceError` (with ``.suggestions``).

    >>> w = parse_wording("北海道奥尻島の西約200km")
    >>> w.place.key, w.bearing_deg, w.distance_km, w.distance_rounding_km
    ('okushiri', 270.0, 200.0, 50.0)
    """
    return parse_wordings(text)[0]


def _place_error(name: str) -> UnknownPlaceError:
    """The :class:`UnknownPlaceError` that :func:`eezcheck.places.find_place` raises (a new
    one each time; its message and suggestions memoised by name)."""
    message, suggestions = _place_error_text(name)
    return UnknownPlaceError(message, list(suggestions))


@functools.lru_cache(maxsize=4096)
def _place_error_text(name: str) -> tuple[str, tuple[str, ...]]:
    try:
        find_place(name)
    except UnknownPlaceError as exc:
        return str(exc), tuple(exc.suggestions)
    return f"unknown place {name!r}", ()  # pragma: no cover - resolved meanwhile


def uncertainty_from_wording(w: Wording) -> WordingUncertainty:
    """The region ``w`` allows (:class:`eezcheck.uncertainty.WordingUncertainty`): 95 %
    half-widths (km) along and across the bearing; unpacks as ``along_km, across_km``.

    ``1.96 sigma`` of the fitted model :data:`eezcheck.wording.model.MODEL`: rounding of the
    distance and of the compass word, size of the reference place and the error of the MoD's
    estimate (see :mod:`eezcheck.wording.model` and DESIGN.md).

    >>> along, across = uncertainty_from_wording(parse_wording("about 250 km W of Okushiri"))
    >>> round(along), round(across)
    (41, 115)
    """
    from eezcheck.wording.model import wording_sigmas_km

    sigma_along, sigma_across = wording_sigmas_km(w)
    u = WordingUncertainty.from_sigmas(
        w.place.lon, w.place.lat, w.bearing_deg, w.distance_km, sigma_along, sigma_across
    )
    if isinstance(w.place, Region):
        return replace(
            u, region=w.place.key, rounding_km=w.distance_rounding_km, bearing_points=w.bearing_points
        )
    return u
