"""Geodesic helpers on the WGS84 ellipsoid (pyproj.Geod / GeographicLib).

Coordinates are always ``lon, lat`` in degrees, in that order; distances are metres unless the
name says otherwise (``_km``, ``_nm``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pyproj import Geod

NM = 1852.0
"""One international nautical mile in metres."""

KM = 1000.0

GEOD = Geod(ellps="WGS84")
"""The one geodesic calculator the package uses."""

_A = 6378137.0
_F = 1 / 298.257223563
_E2 = _F * (2 - _F)


def normalize_lon(lon: ArrayLike) -> Any:
    """Wrap longitudes into [-180, 180)."""
    arr = np.asarray(lon, dtype=float)
    # wrap only what is out of range: (x + 180) % 360 - 180 adds float noise (139.9 -> 139.89999...)
    out = np.where((arr >= -180.0) & (arr < 180.0), arr, (arr + 180.0) % 360.0 - 180.0)
    return out if out.ndim else float(out)


def distance_m(lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike) -> Any:
    """Geodesic distance(s) in metres between (lon1, lat1) and (lon2, lat2)."""
    _, _, dist = GEOD.inv(lon1, lat1, lon2, lat2)
    return dist


def inverse(lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike) -> tuple[Any, Any]:
    """Forward azimuth (degrees, 0..360) and distance (m) from point 1 to point 2."""
    az, _, dist = GEOD.inv(lon1, lat1, lon2, lat2)
    return np.mod(az, 360.0), dist


def destination(lon: ArrayLike, lat: ArrayLike, azimuth_deg: ArrayLike, distance: ArrayLike) -> tuple[Any, Any]:
    """Point reached from (lon, lat) along ``azimuth_deg`` after ``distance`` metres.

    Returns ``(lon, lat)`` with lon normalised to [-180, 180).
    """
    lon2, lat2, _ = GEOD.fwd(lon, lat, azimuth_deg, distance)
    return normalize_lon(lon2), lat2


def geodesic_line(
    lon1: float, lat1: float, lon2: float, lat2: float, spacing_m: float = 10_000.0
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Points along the geodesic from point 1 to point 2, at most ``spacing_m`` apart.

    Longitudes are *unwrapped* (continuous, may leave [-180, 180]) so that a line across the
    antimeridian is drawn the short way; wrap them with :func:`normalize_lon` if needed.
    """
    total = float(distance_m(lon1, lat1, lon2, lat2))
    n = max(int(np.ceil(total / spacing_m)) - 1, 0)
    mid = GEOD.npts(lon1, lat1, lon2, lat2, n) if n else []
    lons = np.array([lon1] + [p[0] for p in mid] + [lon2], dtype=float)
    lats = np.array([lat1] + [p[1] for p in mid] + [lat2], dtype=float)
    return np.degrees(np.unwrap(np.radians(lons))), lats


def geodesic_ring(
    lon: float, lat: float, radius_m: float, n: int = 180
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Closed ring of ``n`` points (plus closing point) at ``radius_m`` from a centre.

    Longitudes are unwrapped around the centre, so a ring crossing 180° stays continuous.
    """
    az = np.linspace(0.0, 360.0, n, endpoint=False)
    lons, lats, _ = GEOD.fwd(np.full(n, lon), np.full(n, lat), az, np.full(n, radius_m))
    lons = np.asarray(lons)
    lons = lon + (lons - lon + 180.0) % 360.0 - 180.0
    return np.append(lons, lons[0]), np.append(np.asarray(lats), lats[0])


def to_ecef(lon: ArrayLike, lat: ArrayLike) -> NDArray[np.float64]:
    """Earth-centred, earth-fixed coordinates (metres) of points on the WGS84 ellipsoid, shape (n, 3)."""
    lo = np.radians(np.asarray(lon, dtype=float))
    la = np.radians(np.asarray(lat, dtype=float))
    sin_la = np.sin(la)
    n = _A / np.sqrt(1 - _E2 * sin_la**2)
    x = n * np.cos(la) * np.cos(lo)
    y = n * np.cos(la) * np.sin(lo)
    z = n * (1 - _E2) * sin_la
    return np.column_stack([x, y, z])
