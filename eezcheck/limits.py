"""The input checks and limits shared by ``check``, ``reach``, ``trajectory`` and ``map``.

One place for what a range, an apogee, a launch area's extent or a launch point may be, and for
the wording of the error when it is not: every command and library function that takes one of
these calls the function here, so that the same value is accepted or refused everywhere, with
the same message.

Coordinates are ``lon, lat`` degrees (WGS84), in that order.

Examples
--------
>>> range_km(400)
400.0
>>> range_km(25_000)
Traceback (most recent call last):
...
eezcheck.errors.InvalidInputError: range_km 25000 km is out of range: give a value above 0 and at most 20,000 (about half the Earth's circumference)
>>> lon_lat(200.0, 39.2)
(-160.0, 39.2)
>>> lon_lat(485.5, 39.2)
Traceback (most recent call last):
...
eezcheck.errors.InvalidCoordinateError: latitude 39.2, longitude 485.5 is not a valid coordinate: longitude 485.5 is outside -180..180 (or 0..360 east of Greenwich)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from eezcheck.errors import InvalidCoordinateError, InvalidInputError
from eezcheck.geodesy import normalize_lon

__all__ = [
    "LON_RANGE",
    "MAX_EXTENT_KM",
    "MAX_RANGE_KM",
    "MAX_UNCERTAINTY_KM",
    "bearing_deg",
    "MAX_RING_KM",
    "bearing_step_deg",
    "coordinate_problem",
    "coordinate_problems",
    "extent_km",
    "lon_lat",
    "number",
    "positive",
    "range_km",
    "uncertainty_km",
    "ring_km",
]

MAX_RANGE_KM = 20_000.0
"""Longest range accepted anywhere (km): about half the Earth's circumference (20,004 km along
a meridian), below the trajectory model's own limit (half its sphere, 20,015 km)."""

MAX_RING_KM = 19_970.0
"""Largest range ring drawn on a map (km): a ring must stay short of the antipode (half the
polar circumference, 19,970 km) to be a ring."""

MAX_EXTENT_KM = 500.0
"""Largest launch-area extent accepted (km): North Korea is about 600 km from north to south."""

MAX_UNCERTAINTY_KM = 1_000.0
"""Largest uncertainty radius accepted (km, 95 %): beyond it P(inside) says more about the size
of the circle than about the point (a point 163 km inside answers "outside" at 20,000 km)."""

LON_RANGE = (-180.0, 360.0)
"""Longitudes accepted as input: -180..180, or 0..360 east of Greenwich (the convention of
many ocean data sets: 200 is 160°W). Anything else is an error, never wrapped."""

_WHY = {
    MAX_RANGE_KM: " (about half the Earth's circumference)",
    MAX_UNCERTAINTY_KM: " (a 95 % radius; beyond it a verdict means nothing)",
}


def number(name: str, value: Any, unit: str, *, error: type[Exception] = InvalidInputError) -> float:
    """``value`` as a finite float, else ``error`` naming ``name`` and the value."""
    if isinstance(value, bool):
        raise error(f"{name} {value!r} is not a number of {unit}")
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise error(f"{name} {value!r} is not a number of {unit}") from None
    if not math.isfinite(v):
        raise error(f"{name} {value!r} is not a finite number of {unit}")
    return v


def positive(
    name: str,
    value: Any,
    unit: str,
    upper: float = math.inf,
    *,
    zero: bool = False,
    error: type[Exception] = InvalidInputError,
) -> float:
    """``value`` as a float above 0 (or at least 0 with ``zero``) and at most ``upper``.

    >>> positive("apogee_km", 0, "km")
    Traceback (most recent call last):
    ...
    eezcheck.errors.InvalidInputError: apogee_km 0 km is out of range: give a value above 0
    """
    v = number(name, value, unit, error=error)
    low_ok = v >= 0 if zero else v > 0
    if not low_ok or v > upper:
        low = "0 or more" if zero else "above 0"
        most = "" if math.isinf(upper) else f" and at most {upper:,g}{_WHY.get(upper, '')}"
        raise error(f"{name} {value!r} {unit} is out of range: give a value {low}{most}")
    return v


def range_km(value: Any, name: str = "range_km", *, error: type[Exception] = InvalidInputError) -> float:
    """A ground range in km: above 0, at most :data:`MAX_RANGE_KM`."""
    return positive(name, value, "km", MAX_RANGE_KM, error=error)


def extent_km(value: Any, name: str = "extent_km") -> float:
    """A launch area's extent (radius around its centre, km): 0 (a point) to :data:`MAX_EXTENT_KM`."""
    return positive(name, value, "km", MAX_EXTENT_KM, zero=True)


def bearing_step_deg(value: Any, name: str = "bearing_step_deg") -> float:
    """A bearing grid step in degrees: above 0, at most 10."""
    return positive(name, value, "degrees", 10.0)


def coordinate_problem(lon: float, lat: float) -> str | None:
    """Why (``lon``, ``lat``) is not a coordinate eezcheck accepts, or None.

    The one rule for every path (CLI, library, batch cells, geometries): both finite, latitude
    within -90..90, longitude within -180..180 or 0..360 (see :data:`LON_RANGE`).

    >>> coordinate_problem(498.5, 41.3)
    'longitude 498.5 is outside -180..180 (or 0..360 east of Greenwich)'
    """
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return f"latitude {lat} / longitude {lon} is not a finite number"
    if not -90.0 <= lat <= 90.0:
        return f"latitude {lat:g} is outside -90..90"
    if not LON_RANGE[0] <= lon <= LON_RANGE[1]:
        return f"longitude {lon:g} is outside -180..180 (or 0..360 east of Greenwich)"
    return None


def coordinate_problems(lon: Any, lat: Any) -> Any:
    """Vectorised :func:`coordinate_problem`: a boolean array, True where a point is refused."""
    import numpy as np

    x = np.asarray(lon, dtype=float)
    y = np.asarray(lat, dtype=float)
    with np.errstate(invalid="ignore"):
        ok = np.isfinite(x) & np.isfinite(y) & (np.abs(y) <= 90.0)
        ok &= (x >= LON_RANGE[0]) & (x <= LON_RANGE[1])
    return ~ok


def ring_km(value: Any, name: str = "range ring") -> float:
    """A map's range ring radius in km: above 0, below :data:`MAX_RING_KM`.

    >>> ring_km(19_970)
    Traceback (most recent call last):
    ...
    eezcheck.errors.InvalidInputError: range ring 19970 km is out of range: give a value above 0 and below 19,970 (short of the antipode)
    """
    v = number(name, value, "km")
    if not 0 < v < MAX_RING_KM:
        raise InvalidInputError(
            f"{name} {value!r} km is out of range: give a value above 0 and below "
            f"{MAX_RING_KM:,g} (short of the antipode)"
        )
    return v


def lon_lat(lon: Any, lat: Any) -> tuple[float, float]:
    """One point as ``(lon, lat)`` floats, longitude wrapped into [-180, 180).

    Raises :class:`~eezcheck.errors.InvalidCoordinateError` for a value that is not a finite
    number or outside :func:`coordinate_problem`'s ranges.
    """
    if isinstance(lon, (bool, np.bool_)) or isinstance(lat, (bool, np.bool_)):
        raise InvalidCoordinateError(f"longitude {lon!r} / latitude {lat!r} is not a number")
    try:
        x, y = float(lon), float(lat)
    except (TypeError, ValueError) as exc:
        raise InvalidCoordinateError(
            f"longitude {lon!r} / latitude {lat!r} is not a number"
        ) from exc
    problem = coordinate_problem(x, y)
    if problem is not None:
        raise InvalidCoordinateError(
            f"latitude {y!r}, longitude {x!r} is not a valid coordinate: {problem}"
        )
    if -180.0 <= x < 180.0:
        return x, y
    return float(normalize_lon(x)), y


def uncertainty_km(value: Any, name: str = "uncertainty_km") -> float:
    """An uncertainty radius in km (95 %): 0 to :data:`MAX_UNCERTAINTY_KM`."""
    return positive(name, value, "km", MAX_UNCERTAINTY_KM, zero=True)


def bearing_deg(value: Any, name: str = "bearing") -> float:
    """A bearing in degrees clockwise from north, 0..360 (360 is north again, returned as 0)."""
    v = number(name, value, "degrees")
    if not 0.0 <= v <= 360.0:
        raise InvalidInputError(
            f"{name} {value!r} is outside 0..360 degrees (clockwise from north): give e.g. 75, "
            "or a compass word such as ENE"
        )
    return v % 360.0
