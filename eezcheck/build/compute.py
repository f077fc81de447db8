"""Equidistance (median-line) zones from labelled coastline vertices.

Method
------
1. Every coastline vertex (OSM land polygons, edges densified to at most 1 km) carries a *group*:
   its state (or territory), or a disputed feature (:data:`eezcheck.build.sources.FEATURES`).
2. For any point, the nearest vertices are found in a KD-tree of earth-centred (ECEF)
   coordinates (k = 4 by chord length), and their distances are computed exactly on the WGS84
   ellipsoid with pyproj's geodesic; the nearest gives the point's group ``g1`` and distance
   ``d1``. For Okinotorishima's rival reading, the nearest group other than it is found too.
3. Each layer is a predicate on these labels (e.g. Japan's EEZ under Japan's claims: the nearest
   group is Japanese and ``d1 <= 200 nm``). The predicate is evaluated on a lon/lat grid
   (0.02°), turned into polygons by marching squares (contourpy), and every polygon vertex —
   which lies on a grid edge whose two ends disagree — is moved onto the true boundary by
   bisection along that edge with the exact point labelling (to ~0.1 m). Median lines, 200 nm
   arcs and 12/24 nm limits are therefore exact at the vertices, with vertices ~2 km apart.

All distances are geodesic on WGS84; only the search for candidates uses chords.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

from eezcheck.build.sources import FEATURES, SOVEREIGN
from eezcheck.build.treaties import TreatyLine
from eezcheck.geodesy import GEOD, NM, to_ecef

log = logging.getLogger(__name__)

EEZ_M = 200 * NM
TS_M = 12 * NM
CZ_M = 24 * NM
STRAIT_TS_M = 3 * NM

SEARCH_CHORD_M = 215 * NM
"""KD-tree search radius (chord): every limit computed here is at most 200 nm."""

COVERAGE = (115.0, 10.0, 180.0, 55.0)
GRID_DEG = 0.02

# Japan's "specified areas" (特定海域) where the territorial sea stays at 3 nm: corridors that
# contain each strait (Soya, Tsugaru, Tsushima East and West channels, Osumi). Approximations of
# the areas in the Territorial Sea Act's enforcement order, documented in data/SOURCES.md.
STRAIT_CORRIDORS: dict[str, list[tuple[float, float]]] = {
    "Soya": [(141.35, 45.35), (142.35, 45.35), (142.35, 45.95), (141.35, 45.95)],
    "Tsugaru": [(139.95, 41.25), (141.75, 41.25), (141.75, 41.90), (139.95, 41.90)],
    "Tsushima West": [(128.60, 34.00), (129.20, 34.00), (129.60, 34.80), (129.60, 35.40), (128.90, 35.40), (128.60, 34.60)],
    "Tsushima East": [(129.35, 33.90), (130.10, 33.90), (130.40, 34.30), (130.40, 34.80), (129.60, 34.80), (129.35, 34.30)],
    "Osumi": [(130.45, 30.75), (131.15, 30.75), (131.15, 31.05), (130.45, 31.05)],
}


@dataclass
class Groups:
    """Vertex groups: territories and disputed features."""

    keys: list[str]
    policy_state: NDArray[np.object_]  # state holding the group under Japan's claims
    rival_state: NDArray[np.object_]  # state holding it under the rival assignment ('' = no EEZ)
    label: NDArray[np.object_]  # EEZ label (territory key) under the rival assignment

    def index(self, key: str) -> int:
        return self.keys.index(key)


def make_groups(vertex_state: NDArray[np.object_], vertex_feature: NDArray[np.object_]) -> tuple[Groups, NDArray[np.int32]]:
    keys = sorted({str(s) for s in vertex_state[vertex_feature == ""]} | {f.key for f in FEATURES})
    gid = {k: i for i, k in enumerate(keys)}
    codes = np.array([gid[f] if f else gid[s] for s, f in zip(vertex_state, vertex_feature)], dtype=np.int32)
    feats = {f.key: f for f in FEATURES}
    policy = []
    rival = []
    label = []
    for k in keys:
        if k in feats:
            policy.append("JPN")
            rival.append(feats[k].rival)
            label.append(feats[k].rival or "")
        else:
            s = SOVEREIGN.get(k, k)
            policy.append(s)
            rival.append(s)
            label.append("CHN" if k in ("HKG", "MAC") else k)
    return Groups(keys, np.array(policy, dtype=object), np.array(rival, dtype=object), np.array(label, dtype=object)), codes


class Labeller:
    """Nearest coastline group and geodesic distance for any points (lon, lat)."""

    def __init__(self, lonlat: NDArray[np.float64], codes: NDArray[np.int32], groups: Groups, k: int = 4) -> None:
        from scipy.spatial import cKDTree

        self.lonlat = lonlat
        self.codes = codes
        self.groups = groups
        self.k = k
        self.tree = cKDTree(to_ecef(lonlat[:, 0], lonlat[:, 1]))
        self.oki = groups.index("okinotorishima")
        keep = np.flatnonzero(codes != self.oki)
        self.keep = keep
        self.tree_no_oki = cKDTree(to_ecef(lonlat[keep, 0], lonlat[keep, 1]))
        self.japan_groups = np.flatnonzero(groups.policy_state == "JPN")
        self.jpn = groups.index("JPN") if "JPN" in groups.keys else -1
        self.base: tuple[BaseGeometry, NDArray[np.float64], Any] | None = None
        self.treaties: list[TreatyLine] = []
        corridors = [Polygon(c) for c in STRAIT_CORRIDORS.values()]
        self.corridors = shapely.union_all(corridors)
        shapely.prepare(self.corridors)

    def _nearest(self, tree: object, index: NDArray[np.int64] | None, lon: NDArray[np.float64], lat: NDArray[np.float64]) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
        out_i = np.empty(lon.size, dtype=np.int64)
        out_d = np.empty(lon.size)
        step = 500_000
        for s in range(0, lon.size, step):
            x, y = lon[s : s + step], lat[s : s + step]
            # beyond the search radius every answer is "farther than 200 nm": the bound keeps
            # the KD-tree from scanning for far-away points
            _, nn = tree.query(to_ecef(x, y), k=self.k, distance_upper_bound=SEARCH_CHORD_M)  # type: ignore[attr-defined]
            nn = nn.reshape(x.size, self.k)
            missing = nn >= tree.n  # type: ignore[attr-defined]
            nn = np.where(missing, 0, nn)
            if index is not None:
                nn = index[nn]
            cand = self.lonlat[nn.ravel()]
            _, _, d = GEOD.inv(np.repeat(x, self.k), np.repeat(y, self.k), cand[:, 0], cand[:, 1])
            d = np.where(missing, np.inf, np.asarray(d).reshape(x.size, self.k))
            j = np.argmin(d, axis=1)
            out_i[s : s + step] = nn[np.arange(x.size), j]
            out_d[s : s + step] = d[np.arange(x.size), j]
        return out_i, out_d

    def set_baseline(self, outline: BaseGeometry | None, exclude: list[tuple[float, float, float, float]]) -> None:
        """Japan's straight baselines, through the outer edge of its territorial sea.

        ``outline`` is Japan's land + internal waters + 12 nm territorial sea drawn from its
        straight baselines (OSM). Outside it, the distance to the baselines is the distance to
        the outline plus 12 nm; inside it, 12 nm minus the distance to the outline. Japan's
        distance is the smaller of that and the distance to its coast. Only the stretches of the
        outline that can be 12 nm from a baseline are used: points of the outline nearer than
        12 nm (less a 1.5 km tolerance) to any coast are left out (the 3 nm limits in the
        straits, and where the territorial sea meets a neighbour's), and so are the outline
        parts touching ``exclude`` boxes (features whose entitlement is disputed). Inside the
        outline within the 3 nm strait corridors only the coast counts.
        """
        from scipy.spatial import cKDTree

        from eezcheck.distances import densified_lines

        if outline is None or outline.is_empty:
            self.base = None
            return
        parts = [
            p for p in shapely.get_parts(shapely.get_parts(outline))
            if isinstance(p, Polygon) and not any(p.intersects(box(*b)) for b in exclude)
        ]
        if not parts:
            self.base = None
            return
        poly = shapely.union_all(parts)
        shapely.prepare(poly)
        ll, _ = densified_lines(poly.boundary, 500.0)
        # the whole outer limit, for internal waters (more than 12 nm inside it)
        self.outer = (ll, cKDTree(to_ecef(ll[:, 0], ll[:, 1])))
        _, d_coast = self._nearest(self.tree, None, ll[:, 0], ll[:, 1])
        ll = ll[d_coast >= TS_M - 1500.0]
        self.base = (poly, ll, cKDTree(to_ecef(ll[:, 0], ll[:, 1])))

    def internal_waters(self, lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.bool_]:
        """Inside Japan's territorial-sea outline and more than 12 nm from every point of its
        outer limit: landward of a baseline (a straight baseline or a bay's closing line), since
        every point of the territorial sea is within 12 nm of its outer limit."""
        if self.base is None:
            return np.zeros(lon.size, dtype=bool)
        poly = self.base[0]
        ll, tree = self.outer
        out = shapely.contains_xy(poly, lon, lat)
        idx = np.flatnonzero(out)
        if idx.size:
            _, nn = tree.query(to_ecef(lon[idx], lat[idx]), k=self.k)
            nn = nn.reshape(idx.size, self.k)
            cand = ll[nn.ravel()]
            _, _, d = GEOD.inv(np.repeat(lon[idx], self.k), np.repeat(lat[idx], self.k), cand[:, 0], cand[:, 1])
            d = np.asarray(d).reshape(idx.size, self.k).min(axis=1)
            out[idx] = d > TS_M
        return out

    def set_treaties(self, treaties: Sequence[TreatyLine]) -> None:
        """Boundary lines agreed by treaty: level with such a line and within its reach, a point
        nearest to one of its two states belongs to the state on whose side it lies."""
        self.treaties = [t for t in treaties if t.a in self.groups.keys and t.b in self.groups.keys]

    def _to_baseline(self, lon: NDArray[np.float64], lat: NDArray[np.float64], strait: NDArray[np.bool_]) -> NDArray[np.float64]:
        poly, ll, tree = self.base  # type: ignore[misc]
        _, nn = tree.query(to_ecef(lon, lat), k=self.k)
        nn = nn.reshape(lon.size, self.k)
        cand = ll[nn.ravel()]
        _, _, d = GEOD.inv(np.repeat(lon, self.k), np.repeat(lat, self.k), cand[:, 0], cand[:, 1])
        d_out = np.asarray(d).reshape(lon.size, self.k).min(axis=1)
        inside = shapely.contains_xy(poly, lon, lat)
        eff = np.where(inside, np.maximum(TS_M - d_out, 0.0), d_out + TS_M)
        return np.where(inside & strait, np.inf, eff)

    def _nearest_of(self, gi: int, lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.float64]:
        """Geodesic distance to the nearest vertex of group ``gi``."""
        from scipy.spatial import cKDTree

        trees = self.__dict__.setdefault("_group_trees", {})
        if gi not in trees:
            idx = np.flatnonzero(self.codes == gi)
            trees[gi] = (cKDTree(to_ecef(self.lonlat[idx, 0], self.lonlat[idx, 1])), idx)
        tree, idx = trees[gi]
        _, d = self._nearest(tree, idx, lon, lat)
        return d

    def _apply_treaties(
        self, lon: NDArray[np.float64], lat: NDArray[np.float64], g1: NDArray[np.int64], d1: NDArray[np.float64], strait: NDArray[np.bool_]
    ) -> None:
        for t in self.treaties:
            ga, gb = self.groups.index(t.a), self.groups.index(t.b)
            m = t.applies(lon, lat) & ((g1 == ga) | (g1 == gb))
            idx = np.flatnonzero(m)
            if not idx.size:
                continue
            want = np.where(t.on_b_side(lon[idx], lat[idx]), gb, ga)
            flip = idx[want != g1[idx]]
            want = want[want != g1[idx]]
            for gi in (ga, gb):
                f = flip[want == gi]
                if f.size:
                    g1[f] = gi
                    d = self._nearest_of(gi, lon[f], lat[f])
                    if gi == self.jpn and self.base is not None:
                        d = np.minimum(d, self._to_baseline(lon[f], lat[f], strait[f]))
                    d1[f] = d

    def label(self, lon: NDArray[np.float64], lat: NDArray[np.float64]) -> dict[str, NDArray[Any]]:
        i1, d1 = self._nearest(self.tree, None, lon, lat)
        g1 = self.codes[i1].astype(np.int64)
        strait = shapely.contains_xy(self.corridors, lon, lat)
        if getattr(self, "base", None) is not None:
            eff = self._to_baseline(lon, lat, strait)
            better = eff < d1
            g1 = np.where(better, self.jpn, g1)
            d1 = np.where(better, eff, d1)
        else:
            eff = None
        self._apply_treaties(lon, lat, g1, d1, strait)
        g2 = g1.copy()
        d2 = d1.copy()
        oki = np.flatnonzero(g1 == self.oki)
        if oki.size:
            i2, dd = self._nearest(self.tree_no_oki, self.keep, lon[oki], lat[oki])
            g2[oki] = self.codes[i2]
            d2[oki] = dd
            if eff is not None:
                better = eff[oki] < dd
                g2[oki[better]] = self.jpn
                d2[oki[better]] = eff[oki][better]
        return {"g1": g1, "d1": d1, "g2": g2, "d2": d2, "strait": strait, "lon": lon, "lat": lat}


# --------------------------------------------------------------------------- layer predicates

Predicate = Callable[[dict[str, NDArray[Any]]], NDArray[np.bool_]]


def policy_japan(groups: Groups) -> Predicate:
    """Japan's EEZ as Japan claims it (all disputed features Japanese)."""
    jp = groups.policy_state == "JPN"
    return lambda L: jp[L["g1"]] & (L["d1"] <= EEZ_M)


def rival_label(groups: Groups, L: dict[str, NDArray[Any]]) -> NDArray[np.object_]:
    """EEZ label (territory key, '' = high seas) under the rival assignment."""
    oki = groups.index("okinotorishima")
    g1, d1, g2, d2 = L["g1"], L["d1"], L["g2"], L["d2"]
    out = np.where(d1 <= EEZ_M, groups.label[g1], "").astype(object)
    at_oki = g1 == oki
    near = at_oki & (d1 <= TS_M)
    out[near] = "JPN"
    far = at_oki & ~near
    out[far] = np.where(d2[far] <= EEZ_M, groups.label[g2[far]], "")
    return out


def japan_eez_pred(groups: Groups) -> Predicate:
    """Japan's EEZ without the overlapping-claim areas (Okinotorishima's EEZ included)."""
    jp = groups.policy_state == "JPN"
    disputed = np.array([k in ("takeshima", "senkaku", "southern_kurils") for k in groups.keys])
    return lambda L: jp[L["g1"]] & ~disputed[L["g1"]] & (L["d1"] <= EEZ_M)


def feature_pred(groups: Groups, key: str) -> Predicate:
    """Area that changes hands because of one disputed feature."""
    gi = groups.index(key)
    if key == "okinotorishima":
        return lambda L: (L["g1"] == gi) & (L["d1"] <= EEZ_M) & (rival_label(groups, L) != "JPN")
    return lambda L: (L["g1"] == gi) & (L["d1"] <= EEZ_M)


def foreign_pred(groups: Groups, label: str) -> Predicate:
    return lambda L: rival_label(groups, L) == label


def foreign_band_pred(groups: Groups, label: str, limit_m: float) -> Predicate:
    """A neighbour's 12 nm band: points of its zone (``label``) whose nearest coast is one of its
    own territories (not a disputed feature) within ``limit_m``; 3 nm in Japan's strait corridors
    (the Korea Strait's western channel, where the Republic of Korea also keeps 3 nm)."""
    feature_keys = {f.key for f in FEATURES}
    own = np.array([groups.label[i] == label and k not in feature_keys for i, k in enumerate(groups.keys)])

    def pred(L: dict[str, NDArray[Any]]) -> NDArray[np.bool_]:
        lim = np.where(L["strait"], STRAIT_TS_M, limit_m)
        return own[L["g1"]] & (L["d1"] <= lim) & (rival_label(groups, L) == label)

    return pred


def japan_band_pred(groups: Groups, limit_m: float, straits: bool) -> Predicate:
    jp = groups.policy_state == "JPN"

    def pred(L: dict[str, NDArray[Any]]) -> NDArray[np.bool_]:
        lim = np.where(L["strait"], STRAIT_TS_M, limit_m) if straits else limit_m
        return jp[L["g1"]] & (L["d1"] <= lim)

    return pred


def japan_internal_pred(groups: Groups, labeller: Labeller) -> Predicate:
    """Japan's internal waters (and the land within them; the build cuts the land out): nearest
    to Japan, at distance 0 from its baselines (only points inside the outline and at least
    12 nm from its usable stretches are), and more than 12 nm inside the whole outline."""
    jp = groups.policy_state == "JPN"

    def pred(L: dict[str, NDArray[Any]]) -> NDArray[np.bool_]:
        cand = np.flatnonzero(jp[L["g1"]] & (L["d1"] == 0.0) & ~L["strait"])
        out = np.zeros(L["g1"].size, dtype=bool)
        if cand.size:
            out[cand] = labeller.internal_waters(L["lon"][cand], L["lat"][cand])
        return out

    return pred


# --------------------------------------------------------------------------- grid -> polygons


@dataclass
class Grid:
    lon: NDArray[np.float64]  # (nx,)
    lat: NDArray[np.float64]  # (ny,)
    labels: dict[str, NDArray[Any]]  # flattened (ny*nx)

    @property
    def shape(self) -> tuple[int, int]:
        return (self.lat.size, self.lon.size)


def make_grid(labeller: Labeller, bbox: tuple[float, float, float, float] = COVERAGE, step: float = GRID_DEG) -> Grid:
    minx, miny, maxx, maxy = bbox
    lon = np.round(np.arange(minx, maxx + step / 2, step), 10)
    lat = np.round(np.arange(miny, maxy + step / 2, step), 10)
    X, Y = np.meshgrid(lon, lat)
    labels = labeller.label(X.ravel(), Y.ravel())
    return Grid(lon, lat, labels)


def polygons_from_predicate(grid: Grid, labeller: Labeller, pred: Predicate, iterations: int = 16) -> BaseGeometry:
    """Exact-boundary polygons of ``pred`` (see module docstring)."""
    import contourpy

    inside = pred(grid.labels).reshape(grid.shape)
    if not inside.any():
        return Polygon()
    z = np.zeros((inside.shape[0] + 2, inside.shape[1] + 2))
    z[1:-1, 1:-1] = inside
    gen = contourpy.contour_generator(
        z=z, fill_type=contourpy.FillType.OuterOffset, line_type=contourpy.LineType.Separate, corner_mask=False
    )
    filled = gen.filled(0.5, 1.5)
    polys_pts: list[Any] = list(filled[0])  # OuterOffset: points and ring offsets per polygon
    polys_off: list[Any] = list(filled[1])
    ny, nx = inside.shape
    all_pts = np.vstack(polys_pts)
    col = all_pts[:, 0] - 1.0
    row = all_pts[:, 1] - 1.0
    lonlat = _refine(grid, labeller, pred, inside, col, row, iterations)
    polys = []
    start = 0
    for pts, offs in zip(polys_pts, polys_off):
        rings = [lonlat[start + offs[i] : start + offs[i + 1]] for i in range(len(offs) - 1)]
        start += len(pts)
        shell, holes = rings[0], rings[1:]
        if len(shell) < 4:
            continue
        p = Polygon(shell, [h for h in holes if len(h) >= 4])
        if not p.is_valid:
            p = shapely.make_valid(p)
        polys.append(p)
    merged = shapely.union_all(polys)
    return only_polygons(merged)


def only_polygons(g: BaseGeometry) -> BaseGeometry:
    """The polygonal parts of ``g`` (a made-valid or merged geometry may hold lines and points)."""
    if isinstance(g, (Polygon, MultiPolygon)):
        return g
    parts = [p for p in shapely.get_parts(g) if isinstance(p, (Polygon, MultiPolygon)) and not p.is_empty]
    return shapely.union_all(parts) if parts else Polygon()


def _refine(
    grid: Grid, labeller: Labeller, pred: Predicate, inside: NDArray[np.bool_],
    col: NDArray[np.float64], row: NDArray[np.float64], iterations: int,
) -> NDArray[np.float64]:
    """Move each contour vertex (on a grid edge, between an inside and an outside node) onto
    the predicate's boundary by bisection along that edge."""
    ny, nx = inside.shape
    on_vertical = np.abs(col - np.round(col)) < 1e-6  # edge between two rows at one column
    c0 = np.where(on_vertical, np.round(col), np.floor(col)).astype(np.int64)
    r0 = np.where(on_vertical, np.floor(row), np.round(row)).astype(np.int64)
    c1 = np.where(on_vertical, c0, c0 + 1)
    r1 = np.where(on_vertical, r0 + 1, r0)

    def node_lonlat(c: NDArray[np.int64], r: NDArray[np.int64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        cc = np.clip(c, 0, nx - 1)
        rr = np.clip(r, 0, ny - 1)
        return grid.lon[cc], grid.lat[rr]

    def node_inside(c: NDArray[np.int64], r: NDArray[np.int64]) -> NDArray[np.bool_]:
        ok = (c >= 0) & (c < nx) & (r >= 0) & (r < ny)
        out = np.zeros(c.size, dtype=bool)
        out[ok] = inside[r[ok], c[ok]]
        return out

    in0 = node_inside(c0, r0)
    in1 = node_inside(c1, r1)
    x0, y0 = node_lonlat(c0, r0)
    x1, y1 = node_lonlat(c1, r1)
    # a: inside end, b: outside end
    ax = np.where(in0, x0, x1)
    ay = np.where(in0, y0, y1)
    bx = np.where(in0, x1, x0)
    by = np.where(in0, y1, y0)
    out = np.column_stack([(x0 + x1) / 2, (y0 + y1) / 2])
    real = (in0 != in1)
    off_grid = ~((c0 >= 0) & (c0 < nx) & (r0 >= 0) & (r0 < ny) & (c1 >= 0) & (c1 < nx) & (r1 >= 0) & (r1 < ny))
    # at the grid border the polygon closes along the border itself
    border = real & off_grid
    out[border, 0] = ax[border]
    out[border, 1] = ay[border]
    todo = np.flatnonzero(real & ~off_grid)
    if todo.size:
        lo = np.zeros(todo.size)
        hi = np.ones(todo.size)
        for _ in range(iterations):
            mid = (lo + hi) / 2
            mx = ax[todo] + (bx[todo] - ax[todo]) * mid
            my = ay[todo] + (by[todo] - ay[todo]) * mid
            ins = pred(labeller.label(mx, my))
            lo = np.where(ins, mid, lo)
            hi = np.where(ins, hi, mid)
        t = (lo + hi) / 2
        out[todo, 0] = ax[todo] + (bx[todo] - ax[todo]) * t
        out[todo, 1] = ay[todo] + (by[todo] - ay[todo]) * t
    return out
