"""A lon/lat cell table that gives, for most points, the few vertices of a line one of which is
the point's nearest (by the straight-line distance between earth-centred coordinates).

:class:`~eezcheck.distances.LineDistance` finds each point's nearest vertex before it searches
the segments around it. A KD-tree search costs about a microsecond a point for points hundreds of
kilometres from a long line (many vertices are then nearly as near as the nearest). This table
replaces the search for points in its cells by a look-up and a comparison of a few candidates,
and gives exactly the vertex the tree would (the nearest; at one position, the lowest index).

Why the candidates are complete. For a cell with centre ``c`` (earth-centred) and every point of
the cell within ``r`` of ``c``:

1. ``v0``, the vertex nearest to ``c``, is at ``d1``; a point ``p`` of the cell has
   ``|p - v0| <= d1 + r``, and a vertex farther than ``d1 + 2r`` from ``c`` is farther than
   that from ``p``: only the vertices in the ball ``|c - v| <= d1 + 2r`` can be nearest.
2. Along a part, ``f(i) = |p - v_i|^2`` changes by ``Δ_i(p) = f(i+1) - f(i) =
   e_i·(v_{i+1} + v_i) - 2 e_i·p`` with ``e_i = v_{i+1} - v_i``, linear in ``p``: ``Δ_i(p)`` has
   the sign of ``Δ_i(c)`` for every point of the cell when ``|Δ_i(c)| > 2 r |e_i|``. A vertex
   whose step from its predecessor certainly rises, or whose step to its successor certainly
   falls, is nearer to no point of the cell than that neighbour: it is no candidate.

The candidates of a cell are the vertices of its ball that no neighbour certainly beats (far
from the line, the ball holds hundreds of vertices and a dozen or two remain). Cells of
``BIG_DEG`` are checked first; each is then split into sub-cells, whose candidates are their big
cell's that survive the same test with the sub-cell's smaller ``r`` (a vertex beaten in the big
cell is beaten in each of its sub-cells). A sub-cell keeps at most ``RANGES`` ranges of
consecutive vertices holding its candidates (stretches of line, a ring's end and start), each at
most ``MAX_CANDIDATES`` long; points in sub-cells that need more, or outside the table, are left to
the tree (-1 from :meth:`CellCandidates.nearest`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from eezcheck.geodesy import to_ecef

BIG_DEG = 0.25
"""Side of the cells whose ball of possible nearest vertices is checked (degrees)."""

SUB = 5
"""Sub-cells per big cell side (so sub-cells of 0.05°)."""

MAX_CANDIDATES = 24
"""Longest range of candidate vertices a sub-cell may give (longer: its points use the tree)."""

RANGES = 3
"""Most ranges of candidates a sub-cell may give (more: its points use the tree)."""

MARGIN_DEG = 8.0
"""The table covers the line's lon/lat bounds widened by this much (points beyond use the tree)."""

MAX_SUBCELLS = 2_000_000
"""Largest table (sub-cells, 15 bytes each); a line spread wider gets none (the tree serves)."""

_BIG_MAX = 400
"""Big cells with more candidates than this are not split (their points use the tree)."""

_CHUNK = 8
"""Vertices per chunk when the balls of possible nearest vertices are gathered."""

_GAP = 3
"""Candidates at most this many vertices apart share a range (the vertices between are read too)."""

_FORMAT = 2
"""Version of the saved tables (part of their cache key)."""

_TOL_M2 = 1.0e3
"""Slack on the sign tests (m²): far above the rounding of the products (~0.1 m²)."""


class CellCandidates:
    """Candidate vertices per lon/lat sub-cell for a line given by earth-centred vertices ``xyz``
    (shape (n, 3)), ``nxt``/``prv`` (next and previous vertex along its part, -1 at the ends) and
    ``tree`` (a ``scipy.spatial.cKDTree`` of ``xyz``). ``lon_bounds``/``lat_bounds``: the line's."""

    def __init__(self, xyz: NDArray[np.float64], nxt: NDArray[np.int64], prv: NDArray[np.int64],
                 tree: Any, lon_bounds: tuple[float, float], lat_bounds: tuple[float, float], *, build: bool = True) -> None:
        self.xyz = xyz
        self.comp = tuple(np.ascontiguousarray(xyz[:, j]) for j in range(3))
        g = BIG_DEG
        self.x0 = float(max(-180.0, np.floor((lon_bounds[0] - MARGIN_DEG) / g) * g))
        x1 = float(min(180.0, np.ceil((lon_bounds[1] + MARGIN_DEG) / g) * g))
        self.y0 = float(max(-88.0, np.floor((lat_bounds[0] - MARGIN_DEG) / g) * g))
        y1 = float(min(88.0, np.ceil((lat_bounds[1] + MARGIN_DEG) / g) * g))
        self.nbx = max(0, int(round((x1 - self.x0) / g)))
        self.nby = max(0, int(round((y1 - self.y0) / g)))
        if self.nbx * self.nby * SUB * SUB > MAX_SUBCELLS or lon_bounds[1] - lon_bounds[0] > 180.0:
            self.nbx = self.nby = 0  # a line over much of the globe: the tree for every point
        self.d = g / SUB
        self.nx, self.ny = self.nbx * SUB, self.nby * SUB
        # per sub-cell, up to RANGES ranges: first vertex (-1: none; no first range: use the
        # tree) and how many more
        self.first = np.full((RANGES, self.nx * self.ny), -1, dtype=np.int32)
        self.extra = np.zeros((RANGES, self.nx * self.ny), dtype=np.uint8)
        # the sign tests read a step i -> i + 1 as the next vertex along the part
        consecutive = bool(np.all(nxt[nxt >= 0] == np.flatnonzero(nxt >= 0) + 1))
        if build and self.nbx and self.nby and consecutive and len(xyz) > 1 and len(xyz) < 2**31:
            # per step i -> i + 1: e = v[i+1] - v[i], e.(v[i+1] + v[i]) and |e|, so that
            # Δ_i(c) = e.(v[i+1] + v[i]) - 2 e.c (the last vertex's step is never read)
            e = np.vstack([xyz[1:] - xyz[:-1], np.zeros((1, 3))])
            es = np.append(((xyz[1:] - xyz[:-1]) * (xyz[1:] + xyz[:-1])).sum(axis=1), 0.0)
            self._steps = (*(np.ascontiguousarray(e[:, j]) for j in range(3)), es, np.sqrt((e * e).sum(axis=1)))
            self._build(nxt, prv, tree)

    _ARRAYS = ("first", "extra")

    @staticmethod
    def cache_path(lonlat: NDArray[np.float64], nxt: NDArray[np.int64]) -> Any:
        """Where the table of a line (``lonlat`` its vertices) is saved in the state folder:
        keyed by the vertices and the table's settings."""
        import hashlib

        from eezcheck.data import user_state_dir

        h = hashlib.sha256(repr((_FORMAT, BIG_DEG, SUB, MAX_CANDIDATES, RANGES, MARGIN_DEG, MAX_SUBCELLS, _BIG_MAX, _GAP, _TOL_M2)).encode())
        h.update(np.ascontiguousarray(lonlat, dtype=np.float64).tobytes())
        h.update(np.ascontiguousarray(nxt, dtype=np.int64).tobytes())
        return user_state_dir() / "line-cells" / f"{h.hexdigest()[:32]}.npz"

    @classmethod
    def cached(cls, lonlat: NDArray[np.float64], xyz: NDArray[np.float64], nxt: NDArray[np.int64],
               prv: NDArray[np.int64], tree: Any) -> CellCandidates:
        """The table of a line (``lonlat`` its vertices), read from the state folder if it was
        saved (:meth:`cache_path`), else built and saved there."""
        import os
        import zipfile

        lon_b = (float(lonlat[:, 0].min()), float(lonlat[:, 0].max()))
        lat_b = (float(lonlat[:, 1].min()), float(lonlat[:, 1].max()))
        path = cls.cache_path(lonlat, nxt)
        if path.exists():
            try:
                with np.load(path, allow_pickle=False) as z:
                    t = cls(xyz, nxt, prv, tree, lon_b, lat_b, build=False)
                    first, extra = z["first"], z["extra"]
                    if first.shape == t.first.shape and extra.shape == t.extra.shape:
                        t.first, t.extra = first.astype(np.int32), extra.astype(np.uint8)
                        return t
            except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
                pass  # a damaged cache file is rebuilt
        t = cls(xyz, nxt, prv, tree, lon_b, lat_b)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp.npz")
            np.savez(tmp, first=t.first, extra=t.extra)
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only state folder: the table is rebuilt next time
        return t

    # ------------------------------------------------------------------ build
    def _cells(self, x0: float, y0: float, d: float, ix: NDArray[np.int64], iy: NDArray[np.int64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Centres (earth-centred) of cells ``ix, iy`` of side ``d`` from ``x0, y0``, and a bound
        on the distance from the centre to any point of the cell."""
        lo, la = x0 + (ix + 0.5) * d, y0 + (iy + 0.5) * d
        c = to_ecef(lo, la)
        r = np.zeros(len(ix))
        for sx in (-0.5, 0.5):
            for sy in (-0.5, 0.5):
                q = to_ecef(lo + sx * d, la + sy * d)
                r = np.maximum(r, np.sqrt(((q - c) ** 2).sum(axis=1)))
        # the corners are the farthest points of so small a cell; widen for the ellipsoid's bulge
        return c, r * 1.01 + 1.0

    def _signs(self, i: NDArray[np.int64], c: NDArray[np.float64], r: NDArray[np.float64]) -> NDArray[np.int64]:
        """Sign of ``Δ_i`` for every point of the cell (-1 falling, +1 rising, 0 uncertain);
        ``c`` broadcasts against ``i`` with a last axis of 3, ``r`` against ``i``."""
        ex, ey, ez, es, en = self._steps
        delta = es[i] - 2.0 * (ex[i] * c[..., 0] + ey[i] * c[..., 1] + ez[i] * c[..., 2])
        m = 2.0 * r * en[i] + _TOL_M2
        return np.where(delta > m, 1, np.where(delta < -m, -1, 0))

    def _beaten(self, v: NDArray[np.int64], cx: Any, cy: Any, cz: Any, r: Any,
                nxt: NDArray[np.int64], prv: NDArray[np.int64]) -> NDArray[np.bool_]:
        """For pairs (cell, vertex ``v``), given by the cells' centres ``cx, cy, cz`` and bounds
        ``r`` (one value per pair): is ``v`` certainly beaten by its predecessor or successor
        (for every point of the cell)?"""
        ex, ey, ez, es, en = self._steps
        out = np.zeros(v.size, dtype=bool)
        for step, beaten_if in ((prv[v], 1), (np.where(nxt[v] >= 0, v, -1), -1)):
            has = step >= 0
            i = np.where(has, step, 0)
            delta = es[i] - 2.0 * (ex[i] * cx + ey[i] * cy + ez[i] * cz)
            m = 2.0 * r * en[i] + _TOL_M2
            out |= has & ((delta > m) if beaten_if > 0 else (delta < -m))
        return out

    def _build(self, nxt: NDArray[np.int64], prv: NDArray[np.int64], tree: Any) -> None:
        from scipy.spatial import cKDTree

        n_big = self.nbx * self.nby
        sy, sx = np.divmod(np.arange(SUB * SUB, dtype=np.int64), SUB)
        # the balls are gathered by chunks of _CHUNK consecutive vertices of a part, found by a
        # tree of each chunk's first vertex (a ball widened by the chunks' reach), then cut
        n = len(self.xyz)
        idx = np.arange(n, dtype=np.int64)
        part_start = np.maximum.accumulate(np.where(prv < 0, idx, 0))
        head = part_start + (idx - part_start) // _CHUNK * _CHUNK
        reach = float(np.sqrt(((self.xyz - self.xyz[head]) ** 2).sum(axis=1)).max()) + 1.0
        heads = np.flatnonzero(head == idx)
        ctree = cKDTree(self.xyz[heads])
        chunk = 2048
        for b0 in range(0, n_big, chunk):
            big = np.arange(b0, min(n_big, b0 + chunk), dtype=np.int64)
            biy, bix = np.divmod(big, self.nbx)
            c, r = self._cells(self.x0, self.y0, BIG_DEG, bix, biy)
            d1, _ = tree.query(c, k=1)
            radius = d1 + 2.0 * r + 1.0
            balls = ctree.query_ball_point(c, radius + reach)
            sizes = np.fromiter((len(b) for b in balls), dtype=np.int64, count=len(balls))
            owner = np.repeat(np.arange(big.size), sizes)
            h = heads[np.concatenate([np.asarray(b, dtype=np.int64) for b in balls])]
            # every vertex of each chunk found, then those in the ball
            owner = np.repeat(owner, _CHUNK)
            v = (h[:, None] + np.arange(_CHUNK)[None, :]).ravel()
            same = v < n
            same[same] = head[v[same]] == np.repeat(h, _CHUNK)[same]
            owner, v = owner[same], v[same]
            inside = ((self.xyz[v] - c[owner]) ** 2).sum(axis=1) <= radius[owner] ** 2
            owner, v = owner[inside], v[inside]
            sizes = np.bincount(owner, minlength=big.size)
            order = np.argsort(owner, kind="stable")
            owner, v = owner[order], v[order]
            rep = [np.repeat(c[:, j], sizes) for j in range(3)]
            keep = ~self._beaten(v, rep[0], rep[1], rep[2], np.repeat(r, sizes), nxt, prv)
            owner, v = owner[keep], v[keep]
            # big cells with too many candidates are left to the tree
            count = np.bincount(owner, minlength=big.size)
            ok = count[owner] <= _BIG_MAX
            owner, v = owner[ok], v[ok]
            if not v.size:
                continue
            # the big cell's candidates for each of its sub-cells
            siy = biy[:, None] * SUB + sy[None, :]
            six = bix[:, None] * SUB + sx[None, :]
            cs, rs = self._cells(self.x0, self.y0, self.d, six.ravel(), siy.ravel())
            cs = cs.reshape(big.size, SUB * SUB, 3)
            rs = rs.reshape(big.size, SUB * SUB)
            sub_id = siy * self.nx + six
            subs, verts = [], []
            for k in range(SUB * SUB):
                col = np.ascontiguousarray(cs[:, k, :])
                beaten = self._beaten(v, col[owner, 0], col[owner, 1], col[owner, 2], rs[owner, k], nxt, prv)
                subs.append(sub_id[owner[~beaten], k])
                verts.append(v[~beaten])
            self._store(np.concatenate(subs), np.concatenate(verts))

    def _store(self, sub: NDArray[np.int64], v: NDArray[np.int64]) -> None:
        """Ranges of each sub-cell's candidates (pairs sub-cell, vertex): at most ``RANGES``, each
        at most ``MAX_CANDIDATES`` vertices; a sub-cell that needs more gets none (the tree)."""
        if not sub.size:
            return
        order = np.lexsort((v, sub))
        sub, v = sub[order], v[order]
        new = np.ones(sub.size, dtype=bool)
        new[1:] = (sub[1:] != sub[:-1]) | (v[1:] - v[:-1] > _GAP)
        g_first = v[new]
        g_last = np.maximum.reduceat(v, np.flatnonzero(new))
        g_sub = sub[new]
        # number of each group within its sub-cell
        starts = np.ones(g_sub.size, dtype=bool)
        starts[1:] = g_sub[1:] != g_sub[:-1]
        first_group = np.flatnonzero(starts)
        rank = np.arange(g_sub.size) - np.repeat(first_group, np.diff(np.append(first_group, g_sub.size)))
        n_groups = np.bincount(g_sub, minlength=self.first.shape[1])[g_sub]
        wide = (g_last - g_first) >= MAX_CANDIDATES
        bad_sub = np.unique(g_sub[wide | (n_groups > RANGES)])
        good = ~np.isin(g_sub, bad_sub)
        for k in range(RANGES):
            sel = good & (rank == k)
            self.first[k, g_sub[sel]] = g_first[sel]
            self.extra[k, g_sub[sel]] = (g_last - g_first)[sel]

    # ------------------------------------------------------------------ query
    @property
    def coverage(self) -> float:
        """Share of the table's sub-cells that give candidates."""
        return float((self.first[0] >= 0).mean()) if self.first.size else 0.0

    def nearest(self, x: NDArray[np.float64], y: NDArray[np.float64], p: NDArray[np.float64]) -> NDArray[np.int64]:
        """The nearest vertex (index) of each point (``x, y`` lon/lat degrees normalised, ``p``
        earth-centred), or -1 where the table gives no candidates."""
        out = np.full(len(x), -1, dtype=np.int64)
        if not self.first.shape[1]:
            return out
        ix = np.floor((x - self.x0) / self.d)
        iy = np.floor((y - self.y0) / self.d)
        inb = np.flatnonzero((ix >= 0) & (ix < self.nx) & (iy >= 0) & (iy < self.ny))
        cell = iy[inb].astype(np.int64) * self.nx + ix[inb].astype(np.int64)
        got = self.first[0, cell] >= 0
        rows, cell = inb[got], cell[got]
        if not rows.size:
            return out
        px, py, pz = (np.ascontiguousarray(p[rows, j]) for j in range(3))
        cx, cy, cz = self.comp
        best = np.zeros(rows.size, dtype=np.int64)
        best_d2 = np.full(rows.size, np.inf)
        # the ranges in the order of their vertices, the vertices in order: on ties (coinciding
        # vertices) the lowest index stays
        for k in range(self.first.shape[0]):
            first = self.first[k, cell]
            has = np.flatnonzero(first >= 0)
            if not has.size:
                continue
            extra = self.extra[k, cell[has]]
            # rows by falling number of candidates: those with a j-th candidate are a prefix
            idx = has[np.argsort(-extra.astype(np.int16), kind="stable")]
            f = first[idx].astype(np.int64)
            ext = self.extra[k, cell[idx]]
            upto = np.searchsorted(-ext.astype(np.int16), -np.arange(int(ext[0]) + 1, dtype=np.int16), side="right")
            hx, hy, hz = px[idx], py[idx], pz[idx]
            b, b_d2 = best[idx], best_d2[idx]
            for j, m in enumerate(upto.tolist()):
                v = f[:m] + j
                ddx, ddy, ddz = cx[v] - hx[:m], cy[v] - hy[:m], cz[v] - hz[:m]
                d2 = ddx * ddx + ddy * ddy + ddz * ddz
                better = d2 < b_d2[:m]  # strict: ties go to the lower index
                b[:m] = np.where(better, v, b[:m])
                b_d2[:m] = np.where(better, d2, b_d2[:m])
            best[idx], best_d2[idx] = b, b_d2
        out[rows] = best
        return out


__all__ = ["CellCandidates"]
