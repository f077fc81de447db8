"""The same point gets the same answer, ties included, whatever the batch size or whether the
search indexes exist yet (issue 12, item 5).

A check of a few points searches the lines without a KD-tree; a larger one builds the tree.
Both must choose the same vertex where several coincide (a closed ring's start and end, the
typical tie) and search both sides of a ring's closing vertex.
"""

from __future__ import annotations

import numpy as np
import pytest

from eezcheck.boundary_readers import load_active
from eezcheck.checker import Checker
from eezcheck.geodesy import destination

FIELDS = ["distance_to_eez_limit_km", "nearest_japanese_land_km", "nearest_place", "zone", "japan_eez"]


@pytest.fixture(scope="module")
def embedded():
    return load_active(None)


def _points_near_ring_ends(checker: Checker, n: int, with_ends: bool = False) -> tuple[np.ndarray, ...]:
    """Points 20-400 m from vertices where Japan's coast rings close (seeded): the ring's end is
    then usually the nearest vertex."""
    land = checker.distances.land
    ends = np.flatnonzero(land.next < 0)
    rng = np.random.default_rng(12)
    pick = rng.choice(ends, size=min(n, ends.size), replace=False)
    lon0, lat0 = land.lonlat[pick, 0], land.lonlat[pick, 1]
    az = rng.uniform(0, 360, pick.size)
    dist = rng.uniform(20, 400, pick.size)
    lon, lat = destination(lon0, lat0, az, dist)
    out = (np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return (*out, pick) if with_ends else out


def test_few_points_and_many_points_give_the_same_answers(embedded):
    probe = Checker(embedded)
    lon, lat = _points_near_ring_ends(probe, 400)
    # one at a time, each in a checker whose lines have no tree yet
    single = []
    for x, y in zip(lon[:40], lat[:40]):
        fresh = Checker(embedded)
        r = fresh.evaluate(lon=[x], lat=[y], fields=FIELDS)
        assert fresh.distances.land._tree is None  # the few-points search was used
        single.append((float(r["nearest_japanese_land_km"][0]), float(r["distance_to_eez_limit_km"][0])))
    # all at once (tree), then again in pieces of 7 and 1 on the same checker
    many = Checker(embedded)
    whole = many.evaluate(lon=lon, lat=lat, fields=FIELDS)
    assert many.distances.land._tree is not None
    for i, (land_km, limit_km) in enumerate(single):
        assert whole["nearest_japanese_land_km"][i] == land_km, i
        assert whole["distance_to_eez_limit_km"][i] == limit_km, i
    for size in (7, 1):
        for s in range(0, 40, size):
            part = many.evaluate(lon=lon[s : s + size], lat=lat[s : s + size], fields=FIELDS)
            for key in FIELDS:
                assert list(part[key]) == list(whole[key][s : s + size]), (key, s, size)


def test_the_closing_vertex_of_a_ring_is_searched_on_both_sides(embedded):
    """For points whose nearest coast vertex is where a ring closes, the distance found is no
    more than the distance to the ring's segments on either side of that vertex (sampled every
    half metre), whichever end of the ring the search returned."""
    from eezcheck.geodesy import GEOD

    c = Checker(embedded)
    land = c.distances.land
    lon, lat, ends = _points_near_ring_ends(c, 600, with_ends=True)
    got, _, _ = land.nearest(lon, lat)
    starts = np.concatenate([[0], np.flatnonzero(land.next < 0)[:-1] + 1])
    checked = 0
    for x, y, d, end in zip(lon, lat, got, ends):
        start = starts[np.searchsorted(starts, end, side="right") - 1]
        if not np.array_equal(land.lonlat[start], land.lonlat[end]) or start == end:
            continue  # not a closed ring
        near = np.flatnonzero((np.abs(land.lonlat[:, 1] - y) < 0.02) & (np.abs(land.lonlat[:, 0] - x) < 0.03))
        _, _, dn = GEOD.inv(np.full(near.size, x), np.full(near.size, y), land.lonlat[near, 0], land.lonlat[near, 1])
        _, _, de = GEOD.inv(x, y, land.lonlat[end, 0], land.lonlat[end, 1])
        if de > float(np.min(dn)) + 1e-6:
            continue  # another vertex is nearer
        a = land.lonlat[[land.prev[end], start]]
        b = land.lonlat[[end, land.next[start]]]
        t = np.linspace(0.0, 1.0, 1001)[:, None, None]
        pts = (a[None] + (b - a)[None] * t).reshape(-1, 2)
        _, _, dv = GEOD.inv(np.full(len(pts), x), np.full(len(pts), y), pts[:, 0], pts[:, 1])
        assert d <= float(np.min(dv)) + 1.0, (x, y, d, float(np.min(dv)))
        checked += 1
    assert checked >= 20


def test_distances_in_thread_pieces_equal_one_thread(embedded, monkeypatch):
    """Many points are measured in pieces, one thread per CPU: the same numbers as in one."""
    import eezcheck.distances as distances

    if (distances.os.cpu_count() or 1) < 2:
        pytest.skip("one CPU: no pieces")
    checker = Checker(embedded)
    rng = np.random.default_rng(4)
    lon = np.concatenate([rng.uniform(120, 160, 3_000), _points_near_ring_ends(checker, 300)[0]])
    lat = np.concatenate([rng.uniform(15, 50, 3_000), _points_near_ring_ends(checker, 300)[1]])
    for line in (checker.distances.limit, checker.distances.land):
        monkeypatch.setattr(distances, "_PIECE_MIN", 10**12)
        one = line.nearest(lon, lat)
        monkeypatch.setattr(distances, "_PIECE_MIN", 500)
        pieces = line.nearest(lon, lat)
        for a, b in zip(one, pieces):
            np.testing.assert_array_equal(a, b)
