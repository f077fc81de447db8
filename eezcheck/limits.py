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
>>> lon_lat(485.5, 39.2)
(125.5, 39.2)
"""

from __future__ import annotations

import math
from typing import Any

from eezcheck.errors import InvalidCoordinateError, InvalidInputError
from eezcheck.geodesy import normalize_lon

__all__ = [
    "MAX_EXTENT_KM",
    "MAX_RANGE_KM",
    "bearing_step_deg",
    "extent_km",
    "lon_lat",
    "number",
    "positive",
    "range_km",
]

MAX_RANGE_KM = 20_000.0
"""Longest range accepted anywhere (km): about half the Earth's circumference (20,004 km along
a meridian), below the trajectory model's own limit (half its sphere, 20,015 km)."""

MAX_EXTENT_KM = 500.0
"""Largest launch-area extent accepted (km): North Korea is about 600 km from north to south."""

_WHY = {MAX_RANGE_KM: " (about half the Earth's circumference)"}


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


def lon_lat(lon: Any, lat: Any) -> tuple[float, float]:
    """One point as ``(lon, lat)`` floats, longitude wrapped into [-180, 180).

    Raises :class:`~eezcheck.errors.InvalidCoordinateError` for a value that is not a finite
    number or a latitude outside -90..90.
    """
    try:
        x, y = float(lon), float(lat)
    except (TypeError, ValueError) as exc:
        raise InvalidCoordinateError(
            f"longitude {lon!r} / latitude {lat!r} is not a number"
        ) from exc
    if not (math.isfinite(x) and math.isfinite(y) and abs(y) <= 90.0):
        raise InvalidCoordinateError(
            f"latitude {lat!r}, longitude {lon!r} is not a valid coordinate (latitude must be "
            "within -90..90, both finite numbers)"
        )
    if -180.0 <= x < 180.0:
        return x, y
    return float(normalize_lon(x)), y
