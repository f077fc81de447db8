"""A small, deterministic binary container for the embedded zones (fast to load).

Layout: the magic ``b"EEZCHECK-WKB-1\\n"``, an 8-byte little-endian header length, a UTF-8
JSON header, then the payload. The header lists features (properties + byte range of their
WKB), extra named geometries (WKB) and named numpy arrays (dtype, shape, byte range). Nothing
in it depends on time or machine, so the build writes byte-identical files; reading needs no
GDAL, just numpy and shapely.

:func:`open_store` reads the file once and decodes nothing: each geometry is a
:class:`StoredGeometry`, decoded on first use, and the arrays are views of the bytes read. A
test of a few points needs only the polygons around them: :meth:`StoredGeometry.parts_near`
decodes only the parts (of a multipolygon) whose bounds hold a point, from the
:class:`PartIndex` of the file (the byte range and bounds of every part, computed once per
file and kept in the user state folder, keyed by the file's sha256).
"""

from __future__ import annotations

import json
import logging
import os
import struct
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from eezcheck.errors import DataIntegrityError

log = logging.getLogger(__name__)

MAGIC = b"EEZCHECK-WKB-1\n"

PARTS_FORMAT = "parts-1"
"""Version of the saved part index; change it when :class:`PartIndex` changes."""


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
    """Read a container written by :func:`write_store`, every geometry decoded."""
    st = open_store(path)
    return Store(
        [(props, g.geometry) for props, g in st.features],
        {k: g.geometry for k, g in st.geometries.items()},
        dict(st.arrays),
        st.meta,
    )


class StoredGeometry:
    """One WKB geometry of an opened container, decoded on first use (once, thread-safe)."""

    def __init__(self, store: OpenStore, record: int, start: int, length: int) -> None:
        self._store = store
        self._record = record
        self._start = start
        self._length = length
        self._geometry: BaseGeometry | None = None

    @property
    def geometry(self) -> BaseGeometry:
        if self._geometry is None:
            with self._store.lock:
                if self._geometry is None:
                    self._geometry = shapely.from_wkb(self._store.wkb(self._start, self._length))
        return self._geometry

    @property
    def decoded(self) -> bool:
        """Whether the whole geometry was decoded."""
        return self._geometry is not None

    @property
    def span(self) -> tuple[int, int]:
        """Start (in the payload) and length of its WKB."""
        return self._start, self._length

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """Bounds (min lon, min lat, max lon, max lat), from the part index (no decoding)."""
        b = self._store.parts.record_bounds[self._record]
        if np.isnan(b[0]):
            return self.geometry.bounds  # type: ignore[no-any-return]
        return (float(b[0]), float(b[1]), float(b[2]), float(b[3]))

    def parts_near(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> list[tuple[BaseGeometry, NDArray[np.intp]]]:
        """The polygons of this geometry (its parts, for a multipolygon) whose bounds hold at
        least one of the points, each with those points (indices): a point is in the geometry
        iff it is in one of them (the parts of a valid multipolygon meet at most at points,
        which are on its boundary and on theirs). Only those parts are decoded."""
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        every = np.arange(x.size)
        if self._geometry is not None and shapely.get_num_geometries(self._geometry) <= 1:
            return [(self._geometry, every)]
        index = self._store.parts
        rows = index.rows(self._record)
        if rows.stop - rows.start == 0 or not x.size:
            return [(self.geometry, every)]
        bx0, by0, bx1, by1 = (index.bounds[j, rows] for j in range(4))
        near = np.flatnonzero((bx0 <= x.max()) & (x.min() <= bx1) & (by0 <= y.max()) & (y.min() <= by1))
        if near.size > _MAX_PARTS_NEAR:
            # points spread over many parts (a reach path, a long track): one decoded polygon
            # answers them faster than a loop over its parts (the same answer either way)
            return [(self.geometry, every)]
        out = []
        for k in near.tolist():
            at = np.flatnonzero((bx0[k] <= x) & (x <= bx1[k]) & (by0[k] <= y) & (y <= by1[k]))
            if at.size:
                out.append((self._store.part(rows.start + k), at))
        return out


_MAX_PARTS_NEAR = 256
"""Above this many parts whose bounds meet the points' bounds, :meth:`StoredGeometry.parts_near`
gives the whole geometry (decoded once) rather than its parts one by one."""


class PartIndex:
    """Where each polygon of each geometry of a container lies in the file, and its bounds.

    ``first[r]:first[r + 1]`` are the rows of record ``r`` (its features, then its named
    geometries, in the header's order); per row: the start and length of the part's WKB in
    the file (a polygon of a multipolygon's WKB is a whole polygon WKB) and its bounds. A
    polygon record has one row (itself); a record of another type none (it is decoded whole).
    Saved as one float64 array (:meth:`to_array`), read back memory-mapped: a check touches
    only the rows of the records around its point.
    """

    def __init__(self, first: NDArray[np.int64], rows: NDArray[np.float64], record_bounds: NDArray[np.float64]) -> None:
        self.first = first
        self.start, self.length = rows[0], rows[1]
        self.bounds = rows[2:6]
        self.record_bounds = record_bounds

    def rows(self, record: int) -> slice:
        return slice(int(self.first[record]), int(self.first[record + 1]))

    def to_array(self) -> NDArray[np.float64]:
        """``[:, :R + 1]``: ``first``, then (rows 1-4) each record's bounds; ``[:, R + 1:]``:
        start, length and bounds of every part."""
        r = len(self.first) - 1
        head = np.zeros((6, r + 1))
        head[0] = self.first
        head[1:5, :r] = self.record_bounds.T
        body = np.vstack([self.start, self.length, self.bounds])
        return np.hstack([head, body])

    @classmethod
    def from_array(cls, a: NDArray[np.float64], n_records: int) -> PartIndex | None:
        """The index saved by :meth:`to_array` (None unless it has the expected shape)."""
        if a.ndim != 2 or a.shape[0] != 6 or a.dtype != np.float64 or a.shape[1] < n_records + 1:
            return None
        first = np.asarray(a[0, : n_records + 1], dtype=np.int64)
        n = a.shape[1] - n_records - 1
        if first[0] != 0 or first[-1] != n or np.any(np.diff(first) < 0):
            return None
        return cls(first, a[:, n_records + 1 :], np.asarray(a[1:5, :n_records]).T)

    @classmethod
    def build(cls, records: list[StoredGeometry], content: bytes, base: int) -> PartIndex:
        """Decode every record once and number its parts (vectorised: a part's WKB length is
        9 bytes plus, per ring, 4 and 8 per ordinate)."""
        starts: list[NDArray[np.int64]] = []
        lengths: list[NDArray[np.int64]] = []
        bounds: list[NDArray[np.float64]] = []
        first = [0]
        for r in records:
            g = r.geometry
            start, length = r.span
            kind = shapely.get_type_id(g)
            if kind == 3:  # Polygon
                s = np.array([base + start], dtype=np.int64)
                ln = np.array([length], dtype=np.int64)
                parts = np.array([g], dtype=object)
            elif kind == 6:  # MultiPolygon
                parts = shapely.get_parts(g)
                rings, which = shapely.get_rings(parts, return_index=True)
                dim = 3 if shapely.has_z(g) else 2
                ring_len = 4 + 8 * dim * shapely.get_num_coordinates(rings).astype(np.int64)
                ln = 9 + np.bincount(which, weights=ring_len, minlength=len(parts)).astype(np.int64)
                s = base + start + 9 + np.concatenate([[0], np.cumsum(ln)[:-1]]).astype(np.int64)
                if 9 + int(ln.sum()) != length:  # not the expected framing: decoded whole
                    s = ln = np.zeros(0, dtype=np.int64)
                    parts = np.zeros(0, dtype=object)
            else:
                s = ln = np.zeros(0, dtype=np.int64)
                parts = np.zeros(0, dtype=object)
            starts.append(s)
            lengths.append(ln)
            bounds.append(shapely.bounds(parts).T.reshape(4, -1) if len(parts) else np.zeros((4, 0)))
            first.append(first[-1] + len(s))
        rows = np.vstack([np.concatenate(starts), np.concatenate(lengths), np.concatenate(bounds, axis=1)]).astype(float)
        index = cls.of(np.array(first, dtype=np.int64), rows)
        if not all(index.framing_ok(content, k) for k in range(len(index.start))):
            log.info("the zones' polygons are not framed as expected: every test decodes the whole geometry")
            return cls.of(np.zeros(len(records) + 1, dtype=np.int64), np.zeros((6, 0)))
        return index

    @classmethod
    def of(cls, first: NDArray[np.int64], rows: NDArray[np.float64]) -> PartIndex:
        """An index of ``first`` and ``rows``, with each record's bounds computed from its rows."""
        n = len(first) - 1
        out = np.full((n, 4), np.nan)
        has = np.flatnonzero(first[1:] > first[:-1])
        if has.size:
            at = first[has]
            for j, reduce in enumerate((np.minimum, np.minimum, np.maximum, np.maximum)):
                out[has, j] = reduce.reduceat(rows[2 + j], at)
        return cls(first, rows, out)

    def framing_ok(self, content: bytes, row: int) -> bool:
        """Row ``row`` is a little-endian 2D polygon WKB inside the file."""
        s, ln = int(self.start[row]), int(self.length[row])
        return 0 <= s and 9 <= ln and s + ln <= len(content) and content[s : s + 5] == b"\x01\x03\x00\x00\x00"


class OpenStore:
    """A container read once (:func:`open_store`): geometries decoded on demand, arrays as
    views of the bytes read."""

    def __init__(self, content: bytes, path: str, key: str | None) -> None:
        self.path = path
        self.key = key
        self.lock = threading.RLock()
        self._content = content
        data = memoryview(content)
        if not content.startswith(MAGIC) or len(content) < len(MAGIC) + 8:
            raise DataIntegrityError(f"{path!r} is not an eezcheck zones file (bad magic); reinstall or rebuild it.")
        (n,) = struct.unpack("<Q", content[len(MAGIC) : len(MAGIC) + 8])
        start = len(MAGIC) + 8
        try:
            header = json.loads(bytes(data[start : start + n]).decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise DataIntegrityError(f"{path!r} has a damaged header ({exc}); reinstall or rebuild it.") from exc
        self._base = start + n
        body_len = len(content) - self._base

        def rng(r: list[int]) -> tuple[int, int]:
            o, ln = int(r[0]), int(r[1])
            if o < 0 or ln < 0 or o + ln > body_len:
                raise DataIntegrityError(f"{path!r} is truncated; reinstall or rebuild it.")
            return o, ln

        records: list[StoredGeometry] = []

        def record(r: list[int]) -> StoredGeometry:
            g = StoredGeometry(self, len(records), *rng(r))
            records.append(g)
            return g

        self.features = [(f["properties"], record(f["wkb"])) for f in header["features"]]
        self.geometries = {k: record(r) for k, r in header["geometries"].items()}
        self._records = records
        self.arrays: dict[str, np.ndarray] = {}
        for k, spec in header["arrays"].items():
            o, ln = rng(spec["bytes"])
            dtype = np.dtype(spec["dtype"])
            self.arrays[k] = np.frombuffer(content, dtype=dtype, count=ln // dtype.itemsize, offset=self._base + o).reshape(spec["shape"])
        self.meta: dict[str, Any] = header.get("meta", {})
        self._parts: PartIndex | None = None
        self._part_geoms: dict[int, BaseGeometry] = {}

    def wkb(self, start: int, length: int) -> bytes:
        return self._content[self._base + start : self._base + start + length]

    def part(self, row: int) -> BaseGeometry:
        """The polygon of a row of the part index (decoded once)."""
        g = self._part_geoms.get(row)
        if g is None:
            with self.lock:
                index = self.parts
                if not index.framing_ok(self._content, row):
                    # a part index that does not fit the file (damaged): built again, in memory
                    index = self._parts = PartIndex.build(self._records, self._content, self._base)
                    self._part_geoms.clear()
                    if not index.framing_ok(self._content, row):
                        raise DataIntegrityError(f"{self.path!r}: its polygons are not framed as written; reinstall or rebuild it.")
                s, ln = int(index.start[row]), int(index.length[row])
                g = self._part_geoms.setdefault(row, shapely.from_wkb(self._content[s : s + ln]))
        return g

    @property
    def parts(self) -> PartIndex:
        """The part index: read from the state folder, else built (every geometry decoded
        once) and saved there."""
        if self._parts is None:
            with self.lock:
                if self._parts is None:
                    self._parts = self._load_parts()
        return self._parts

    def _parts_path(self) -> Path | None:
        if not self.key:
            return None
        from eezcheck.data import user_state_dir

        return user_state_dir() / "parts" / f"{self.key[:32]}-{PARTS_FORMAT}.npy"

    def _load_parts(self) -> PartIndex:
        path = self._parts_path()
        if path is not None and path.is_file():
            try:
                index = PartIndex.from_array(np.load(path, mmap_mode="r", allow_pickle=False), len(self._records))
                if index is not None and (not len(index.start) or index.framing_ok(self._content, len(index.start) - 1)):
                    return index
            except (OSError, ValueError):
                pass  # a damaged index is built again
        index = PartIndex.build(self._records, self._content, self._base)
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp.npy")
                np.save(tmp, index.to_array(), allow_pickle=False)
                os.replace(tmp, path)
            except OSError as exc:
                log.info("the zones' part index was not saved in %s (%s): each check decodes every polygon", path.parent, exc.strerror or exc)
        return index


def open_store(path: str | os.PathLike[str], *, content: bytes | None = None, key: str | None = None) -> OpenStore:
    """Open a container written by :func:`write_store`: its bytes (``content``, when the caller
    already read and checked them), nothing decoded. ``key`` (the file's sha256) names its
    part index in the user state folder; without it the index is built in memory when needed."""
    if content is None:
        with open(path, "rb") as fh:
            content = fh.read()
    return OpenStore(content, str(path), key)
