"""Regions as references: "about 350 km west of the Korean Peninsula", "about 600 km east of the
Philippines", "about 3,200 km east of Japan", "日本海に落下".

A region is too large to be a point. "D km B of R" means: D km from R, in direction B from it.
Its **point set** is every point reached from a vertex of R's outline by going D km (the
distance, and the two ends of its rounding step) along B (and the two edges of its compass
sector), geodesically (pyproj), keeping only the points whose nearest point of the outline is
at least 0.9 D away (a point 350 km "west" of the peninsula's east coast, still over the
peninsula, is not 350 km west of the peninsula). A region named alone ("in the Sea of Japan",
"日本海に落下") is the region itself: its outline and a 0.25° grid of its inside. The verdict is
definite when every point of the set is on one side of the limit, ``uncertain`` otherwise
(:func:`eezcheck.uncertainty.p_inside_wording`; P is the fraction inside, the answer says
which).

Outlines (``regions.csv`` beside this module, a source per row) come from the embedded data
whatever boundaries are loaded: the land of one or more states (``land:PRK+KOR``), its polygons
of at least ``min_km2`` inside an optional box (the Korean Peninsula is the mainland polygon of
North and South Korea; Japan its islands of at least 1,000 km2), or for a sea a curated
polygon (``polygon:``) drawn coarsely along the IHO limits. Coordinates are ``lon, lat``.

>>> resolve_region("the Korean Peninsula").key
'korean-peninsula'
>>> resolve_region("日本海").name_en
'the Sea of Japan'
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import NDArray

from eezcheck.errors import DataIntegrityError
from eezcheck.geodesy import GEOD, KM, normalize_lon, to_ecef

__all__ = ["Region", "nominal_point", "region_by_key", "region_points", "regions", "resolve_region"]

_KEEP = 0.9
"""A point of the set is at least this fraction of the distance from every outline vertex."""
_VERTEX_KM = 25.0
"""Outline vertices are at most this far apart (after simplification)."""
_GRID_DEG = 0.25


@dataclass(frozen=True)
class Region:
    """A country, peninsula or sea used as a reference ("west of the Korean Peninsula").

    It quacks like :class:`eezcheck.places.Place` where a wording needs one (``key``, names,
    ``lon, lat``: a label point, ``extent_km`` 0, ``kind``); ``outline`` says where its shape
    comes from, ``source`` who says so.
    """

    key: str
    kind: str
    name_en: str
    name_ja: str
    lon: float
    lat: float
    outline: str
    source: str
    aliases: tuple[str, ...] = ()
    extent_km: float = 0.0
    disputed: str = ""

    @property
    def is_region(self) -> bool:
        return True

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "kind": self.kind, "name_en": self.name_en,
                "name_ja": self.name_ja, "outline": self.outline, "source": self.source}  # fmt: skip


@functools.lru_cache(maxsize=1)
def regions() -> tuple[Region, ...]:
    """Every row of ``regions.csv`` (cached)."""
    text = resources.files("eezcheck.wording").joinpath("regions.csv").read_text("utf-8")
    out = []
    for row in csv.DictReader(text.splitlines()):
        if None in row or None in row.values():  # an unquoted comma shifts every later field
            raise DataIntegrityError(
                f"regions.csv: row {row.get('key')!r} does not have the header's fields (quote a "
                "field that holds a comma)"
            )
        try:
            lon, lat = float(row["lon"]), float(row["lat"])
        except (KeyError, ValueError) as exc:
            raise DataIntegrityError(f"regions.csv: row {row.get('key')!r} has no label point") from exc
        out.append(
            Region(
                key=row["key"], kind=row["kind"], name_en=row["name_en"], name_ja=row["name_ja"],
                lon=lon, lat=lat, outline=row["outline"], source=row["source"],
                aliases=tuple(a.strip() for a in row.get("aliases", "").split("|") if a.strip()),
            )  # fmt: skip
        )
    return tuple(out)


def _key(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).casefold().strip()
    s = re.sub(r"^(?:the|in\s+the|into\s+the|in|into)\s+", "", s)
    return re.sub(r"[\W_]+", "", s)


@functools.lru_cache(maxsize=1)
def _names() -> dict[str, Region]:
    out: dict[str, Region] = {}
    for r in regions():
        for name in (r.key, r.name_en, r.name_ja, *r.aliases):
            out.setdefault(_key(name), r)
    return out


def region_by_key(key: str) -> Region:
    """The region with this ``key`` (``KeyError`` if none)."""
    for r in regions():
        if r.key == key:
            return r
    raise KeyError(key)


@functools.lru_cache(maxsize=4096)
def resolve_region(name: str) -> Region | None:
    """The region a name means ("the Korean Peninsula", "朝鮮半島", "Japan", "the Philippines",
    "日本海", "East China Sea"), or None."""
    return _names().get(_key(name))


@functools.lru_cache(maxsize=8)
def _outline(key: str) -> tuple[NDArray[np.float64], NDArray[np.float64], Any]:
    """Outline vertices (lon, lat; at most ~25 km apart) and the region's geometry."""
    import shapely
    from shapely.geometry import Polygon

    region = next(r for r in regions() if r.key == key)
    kind, _, spec = region.outline.partition(":")
    if kind == "polygon":
        pts = [tuple(float(v) for v in p.split()) for p in spec.split(",")]
        geom: Any = Polygon(pts)
    elif kind == "land":
        geom = _land(spec)
    else:
        raise DataIntegrityError(f"regions.csv: row {key!r} has an unknown outline {region.outline!r}")
    geom = shapely.simplify(geom, 0.02)
    geom = shapely.segmentize(geom, _VERTEX_KM / 111.0)
    rings = shapely.get_exterior_ring(shapely.get_parts(geom))
    xy = np.concatenate([shapely.get_coordinates(r) for r in rings])
    return xy[:, 0].copy(), xy[:, 1].copy(), geom


def _land(spec: str) -> Any:
    """``PRK+KOR;min_km2=5000;bbox=124,33,131,43.1``: the states' land polygons, filtered."""
    import shapely
    from shapely.geometry import box

    from eezcheck.boundaries import ZoneType
    from eezcheck.boundary_readers import load_active
    from eezcheck.data import package_data_dir

    parts = spec.split(";")
    states = set(parts[0].split("+"))
    opts = dict(p.split("=", 1) for p in parts[1:])
    b = load_active(package_data_dir())
    geoms = [
        a.geometry for a in b.areas if a.zone_type is ZoneType.LAND and tuple(a.states) in {(s,) for s in states}
    ]
    # a state's land is one valid multipolygon whose parts meet at most at points: its parts are
    # the islands, with no union of its ~68,000 parts (Japan: 8 s CPU); several states' land is
    # dissolved where it touches
    polys = shapely.get_parts(geoms[0] if len(geoms) == 1 else shapely.union_all(geoms))
    if "bbox" in opts:
        clip = box(*(float(v) for v in opts["bbox"].split(",")))
        polys = np.array([p for p in polys if p.intersects(clip)], dtype=object)
    min_km2 = float(opts.get("min_km2", 0))
    if min_km2:
        lat = np.array([p.centroid.y for p in polys])
        km2 = shapely.area(polys) * 111.32**2 * np.cos(np.radians(lat))
        polys = polys[km2 >= min_km2]
    # normalised: the outline's vertices (and so the point set) start where the geometry's
    # canonical form starts, not wherever a union happened to leave them
    return shapely.normalize(shapely.union_all(polys))


def region_points(
    region: Region,
    bearing_deg: float,
    distance_km: float,
    step_km: float,
    bearing_points: int,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The point set of "``distance_km`` on ``bearing_deg`` from ``region``" (see the module
    docstring): arrays ``lon, lat``."""
    return _points(region.key, float(bearing_deg), float(distance_km), float(step_km), int(bearing_points))


@functools.lru_cache(maxsize=64)
def _points(
    key: str, bearing: float, dist: float, step: float, points: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    import shapely

    vx, vy, geom = _outline(key)
    if dist <= 0:  # the region itself: its outline and a grid of its inside
        minx, miny, maxx, maxy = geom.bounds
        mx, my = np.meshgrid(np.arange(minx, maxx, _GRID_DEG), np.arange(miny, maxy, _GRID_DEG))
        gx, gy = mx.ravel(), my.ravel()
        inside = shapely.contains_xy(geom, gx, gy)
        out = (np.concatenate([vx, gx[inside]]), np.concatenate([vy, gy[inside]]))
        for a in out:
            a.setflags(write=False)
        return out
    half = 180.0 / points if points > 1 else 180.0
    dists = np.array([max(dist - step / 2, 0.0), dist, dist + step / 2])
    bearings = np.array([bearing - half, bearing, bearing + half])
    d, b = np.meshgrid(dists, bearings)
    n = vx.size
    lon0, lat0 = np.repeat(vx, d.size), np.repeat(vy, d.size)
    dd, bb = np.tile(d.ravel(), n), np.tile(b.ravel(), n)
    lon, lat, _ = GEOD.fwd(lon0, lat0, bb, dd * KM)
    lon = np.asarray(normalize_lon(lon), dtype=float)
    lat = np.asarray(lat, dtype=float)
    from scipy.spatial import cKDTree

    tree = cKDTree(to_ecef(vx, vy))
    chord, _ = tree.query(to_ecef(lon, lat))
    radius = 6371.0088 * KM
    nearest_km = 2 * radius * np.arcsin(np.clip(np.asarray(chord) / (2 * radius), 0, 1)) / KM
    keep = nearest_km >= _KEEP * dd
    if not keep.any():
        keep[:] = True
    out = (lon[keep], lat[keep])
    for a in out:
        a.setflags(write=False)
    return out


def nominal_point(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> tuple[float, float]:
    """The member of a point set nearest to its centre (the point a verdict headline names)."""
    xyz = to_ecef(lon, lat)
    centre = xyz.mean(axis=0)
    i = int(np.argmin(((xyz - centre) ** 2).sum(axis=1)))
    return float(lon[i]), float(lat[i])
