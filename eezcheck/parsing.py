"""Read coordinates and MoD-style impact descriptions as people write them.

Coordinates are *returned* as ``lon, lat`` (the package's order, see :class:`LonLat`) but are
*read* latitude first, as people write them, unless hemisphere letters say otherwise.

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
from typing import Any, NamedTuple

from eezcheck.errors import InvalidCoordinateError, UnknownPlaceError, WordingError
from eezcheck.geodesy import NM, destination, normalize_lon
from eezcheck.places import COMPASS_EN, COMPASS_JA, Place, find_place, resolve_place

__all__ = [
    "LonLat",
    "Wording",
    "WordingUncertainty",
    "format_coordinates",
    "parse_bearing",
    "parse_coordinates",
    "parse_lat_lon",
    "parse_wording",
    "uncertainty_from_wording",
]

_HOW = (
    "write latitude then longitude, e.g. '41.3 138.5', '41.3N 138.5E', "
    "'41°18'N 138°30'E' or '北緯41.3度 東経138.5度'"
)


class LonLat(NamedTuple):
    """A point as ``(lon, lat)`` in degrees (WGS84); note the order."""

    lon: float
    lat: float


# --------------------------------------------------------------------------------------------
# Coordinates

_TOKEN = re.compile(
    r"""
    (?P<num>[+-]?(?:\d+(?:\.\d*)?|\.\d+))
    | (?P<deg>°)
    | (?P<min>')
    | (?P<sec>")
    | (?P<axis>LATITUDE|LONGITUDE|LAT|LONG|LON|LNG)
    | (?P<hemi>NORTH|SOUTH|EAST|WEST|[NSEW])
    | (?P<sep>[,;/])
    | (?P<ws>\s+)
    | (?P<other>.)
    """,
    re.VERBOSE,
)

_JA_COORD = (
    ("北緯", " N "), ("南緯", " S "), ("東経", " E "), ("西経", " W "),
    ("緯度", " LAT "), ("経度", " LON "), ("度", "°"), ("分", "'"), ("秒", '"'),
    ("º", "°"), ("˚", "°"), ("′", "'"), ("’", "'"), ("‘", "'"), ("´", "'"),
    ("″", '"'), ("”", '"'), ("“", '"'), ("''", '"'), ("−", "-"), ("–", "-"),
    ("=", " "), (":", " "),
)  # fmt: skip


@dataclass
class _Component:
    parts: list[tuple[str, str]]  # (number text, marker '' / '°' / "'" / '"')
    hemi: str = ""  # N S E W
    axis: str = ""  # lat / lon


def _coord_error(text: str, reason: str) -> InvalidCoordinateError:
    return InvalidCoordinateError(f"cannot read coordinates from {text!r}: {reason}; {_HOW}")


def _tokens(text: str) -> list[tuple[str, str]]:
    s = unicodedata.normalize("NFKC", str(text))
    for a, b in _JA_COORD:
        s = s.replace(a, b)
    s = s.upper().strip().strip("()[]{}")
    out = []
    for m in _TOKEN.finditer(s):
        kind = m.lastgroup or "other"
        if kind == "ws":
            continue
        out.append((kind, m.group()))
    return out


def _attach_markers(tokens: list[tuple[str, str]], text: str) -> list[tuple[str, Any]]:
    """Merge each number with the °/'/" marker that follows it."""
    out: list[tuple[str, Any]] = []
    for kind, val in tokens:
        if kind == "other":
            if re.search(r"\b(nan|inf|infinity)\b", str(text), re.IGNORECASE):
                raise _coord_error(text, "NaN and infinity are not coordinates")
            raise _coord_error(
                text, f"{val!r} is not a number, a hemisphere letter (N S E W) or a °'\" mark"
            )
        if kind in ("deg", "min", "sec"):
            marker = {"deg": "°", "min": "'", "sec": '"'}[kind]
            if not out or out[-1][0] != "num" or out[-1][1][1]:
                raise _coord_error(text, f"{marker!r} does not follow a number")
            out[-1] = ("num", (out[-1][1][0], marker))
        elif kind == "num":
            out.append(("num", (val, "")))
        elif kind == "hemi":
            out.append(("hemi", val[0]))
        elif kind == "axis":
            out.append(("axis", "lat" if val.startswith("LAT") else "lon"))
        else:
            out.append((kind, val))
    return out


def _split_components(items: list[tuple[str, Any]], text: str) -> list[_Component]:
    letters = [k for k, _ in items if k in ("hemi", "axis")]
    nums = [v for k, v in items if k == "num"]
    if not nums:
        raise _coord_error(text, "no numbers found")
    comps: list[_Component] = []
    if letters:
        prefix = next(k for k, _ in items if k != "sep") in ("hemi", "axis")
        cur = _Component([])
        for kind, val in items:
            if kind == "sep":
                continue
            if kind in ("hemi", "axis"):
                if prefix:
                    if cur.parts or cur.hemi or cur.axis:
                        comps.append(cur)
                    cur = _Component([])
                # A label "LAT N 41.3" may carry both an axis and a hemisphere letter.
                if kind == "hemi":
                    if cur.hemi:
                        raise _coord_error(
                            text, f"two hemisphere letters in a row ({cur.hemi}{val})"
                        )
                    cur.hemi = val
                else:
                    cur.axis = val
                if not prefix:
                    comps.append(cur)
                    cur = _Component([])
            else:
                cur.parts.append(val)
        if cur.parts or cur.hemi or cur.axis:
            comps.append(cur)
        # merge "LAT N 41" style prefix pairs
        merged: list[_Component] = []
        for c in comps:
            if (
                merged
                and prefix
                and not merged[-1].parts
                and (not (merged[-1].hemi and c.hemi) and not (merged[-1].axis and c.axis))
            ):
                merged[-1] = _Component(
                    c.parts, merged[-1].hemi or c.hemi, merged[-1].axis or c.axis
                )
            else:
                merged.append(c)
        comps = merged
        if any(not c.parts for c in comps):
            raise _coord_error(text, "a hemisphere letter or label has no number")
    else:
        seps = [i for i, (k, _) in enumerate(items) if k == "sep"]
        if len(seps) == 1:
            i = seps[0]
            groups = [
                [v for k, v in items[:i] if k == "num"],
                [v for k, v in items[i + 1 :] if k == "num"],
            ]
        elif len(seps) > 1:
            raise _coord_error(text, "more than one separator")
        elif any(mark == "°" for _, mark in nums):
            groups = []
            for val in nums:
                if val[1] == "°" or not groups:
                    groups.append([val])
                else:
                    groups[-1].append(val)
        elif len(nums) in (2, 4, 6):
            size = len(nums) // 2
            groups = [nums[:size], nums[size:]]
        else:
            raise _coord_error(
                text, f"found {len(nums)} numbers, expected 2 (or 4/6 for deg min sec)"
            )
        comps = [_Component(g) for g in groups]
    if len(comps) != 2:
        raise _coord_error(
            text, f"found {len(comps)} coordinate parts, expected latitude and longitude"
        )
    return comps


def _component_value(comp: _Component, text: str) -> float:
    parts = comp.parts
    if len(parts) > 3:
        raise _coord_error(text, f"too many numbers in one coordinate ({len(parts)})")
    slots: list[float | None] = [None, None, None]
    order = {"°": 0, "'": 1, '"': 2}
    pos = 0
    for i, (num, marker) in enumerate(parts):
        slot = order[marker] if marker else pos
        if slot > 2 or slots[slot] is not None or slot < pos:
            raise _coord_error(text, f"cannot tell degrees, minutes and seconds apart in {num!r}")
        if i > 0 and num[0] in "+-":
            raise _coord_error(text, f"minutes/seconds cannot carry a sign ({num!r})")
        slots[slot] = float(num)
        pos = slot + 1
    deg = slots[0] if slots[0] is not None else 0.0
    minutes = slots[1] or 0.0
    seconds = slots[2] or 0.0
    if slots[1] is not None and not deg.is_integer():
        raise _coord_error(text, f"decimal degrees {deg} followed by minutes")
    if slots[2] is not None and not minutes.is_integer():
        raise _coord_error(text, f"decimal minutes {minutes} followed by seconds")
    if not (0 <= minutes < 60 and 0 <= seconds < 60):
        raise _coord_error(text, "minutes and seconds must be within 0..60")
    negative = parts[0][0].startswith("-")
    value = abs(deg) + minutes / 60.0 + seconds / 3600.0
    if comp.hemi in ("S", "W"):
        if negative:
            raise _coord_error(text, f"both a minus sign and {comp.hemi!r}")
        negative = True
    return -value if negative else value


def _finish(lat: float, lon: float, text: str, hint_swap: bool = True) -> LonLat:
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise _coord_error(text, f"latitude {lat} / longitude {lon} is not a finite number")
    if not -90.0 <= lat <= 90.0:
        swapped = hint_swap and abs(lon) <= 90 and abs(lat) <= 180
        hint = " (did you write longitude first?)" if swapped else ""
        raise _coord_error(text, f"latitude {lat:g} is outside -90..90{hint}")
    if not -360.0 <= lon <= 360.0:
        raise _coord_error(text, f"longitude {lon:g} is outside -360..360")
    return LonLat(float(normalize_lon(lon)), float(lat))


def parse_coordinates(text: str) -> LonLat:
    """Parse a point written latitude first; return ``LonLat(lon, lat)``.

    Accepts decimal degrees ("41.3 138.5", "41.3,138.5", "-33.9 151.2"), hemisphere letters
    before or after ("41.3N 138.5E", "N41.3 E138.5", "138.5E 41.3N" -- letters decide the
    order), degrees-minutes-seconds ("41°18'N 138°30'E", "41 18 00 N 138 30 00 E") and
    Japanese ("北緯41度18分 東経138度30分"). Longitudes beyond ±180 (up to ±360) are wrapped.

    >>> parse_coordinates("41°18'N 138°30'E")
    LonLat(lon=138.5, lat=41.3)
    """
    if not isinstance(text, str) or not text.strip():
        raise _coord_error(str(text), "nothing to read")
    items = _attach_markers(_tokens(text), text)
    comps = _split_components(items, text)
    for c in comps:
        if c.hemi:
            axis = "lat" if c.hemi in "NS" else "lon"
            if c.axis and c.axis != axis:
                raise _coord_error(text, f"{c.hemi!r} does not go with a {c.axis} label")
            c.axis = axis
    if comps[0].axis or comps[1].axis:
        if not comps[0].axis:
            comps[0].axis = "lon" if comps[1].axis == "lat" else "lat"
        if not comps[1].axis:
            comps[1].axis = "lon" if comps[0].axis == "lat" else "lat"
        if comps[0].axis == comps[1].axis:
            raise _coord_error(
                text, f"both parts are {'latitudes' if comps[0].axis == 'lat' else 'longitudes'}"
            )
    else:
        comps[0].axis, comps[1].axis = "lat", "lon"
    values = {c.axis: _component_value(c, text) for c in comps}
    return _finish(values["lat"], values["lon"], text)


def _single(value: Any, axis: str, text: str) -> float:
    if isinstance(value, bool):
        raise _coord_error(text, f"{axis} {value!r} is not a number")
    if isinstance(value, (int, float)):
        return float(value)
    if not isinstance(value, str) or not value.strip():
        raise _coord_error(text, f"{axis} {value!r} is empty or not a number")
    items = _attach_markers(_tokens(value), text)
    hemis = [v for k, v in items if k == "hemi"]
    labels = [v for k, v in items if k == "axis"]
    if any(k == "sep" for k, _ in items) or len(hemis) > 1 or len(labels) > 1:
        raise _coord_error(text, f"{axis} {value!r} should be a single value")
    comp = _Component([v for k, v in items if k == "num"], hemis[0] if hemis else "")
    if not comp.parts:
        raise _coord_error(text, f"{axis} {value!r} has no number")
    want = "NS" if axis == "latitude" else "EW"
    if (comp.hemi and comp.hemi not in want) or (labels and labels[0] != axis[:3]):
        raise _coord_error(text, f"{value!r} is not a {axis}")
    return _component_value(comp, text)


def parse_lat_lon(lat: Any, lon: Any) -> LonLat:
    """Validate a latitude and a longitude given separately (``--lat``/``--lon``).

    Each may be a number or a string such as "41.3", "41.3N" or "41°18'N".
    Returns ``LonLat(lon, lat)``.

    >>> parse_lat_lon("41.3N", 138.5)
    LonLat(lon=138.5, lat=41.3)
    """
    text = f"lat={lat!r}, lon={lon!r}"
    return _finish(
        _single(lat, "latitude", text), _single(lon, "longitude", text), text, hint_swap=False
    )


def format_coordinates(lon: float, lat: float, style: str = "hemisphere", digits: int = 4) -> str:
    """Write a point latitude first, as :func:`parse_coordinates` reads it.

    ``style`` is "decimal" ("41.3 138.5"), "hemisphere" ("41.3000N 138.5000E"), "dms"
    ("41°18'00.0"N 138°30'00.0"E") or "ja" ("北緯41.3000度 東経138.5000度").
    """
    if style == "decimal":
        return f"{lat:.{digits}f} {lon:.{digits}f}"
    ns, ew = ("N" if lat >= 0 else "S"), ("E" if lon >= 0 else "W")
    if style == "hemisphere":
        return f"{abs(lat):.{digits}f}{ns} {abs(lon):.{digits}f}{ew}"
    if style == "ja":
        a = "北緯" if lat >= 0 else "南緯"
        b = "東経" if lon >= 0 else "西経"
        return f"{a}{abs(lat):.{digits}f}度 {b}{abs(lon):.{digits}f}度"
    if style == "dms":

        def dms(v: float) -> str:
            tenths = round(abs(v) * 36000)
            d, rem = divmod(tenths, 36000)
            m, s = divmod(rem, 600)
            return f"{d}°{m:02d}'{s / 10:04.1f}\""

        return f"{dms(lat)}{ns} {dms(lon)}{ew}"
    raise ValueError(f"unknown style {style!r}; use decimal, hemisphere, dms or ja")


# --------------------------------------------------------------------------------------------
# Bearings

_EN_BASE = {"n": "north", "s": "south", "e": "east", "w": "west"}


def _bearing_table() -> dict[str, tuple[float, int]]:
    table: dict[str, tuple[float, int]] = {}
    for i, (abbr, ja) in enumerate(zip(COMPASS_EN, COMPASS_JA, strict=True)):
        deg, pts = i * 22.5, (16 if len(abbr) == 3 else 8)
        table[abbr.lower()] = (deg, pts)
        table["".join(_EN_BASE[c] for c in abbr.lower())] = (deg, pts)
        table[ja] = (deg, pts)
    for ja, deg in (("東北", 45.0), ("東南", 135.0), ("西南", 225.0), ("西北", 315.0)):
        table[ja] = (deg, 8)
    return table


_BEARINGS = _bearing_table()
_JA_BEARING_SUFFIX = re.compile(r"(方向|方面|方|側|寄り|より)$")


def parse_bearing(word: str) -> tuple[float, int]:
    """Azimuth (degrees) and compass precision (8 or 16) of a compass word.

    English words and abbreviations ("W", "west", "north-northwest", "NNW", "due west",
    "westward") and Japanese ("西", "西方", "北北西", "北西方向"). Raises
    :class:`~eezcheck.errors.WordingError` naming the word otherwise.

    >>> parse_bearing("north-northwest")
    (337.5, 16)
    """
    w = unicodedata.normalize("NFKC", word).strip()
    key = re.sub(r"[\s\-_.]+", "", w.casefold())
    key = re.sub(r"^(due|to(the)?)", "", key)
    key = re.sub(r"(wards?|erly|ern)$", "", key)
    key = _JA_BEARING_SUFFIX.sub("", key)
    if key in _BEARINGS:
        return _BEARINGS[key]
    raise WordingError(
        f"cannot read the bearing {word!r}: use a compass word such as W, west, NNW, "
        "north-northwest, 西 or 北北西"
    )


# --------------------------------------------------------------------------------------------
# Wordings

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
