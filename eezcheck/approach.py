"""From a launch site, which bearings put an impact inside Japan's EEZ, and where tracks enter it.

All coordinates are ``lon, lat`` degrees (WGS84), in that order; distances are geodesic.
"Japan's EEZ" is Japan's EEZ as the loaded boundary data draws Japan's claim
(:attr:`eezcheck.boundaries.Boundaries.japan_claim`: undisputed plus disputed waters), the same
polygon that gives :func:`eezcheck.checker.check` its ``inside``/``disputed`` verdicts.

- :func:`closest_approach`: the shortest geodesic distance from a site to Japan's EEZ (0 inside
  it), the point where it is reached and the bearing to that point.
- :func:`reach`: for a site and a range, the bearing intervals on which the impact (the point
  ``range_km`` along the geodesic with that initial bearing) falls inside Japan's EEZ, the
  sub-intervals where it falls in disputed waters, and per bearing the range at which the
  geodesic ground track first enters Japan's EEZ.

Method (:func:`reach`): tracks are sampled on a bearing grid (``bearing_step_deg``, plus every
whole degree and the bearing of the closest approach) every ``track_step_km``; all track points
of all bearings are classified in one vectorised :class:`~eezcheck.zones.Classifier` call.
Interval edges are refined by bisection on the bearing to ``bearing_tol_deg``, entry ranges by
bisection along the track to ``entry_tol_km``. A sliver of Japan's EEZ narrower than the grid
(under ``bearing_step_deg`` at the impact, under ``track_step_km`` along a track) can be missed.

Examples
--------
>>> from eezcheck.approach import closest_approach, reach
>>> a = closest_approach(125.70926, 39.20299)
>>> round(a.distance_km)
536
>>> r = reach(125.70926, 39.20299, 1000, name="Sunan")
>>> [(round(i.start_deg, 1), round(i.end_deg, 1)) for i in r.intervals]
[(67.2, 177.7)]
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from eezcheck import limits
from eezcheck.boundaries import Boundaries
from eezcheck.errors import BoundaryDataError
from eezcheck.geodesy import GEOD, KM, NM, inverse, normalize_lon
from eezcheck.zones import JAPAN_CODES, JapanEEZ

__all__ = [
    "MAX_RANGE_KM",
    "Approach",
    "BearingEntry",
    "BearingInterval",
    "Reach",
    "closest_approach",
    "japan_checker",
    "reach",
]

MAX_RANGE_KM = limits.MAX_RANGE_KM
"""Longest range accepted (:data:`eezcheck.limits.MAX_RANGE_KM`, 20,000 km)."""

_OUTSIDE = JAPAN_CODES.index(JapanEEZ.OUTSIDE)
_DISPUTED = JAPAN_CODES.index(JapanEEZ.DISPUTED)
_CODE_VALUES = [j.value for j in JAPAN_CODES]
_DIGITS_KM = 3
_DIGITS_DEG = 4
_FAR_MARGIN_KM = 100.0  # slack on "no point of the claim is farther than its farthest vertex"

BoundariesArg = Boundaries | str | os.PathLike[str] | None


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Approach:
    """The closest approach of a launch site or area to Japan's EEZ (as the data draws Japan's
    claim).

    ``lon, lat`` is the nearest point of the EEZ limit; ``distance_km`` the geodesic distance to
    it from the nearest point of the launch area (the site itself when ``extent_km`` is 0), 0
    when the area reaches into Japan's EEZ; ``centre_distance_km`` the same from the site or the
    area's centre (``launch_lon, launch_lat``), 0 when the centre is ``inside`` Japan's EEZ;
    ``lon, lat`` is then the nearest point of the limit all the same. ``bearing_deg`` is the
    geodesic azimuth from the centre to that point.
    """

    launch_lon: float
    launch_lat: float
    distance_km: float
    lon: float
    lat: float
    bearing_deg: float
    inside: bool
    extent_km: float = 0.0
    centre_distance_km: float | None = None

    @property
    def distance_nm(self) -> float:
        return self.distance_km * KM / NM

    def to_dict(self) -> dict[str, Any]:
        centre = self.distance_km if self.centre_distance_km is None else self.centre_distance_km
        return {
            "launch_lon": self.launch_lon,
            "launch_lat": self.launch_lat,
            "extent_km": self.extent_km,
            "distance_km": round(self.distance_km, _DIGITS_KM),
            "distance_nm": round(self.distance_nm, _DIGITS_KM),
            "centre_distance_km": round(centre, _DIGITS_KM),
            "lon": self.lon,
            "lat": self.lat,
            "bearing_deg": round(self.bearing_deg, _DIGITS_DEG),
            "inside": self.inside,
        }


@dataclass(frozen=True)
class BearingInterval:
    """Bearings from ``start_deg`` clockwise to ``end_deg`` (degrees, 0..360).

    ``wraps`` when the interval runs through north (``start_deg > end_deg``); a full circle is
    ``start_deg=0, end_deg=360``. Edges are refined to within the tolerance of :func:`reach`.
    ``entry_start_km``/``entry_end_km`` are the ranges at which the tracks along the two edge
    bearings enter Japan's EEZ, ``min_entry_km`` the earliest entry of any bearing reported in
    the interval (None for a disputed sub-interval, which carries no entries).
    """

    start_deg: float
    end_deg: float
    entry_start_km: float | None = None
    entry_end_km: float | None = None
    min_entry_km: float | None = None

    @property
    def width_deg(self) -> float:
        if self.full_circle:
            return 360.0
        return (self.end_deg - self.start_deg) % 360.0

    @property
    def wraps(self) -> bool:
        return not self.full_circle and self.start_deg > self.end_deg

    @property
    def full_circle(self) -> bool:
        return self.start_deg == 0.0 and self.end_deg == 360.0

    def contains(self, bearing_deg: float, tol_deg: float = 0.0) -> bool:
        """True when ``bearing_deg`` lies in the interval widened by ``tol_deg`` on each side."""
        if self.full_circle or self.width_deg + 2 * tol_deg >= 360.0:
            return True
        return (
            float(bearing_deg) - self.start_deg + tol_deg
        ) % 360.0 <= self.width_deg + 2 * tol_deg

    def to_dict(self) -> dict[str, Any]:
        return {
            "start_deg": round(self.start_deg, _DIGITS_DEG),
            "end_deg": round(self.end_deg, _DIGITS_DEG),
            "width_deg": round(self.width_deg, _DIGITS_DEG),
            "wraps": self.wraps,
            "entry_start_km": _round_opt(self.entry_start_km),
            "entry_end_km": _round_opt(self.entry_end_km),
            "min_entry_km": _round_opt(self.min_entry_km),
        }


@dataclass(frozen=True)
class BearingEntry:
    """One bearing: where its impact falls and where its track first enters Japan's EEZ.

    ``impact`` is Japan's EEZ verdict at the impact point (``inside``, ``disputed`` or
    ``outside``); ``entry_km`` the range at which the track first enters Japan's EEZ, or None
    when it does not within the range. ``kind`` is ``grid`` (a whole degree) or ``edge`` (the
    inside side of a refined interval edge).
    """

    bearing_deg: float
    impact_lon: float
    impact_lat: float
    impact: str
    entry_km: float | None
    kind: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "bearing_deg": round(self.bearing_deg, _DIGITS_DEG),
            "impact_lon": round(self.impact_lon, 6),
            "impact_lat": round(self.impact_lat, 6),
            "impact": self.impact,
            "entry_km": _round_opt(self.entry_km),
            "kind": self.kind,
        }


@dataclass(frozen=True)
class Reach:
    """What a range flown from a launch site can reach of Japan's EEZ, bearing by bearing.

    ``intervals`` are the merged bearing intervals on which the impact falls inside Japan's
    EEZ (inside or disputed), ``disputed`` the sub-intervals on which it falls in disputed
    waters, ``bearings`` the whole-degree bearings whose tracks enter Japan's EEZ within the
    range plus the interval edges (sorted by bearing). ``to_dict()`` is the ``--json`` object.
    """

    lon: float
    lat: float
    name: str
    range_km: float
    closest: Approach
    intervals: tuple[BearingInterval, ...]
    disputed: tuple[BearingInterval, ...]
    bearings: tuple[BearingEntry, ...]
    bearing_step_deg: float
    track_step_km: float
    bearing_tol_deg: float
    entry_tol_km: float
    boundaries: Mapping[str, str] = field(default_factory=dict)

    @property
    def can_reach(self) -> bool:
        """True when some bearing puts the impact inside Japan's EEZ."""
        return bool(self.intervals)

    def contains(self, bearing_deg: float, tol_deg: float = 0.0) -> bool:
        """True when ``bearing_deg`` lies in one of the intervals (widened by ``tol_deg``)."""
        return any(i.contains(bearing_deg, tol_deg) for i in self.intervals)

    def to_dict(self) -> dict[str, Any]:
        return {
            "launch": {
                "name": self.name,
                "lon": self.lon,
                "lat": self.lat,
                "extent_km": self.closest.extent_km,
            },
            "range_km": self.range_km,
            "can_reach": self.can_reach,
            "closest_approach": self.closest.to_dict(),
            "intervals": [i.to_dict() for i in self.intervals],
            "disputed_intervals": [i.to_dict() for i in self.disputed],
            "bearings": [b.to_dict() for b in self.bearings],
            "method": {
                "bearing_step_deg": self.bearing_step_deg,
                "track_step_km": self.track_step_km,
                "bearing_tol_deg": self.bearing_tol_deg,
                "entry_tol_km": self.entry_tol_km,
                "geodesic": "WGS84",
            },
            "boundaries": dict(self.boundaries),
        }


def _round_opt(v: float | None) -> float | None:
    return None if v is None else round(v, _DIGITS_KM)


# --------------------------------------------------------------------------- inputs


def japan_checker(boundaries: BoundariesArg = None) -> Any:
    """The :class:`~eezcheck.checker.Checker` of the data set, refusing data without Japan's EEZ."""
    from eezcheck.checker import get_checker

    checker = get_checker(boundaries)
    if checker.boundaries.japan_claim.is_empty:
        p = checker.boundaries.provenance
        raise BoundaryDataError(
            f"boundary data {p.path!r} ({p.dataset}) has no Japanese EEZ: give boundary data "
            "with Japan's EEZ (--boundaries PATH)"
        )
    return checker


# --------------------------------------------------------------------------- closest approach


def closest_approach(
    lon: float, lat: float, boundaries: BoundariesArg = None, *, extent_km: float = 0.0
) -> Approach:
    """Shortest geodesic distance from a site or area to Japan's EEZ as Japan claims it.

    Parameters
    ----------
    lon, lat : float
        The launch site or the centre of the launch area, degrees, ``lon, lat`` order.
    boundaries : Boundaries, path or None
        Boundary data (None: the active data set, embedded by default).
    extent_km : float, default 0
        Radius of the launch area around ``lon, lat`` (km); the distance is then measured from
        the point of the area nearest Japan's EEZ.

    Returns
    -------
    Approach
        Distance (0 inside), nearest point of the limit and the bearing to it.

    Examples
    --------
    >>> a = closest_approach(125.70926, 39.20299)  # Sunan
    >>> round(a.distance_km), round(a.bearing_deg)
    (536, 108)
    """
    x, y = limits.lon_lat(lon, lat)
    return _approach(japan_checker(boundaries), x, y, limits.extent_km(extent_km))


def _nearest_limit(checker: Any, x: float, y: float) -> tuple[bool, float, float, float]:
    """``(inside, distance_km, lon, lat)``: Japan's verdict at a point and the nearest point of
    Japan's EEZ limit (distance 0 inside)."""
    c = checker.classifier.classify([x], [y])
    inside = bool(c.japan_code[0] != _OUTSIDE)
    d, flon, flat = checker.distances.limit.nearest([x], [y])
    dist = 0.0 if inside else float(d[0]) / KM
    return inside, dist, round(float(flon[0]), 6), round(float(flat[0]), 6)


def _approach(checker: Any, x: float, y: float, extent_km: float = 0.0) -> Approach:
    inside, centre_km, nlon, nlat = _nearest_limit(checker, x, y)
    dist = centre_km
    if extent_km > 0 and not inside:
        if extent_km >= centre_km:
            dist = 0.0
        else:
            # the point of the area nearest the limit lies towards the centre's nearest point
            az0, _ = inverse(x, y, nlon, nlat)
            px, py, _ = GEOD.fwd(x, y, az0, extent_km * KM)
            p_in, dist, nlon, nlat = _nearest_limit(checker, float(normalize_lon(px)), float(py))
            dist = 0.0 if p_in else dist
    az, _ = inverse(x, y, nlon, nlat)
    return Approach(
        launch_lon=x,
        launch_lat=y,
        distance_km=float(dist),
        lon=float(nlon),
        lat=float(nlat),
        bearing_deg=float(az) % 360.0,
        inside=inside,
        extent_km=float(extent_km),
        centre_distance_km=float(centre_km),
    )


# --------------------------------------------------------------------------- reach


class _Tracks:
    """Japan's EEZ verdicts of points on geodesics from one site, vectorised."""

    def __init__(self, checker: Any, x: float, y: float, near_km: float) -> None:
        self.clf = checker.classifier
        self.x, self.y = x, y
        claim = checker.boundaries.japan_claim
        self.bounds = claim.bounds
        # no point of the claim is nearer than the closest approach or (much) farther than its
        # farthest vertex: points outside that annulus, or outside the claim's box, are outside
        verts = shapely.get_coordinates(claim)
        _, far_m = inverse(np.full(len(verts), x), np.full(len(verts), y), verts[:, 0], verts[:, 1])
        self.far_km = float(np.max(far_m)) / KM + _FAR_MARGIN_KM
        self.near_km = near_km

    def points(
        self, bearing: NDArray[np.float64], dist_km: NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Points at ``dist_km`` along the geodesics with initial ``bearing`` (same shapes)."""
        b = np.asarray(bearing, dtype=float).ravel()
        d = np.asarray(dist_km, dtype=float).ravel()
        lon, lat, _ = GEOD.fwd(np.full(b.size, self.x), np.full(b.size, self.y), b, d * KM)
        return np.asarray(normalize_lon(lon), dtype=float).reshape(-1), np.asarray(lat, dtype=float)

    def codes(self, bearing: NDArray[np.float64], dist_km: NDArray[np.float64]) -> NDArray[np.int8]:
        """Japan verdict codes (:data:`eezcheck.zones.JAPAN_CODES`) for the points, one
        Classifier call for all of them (shape of the broadcast inputs)."""
        b, d = np.broadcast_arrays(
            np.asarray(bearing, dtype=float), np.asarray(dist_km, dtype=float)
        )
        out = np.full(b.size, _OUTSIDE, dtype=np.int8)
        flat_d = d.ravel()
        cand = np.flatnonzero((flat_d >= self.near_km - 1e-6) & (flat_d <= self.far_km))
        if cand.size:
            lon, lat = self.points(b.ravel()[cand], flat_d[cand])
            x0, y0, x1, y1 = self.bounds
            box = (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)
            sel = cand[box]
            if sel.size:
                # the exact path: the grid index would take seconds to build on the real data,
                # and the annulus and box above already leave only points near Japan
                c = self.clf.classify(lon[box], lat[box], use_grid=False)
                out[sel] = c.japan_code
        return out.reshape(b.shape)


def reach(
    lon: float,
    lat: float,
    range_km: float,
    boundaries: BoundariesArg = None,
    bearing_step_deg: float = 0.5,
    track_step_km: float = 5,
    *,
    name: str = "",
    bearing_tol_deg: float = 0.01,
    entry_tol_km: float = 0.01,
    extent_km: float = 0.0,
) -> Reach:
    """Bearings from a site on which a ``range_km`` shot lands inside Japan's EEZ.

    Parameters
    ----------
    lon, lat : float
        The launch site, degrees, ``lon, lat`` order.
    range_km : float
        Ground range flown (geodesic, km), 0 < range <= 20,000.
    boundaries : Boundaries, path or None
        Boundary data (None: the active data set, embedded by default).
    bearing_step_deg : float, default 0.5
        Spacing of the bearing grid scanned before edges are refined (0 < step <= 10).
    track_step_km : float, default 5
        Spacing of the points walked along each track before entries are refined.
    name : str, optional
        Name of the site, carried into the result.
    extent_km : float, default 0
        Radius of the launch area around ``lon, lat`` (km): the closest approach is measured
        from the area; bearings, impacts and entries are from its centre.
    bearing_tol_deg, entry_tol_km : float
        Bisection tolerances of interval edges (degrees) and entry ranges (km).

    Returns
    -------
    Reach
        Intervals (merged; one running through north has ``wraps``), disputed sub-intervals,
        entry ranges per bearing, the closest approach.

    Examples
    --------
    >>> r = reach(125.70926, 39.20299, 400)  # Sunan, 400 km
    >>> r.can_reach, round(r.closest.distance_km)
    (False, 536)
    """
    x, y = limits.lon_lat(lon, lat)
    rng = limits.range_km(range_km)
    ext = limits.extent_km(extent_km)
    step = limits.bearing_step_deg(bearing_step_deg)
    tstep = limits.positive("track_step_km", track_step_km, "km", 100.0)
    btol = limits.positive("bearing_tol_deg", bearing_tol_deg, "degrees", step)
    etol = limits.positive("entry_tol_km", entry_tol_km, "km", tstep)
    checker = japan_checker(boundaries)
    approach = _approach(checker, x, y, ext)
    # tracks start at the centre: nothing nearer it than its own closest approach is inside
    near_km = 0.0 if approach.inside else float(approach.centre_distance_km or 0.0)
    tracks = _Tracks(checker, x, y, near_km)

    # ---- scan: tracks of every grid bearing, classified in one call
    grid = np.concatenate([np.arange(0.0, 360.0, step), np.arange(0.0, 360.0, 1.0)])
    if not approach.inside:
        grid = np.append(grid, approach.bearing_deg)
    grid = np.unique(np.round(grid % 360.0, 9))
    dists = _track_distances(near_km, rng, tstep)
    codes = tracks.codes(grid[:, None], dists[None, :])
    impact = codes[:, -1]

    # ---- intervals, refined by bisection on the bearing
    def inside_at(b: NDArray[np.float64]) -> NDArray[np.bool_]:
        return tracks.codes(b, np.full(b.shape, rng)) != _OUTSIDE

    def disputed_at(b: NDArray[np.float64]) -> NDArray[np.bool_]:
        return tracks.codes(b, np.full(b.shape, rng)) == _DISPUTED

    runs, edge_in = _runs(grid, impact != _OUTSIDE, inside_at, btol)
    druns, _ = _runs(grid, impact == _DISPUTED, disputed_at, btol)

    # ---- entry ranges: whole degrees whose tracks enter, and the inside side of each edge
    whole = np.isclose(grid, np.round(grid), atol=1e-9, rtol=0)
    enters = (codes != _OUTSIDE).any(axis=1)
    rows = np.flatnonzero(whole & enters)
    rep_b = grid[rows]
    rep_codes = codes[rows]
    rep_kind = ["grid"] * rows.size
    if edge_in.size:
        ecodes = tracks.codes(edge_in[:, None], dists[None, :])
        rep_b = np.concatenate([rep_b, edge_in])
        rep_codes = np.concatenate([rep_codes, ecodes])
        rep_kind += ["edge"] * edge_in.size
    entry = _entries(tracks, rep_b, rep_codes, dists, etol)
    ilon, ilat = tracks.points(rep_b, np.full(rep_b.shape, rng))
    entries = [
        BearingEntry(
            bearing_deg=float(rep_b[i]) % 360.0,
            impact_lon=float(ilon[i]),
            impact_lat=float(ilat[i]),
            impact=_CODE_VALUES[int(rep_codes[i, -1])],
            entry_km=_finite(entry[i]),
            kind=rep_kind[i],
        )
        for i in range(rep_b.size)
    ]
    entries.sort(key=lambda e: (e.bearing_deg, e.kind))

    intervals = []
    n_grid = rows.size
    for k, (a, b) in enumerate(runs):
        if (a, b) == (0.0, 360.0):
            e0 = e1 = None
            members = [e for e in entries if e.impact != "outside"]
        else:
            e0 = _finite(entry[n_grid + 2 * k])
            e1 = _finite(entry[n_grid + 2 * k + 1])
            probe = BearingInterval(a, b)
            members = [
                e for e in entries if e.impact != "outside" and probe.contains(e.bearing_deg)
            ]
        known = [e.entry_km for e in members if e.entry_km is not None]
        intervals.append(BearingInterval(a, b, e0, e1, min(known) if known else None))
    return Reach(
        lon=x,
        lat=y,
        name=name,
        range_km=rng,
        closest=approach,
        intervals=tuple(intervals),
        disputed=tuple(BearingInterval(a, b) for a, b in druns),
        bearings=tuple(entries),
        bearing_step_deg=step,
        track_step_km=tstep,
        bearing_tol_deg=btol,
        entry_tol_km=etol,
        boundaries=checker.boundaries_info,
    )


def _finite(v: Any) -> float | None:
    f = float(v)
    return f if math.isfinite(f) else None


def _track_distances(near_km: float, range_km: float, step_km: float) -> NDArray[np.float64]:
    """Distances walked along every track: from one step short of the closest approach (no
    point nearer can be inside) to the range, ``step_km`` apart, ending exactly at the range."""
    start = max(0.0, near_km - step_km)
    if start >= range_km:
        return np.array([range_km])
    d = np.arange(start, range_km, step_km)
    return np.append(d, range_km)


def _runs(
    grid: NDArray[np.float64],
    flag: NDArray[np.bool_],
    predicate: Any,
    tol_deg: float,
) -> tuple[list[tuple[float, float]], NDArray[np.float64]]:
    """Circular runs of ``flag`` over the sorted bearing ``grid``, edges refined by bisection.

    Returns the runs as ``(start, end)`` (clockwise; ``(0, 360)`` for the whole circle) and, per
    run, the inside-side bearings of its start and end edges (flat array, start then end).
    """
    n = grid.size
    if not flag.any():
        return [], np.zeros(0)
    if flag.all():
        return [(0.0, 360.0)], np.zeros(0)
    nxt = np.roll(flag, -1)
    prv = np.roll(flag, 1)
    starts = np.flatnonzero(flag & ~prv)  # grid[i] inside, grid[i-1] outside
    ends = np.flatnonzero(flag & ~nxt)  # grid[i] inside, grid[i+1] outside
    # brackets (inside bearing, outside bearing), unwrapped so that they are adjacent
    s_in = grid[starts]
    s_out = grid[(starts - 1) % n] - np.where(starts == 0, 360.0, 0.0)
    e_in = grid[ends]
    e_out = grid[(ends + 1) % n] + np.where(ends == n - 1, 360.0, 0.0)
    b_in = np.concatenate([s_in, e_in])
    b_out = np.concatenate([s_out, e_out])
    while np.max(np.abs(b_in - b_out)) > tol_deg:
        mid = 0.5 * (b_in + b_out)
        ok = predicate(mid % 360.0)
        b_in = np.where(ok, mid, b_in)
        b_out = np.where(ok, b_out, mid)
    edge = (0.5 * (b_in + b_out)) % 360.0
    k = starts.size
    s_edge, e_edge = edge[:k], edge[k:]
    # pair each start with the first end at or after it (clockwise)
    order_e = np.argsort(ends)
    ends_sorted = ends[order_e]
    runs: list[tuple[float, float]] = []
    inner: list[float] = []
    for j, i in enumerate(starts):
        pos = int(np.searchsorted(ends_sorted, i))
        m = int(order_e[pos % k])
        runs.append((float(s_edge[j]), float(e_edge[m])))
        inner.extend([float(b_in[j]) % 360.0, float(b_in[k + m]) % 360.0])
    order = sorted(range(len(runs)), key=lambda r: runs[r][0])
    return [runs[r] for r in order], np.array(
        [v for r in order for v in inner[2 * r : 2 * r + 2]], dtype=float
    )


def _entries(
    tracks: _Tracks,
    bearing: NDArray[np.float64],
    codes: NDArray[np.int8],
    dists: NDArray[np.float64],
    tol_km: float,
) -> NDArray[np.float64]:
    """Range at which each track first enters Japan's EEZ (inf when it does not), refined by
    bisection between the last sample outside and the first inside, all tracks at once."""
    n = bearing.size
    out = np.full(n, np.inf)
    if n == 0:
        return out
    inside = codes != _OUTSIDE
    has = inside.any(axis=1)
    first = np.argmax(inside, axis=1)
    hi = dists[first]
    lo = np.where(first > 0, dists[np.maximum(first - 1, 0)], 0.0)
    at_start = has & (first == 0) & (dists[0] == 0.0)  # the site itself is inside
    out[at_start] = 0.0
    todo = np.flatnonzero(has & ~at_start)
    lo, hi, b = lo[todo], hi[todo], bearing[todo]
    while todo.size and np.max(hi - lo) > tol_km:
        mid = 0.5 * (lo + hi)
        ok = tracks.codes(b, mid) != _OUTSIDE
        hi = np.where(ok, mid, hi)
        lo = np.where(ok, lo, mid)
    out[todo] = hi
    return out
