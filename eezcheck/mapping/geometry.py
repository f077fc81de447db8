"""Geometry as drawn: the axis swap for Leaflet, the map's longitude frame, geodesic ground
tracks, range rings and uncertainty regions (WGS84, pyproj). Inputs are ``lon, lat``."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from eezcheck import limits
from eezcheck.geodesy import GEOD, KM, geodesic_ring

FRAME_CENTER_LON = 135.0
"""Event geometry is drawn with longitudes in [135 - 180, 135 + 180): Japan in the middle, and a
line from Korea to Hawaii runs east past 180 instead of jumping across the map."""

EVENT_DIGITS = 4
"""Decimals of event coordinates in the page (~10 m)."""
_TRACK_STEP_KM = 25.0
_TRACK_MIN_POINTS = 16
_TRACK_MAX_POINTS = 128


def leaflet_latlngs(
    lon: ArrayLike, lat: ArrayLike, digits: int = EVENT_DIGITS
) -> list[list[float]]:
    """``[[lat, lon], ...]`` for Leaflet from ``lon, lat`` arrays: the package's only axis swap.

    >>> leaflet_latlngs([138.5, 139.0], [41.3, 41.0])
    [[41.3, 138.5], [41.0, 139.0]]
    """
    x = np.round(np.atleast_1d(np.asarray(lon, dtype=float)), digits)
    y = np.round(np.atleast_1d(np.asarray(lat, dtype=float)), digits)
    return [[float(b), float(a)] for a, b in zip(x.tolist(), y.tolist())]


def encode_coordinates(coords: ArrayLike, digits: int) -> str:
    """``(n, 2)`` coordinates (``lon, lat``, GeoJSON's order) as one string in the Encoded
    Polyline Algorithm Format (rounded to ``digits`` decimals, delta-coded, 5 bits a character
    in ASCII 63-126): about a quarter of their JSON. The page's runtime decodes it
    (``EZ.decode``) back to the same rounded numbers.

    >>> encode_coordinates([[-120.2, 38.5], [-120.95, 40.7], [-126.453, 43.252]], 5)
    '~ps|U_p~iFnnqC_ulLvxq`@_mqN'
    """
    a = np.asarray(coords, dtype=float).reshape(-1, 2)
    q = np.round(a * 10.0**digits).astype(np.int64)
    v = np.vstack([q[:1], np.diff(q, axis=0)]).ravel() if len(q) else q.ravel()
    z = np.where(v < 0, ~(v << 1), v << 1)  # zigzag: the sign in the lowest bit
    n = 1 + sum((z >= 32**j).astype(np.int64) for j in range(1, 13))  # characters per value
    k = np.arange(int(n.max()) if len(n) else 1)
    chunks = (z[:, None] >> (5 * k)) & 31
    more = k[None, :] < (n[:, None] - 1)
    chars = (chunks | np.where(more, 32, 0)) + 63
    return chars[k[None, :] < n[:, None]].astype(np.uint8).tobytes().decode("ascii")


def frame_lon(lon: float, center: float = FRAME_CENTER_LON) -> float:
    """``lon`` moved by a multiple of 360 into [center - 180, center + 180)."""
    return center + (lon - center + 180.0) % 360.0 - 180.0


def _continuous(lons: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.degrees(np.unwrap(np.radians(np.asarray(lons, dtype=float))))


def geodesic_polyline(
    lon1: float,
    lat1: float,
    lon2: float,
    lat2: float,
    *,
    step_km: float = _TRACK_STEP_KM,
    min_points: int = _TRACK_MIN_POINTS,
    max_points: int = _TRACK_MAX_POINTS,
) -> tuple[NDArray[np.float64], NDArray[np.float64], float]:
    """Vertices of the WGS84 geodesic from point 1 to point 2 and its length in km.

    Longitudes are continuous (they may leave [-180, 180]: Pyongyang to Hawaii ends near
    202° E) and start at ``lon1``. Between ``min_points`` and ``max_points`` vertices, about
    ``step_km`` apart, from :func:`eezcheck.trajectory.ground_track` (pyproj).

    >>> x, y, d = geodesic_polyline(125.75, 39.03, -157.86, 21.31)
    >>> round(float(x[-1]), 2), round(d)
    (202.14, 7404)
    """
    from eezcheck.trajectory import ground_track

    _, _, dist_m = GEOD.inv(lon1, lat1, lon2, lat2)
    dist_km = float(dist_m) / KM
    n = int(min(max(math.ceil(dist_km / step_km) + 1, min_points), max_points))
    spacing = max(dist_km / (n - 1), 1e-3) * 1.0000001
    track = ground_track(lon1, lat1, lon2, lat2, spacing_km=spacing)
    return np.asarray(track.lon), np.asarray(track.lat), float(track.distance_km[-1])


def range_ring(
    lon: float, lat: float, radius_km: float, n: int | None = None
) -> tuple[NDArray[np.float64], NDArray[np.float64], bool]:
    """A geodesic range ring for drawing: vertices ``radius_km`` from the centre, continuous.

    Returns ``(lons, lats, encloses_pole)``. A ring that does not enclose a pole is closed
    (last vertex = first) and its longitudes are unwrapped, so a ring across 180° stays in one
    piece. A ring that encloses a pole (10,000 km from Pyongyang encloses the North Pole) runs
    once around the globe: it is returned open, starting and ending on the far side of the
    pole, its longitudes spanning 360° continuously from ``lon - 180`` to ``lon + 180``.

    >>> x, y, pole = range_ring(125.75, 39.03, 10_000)
    >>> pole, bool(np.abs(np.diff(x)).max() < 10)
    (True, True)
    """
    r_m = limits.ring_km(radius_km) * KM
    if n is None:
        n = int(min(max(r_m / 50_000.0, 90), 360))
    lons, lats = geodesic_ring(lon, lat, r_m, n)
    x = _continuous(lons)
    if abs(x[-1] - x[0]) < 1e-6:
        return x, np.asarray(lats), False
    # once around a pole: cut where the ring crosses the centre's antimeridian
    xo = np.asarray(lons[:-1])
    yo = np.asarray(lats[:-1])
    steps = np.abs(np.diff(np.append(xo, xo[0])))
    j = int(np.argmax(steps)) + 1
    xo = np.roll(xo, -j)
    yo = np.roll(yo, -j)
    xo = _continuous(xo)
    xo = xo + 360.0 * round((lon - (xo.min() + xo.max()) / 2) / 360.0)
    return xo, yo, True


def uncertainty_polygon(
    result: Any, radius_km: float | None = None
) -> tuple[NDArray[np.float64], NDArray[np.float64], str] | None:
    """The 95 % uncertainty region of a check result as a geodesic polygon ``(lons, lats, label)``.

    A circle of ``radius_km`` (or the result's circular model), or for MoD wording the band
    ``distance ± along`` by ``bearing ± across`` around the reference place. None when the
    result has no uncertainty. Longitudes are continuous around the impact point.
    """
    model = dict(result.uncertainty_model or {})
    if radius_km is None and model.get("kind") == "circular":
        radius_km = float(model["radius_95_km"])
    if radius_km is not None:
        if radius_km <= 0:
            return None
        x, y, _ = range_ring(result.lon, result.lat, radius_km, n=96)
        return x, y, f"95 % uncertainty: within {radius_km:,.0f} km (geodesic circle)"
    if model.get("kind") != "wording":
        return None
    ref_lon, ref_lat = float(model["reference_lon"]), float(model["reference_lat"])
    dist = float(model["distance_km"])
    along, across = float(model["along_95_km"]), float(model["across_95_km"])
    bearing = float(model["bearing_deg"])
    label = (
        f"95 % band from the wording's rounding: {dist:,.0f} ± {along:,.0f} km along the bearing, "
        f"± {across:,.0f} km across"
    )
    if dist <= 0:
        x, y, _ = range_ring(ref_lon, ref_lat, max(along, across), n=96)
        return x, y, label
    half = min(math.degrees(across / dist), 179.0)
    az = np.linspace(bearing - half, bearing + half, 49)
    ox, oy, _ = GEOD.fwd(
        np.full(az.size, ref_lon),
        np.full(az.size, ref_lat),
        az,
        np.full(az.size, (dist + along) * KM),
    )
    inner = dist - along
    if inner > 0:
        ix, iy, _ = GEOD.fwd(
            np.full(az.size, ref_lon),
            np.full(az.size, ref_lat),
            az[::-1],
            np.full(az.size, inner * KM),
        )
    else:
        ix, iy = np.array([ref_lon]), np.array([ref_lat])
    xs = np.concatenate([np.asarray(ox), np.asarray(ix), np.asarray(ox)[:1]])
    ys = np.concatenate([np.asarray(oy), np.asarray(iy), np.asarray(oy)[:1]])
    xs = _continuous(xs)
    xs = xs + 360.0 * round((result.lon - xs[len(az) // 2]) / 360.0)
    return xs, ys, label


# --------------------------------------------------------------------------- display layers
