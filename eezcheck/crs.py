"""Coordinate reference systems of the user's files: read, never assumed, transformed to WGS84.

Every verdict is computed on WGS84 longitude/latitude. A file whose coordinates are in another
datum (the Tokyo datum EPSG:4301: about 400 m off near Japan; JGD2000/JGD2011) or projected
(EPSG:3857, UTM) is transformed with pyproj (``always_xy``: x = longitude or easting first)
once its CRS is read; a CRS that cannot be read or transformed is refused with a
:class:`CRSError` naming the file, the CRS found and the fix. What was read, and whether it was
transformed, is :class:`InputCRS`, stated in the answers' provenance.

Where each format keeps its CRS (the readers of :mod:`eezcheck.batch.readers` and
:mod:`eezcheck.boundary_readers` call :func:`read_crs` with what they found):

- GeoParquet: the ``crs`` of the geometry column in the ``geo`` metadata (PROJJSON); absent
  means OGC:CRS84 (GeoParquet 1.0/1.1), ``null`` means unknown (refused);
- GeoJSON: RFC 7946 is WGS84 longitude/latitude; a legacy ``crs`` member (GeoJSON 2008, e.g.
  ``{"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4301"}}``) is honoured;
- GeoPackage, Shapefile (``.prj``) and the other files GDAL reads: the layer's CRS (pyogrio);
  a layer without one is refused;
- CSV and other tables of coordinate columns: ``--crs`` (default EPSG:4326, WGS84).

:func:`split_antimeridian` cuts a polygon drawn across ±180° (170°E to -170°, a jump of more
than 180° between two vertices) into its pieces on either side (the ``antimeridian`` package),
so that it does not cover the other side of the world instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from eezcheck.errors import InvalidInputError
from eezcheck.geodesy import normalize_lon

__all__ = [
    "WGS84",
    "CRSError",
    "InputCRS",
    "crosses_antimeridian",
    "geojson_crs_member",
    "geoparquet_crs",
    "read_crs",
    "split_antimeridian",
]


class CRSError(InvalidInputError):
    """A file's coordinate reference system is unknown, unreadable or cannot be transformed."""


_FIX = (
    "declare it in the file (geopandas: gdf.set_crs('EPSG:4326').to_file(...); GDAL: ogr2ogr "
    "-a_srs EPSG:4326 fixed.gpkg in.gpkg)"
)


@dataclass(frozen=True)
class InputCRS:
    """The CRS of an input's coordinates, where it was read, and how it becomes WGS84.

    ``definition`` is the CRS (WKT2 text, so that the object pickles for Dask workers); ``code`` its
    authority code (``EPSG:4301``) or, without one, its name; ``read_from`` where it was found
    ("the GeoParquet metadata", "--crs", ...).
    """

    code: str
    name: str
    read_from: str
    definition: str
    wgs84: bool

    @property
    def transformed(self) -> bool:
        return not self.wgs84

    def describe(self) -> str:
        """One line for people: ``EPSG:4301 (Tokyo) from the GeoParquet metadata, transformed
        to WGS84 with pyproj``."""
        head = f"{self.code} ({self.name}) from {self.read_from}"
        if self.wgs84:
            return f"{head}: WGS84 longitude/latitude, used as read"
        return f"{head}, transformed to WGS84 with pyproj {_pyproj_version()}"

    def to_dict(self) -> dict[str, Any]:
        """The ``crs`` object of a summary or an answer's provenance."""
        return {
            "code": self.code,
            "name": self.name,
            "read_from": self.read_from,
            "transformed_to_wgs84": self.transformed,
            "method": f"pyproj {_pyproj_version()} (PROJ {_proj_version()}), always_xy"
            if self.transformed
            else None,
            "description": self.describe(),
        }

    def to_wgs84(self, x: ArrayLike, y: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """(lon, lat) on WGS84 of x/y (or lon/lat) in this CRS; NaN where a point cannot be
        transformed (not finite, outside what the CRS can represent, or not transformed back
        to itself)."""
        xs = np.asarray(x, dtype=float)
        ys = np.asarray(y, dtype=float)
        if self.wgs84:
            return xs.copy(), ys.copy()
        fwd, back, tol = _transformers(self.definition)
        ok = np.isfinite(xs) & np.isfinite(ys)
        lon = np.full(xs.shape, np.nan)
        lat = np.full(ys.shape, np.nan)
        if ok.any():
            lo, la = fwd.transform(xs[ok], ys[ok])
            lo, la = np.asarray(lo, dtype=float), np.asarray(la, dtype=float)
            good = np.isfinite(lo) & np.isfinite(la) & (np.abs(la) <= 90) & (np.abs(lo) <= 540)
            # a value the CRS cannot represent comes out clamped (EPSG:3857 1e30 -> -180, 90):
            # it must transform back to itself (within ~100 m: near the edges of their areas,
            # the regional Tokyo-datum transformations differ by a few metres)
            bx, by = back.transform(np.where(good, lo, 0.0), np.where(good, la, 0.0))
            bx, by = np.asarray(bx, dtype=float), np.asarray(by, dtype=float)
            good &= (np.abs(bx - xs[ok]) <= tol) & (np.abs(by - ys[ok]) <= tol)
            lon[ok] = np.where(good, normalize_lon(np.where(good, lo, 0.0)), np.nan)
            lat[ok] = np.where(good, la, np.nan)
        return lon, lat

    def geometries_to_wgs84(self, geoms: Any) -> Any:
        """Shapely geometries (array) transformed to WGS84 lon/lat; those with a point that
        cannot be transformed become None."""
        import shapely

        arr = np.asarray(geoms, dtype=object)
        if self.wgs84 or arr.size == 0:
            return arr
        bad: list[bool] = []

        def fn(coords: NDArray[np.float64]) -> NDArray[np.float64]:
            lo, la = self.to_wgs84(coords[:, 0], coords[:, 1])
            if not (np.isfinite(lo).all() and np.isfinite(la).all()):
                bad.append(True)
            return np.column_stack([lo, la])

        out = np.empty(arr.shape, dtype=object)
        for i, g in enumerate(arr.flat):
            if g is None:
                out.flat[i] = None
                continue
            bad.clear()
            t = shapely.transform(g, fn)
            out.flat[i] = None if bad else t
        return out


@lru_cache(maxsize=1)
def _pyproj_version() -> str:
    import pyproj

    return str(pyproj.__version__)


@lru_cache(maxsize=1)
def _proj_version() -> str:
    import pyproj

    return str(pyproj.proj_version_str)


@lru_cache(maxsize=16)
def _transformers(definition: str) -> tuple[Any, Any, float]:
    """To WGS84, back, and the round-trip tolerance in the CRS's units (1e-3° or 100 units)."""
    from pyproj import CRS, Transformer

    crs = CRS.from_user_input(definition)
    return (
        Transformer.from_crs(crs, "EPSG:4326", always_xy=True),
        Transformer.from_crs("EPSG:4326", crs, always_xy=True),
        1e-3 if crs.is_geographic else 100.0,
    )


def _shown(found: Any) -> str:
    text = found if isinstance(found, str) else json.dumps(found, ensure_ascii=False, default=str)
    return repr(text if len(text) <= 120 else text[:117] + "...")


def read_crs(found: Any, *, where: str, read_from: str) -> InputCRS:
    """The :class:`InputCRS` of what a file or option says (``EPSG:4301``, a URN, WKT,
    PROJJSON as text or a dict, a pyproj CRS).

    ``where`` names the file or option in messages (``input 'a.parquet'``), ``read_from``
    where in it the CRS was found. Raises :class:`CRSError` (exit 2) when there is no CRS,
    pyproj cannot read it, or it has no transformation to WGS84.

    Examples
    --------
    >>> c = read_crs("urn:ogc:def:crs:EPSG::4301", where="input 'a.geojson'", read_from="its 'crs' member")
    >>> c.code, c.name, c.wgs84
    ('EPSG:4301', 'Tokyo', False)
    >>> [round(float(v[0]), 4) for v in c.to_wgs84([138.5], [41.3])]
    [138.4966, 41.3025]
    >>> read_crs("EPSG:4326", where="--crs", read_from="--crs").wgs84
    True
    """
    from pyproj import CRS
    from pyproj.exceptions import CRSError as ProjCRSError

    if found is None or (isinstance(found, str) and not found.strip()):
        raise CRSError(
            f"{where} has no coordinate reference system ({read_from} is empty): eezcheck does "
            f"not assume one. Fix: {_FIX}"
        )
    try:
        if isinstance(found, dict):
            crs = CRS.from_json_dict(found)
        else:
            crs = CRS.from_user_input(found)
    except (ProjCRSError, TypeError, ValueError) as exc:
        raise CRSError(
            f"{where}: the coordinate reference system {_shown(found)} ({read_from}) is not one "
            f"pyproj knows ({str(exc).splitlines()[0][:160]}). Fix: give an EPSG code such as "
            f"EPSG:4326 (WGS84), EPSG:4301 (Tokyo), EPSG:6668 (JGD2011) or EPSG:3857; or {_FIX}"
        ) from exc
    if crs.is_geocentric or not (crs.is_geographic or crs.is_projected):
        raise CRSError(
            f"{where}: the coordinate reference system {_shown(found)} ({read_from}, "
            f"{crs.type_name} {crs.name!r}) is not geographic or projected, so its coordinates "
            "cannot be read as positions on the Earth's surface. Fix: reproject the file to "
            "EPSG:4326 (ogr2ogr -t_srs EPSG:4326 out.gpkg in.gpkg)"
        )
    two_d = crs.to_2d() if len(crs.axis_info) > 2 else crs
    wgs84 = bool(two_d.equals("EPSG:4326", ignore_axis_order=True))
    auth = two_d.to_authority(min_confidence=70)
    code = f"{auth[0]}:{auth[1]}" if auth else two_d.name
    out = InputCRS(code, two_d.name, read_from, two_d.to_wkt(), wgs84)
    if not wgs84:
        try:
            _transformers(out.definition)
        except Exception as exc:  # noqa: BLE001 - pyproj raises ProjError and others
            raise CRSError(
                f"{where}: the coordinate reference system {code} ({two_d.name}, {read_from}) "
                f"has no transformation to WGS84 in pyproj ({exc}). Fix: reproject the file to "
                "EPSG:4326 with the tool that made it"
            ) from exc
    return out


WGS84 = InputCRS("EPSG:4326", "WGS 84", "the default (--crs)", "EPSG:4326", True)
"""WGS84 longitude/latitude, the default of coordinate columns (not a transformation)."""


def geoparquet_crs(geo: Any, column: str, *, where: str) -> InputCRS:
    """The CRS of ``column`` in a GeoParquet ``geo`` metadata object: absent = OGC:CRS84."""
    meta = (geo.get("columns") or {}).get(column) if isinstance(geo, dict) else None
    if not isinstance(meta, dict) or "crs" not in meta:
        return InputCRS(
            "OGC:CRS84", "WGS 84 (CRS84)", "the GeoParquet metadata (no crs: OGC:CRS84)",
            "OGC:CRS84", True,
        )  # fmt: skip
    if meta["crs"] is None:
        raise CRSError(
            f"{where}: the GeoParquet metadata says the CRS of column {column!r} is unknown "
            f"(crs: null): eezcheck does not assume one. Fix: {_FIX}"
        )
    return read_crs(meta["crs"], where=where, read_from="the GeoParquet metadata")


def geojson_crs_member(obj: Any, *, where: str) -> InputCRS:
    """The CRS of a GeoJSON object: RFC 7946 WGS84, or its legacy ``crs`` member."""
    member = obj.get("crs") if isinstance(obj, dict) else None
    if member is None:
        return InputCRS(
            "OGC:CRS84", "WGS 84 (CRS84)", "RFC 7946 (GeoJSON without a crs member)",
            "OGC:CRS84", True,
        )  # fmt: skip
    props = member.get("properties") if isinstance(member, dict) else None
    kind = member.get("type") if isinstance(member, dict) else None
    if kind == "name" and isinstance(props, dict) and isinstance(props.get("name"), str):
        return read_crs(props["name"], where=where, read_from="its 'crs' member")
    if kind in ("EPSG", "epsg") and isinstance(props, dict) and props.get("code") is not None:
        return read_crs(f"EPSG:{props['code']}", where=where, read_from="its 'crs' member")
    raise CRSError(
        f"{where}: its 'crs' member {_shown(member)} names no CRS eezcheck can read (a linked "
        "CRS is not fetched). Fix: write RFC 7946 GeoJSON (WGS84 longitude/latitude, no 'crs' "
        "member: ogr2ogr -t_srs EPSG:4326 -f GeoJSON out.geojson in.geojson), or a 'name' "
        "member such as urn:ogc:def:crs:EPSG::4301"
    )


# --------------------------------------------------------------------------- antimeridian


def _ring_jumps(coords: Any) -> bool:
    xy = np.asarray(coords, dtype=float)
    if len(xy) < 2:
        return False
    a, b = xy[:-1, 0], xy[1:, 0]
    # an edge between -180 and 180 (a world box, or the two sides of a cut) is not a crossing
    return bool(np.any((np.abs(b - a) > 180.0) & ~((np.abs(a) == 180.0) & (np.abs(b) == 180.0))))


def crosses_antimeridian(geom: Any) -> bool:
    """True when a (multi)polygon has an edge jumping more than 180° of longitude: drawn
    across ±180°, it would otherwise cover the rest of the world."""
    from shapely.geometry import MultiPolygon, Polygon

    polys = geom.geoms if isinstance(geom, MultiPolygon) else [geom] if isinstance(geom, Polygon) else []
    for p in polys:
        if _ring_jumps(p.exterior.coords) or any(_ring_jumps(r.coords) for r in p.interiors):
            return True
    return False


def split_antimeridian(geom: Any) -> Any:
    """A (multi)polygon drawn across ±180° cut into its pieces on each side (lon in
    [-180, 180]); other geometries unchanged. Edges are straight in longitude/latitude, as in
    the rest of eezcheck (``great_circle=False``).

    >>> from shapely.geometry import Polygon
    >>> p = split_antimeridian(Polygon([(170, 30), (-170, 30), (-170, 40), (170, 40)]))
    >>> p.geom_type, p.contains(Polygon([(14, 35), (16, 35), (16, 36)]).centroid)
    ('MultiPolygon', False)
    """
    if not crosses_antimeridian(geom):
        return geom
    import antimeridian
    from shapely.geometry import MultiPolygon

    if isinstance(geom, MultiPolygon):
        return antimeridian.fix_multi_polygon(geom, great_circle=False, fix_winding=True)
    return antimeridian.fix_polygon(geom, great_circle=False, fix_winding=True)
