"""The classification grid on the embedded data: answers identical to the exact test, also on
and next to every kind of boundary, with few points left to the exact test."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eezcheck.boundary_readers import load_dataset_dir
from eezcheck.data import MANIFEST, package_data_dir
from eezcheck.zones import Classifier, GridIndex

DATA = package_data_dir()
pytestmark = pytest.mark.skipif(not (DATA / MANIFEST).exists(), reason="embedded data not built")


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier(load_dataset_dir(DATA))


@pytest.fixture(scope="module")
def vertices(clf: Classifier) -> np.ndarray:
    """Every vertex of every boundary the grid knows (areas, Japan's claim, the coverage)."""
    lines = shapely.boundary(np.array([*clf.geoms, clf.claim, clf.coverage], dtype=object))
    return shapely.get_coordinates(lines[~shapely.is_empty(lines)])


def _same(clf: Classifier, lon: np.ndarray, lat: np.ndarray) -> None:
    a = clf.classify(lon, lat, use_grid=True)
    b = clf.classify(lon, lat, use_grid=False)
    np.testing.assert_array_equal(a.area_index, b.area_index)
    np.testing.assert_array_equal(a.zone_code, b.zone_code)
    np.testing.assert_array_equal(a.japan_code, b.japan_code)


OFFSETS = [0.0, 1e-12, 1e-9, 1e-7, 1e-5, 3e-4, 1e-3, 4e-3]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.integers(0, 2**32 - 1),
    offset=st.sampled_from(OFFSETS),
    angle=st.floats(0.0, 2 * np.pi),
)
def test_grid_equals_exact_next_to_boundaries(
    clf: Classifier, vertices: np.ndarray, seed: int, offset: float, angle: float
) -> None:
    """Points on boundary vertices, between them and shifted off them by up to a sub-cell."""
    rng = np.random.default_rng(seed)
    i = rng.integers(0, len(vertices) - 1, 2_000)
    t = rng.uniform(0.0, 1.0, i.size)[:, None]
    pts = vertices[i] + (vertices[i + 1] - vertices[i]) * t  # mostly on a boundary segment
    pts[:500] = vertices[i[:500]]  # on vertices
    lon = pts[:, 0] + offset * np.cos(angle)
    lat = pts[:, 1] + offset * np.sin(angle)
    _same(clf, lon, lat)


def test_grid_equals_exact_on_cell_and_sub_cell_lines(clf: Classifier, vertices: np.ndarray) -> None:
    g = clf.grid
    rng = np.random.default_rng(3)
    near = vertices[rng.integers(0, len(vertices), 20_000)]
    step = g.d / g.sub
    # snap one or both coordinates onto the nearest sub-cell line (every 16th is a cell line)
    lon = g.x0 + np.round((near[:, 0] - g.x0) / step) * step
    lat = g.y0 + np.round((near[:, 1] - g.y0) / step) * step
    lat[:10_000] = near[:10_000, 1]
    lon[10_000:15_000] = near[10_000:15_000, 0]
    _same(clf, lon, lat)


def test_grid_equals_exact_random_and_beyond_coverage(clf: Classifier) -> None:
    rng = np.random.default_rng(11)
    lon = rng.uniform(110.0, 185.0, 100_000)
    lat = rng.uniform(5.0, 60.0, 100_000)
    _same(clf, np.where(lon >= 180.0, lon - 360.0, lon), lat)


def test_few_points_need_an_exact_test(clf: Classifier) -> None:
    """The benchmark's points (120-160 E, 15-50 N): under 1 % land in sub-cells a boundary
    touches (11 % were in crossed cells before sub-cells)."""
    rng = np.random.default_rng(0)
    lon, lat = rng.uniform(120.0, 160.0, 300_000), rng.uniform(15.0, 50.0, 300_000)
    _, _, _, todo = clf.grid.lookup(lon, lat)
    assert 0 < todo.size < 0.01 * lon.size


def test_saved_grid_answers_as_the_built_one(clf: Classifier) -> None:
    built = GridIndex(clf)
    saved = GridIndex.cached(clf)  # written by the first use in this run, or now
    again = GridIndex.cached(clf)  # read back from the state folder
    rng = np.random.default_rng(5)
    lon, lat = rng.uniform(115.0, 180.0, 50_000), rng.uniform(10.0, 55.0, 50_000)
    ref = built.lookup(lon, lat)
    for g in (saved, again):
        for a, b in zip(g.lookup(lon, lat), ref):
            np.testing.assert_array_equal(a, b)


def test_a_built_grid_answers_small_batches(clf: Classifier, monkeypatch: pytest.MonkeyPatch) -> None:
    """Once the grid exists (a batch builds it first, then checks pieces of ~10,000 rows), even
    a few points take it: open-sea points need no exact test, with the same answers."""
    _ = clf.grid
    lon, lat = np.array([150.0, 155.5, 145.2]), np.array([30.0, 40.1, 20.3])
    exact = clf.classify(lon, lat, use_grid=False)
    calls: list[int] = []
    real = shapely.contains_xy
    monkeypatch.setattr(shapely, "contains_xy", lambda g, x, y: calls.append(np.size(x)) or real(g, x, y))
    got = clf.classify(lon, lat)
    assert calls == []  # no polygon test
    clf.classify(lon, lat, use_grid=False)
    assert calls  # (the exact path does test polygons)
    np.testing.assert_array_equal(got.area_index, exact.area_index)
    np.testing.assert_array_equal(got.japan_code, exact.japan_code)
