"""Read coordinates as people write them.

Coordinates are *returned* as ``lon, lat`` (the package's order, see :class:`LonLat`) but are
*read* latitude first, as people write them, unless hemisphere letters say otherwise.
MoD-style impact wording ("about 200 km W of Okushiri") is read by :mod:`eezcheck.wording`.
"""

from __future__ import annotations

import math
import numbers
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from eezcheck.errors import InvalidCoordinateError
from eezcheck.geodesy import normalize_lon
from eezcheck.limits import coordinate_problem

__all__ = [
    "LonLat",
    "format_coordinates",
    "parse_coordinates",
    "parse_lat_lon",
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
    (?P<exp>(?<![\w.])[+-]?(?:\d+(?:\.\d*)?|\.\d+)E[+-]?\d+(?![\w.°'"]))
    | (?P<num>[+-]?(?:\d+(?:\.\d*)?|\.\d+))
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
        if kind == "exp":  # 14e1 is 140, as float() and Arrow read it
            kind = "num"
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
            if not all(groups):
                side = "before" if not groups[0] else "after"
                raise _coord_error(text, f"no number {side} the separator")
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
    marks = {order[m] for _, m in parts if m}
    for slot, v, unit, mark in ((1, minutes, "minutes", "'"), (2, seconds, "seconds", '"')):
        if not 0 <= v < 60:
            if slot in marks:
                as_deg = " or " + f"{v:g}°" if slots[0] is None else ""
                read = f"{v:g}{mark} reads as {v:g} {unit} ({mark} marks {unit})"
                fix = f"; for degrees write {v:g}{as_deg}"
            else:
                read, fix = f"{v:g} is read as {unit} (from its place after the degrees)", ""
            raise _coord_error(
                text, f"{read}, and minutes and seconds must be 0 or more and below 60{fix}"
            )
    negative = parts[0][0].startswith("-")
    value = abs(deg) + minutes / 60.0 + seconds / 3600.0
    if comp.hemi and negative:
        raise _coord_error(
            text,
            f"a minus sign and {comp.hemi!r} together ({parts[0][0]}{comp.hemi}): give one of "
            f"them, e.g. {abs(deg):g}{'S' if comp.hemi in 'NS' else 'W'} or -{abs(deg):g}",
        )
    if comp.hemi in ("S", "W"):
        negative = True
    return -value if negative else value


def _finish(lat: float, lon: float, text: str, hint_swap: bool = True) -> LonLat:
    problem = coordinate_problem(lon, lat)
    if problem is not None:
        swapped = hint_swap and math.isfinite(lat) and abs(lat) > 90 and abs(lon) <= 90
        hint = " (did you write longitude first?)" if swapped and "latitude" in problem else ""
        raise _coord_error(text, problem + hint)
    return LonLat(float(normalize_lon(lon)), float(lat))


def parse_coordinates(text: str) -> LonLat:
    """Parse a point written latitude first; return ``LonLat(lon, lat)``.

    Accepts decimal degrees ("41.3 138.5", "41.3,138.5", "-33.9 151.2"), hemisphere letters
    before or after ("41.3N 138.5E", "N41.3 E138.5", "138.5E 41.3N" -- letters decide the
    order), degrees-minutes-seconds ("41°18'N 138°30'E", "41 18 00 N 138 30 00 E") and
    Japanese ("北緯41度18分 東経138度30分"). A plain number may carry an exponent (``14e1`` is
    140, as everywhere else). Longitudes from 180 to 360 are read east of Greenwich (200 is
    -160); others beyond ±180 are errors (see :func:`coordinate_problem`). A sign and a
    hemisphere letter together (``-41.3N``) are an error.

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
    if isinstance(value, (bool, np.bool_)):
        raise _coord_error(text, f"{axis} {value!r} is not a number")
    if value is np.ma.masked:
        raise _coord_error(text, f"{axis} is missing (a masked value)")
    if isinstance(value, (numbers.Real, np.integer, np.floating)):
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
