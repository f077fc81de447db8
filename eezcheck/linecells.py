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
   that from ``p``: only the vertices in the ball ``|c - v| <= d1 + 2r`` can be nearest. The cell
   is used only if that ball holds one run of consecutive vertices of one part (counted by the
   tree) — never two stretches of line, a part's end with its start, or a ring's closure.
2. Along the run, ``f(i) = |p - v_i|^2`` changes by ``Δ_i(p) = f(i+1) - f(i) =
   e_i·(v_{i+1} + v_i - 2p)`` with ``e_i = v_{i+1} - v_i``, linear in ``p``: ``Δ_i(p)`` has the
   sign of ``Δ_i(c)`` for every point of the cell when ``|Δ_i(c)| > 2 r |e_i|``. The cell is used
   only if the signs are: certainly falling, then uncertain, then certainly rising; ``f`` then
   falls to the uncertain stretch and rises after it, so the nearest vertex of every point of the
   cell is one of the uncertain stretch's vertices (and the one each side).

Cells of ``BIG_DEG`` are checked first; each is then split into sub-cells, which need only
re-check the big cell's uncertain stretch (their other signs are already certain), so that a
point compares a handful of candidates. Points outside the table, in cells that fail the checks
or with more than ``MAX_CANDIDATES`` candidates are left to the tree (-1 from :meth:`nearest`).
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

MAX_CANDIDATES = 16
"""Most candidate vertices a sub-cell may give (more: its points are left to the tree)."""

MARGIN_DEG = 12.0
"""The table covers the line's lon/lat bounds widened by this much (points beyond use the tree)."""

_SUB_WIDTH = 120
"""Big cells with more candidates than this are not split (their points use the tree)."""

_FORMAT = 1
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
        self.d = g / SUB
        self.nx, self.ny = self.nbx * SUB, self.nby * SUB
        # per sub-cell: first candidate vertex (-1: use the tree) and how many more
        self.first = np.full(self.nx * self.ny, -1, dtype=np.int32)
        self.extra = np.zeros(self.nx * self.ny, dtype=np.uint8)
        # the sign tests read a step i -> i + 1 as the next vertex along the part
        consecutive = bool(np.all(nxt[nxt >= 0] == np.flatnonzero(nxt >= 0) + 1))
        if build and self.nbx and self.nby and consecutive and len(xyz) > 1 and len(xyz) < 2**31:
            # per step i -> i + 1: e = v[i+1] - v[i], e.(v[i+1] + v[i]) and |e|, so that
            # Δ_i(c) = e.(v[i+1] + v[i]) - 2 e.c (the last vertex's step is never read)
            e = np.vstack([xyz[1:] - xyz[:-1], np.zeros((1, 3))])
            es = np.append(((xyz[1:] - xyz[:-1]) * (xyz[1:] + xyz[:-1])).sum(axis=1), 0.0)
            self._steps = (*(np.ascontiguousarray(e[:, j]) for j in range(3)), es, np.sqrt((e * e).sum(axis=1)))
            self._build(nxt, prv, tree)

    @classmethod
    def cached(cls, lonlat: NDArray[np.float64], xyz: NDArray[np.float64], nxt: NDArray[np.int64],
               prv: NDArray[np.int64], tree: Any) -> CellCandidates:
        """The table of a line (``lonlat`` its vertices), read from the state folder if it was
        saved (keyed by the vertices and the table's settings), else built and saved there."""
        import hashlib
        import os

        from eezcheck.data import user_state_dir

        lon_b = (float(lonlat[:, 0].min()), float(lonlat[:, 0].max()))
        lat_b = (float(lonlat[:, 1].min()), float(lonlat[:, 1].max()))
        h = hashlib.sha256(repr((_FORMAT, BIG_DEG, SUB, MAX_CANDIDATES, MARGIN_DEG, _SUB_WIDTH, _TOL_M2)).encode())
        h.update(np.ascontiguousarray(lonlat, dtype=np.float64).tobytes())
        h.update(np.ascontiguousarray(nxt, dtype=np.int64).tobytes())
        path = user_state_dir() / "line-cells" / f"{h.hexdigest()[:32]}.npz"
        if path.exists():
            try:
                with np.load(path, allow_pickle=False) as z:
                    t = cls(xyz, nxt, prv, tree, lon_b, lat_b, build=False)
                    first, extra = z["first"], z["extra"]
                    if first.shape == t.first.shape and extra.shape == t.extra.shape:
                        t.first, t.extra = first.astype(np.int32), extra.astype(np.uint8)
                        return t
            except (OSError, ValueError, KeyError):
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

    def _build(self, nxt: NDArray[np.int64], prv: NDArray[np.int64], tree: Any) -> None:
        n_big = self.nbx * self.nby
        iy, ix = np.divmod(np.arange(n_big, dtype=np.int64), self.nbx)
        c, r = self._cells(self.x0, self.y0, BIG_DEG, ix, iy)
        d1, v0 = tree.query(c, k=1)
        v0 = np.asarray(v0, dtype=np.int64)
        radius = d1 + 2.0 * r + 1.0
        in_ball = np.asarray(tree.query_ball_point(c, radius, return_length=True), dtype=np.int64)
        # walk each way from v0 along the part while in the ball, checking the sign pattern:
        # left of v0 uncertain then falling, right of it uncertain then rising; the candidates
        # are the vertices reached by uncertain steps (cand_lo..cand_hi)
        lo, hi = v0.copy(), v0.copy()
        cand_lo, cand_hi = v0.copy(), v0.copy()
        ok = np.ones(n_big, dtype=bool)
        for link, side in ((prv, -1), (nxt, 1)):
            cur = v0.copy()
            certain = np.zeros(n_big, dtype=bool)
            active = np.flatnonzero(ok)
            while active.size:
                nb = link[cur[active]]
                has = nb >= 0
                inside = np.zeros(active.size, dtype=bool)
                dist = np.sqrt(((self.xyz[nb[has]] - c[active[has]]) ** 2).sum(axis=1))
                inside[has] = dist <= radius[active[has]]
                act = active[inside]
                nb = nb[inside]
                # the step between cur and nb: Δ at the lower index of the two
                seg = np.minimum(cur[act], nb)
                s = self._signs(seg, c[act], r[act])
                want = -1 if side < 0 else 1
                bad = (s == -want) | ((s == 0) & certain[act])
                ok[act[bad]] = False
                good = ~bad
                unc = good & (s == 0)
                if side < 0:
                    cand_lo[act[unc]] = nb[unc]
                    lo[act[good]] = nb[good]
                else:
                    cand_hi[act[unc]] = nb[unc]
                    hi[act[good]] = nb[good]
                certain[act[good & (s == want)]] = True
                cur[act[good]] = nb[good]
                active = act[good]
        # the ball holds nothing but the run walked (no other stretch, no ring closure)
        ok &= (hi - lo + 1) == in_ball
        self._build_sub(np.flatnonzero(ok), cand_lo, cand_hi)

    def _build_sub(self, big: NDArray[np.int64], cand_lo: NDArray[np.int64], cand_hi: NDArray[np.int64]) -> None:
        """Narrow each valid big cell's candidates for each of its sub-cells (big cells with
        more than ``_SUB_WIDTH`` candidates are left to the tree: their sub-cells would have too
        many too)."""
        width = cand_hi[big] - cand_lo[big]
        keep = width <= _SUB_WIDTH
        big, width = big[keep], width[keep]
        order = np.argsort(width, kind="stable")
        big, width = big[order], width[order]
        sy, sx = np.divmod(np.arange(SUB * SUB, dtype=np.int64), SUB)
        s0 = 0
        while s0 < big.size:
            # a chunk of similar widths (sorted): at most twice the first's, about a million steps
            w0 = max(1, int(width[s0]))
            s1 = min(int(np.searchsorted(width, 2 * w0, side="right")), s0 + max(1, 1_000_000 // (SUB * SUB * 2 * w0)))
            b = big[s0:s1]
            s0 = s1
            by, bx = np.divmod(b, self.nbx)
            iy = (by[:, None] * SUB + sy[None, :]).ravel()
            ix = (bx[:, None] * SUB + sx[None, :]).ravel()
            owner = np.repeat(b, SUB * SUB)
            c, r = self._cells(self.x0, self.y0, self.d, ix, iy)
            lo, hi = cand_lo[owner], cand_hi[owner]
            w = max(1, int((hi - lo).max()))
            # steps lo..hi-1 of each sub-cell; beyond its own hi, padding (read as rising)
            k = np.arange(w, dtype=np.int64)[None, :]
            real = (lo[:, None] + k) < hi[:, None]
            seg = np.where(real, lo[:, None] + k, lo[:, None])
            sg = np.where(real, self._signs(seg, c[:, None, :], r[:, None]), 1)
            # pattern: falling*, uncertain*, rising* (as -1 <= 0 <= 1, non-decreasing)
            mono = np.all(sg[:, 1:] >= sg[:, :-1], axis=1)
            n_fall = (sg == -1).sum(axis=1)
            extra = (sg == 0).sum(axis=1)
            use = mono & (extra < MAX_CANDIDATES)
            cell = iy * self.nx + ix
            self.first[cell[use]] = (lo + n_fall)[use]
            self.extra[cell[use]] = extra[use]

    # ------------------------------------------------------------------ query
    @property
    def coverage(self) -> float:
        """Share of the table's sub-cells that give candidates."""
        return float((self.first >= 0).mean()) if self.first.size else 0.0

    def nearest(self, x: NDArray[np.float64], y: NDArray[np.float64], p: NDArray[np.float64]) -> NDArray[np.int64]:
        """The nearest vertex (index) of each point (``x, y`` lon/lat degrees normalised, ``p``
        earth-centred), or -1 where the table gives no candidates."""
        out = np.full(len(x), -1, dtype=np.int64)
        if not self.first.size:
            return out
        ix = np.floor((x - self.x0) / self.d)
        iy = np.floor((y - self.y0) / self.d)
        inb = np.flatnonzero((ix >= 0) & (ix < self.nx) & (iy >= 0) & (iy < self.ny))
        cell = iy[inb].astype(np.int64) * self.nx + ix[inb].astype(np.int64)
        first = self.first[cell].astype(np.int64)
        got = first >= 0
        rows, first, extra = inb[got], first[got], self.extra[cell[got]].astype(np.int64)
        if not rows.size:
            return out
        px, py, pz = (np.ascontiguousarray(p[rows, j]) for j in range(3))
        cx, cy, cz = self.comp
        best = first.copy()
        ddx, ddy, ddz = cx[first] - px, cy[first] - py, cz[first] - pz
        best_d2 = ddx * ddx + ddy * ddy + ddz * ddz
        for k in range(1, int(extra.max()) + 1):
            sel = np.flatnonzero(extra >= k)
            if sel.size < extra.size // 4:
                # the few points with many candidates: on their own rows
                v = first[sel] + k
                ddx, ddy, ddz = cx[v] - px[sel], cy[v] - py[sel], cz[v] - pz[sel]
                d2 = ddx * ddx + ddy * ddy + ddz * ddz
                better = d2 < best_d2[sel]
                best[sel[better]] = v[better]
                best_d2[sel[better]] = d2[better]
                continue
            v = first + np.minimum(k, extra)
            ddx, ddy, ddz = cx[v] - px, cy[v] - py, cz[v] - pz
            d2 = ddx * ddx + ddy * ddy + ddz * ddz
            better = d2 < best_d2  # strict: ties go to the lower index
            best = np.where(better, v, best)
            best_d2 = np.where(better, d2, best_d2)
        out[rows] = best
        return out


__all__ = ["CellCandidates"]
