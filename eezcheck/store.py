"""A small, deterministic binary container for the embedded zones (fast to load).

Layout: the magic ``b"EEZCHECK-WKB-1\\n"``, an 8-byte little-endian header length, a UTF-8
JSON header, then the payload. The header lists features (properties + byte range of their
WKB), extra named geometries (WKB) and named numpy arrays (dtype, shape, byte range). Nothing
in it depends on time or machine, so the build writes byte-identical files; reading needs no
GDAL, just numpy and shapely (about 0.1 s for the embedded data).
"""

from __future__ import annotations

import json
import os
import struct
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from eezcheck.errors import DataIntegrityError

MAGIC = b"EEZCHECK-WKB-1\n"


@dataclass
class Store:
    features: list[tuple[dict[str, Any], BaseGeometry]]
    geometries: dict[str, BaseGeometry] = field(default_factory=dict)
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)


def write_store(path: str | os.PathLike[str], store: Store) -> None:
    """Write ``store`` to ``path`` (deterministic bytes)."""
    blobs: list[bytes] = []
    offset = 0

    def add(b: bytes) -> list[int]:
        nonlocal offset
        blobs.append(b)
        rng = [offset, len(b)]
        offset += len(b)
        return rng

    feats = [{"properties": props, "wkb": add(shapely.to_wkb(g, byte_order=1))} for props, g in store.features]
    geoms = {k: add(shapely.to_wkb(g, byte_order=1)) for k, g in sorted(store.geometries.items())}
    arrays = {}
    for k, a in sorted(store.arrays.items()):
        a = np.ascontiguousarray(a)
        arrays[k] = {"dtype": a.dtype.str, "shape": list(a.shape), "bytes": add(a.tobytes())}
    header = json.dumps(
        {"features": feats, "geometries": geoms, "arrays": arrays, "meta": store.meta},
        sort_keys=True, separators=(",", ":"), ensure_ascii=False,
    ).encode("utf-8")
    with open(path, "wb") as fh:
        fh.write(MAGIC)
        fh.write(struct.pack("<Q", len(header)))
        fh.write(header)
        for b in blobs:
            fh.write(b)


def read_store(path: str | os.PathLike[str]) -> Store:
    """Read a container written by :func:`write_store`."""
    with open(path, "rb") as fh:
        data = fh.read()
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 8:
        raise DataIntegrityError(f"{str(path)!r} is not an eezcheck zones file (bad magic); reinstall or rebuild it.")
    (n,) = struct.unpack("<Q", data[len(MAGIC) : len(MAGIC) + 8])
    start = len(MAGIC) + 8
    try:
        header = json.loads(data[start : start + n].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise DataIntegrityError(f"{str(path)!r} has a damaged header ({exc}); reinstall or rebuild it.") from exc
    body = memoryview(data)[start + n :]

    def blob(rng: list[int]) -> bytes:
        o, ln = rng
        if o + ln > len(body):
            raise DataIntegrityError(f"{str(path)!r} is truncated; reinstall or rebuild it.")
        return bytes(body[o : o + ln])

    wkbs = [blob(f["wkb"]) for f in header["features"]]
    geoms = shapely.from_wkb(wkbs) if wkbs else []
    features = [(f["properties"], g) for f, g in zip(header["features"], geoms)]
    extra = {k: shapely.from_wkb(blob(r)) for k, r in header["geometries"].items()}
    arrays = {}
    for k, spec in header["arrays"].items():
        raw = blob(spec["bytes"])
        arrays[k] = np.frombuffer(raw, dtype=np.dtype(spec["dtype"])).reshape(spec["shape"])
    return Store(features, extra, arrays, header.get("meta", {}))
