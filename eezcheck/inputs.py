"""What ``check`` takes, turned into a point: coordinates as people write them, MoD-style
wording, or a launch site with range and bearing; and the validators of those inputs.

Every function returns ``lon, lat`` (degrees, WGS84) under those names, in a
:class:`ResolvedPoint` that also says how the point was given (its ``input``, the ``--json``
``input`` object). Bad input raises :class:`~eezcheck.errors.InvalidInputError` (or its
subclasses) naming the value and how to write it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, TypedDict

import numpy as np
from numpy.typing import NDArray

from eezcheck import limits
from eezcheck.errors import InvalidCoordinateError, InvalidInputError, WordingError
from eezcheck.geodesy import KM, destination, normalize_lon
from eezcheck.limits import (
    MAX_RANGE_KM,
    MAX_UNCERTAINTY_KM,
    bearing_deg,
    coordinate_problem,
    coordinate_problems,
)
from eezcheck.uncertainty import WordingUncertainty


def wrap_lon(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """Longitudes into [-180, 180), leaving values already there bit-for-bit unchanged
    (``(x + 180) % 360 - 180`` turns 139.9 into 139.89999999999998)."""
    ok = (x >= -180.0) & (x < 180.0)
    if ok.all():
        return x
    return np.where(ok, x, np.asarray(normalize_lon(x), dtype=float).reshape(-1))


def validate_lon_lat_arrays(x: NDArray[np.float64], y: NDArray[np.float64]) -> None:
    """Raise InvalidCoordinateError at the first point :func:`~eezcheck.limits.coordinate_problem`
    refuses (the one rule of every path)."""
    if x.shape != y.shape:
        raise InvalidCoordinateError(f"lon and lat differ in length ({x.size} vs {y.size})")
    bad = coordinate_problems(x, y)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        prefix = f"point {i}: " if x.size > 1 else ""
        raise InvalidCoordinateError(
            f"{prefix}latitude {float(y[i])!r}, longitude {float(x[i])!r} is not a valid "
            f"coordinate: {coordinate_problem(float(x[i]), float(y[i]))}"
        )


def point_arrays(lats: Any, lons: Any) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Latitudes and longitudes given to ``check_many`` as two float arrays of one length.

    The two must have the same shape (a (3, 1) array is not paired with a (1, 3) one); a
    masked value is missing and refused, naming its point (its hidden value is never used);
    text ("41.3N") is read by :func:`eezcheck.parsing.parse_lat_lon`, as everywhere else.
    """
    from eezcheck.parsing import parse_lat_lon

    la, lo = np.ma.asanyarray(lats), np.ma.asanyarray(lons)
    if la.shape != lo.shape:
        raise InvalidCoordinateError(
            f"lats and lons differ in length or shape ({la.shape} vs {lo.shape}); give one "
            "longitude per latitude, in arrays of the same shape"
        )
    mask = np.ma.getmaskarray(la) | np.ma.getmaskarray(lo)
    if mask.any():
        i = int(np.flatnonzero(mask.ravel())[0])
        raise InvalidCoordinateError(
            f"point {i} is masked (a missing value): give a latitude and a longitude for every "
            "point, or leave the missing ones out"
        )
    la_d, lo_d = np.atleast_1d(np.ma.getdata(la)).ravel(), np.atleast_1d(np.ma.getdata(lo)).ravel()
    if la_d.dtype.kind in "biuf" and lo_d.dtype.kind in "iuf":
        if la_d.dtype.kind == "b" or lo_d.dtype.kind == "b":
            raise InvalidCoordinateError("lats and lons must be numbers, not booleans")
        return la_d.astype(float), lo_d.astype(float)
    pts = [parse_lat_lon(a, b) for a, b in zip(la_d.tolist(), lo_d.tolist())]
    return (
        np.array([p.lat for p in pts], dtype=float),
        np.array([p.lon for p in pts], dtype=float),
    )


def scalar_lon_lat(lon: Any, lat: Any) -> tuple[float, float]:
    """One point as ``(lon, lat)`` floats: :func:`eezcheck.limits.lon_lat`, the one rule."""
    return limits.lon_lat(lon, lat)


def radius_km(value: Any) -> float:
    """An uncertainty radius (km, 95 %): 0 to :data:`~eezcheck.limits.MAX_UNCERTAINTY_KM`."""
    if isinstance(value, bool):
        raise InvalidInputError(f"uncertainty {value!r} is not a number of km")
    try:
        r = float(value)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"uncertainty {value!r} is not a number of km") from exc
    if not math.isfinite(r) or r < 0:
        raise InvalidInputError(
            f"uncertainty {value!r} km is not a radius: give a distance >= 0 in km"
        )
    if r > MAX_UNCERTAINTY_KM:
        raise InvalidInputError(too_uncertain(value))
    return r


def too_uncertain(value: Any) -> str:
    """The message for an uncertainty radius above the limit."""
    return (
        f"uncertainty {value!r} km is too large: give a radius of at most "
        f"{MAX_UNCERTAINTY_KM:,.0f} km (a 95 % radius; at that size P(inside) describes the "
        "circle, not the point)"
    )


def range_km_value(value: Any) -> float:
    """A range in km (:func:`eezcheck.limits.range_km`: above 0, at most 20,000)."""
    return limits.range_km(value)


@dataclass(frozen=True)
class ResolvedPoint:
    """A point (``lon, lat``) and how it was given."""

    lon: float
    lat: float
    input: Mapping[str, Any]
    wording_uncertainty: WordingUncertainty | None = None


_COORD_LIKE = re.compile(
    r"^(?:[\s\d+\-−–.,;/°º˚'′’\"″”()\[\]]|\b[NSEW]\b|[NSEW](?=[\d\s,;]|$)|(?<=[\d°'\"])[NSEW]|nan|inf(?:inity)?|lat(?:itude)?|lon(?:gitude)?|lng)*$"
    r"|北緯|南緯|東経|西経",
    re.IGNORECASE,
)
_DISTANCE_UNIT = re.compile(
    r"\d\s*(?:km|kms|kilomet|キロ|海里|浬|nm\b|nmi|nautical|mi\b|miles?)", re.IGNORECASE
)


def looks_like_coordinates(text: str) -> bool:
    """True for text made only of numbers, degree marks, hemisphere letters, NaN/inf and
    lat/lon labels (or holding 北緯/東経 ...), and no distance such as '200 km'."""
    import unicodedata

    s = unicodedata.normalize("NFKC", text)
    return not _DISTANCE_UNIT.search(s) and bool(_COORD_LIKE.search(s))


def resolve_text(text: str) -> ResolvedPoint:
    """Coordinates as people write them, else an MoD-style impact description.

    Text that looks like coordinates (:func:`looks_like_coordinates`) gets the coordinate
    parser's error; anything else the description parser's, or one message naming both forms
    when neither recognises anything.
    """
    from eezcheck.parsing import parse_coordinates

    if not isinstance(text, str) or not text.strip():
        raise InvalidCoordinateError(
            f"nothing to read in {text!r}: give latitude and longitude (e.g. '41.3 138.5') or a "
            "description such as 'about 200 km W of Okushiri'"
        )
    try:
        lon, lat = parse_coordinates(text)
        return ResolvedPoint(lon, lat, {"kind": "coordinates", "text": text})
    except InvalidCoordinateError:
        if looks_like_coordinates(text):
            raise
    from eezcheck.wording import parse_wording  # only for text that is not coordinates

    try:
        return _from_wording(parse_wording(text), text)
    except WordingError as wording_error:
        raise _unreadable(text, wording_error) from wording_error


def _unreadable(text: str, wording_error: WordingError) -> Exception:
    """The error for text that is neither coordinates nor a description (quoting the part with
    a distance that was not understood), else the description parser's own error."""
    msg = str(wording_error)
    if not msg.startswith("no impact description found"):
        return wording_error
    part = re.search(r"; the part .*? around it", msg)
    shown = text if len(text) <= 120 else text[:117] + "..."
    return InvalidInputError(
        f"cannot read {shown!r} as coordinates or as an impact description"
        f"{part.group(0) if part else ''}: write "
        "latitude then longitude (e.g. '41.3 138.5', '41°18'N 138°30'E', "
        "'北緯41.3度 東経138.5度') or a description such as 'about 200 km W of "
        "Okushiri' or '北海道奥尻島の西約200km'"
    )


def resolve_texts(text: str) -> list[ResolvedPoint]:
    """Every point of a text: coordinates (one point), or each impact phrase of a sentence or a
    whole release (:func:`eezcheck.wording.parse_wordings`), in the order written; with several, each
    point's ``input`` says which impact it is (``impact``, ``impacts``)."""
    first = resolve_text(text)
    if first.input.get("kind") != "wording":
        return [first]
    from eezcheck.wording import parse_wordings

    found = parse_wordings(text)
    points = [_from_wording(w, text) for w in found]
    n = len(points)
    if n == 1:
        return points
    return [
        replace(p, input={**p.input, "impact": i + 1, "impacts": n}) for i, p in enumerate(points)
    ]


def _from_wording(w: Any, text: str) -> ResolvedPoint:
    from eezcheck.wording import uncertainty_from_wording

    u = uncertainty_from_wording(w)
    info = {
        "kind": "wording",
        "text": text,
        "matched_text": w.matched_text,
        "language": w.language,
        "place": w.place.key,
        "place_name_en": w.place.name_en,
        "place_name_ja": w.place.name_ja,
        "bearing_deg": float(w.bearing_deg),
        "bearing_word": w.bearing_word,
        "bearing_points": int(w.bearing_points),
        "distance_km": float(w.distance_km),
        "distance_rounding_km": float(w.distance_rounding_km),
    }
    if u.region:
        info["reference"] = "region"
    return ResolvedPoint(float(w.lon), float(w.lat), info, u)


def resolve_wording(text: str) -> ResolvedPoint:
    """An MoD-style description ("about 200 km W of Okushiri", "北海道奥尻島の西約200km")."""
    from eezcheck.wording import parse_wording

    return _from_wording(parse_wording(text), text)


def resolve_launch(launch: str | tuple[float, float] | Mapping[str, Any]) -> dict[str, Any]:
    """A launch site by name (gazetteer, aliases in English, Korean, Japanese) or coordinates.

    Coordinates are text as people write them ("39.2 125.7") or a ``(lat, lon)`` tuple.
    Returns ``{"key", "name", "lat", "lon"}`` (key and name empty for bare coordinates), and
    ``kind`` and ``extent_km`` for a launch area (a province, city or area of launch_areas.csv).
    """
    from eezcheck.parsing import parse_coordinates, parse_lat_lon
    from eezcheck.places import find_launch_site

    if isinstance(launch, Mapping):
        lon, lat = parse_lat_lon(launch["lat"], launch["lon"])
        out: dict[str, Any] = {
            "key": launch.get("key", ""),
            "name": launch.get("name", ""),
            "lat": lat,
            "lon": lon,
        }
        if launch.get("extent_km"):  # a launch area keeps its size
            out.update(kind=launch.get("kind", "area"), extent_km=limits.extent_km(launch["extent_km"]))
        return out
    if isinstance(launch, (tuple, list)):
        if len(launch) != 2:
            raise InvalidCoordinateError(f"launch {launch!r}: give (lat, lon)")
        lon, lat = parse_lat_lon(launch[0], launch[1])
        return {"key": "", "name": "", "lat": lat, "lon": lon}
    text = str(launch)
    try:
        lon, lat = parse_coordinates(text)
        return {"key": "", "name": "", "lat": lat, "lon": lon}
    except InvalidCoordinateError:
        if looks_like_coordinates(text):
            raise
    site = find_launch_site(text)
    out = {"key": site.key, "name": site.name, "lat": site.lat, "lon": site.lon}
    if site.is_area:
        out.update(kind=site.kind, extent_km=site.extent_km)
    return out


def parse_bearing_value(value: float | str) -> tuple[float, int | None]:
    """A bearing in degrees (number or numeric text) or a compass word; ``(deg, points)``."""
    from eezcheck.wording import parse_bearing

    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return bearing_deg(value), None
    text = str(value).strip()
    try:
        deg = float(text.rstrip("°").strip())
    except ValueError:
        deg, p = parse_bearing(text)
        return float(deg) % 360.0, int(p)
    if not math.isfinite(deg):
        raise InvalidInputError(f"bearing {value!r} is not a number of degrees or a compass word")
    return bearing_deg(text.rstrip("°").strip()), None


def resolve_launch_point(launch: Any, range_km: Any, bearing_deg: Any) -> ResolvedPoint:
    """The point ``range_km`` from a launch site along ``bearing_deg`` (geodesic)."""
    site = resolve_launch(launch)
    rng = range_km_value(range_km)
    deg, points = parse_bearing_value(bearing_deg)
    lon, lat = destination(site["lon"], site["lat"], deg, rng * KM)
    info = {
        "kind": "launch",
        "launch": site,
        "range_km": rng,
        "bearing_deg": deg,
        "bearing_points": points,
        "bearing_text": str(bearing_deg),
    }
    u = None
    if points:  # a compass word: its sector (and the range's rounding) as the wording's model
        from eezcheck.wording import rounding_step
        from eezcheck.wording.model import MODEL

        step = rounding_step(f"{rng:.10g}")
        sa, sc = MODEL.sigmas_km(rng, step, points, float(site.get("extent_km", 0.0)))
        u = WordingUncertainty.from_sigmas(site["lon"], site["lat"], deg, rng, sa, sc)
    return ResolvedPoint(float(lon), float(lat), info, u)


class PointInput(TypedDict, total=False):
    """The keywords that give a point besides ``lat, lon``, as :func:`resolve_input` takes them
    (and :func:`eezcheck.checker.check`, :meth:`eezcheck.checker.Checker.check`)."""

    text: str | None
    wording: str | None
    launch: str | tuple[float, float] | None
    range_km: float | None
    bearing_deg: float | str | None


def resolve_input(
    lat: Any = None,
    lon: Any = None,
    *,
    text: str | None = None,
    wording: str | None = None,
    launch: Any = None,
    range_km: Any = None,
    bearing_deg: Any = None,
) -> ResolvedPoint:
    """Turn any accepted form of input into a point; raises a clear InvalidInputError."""
    from eezcheck.parsing import parse_lat_lon

    given = [
        name
        for name, v in (
            ("lat/lon", lat if lat is not None else lon),
            ("text", text),
            ("wording", wording),
            ("launch", launch),
        )
        if v is not None
    ]
    if len(given) != 1:
        what = "nothing" if not given else " and ".join(given)
        raise InvalidInputError(
            f"give exactly one point: lat and lon, text, wording, or launch with range_km and "
            f"bearing_deg (got {what})"
        )
    if launch is None and (range_km is not None or bearing_deg is not None):
        raise InvalidInputError("range_km and bearing_deg need a launch site (launch=...)")
    if text is not None:
        return resolve_text(text)
    if wording is not None:
        return resolve_wording(wording)
    if launch is not None:
        if range_km is None:
            raise InvalidInputError(
                "a launch site needs range_km (and bearing_deg) to give an impact point"
            )
        if bearing_deg is None:
            raise InvalidInputError(
                "a range without a bearing gives no impact point; use "
                "eezcheck.impact_footprint(lon, lat, range_km) (eezcheck check --from SITE "
                "--range-km KM) for the possible impact points and whether that range could reach "
                "Japan's EEZ at all"
            )
        return resolve_launch_point(launch, range_km, bearing_deg)
    if lat is None or lon is None:
        raise InvalidCoordinateError(
            f"give both latitude and longitude (got lat={lat!r}, lon={lon!r})"
        )
    if _is_number(lat) and _is_number(lon):
        x, y = scalar_lon_lat(lon, lat)
    else:
        x, y = parse_lat_lon(lat, lon)
    return ResolvedPoint(x, y, {"kind": "lat_lon"})


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)


__all__ = [
    "MAX_RANGE_KM",
    "PointInput",
    "ResolvedPoint",
    "looks_like_coordinates",
    "parse_bearing_value",
    "radius_km",
    "range_km_value",
    "resolve_input",
    "resolve_launch",
    "resolve_launch_point",
    "resolve_text",
    "resolve_texts",
    "resolve_wording",
    "scalar_lon_lat",
    "validate_lon_lat_arrays",
    "wrap_lon",
]
