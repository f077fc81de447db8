"""Where boundary data lives, which set is active, and whether its files are intact.

This module knows files, not zones: paths (package data, user cache and state folders),
manifests, the checksum registry, hashing and verification. Reading the files into
:class:`~eezcheck.boundaries.Boundaries` is :mod:`eezcheck.boundary_readers`' job
(``load_active``, ``load_dataset_dir``).

A *data set* is a directory holding ``manifest.json`` (what it is: dataset, version, source,
licence, claims policy, the files of each layer), ``registry.txt`` (pooch's format:
``name sha256:<hex>``, one line per file) and the files. The package ships one in its ``data/``
folder (the embedded default); ``eezcheck data download`` writes another into the user cache.

The active set is resolved in this order (pyproj's data-dir order):

1. the ``--boundaries`` option (a data-set directory or a single boundary file);
2. the environment variable ``EEZCHECK_DATA`` (same);
3. the user cache (``platformdirs.user_cache_dir("eezcheck")``), if a downloaded set is there
   and ``EEZCHECK_USE_CACHE`` is not ``0``;
4. the embedded default.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eezcheck.errors import BoundaryDataError, ChecksumMismatchError, DataIntegrityError

ENV_VAR = "EEZCHECK_DATA"
MANIFEST = "manifest.json"
REGISTRY = "registry.txt"


def package_data_dir() -> Path:
    """The ``data/`` folder shipped with the package (inside the wheel, or the source tree)."""
    here = Path(__file__).resolve().parent
    inside = here / "data"
    if (inside / MANIFEST).exists() or (inside / REGISTRY).exists():
        return inside
    return here.parent / "data"


def user_cache_dir() -> Path:
    """Per-user cache for downloaded data sets."""
    import platformdirs

    return Path(os.environ.get("EEZCHECK_CACHE_DIR") or platformdirs.user_cache_dir("eezcheck"))


def cached_sets() -> list[Path]:
    """Data-set directories in the user cache (each has a manifest)."""
    root = user_cache_dir()
    if not root.is_dir():
        return []
    # names starting with "." are downloads in progress (or left by a crash): never a set
    return sorted(p.parent for p in root.glob(f"*/{MANIFEST}") if not p.parent.name.startswith("."))


# --------------------------------------------------------------------------- registry


_HASHES: dict[tuple[str, int, int], str] = {}


def sha256_file(path: str | os.PathLike[str], *, fresh: bool = False) -> str:
    """Hex sha256 of a file.

    Hashes are remembered per (path, size, modification time), in the process and in the user
    state folder (``hashes.json``), so that every ``eezcheck check`` does not re-read 25 MB of zones;
    any change of the file changes its size or time and is hashed again. ``fresh=True``
    (``eezcheck data verify``) always re-reads the file.
    """
    p = Path(path).resolve()
    st = p.stat()
    key = (str(p), st.st_size, st.st_mtime_ns)
    if not fresh:
        if key in _HASHES:
            return _HASHES[key]
        stamp = _stamp_file()
        try:
            saved = json.loads(stamp.read_text(encoding="utf-8")).get(str(p))
        except (OSError, ValueError, AttributeError):
            saved = None
        if saved and saved[0] == st.st_size and saved[1] == st.st_mtime_ns:
            _HASHES[key] = str(saved[2])
            return _HASHES[key]
    h = hashlib.sha256()
    with open(p, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    digest = h.hexdigest()
    _HASHES[key] = digest
    if st.st_size > (1 << 20):
        _remember(str(p), st.st_size, st.st_mtime_ns, digest)
    return digest


def user_state_dir() -> Path:
    """Per-user state folder (``$EEZCHECK_STATE_DIR``, else the platform's): remembered hashes
    and the classifiers' grid caches. Not the data cache, whose folders are data sets."""
    import platformdirs

    return Path(os.environ.get("EEZCHECK_STATE_DIR") or platformdirs.user_state_dir("eezcheck"))


def _stamp_file() -> Path:
    """Where hashes are remembered."""
    return user_state_dir() / "hashes.json"


def _remember(path: str, size: int, mtime_ns: int, digest: str) -> None:
    """Record a large file's hash in the user cache (best effort, atomic)."""
    stamp = _stamp_file()
    try:
        try:
            known = json.loads(stamp.read_text(encoding="utf-8"))
            if not isinstance(known, dict):
                known = {}
        except (OSError, ValueError):
            known = {}
        known[path] = [size, mtime_ns, digest]
        stamp.parent.mkdir(parents=True, exist_ok=True)
        tmp = stamp.with_name(f".hashes.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(known, sort_keys=True), encoding="utf-8")
        os.replace(tmp, stamp)
    except OSError:
        pass


def read_registry(directory: str | os.PathLike[str]) -> dict[str, str]:
    """``{file name: sha256 hex}`` from a directory's registry.txt."""
    path = Path(directory) / REGISTRY
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataIntegrityError(
            f"Checksum registry {str(path)!r} cannot be read ({exc.strerror}). Reinstall eezcheck or "
            "run 'eezcheck data download' again."
        ) from exc
    out: dict[str, str] = {}
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 2 or not parts[1].startswith("sha256:") or len(parts[1]) != 71:
            raise DataIntegrityError(f"Checksum registry {str(path)!r}, line {n}: cannot read {line!r}.")
        out[parts[0]] = parts[1][7:]
    return out


def write_registry(directory: str | os.PathLike[str], names: list[str]) -> Path:
    """Write registry.txt for the named files of a directory (sorted, deterministic)."""
    d = Path(directory)
    lines = [f"{name} sha256:{sha256_file(d / name, fresh=True)}" for name in sorted(names)]
    path = d / REGISTRY
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@dataclass(frozen=True)
class FileCheck:
    """Result of re-hashing one file."""

    name: str
    path: str
    expected: str
    actual: str | None
    size: int | None
    ok: bool
    problem: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def verify_dir(directory: str | os.PathLike[str]) -> list[FileCheck]:
    """Re-hash every file of a data set against its registry (no exception)."""
    d = Path(directory)
    checks = []
    for name, expected in sorted(read_registry(d).items()):
        path = d / name
        if not path.exists():
            checks.append(FileCheck(name, str(path), expected, None, None, False, "missing"))
            continue
        actual = sha256_file(path, fresh=True)
        size = path.stat().st_size
        ok = actual == expected
        problem = "" if ok else ("empty file" if size == 0 else "sha256 mismatch (corrupted or truncated)")
        checks.append(FileCheck(name, str(path), expected, actual, size, ok, problem))
    return checks


def check_file(directory: Path, name: str, registry: dict[str, str]) -> Path:
    """Raise a data-integrity error unless ``name`` matches the registry."""
    path = directory / name
    if name not in registry:
        raise DataIntegrityError(f"{str(path)!r} is not in the checksum registry {str(directory / REGISTRY)!r}.")
    if not path.exists():
        raise DataIntegrityError(f"Data file {str(path)!r} is missing. Reinstall eezcheck or download the data again.")
    actual = sha256_file(path)
    if actual != registry[name]:
        raise ChecksumMismatchError(
            f"Data file {str(path)!r} is corrupted or truncated: sha256 {actual} does not match the "
            f"registry's {registry[name]}. Reinstall eezcheck (pip install --force-reinstall eezcheck) "
            "or run 'eezcheck data download' again; 'eezcheck data verify' checks every file."
        )
    return path


# --------------------------------------------------------------------------- manifests and sets


def read_manifest(directory: str | os.PathLike[str]) -> dict[str, Any]:
    path = Path(directory) / MANIFEST
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BoundaryDataError(f"Data set {str(directory)!r} has no readable {MANIFEST} ({exc.strerror}).") from exc
    except ValueError as exc:
        raise DataIntegrityError(f"{str(path)!r} is not valid JSON ({exc}); the data set is damaged.") from exc
    return manifest


@dataclass(frozen=True)
class ActiveSource:
    """Which data is active, and why."""

    path: str
    kind: str  # "embedded", "cache", "file", "directory"
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "kind": self.kind, "reason": self.reason}


def _regular_or_dir(p: Path, where: str) -> None:
    """A FIFO or device as boundary data would hang (it is hashed, then read): refused."""
    if p.exists() and not (p.is_file() or p.is_dir()):
        raise BoundaryDataError(
            f"boundary data {str(p)!r} ({where}) is not a regular file or folder (a FIFO or a "
            "device): boundary data is hashed and then read, so save it to a file first"
        )


def resolve_source(option: str | os.PathLike[str] | None = None) -> ActiveSource:
    """Resolve the active data: option > $EEZCHECK_DATA > user cache > embedded."""
    if option:
        p = Path(option)
        _regular_or_dir(p, "--boundaries")
        return ActiveSource(str(p), "directory" if p.is_dir() else "file", "given with --boundaries")
    env = os.environ.get(ENV_VAR)
    if env:
        p = Path(env)
        _regular_or_dir(p, f"${ENV_VAR}")
        return ActiveSource(str(p), "directory" if p.is_dir() else "file", f"environment variable {ENV_VAR}")
    if os.environ.get("EEZCHECK_USE_CACHE", "1") != "0":
        sets = cached_sets()
        if sets:
            return ActiveSource(str(sets[-1]), "cache", f"downloaded set in the user cache {user_cache_dir()}")
    return ActiveSource(str(package_data_dir()), "embedded", "embedded default (no option, no $EEZCHECK_DATA, nothing in the user cache)")


def validation_summary(d: Path) -> dict[str, Any]:
    """The validation figures against Marine Regions (``validation.json``), if the set has them."""
    path = d / "validation.json"
    if not path.exists():
        return {}
    try:
        v = json.loads(path.read_text(encoding="utf-8"))
        return {
            "validation": {
                "reference": f"{v['reference']['dataset']} {v['reference']['version']}",
                "zone_agreement_pct": v["points"]["agreement_pct"],
                "points_compared": v["points"]["compared"],
                "hausdorff_max_km": v["hausdorff_km"]["max"],
                "hausdorff_median_km": v["hausdorff_km"]["median_ours_to_mr"],
                **(
                    {"hausdorff_max_outside_mercator_stretches_km": v["hausdorff_km"]["max_outside_mercator_stretches"]}
                    if "max_outside_mercator_stretches" in v["hausdorff_km"] else {}
                ),
                "area_difference_pct": v["area_km2"]["difference_pct"],
                "area_difference_without_joint_regime_pct": v["area_km2"]["difference_without_joint_regime_pct"],
            }
        }
    except (OSError, ValueError, KeyError, TypeError):
        return {}
