"""eezcheck.data: registry, integrity checks, resolution order, loading data-set directories."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from fixtures import synthetic as S

from eezcheck import data
from eezcheck.boundaries import Boundaries, ZoneType
from eezcheck.boundary_readers import load_active, load_dataset_dir
from eezcheck.data import (
    check_file,
    read_manifest,
    read_registry,
    resolve_source,
    sha256_file,
    verify_dir,
    write_registry,
)
from eezcheck.errors import (
    BoundaryDataError,
    ChecksumMismatchError,
    DataIntegrityError,
    EezcheckError,
)
from eezcheck.zones import Classifier


@pytest.fixture(autouse=True)
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty user cache and no $EEZCHECK_DATA."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("EEZCHECK_CACHE_DIR", str(cache))
    monkeypatch.delenv("EEZCHECK_DATA", raising=False)
    monkeypatch.delenv("EEZCHECK_USE_CACHE", raising=False)
    return cache


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    return S.make_user_dataset(tmp_path / "square-island")


# --------------------------------------------------------------------------- registry


def test_sha256_file(tmp_path: Path) -> None:
    p = tmp_path / "x.bin"
    p.write_bytes(b"eezcheck" * 100_000)
    assert sha256_file(p) == hashlib.sha256(b"eezcheck" * 100_000).hexdigest()


def test_registry_round_trip(tmp_path: Path) -> None:
    (tmp_path / "b.geojson").write_text("bee")
    (tmp_path / "a.geojson").write_text("ay")
    path = write_registry(tmp_path, ["b.geojson", "a.geojson"])
    text = path.read_text()
    # pooch's format, sorted, one line per file
    assert text == (
        f"a.geojson sha256:{hashlib.sha256(b'ay').hexdigest()}\n"
        f"b.geojson sha256:{hashlib.sha256(b'bee').hexdigest()}\n"
    )
    assert read_registry(tmp_path) == {
        "a.geojson": hashlib.sha256(b"ay").hexdigest(),
        "b.geojson": hashlib.sha256(b"bee").hexdigest(),
    }


def test_registry_comments_and_blank_lines(tmp_path: Path) -> None:
    digest = "0" * 64
    (tmp_path / "registry.txt").write_text(f"# generated\n\nzones.geojson sha256:{digest}\n")
    assert read_registry(tmp_path) == {"zones.geojson": digest}


@pytest.mark.parametrize(
    "line", ["zones.geojson md5:abc", "zones.geojson sha256:abc", "zones.geojson", "a b sha256:" + "0" * 64]
)
def test_registry_bad_line(tmp_path: Path, line: str) -> None:
    (tmp_path / "registry.txt").write_text(line + "\n")
    with pytest.raises(DataIntegrityError, match=r"registry.txt', line 1: cannot read"):
        read_registry(tmp_path)


def test_registry_missing(tmp_path: Path) -> None:
    with pytest.raises(DataIntegrityError, match=r"Checksum registry .*registry.txt' cannot be read") as info:
        read_registry(tmp_path)
    assert info.value.exit_code == 3


# --------------------------------------------------------------------------- verify_dir / check_file


def test_verify_dir_ok(dataset: Path) -> None:
    checks = verify_dir(dataset)
    assert [c.name for c in checks] == ["manifest.json", "zones.geojson"]
    c = checks[1]
    assert c.ok and c.problem == "" and c.actual == c.expected
    assert c.size == (dataset / "zones.geojson").stat().st_size
    assert c.to_dict()["name"] == "zones.geojson"


def test_verify_dir_detects_corrupted_truncated_empty_missing(tmp_path: Path) -> None:
    d = tmp_path / "set"
    d.mkdir()
    names = ["corrupt.geojson", "truncated.geojson", "empty.geojson", "missing.geojson", "fine.geojson"]
    for n in names:
        (d / n).write_text(json.dumps(S.user_collection()))
    write_registry(d, names)
    expected = read_registry(d)
    raw = (d / "corrupt.geojson").read_bytes()
    (d / "corrupt.geojson").write_bytes(raw[:100] + b"X" + raw[101:])  # one byte flipped, same size
    (d / "truncated.geojson").write_bytes(raw[: len(raw) // 2])
    (d / "empty.geojson").write_bytes(b"")
    (d / "missing.geojson").unlink()
    checks = {c.name: c for c in verify_dir(d)}
    assert checks["fine.geojson"].ok
    assert checks["corrupt.geojson"].problem == "sha256 mismatch (corrupted or truncated)"
    assert checks["corrupt.geojson"].size == len(raw)
    assert checks["truncated.geojson"].problem == "sha256 mismatch (corrupted or truncated)"
    assert checks["truncated.geojson"].size == len(raw) // 2
    assert checks["empty.geojson"].problem == "empty file"
    assert checks["missing.geojson"].problem == "missing"
    assert checks["missing.geojson"].actual is None and checks["missing.geojson"].size is None
    for name, c in checks.items():
        assert c.expected == expected[name]
        assert c.ok == (name == "fine.geojson")


def test_check_file(dataset: Path) -> None:
    registry = read_registry(dataset)
    assert check_file(dataset, "zones.geojson", registry) == dataset / "zones.geojson"
    (dataset / "zones.geojson").write_bytes(b"\x00garbage")
    with pytest.raises(ChecksumMismatchError) as info:
        check_file(dataset, "zones.geojson", registry)
    msg = str(info.value)
    assert "is corrupted or truncated" in msg
    assert sha256_file(dataset / "zones.geojson") in msg and registry["zones.geojson"] in msg
    assert "'eezcheck data verify' checks every file" in msg
    assert info.value.exit_code == 3
    assert isinstance(info.value, BoundaryDataError) and isinstance(info.value, OSError)


def test_check_file_not_registered_or_missing(dataset: Path) -> None:
    registry = read_registry(dataset)
    with pytest.raises(DataIntegrityError, match="is not in the checksum registry"):
        check_file(dataset, "other.geojson", registry)
    (dataset / "zones.geojson").unlink()
    with pytest.raises(DataIntegrityError, match="is missing"):
        check_file(dataset, "zones.geojson", registry)


# --------------------------------------------------------------------------- resolution order


def _cached_set(cache: Path, name: str = "marineregions-v12") -> Path:
    return S.make_user_dataset(cache / name, dataset=f"cached {name}")


def test_resolve_embedded_by_default(env: Path) -> None:
    src = resolve_source()
    assert src.kind == "embedded"
    assert src.path == str(data.package_data_dir())
    assert "embedded default" in src.reason


def test_resolve_order(env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cached = _cached_set(env)
    assert resolve_source().to_dict() == {
        "path": str(cached),
        "kind": "cache",
        "reason": f"downloaded set in the user cache {env}",
    }
    # EEZCHECK_USE_CACHE=0 skips the cache
    monkeypatch.setenv("EEZCHECK_USE_CACHE", "0")
    assert resolve_source().kind == "embedded"
    monkeypatch.delenv("EEZCHECK_USE_CACHE")
    # the environment variable beats the cache
    env_set = S.make_user_dataset(tmp_path / "env-set")
    monkeypatch.setenv("EEZCHECK_DATA", str(env_set))
    src = resolve_source()
    assert (src.path, src.kind, src.reason) == (str(env_set), "directory", "environment variable EEZCHECK_DATA")
    single = tmp_path / "zones.geojson"
    S.write_json(single, S.user_collection())
    monkeypatch.setenv("EEZCHECK_DATA", str(single))
    assert resolve_source().kind == "file"
    # the option beats everything
    opt = S.make_user_dataset(tmp_path / "opt-set")
    src = resolve_source(opt)
    assert (src.path, src.kind, src.reason) == (str(opt), "directory", "given with --boundaries")
    assert resolve_source(str(single)).kind == "file"


def test_resolve_newest_cached_set_and_skips_partial(env: Path) -> None:
    _cached_set(env, "a-set")
    b = _cached_set(env, "b-set")
    partial = env / ".b-set.partial-x"
    partial.mkdir()
    (partial / "manifest.json").write_text("{}")
    (env / "not-a-set").mkdir()
    assert data.cached_sets() == [env / "a-set", b]
    assert resolve_source().path == str(b)


# --------------------------------------------------------------------------- loading


def test_load_dataset_dir(dataset: Path) -> None:
    b = load_dataset_dir(dataset)
    assert isinstance(b, Boundaries)
    assert b.provenance.dataset == "Synthetic square island"
    assert b.provenance.version == "test-1"
    assert b.provenance.method == "nested squares drawn by hand"
    assert b.provenance.sha256 == sha256_file(dataset / "zones.geojson")
    assert b.manifest is not None
    assert b.manifest["validation"] == S.MANIFEST_EXTRA["validation"]
    assert "files" not in b.manifest
    assert b.directory == str(dataset)
    assert b.coverage.bounds == S.COVERAGE
    assert sorted(b.layers) == [
        "foreign_eez", "japan_contiguous_zone", "japan_eez", "japan_land", "japan_territorial_sea",
        "overlapping_claims",
    ]
    assert b.layers["overlapping_claims"].zone_type is ZoneType.OVERLAPPING_CLAIM
    clf = Classifier(b)
    got = clf.classify([p[0] for p in S.KNOWN_POINTS], [p[1] for p in S.KNOWN_POINTS])
    assert got.zones() == [p[2] for p in S.KNOWN_POINTS]
    assert got.japan() == [p[3] for p in S.KNOWN_POINTS]


def test_manifest_coverage_box(tmp_path: Path) -> None:
    d = S.make_user_dataset(tmp_path / "s", coverage=[136, 26, 151, 35])
    assert load_dataset_dir(d).coverage.bounds == (136, 26, 151, 35)


def test_load_dataset_dir_checks_hashes(dataset: Path) -> None:
    with open(dataset / "zones.geojson", "ab") as fh:
        fh.write(b" ")
    with pytest.raises(ChecksumMismatchError):
        load_dataset_dir(dataset)
    assert len(load_dataset_dir(dataset, verify=False).areas) == 6


def test_load_dataset_dir_broken_manifest(dataset: Path, tmp_path: Path) -> None:
    (dataset / "manifest.json").write_text("{not json")
    with pytest.raises(DataIntegrityError, match="is not valid JSON"):
        read_manifest(dataset)
    empty = tmp_path / "empty-dir"
    empty.mkdir()
    with pytest.raises(BoundaryDataError, match="has no readable manifest.json"):
        load_dataset_dir(empty)
    S.write_json(dataset / "manifest.json", {"kind": "eezcheck", "files": {}})
    write_registry(dataset, ["zones.geojson"])
    with pytest.raises(BoundaryDataError, match="manifest names no 'zones' file"):
        load_dataset_dir(dataset)
    S.write_json(dataset / "manifest.json", {"kind": "marineregions", "files": {}})
    write_registry(dataset, ["zones.geojson"])
    with pytest.raises(BoundaryDataError, match="manifest names no 'eez' file"):
        load_dataset_dir(dataset)


def test_load_active_shares_one_unchanged_set(dataset: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same (cached) data whatever makes it active; resolve_source says why, and the shared
    object cannot be changed by one caller for the others."""
    import dataclasses

    b = load_active(dataset)
    assert resolve_source(dataset).reason == "given with --boundaries"
    monkeypatch.setenv("EEZCHECK_DATA", str(dataset))
    assert load_active() is b
    assert resolve_source().reason == "environment variable EEZCHECK_DATA"
    with pytest.raises(dataclasses.FrozenInstanceError):
        b.directory = "elsewhere"  # type: ignore[misc]


def test_load_active_missing(tmp_path: Path) -> None:
    with pytest.raises(BoundaryDataError, match=r"given with --boundaries\) does not exist"):
        load_active(tmp_path / "nope")


def test_errors_derive_from_root_and_builtin() -> None:
    for cls in (BoundaryDataError, ChecksumMismatchError, DataIntegrityError):
        assert issubclass(cls, EezcheckError) and issubclass(cls, OSError)
    assert ChecksumMismatchError.exit_code == DataIntegrityError.exit_code == 3


def test_embedded_registry_matches_files() -> None:
    """The shipped data set (when built) is intact: every registry entry matches its file."""
    d = data.package_data_dir()
    if not (d / "registry.txt").exists():
        pytest.skip("the embedded data set is not built yet (no data/registry.txt)")
    bad = [c.to_dict() for c in verify_dir(d) if not c.ok]
    assert bad == []
    manifest = read_manifest(d)
    assert set(manifest.get("files", {}).values()) <= set(read_registry(d))
