"""Classify points into maritime zones (geodesic distances to limits: :mod:`eezcheck.distances`).

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

import logging
import os
import threading
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from typing import Any

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely.geometry.base import BaseGeometry

from eezcheck.boundaries import JAPAN, Area, Boundaries, StoredArea, ZoneType, fill_holes
from eezcheck.geodesy import normalize_lon
from eezcheck.states import state_adjective

log = logging.getLogger(__name__)


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
    INTERNAL_OR_TERRITORIAL_SEA = "internal_or_territorial_sea"
    """Japan's internal waters or territorial sea, in data that does not tell them apart."""
    CONTIGUOUS_ZONE = "contiguous_zone"
    EEZ = "eez"
    OVERLAPPING_CLAIM = "overlapping_claim"
    JOINT_REGIME = "joint_regime"
    FOREIGN_EEZ = "foreign_eez"
    HIGH_SEAS = "high_seas"
    UNKNOWN = "unknown"
    INTERNAL_WATERS = "internal_waters"
    """Japan's internal waters (landward of its baselines)."""
    TERRITORIAL_SEA = "territorial_sea"
    """Japan's territorial sea (beyond its internal waters, in data that has them)."""
    FOREIGN_TERRITORIAL_SEA = "foreign_territorial_sea"
    """Another state's territorial sea (with its internal waters)."""


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
    ZoneType.INTERNAL_WATERS,
    ZoneType.TERRITORIAL_SEA,
    ZoneType.CONTIGUOUS_ZONE,
    ZoneType.EEZ,
]

ZONE_CODES = list(Zone)
JAPAN_CODES = [JapanEEZ.INSIDE, JapanEEZ.OUTSIDE, JapanEEZ.DISPUTED]


def _zone_of(area: Area, with_internal_waters: bool = False) -> Zone:
    """The zone of a point in ``area``; ``with_internal_waters``: the data has Japan's internal
    waters as their own areas, so its territorial sea is only the territorial sea."""
    z = area.zone_type
    if z is ZoneType.LAND:
        return Zone.LAND
    if z is ZoneType.OVERLAPPING_CLAIM:
        return Zone.OVERLAPPING_CLAIM
    if z is ZoneType.JOINT_REGIME:
        return Zone.JOINT_REGIME
    if z is ZoneType.INTERNAL_WATERS:
        return Zone.INTERNAL_WATERS if area.holder == JAPAN else Zone.FOREIGN_TERRITORIAL_SEA
    if z is ZoneType.TERRITORIAL_SEA:
        if area.holder != JAPAN:
            return Zone.FOREIGN_TERRITORIAL_SEA
        return Zone.TERRITORIAL_SEA if with_internal_waters else Zone.INTERNAL_OR_TERRITORIAL_SEA
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
    adj = " / ".join(state_adjective(s) for s in area.states) or "Unattributed"
    return {
        Zone.LAND: f"{adj} land",
        Zone.INTERNAL_OR_TERRITORIAL_SEA: f"{adj} internal waters or territorial sea",
        Zone.INTERNAL_WATERS: f"{adj} internal waters",
        Zone.TERRITORIAL_SEA: f"{adj} territorial sea",
        Zone.FOREIGN_TERRITORIAL_SEA: f"{adj} territorial sea",
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
    >>> from eezcheck.boundary_readers import load_active
    >>> c = Classifier(load_active())
    >>> c.classify([138.5], [41.3]).zones()
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
        # a data set whose land layer is complete (the embedded one) needs no land from holes
        has_land = any(a.zone_type is ZoneType.LAND for a in boundaries.areas)
        complete_land = has_land and boundaries.land_complete
        land = [] if complete_land else [a.geometry for a in boundaries.areas if a.zone_type is ZoneType.LAND]
        # a tree of the land's parts: testing holes against many small polygons is fast
        land_tree = shapely.STRtree(shapely.get_parts(land)) if land else None
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
        self._prepared = False
        with_iw = any(a.zone_type is ZoneType.INTERNAL_WATERS and a.holder == JAPAN for a in ordered)
        self.area_zone = np.array([ZONE_CODES.index(_zone_of(a, with_iw)) for a in ordered], dtype=np.int8)
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
        # the areas' bounds (a stored area's without decoding it)
        self._bounds = np.array([a.bounds for a in ordered], dtype=float).reshape(-1, 4)
        self._stored = bool(ordered) and all(isinstance(a, StoredArea) for a in ordered)
        self._owner = threading.get_ident()
        self._local = threading.local()

    @cached_property
    def geoms(self) -> NDArray[np.object_]:
        """The areas' polygons, in priority order (every one decoded)."""
        return np.array([a.geometry for a in self.areas], dtype=object)

    # ---------------------------------------------------------------- exact path
    def _exact(self, lon: NDArray[np.float64], lat: NDArray[np.float64]) -> tuple[NDArray[np.int32], NDArray[np.bool_], NDArray[np.bool_]]:
        n = lon.size
        # a few points, or (embedded zones) up to a band of samples: only the polygons (parts)
        # around them are decoded and tested, in the thread that made the classifier
        part_wise = (
            not self._prepared
            and threading.get_ident() == self._owner
            and (n <= 64 or (self._stored and n <= _PART_WISE_MAX))
        )
        if part_wise:
            geoms, coverage, claim, test = None, self.coverage, self.claim, contains_xy
        else:
            if n > 64:
                # preparing builds an index per polygon: worth it for many points, not for one
                self.prepare()
            geoms, coverage, claim, test = self._shapes()
        idx = np.full(n, -1, dtype=np.int32)
        covered = test(coverage, lon, lat) if n else np.zeros(0, bool)
        todo = np.flatnonzero(covered)
        for i in range(len(self.areas)):
            if todo.size == 0:
                break
            minx, miny, maxx, maxy = self._bounds[i]
            sub = todo[(lon[todo] >= minx) & (lon[todo] <= maxx) & (lat[todo] >= miny) & (lat[todo] <= maxy)]
            if sub.size == 0:
                continue
            if geoms is not None:
                inside = test(geoms[i], lon[sub], lat[sub])
            else:
                inside = np.zeros(sub.size, dtype=bool)
                for part, at in self.areas[i].parts_near(lon[sub], lat[sub]):
                    if at.size > 64:
                        _prepare_shared(part)
                    inside[at] |= test(part, lon[sub][at], lat[sub][at])
            hit = sub[inside]
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
        # per area index + 1 (0: no area): the zone, and whether Japan's claim there is disputed
        zone_of = np.concatenate([[ZONE_CODES.index(Zone.HIGH_SEAS)], self.area_zone]).astype(np.int8)
        disputed_at = np.concatenate([[False], self.area_disputed])
        k = idx.astype(np.intp) + 1
        zone = np.where(covered, zone_of[k], np.int8(ZONE_CODES.index(Zone.UNKNOWN)))
        codes = np.array([JAPAN_CODES.index(j) for j in (JapanEEZ.OUTSIDE, JapanEEZ.INSIDE, JapanEEZ.DISPUTED)], dtype=np.int8)
        # 0 outside the claim, 1 in it, 2 in it where the winning area is disputed
        japan = codes[in_claim.astype(np.int8) * (1 + disputed_at[k].astype(np.int8))]
        return Classification(zone.astype(np.int8), idx, japan)

    def classify(self, lon: ArrayLike, lat: ArrayLike, *, use_grid: bool | None = None) -> Classification:
        """Classify points given as ``lon, lat`` arrays (degrees)."""
        x = np.atleast_1d(np.asarray(normalize_lon(lon), dtype=float))
        y = np.atleast_1d(np.asarray(lat, dtype=float))
        if use_grid is None:
            # the grid once it exists (a batch prepares it, then checks pieces of ~10,000 rows),
            # else only for many points: building or reading it costs more than a few exact tests
            use_grid = self._grid is not None or x.size >= 20_000
        if not use_grid:
            return self._finish(*self._exact(x, y))
        idx, covered, in_claim, todo = self.grid.lookup(x, y)
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

_PART_WISE_MAX = 50_000
"""Up to this many points, a classifier of the embedded zones that was not prepared tests only
the parts around the points (a wording's band of samples); more points prepare every polygon."""


def _prepare_shared(geom: BaseGeometry) -> None:
    """Prepare a polygon that threads share (one at a time, as :func:`contains_xy` tests)."""
    with _PREPARED_LOCK:
        shapely.prepare(geom)


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


GRID_FORMAT = "grid-3"
"""Version of the saved grid arrays; change it when GridIndex's construction changes."""

GRID_SUB = 16
"""Sub-cells per side of a crossed grid cell."""


class GridIndex:
    """Uniform lon/lat grid over the coverage, with crossed cells refined into sub-cells.

    A cell (0.05°) that no boundary touches takes the answer of its connected component: adjacent
    uncrossed cells share an edge that no boundary touches, so a component lies wholly in the
    same set of areas and one exact test of a point of it labels it. A crossed cell is split into
    ``sub`` × ``sub`` sub-cells labelled the same way within it (components of untouched
    sub-cells, one exact test each). Only points in sub-cells that a boundary touches are tested
    exactly by the caller, so answers are identical to the exact test.

    "Touches" is conservative and tight: each boundary segment is sampled every half sub-cell,
    and every sub-cell that meets the square of half that spacing (plus 1e-9°) around a sample
    is marked; every point of the segment lies within that square of its nearest sample,
    and the squares are smaller than a sub-cell, so they mark the few sub-cells around the line.
    Cells and sub-cells are found with one formula (:meth:`_fine`) when marking and looking up.
    """

    def __init__(self, clf: Classifier, cell_deg: float = 0.05, sub: int = GRID_SUB) -> None:
        from scipy import ndimage

        minx, miny, maxx, maxy = clf.coverage.bounds
        self.x0, self.y0, self.d, self.sub = minx, miny, cell_deg, sub
        self.nx = int(np.ceil((maxx - minx) / cell_deg))
        self.ny = int(np.ceil((maxy - miny) / cell_deg))
        lines = shapely.boundary(np.array([*clf.geoms, clf.claim, clf.coverage], dtype=object))
        parts = shapely.get_parts(lines[~shapely.is_empty(lines)])
        coords, part = shapely.get_coordinates(parts, return_index=True)
        gx, gy = self._marks(coords, part)
        cx, cy = gx // sub, gy // sub
        crossed = np.zeros((self.ny, self.nx), dtype=bool)
        crossed[cy, cx] = True
        labels, n = ndimage.label(~crossed)
        rep = _first_of_each(labels.ravel(), n)
        ry, rx = np.divmod(rep, self.nx)
        # the centre of the representative cell's middle sub-cell (a point of the cell)
        ux = (rx * sub + sub // 2 + 0.5) * (self.d / sub) + self.x0
        uy = (ry * sub + sub // 2 + 0.5) * (self.d / sub) + self.y0
        idx, cov, claim = clf._exact(ux, uy)
        self.comp_idx = np.concatenate([[-1], idx]).astype(np.int32)
        self.comp_cov = np.concatenate([[False], cov])
        self.comp_claim = np.concatenate([[False], claim])
        # crossed cells: -(number of the crossed cell + 1) in the labels
        cells = np.flatnonzero(crossed.ravel())
        flat = labels.ravel().astype(np.int32)
        flat[cells] = -(np.arange(cells.size, dtype=np.int32) + 1)
        self.labels = flat.reshape(self.ny, self.nx)
        # sub-cells of the crossed cells: touched ones, then components per cell
        fine = np.zeros((cells.size, sub, sub), dtype=bool)
        fine[-self.labels[cy, cx] - 1, gy % sub, gx % sub] = True
        plane = np.zeros((3, 3, 3), dtype=bool)
        plane[1] = ndimage.generate_binary_structure(2, 1)
        local = np.zeros(fine.shape, dtype=np.uint8)
        first = np.zeros(cells.size, dtype=np.int64)
        reps: list[NDArray[np.int64]] = []
        total = 0
        for lo in range(0, cells.size, 8192):
            hi = min(cells.size, lo + 8192)
            lab, m = ndimage.label(~fine[lo:hi], structure=plane)
            if m == 0:
                continue
            # labels run in scan order, so each cell's are consecutive: number them from 1
            flat_lab = lab.reshape(hi - lo, -1)
            low = np.where(flat_lab > 0, flat_lab, np.iinfo(lab.dtype).max).min(axis=1)
            has = flat_lab.max(axis=1) > 0
            first[lo:hi] = np.where(has, low - 1, 0) + total
            local[lo:hi] = np.where(lab > 0, lab - np.where(has, low, 1)[:, None, None] + 1, 0).astype(np.uint8)
            reps.append(_first_of_each(lab.ravel(), m) + lo * sub * sub)
            total += m
        rep_f = np.concatenate(reps) if reps else np.zeros(0, dtype=np.int64)
        c, rem = np.divmod(rep_f, sub * sub)
        jy, jx = np.divmod(rem, sub)
        ccy, ccx = np.divmod(cells[c], self.nx)
        fx = (ccx * sub + jx + 0.5) * (self.d / sub) + self.x0
        fy = (ccy * sub + jy + 0.5) * (self.d / sub) + self.y0
        fidx, fcov, fclaim = clf._exact(fx, fy)
        self.sub_first = first.astype(np.int32)
        self.sub_local = local
        self.sub_idx = fidx.astype(np.int32)
        self.sub_cov = np.asarray(fcov, dtype=bool)
        self.sub_claim = np.asarray(fclaim, dtype=bool)

    _ARRAYS = ("labels", "comp_idx", "comp_cov", "comp_claim", "sub_first", "sub_local", "sub_idx", "sub_cov", "sub_claim")

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
                        g.x0, g.y0, g.d, sub = (float(v) for v in z["origin"])
                        g.sub = int(sub)
                        g.ny, g.nx = g.labels.shape
                        return g
                except (OSError, ValueError, KeyError):
                    pass  # a damaged cache file is rebuilt
        g = cls(clf, cell_deg)
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp.npz")
                np.savez(tmp, origin=np.array([g.x0, g.y0, g.d, g.sub]), **{n: getattr(g, n) for n in cls._ARRAYS})
                os.replace(tmp, path)
            except OSError as exc:
                log.warning(
                    "the classification grid was not saved in the state folder %s (%s): answers are "
                    "the same, but each run builds it again; set EEZCHECK_STATE_DIR to a writable folder",
                    path.parent, exc.strerror or exc,
                )
        return g

    def _fine(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Sub-cell numbers (as floats, before the bounds test) of points: the one formula."""
        s = self.sub / self.d
        return np.floor((x - self.x0) * s), np.floor((y - self.y0) * s)

    def _marks(self, coords: NDArray[np.float64], part: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Sub-cells (global column, row) that the polylines touch, conservatively (see the
        class). ``part`` numbers the polyline of each vertex; segments join consecutive
        vertices of the same polyline."""
        if len(coords) < 2:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        step = self.d / self.sub / 2
        same = part[1:] == part[:-1]
        ax, ay = coords[:-1, 0][same], coords[:-1, 1][same]
        dx, dy = coords[1:, 0][same] - ax, coords[1:, 1][same] - ay
        nsub = np.maximum(np.ceil(np.hypot(dx, dy) / step).astype(np.int64), 1)
        # samples inside the segments (their vertices are all taken below)
        long = np.flatnonzero(nsub > 1)
        k = nsub[long] - 1
        rep = np.repeat(long, k)
        t = (np.arange(k.sum()) - np.repeat(np.cumsum(k) - k, k) + 1) / nsub[rep]
        px = np.concatenate([ax[rep] + dx[rep] * t, coords[:, 0]])
        py = np.concatenate([ay[rep] + dy[rep] * t, coords[:, 1]])
        del rep, t
        h = step / 2 + 1e-9
        lo_x, lo_y = self._fine(px - h, py - h)
        hi_x, hi_y = self._fine(px + h, py + h)
        nxf, nyf = self.nx * self.sub, self.ny * self.sub
        out_x, out_y = [], []
        for gx, gy, extra in ((lo_x, lo_y, None), (hi_x, lo_y, hi_x != lo_x), (lo_x, hi_y, hi_y != lo_y), (hi_x, hi_y, (hi_x != lo_x) & (hi_y != lo_y))):
            ok = (gx >= 0) & (gx < nxf) & (gy >= 0) & (gy < nyf)
            if extra is not None:
                ok &= extra
            out_x.append(gx[ok].astype(np.int64))
            out_y.append(gy[ok].astype(np.int64))
        return np.concatenate(out_x), np.concatenate(out_y)

    def lookup(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> tuple[NDArray[np.int32], NDArray[np.bool_], NDArray[np.bool_], NDArray[np.intp]]:
        """Area index, coverage and claim of each point from its cell or sub-cell, and the
        points (indices) in touched sub-cells, whose answers the caller must test exactly."""
        s = self.sub / self.d
        fx, fy = (x - self.x0) * s, (y - self.y0) * s  # as in _fine (truncation is floor here)
        inside = (fx >= 0) & (fx < self.nx * self.sub) & (fy >= 0) & (fy < self.ny * self.sub)
        ix = np.where(inside, fx, 0.0).astype(np.int64)
        iy = np.where(inside, fy, 0.0).astype(np.int64)
        lab = self.labels.ravel()[(iy // self.sub) * self.nx + ix // self.sub]
        lab[~inside] = 0
        pos = np.maximum(lab, 0)
        idx, cov, claim = self.comp_idx[pos], self.comp_cov[pos], self.comp_claim[pos]
        cr = np.flatnonzero(lab < 0)
        if cr.size:
            c = -lab[cr] - 1
            loc = self.sub_local[c, iy[cr] % self.sub, ix[cr] % self.sub]
            ok = loc > 0
            k = self.sub_first[c[ok]] + loc[ok].astype(np.int64) - 1
            hit = cr[ok]
            idx[hit], cov[hit], claim[hit] = self.sub_idx[k], self.sub_cov[k], self.sub_claim[k]
            return idx, cov, claim, cr[~ok]
        return idx, cov, claim, cr


def _first_of_each(labels: NDArray[Any], n: int) -> NDArray[np.int64]:
    """Flat index of the first element of each label 1..n (labels: 0 = none)."""
    order = np.flatnonzero(labels)
    comp = labels[order]
    _, pos = np.unique(comp, return_index=True)
    return order[pos].astype(np.int64)


# --------------------------------------------------------------------------- distances


__all__ = [
    "Classification",
    "Classifier",
    "GridIndex",
    "JapanEEZ",
    "Zone",
    "contains_xy",
    "zone_name",
]
