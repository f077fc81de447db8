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

Uncertainty (:func:`uncertainty_from_wording`), half-widths of the region that holds the
impact point:
    along = step/2 + extent of the reference place;
    across = distance × half the compass sector (in radians) + extent of the reference place.
These are bounds implied by the wording (rounding and compass sector), used as the 95 %
region for P(inside) later; the extent term covers "Noto Peninsula" being 100 km long.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from eezcheck.errors import UnknownPlaceError, WordingError
from eezcheck.geodesy import NM, destination
from eezcheck.places import Place, find_place, resolve_place
from eezcheck.wording.compass import parse_bearing

__all__ = ["Wording", "WordingUncertainty", "parse_wording", "uncertainty_from_wording"]

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_DIST = rf"(?P<lo>{_NUM})(?:\s*(?:-|–|—|~|〜|to|から)\s*(?P<hi>{_NUM}))?"
_UNIT_EN = r"(?P<unit>km|kms|kilomet(?:er|re)s?|nautical\s+miles?|nmi|nm|n\.m\.|miles?|mi)(?![a-z])"
_UNIT_JA = r"(?P<unit>km|キロメートル|キロ|海里|浬)"
_APPROX_EN = r"(?P<approx>about|approximately|approx\.?|around|roughly|some|nearly|circa|ca\.|~|an\s+estimated)"
_APPROX_JA = r"(?P<approx>約|およそ|おおよそ|概ね|大体)"
_PLACE_EN = r"(?P<place>[^()（）\[\];；\n]+)"
_BW_EN = r"(?P<bw>[a-z]{1,20}(?:[\s\-][a-z]{1,20}){0,2})"

_EN_A = re.compile(
    rf"(?:{_APPROX_EN}\s*)?{_DIST}\s*{_UNIT_EN}\s+(?:(?:to\s+the|to|due)\s+)?{_BW_EN}"
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
_JA_TAIL = rf"(?:に|へ)?\s*(?:{_APPROX_JA})?\s*{_DIST}\s*{_UNIT_JA}(?P<hodo>ほど|程度|前後|余り)?"
_JA_A = re.compile(
    rf"{_JA_PLACE}(?:の|から)?\s*(?P<bw>[北南東西]{{1,3}})(?:方向|方面|方|側|寄り|より)?{_JA_TAIL}"
)
_JA_BAD = re.compile(rf"{_JA_PLACE}(?:の|から)(?P<bw>[^\d\s約およ、。]{{1,4}}?){_JA_TAIL}")
_JA_NOBEARING = re.compile(rf"{_JA_PLACE}から\s*(?:{_APPROX_JA})?\s*{_DIST}\s*{_UNIT_JA}")
_NEAR_EN = re.compile(r"^\s*(?:near|at)\s+(?P<place>.+?)\s*$", re.IGNORECASE)
_NEAR_JA = re.compile(r"^\s*(?P<place>.+?)(?:の)?付近\s*$")


@dataclass(frozen=True)
class Wording:
    """A parsed MoD-style description and the point it implies.

    ``lon, lat`` is the geodesic destination from ``place`` along ``bearing_deg`` for
    ``distance_km``. ``distance_rounding_km`` is the rounding step inferred from how the
    distance was written; ``bearing_points`` the compass precision (8 or 16; 1 = no bearing).
    """

    place: Place
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


@dataclass(frozen=True)
class WordingUncertainty:
    """Half-widths (km) of the region a wording allows; unpacks as ``along_km, across_km``."""

    along_km: float
    across_km: float

    def __iter__(self) -> Iterator[float]:
        return iter((self.along_km, self.across_km))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _step(text: str) -> float:
    """Rounding step of one written number (in its own unit); see the module docstring."""
    clean = text.replace(",", "")
    if "." in clean and clean.rstrip("0").split(".")[1]:
        return 10.0 ** -len(clean.rstrip("0").split(".")[1])
    v = round(float(clean))
    cap = 10 if v < 100 else 50 if v < 1000 else 100
    for step in (100, 50, 10, 5):
        if step <= cap and v and v % step == 0:
            return float(step)
    return 1.0


def _distance(m: re.Match[str]) -> tuple[float, float, str]:
    """Distance (km), rounding step (km) and unit name from a match."""
    unit = re.sub(r"\s+", " ", m.group("unit").lower())
    factor = (
        NM / 1000.0
        if unit in ("nm", "nmi", "n.m.", "海里", "浬") or unit.startswith("nautical")
        else (1.609344 if unit in ("mi", "mile", "miles") else 1.0)
    )
    lo = _number(m.group("lo"))
    if m.group("hi"):
        hi = _number(m.group("hi"))
        if hi < lo:
            raise WordingError(f"distance range {m.group('lo')}-{m.group('hi')} runs backwards")
        value, step = (lo + hi) / 2.0, hi - lo if hi > lo else _step(m.group("hi"))
    else:
        value, step = lo, _step(m.group("lo"))
    return value * factor, step * factor, unit


def _resolve_words(text: str, from_end: bool) -> Place | None:
    """Longest run of leading (or trailing) words of ``text`` naming a known place."""
    words = text.split()
    spans = range(len(words), 0, -1)
    for n in spans:
        cand = " ".join(words[-n:] if from_end else words[:n]).strip(" ,.'’")
        if cand:
            hit = resolve_place(cand)
            if hit is not None:
                return hit
    return None


def _resolve_ja(text: str) -> tuple[Place | None, int]:
    """Longest suffix of a Japanese run of characters naming a known place, and its offset."""
    for i in range(len(text)):
        hit = resolve_place(text[i:])
        if hit is not None:
            return hit, i
    return None, 0


def _build(
    place: Place,
    m: re.Match[str],
    bearing_word: str,
    language: str,
    approx: bool,
    skip: int = 0,
) -> Wording:
    deg, points = parse_bearing(bearing_word)
    dist_km, step_km, _ = _distance(m)
    lon, lat = destination(place.lon, place.lat, deg, dist_km * 1000.0)
    start, end = m.span("lo")[0], m.span("unit")[1]
    if language == "ja" and m.group("hodo"):
        end = m.span("hodo")[1]
    return Wording(
        place=place, bearing_deg=deg, bearing_word=bearing_word, bearing_points=points,
        distance_km=dist_km, distance_text=m.string[start:end], distance_rounding_km=step_km,
        approximate=approx, lon=float(lon), lat=float(lat), language=language,
        matched_text=m.string[m.start() + skip : m.end()].strip(),
    )  # fmt: skip


def _near(place: Place, text: str, language: str) -> Wording:
    return Wording(
        place=place, bearing_deg=0.0, bearing_word="", bearing_points=1, distance_km=0.0,
        distance_text="", distance_rounding_km=5.0, approximate=True, lon=place.lon,
        lat=place.lat, language=language, matched_text=text.strip(),
    )  # fmt: skip


def parse_wording(text: str) -> Wording:
    """Parse the first readable MoD-style impact description in ``text``.

    English: "about 200 km west of Okushiri Island", "200km W of Okushiri",
    "approximately 250 km west of the Oga Peninsula", "Cape Erimo east 1,180 km",
    "about 100 nm NW of Okushiri". Japanese: "北海道奥尻島の西約200km", "奥尻島の西方約200キロ",
    "青森県西方約250キロ", "男鹿半島から西に約300~350キロ", "...約100海里". Longer sentences are
    searched for the first such phrase. The rounding and uncertainty rules are in the module
    docstring.

    Raises :class:`~eezcheck.errors.WordingError` (unreadable bearing word, no bearing, nothing
    recognisable) or :class:`~eezcheck.errors.UnknownPlaceError` (with ``.suggestions``).

    >>> w = parse_wording("北海道奥尻島の西約200km")
    >>> w.place.key, w.bearing_deg, w.distance_km, w.distance_rounding_km
    ('okushiri', 270.0, 200.0, 50.0)
    """
    if not isinstance(text, str) or not text.strip():
        raise WordingError(f"empty description {text!r}; write e.g. 'about 200 km W of Okushiri'")
    s = unicodedata.normalize("NFKC", text)

    near = _NEAR_EN.match(s) or _NEAR_JA.match(s)
    if near:
        place = resolve_place(near.group("place"))
        if place is not None:
            return _near(place, s, "ja" if near.re is _NEAR_JA else "en")

    candidates: list[tuple[int, str, re.Match[str]]] = []
    for pattern, kind in ((_EN_A, "en_a"), (_EN_B, "en_b"), (_JA_A, "ja")):
        for m in pattern.finditer(s):
            candidates.append((m.start(), kind, m))
    candidates.sort(key=lambda c: c[0])

    first_error: Exception | None = None
    for _, kind, m in candidates:
        try:
            if kind == "en_a":
                place_text = re.split(r"\s+and\s+", m.group("place"))[0]
                place = _resolve_words(place_text, from_end=False)
                if place is None:
                    words = place_text.split()
                    raise _place_error(" ".join(words[:4]))
                return _build(place, m, m.group("bw"), "en", bool(m.group("approx")))
            if kind == "en_b":
                if m.group("bw").lower() in ("of", "from", "off", "and", "the"):
                    continue
                place = _resolve_words(m.group("place"), from_end=True)
                if place is None:
                    continue  # pattern B is loose; only trust it when the place is known
                return _build(place, m, m.group("bw"), "en", bool(m.group("approx")))
            place, skip = _resolve_ja(m.group("place"))
            if place is None:
                raise _place_error(m.group("place"))
            approx = bool(m.group("approx") or m.group("hodo"))
            return _build(place, m, m.group("bw"), "ja", approx, skip)
        except (WordingError, UnknownPlaceError) as exc:
            if first_error is None or (
                isinstance(first_error, UnknownPlaceError) and isinstance(exc, WordingError)
            ):
                first_error = exc
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
    raise WordingError(
        f"no impact description found in {text!r}; write e.g. 'about 200 km W of Okushiri', "
        "'Cape Erimo east 1,180 km' or '北海道奥尻島の西約200km'"
    )


def _place_error(name: str) -> UnknownPlaceError:
    """The :class:`UnknownPlaceError` that :func:`eezcheck.places.find_place` raises."""
    try:
        find_place(name)
    except UnknownPlaceError as exc:
        return exc
    return UnknownPlaceError(f"unknown place {name!r}")  # pragma: no cover - resolved meanwhile


def uncertainty_from_wording(w: Wording) -> WordingUncertainty:
    """Half-widths (km) along and across the bearing of the region ``w`` allows.

    along = rounding step / 2 + place extent; across = distance × half the compass sector
    (11.25° for 16 points, 22.5° for 8, in radians) + place extent. See the module docstring.

    >>> along, across = uncertainty_from_wording(parse_wording("about 250 km W of Okushiri"))
    >>> round(along), round(across)
    (37, 110)
    """
    half_sector = math.radians(min(180.0 / max(w.bearing_points, 1), 180.0))
    along = w.distance_rounding_km / 2.0 + w.place.extent_km
    across = w.distance_km * half_sector + w.place.extent_km
    return WordingUncertainty(along_km=along, across_km=across)
