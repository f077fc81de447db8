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
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eezcheck.errors import (
    BoundaryDataError,
    ChecksumMismatchError,
    DataIntegrityError,
    EezcheckError,
)

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


_Identity = tuple[str, int, int, int, int, int]
_HASHES: dict[_Identity, str] = {}
# files being hashed by a background thread (:func:`hash_in_background`), by path: their
# identity when the thread began, and the event set when it is done; and the content of the
# files whose bytes a loader takes (read once: what was hashed is what is used)
_PENDING: dict[str, tuple[_Identity, threading.Event]] = {}
_CONTENT: dict[_Identity, bytes] = {}
_LOCK = threading.Lock()


def _identity(path: Path) -> _Identity:
    """What a careless copy, an edit or an ``os.utime`` cannot keep: the path, device, inode,
    size and the modification and change times (``ctime`` cannot be set back by a user)."""
    st = path.stat()
    return (str(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _wait_pending(p: Path) -> None:
    """If a background thread is hashing ``p``, wait until it is done."""
    with _LOCK:
        pending = _PENDING.get(str(p))
    if pending is not None:
        pending[1].wait()


def sha256_file(path: str | os.PathLike[str], *, fresh: bool = False) -> str:
    """Hex sha256 of a file.

    Every file is hashed in full on its first use in a process; the hash is then remembered in
    the process, keyed on the file's device, inode, size, modification and change times, so
    that a file replaced, edited, or edited with its modification time restored
    (``os.utime``), is hashed again. ``fresh=True`` (``eezcheck data verify``) always re-reads
    the file. A hash that :func:`hash_in_background` is computing is waited for, not redone.
    """
    p = Path(path).resolve()
    if not fresh:
        _wait_pending(p)
    key = _identity(p)
    if not fresh and key in _HASHES:
        return _HASHES[key]
    h = hashlib.sha256()
    with open(p, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    digest = h.hexdigest()
    if _identity(p) == key:  # not changed while it was read
        _HASHES[key] = digest
    return digest


def hash_in_background(paths: list[Path], keep: tuple[str, ...] = ()) -> None:
    """Start hashing ``paths`` in full in a background thread (hashlib works outside the GIL),
    while the caller goes on importing and decoding: the first use of each file then waits
    for its hash instead of reading it again. The files named in ``keep`` are read into
    memory whole and their bytes kept for :func:`read_checked` (read once: what is hashed is
    what is decoded). Nothing is trusted sooner than before: every use still compares the
    hash with the registry, and a file that changes meanwhile is hashed again."""
    jobs: list[tuple[Path, _Identity, threading.Event]] = []
    with _LOCK:
        for path in paths:
            try:
                p = path.resolve()
                key = _identity(p)
            except OSError:
                continue  # its first use reports it
            if key in _HASHES or str(p) in _PENDING or not p.is_file():
                continue
            event = threading.Event()
            _PENDING[str(p)] = (key, event)
            jobs.append((p, key, event))
    if not jobs:
        return

    def run() -> None:
        for p, key, event in jobs:
            try:
                if p.name in keep:
                    content = p.read_bytes()
                    digest = hashlib.sha256(content).hexdigest()
                else:
                    content, h = b"", hashlib.sha256()
                    with open(p, "rb") as fh:
                        for block in iter(lambda: fh.read(1 << 20), b""):
                            h.update(block)
                    digest = h.hexdigest()
                if _identity(p) == key:
                    _HASHES[key] = digest
                    if content:
                        _CONTENT[key] = content
            except OSError:
                pass  # the file's first use hashes it again and reports the error
            finally:
                with _LOCK:
                    _PENDING.pop(str(p), None)
                event.set()

    threading.Thread(target=run, name="eezcheck-hash", daemon=True).start()


def read_checked(path: Path, expected: str) -> bytes | None:
    """The bytes of ``path`` that :func:`hash_in_background` read and hashed, if their hash is
    ``expected`` and the file is still the one read; else None (read it yourself). The bytes
    are handed over once."""
    p = path.resolve()
    _wait_pending(p)
    try:
        key = _identity(p)
    except OSError:
        return None
    content = _CONTENT.pop(key, None)
    if content is None or _HASHES.get(key) != expected:
        return None
    return content


def hash_active_in_background(option: str | os.PathLike[str] | None = None) -> None:
    """Start hashing the files of the data set a command is about to load (the one
    :func:`resolve_source` gives for ``option``) in a background thread: see
    :func:`hash_in_background`. Never raises: the load itself reports any problem."""
    try:
        src = resolve_source(option)
        p = Path(src.path)
        if p.is_dir():
            names = sorted(read_registry(p))
            hash_in_background([p / n for n in names], keep=tuple(n for n in names if n.endswith(".wkb")))
        elif p.is_file():
            hash_in_background([p])
    except (OSError, EezcheckError):
        return


def user_state_dir() -> Path:
    """Per-user state folder (``$EEZCHECK_STATE_DIR``, else the platform's): the classifiers'
    grid caches. Not the data cache, whose folders are data sets."""
    import platformdirs

    return Path(os.environ.get("EEZCHECK_STATE_DIR") or platformdirs.user_state_dir("eezcheck"))


def read_registry(directory: str | os.PathLike[str]) -> dict[str, str]:
    """``{file name: sha256 hex}`` from a directory's registry.txt."""
    path = Path(directory) / REGISTRY
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataIntegrityError(
            f"Checksum registry {str(path)!r} cannot be read ({exc.strerror or exc}). Reinstall eezcheck or "
            "run 'eezcheck data download' again."
        ) from exc
    except UnicodeDecodeError as exc:
        raise DataIntegrityError(
            f"Checksum registry {str(path)!r} is damaged: byte {exc.start} is not UTF-8 "
            f"({exc.object[exc.start:exc.start + 1]!r}). Reinstall eezcheck or run 'eezcheck data "
            "download' again."
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
    """Write registry.txt for the named files of a directory (sorted, deterministic), and for
    its ``manifest.json`` when it has one (a set's manifest is always registered: it is
    verified on load like the files it names)."""
    d = Path(directory)
    listed = set(names) | ({MANIFEST} if (d / MANIFEST).is_file() else set())
    lines = [f"{name} sha256:{sha256_file(d / name, fresh=True)}" for name in sorted(listed)]
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


_FIX = (
    "Reinstall eezcheck (pip install --force-reinstall eezcheck) or run 'eezcheck data download' "
    "again; 'eezcheck data verify' checks every file."
)


def _registered(directory: Path, name: str, registry: dict[str, str]) -> Path:
    path = directory / name
    if name not in registry:
        raise DataIntegrityError(f"{str(path)!r} is not in the checksum registry {str(directory / REGISTRY)!r}.")
    if not path.exists():
        raise DataIntegrityError(f"Data file {str(path)!r} is missing. Reinstall eezcheck or download the data again.")
    return path


def _mismatch(path: Path, actual: str, expected: str) -> ChecksumMismatchError:
    return ChecksumMismatchError(
        f"Data file {str(path)!r} is corrupted or truncated: sha256 {actual} does not match the "
        f"registry's {expected}. {_FIX}"
    )


def _unreadable(path: Path, exc: OSError) -> DataIntegrityError:
    return DataIntegrityError(f"Data file {str(path)!r} cannot be read ({exc.strerror or exc}). {_FIX}")


def check_file(directory: Path, name: str, registry: dict[str, str]) -> Path:
    """Raise a data-integrity error unless ``name`` matches the registry."""
    path = _registered(directory, name, registry)
    try:
        actual = sha256_file(path)
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    if actual != registry[name]:
        raise _mismatch(path, actual, registry[name])
    return path


def read_verified(directory: str | os.PathLike[str], name: str, registry: dict[str, str] | None = None) -> bytes:
    """The bytes of a registered file, read once and checked against the registry (the
    directory's own when ``registry`` is None): what is checked is what is used."""
    d = Path(directory)
    reg = read_registry(d) if registry is None else registry
    path = _registered(d, name, reg)
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    actual = hashlib.sha256(content).hexdigest()
    if actual != reg[name]:
        raise _mismatch(path, actual, reg[name])
    return content


def check_set(directory: str | os.PathLike[str], registry: dict[str, str]) -> None:
    """Check every file of a data set's registry (on load: a damaged file of the set is an
    error whichever command reads it)."""
    d = Path(directory)
    for name in sorted(registry):
        check_file(d, name, registry)


def package_text(name: str) -> str:
    """A text file of the package's ``data/`` folder (the gazetteers), checked against the
    package's registry on every read."""
    d = package_data_dir()
    content = read_verified(d, name)
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as exc:  # only if the registry itself was made from a bad file
        raise DataIntegrityError(f"Data file {str(d / name)!r} is not UTF-8 (byte {exc.start}). {_FIX}") from exc


# --------------------------------------------------------------------------- manifests and sets


def read_manifest(directory: str | os.PathLike[str], registry: dict[str, str] | None = None) -> dict[str, Any]:
    """A data set's ``manifest.json``; checked against ``registry`` when one is given (every
    load gives it: a manifest pointing its zones at another file is damage, exit 3)."""
    path = Path(directory) / MANIFEST
    try:
        content = read_verified(directory, MANIFEST, registry) if registry is not None else path.read_bytes()
    except OSError as exc:
        if isinstance(exc, BoundaryDataError):
            raise
        raise BoundaryDataError(f"Data set {str(directory)!r} has no readable {MANIFEST} ({exc.strerror}).") from exc
    try:
        manifest = json.loads(content.decode("utf-8"))
    except ValueError as exc:
        raise DataIntegrityError(f"{str(path)!r} is not valid JSON ({exc}); the data set is damaged.") from exc
    if not isinstance(manifest, dict):
        raise DataIntegrityError(f"{str(path)!r} is not a JSON object; the data set is damaged.")
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
