"""Geodesic distances from points to lines: Japan's EEZ limit (signed) and Japanese land.

All coordinates are ``lon, lat`` degrees (WGS84); distances are metres on the WGS84 ellipsoid
(pyproj). :class:`LineDistance` densifies lines to vertices at most ``max_seg_m`` apart, finds
each point's nearest vertex (a KD-tree of earth-centred coordinates, or a bounded search for a
few points: both choose the same vertex, ties between coinciding vertices going to the lowest
index), searches the segments next to it for the closest foot point and measures the geodesic
to that foot. :class:`DistanceIndex` holds the lines of one data set.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely.geometry.base import BaseGeometry

from eezcheck.boundaries import JAPAN, Boundaries, ZoneType, fill_holes
from eezcheck.errors import BoundaryDataError
from eezcheck.geodesy import GEOD, inverse_arrays, normalize_lon, spatial_order, to_ecef
from eezcheck.zones import contains_xy


class LineDistance:
    """Geodesic distance from points to a set of lines (e.g. Japan's EEZ limit, a coastline).

    The lines are densified to vertices at most ``max_seg_m`` apart, indexed in a KD-tree of
    earth-centred coordinates; for each point the segments next to its nearest vertices are
    searched for the closest foot point (on the sphere, exact for such short segments), and the
    distance to that foot point is computed with the WGS84 geodesic (pyproj).
    """

    def __init__(self, lines: BaseGeometry | None, max_seg_m: float = 1000.0, k: int = 1,
                 *, lonlat: NDArray[np.float64] | None = None, next_index: NDArray[np.int64] | None = None,
                 cells: bool = False) -> None:
        if lonlat is None or next_index is None:
            if lines is None:
                raise ValueError("give lines or precomputed lonlat/next_index")
            lonlat, next_index = densified_lines(lines, max_seg_m)
        self.lonlat = np.asarray(lonlat, dtype=float)
        self.next = np.asarray(next_index, dtype=np.int64)
        self.k = k
        self.walk = 2
        self.max_seg_m = max_seg_m
        self._tree: Any = None
        self.cells_allowed = cells
        """Calls with many points may build (or read) a cell table (:meth:`use_cells`)."""
        self._cells: Any = None  # a CellCandidates, once asked for
        self._measured = 0  # points measured so far in calls that may use the table
        self._cells_lock = threading.Lock()

    @cached_property
    def prev(self) -> NDArray[np.int64]:
        """For each vertex, the index of the previous vertex along its part (-1 at a start)."""
        prev = np.full_like(self.next, -1)
        has = self.next >= 0
        prev[self.next[has]] = np.flatnonzero(has)
        return prev

    def _prev_of(self, idx: NDArray[np.int64]) -> NDArray[np.int64]:
        """:attr:`prev` of a few vertices, without computing it for all."""
        if "prev" in self.__dict__ or len(idx) > 16:
            return self.prev[idx]
        out = np.full(len(idx), -1, dtype=np.int64)
        for i, j in enumerate(idx.tolist()):
            if j > 0 and self.next[j - 1] == j:
                out[i] = j - 1
            else:
                hit = np.flatnonzero(self.next == j)
                out[i] = hit[-1] if hit.size else -1
        return out

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

    def _knn(self, x: NDArray[np.float64], y: NDArray[np.float64], p: NDArray[np.float64], k: int, workers: int = -1) -> NDArray[np.int64]:
        if len(p) <= 16 and self._tree is None:
            # a few points: an upper bound on the nearest distance from every 32nd vertex, then
            # exact chords only for vertices in the lat/lon window that bound allows (looked for
            # only in the blocks of 32 vertices whose box meets the window)
            out = np.empty((len(p), k), dtype=np.int64)
            first = self.lonlat[:: self._BLOCK]
            for i in range(len(p)):
                # the blocks' first vertices within 1 degree of latitude bound it (any vertex
                # does: the window then holds every nearer one), else all of them
                band = np.flatnonzero(np.abs(first[:, 1] - y[i]) <= 1.0)
                sub_xyz = to_ecef(first[band, 0], first[band, 1]) if band.size >= k else self._block_xyz
                dsub = np.sqrt(((sub_xyz - p[i]) ** 2).sum(axis=1))
                bound = np.partition(dsub, min(k, len(dsub)) - 1)[min(k, len(dsub)) - 1]
                rdeg = np.degrees(2 * np.arcsin(min(1.0, bound / (2 * 6_356_000.0)))) * 1.01 + 0.01
                lat_max = min(89.9, abs(y[i]) + rdeg)
                wdeg = rdeg / np.cos(np.radians(lat_max))
                near = self._vertices_in_blocks(self._blocks_near(y[i], rdeg))
                lon_n, lat_n = self.lonlat[near, 0], self.lonlat[near, 1]
                dx = np.abs((lon_n - x[i] + 180.0) % 360.0 - 180.0)
                cand = near[(np.abs(lat_n - y[i]) <= rdeg) & ((dx <= wdeg) | (wdeg >= 180.0))]
                cxyz = to_ecef(self.lonlat[cand, 0], self.lonlat[cand, 1])
                d2 = ((cxyz - p[i]) ** 2).sum(axis=1)
                # ties (coinciding vertices) go to the lowest index, as in the tree search
                best = cand[np.argsort(d2, kind="stable")[:k]]
                if len(best) < k:
                    best = np.concatenate([best, np.full(k - len(best), best[0])])
                out[i] = best
            return out
        cells = self._cells
        if k == 1 and cells is not None:
            # the cell table gives most points' nearest vertex (the same one); the tree the rest
            nn1 = cells.nearest(x, y, p)
            miss = np.flatnonzero(nn1 < 0)
            if miss.size:
                nn1[miss] = self._knn_tree(p[miss], workers)
            return nn1.reshape(len(p), 1)
        if k == 1:
            return self._knn_tree(p, workers).reshape(len(p), 1)
        _, nn = self.tree.query(p, k=k, workers=workers)
        return np.asarray(nn).reshape(len(p), k)

    def _knn_tree(self, p: NDArray[np.float64], workers: int) -> NDArray[np.int64]:
        """The nearest vertex of each point by the KD-tree (the lowest index at its position)."""
        if self._distinct is not None:
            # nearest distinct position, and the lowest-index vertex there
            dtree, first = self._distinct
            _, j = dtree.query(p, k=1, workers=workers)
            return np.asarray(first[j], dtype=np.int64)
        _, nn = self.tree.query(p, k=1, workers=workers)
        # where several vertices share a position (the ends of a closed ring), the tree may
        # return any of them: take the lowest index, as the search of a few points does
        return np.asarray(self._lowest_at_position[np.asarray(nn).ravel()], dtype=np.int64)

    @property
    def cell_table(self) -> Any:
        """The :class:`~eezcheck.linecells.CellCandidates` in use (None before :meth:`use_cells`)."""
        return self._cells

    def count_points(self, n: int) -> None:
        """Count ``n`` more points measured; from :data:`_CELLS_MIN` in all (one large call, or a
        batch's pieces) the cell table is used (:meth:`use_cells`)."""
        if not self.cells_allowed or self._cells is not None:
            return
        with self._cells_lock:
            self._measured += n
            due = self._measured >= _CELLS_MIN
        if due:
            self.use_cells()

    def use_cells(self) -> None:
        """Find nearest vertices with a cell table from now on (read from the state folder, or
        built in a few seconds and saved): for the points it serves it takes about a third of
        the tree's time, and it gives the same vertices, so the same answers."""
        if self._cells is not None or self.k != 1:
            return
        with self._cells_lock:
            if self._cells is None:
                from eezcheck.linecells import CellCandidates

                self._cells = CellCandidates.cached(self.lonlat, self.xyz, self.next, self.prev, self.tree)

    _BLOCK = 32
    """Vertices per block of the search of a few points (the first of each bounds the distance)."""

    @cached_property
    def _block_xyz(self) -> NDArray[np.float64]:
        """ECEF coordinates of the first vertex of each block."""
        sub = self.lonlat[:: self._BLOCK]
        return to_ecef(sub[:, 0], sub[:, 1])

    @cached_property
    def _block_lat(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Per block of :attr:`_BLOCK` consecutive vertices: min and max latitude."""
        at = np.arange(0, len(self.lonlat), self._BLOCK)
        lat = self.lonlat[:, 1]  # (no copy of the column)
        return np.minimum.reduceat(lat, at), np.maximum.reduceat(lat, at)

    def _blocks_near(self, y: float, rdeg: float) -> NDArray[np.intp]:
        """Blocks holding a vertex whose latitude may be within ``rdeg`` of ``y`` (the window's
        longitude is tested on their vertices)."""
        lo, hi = self._block_lat
        eps = 1e-9
        return np.flatnonzero((hi >= y - rdeg - eps) & (lo <= y + rdeg + eps))

    def _vertices_in_blocks(self, blocks: NDArray[np.intp]) -> NDArray[np.int64]:
        """The vertex indices of ``blocks``, ascending."""
        b = self._BLOCK
        v = (blocks[:, None] * b + np.arange(b)[None, :]).ravel()
        return v[v < len(self.lonlat)].astype(np.int64)

    @cached_property
    def _lowest_at_position(self) -> NDArray[np.int64]:
        """For each vertex, the lowest index of a vertex at its position (tree searches only:
        the search of a few points gets the same from a stable sort)."""
        _, inverse = np.unique(self.xyz, axis=0, return_inverse=True)
        inverse = np.asarray(inverse).ravel()
        lowest = np.full(inverse.max() + 1, len(inverse), dtype=np.int64)
        np.minimum.at(lowest, inverse, np.arange(len(inverse), dtype=np.int64))
        return lowest[inverse]

    def _part_of(self, v: int) -> tuple[int, int] | None:
        """First and last vertex of the part holding vertex ``v`` (parts are consecutive runs
        of vertices, each ending at a ``next`` of -1), found by looking around ``v`` only;
        None after the last part's end."""
        n, step, j = len(self.next), 64, v
        end = -1
        while j < n:
            hit = np.flatnonzero(self.next[j : j + step] < 0)
            if hit.size:
                end = j + int(hit[0])
                break
            j, step = j + step, step * 2
        if end < 0:
            return None
        start, step, j = 0, 64, v
        while j > 0:
            lo = max(0, j - step)
            hit = np.flatnonzero(self.next[lo:j] < 0)
            if hit.size:
                start = lo + int(hit[-1]) + 1
                break
            j, step = lo, step * 2
        return start, end

    def _twin_of(self, idx: NDArray[np.int64]) -> NDArray[np.int64]:
        """:attr:`_ring_twin` of a few vertices, without computing it for all."""
        if "_ring_twin" in self.__dict__ or len(idx) > 16:
            return self._ring_twin[idx]
        out = np.full(len(idx), -1, dtype=np.int64)
        for i, v in enumerate(idx.tolist()):
            part = self._part_of(v)
            if part is None:
                continue
            start, end = part
            if start != end and v in (start, end) and bool(np.all(self.lonlat[start] == self.lonlat[end])):
                out[i] = end if v == start else start
        return out

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
        _ = self._segment_terms, self._segment_normals

    @cached_property
    def _unit_xyz(self) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """:attr:`unit` as three contiguous component arrays (fast gathers)."""
        return tuple(np.ascontiguousarray(self.unit[:, j]) for j in range(3))  # type: ignore[return-value]

    @cached_property
    def _segment_terms(self) -> tuple[NDArray[Any], ...]:
        """Per vertex ``v``, terms of :func:`_arc_cosine` that depend on its segment ``v -> w``
        only (``w`` the next vertex, or ``v`` at a part's end), computed as it computes them:
        the normal ``a x b`` (x, y, z), ``sqrt(|a x b|^2)`` (1 where degenerate), whether it is
        not degenerate, and ``a . b``."""
        idx = np.arange(len(self.next), dtype=np.int64)
        ax, ay, az = self._units_of(idx)
        bx, by, bz = self._units_of(np.where(self.next >= 0, self.next, idx))
        nx = ay * bz - az * by
        ny = az * bx - ax * bz
        nz = ax * by - ay * bx
        n2 = nx * nx + ny * ny + nz * nz
        ok = n2 > 1e-30
        return nx, ny, nz, np.sqrt(np.where(ok, n2, 1.0)), ok, ax * bx + ay * by + az * bz

    @cached_property
    def _segment_normals(self) -> tuple[NDArray[Any], ...]:
        """Per vertex ``v``, the unit normal of its segment ``v -> w`` and whether it is
        degenerate, as :func:`_closest_on_arc` computes them (``a x b`` left as is, over 1,
        where degenerate)."""
        nx, ny, nz = self._segment_terms[:3]
        nn = np.sqrt(nx * nx + ny * ny + nz * nz)
        degenerate = nn < 1e-15
        nn = np.where(degenerate, 1.0, nn)
        return nx / nn, ny / nn, nz / nn, degenerate

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

    def _nearest(self, x: NDArray[np.float64], y: NDArray[np.float64], p: NDArray[np.float64], threads: bool = True) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """:meth:`nearest` of points ``x, y`` (normalised) whose ECEF coordinates are ``p``;
        ``threads=False``: in this thread only (the caller runs pieces in threads)."""
        pu = p / np.linalg.norm(p, axis=1)[:, None]
        k = min(self.k, len(self.lonlat))
        nn = self._knn(x, y, p, k, workers=-1 if threads else 1)
        # segments around the candidates: for each of the k nearest vertices the segment after
        # it, and along the line from the nearest one ``walk`` segments each way (the nearest
        # vertex by chord may sit a few vertices from the geodesic foot for far points)
        segs = [nn[:, j] for j in range(k)]
        fwd = bwd = nn[:, 0]
        for _ in range(self.walk):
            nf, pb = self.next[fwd], self._prev_of(bwd)
            fwd = np.where(nf >= 0, nf, fwd)
            bwd = np.where(pb >= 0, pb, bwd)
            segs += [fwd, bwd]
        # score each segment by the cosine of the angle from the point to its closest point
        # (unit vectors: the largest cosine is the nearest); the foot is built for the winner only
        pxyz = tuple(np.ascontiguousarray(pu[:, j]) for j in range(3))
        best_cos = np.full(len(x), -2.0)
        best_a = np.zeros(len(x), dtype=np.int64)
        best_b = np.zeros(len(x), dtype=np.int64)
        terms = self._segment_terms if len(x) > 1000 else None
        for v in segs:
            nv = self.next[v]
            w = np.where(nv >= 0, nv, v)
            if terms is None:
                c = _arc_cosine(pxyz, self._units_of(v), self._units_of(w))
            else:  # the same numbers, with the segments' own terms computed once
                c = _arc_cosine_of(pxyz, self._units_of(v), self._units_of(w), tuple(t[v] for t in terms))
            better = c > best_cos
            best_cos = np.where(better, c, best_cos)
            best_a = np.where(better, v, best_a)
            best_b = np.where(better, w, best_b)
        # a vertex shared by two ends of a line (a closed ring's start and end): walk from the
        # other end too, so that both sides are searched whichever vertex the search returned
        twin = self._twin_of(nn[:, 0])
        rows = np.flatnonzero(twin >= 0)
        if rows.size:
            sub = tuple(c[rows] for c in pxyz)
            fwd = bwd = twin[rows]
            extra = [fwd]
            for _ in range(self.walk):
                nf, pb = self.next[fwd], self._prev_of(bwd)
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
        if terms is None:
            ux, uy, uz = _closest_on_arc(pxyz, self._units_of(best_a), self._units_of(best_b))
        else:  # the same numbers, with the segments' unit normals computed once
            ux, uy, uz = _closest_on_arc(pxyz, self._units_of(best_a), self._units_of(best_b),
                                         tuple(t[best_a] for t in self._segment_normals))
        flon = np.degrees(np.arctan2(uy, ux))
        # geocentric -> geodetic latitude for a point on the ellipsoid's radial direction
        r_xy = np.hypot(ux, uy)
        e2 = 6.69437999014e-3
        flat = np.degrees(np.arctan2(uz, r_xy * (1 - e2)))
        if threads:
            _, dist = inverse_arrays(x, y, flon, flat)
        else:
            dist = np.asarray(GEOD.inv(x, y, flon, flat)[2], dtype=float)
        return dist, flon, flat


_SORT_MIN = 50_000
"""From this many points, distances to lines are computed in spatial order."""

_CELLS_MIN = 200_000
"""From this many points measured by a line (in one call or in several, as a batch's pieces),
nearest vertices come from a cell table (:meth:`LineDistance.use_cells`; its first build costs a
few seconds, then it is read from the state folder)."""

_PIECE_MIN = 100_000
"""From this many points per CPU, distances are computed in pieces, four per thread, taken in
turn by one thread per CPU (numpy, scipy's tree and pyproj release the GIL); every point is
computed on its own, so no result depends on it."""


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
        res = self._pieces(line)
        if self.order is None:
            return res
        out = tuple(np.empty_like(v) for v in res)
        for o, v in zip(out, res):
            o[self.order] = v
        return out[0], out[1], out[2]


    def _pieces(self, line: LineDistance) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        n = self.x.size
        line.count_points(n)
        workers = min(4, os.cpu_count() or 1, n // _PIECE_MIN)
        if workers <= 1:
            return line._nearest(self.x, self.y, self.p)
        from concurrent.futures import ThreadPoolExecutor

        line.prepare()  # the lazily built indexes, once, before the threads share them
        # a few pieces per thread, taken in turn: a thread that the system holds back leaves
        # the rest to the other
        pieces = 4 * workers
        bounds = np.linspace(0, n, pieces + 1).astype(int)
        out = tuple(np.empty(n) for _ in range(3))

        def run(i: int) -> None:
            sl = slice(bounds[i], bounds[i + 1])
            for o, v in zip(out, line._nearest(self.x[sl], self.y[sl], self.p[sl], threads=False)):
                o[sl] = v

        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(run, range(pieces)))
        return out[0], out[1], out[2]


def densified_lines(lines: BaseGeometry, max_seg_m: float) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Vertices of all parts of ``lines`` with edges split to at most ``max_seg_m`` (vectorised),
    and for each vertex the index of the next vertex along its part (-1 at a part's end)."""
    parts = line_parts(lines)
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


def _arc_cosine_of(p: Sequence[NDArray[np.float64]], a: Sequence[NDArray[np.float64]], b: Sequence[NDArray[np.float64]], terms: Sequence[NDArray[Any]]) -> NDArray[np.float64]:
    """:func:`_arc_cosine` (the same numbers) given the segments' own terms
    (:attr:`LineDistance._segment_terms` of each segment)."""
    px, py, pz = p
    ax, ay, az = a
    bx, by, bz = b
    nx, ny, nz, sq, ok, ab = terms
    pa = px * ax + py * ay + pz * az
    pb = px * bx + py * by + pz * bz
    ends = np.maximum(pa, pb)
    pn = np.where(ok, (px * nx + py * ny + pz * nz) / sq, 0.0)
    on_circle = np.sqrt(np.maximum(1.0 - pn * pn, 0.0))
    scale = np.where(on_circle > 0, 1.0 / np.where(on_circle > 0, on_circle, 1.0), 0.0)
    inside = ok & (pa * scale >= ab) & (pb * scale >= ab)
    return np.where(inside, on_circle, ends)


def _closest_on_arc(p: Sequence[NDArray[np.float64]], a: Sequence[NDArray[np.float64]], b: Sequence[NDArray[np.float64]],
                    normals: Sequence[NDArray[Any]] | None = None) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Closest point to unit vector p on the great-circle arc a-b (unit vectors), as a unit vector;
    every vector is given as its x, y, z component arrays. ``normals``: the arcs' unit normals
    and whether each is degenerate, computed as here (:attr:`LineDistance._segment_normals`)."""
    px, py, pz = p
    ax, ay, az = a
    bx, by, bz = b
    if normals is None:
        # n = a x b, normalised (left as is when a and b coincide)
        nx = ay * bz - az * by
        ny = az * bx - ax * bz
        nz = ax * by - ay * bx
        nn = np.sqrt(nx * nx + ny * ny + nz * nz)
        degenerate = nn < 1e-15
        nn = np.where(degenerate, 1.0, nn)
        nx, ny, nz = nx / nn, ny / nn, nz / nn
    else:
        nx, ny, nz, degenerate = normals
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


def line_parts(g: BaseGeometry) -> list[Any]:
    if g.is_empty:
        return []
    if g.geom_type in ("LineString", "LinearRing"):
        return [g]
    if g.geom_type in ("Polygon",):
        return line_parts(g.boundary)
    out: list[Any] = []
    for p in getattr(g, "geoms", []):
        out.extend(line_parts(p))
    return out


def densify_geodesic(coords: NDArray[np.float64], max_seg_m: float) -> NDArray[np.float64]:
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
            return LineDistance(None, lonlat=a["limit_lonlat"], next_index=a["limit_next"], cells=True)
        if self.boundaries.japan_claim.is_empty:
            p = self.boundaries.provenance
            raise BoundaryDataError(
                f"Boundary data {p.path or p.dataset!r} has no zone of Japan (no eez, territorial_sea, "
                "contiguous_zone or claim with JPN in its states), so Japan's EEZ limit cannot be "
                "measured. Give boundaries that include Japan's EEZ, or leave out --boundaries to use "
                "the embedded data."
            )
        return LineDistance(self.boundaries.japan_limit, cells=True)

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
        if cand.size:  # (no land polygon is decoded for points at sea)
            on[cand] = self.on_land(x[cand], y[cand])
        return np.where(on, 0.0, d)


__all__ = [
    "DistanceIndex",
    "Distances",
    "LineDistance",
    "densified_lines",
    "densify_geodesic",
    "line_parts",
]
