"""The cell table of a line's candidate nearest vertices (eezcheck.linecells) gives exactly the
vertex the KD-tree gives, so distances measured with it are the same numbers, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eezcheck.distances import LineDistance
from eezcheck.geodesy import GEOD, to_ecef
from eezcheck.linecells import CellCandidates


def _lines() -> shapely.MultiLineString:
    """A 200 nm circle (a closed ring, as around an island), a wavy open line and a straight one
    close to the circle: near-ties, a ring's closure and two stretches near each other."""
    lon, lat, _ = GEOD.fwd(np.full(721, 140.0), np.full(721, 30.0), np.linspace(0, 360, 721), np.full(721, 370_400.0))
    ring = np.column_stack([lon, lat])
    ring[-1] = ring[0]
    t = np.linspace(0.0, 1.0, 400)
    wavy = np.column_stack([143.0 + 6.0 * t, 24.0 + 4.0 * t + 0.3 * np.sin(t * 40.0)])
    straight = np.array([[136.0, 33.6], [139.5, 33.7]])
    return shapely.MultiLineString([ring, wavy, straight])


@pytest.fixture(scope="module")
def line() -> LineDistance:
    ld = LineDistance(_lines(), max_seg_m=1000.0, cells=True)
    ld.prepare()
    return ld


@pytest.fixture(scope="module")
def table(line: LineDistance) -> CellCandidates:
    ll = line.lonlat
    return CellCandidates(line.xyz, line.next, line.prev, line.tree,
                          (float(ll[:, 0].min()), float(ll[:, 0].max())), (float(ll[:, 1].min()), float(ll[:, 1].max())))


def _tree_nearest(line: LineDistance, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The nearest vertex without the table (the tree, lowest index at a position)."""
    fresh = LineDistance(None, lonlat=line.lonlat, next_index=line.next)
    return fresh._knn(x, y, to_ecef(x, y), 1)[:, 0]


def test_table_gives_the_trees_vertex_on_many_points(line: LineDistance, table: CellCandidates) -> None:
    rng = np.random.default_rng(7)
    x, y = rng.uniform(125.0, 160.0, 300_000), rng.uniform(15.0, 45.0, 300_000)
    got = table.nearest(x, y, to_ecef(x, y))
    covered = got >= 0
    # most points get their vertex from the table (the rest: near two stretches, beyond it)
    assert covered.mean() > 0.5
    assert np.array_equal(got[covered], _tree_nearest(line, x[covered], y[covered]))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.floats(120.0, 165.0), st.floats(10.0, 50.0), st.floats(0.0, 0.05), st.floats(0.0, 0.05))
def test_table_at_cell_edges_and_corners(line: LineDistance, table: CellCandidates, lon: float, lat: float, fx: float, fy: float) -> None:
    # points on and next to the sub-cells' edges, where the bound on a cell's extent is tight
    d = table.d
    x0 = table.x0 + np.floor((lon - table.x0) / d) * d
    y0 = table.y0 + np.floor((lat - table.y0) / d) * d
    xs = np.array([x0, x0 + fx, x0 + d * (1 - 1e-12), x0, x0 + d * (1 - 1e-12)])
    ys = np.array([y0 + fy, y0, y0, y0 + d * (1 - 1e-12), y0 + d * (1 - 1e-12)])
    got = table.nearest(xs, ys, to_ecef(xs, ys))
    ok = got >= 0
    assert np.array_equal(got[ok], _tree_nearest(line, xs[ok], ys[ok]))


def test_distances_bit_for_bit_with_and_without_the_table(line: LineDistance) -> None:
    rng = np.random.default_rng(3)
    n = 250_000  # above the size from which calls use the table
    x, y = rng.uniform(128.0, 156.0, n), rng.uniform(18.0, 40.0, n)
    fresh = LineDistance(None, lonlat=line.lonlat, next_index=line.next)  # never a table
    want = fresh.nearest(x, y)
    got = line.nearest(x, y)
    assert line.cell_table is not None
    for a, b in zip(got, want):
        assert np.array_equal(a, b)


def test_embedded_limit_same_vertex_as_the_tree() -> None:
    from eezcheck.checker import Checker

    lim = Checker(None).distances.limit
    lim.use_cells()  # built (the test state folder starts empty) and saved
    rng = np.random.default_rng(11)
    x, y = rng.uniform(120.0, 160.0, 200_000), rng.uniform(15.0, 50.0, 200_000)
    got = lim.cell_table.nearest(x, y, to_ecef(x, y))
    covered = got >= 0
    assert covered.mean() > 0.5
    assert np.array_equal(got[covered], _tree_nearest(lim, x[covered], y[covered]))
    # read back from the state folder: the same table
    again = CellCandidates.cached(lim.lonlat, lim.xyz, lim.next, lim.prev, lim.tree)
    assert np.array_equal(again.first, lim.cell_table.first) and np.array_equal(again.extra, lim.cell_table.extra)


def test_table_used_from_enough_points_in_all_and_not_before() -> None:
    from eezcheck import distances

    ld = LineDistance(_lines(), max_seg_m=1000.0, cells=True)
    rng = np.random.default_rng(5)
    x, y = rng.uniform(128.0, 156.0, 1000), rng.uniform(18.0, 40.0, 1000)
    want = ld.nearest(x, y)
    assert ld.cell_table is None  # a small call builds nothing
    # pieces of a batch: counted together
    for _ in range(distances._CELLS_MIN // 1000):
        ld.count_points(1000)
    assert ld.cell_table is not None
    got = ld.nearest(x, y)
    for a, b in zip(got, want):
        assert np.array_equal(a, b)
    # a line not allowed a table (the build's and validation's lines) never gets one
    other = LineDistance(_lines(), max_seg_m=1000.0)
    other.count_points(10 * distances._CELLS_MIN)
    assert other.cell_table is None


def test_damaged_saved_table_is_rebuilt(line: LineDistance) -> None:
    t = CellCandidates.cached(line.lonlat, line.xyz, line.next, line.prev, line.tree)
    path = CellCandidates.cache_path(line.lonlat, line.next)
    assert path.exists()
    path.write_bytes(b"PK\x03\x04 a truncated table")
    again = CellCandidates.cached(line.lonlat, line.xyz, line.next, line.prev, line.tree)
    assert np.array_equal(again.first, t.first) and np.array_equal(again.extra, t.extra)


def test_line_over_much_of_the_globe_gets_no_table() -> None:
    # a line across the antimeridian spans -180..180 in lon/lat: no table (too large), the tree
    ld = LineDistance(shapely.MultiLineString([[(170.0, 10.0), (179.9, 12.0)], [(-179.9, 12.0), (-170.0, 14.0)]]), cells=True)
    ld.use_cells()
    table = ld.cell_table
    assert table is not None and table.first.size == 0
    x, y = np.array([175.0, -175.0, 0.0]), np.array([11.0, 13.0, 0.0])
    assert np.all(table.nearest(x, y, to_ecef(x, y)) == -1)
    fresh = LineDistance(None, lonlat=ld.lonlat, next_index=ld.next)
    for a, b in zip(ld.nearest(x, y), fresh.nearest(x, y)):
        assert np.array_equal(a, b)
