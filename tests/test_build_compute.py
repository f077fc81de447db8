"""The zone build's geometry engine on synthetic coasts with known answers."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from eezcheck.build import compute as C
from eezcheck.build import sources as S
from eezcheck.geodesy import GEOD, NM


def _square(cx: float, cy: float, half: float = 0.05, n: int = 40) -> np.ndarray:
    t = np.linspace(0, 1, n, endpoint=False)
    edges = [
        np.column_stack([cx - half + 2 * half * t, np.full(n, cy - half)]),
        np.column_stack([np.full(n, cx + half), cy - half + 2 * half * t]),
        np.column_stack([cx + half - 2 * half * t, np.full(n, cy + half)]),
        np.column_stack([np.full(n, cx - half), cy + half - 2 * half * t]),
    ]
    return np.vstack(edges)


@pytest.fixture(scope="module")
def two_islands():
    """A Japanese island at 140E 30N and a Korean one at 146E 30N (about 578 km apart)."""
    jp = _square(140.0, 30.0)
    kr = _square(146.0, 30.0)
    lonlat = np.vstack([jp, kr])
    state = np.array(["JPN"] * len(jp) + ["KOR"] * len(kr), dtype=object)
    feat = np.full(len(lonlat), "", dtype=object)
    groups, codes = C.make_groups(state, feat)
    lab = C.Labeller(lonlat, codes, groups)
    grid = C.make_grid(lab, (135.0, 25.0, 151.0, 35.0), 0.1)
    return groups, lab, grid


def test_groups_include_every_feature(two_islands):
    groups, _, _ = two_islands
    assert {"JPN", "KOR"} <= set(groups.keys)
    for f in S.FEATURES:
        assert groups.policy_state[groups.index(f.key)] == "JPN"


def test_median_line_is_equidistant(two_islands):
    groups, lab, grid = two_islands
    jp = C.polygons_from_predicate(grid, lab, C.japan_eez_pred(groups))
    assert jp.is_valid and not jp.is_empty
    # boundary vertices east of the island lie on the median line: equidistant to both coasts
    coords = shapely.get_coordinates(jp.boundary)
    east = coords[(coords[:, 0] > 141.5) & (np.abs(coords[:, 1] - 30.0) < 1.0)]
    assert len(east) > 10
    L = lab.label(east[:, 0], east[:, 1])
    # nearest Korean coast distance at the same points
    kr = lab.lonlat[lab.codes == groups.index("KOR")]
    dk = np.array([np.min(GEOD.inv(np.full(len(kr), x), np.full(len(kr), y), kr[:, 0], kr[:, 1])[2]) for x, y in east])
    assert np.max(np.abs(L["d1"] - dk)) < 5.0  # metres


def test_outer_limit_is_200_nm(two_islands):
    groups, lab, grid = two_islands
    jp = C.polygons_from_predicate(grid, lab, C.japan_eez_pred(groups))
    coords = shapely.get_coordinates(jp.boundary)
    west = coords[coords[:, 0] < 138.0]
    d = lab.label(west[:, 0], west[:, 1])["d1"]
    assert np.allclose(d, 200 * NM, atol=1.0)


def test_territorial_sea_is_12_nm(two_islands):
    groups, lab, grid = two_islands
    ts = C.polygons_from_predicate(grid, lab, C.japan_band_pred(groups, C.TS_M, straits=False))
    d = lab.label(*shapely.get_coordinates(ts.boundary).T)["d1"]
    assert np.allclose(d, 12 * NM, atol=1.0)


def test_foreign_eez_meets_japan_on_the_median(two_islands):
    groups, lab, grid = two_islands
    jp = C.polygons_from_predicate(grid, lab, C.japan_eez_pred(groups))
    kr = C.polygons_from_predicate(grid, lab, C.foreign_pred(groups, "KOR"))
    # no overlap beyond numerical noise, and they touch
    assert jp.intersection(kr).area < 1e-6
    assert jp.distance(kr) < 1e-6


def test_disputed_feature_changes_hands(two_islands):
    """A feature island labelled as Takeshima: Japanese under Japan's claims, Korean otherwise."""
    jp = _square(140.0, 30.0)
    kr = _square(146.0, 30.0)
    tk = _square(143.5, 30.0, half=0.01, n=8)
    lonlat = np.vstack([jp, kr, tk])
    state = np.array(["JPN"] * len(jp) + ["KOR"] * (len(kr) + len(tk)), dtype=object)
    feat = np.array([""] * (len(jp) + len(kr)) + ["takeshima"] * len(tk), dtype=object)
    groups, codes = C.make_groups(state, feat)
    lab = C.Labeller(lonlat, codes, groups)
    pts_lon = np.array([143.5, 141.0, 145.0])
    pts_lat = np.array([30.2, 30.0, 30.0])
    L = lab.label(pts_lon, pts_lat)
    policy = C.policy_japan(groups)(L)
    rival = C.rival_label(groups, L)
    assert policy.tolist() == [True, True, False]
    assert rival.tolist() == ["KOR", "JPN", "KOR"]
    assert C.feature_pred(groups, "takeshima")(L).tolist() == [True, False, False]


def test_strait_corridor_limits_territorial_sea():
    """Inside a strait corridor the territorial sea stops at 3 nm."""
    soya = C.STRAIT_CORRIDORS["Soya"]
    cx = float(np.mean([p[0] for p in soya]))
    cy = float(np.mean([p[1] for p in soya]))
    island = _square(cx, cy, half=0.01, n=8)
    state = np.array(["JPN"] * len(island), dtype=object)
    groups, codes = C.make_groups(state, np.full(len(island), "", dtype=object))
    lab = C.Labeller(island, codes, groups)
    lon, lat, _ = GEOD.fwd(cx + 0.01, cy, 90.0, 5 * NM)
    L = lab.label(np.array([lon]), np.array([lat]))
    assert not C.japan_band_pred(groups, C.TS_M, straits=True)(L)[0]
    assert C.japan_band_pred(groups, C.TS_M, straits=False)(L)[0]


def test_excluded_base_points():
    e = S.EXCLUDED_BASEPOINTS[0]
    lon = np.array([(e.bbox[0] + e.bbox[2]) / 2, 141.0])
    lat = np.array([(e.bbox[1] + e.bbox[3]) / 2, 45.0])
    assert S.excluded(lon, lat, np.array([e.state, e.state], dtype=object)).tolist() == [True, False]


def test_straight_baselines_push_the_limits_out():
    """With Japan's territorial-sea outline (drawn from straight baselines), Japan's distance is
    the distance to the outline + 12 nm outside it, 12 nm minus it inside: a point 200 nm + 10 km
    from the coast but 188 nm - 5 km from an outline jutting out is inside Japan's EEZ."""
    from shapely.geometry import box

    island = _square(140.0, 30.0, half=0.01, n=8)
    state = np.array(["JPN"] * len(island), dtype=object)
    groups, codes = C.make_groups(state, np.full(len(island), "", dtype=object))
    lab = C.Labeller(island, codes, groups)
    outline = box(139.7, 29.7, 140.6, 30.3)  # juts ~0.6 deg east of the island
    far_lon, far_lat, _ = GEOD.fwd(140.01, 30.0, 90.0, 200 * NM + 10_000)
    p = (np.array([far_lon]), np.array([far_lat]))
    assert not C.japan_eez_pred(groups)(lab.label(*p))[0]
    lab.set_baseline(outline, [])
    L = lab.label(*p)
    assert C.japan_eez_pred(groups)(L)[0]
    # inside the outline every point is territorial sea
    inside = lab.label(np.array([140.5]), np.array([30.0]))
    assert C.japan_band_pred(groups, C.TS_M, straits=False)(inside)[0]
    # features whose entitlement is disputed are left out of the outline
    lab.set_baseline(outline, [(140.4, 29.9, 140.5, 30.1)])
    assert lab.base is None or lab.base[0].is_empty or not lab.base[0].intersects(box(140.4, 29.9, 140.5, 30.1))


def test_outline_points_near_a_coast_are_not_baselines():
    """Stretches of the outline nearer than 12 nm to a coast (the 3 nm straits, where a
    territorial sea meets a neighbour's) cannot be 12 nm from a baseline: they are left out."""
    from shapely.geometry import box

    island = _square(140.0, 30.0, half=0.01, n=8)
    state = np.array(["JPN"] * len(island), dtype=object)
    groups, codes = C.make_groups(state, np.full(len(island), "", dtype=object))
    lab = C.Labeller(island, codes, groups)
    # east side 3 nm from the coast, the others ~0.3 deg (about 30 km) out
    east = 140.01 + (3 * NM) / (111_320 * np.cos(np.radians(30.0)))
    lab.set_baseline(box(139.7, 29.7, east, 30.3), [])
    _, ll, _ = lab.base
    _, _, d = GEOD.inv(np.full(len(ll), 140.01), np.full(len(ll), 30.0), ll[:, 0], ll[:, 1])
    # nothing of the 3 nm side is kept (distances here from the island's east edge)
    assert not ((np.abs(ll[:, 0] - east) < 1e-6) & (np.abs(ll[:, 1] - 30.0) < 0.15)).any()
    assert (d > C.TS_M - 1500.0).all()
    # a point 30 km east of the 3 nm side is measured from the coast, not from 3 nm + 12 nm
    lon, lat, _ = GEOD.fwd(east, 30.0, 90.0, 30_000)
    L = lab.label(np.array([lon]), np.array([lat]))
    _, _, coast = GEOD.inv(lon, lat, 140.01, 30.0)
    assert L["d1"][0] == pytest.approx(coast, rel=1e-3)


def _treaty(a: str, b: str, lon: float) -> object:
    from eezcheck.build.treaties import TreatyLine

    # a north-south line at ``lon`` from 29.5N to 30.5N; b's side is the east
    return TreatyLine(
        key="test", name="test line", a=a, b=b,
        points=tuple((la, lon) for la in (29.5, 30.0, 30.5)),
        b_left=False,  # walking north, the east is on the right
        source="synthetic", note="", reach_m=100_000.0,
    )


def test_treaty_line_replaces_the_median_line(two_islands):
    """Level with a treaty line and within its reach, a point goes to the state on whose side it
    lies, whichever coast is nearer; beyond the line's ends the median line holds again."""
    groups, lab, _ = two_islands
    median = 143.0  # the islands are at 140E and 146E
    lab.set_treaties([_treaty("JPN", "KOR", 143.5)])
    try:
        lon = np.array([143.2, 143.7, 143.2, 143.2])
        lat = np.array([30.0, 30.0, 30.9, 29.1])
        L = lab.label(lon, lat)
        jp = C.policy_japan(groups)(L)
        # 143.2E is east of the median (Korean by distance) but west of the treaty line: Japanese
        assert jp.tolist() == [True, False, False, False]
        assert C.rival_label(groups, L).tolist() == ["JPN", "KOR", "KOR", "KOR"]
        # the distance is to the state the point now belongs to
        _, _, dj = GEOD.inv(143.2, 30.0, 140.05, 30.0)
        assert L["d1"][0] == pytest.approx(dj, rel=2e-3)
        assert median < 143.2
    finally:
        lab.set_treaties([])


def test_japan_korea_1974_table():
    """The 35 points of Article I(1), and which side is which."""
    from eezcheck.build.treaties import JAPAN_KOREA_1974 as T

    assert len(T.points) == 35
    assert T.points[0] == pytest.approx((32 + 57.0 / 60, 127 + 41.1 / 60))
    assert T.points[-1] == pytest.approx((36 + 10.0 / 60, 131 + 15.9 / 60))
    lon = np.array([129.0, 129.3, 130.4, 130.2, 127.5, 127.0, 131.4])
    lat = np.array([35.0, 34.7, 34.9, 35.3, 33.12, 32.5, 36.3])
    # Busan side / Tsushima / off Kyushu / Korean side / towards Jeju, level with points 2-4;
    # beyond the ends it does not apply
    assert T.on_b_side(lon[:5], lat[:5]).tolist() == [True, False, False, True, True]
    assert T.applies(lon, lat).tolist() == [True, True, True, True, True, False, False]
