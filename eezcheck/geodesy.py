"""Geodesic helpers on the WGS84 ellipsoid (pyproj.Geod / GeographicLib).

Coordinates are always ``lon, lat`` in degrees, in that order; distances are metres unless the
name says otherwise (``_km``, ``_nm``).
"""

from __future__ import annotations

import os
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
    if arr.ndim and bool(np.all((arr >= -180.0) & (arr < 180.0))):
        return arr.copy()
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


_SPLIT = 100_000  # below this many geodesics, one thread


def inverse_arrays(
    lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Forward azimuth (degrees, -180..180, as ``GEOD.inv`` gives it) and distance (m) from
    point 1 to point 2, for arrays of equal length.

    The same numbers as ``GEOD.inv``; long arrays are cut into pieces computed in threads
    (pyproj releases the GIL), one per CPU (at most 4).
    """
    x1, y1, x2, y2 = (np.ascontiguousarray(v, dtype=float).ravel() for v in (lon1, lat1, lon2, lat2))
    n = x1.size
    workers = min(4, _cpus(), max(1, n // _SPLIT))
    if workers == 1:
        az, _, dist = GEOD.inv(x1, y1, x2, y2)
        return np.asarray(az, dtype=float), np.asarray(dist, dtype=float)
    from concurrent.futures import ThreadPoolExecutor

    az_out, dist_out = np.empty(n), np.empty(n)
    bounds = np.linspace(0, n, workers + 1).astype(int)

    def run(i: int) -> None:
        sl = slice(bounds[i], bounds[i + 1])
        az, _, dist = GEOD.inv(x1[sl], y1[sl], x2[sl], y2[sl])
        az_out[sl], dist_out[sl] = az, dist

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(run, range(workers)))
    return az_out, dist_out


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


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


def spatial_order(lon: ArrayLike, lat: ArrayLike, cell_deg: float = 0.25) -> NDArray[np.intp]:
    """Indices that put points in order of a lon/lat grid's cells (row by row), so that points
    close on the ground come close in memory."""
    x = np.asarray(lon, dtype=float)
    y = np.asarray(lat, dtype=float)
    iy = np.floor((y + 90.0) / cell_deg)
    ix = np.floor((x + 540.0) % 360.0 / cell_deg)
    key = np.nan_to_num(iy * np.ceil(360.0 / cell_deg) + ix).astype(np.int64)
    return np.argsort(key)


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
