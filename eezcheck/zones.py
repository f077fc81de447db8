"""Classify points into maritime zones and measure geodesic distances to limits.

All coordinates are ``lon, lat`` degrees (WGS84). The classification of a point is the first
area of :class:`Boundaries` that contains it, in this priority: land, overlapping claims,
joint regimes, territorial seas, contiguous zones, EEZs, then land implied by holes in EEZ
polygons (Marine Regions' polygons have holes where there is land), else high seas; outside the
data's coverage a point is ``unknown``.

Many points are classified through a grid (:class:`GridIndex`): cells that no boundary crosses
take the answer of their connected component, and only points in crossed cells are tested
exactly, so answers are identical to the exact test.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from typing import Any

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely.geometry.base import BaseGeometry

from eezcheck.boundaries import JAPAN, STATE_ADJECTIVE, Area, Boundaries, ZoneType, fill_holes
from eezcheck.geodesy import GEOD, KM, NM, geodesic_to_chord_m, normalize_lon, to_ecef


class Zone(str, Enum):
    """The zone a point is in (the ``zone`` key of results)."""

    LAND = "land"
    TERRITORIAL_SEA = "internal_or_territorial_sea"
    CONTIGUOUS_ZONE = "contiguous_zone"
    EEZ = "eez"
    OVERLAPPING_CLAIM = "overlapping_claim"
    JOINT_REGIME = "joint_regime"
    FOREIGN_EEZ = "foreign_eez"
    HIGH_SEAS = "high_seas"
    UNKNOWN = "unknown"


class JapanEEZ(str, Enum):
    """Verdict on Japan's EEZ as the loaded data's claims policy draws it."""

    INSIDE = "inside"
    OUTSIDE = "outside"
    DISPUTED = "disputed"
    UNCERTAIN = "uncertain"


_PRIORITY = [
    ZoneType.LAND,
    ZoneType.OVERLAPPING_CLAIM,
    ZoneType.JOINT_REGIME,
    ZoneType.TERRITORIAL_SEA,
    ZoneType.CONTIGUOUS_ZONE,
    ZoneType.EEZ,
]

ZONE_CODES = list(Zone)
JAPAN_CODES = [JapanEEZ.INSIDE, JapanEEZ.OUTSIDE, JapanEEZ.DISPUTED]


def _zone_of(area: Area) -> Zone:
    z = area.zone_type
    if z is ZoneType.LAND:
        return Zone.LAND
    if z is ZoneType.OVERLAPPING_CLAIM:
        return Zone.OVERLAPPING_CLAIM
    if z is ZoneType.JOINT_REGIME:
        return Zone.JOINT_REGIME
    if z is ZoneType.TERRITORIAL_SEA:
        return Zone.TERRITORIAL_SEA
    if z is ZoneType.CONTIGUOUS_ZONE:
        return Zone.CONTIGUOUS_ZONE
    return Zone.EEZ if area.holder == JAPAN else Zone.FOREIGN_EEZ


def zone_name(area: Area | None, zone: Zone) -> str:
    """Human name of a zone ("South Korean EEZ", "Overlapping claim ...", "High seas")."""
    if zone is Zone.UNKNOWN:
        return "Unknown (beyond the coverage of the loaded boundary data)"
    if area is None:
        return "High seas"
    if area.name and zone not in (Zone.LAND,):
        return area.name
    adj = " / ".join(STATE_ADJECTIVE.get(s, s) for s in area.states) or "Unattributed"
    return {
        Zone.LAND: f"{adj} land",
        Zone.TERRITORIAL_SEA: f"{adj} internal waters or territorial sea",
        Zone.CONTIGUOUS_ZONE: f"{adj} contiguous zone",
        Zone.EEZ: "Japanese EEZ",
        Zone.FOREIGN_EEZ: f"{adj} EEZ",
        Zone.OVERLAPPING_CLAIM: f"Overlapping claim: {adj}",
        Zone.JOINT_REGIME: f"Joint regime: {adj}",
    }.get(zone, adj)


@dataclass(frozen=True)
class Classification:
    """Vectorised classification: one entry per input point."""

    zone_code: NDArray[np.int8]
    area_index: NDArray[np.int32]
    japan_code: NDArray[np.int8]

    def zones(self) -> list[Zone]:
        return [ZONE_CODES[c] for c in self.zone_code]

    def japan(self) -> list[JapanEEZ]:
        return [JAPAN_CODES[c] for c in self.japan_code]


class Classifier:
    """Point classification against one :class:`Boundaries`.

    Examples
    --------
    >>> c = Classifier(boundaries)  # doctest: +SKIP
    >>> c.classify([138.5], [41.3]).zones()  # doctest: +SKIP
    [<Zone.EEZ: 'eez'>]
    """

    def __init__(self, boundaries: Boundaries) -> None:
        self.boundaries = boundaries
        ordered: list[Area] = []
        for ztype in _PRIORITY:
            ordered.extend(a for a in boundaries.areas if a.zone_type is ztype)
        # land implied by holes of EEZ / TS polygons (Marine Regions' polygons have holes where
        # there is land), lowest priority. A hole can also be a high-seas pocket (Japan's EEZ
        # encloses one south of Shikoku), so when land polygons are loaded a hole counts as land
        # only if it meets land.
        land = [a.geometry for a in boundaries.areas if a.zone_type is ZoneType.LAND]
        land_tree = shapely.STRtree(land) if land else None
        for a in boundaries.areas:
            if a.zone_type in (ZoneType.EEZ, ZoneType.TERRITORIAL_SEA) and _has_holes(a.geometry):
                holes = shapely.get_parts(fill_holes(a.geometry).difference(a.geometry))
                if land_tree is not None and len(holes):
                    hit = np.unique(land_tree.query(holes, predicate="intersects")[0])
                    holes = holes[hit]
                if len(holes):
                    geom = shapely.union_all(holes)
                    ordered.append(Area(geom, ZoneType.LAND, a.states, "", "", f"holes of {a.ident or a.name}"))
        self.areas = ordered
        self.geoms = np.array([a.geometry for a in ordered], dtype=object)
        shapely.prepare(self.geoms)
        self.area_zone = np.array([ZONE_CODES.index(_zone_of(a)) for a in ordered], dtype=np.int8)
        disputed = np.array(
            [
                (a.zone_type in (ZoneType.OVERLAPPING_CLAIM, ZoneType.JOINT_REGIME) and a.involves_japan)
                or (a.involves_japan and len(a.states) > 1)
                or not a.involves_japan
                for a in ordered
            ],
            dtype=bool,
        )
        self.area_disputed = disputed
        self.claim = boundaries.japan_claim
        self.coverage = boundaries.coverage
        self._grid: GridIndex | None = None

    # ---------------------------------------------------------------- exact path
    def _exact(self, lon: NDArray[np.float64], lat: NDArray[np.float64]) -> tuple[NDArray[np.int32], NDArray[np.bool_], NDArray[np.bool_]]:
        n = lon.size
        idx = np.full(n, -1, dtype=np.int32)
        covered = shapely.contains_xy(self.coverage, lon, lat) if n else np.zeros(0, bool)
        todo = np.flatnonzero(covered)
        for i, g in enumerate(self.geoms):
            if todo.size == 0:
                break
            minx, miny, maxx, maxy = g.bounds
            sub = todo[(lon[todo] >= minx) & (lon[todo] <= maxx) & (lat[todo] >= miny) & (lat[todo] <= maxy)]
            if sub.size == 0:
                continue
            hit = sub[shapely.contains_xy(g, lon[sub], lat[sub])]
            if hit.size:
                idx[hit] = i
                todo = np.setdiff1d(todo, hit, assume_unique=True)
        in_claim = shapely.contains_xy(self.claim, lon, lat) if (n and not self.claim.is_empty) else np.zeros(n, bool)
        return idx, covered, in_claim

    def _finish(self, idx: NDArray[np.int32], covered: NDArray[np.bool_], in_claim: NDArray[np.bool_]) -> Classification:
        n = idx.size
        zone = np.full(n, ZONE_CODES.index(Zone.HIGH_SEAS), dtype=np.int8)
        has = idx >= 0
        zone[has] = self.area_zone[idx[has]]
        zone[~covered] = ZONE_CODES.index(Zone.UNKNOWN)
        japan = np.full(n, JAPAN_CODES.index(JapanEEZ.OUTSIDE), dtype=np.int8)
        japan[in_claim] = JAPAN_CODES.index(JapanEEZ.INSIDE)
        disputed = in_claim & has
        disputed[has] &= self.area_disputed[idx[has]]
        japan[disputed] = JAPAN_CODES.index(JapanEEZ.DISPUTED)
        return Classification(zone, idx, japan)

    def classify(self, lon: ArrayLike, lat: ArrayLike, *, use_grid: bool | None = None) -> Classification:
        """Classify points given as ``lon, lat`` arrays (degrees)."""
        x = np.atleast_1d(np.asarray(normalize_lon(lon), dtype=float))
        y = np.atleast_1d(np.asarray(lat, dtype=float))
        if use_grid is None:
            use_grid = x.size >= 20_000
        if not use_grid:
            return self._finish(*self._exact(x, y))
        grid = self.grid
        idx, covered, in_claim = grid.lookup(x, y)
        todo = np.flatnonzero(grid.needs_exact(x, y))
        if todo.size:
            i2, c2, k2 = self._exact(x[todo], y[todo])
            idx[todo], covered[todo], in_claim[todo] = i2, c2, k2
        return self._finish(idx, covered, in_claim)

    @property
    def grid(self) -> GridIndex:
        if self._grid is None:
            self._grid = GridIndex(self)
        return self._grid


def _has_holes(g: BaseGeometry) -> bool:
    polys = getattr(g, "geoms", [g])
    return any(len(getattr(p, "interiors", [])) for p in polys)


class GridIndex:
    """Uniform lon/lat grid over the coverage; cells crossed by no boundary are pre-labelled.

    Adjacent uncrossed cells share an edge that no boundary touches, so a connected component of
    uncrossed cells lies wholly in the same set of areas: one exact test per component labels it.
    Points in crossed cells (and on cell edges) are tested exactly by the caller.
    """

    def __init__(self, clf: Classifier, cell_deg: float = 0.05) -> None:
        from scipy import ndimage

        minx, miny, maxx, maxy = clf.coverage.bounds
        self.x0, self.y0, self.d = minx, miny, cell_deg
        self.nx = int(np.ceil((maxx - minx) / cell_deg))
        self.ny = int(np.ceil((maxy - miny) / cell_deg))
        crossed = np.zeros((self.ny, self.nx), dtype=bool)
        lines = [g.boundary for g in clf.geoms] + [clf.claim.boundary, clf.coverage.boundary]
        for line in lines:
            if line is None or line.is_empty:
                continue
            coords_parts = [np.asarray(p.coords) for p in getattr(line, "geoms", [line]) if not p.is_empty]
            for coords in coords_parts:
                self._mark_segments(crossed, coords)
        labels, n = ndimage.label(~crossed)
        # one representative cell centre per component
        first = np.full(n + 1, -1, dtype=np.int64)
        flat = labels.ravel()
        order = np.flatnonzero(flat)
        comp = flat[order]
        _, pos = np.unique(comp, return_index=True)
        first[np.unique(comp)] = order[pos]
        rep = first[1:]
        ry, rx = np.divmod(rep, self.nx)
        cx = self.x0 + (rx + 0.5) * self.d
        cy = self.y0 + (ry + 0.5) * self.d
        idx, cov, claim = clf._exact(cx, cy)
        self.labels = labels
        self.comp_idx = np.concatenate([[-1], idx]).astype(np.int32)
        self.comp_cov = np.concatenate([[False], cov])
        self.comp_claim = np.concatenate([[False], claim])
        self.crossed = crossed

    def _mark_segments(self, crossed: NDArray[np.bool_], coords: NDArray[np.float64]) -> None:
        """Mark every cell a polyline passes through (conservatively, by dense sampling plus the
        cells on both sides of each sample)."""
        if len(coords) < 2:
            return
        a, b = coords[:-1, :2], coords[1:, :2]
        seglen = np.hypot(*(b - a).T)
        nsub = np.maximum(np.ceil(seglen / (self.d * 0.25)).astype(int), 1)
        rep = np.repeat(np.arange(len(a)), nsub)
        starts = np.cumsum(nsub) - nsub
        t = (np.arange(nsub.sum()) - np.repeat(starts, nsub)) / np.repeat(nsub, nsub)
        pts = a[rep] + (b[rep] - a[rep]) * t[:, None]
        pts = np.vstack([pts, coords[-1:, :2]])
        fx = (pts[:, 0] - self.x0) / self.d
        fy = (pts[:, 1] - self.y0) / self.d
        # sample spacing is d/4, so marking the cell of each sample and its 8 neighbours covers
        # every cell the straight segment touches, including corner cuts
        ix = np.floor(fx).astype(np.int64)
        iy = np.floor(fy).astype(np.int64)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                jx, jy = ix + dx, iy + dy
                ok = (jx >= 0) & (jx < self.nx) & (jy >= 0) & (jy < self.ny)
                crossed[jy[ok], jx[ok]] = True

    def _cells(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.bool_]]:
        fx = (x - self.x0) / self.d
        fy = (y - self.y0) / self.d
        ix = np.floor(fx).astype(np.int64)
        iy = np.floor(fy).astype(np.int64)
        inside = (ix >= 0) & (ix < self.nx) & (iy >= 0) & (iy < self.ny)
        return np.clip(ix, 0, self.nx - 1), np.clip(iy, 0, self.ny - 1), inside

    def lookup(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> tuple[NDArray[np.int32], NDArray[np.bool_], NDArray[np.bool_]]:
        ix, iy, inside = self._cells(x, y)
        lab = np.where(inside, self.labels[iy, ix], 0)
        return self.comp_idx[lab].copy(), self.comp_cov[lab] & inside, self.comp_claim[lab].copy()

    def needs_exact(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.bool_]:
        ix, iy, inside = self._cells(x, y)
        return inside & self.crossed[iy, ix]


# --------------------------------------------------------------------------- distances


class LineDistance:
    """Geodesic distance from points to a set of lines (e.g. Japan's EEZ limit, a coastline).

    The lines are densified to vertices at most ``max_seg_m`` apart, indexed in a KD-tree of
    earth-centred coordinates; for each point the segments next to its nearest vertices are
    searched for the closest foot point (on the sphere, exact for such short segments), and the
    distance to that foot point is computed with the WGS84 geodesic (pyproj).
    """

    def __init__(self, lines: BaseGeometry, max_seg_m: float = 1000.0, k: int = 6) -> None:
        from scipy.spatial import cKDTree

        parts = [np.asarray(p.coords)[:, :2] for p in _line_parts(lines)]
        verts: list[NDArray[np.float64]] = []
        seg_next: list[NDArray[np.int64]] = []
        offset = 0
        for coords in parts:
            dense = _densify_geodesic(coords, max_seg_m)
            m = len(dense)
            nxt = np.arange(offset + 1, offset + m + 1, dtype=np.int64)
            nxt[-1] = -1
            verts.append(dense)
            seg_next.append(nxt)
            offset += m
        if not verts:
            raise ValueError("no lines to measure distances to")
        self.lonlat = np.vstack(verts)
        self.next = np.concatenate(seg_next)
        self.prev = np.full_like(self.next, -1)
        has = self.next >= 0
        self.prev[self.next[has]] = np.flatnonzero(has)
        self.xyz = to_ecef(self.lonlat[:, 0], self.lonlat[:, 1])
        self.unit = self.xyz / np.linalg.norm(self.xyz, axis=1)[:, None]
        self.tree = cKDTree(self.xyz)
        self.k = k
        self.max_seg_m = max_seg_m

    def nearest(self, lon: ArrayLike, lat: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """Distance (m) to the nearest point of the lines, and that point's lon, lat."""
        x = np.atleast_1d(np.asarray(normalize_lon(lon), dtype=float))
        y = np.atleast_1d(np.asarray(lat, dtype=float))
        p = to_ecef(x, y)
        pu = p / np.linalg.norm(p, axis=1)[:, None]
        k = min(self.k, len(self.xyz))
        _, nn = self.tree.query(p, k=k)
        nn = nn.reshape(len(x), k)
        best_d = np.full(len(x), np.inf)
        best_u = np.zeros((len(x), 3))
        for j in range(k):
            v = nn[:, j]
            for nb in (self.next[v], self.prev[v]):
                ok = nb >= 0
                a = self.unit[v]
                b = np.where(ok[:, None], self.unit[np.maximum(nb, 0)], a)
                foot = _closest_on_arc(pu, a, b)
                d = np.linalg.norm(foot - pu, axis=1)
                better = d < best_d
                best_d[better] = d[better]
                best_u[better] = foot[better]
        flon = np.degrees(np.arctan2(best_u[:, 1], best_u[:, 0]))
        # geocentric -> geodetic latitude for a point on the ellipsoid's radial direction
        r_xy = np.hypot(best_u[:, 0], best_u[:, 1])
        e2 = 6.69437999014e-3
        flat = np.degrees(np.arctan2(best_u[:, 2], r_xy * (1 - e2)))
        _, _, dist = GEOD.inv(x, y, flon, flat)
        return np.asarray(dist, dtype=float), flon, flat


def _closest_on_arc(p: NDArray[np.float64], a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """Closest point to unit vector p on the great-circle arc a-b (unit vectors), as a unit vector."""
    n = np.cross(a, b)
    nn = np.linalg.norm(n, axis=1)
    degenerate = nn < 1e-15
    n = n / np.where(degenerate, 1.0, nn)[:, None]
    proj = p - (np.sum(p * n, axis=1))[:, None] * n
    pn = np.linalg.norm(proj, axis=1)
    proj = proj / np.where(pn < 1e-15, 1.0, pn)[:, None]
    # inside the arc if proj is between a and b
    inside = (np.sum(np.cross(a, proj) * n, axis=1) >= 0) & (np.sum(np.cross(proj, b) * n, axis=1) >= 0)
    inside &= ~degenerate
    da = np.sum(p * a, axis=1)
    db = np.sum(p * b, axis=1)
    end = np.where((da >= db)[:, None], a, b)
    return np.where(inside[:, None], proj, end)


def _line_parts(g: BaseGeometry) -> list[Any]:
    if g.is_empty:
        return []
    if g.geom_type in ("LineString", "LinearRing"):
        return [g]
    if g.geom_type in ("Polygon",):
        return _line_parts(g.boundary)
    out: list[Any] = []
    for p in getattr(g, "geoms", []):
        out.extend(_line_parts(p))
    return out


def _densify_geodesic(coords: NDArray[np.float64], max_seg_m: float) -> NDArray[np.float64]:
    """Insert vertices along each lon/lat edge so that no edge exceeds ``max_seg_m``.

    Edges are interpolated linearly in lon/lat, the way the polygons are tested, so the distance
    line follows exactly the limit used for inside/outside.
    """
    if len(coords) < 2:
        return coords
    a, b = coords[:-1], coords[1:]
    _, _, d = GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    n = np.maximum(np.ceil(np.asarray(d) / max_seg_m).astype(int), 1)
    rep = np.repeat(np.arange(len(a)), n)
    starts = np.cumsum(n) - n
    t = (np.arange(n.sum()) - np.repeat(starts, n)) / np.repeat(n, n)
    pts = a[rep] + (b[rep] - a[rep]) * t[:, None]
    return np.vstack([pts, coords[-1:]])


@dataclass(frozen=True)
class Distances:
    """Signed distance to Japan's EEZ limit and distance to Japanese land, per point."""

    to_limit_m: NDArray[np.float64]
    limit_lon: NDArray[np.float64]
    limit_lat: NDArray[np.float64]
    to_land_m: NDArray[np.float64]


class DistanceIndex:
    """Geodesic distances to Japan's EEZ limit (signed) and to Japanese land."""

    def __init__(self, boundaries: Boundaries) -> None:
        self.boundaries = boundaries

    @cached_property
    def limit(self) -> LineDistance:
        return LineDistance(self.boundaries.japan_limit)

    @cached_property
    def japan_land(self) -> BaseGeometry:
        land = [a.geometry for a in self.boundaries.areas if a.zone_type is ZoneType.LAND and a.holder == JAPAN]
        if not land:
            holes = [
                fill_holes(a.geometry).difference(a.geometry)
                for a in self.boundaries.areas
                if a.zone_type in (ZoneType.EEZ, ZoneType.TERRITORIAL_SEA) and a.holder == JAPAN
            ]
            land = [h for h in holes if not h.is_empty]
        g = shapely.union_all(land) if land else shapely.Polygon()
        shapely.prepare(g)
        return g

    @cached_property
    def land(self) -> LineDistance | None:
        if self.japan_land.is_empty:
            return None
        return LineDistance(self.japan_land.boundary, max_seg_m=500.0)

    def signed_limit_m(self, lon: ArrayLike, lat: ArrayLike, inside: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """Distance to the limit, positive where ``inside`` (Japan's claim), negative outside."""
        d, flon, flat = self.limit.nearest(lon, lat)
        sign = np.where(np.asarray(inside, dtype=bool), 1.0, -1.0)
        return d * sign, flon, flat

    def land_m(self, lon: ArrayLike, lat: ArrayLike) -> NDArray[np.float64]:
        """Distance to the nearest Japanese land (0 on land); NaN without land data."""
        x = np.atleast_1d(np.asarray(normalize_lon(lon), dtype=float))
        y = np.atleast_1d(np.asarray(lat, dtype=float))
        if self.land is None:
            return np.full(x.size, np.nan)
        d, _, _ = self.land.nearest(x, y)
        on = shapely.contains_xy(self.japan_land, x, y)
        return np.where(on, 0.0, d)


def within_km_chord(km: float) -> float:
    """Chord length (m) matching a great-circle distance in km, for KD-tree radius queries."""
    return float(geodesic_to_chord_m(km * KM))


__all__ = [
    "NM",
    "Classification",
    "Classifier",
    "DistanceIndex",
    "GridIndex",
    "JapanEEZ",
    "LineDistance",
    "Zone",
    "zone_name",
]
