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

import os
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from typing import Any

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely.geometry.base import BaseGeometry

from eezcheck.boundaries import JAPAN, STATE_ADJECTIVE, Area, Boundaries, ZoneType, fill_holes
from eezcheck.geodesy import GEOD, NM, inverse_arrays, normalize_lon, spatial_order, to_ecef


class ValueEnum(str, Enum):
    """A ``str`` Enum that prints as its value: ``str(JapanEEZ.INSIDE) == "inside"``, also in
    f-strings (a plain ``(str, Enum)`` prints ``JapanEEZ.INSIDE``)."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


class Zone(ValueEnum):
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


class JapanEEZ(ValueEnum):
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
        # a data set whose land layer is complete (the embedded one) needs no land from holes
        complete_land = bool(land) and boundaries.land_complete
        # a tree of the land's parts: testing holes against many small polygons is fast
        land_tree = shapely.STRtree(shapely.get_parts(land)) if land and not complete_land else None
        for a in ([] if complete_land else boundaries.areas):
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
        self._prepared = False
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
        self._bounds = shapely.bounds(self.geoms) if len(self.geoms) else np.zeros((0, 4))
        self._owner = threading.get_ident()
        self._local = threading.local()

    # ---------------------------------------------------------------- exact path
    def _exact(self, lon: NDArray[np.float64], lat: NDArray[np.float64]) -> tuple[NDArray[np.int32], NDArray[np.bool_], NDArray[np.bool_]]:
        n = lon.size
        if n > 64:
            # preparing builds an index per polygon: worth it for many points, not for one
            self.prepare()
        geoms, coverage, claim, test = self._shapes()
        idx = np.full(n, -1, dtype=np.int32)
        covered = test(coverage, lon, lat) if n else np.zeros(0, bool)
        todo = np.flatnonzero(covered)
        for i, g in enumerate(geoms):
            if todo.size == 0:
                break
            minx, miny, maxx, maxy = self._bounds[i]
            sub = todo[(lon[todo] >= minx) & (lon[todo] <= maxx) & (lat[todo] >= miny) & (lat[todo] <= maxy)]
            if sub.size == 0:
                continue
            hit = sub[test(g, lon[sub], lat[sub])]
            if hit.size:
                idx[hit] = i
                todo = np.setdiff1d(todo, hit, assume_unique=True)
        in_claim = test(claim, lon, lat) if (n and not claim.is_empty) else np.zeros(n, bool)
        return idx, covered, in_claim

    def _shapes(self) -> tuple[NDArray[np.object_], BaseGeometry, BaseGeometry, Any]:
        """The polygons, coverage and claim this thread tests, and the test to use.

        GEOS builds a prepared geometry's indexes lazily and not thread-safely
        (libgeos/geos#825), so the thread that made the classifier tests the originals (through
        :func:`contains_xy`, one test at a time with the other users of the shared boundaries)
        and every other thread exact copies of its own (WKB), without waiting.
        """
        shapes = getattr(self._local, "shapes", None)
        if shapes is None:
            if threading.get_ident() == self._owner:
                shapes = (self.geoms, self.coverage, self.claim, contains_xy)
            else:
                geoms, coverage, claim = (
                    shapely.from_wkb(shapely.to_wkb(g))
                    for g in (self.geoms, self.coverage, self.claim)
                )
                shapely.prepare(geoms)
                shapely.prepare(coverage)
                shapely.prepare(claim)
                shapes = (geoms, coverage, claim, _contains_xy)
            self._local.shapes = shapes
        return shapes  # type: ignore[no-any-return]

    def prepare(self) -> None:
        """Prepare the polygons (GEOS builds an index for each as it tests points)."""
        with _PREPARED_LOCK:
            if not self._prepared:
                shapely.prepare(self.geoms)
                self._prepared = True

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
        """The grid index, built on first use and remembered on disk per data set (the user
        state folder, keyed by the sha256 of every file behind the boundaries)."""
        if self._grid is None:
            self._grid = GridIndex.cached(self)
        return self._grid

    def _cache_key(self) -> str | None:
        import hashlib

        b = self.boundaries
        shas = sorted({b.provenance.sha256, *(p.sha256 for p in b.layer_provenance.values())} - {""})
        if not shas or not b.provenance.sha256:
            return None
        text = "|".join([GRID_FORMAT, *shas, str(len(self.areas)), repr(self.coverage.bounds)])
        return hashlib.sha256(text.encode()).hexdigest()[:32]


_PREPARED_LOCK = threading.Lock()


def contains_xy(geom: BaseGeometry, x: ArrayLike, y: ArrayLike) -> NDArray[np.bool_]:
    """``shapely.contains_xy`` for a geometry that threads share: one test at a time.

    GEOS builds the indexes of a prepared geometry lazily as it tests points, and not
    thread-safely (libgeos/geos#825: concurrent first uses corrupt the heap), so the tests of
    the shared boundaries take turns (the classifier's other threads test copies instead).
    """
    with _PREPARED_LOCK:
        return _contains_xy(geom, x, y)


def _contains_xy(geom: BaseGeometry, x: ArrayLike, y: ArrayLike) -> NDArray[np.bool_]:
    return np.asarray(shapely.contains_xy(geom, x, y), dtype=bool)


def _has_holes(g: BaseGeometry) -> bool:
    polys = getattr(g, "geoms", [g])
    return any(len(getattr(p, "interiors", [])) for p in polys)


GRID_FORMAT = "grid-1"
"""Version of the saved grid arrays; change it when GridIndex's construction changes."""


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
        lines = shapely.boundary(np.array([*clf.geoms, clf.claim, clf.coverage], dtype=object))
        parts = shapely.get_parts(lines[~shapely.is_empty(lines)])
        coords, part = shapely.get_coordinates(parts, return_index=True)
        self._mark_segments(crossed, coords, part)
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

    _ARRAYS = ("labels", "comp_idx", "comp_cov", "comp_claim", "crossed")

    @classmethod
    def cached(cls, clf: Classifier, cell_deg: float = 0.05) -> GridIndex:
        """Load the grid from the state folder if this data set's was saved, else build and save."""
        from eezcheck.data import user_state_dir

        key = clf._cache_key()
        path = None
        if key is not None:
            path = user_state_dir() / "grids" / f"{key}-{cell_deg:g}.npz"
            if path.exists():
                try:
                    with np.load(path, allow_pickle=False) as z:
                        g = cls.__new__(cls)
                        for name in cls._ARRAYS:
                            setattr(g, name, z[name])
                        g.x0, g.y0, g.d = (float(v) for v in z["origin"])
                        g.ny, g.nx = g.labels.shape
                        return g
                except (OSError, ValueError, KeyError):
                    pass  # a damaged cache file is rebuilt
        g = cls(clf, cell_deg)
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp.npz")
                np.savez(tmp, origin=np.array([g.x0, g.y0, g.d]), **{n: getattr(g, n) for n in cls._ARRAYS})
                os.replace(tmp, path)
            except OSError:
                pass
        return g

    def _mark_segments(self, crossed: NDArray[np.bool_], coords: NDArray[np.float64], part: NDArray[np.int64]) -> None:
        """Mark every cell the polylines pass through (conservatively: samples every d/4 along
        each segment, and the cells around each sample). ``part`` numbers the polyline of each
        vertex; segments join consecutive vertices of the same polyline."""
        if len(coords) < 2:
            return
        same = part[1:] == part[:-1]
        a, b = coords[:-1, :2][same], coords[1:, :2][same]
        seglen = np.hypot(*(b - a).T)
        nsub = np.maximum(np.ceil(seglen / (self.d * 0.25)).astype(np.int64), 1)
        rep = np.repeat(np.arange(len(a)), nsub)
        starts = np.cumsum(nsub) - nsub
        t = (np.arange(nsub.sum()) - np.repeat(starts, nsub)) / np.repeat(nsub, nsub)
        pts = np.vstack([a[rep] + (b[rep] - a[rep]) * t[:, None], coords[:, :2]])
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

    def __init__(self, lines: BaseGeometry | None, max_seg_m: float = 1000.0, k: int = 1,
                 *, lonlat: NDArray[np.float64] | None = None, next_index: NDArray[np.int64] | None = None) -> None:
        if lonlat is None or next_index is None:
            if lines is None:
                raise ValueError("give lines or precomputed lonlat/next_index")
            lonlat, next_index = densified_lines(lines, max_seg_m)
        self.lonlat = np.asarray(lonlat, dtype=float)
        self.next = np.asarray(next_index, dtype=np.int64)
        self.prev = np.full_like(self.next, -1)
        has = self.next >= 0
        self.prev[self.next[has]] = np.flatnonzero(has)
        self.k = k
        self.walk = 2
        self.max_seg_m = max_seg_m
        self._tree: Any = None

    @cached_property
    def xyz(self) -> NDArray[np.float64]:
        return to_ecef(self.lonlat[:, 0], self.lonlat[:, 1])

    @cached_property
    def unit(self) -> NDArray[np.float64]:
        return self.xyz / np.linalg.norm(self.xyz, axis=1)[:, None]

    def _unit_of(self, idx: NDArray[np.int64]) -> NDArray[np.float64]:
        if "unit" in self.__dict__ or len(idx) > 1000:
            return self.unit[idx]
        u = to_ecef(self.lonlat[idx, 0], self.lonlat[idx, 1])
        return u / np.linalg.norm(u, axis=-1)[..., None]

    @property
    def tree(self) -> Any:
        """KD-tree of the vertices (built on first use: a few points are searched by brute force)."""
        if self._tree is None:
            from scipy.spatial import cKDTree

            self._tree = cKDTree(self.xyz, balanced_tree=False, compact_nodes=False)
        return self._tree

    def _knn(self, x: NDArray[np.float64], y: NDArray[np.float64], p: NDArray[np.float64], k: int) -> NDArray[np.int64]:
        if len(p) <= 16 and self._tree is None:
            # a few points: an upper bound on the nearest distance from every 32nd vertex, then
            # exact chords only for vertices in the lat/lon window that bound allows
            out = np.empty((len(p), k), dtype=np.int64)
            sub = np.arange(0, len(self.lonlat), 32)
            sub_xyz = to_ecef(self.lonlat[sub, 0], self.lonlat[sub, 1])
            for i in range(len(p)):
                dsub = np.sqrt(((sub_xyz - p[i]) ** 2).sum(axis=1))
                bound = np.partition(dsub, min(k, len(dsub)) - 1)[min(k, len(dsub)) - 1]
                rdeg = np.degrees(2 * np.arcsin(min(1.0, bound / (2 * 6_356_000.0)))) * 1.01 + 0.01
                lat_max = min(89.9, abs(y[i]) + rdeg)
                wdeg = rdeg / np.cos(np.radians(lat_max))
                dx = np.abs((self.lonlat[:, 0] - x[i] + 180.0) % 360.0 - 180.0)
                cand = np.flatnonzero((np.abs(self.lonlat[:, 1] - y[i]) <= rdeg) & ((dx <= wdeg) | (wdeg >= 180.0)))
                cxyz = to_ecef(self.lonlat[cand, 0], self.lonlat[cand, 1])
                d2 = ((cxyz - p[i]) ** 2).sum(axis=1)
                # ties (coinciding vertices) go to the lowest index, as in the tree search
                best = cand[np.argsort(d2, kind="stable")[:k]]
                if len(best) < k:
                    best = np.concatenate([best, np.full(k - len(best), best[0])])
                out[i] = best
            return out
        if k == 1 and self._distinct is not None:
            # nearest distinct position, and the lowest-index vertex there
            dtree, first = self._distinct
            _, j = dtree.query(p, k=1, workers=-1)
            return first[j].reshape(len(p), 1)
        _, nn = self.tree.query(p, k=k, workers=-1)
        nn = np.asarray(nn).reshape(len(p), k)
        # where several vertices share a position (the ends of a closed ring), the tree may
        # return any of them: take the lowest index, as the search of a few points does
        return self._lowest_at_position[nn] if k == 1 else nn

    @cached_property
    def _lowest_at_position(self) -> NDArray[np.int64]:
        """For each vertex, the lowest index of a vertex at its position (tree searches only:
        the search of a few points gets the same from a stable sort)."""
        _, inverse = np.unique(self.xyz, axis=0, return_inverse=True)
        inverse = np.asarray(inverse).ravel()
        lowest = np.full(inverse.max() + 1, len(inverse), dtype=np.int64)
        np.minimum.at(lowest, inverse, np.arange(len(inverse), dtype=np.int64))
        return lowest[inverse]

    @cached_property
    def _ring_twin(self) -> NDArray[np.int64]:
        """For the first and last vertex of a closed part (a ring), the other one; else -1."""
        ends = np.flatnonzero(self.next < 0)
        starts = np.concatenate([[0], ends[:-1] + 1]).astype(np.int64)
        closed = np.all(self.lonlat[starts] == self.lonlat[ends], axis=1) & (starts != ends)
        twin = np.full(len(self.next), -1, dtype=np.int64)
        twin[starts[closed]] = ends[closed]
        twin[ends[closed]] = starts[closed]
        return twin

    @cached_property
    def _distinct(self) -> tuple[Any, NDArray[np.int64]] | None:
        """A KD-tree of the distinct vertex positions with larger leaves (a fifth faster for
        points far from a long line) and the lowest-index vertex at each position; None for lines
        of many parts (the tree of all vertices is then as fast)."""
        if (self.next < 0).sum() > 0.01 * len(self.next):
            return None
        from scipy.spatial import cKDTree

        pos, first = np.unique(self.xyz, axis=0, return_index=True)
        tree = cKDTree(pos, leafsize=64, balanced_tree=False, compact_nodes=False)
        return tree, first.astype(np.int64)

    def prepare(self) -> None:
        """Build the search indexes now (before threads share this line). Answers do not
        depend on whether they exist: a few points are searched without them, with the same
        vertex chosen (ties between coinciding vertices go to the lowest index)."""
        _ = self.tree, self._distinct, self._lowest_at_position, self._ring_twin, self.xyz, self.unit, self._unit_xyz

    @cached_property
    def _unit_xyz(self) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """:attr:`unit` as three contiguous component arrays (fast gathers)."""
        return tuple(np.ascontiguousarray(self.unit[:, j]) for j in range(3))  # type: ignore[return-value]

    def _units_of(self, idx: NDArray[np.int64]) -> tuple[NDArray[np.float64], ...]:
        if "unit" in self.__dict__ or len(idx) > 1000:
            return tuple(c[idx] for c in self._unit_xyz)
        u = self._unit_of(idx)
        return u[:, 0], u[:, 1], u[:, 2]

    def nearest(self, lon: ArrayLike, lat: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """Distance (m) to the nearest point of the lines, and that point's lon, lat."""
        x = np.atleast_1d(np.asarray(normalize_lon(lon), dtype=float))
        y = np.atleast_1d(np.asarray(lat, dtype=float))
        return _OrderedPoints(x, y).nearest(self)

    def _nearest(self, x: NDArray[np.float64], y: NDArray[np.float64], p: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """:meth:`nearest` of points ``x, y`` (normalised) whose ECEF coordinates are ``p``."""
        pu = p / np.linalg.norm(p, axis=1)[:, None]
        k = min(self.k, len(self.lonlat))
        nn = self._knn(x, y, p, k)
        # segments around the candidates: for each of the k nearest vertices the segment after
        # it, and along the line from the nearest one ``walk`` segments each way (the nearest
        # vertex by chord may sit a few vertices from the geodesic foot for far points)
        segs = [nn[:, j] for j in range(k)]
        fwd = bwd = nn[:, 0]
        for _ in range(self.walk):
            nf, pb = self.next[fwd], self.prev[bwd]
            fwd = np.where(nf >= 0, nf, fwd)
            bwd = np.where(pb >= 0, pb, bwd)
            segs += [fwd, bwd]
        # score each segment by the cosine of the angle from the point to its closest point
        # (unit vectors: the largest cosine is the nearest); the foot is built for the winner only
        pxyz = tuple(np.ascontiguousarray(pu[:, j]) for j in range(3))
        best_cos = np.full(len(x), -2.0)
        best_a = np.zeros(len(x), dtype=np.int64)
        best_b = np.zeros(len(x), dtype=np.int64)
        for v in segs:
            nv = self.next[v]
            w = np.where(nv >= 0, nv, v)
            c = _arc_cosine(pxyz, self._units_of(v), self._units_of(w))
            better = c > best_cos
            best_cos = np.where(better, c, best_cos)
            best_a = np.where(better, v, best_a)
            best_b = np.where(better, w, best_b)
        # a vertex shared by two ends of a line (a closed ring's start and end): walk from the
        # other end too, so that both sides are searched whichever vertex the search returned
        twin = self._ring_twin[nn[:, 0]]
        rows = np.flatnonzero(twin >= 0)
        if rows.size:
            sub = tuple(c[rows] for c in pxyz)
            fwd = bwd = twin[rows]
            extra = [fwd]
            for _ in range(self.walk):
                nf, pb = self.next[fwd], self.prev[bwd]
                fwd = np.where(nf >= 0, nf, fwd)
                bwd = np.where(pb >= 0, pb, bwd)
                extra += [fwd, bwd]
            for v in extra:
                nv = self.next[v]
                w = np.where(nv >= 0, nv, v)
                c = _arc_cosine(sub, self._units_of(v), self._units_of(w))
                better = c > best_cos[rows]
                best_cos[rows] = np.where(better, c, best_cos[rows])
                best_a[rows] = np.where(better, v, best_a[rows])
                best_b[rows] = np.where(better, w, best_b[rows])
        ux, uy, uz = _closest_on_arc(pxyz, self._units_of(best_a), self._units_of(best_b))
        flon = np.degrees(np.arctan2(uy, ux))
        # geocentric -> geodetic latitude for a point on the ellipsoid's radial direction
        r_xy = np.hypot(ux, uy)
        e2 = 6.69437999014e-3
        flat = np.degrees(np.arctan2(uz, r_xy * (1 - e2)))
        _, dist = inverse_arrays(x, y, flon, flat)
        return dist, flon, flat


_SORT_MIN = 50_000
"""From this many points, distances to lines are computed in spatial order."""


class _OrderedPoints:
    """Points (normalised ``lon, lat``) put in spatial order, with their ECEF coordinates, for
    one or more :class:`LineDistance`: neighbours then share tree nodes and vertices in the
    caches. Each point is computed on its own, so no result depends on the order."""

    def __init__(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> None:
        self.order = spatial_order(x, y) if x.size >= _SORT_MIN else None
        self.x = x if self.order is None else x[self.order]
        self.y = y if self.order is None else y[self.order]
        self.p = to_ecef(self.x, self.y)

    def nearest(self, line: LineDistance) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """:meth:`LineDistance.nearest`, in the points' original order."""
        res = line._nearest(self.x, self.y, self.p)
        if self.order is None:
            return res
        out = tuple(np.empty_like(v) for v in res)
        for o, v in zip(out, res):
            o[self.order] = v
        return out[0], out[1], out[2]


def densified_lines(lines: BaseGeometry, max_seg_m: float) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Vertices of all parts of ``lines`` with edges split to at most ``max_seg_m`` (vectorised),
    and for each vertex the index of the next vertex along its part (-1 at a part's end)."""
    parts = _line_parts(lines)
    if not parts:
        raise ValueError("no lines to measure distances to")
    coords, part_idx = shapely.get_coordinates(np.array(parts, dtype=object), return_index=True)
    coords = coords[:, :2]
    same = part_idx[1:] == part_idx[:-1]
    a, b = coords[:-1][same], coords[1:][same]
    seg_part = part_idx[:-1][same]
    _, _, d = GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    n = np.maximum(np.ceil(np.asarray(d) / max_seg_m).astype(np.int64), 1)
    rep = np.repeat(np.arange(len(a)), n)
    starts = np.cumsum(n) - n
    t = (np.arange(n.sum()) - np.repeat(starts, n)) / np.repeat(n, n)
    pts = a[rep] + (b[rep] - a[rep]) * t[:, None]
    pts_part = seg_part[rep]
    # append each part's last vertex
    last = np.flatnonzero(np.append(part_idx[1:] != part_idx[:-1], True))
    all_pts = np.vstack([pts, coords[last]])
    all_part = np.concatenate([pts_part, part_idx[last]])
    order = np.lexsort((np.concatenate([np.arange(len(pts)), np.full(len(last), len(pts))]), all_part))
    all_pts = all_pts[order]
    all_part = all_part[order]
    nxt = np.arange(1, len(all_pts) + 1, dtype=np.int64)
    end = np.append(all_part[1:] != all_part[:-1], True)
    nxt[end] = -1
    return all_pts, nxt


def _arc_cosine(p: Sequence[NDArray[np.float64]], a: Sequence[NDArray[np.float64]], b: Sequence[NDArray[np.float64]]) -> NDArray[np.float64]:
    """Cosine of the angle between unit vector p and the closest point of the short great-circle
    arc a-b (unit vectors, each given as its x, y, z component arrays); larger is nearer."""
    px, py, pz = p
    ax, ay, az = a
    bx, by, bz = b
    nx = ay * bz - az * by
    ny = az * bx - ax * bz
    nz = ax * by - ay * bx
    n2 = nx * nx + ny * ny + nz * nz
    pa = px * ax + py * ay + pz * az
    pb = px * bx + py * by + pz * bz
    ends = np.maximum(pa, pb)
    ok = n2 > 1e-30
    pn = np.where(ok, (px * nx + py * ny + pz * nz) / np.sqrt(np.where(ok, n2, 1.0)), 0.0)
    on_circle = np.sqrt(np.maximum(1.0 - pn * pn, 0.0))
    # the foot of p on the great circle lies within the arc iff it is nearer to both ends than
    # they are to each other: (proj . a) >= a . b and (proj . b) >= a . b, proj = p - (p.n)n
    ab = ax * bx + ay * by + az * bz
    scale = np.where(on_circle > 0, 1.0 / np.where(on_circle > 0, on_circle, 1.0), 0.0)
    inside = ok & (pa * scale >= ab) & (pb * scale >= ab)
    return np.where(inside, on_circle, ends)


def _closest_on_arc(p: Sequence[NDArray[np.float64]], a: Sequence[NDArray[np.float64]], b: Sequence[NDArray[np.float64]]) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Closest point to unit vector p on the great-circle arc a-b (unit vectors), as a unit vector;
    every vector is given as its x, y, z component arrays."""
    px, py, pz = p
    ax, ay, az = a
    bx, by, bz = b
    # n = a x b, normalised (left as is when a and b coincide)
    nx = ay * bz - az * by
    ny = az * bx - ax * bz
    nz = ax * by - ay * bx
    nn = np.sqrt(nx * nx + ny * ny + nz * nz)
    degenerate = nn < 1e-15
    nn = np.where(degenerate, 1.0, nn)
    nx, ny, nz = nx / nn, ny / nn, nz / nn
    # p projected onto the great circle, normalised
    pn_ = px * nx + py * ny + pz * nz
    qx, qy, qz = px - pn_ * nx, py - pn_ * ny, pz - pn_ * nz
    qn = np.sqrt(qx * qx + qy * qy + qz * qz)
    qn = np.where(qn < 1e-15, 1.0, qn)
    qx, qy, qz = qx / qn, qy / qn, qz / qn
    # inside the arc if the projection is between a and b: (a x q).n >= 0 and (q x b).n >= 0
    s_a = (ay * qz - az * qy) * nx + (az * qx - ax * qz) * ny + (ax * qy - ay * qx) * nz
    s_b = (qy * bz - qz * by) * nx + (qz * bx - qx * bz) * ny + (qx * by - qy * bx) * nz
    inside = (s_a >= 0) & (s_b >= 0) & ~degenerate
    to_a = (px * ax + py * ay + pz * az) >= (px * bx + py * by + pz * bz)
    return (
        np.where(inside, qx, np.where(to_a, ax, bx)),
        np.where(inside, qy, np.where(to_a, ay, by)),
        np.where(inside, qz, np.where(to_a, az, bz)),
    )


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
    """Geodesic distances to Japan's EEZ limit (signed) and to Japanese land.

    Precomputed densified lines (``limit_lonlat``/``limit_next`` and ``land_lonlat``/
    ``land_next`` in ``boundaries.arrays``, written by the zone build) are used when
    present, so that a single check does not densify half a million coastline vertices.
    """

    def __init__(self, boundaries: Boundaries) -> None:
        self.boundaries = boundaries
        self._arrays: Mapping[str, Any] = boundaries.arrays

    @cached_property
    def limit(self) -> LineDistance:
        a = self._arrays
        if "limit_lonlat" in a:
            return LineDistance(None, lonlat=a["limit_lonlat"], next_index=a["limit_next"])
        return LineDistance(self.boundaries.japan_limit)

    @cached_property
    def japan_land(self) -> NDArray[np.object_]:
        """Japanese land polygons (explicit land areas, or the holes of Japan's EEZ polygons)."""
        land = [a.geometry for a in self.boundaries.areas if a.zone_type is ZoneType.LAND and JAPAN in a.states]
        if not land:
            holes = [
                fill_holes(a.geometry).difference(a.geometry)
                for a in self.boundaries.areas
                if a.zone_type in (ZoneType.EEZ, ZoneType.TERRITORIAL_SEA) and a.holder == JAPAN
            ]
            land = [h for h in holes if not h.is_empty]
        return np.array(land, dtype=object)

    @cached_property
    def land(self) -> LineDistance | None:
        a = self._arrays
        if "land_lonlat" in a:
            return LineDistance(None, lonlat=a["land_lonlat"], next_index=a["land_next"])
        if not len(self.japan_land):
            return None
        return LineDistance(shapely.union_all(shapely.boundary(self.japan_land)), max_seg_m=500.0)

    def on_land(self, lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.bool_]:
        on = np.zeros(lon.size, dtype=bool)
        for g in self.japan_land:
            on |= contains_xy(g, lon, lat)
        return on

    def signed_limit_m(self, lon: ArrayLike, lat: ArrayLike, inside: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """Distance to the limit, positive where ``inside`` (Japan's claim), negative outside."""
        d, flon, flat = self.limit.nearest(lon, lat)
        sign = np.where(np.asarray(inside, dtype=bool), 1.0, -1.0)
        return d * sign, flon, flat

    @cached_property
    def _land_is_explicit(self) -> bool:
        """Japanese land is drawn by land areas (not by the holes of Japan's EEZ)."""
        return any(a.zone_type is ZoneType.LAND and JAPAN in a.states for a in self.boundaries.areas)

    def land_m(self, lon: ArrayLike, lat: ArrayLike, *, maybe_on_land: ArrayLike | None = None) -> NDArray[np.float64]:
        """Distance to the nearest Japanese land (0 on land); NaN without land data.

        ``maybe_on_land`` (optional) marks the points that can be on land at all: a
        :class:`Classifier` of the same boundaries puts every point of a land area in zone
        ``land`` (or ``unknown`` beyond its coverage), so the others need no polygon test.
        It is used only when Japan's land is given by land areas.
        """
        x = np.atleast_1d(np.asarray(normalize_lon(lon), dtype=float))
        y = np.atleast_1d(np.asarray(lat, dtype=float))
        return self._land_m(x, y, None, maybe_on_land)

    def measure(self, lon: ArrayLike, lat: ArrayLike, inside: ArrayLike, *, limit: bool = True, land: bool = True, maybe_on_land: ArrayLike | None = None) -> Distances:
        """:meth:`signed_limit_m` and :meth:`land_m` of the same points at once (NaN for what is
        not asked for): the points are ordered and converted once for both."""
        x = np.atleast_1d(np.asarray(normalize_lon(lon), dtype=float))
        y = np.atleast_1d(np.asarray(lat, dtype=float))
        pts = _OrderedPoints(x, y) if (limit or land) else None
        nan = np.full(x.size, np.nan)
        to_limit, flon, flat = nan, nan, nan
        if limit and pts is not None:
            d, flon, flat = pts.nearest(self.limit)
            to_limit = d * np.where(np.asarray(inside, dtype=bool), 1.0, -1.0)
        to_land = self._land_m(x, y, pts, maybe_on_land) if land else nan
        return Distances(to_limit, flon, flat, to_land)

    def _land_m(self, x: NDArray[np.float64], y: NDArray[np.float64], pts: _OrderedPoints | None, maybe_on_land: ArrayLike | None) -> NDArray[np.float64]:
        if self.land is None:
            return np.full(x.size, np.nan)
        d, _, _ = (pts or _OrderedPoints(x, y)).nearest(self.land)
        if maybe_on_land is None or not self._land_is_explicit:
            return np.where(self.on_land(x, y), 0.0, d)
        cand = np.flatnonzero(np.asarray(maybe_on_land, dtype=bool))
        on = np.zeros(x.size, dtype=bool)
        on[cand] = self.on_land(x[cand], y[cand])
        return np.where(on, 0.0, d)


__all__ = [
    "NM",
    "Classification",
    "Classifier",
    "DistanceIndex",
    "GridIndex",
    "JapanEEZ",
    "LineDistance",
    "Zone",
    "contains_xy",
    "zone_name",
]
