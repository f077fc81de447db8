"""What a one-point ``eezcheck check`` loads (issue 17, target 3): nothing the answer does not
need, and the same answers as the whole load.

- the check imports no table, map, web or cluster library (a behaviour test in a subprocess);
- a check of a few points decodes only the polygons (parts) of the embedded zones around them,
  with the answers of the whole polygons, and a damaged part index in the state folder is
  built again, with the same answers;
- the search of a few points for the nearest vertex looks only at the blocks around the point
  and picks the vertex the search of every vertex picks;
- the data set is hashed on a background thread, and a damaged file is still exit 3, nothing
  printed on stdout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from eezcheck.boundary_readers import load_dataset_dir
from eezcheck.data import package_data_dir
from eezcheck.zones import Classifier

HEAVY = ("pandas", "geopandas", "pyogrio", "folium", "branca", "jinja2", "dask", "distributed",
         "pyarrow", "scipy", "fastapi", "starlette", "uvicorn", "matplotlib", "openpyxl")  # fmt: skip

_RUN = """
import json, sys
sys.argv = ["eezcheck", *sys.argv[1:]]
from eezcheck.cli.main import main
try:
    main()
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""

needs_data = pytest.mark.skipif(
    not (package_data_dir() / "zones.wkb").is_file(), reason="embedded data not built"
)


def _run(*args: str, env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess[str], dict]:
    r = subprocess.run([sys.executable, "-c", _RUN, *args], capture_output=True, text=True, env=env, timeout=300)
    report = json.loads(r.stderr.strip().splitlines()[-1])
    return r, report


@needs_data
@pytest.mark.parametrize("args", [("check", "41.3", "138.5"), ("check", "41.3", "138.5", "--json")])
def test_check_imports_no_heavy_library(args):
    r, report = _run(*args)
    assert report["code"] in (0, None), r.stderr
    assert "INSIDE" in r.stdout or '"japan_eez": "inside"' in r.stdout
    top = {m.split(".")[0] for m in report["modules"]}
    assert not top & set(HEAVY), sorted(top & set(HEAVY))
    # nor the package's own table, map and web modules
    ours = [m for m in report["modules"] if m.startswith(("eezcheck.batch", "eezcheck.mapping", "eezcheck.serve", "eezcheck.build"))]
    assert not ours, ours


def _points(b, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Random points of the coverage, and points on and 1 m-100 m off polygon vertices."""
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = b.coverage.bounds
    lon = list(rng.uniform(minx, maxx, n))
    lat = list(rng.uniform(miny, maxy, n))
    import shapely

    for a in b.areas:
        if a.zone_type.value in ("land", "internal_waters", "territorial_sea", "overlapping_claim"):
            coords = shapely.get_coordinates(a.geometry)
            pick = coords[rng.integers(0, len(coords), 6)]
            for (x, y), d in zip(pick, rng.choice([0.0, 1e-5, 1e-4, 1e-3], 6)):
                lon.append(x + d * rng.normal())
                lat.append(y + d * rng.normal())
    return np.array(lon), np.array(lat)


@needs_data
def test_few_points_decode_only_parts_with_the_same_answers(tmp_path, monkeypatch):
    monkeypatch.setenv("EEZCHECK_STATE_DIR", str(tmp_path / "state"))
    b = load_dataset_dir(package_data_dir())
    clf = Classifier(b)
    lon, lat = _points(b, 150, seed=7)
    one = [clf.classify([x], [y], use_grid=False) for x, y in zip(lon, lat)]
    # the whole polygons, prepared (as a batch tests them)
    prepared = Classifier(load_dataset_dir(package_data_dir()))
    prepared.prepare()
    whole = prepared.classify(lon, lat, use_grid=False)
    for i, c in enumerate(one):
        assert c.zone_code[0] == whole.zone_code[i], (lon[i], lat[i])
        assert c.area_index[0] == whole.area_index[i], (lon[i], lat[i])
        assert c.japan_code[0] == whole.japan_code[i], (lon[i], lat[i])
    assert list((tmp_path / "state" / "parts").glob("*.npy")), "the part index was saved"
    # bands of samples (as a wording or an uncertainty radius gives), part-wise at once
    rng = np.random.default_rng(8)
    for cx, cy in ((139.45, 42.15), (139.8, 35.4), (133.5, 34.3), (124.2, 24.4), (131.9, 37.2)):
        bx, by = cx + rng.normal(0, 0.6, 4000), cy + rng.normal(0, 0.4, 4000)
        band = Classifier(load_dataset_dir(package_data_dir())).classify(bx, by, use_grid=False)
        ref = prepared.classify(bx, by, use_grid=False)
        assert np.array_equal(band.area_index, ref.area_index), (cx, cy)
        assert np.array_equal(band.japan_code, ref.japan_code), (cx, cy)


@needs_data
def test_damaged_part_index_is_built_again(tmp_path):
    env = {**os.environ, "EEZCHECK_STATE_DIR": str(tmp_path / "state")}
    args = [sys.executable, "-m", "eezcheck", "check", "34.9", "139.9", "--json"]
    first = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300)
    assert first.returncode == 0, first.stderr
    (saved,) = (tmp_path / "state" / "parts").glob("*.npy")
    original = saved.read_bytes()
    for damage in (b"not an array", original[: len(original) // 2]):
        saved.write_bytes(damage)
        again = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300)
        assert again.returncode == 0, again.stderr
        assert again.stdout == first.stdout
    # a well-formed index that does not fit the file (every part moved by one byte)
    saved.write_bytes(original)
    a = np.load(saved)
    records = int(np.flatnonzero(np.diff(a[0]) < 0)[0]) + 1  # ``first`` ends where the rows begin
    a[0, records:] += 1
    np.save(saved, a)
    again = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300)
    assert again.returncode == 0, again.stderr
    assert again.stdout == first.stdout


def test_few_point_vertex_search_matches_every_vertex():
    """The blocks looked at hold every vertex of the window the bound allows, so the nearest
    vertex (ties: the lowest index) is the one a search of every vertex finds."""
    from eezcheck.distances import LineDistance
    from eezcheck.geodesy import to_ecef

    rng = np.random.default_rng(3)
    # a long wiggly line of 3 parts, two of them rings, across the antimeridian too
    t = np.linspace(0, 1, 2001)
    parts = [
        np.column_stack([130 + 20 * t, 30 + 3 * np.sin(40 * t)]),
        np.column_stack([170 + 15 * t, 50 + 2 * np.cos(25 * t)]),
        np.column_stack([140 + 2 * np.cos(6.283 * t), 40 + 2 * np.sin(6.283 * t)]),
    ]
    lonlat = np.vstack(parts)
    lonlat[:, 0] = (lonlat[:, 0] + 180) % 360 - 180
    nxt = np.arange(1, len(lonlat) + 1)
    ends = np.cumsum([len(p) for p in parts]) - 1
    nxt[ends] = -1
    line = LineDistance(None, lonlat=lonlat, next_index=nxt)
    xyz = to_ecef(lonlat[:, 0], lonlat[:, 1])
    for _ in range(300):
        x, y = rng.uniform(-180, 180), rng.uniform(-80, 80)
        if rng.random() < 0.5:
            x, y = lonlat[rng.integers(len(lonlat))] + rng.normal(0, 0.01, 2)
            x = (x + 180) % 360 - 180
        p = to_ecef(np.array([x]), np.array([y]))
        got = line._knn(np.array([x]), np.array([y]), p, 1)[0, 0]
        d2 = ((xyz - p[0]) ** 2).sum(axis=1)
        assert got == int(np.flatnonzero(d2 == d2.min())[0]), (x, y)


@needs_data
def test_damaged_zones_file_is_exit_3_with_nothing_printed(tmp_path):
    """The hash runs on a background thread; a damaged file still stops the check before any
    answer (exit 3, the file named, stdout empty)."""
    d = tmp_path / "set"
    d.mkdir()
    src = package_data_dir()
    for f in src.iterdir():
        if f.is_file():
            (d / f.name).write_bytes(f.read_bytes())
    zones = d / "zones.wkb"
    raw = bytearray(zones.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    zones.write_bytes(bytes(raw))
    env = {**os.environ, "EEZCHECK_DATA": str(d), "EEZCHECK_STATE_DIR": str(tmp_path / "state")}
    r = subprocess.run([sys.executable, "-m", "eezcheck", "check", "41.3", "138.5"], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 3
    assert r.stdout == ""
    assert str(zones) in r.stderr and "corrupted or truncated" in r.stderr


@needs_data
def test_one_point_check_loads_no_whole_polygon(tmp_path, monkeypatch):
    """A check at sea decodes only parts: no big area is decoded whole."""
    monkeypatch.setenv("EEZCHECK_STATE_DIR", str(tmp_path / "state"))
    from eezcheck.checker import Checker

    b = load_dataset_dir(package_data_dir())
    assert Checker(b).classifier.areas  # the part index is built (and saved) here: every area decoded once
    fresh = load_dataset_dir(package_data_dir())
    r = Checker(fresh).check(41.3, 138.5)
    assert r.japan_eez.value == "inside"
    decoded = [a.name for a in fresh.areas if a.decoded]
    assert "Japanese land" not in decoded, decoded
    assert "Japanese internal waters (landward of the baselines)" not in decoded, decoded


@needs_data
def test_few_point_ring_twins_and_previous_vertices_match_the_whole_tables():
    from eezcheck.distances import LineDistance

    a = load_dataset_dir(package_data_dir()).arrays
    rng = np.random.default_rng(5)
    for name in ("land", "limit"):
        line = LineDistance(None, lonlat=a[f"{name}_lonlat"], next_index=a[f"{name}_next"])
        ends = np.flatnonzero(line.next < 0)
        picks = np.concatenate([rng.integers(0, len(line.next), 300), ends[:50], ends[:50] + 1, [0, len(line.next) - 1]])
        picks = picks[picks < len(line.next)]
        few = LineDistance(None, lonlat=a[f"{name}_lonlat"], next_index=a[f"{name}_next"])
        twins = np.concatenate([few._twin_of(picks[i : i + 8]) for i in range(0, len(picks), 8)])
        prevs = np.concatenate([few._prev_of(picks[i : i + 8]) for i in range(0, len(picks), 8)])
        assert "_ring_twin" not in few.__dict__ and "prev" not in few.__dict__
        assert np.array_equal(twins, line._ring_twin[picks])
        assert np.array_equal(prevs, line.prev[picks])


@needs_data
def test_points_spread_over_many_parts_use_the_whole_polygon(tmp_path, monkeypatch):
    """A path over the Sea of Japan (as reach and approach classify) meets thousands of Japan's
    land parts: the whole polygon is decoded once instead of a loop over its parts (which cost
    ~40 s CPU for the MoD table's approaches), with the same answers as the prepared polygons."""
    monkeypatch.setenv("EEZCHECK_STATE_DIR", str(tmp_path / "state"))
    b = load_dataset_dir(package_data_dir())
    land = next(a for a in b.areas if a.name == "Japanese land")
    rng = np.random.default_rng(3)
    x, y = rng.uniform(128.0, 146.0, 20_000), rng.uniform(30.0, 45.0, 20_000)
    near = land.parts_near(x, y)
    assert len(near) == 1 and near[0][1].size == x.size
    few = land.parts_near(np.array([139.8]), np.array([35.4]))
    assert 1 <= len(few) < 50
    spread = Classifier(load_dataset_dir(package_data_dir())).classify(x, y, use_grid=False)
    prepared = Classifier(load_dataset_dir(package_data_dir()))
    prepared.prepare()
    ref = prepared.classify(x, y, use_grid=False)
    assert np.array_equal(spread.area_index, ref.area_index)
    assert np.array_equal(spread.japan_code, ref.japan_code)
