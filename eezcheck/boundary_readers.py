"""Readers of boundary data into the model of :mod:`eezcheck.boundaries`, and the active set.

- :func:`load_marineregions` reads Marine Regions EEZ files (v11/v12 attribute names) as users
  download them (GeoPackage, Shapefile or zipped Shapefile, GeoJSON; the whole world or a clip),
  and optionally the ``eez_12nm``, ``eez_24nm`` and ``eez_boundaries`` layers;
- :func:`load_user_file` reads any polygon file with the small eezcheck schema (below);
- :func:`load_store` reads the embedded zones container (:mod:`eezcheck.store`, computed from
  coastlines by ``eezcheck.build``), which uses the same schema;
- :func:`load_dataset_dir` reads a data-set directory (manifest, registry, files: see
  :mod:`eezcheck.data`), checking every file against the registry;
- :func:`load_active` loads the active data set (:func:`eezcheck.data.resolve_source`), cached
  per path and modification time; the cached :class:`~eezcheck.boundaries.Boundaries` is shared
  and never changed.

The eezcheck schema (one polygon layer, any format pyogrio reads):

=============  ==========================================================================
column         meaning
=============  ==========================================================================
``zone_type``  ``eez``, ``territorial_sea`` (including internal waters), ``contiguous_zone``,
               ``overlapping_claim``, ``joint_regime``, ``land``, ``coverage`` or ``contested``
               (a feature whose entitlement another state disputes, e.g. Okinotorishima:
               not a zone of its own, reported as a claim)
``states``     ISO 3166-1 alpha-3 codes separated by ``;``; the holder first (``JPN``,
               ``JPN;KOR`` for a claim). ``state`` is accepted as a synonym.
``name``       optional display name ("Japanese EEZ")
``feature``    optional: the feature a claim is about ("Takeshima / Dokdo")
=============  ==========================================================================

Areas of type ``coverage`` say where the file is complete; without them the coverage is the
bounding box of the file. Points outside the coverage are answered ``unknown``.
"""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

from eezcheck.boundaries import (
    REGION_BBOX,
    Area,
    Boundaries,
    BoundaryLine,
    Provenance,
    StoredArea,
    ZoneType,
    layer_name,
)
from eezcheck.crs import CRSError, InputCRS, geoparquet_crs, read_crs, split_antimeridian
from eezcheck.data import (
    MANIFEST,
    REGISTRY,
    ActiveSource,
    check_file,
    check_set,
    package_data_dir,
    read_checked,
    read_manifest,
    read_registry,
    resolve_source,
    sha256_file,
    validation_summary,
)
from eezcheck.errors import AxisOrderError, BoundaryDataError
from eezcheck.states import iso3_from_name

log = logging.getLogger(__name__)


def _ogr_path(path: str | os.PathLike[str]) -> str:
    p = str(path)
    if p.lower().endswith(".zip") and not p.startswith("/vsizip/"):
        return "/vsizip/" + os.path.abspath(p)
    if p.lower().endswith(".gz") and not p.startswith("/vsigzip/"):
        return "/vsigzip/" + os.path.abspath(p)
    return p


def _check_readable(path: str | os.PathLike[str], what: str) -> Path:
    p = Path(path)
    if not p.exists():
        raise BoundaryDataError(f"{what} {str(path)!r} does not exist. Check the path, or run "
                                "'eezcheck data info' to see the data in use.")
    if p.is_dir():
        raise BoundaryDataError(f"{what} {str(path)!r} is a directory; give the file itself.")
    try:
        with open(p, "rb") as fh:
            head = fh.read(64)
    except OSError as exc:
        raise BoundaryDataError(f"{what} {str(path)!r} cannot be read: {exc.strerror}.") from exc
    if not head:
        raise BoundaryDataError(f"{what} {str(path)!r} is empty (0 bytes). Download it again.")
    return p


def _read_polygons(
    path: str | os.PathLike[str],
    what: str,
    layer: str | int | None = None,
    bbox: tuple[float, float, float, float] | None = None,
) -> tuple[list[dict[str, Any]], np.ndarray, InputCRS]:
    """Read a vector file: attributes, shapely geometries in WGS84 lon/lat, and the CRS read.

    The file's CRS is read, never assumed (:mod:`eezcheck.crs`): another datum or a projection
    is transformed with pyproj, a file without a CRS is refused. Polygons drawn across ±180°
    are split there. ``bbox`` (WGS84) is applied by OGR while reading a WGS84 file, so a
    world-wide file is never read whole; other files are transformed first, then clipped.
    GeoParquet is read with pyarrow (its ``geo`` metadata).
    """
    p = _check_readable(path, what)
    where = f"{what} {str(path)!r}"
    if _is_parquet(p):
        rows, geoms, crs = _read_geoparquet(p, where)
    else:
        rows, geoms, crs = _read_ogr(p, path, what, layer, bbox)
    if not crs.wgs84:
        geoms = crs.geometries_to_wgs84(geoms)
    if len(geoms):
        geoms = np.array([None if g is None else split_antimeridian(g) for g in geoms], dtype=object)
    if bbox is not None and (not crs.wgs84 or _is_parquet(p)) and len(geoms):
        keep = [g is not None and shapely.intersects(g, box(*bbox)) for g in geoms]
        rows = [r for r, k in zip(rows, keep) if k]
        geoms = np.asarray(geoms, dtype=object)[np.asarray(keep, dtype=bool)]
    return rows, geoms, crs


def _is_parquet(p: Path) -> bool:
    with open(p, "rb") as fh:
        return fh.read(4) == b"PAR1"


def _read_ogr(
    p: Path, path: str | os.PathLike[str], what: str, layer: str | int | None,
    bbox: tuple[float, float, float, float] | None,
) -> tuple[list[dict[str, Any]], np.ndarray, InputCRS]:  # fmt: skip
    import pyogrio
    import pyogrio.errors

    src = _ogr_path(p)
    try:
        info = pyogrio.read_info(src, layer=layer)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError, ValueError) as exc:
        raise BoundaryDataError(
            f"{what} {str(path)!r} is not a readable vector file ({exc}). Give a GeoPackage, "
            "Shapefile (.shp or .zip), GeoJSON, GeoParquet or other file GDAL reads."
        ) from exc
    if info.get("geometry_type") is None:  # a table of points (CSV) has no geometry column
        raise BoundaryDataError(
            f"{what} {str(path)!r} has no geometry (a table without polygons; points to check are "
            "batch input: eezcheck batch FILE). Give polygons: a GeoPackage, Shapefile or GeoJSON."
        )
    crs = _layer_crs(info, path, what)
    try:
        with warnings.catch_warnings(record=True) as said:
            warnings.simplefilter("always")
            meta, _fids, wkb, fields = pyogrio.raw.read(src, layer=layer, bbox=bbox if crs.wgs84 else None)
    except Exception as exc:  # pyogrio raises several GDAL-derived types
        raise BoundaryDataError(f"{what} {str(path)!r} could not be read: {exc}") from exc
    for w in said:  # GDAL's notes (a geometry it could not read is NULL): the file, not Python's
        log.warning("%s %r: %s", what, str(path), str(w.message).split("(): ", 1)[-1])
    if wkb is None:
        raise BoundaryDataError(
            f"{what} {str(path)!r} has no geometry (a table without polygons; points to check are "
            "batch input: eezcheck batch FILE). Give polygons: a GeoPackage, Shapefile or GeoJSON."
        )
    names = [str(n) for n in meta["fields"]]
    geoms = shapely.from_wkb(np.asarray(wkb, dtype=object)) if len(wkb) else np.array([], dtype=object)
    rows = [
        {names[j].lower(): _clean(fields[j][i]) for j in range(len(names))}
        for i in range(len(geoms))
    ]
    return rows, geoms, crs


def _read_geoparquet(p: Path, where: str) -> tuple[list[dict[str, Any]], np.ndarray, InputCRS]:
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(p)
    except (pa.ArrowInvalid, OSError) as exc:
        raise BoundaryDataError(f"{where} is not a readable Parquet file ({exc}).") from exc
    try:
        geo = json.loads((table.schema.metadata or {}).get(b"geo") or b"null")
    except ValueError:
        geo = None
    primary = geo.get("primary_column") if isinstance(geo, dict) else None
    if not isinstance(primary, str) or primary not in table.column_names:
        raise BoundaryDataError(
            f"{where} is a Parquet file without GeoParquet metadata (no 'geo' key naming its "
            "geometry column). Write it with geopandas (gdf.to_parquet(path)) or give a "
            "GeoPackage."
        )
    crs = geoparquet_crs(geo, primary, where=where)
    try:
        geoms = shapely.from_wkb(np.asarray(table.column(primary).to_pylist(), dtype=object))
    except (shapely.errors.GEOSException, ValueError, TypeError) as exc:
        raise BoundaryDataError(f"{where}: its geometry column {primary!r} is not WKB ({exc}).") from exc
    rest = table.drop_columns([primary]).to_pylist()
    rows = [{str(k).lower(): _clean(v) for k, v in r.items()} for r in rest]
    return rows, np.asarray(geoms, dtype=object), crs


def _clean(value: Any) -> Any:
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def _layer_crs(info: dict[str, Any], path: str | os.PathLike[str], what: str) -> InputCRS:
    """The layer's CRS (read by GDAL: the .prj, the GeoPackage SRS, a GeoJSON 'crs' member or
    RFC 7946), and for a geographic one the axis-order check."""
    where = f"{what} {str(path)!r}"
    found = info.get("crs")
    if not found:
        raise CRSError(
            f"{where} has no coordinate reference system (a Shapefile without its .prj, a "
            "GeoPackage with an undefined SRS): eezcheck does not assume one. If it is WGS84 "
            "longitude/latitude, say so: ogr2ogr -a_srs EPSG:4326 fixed.gpkg in.gpkg (or "
            "geopandas: gdf.set_crs('EPSG:4326').to_file(...))."
        )
    crs = read_crs(found, where=where, read_from="the file's CRS (read by GDAL)")
    from pyproj import CRS

    if not CRS.from_user_input(crs.definition).is_geographic:
        return crs
    bounds = info.get("total_bounds")
    if bounds is not None and len(bounds) == 4 and np.all(np.isfinite(bounds)):
        minx, miny, maxx, maxy = (float(b) for b in bounds)
        if abs(miny) > 90 or abs(maxy) > 90:
            raise AxisOrderError(
                f"{what} {str(path)!r} has y (latitude) values from {miny:g} to {maxy:g}, beyond "
                "±90: its coordinates look swapped (lat, lon instead of lon, lat). Marine Regions "
                "WFS 2.0 requests in EPSG:4326 give lat/lon order; request WFS 1.0.0 or "
                "srsName=CRS:84, or swap the axes (ogr2ogr -s_srs '+proj=latlong +axis=neu' ...)."
            )
    return crs


def _polygonal(geom: BaseGeometry | None) -> BaseGeometry | None:
    """Valid polygonal part of a geometry, or None."""
    if geom is None or geom.is_empty:
        return None
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    if isinstance(geom, (Polygon, MultiPolygon)):
        return geom
    polys = [g for g in getattr(geom, "geoms", []) if isinstance(g, (Polygon, MultiPolygon))]
    if not polys:
        return None
    return shapely.union_all(polys)


def _provenance(path: str | os.PathLike[str], **kw: str) -> Provenance:
    return Provenance(sha256=sha256_file(path), path=str(path), **kw)


# --------------------------------------------------------------------------- Marine Regions

MARINE_REGIONS_LICENCE = "CC BY 4.0 (Flanders Marine Institute, Maritime Boundaries Geodatabase); no legal value"
MARINE_REGIONS_DOI = "https://doi.org/10.14284/632"
MARINE_REGIONS_POLICY = (
    "marineregions: Marine Regions' own representation (median lines; disputed waters only where "
    "it marks an overlapping claim; not Japan's claimed EEZ)"
)

_POL_TYPES = {
    "200nm": ZoneType.EEZ,
    "12nm": ZoneType.TERRITORIAL_SEA,
    "24nm": ZoneType.CONTIGUOUS_ZONE,
    "overlapping claim": ZoneType.OVERLAPPING_CLAIM,
    "joint regime": ZoneType.JOINT_REGIME,
}


def _iso(row: dict[str, Any], i: int) -> str | None:
    code = row.get(f"iso_sov{i}")
    if code:
        return str(code).upper()
    name = row.get(f"sovereign{i}")
    if name:
        return iso3_from_name(str(name)) or str(name).strip()[:3].upper()
    return None


def _mr_states(row: dict[str, Any]) -> tuple[str, ...]:
    states: list[str] = []
    for i in (1, 2, 3):
        code = _iso(row, i)
        if code and code not in states:
            states.append(code)
    return tuple(states)


def _mr_version(rows: Iterable[dict[str, Any]], path: str | os.PathLike[str]) -> str:
    name = Path(path).name.lower()
    for v in ("v12", "v11", "v10"):
        if v in name:
            return v
    for r in rows:
        src = str(r.get("source") or "").lower()
        if "v12" in src:
            return "v12"
        if "v11" in src:
            return "v11"
    return "unknown"


def load_marineregions(
    eez: str | os.PathLike[str],
    *,
    territorial_sea: str | os.PathLike[str] | None = None,
    contiguous_zone: str | os.PathLike[str] | None = None,
    boundary_lines: str | os.PathLike[str] | None = None,
    layer: str | int | None = None,
    bbox: tuple[float, float, float, float] = REGION_BBOX,
    with_land: bool = True,
) -> Boundaries:
    """Read Marine Regions files (v11/v12 attribute names) into :class:`Boundaries`.

    Parameters
    ----------
    eez : path
        The ``eez`` layer as downloaded: GeoPackage, Shapefile (``.shp`` or ``.zip``) or GeoJSON,
        world-wide or clipped. Only features meeting ``bbox`` are read (lazily, by OGR).
    territorial_sea, contiguous_zone : path, optional
        The ``eez_12nm`` and ``eez_24nm`` layers.
    boundary_lines : path, optional
        The ``eez_boundaries`` layer (lines; kept for maps in ``boundary_lines``).
    layer : str or int, optional
        Layer name inside a multi-layer file (GeoPackage).
    bbox : (min lon, min lat, max lon, max lat)
        Region to read; also bounds the coverage.
    with_land : bool
        Add the land polygons of the embedded data set (OSM coastline, with its own provenance)
        when it is installed: Marine Regions' EEZ layer has holes where there is land, but also
        where there is a high-seas pocket, and no land layer of its own.

    Examples
    --------
    On Marine Regions' download (not shipped, so this is not run as a doctest;
    ``tests/test_boundaries.py::test_reference_loads`` runs it on a clip of it)::

        b = load_marineregions("World_EEZ_v12_20231025.gpkg")
        sorted(b.layers)  # ['foreign_eez', 'foreign_land', 'japan_eez', 'japan_land', ...]
    """
    what = "Marine Regions EEZ file"
    rows, geoms, crs = _read_polygons(eez, what, layer=layer, bbox=bbox)
    if rows and "pol_type" not in rows[0] and "mrgid" not in rows[0]:
        raise BoundaryDataError(
            f"{what} {str(eez)!r} has no Marine Regions attributes (MRGID, POL_TYPE, SOVEREIGN1 ...); "
            f"its columns are {sorted(rows[0])}. For your own polygons use --boundaries with the "
            "eezcheck schema (zone_type, states)."
        )
    version = _mr_version(rows, eez)
    prov = _provenance(
        eez,
        dataset="Marine Regions Maritime Boundaries Geodatabase: EEZ",
        version=version,
        source=MARINE_REGIONS_DOI,
        licence=MARINE_REGIONS_LICENCE,
        claims_policy=MARINE_REGIONS_POLICY,
        crs=crs.describe(),
    )
    areas = _mr_areas(rows, geoms, default=ZoneType.EEZ)
    if not areas:
        raise BoundaryDataError(
            f"{what} {str(eez)!r} has no usable polygons in the region {bbox} (lon/lat). Is it the "
            "EEZ polygon layer, and in lon/lat (EPSG:4326)?"
        )
    layer_prov: dict[str, Provenance] = {}
    for extra_path, ztype, label in (
        (territorial_sea, ZoneType.TERRITORIAL_SEA, "eez_12nm"),
        (contiguous_zone, ZoneType.CONTIGUOUS_ZONE, "eez_24nm"),
    ):
        if extra_path is None:
            continue
        r2, g2, crs2 = _read_polygons(extra_path, f"Marine Regions {label} file", bbox=bbox)
        new = _mr_areas(r2, g2, default=ztype, force=ztype)
        if not new:
            raise BoundaryDataError(f"Marine Regions {label} file {str(extra_path)!r} has no usable polygons in {bbox}.")
        areas.extend(new)
        p2 = _provenance(
            extra_path,
            dataset=f"Marine Regions Maritime Boundaries Geodatabase: {label}",
            version=_mr_version(r2, extra_path),
            source=MARINE_REGIONS_DOI,
            licence=MARINE_REGIONS_LICENCE,
            claims_policy=MARINE_REGIONS_POLICY,
            crs=crs2.describe(),
        )
        for a in new:
            layer_prov[layer_name(a.zone_type, a.states)] = p2
    lines = _read_lines(boundary_lines, bbox) if boundary_lines is not None else ()
    region = box(*bbox)
    data_bounds = box(*shapely.total_bounds([a.geometry for a in areas]))
    coverage = region.intersection(data_bounds.buffer(1e-9))
    if with_land:
        land, land_prov = embedded_land()
        for a in land:
            areas.append(a)
            if land_prov is not None:
                layer_prov[layer_name(a.zone_type, a.states)] = land_prov
    return Boundaries(areas, coverage, prov, layer_prov, boundary_lines=lines)




def _mr_areas(
    rows: list[dict[str, Any]], geoms: np.ndarray, default: ZoneType, force: ZoneType | None = None
) -> list[Area]:
    areas = []
    for row, geom in zip(rows, geoms):
        poly = _polygonal(geom)
        if poly is None:
            continue
        ptype = str(row.get("pol_type") or "").strip().lower()
        ztype = force or _POL_TYPES.get(ptype, default)
        states = _mr_states(row)
        areas.append(
            Area(
                geometry=poly,
                zone_type=ztype,
                states=states,
                name=str(row.get("geoname") or ""),
                feature=str(row.get("territory1") or "") if ztype is ZoneType.OVERLAPPING_CLAIM else "",
                ident=f"MRGID {row['mrgid']}" if row.get("mrgid") is not None else "",
            )
        )
    return areas


def _read_lines(path: str | os.PathLike[str], bbox: tuple[float, float, float, float]) -> tuple[BoundaryLine, ...]:
    import pyogrio

    p = _check_readable(path, "Marine Regions eez_boundaries file")
    meta, _f, wkb, fields = pyogrio.raw.read(_ogr_path(p), bbox=bbox)
    names = [str(n).lower() for n in meta["fields"]]
    out = []
    for i, g in enumerate(shapely.from_wkb(np.asarray(wkb, dtype=object))):
        if g is None:
            continue
        attrs = {names[j]: _clean(fields[j][i]) for j in range(len(names))}
        line_type = attrs.get("line_type")
        out.append(BoundaryLine(g, None if line_type is None else str(line_type), attrs))
    return tuple(out)


# --------------------------------------------------------------------------- eezcheck schema


def load_user_file(
    path: str | os.PathLike[str],
    *,
    dataset: str | None = None,
    version: str = "",
    source: str = "",
    licence: str = "as given by the file's owner",
    claims_policy: str = "user: as drawn in the file",
    method: str = "",
    layer: str | int | None = None,
    coverage: BaseGeometry | None = None,
) -> Boundaries:
    """Read a polygon file in the eezcheck schema (``zone_type``, ``states``; see module docs)."""
    what = "Boundary file"
    rows, geoms, crs = _read_polygons(path, what, layer=layer)
    if not rows:
        raise BoundaryDataError(f"{what} {str(path)!r} has no features.")
    if "zone_type" not in rows[0]:
        if "pol_type" in rows[0] or "mrgid" in rows[0]:
            return load_marineregions(path, layer=layer)
        raise BoundaryDataError(
            f"{what} {str(path)!r} has no 'zone_type' column (columns: {sorted(rows[0])}). Add "
            "zone_type (eez, territorial_sea, contiguous_zone, overlapping_claim, joint_regime, land, "
            "coverage) and states (ISO3 codes separated by ';', holder first)."
        )
    areas: list[Area] = []
    cover_parts: list[BaseGeometry] = []
    valid = {z.value for z in ZoneType}
    for i, (row, geom) in enumerate(zip(rows, geoms)):
        ztext = str(row.get("zone_type") or "").strip().lower()
        if ztext not in valid:
            raise BoundaryDataError(
                f"{what} {str(path)!r}, feature {i}: zone_type {row.get('zone_type')!r} is not one of "
                f"{sorted(valid)}."
            )
        poly = _polygonal(geom)
        if poly is None:
            continue
        ztype = ZoneType(ztext)
        if ztype is ZoneType.COVERAGE:
            cover_parts.append(poly)
            continue
        raw_states = row.get("states") or row.get("state") or ""
        states = tuple(s.strip().upper() for s in str(raw_states).replace(",", ";").split(";") if s.strip())
        if not states and ztype is not ZoneType.LAND:
            raise BoundaryDataError(
                f"{what} {str(path)!r}, feature {i} ({ztext}): no state given. Fill 'states' with ISO3 "
                "codes, e.g. 'JPN' or 'JPN;KOR'."
            )
        areas.append(
            Area(poly, ztype, states, str(row.get("name") or ""), str(row.get("feature") or ""), str(row.get("id") or i))
        )
    if not areas:
        raise BoundaryDataError(f"{what} {str(path)!r} has no usable polygons (all empty or not polygons).")
    if coverage is None:
        coverage = shapely.union_all(cover_parts) if cover_parts else _extent([a.geometry for a in areas])
    prov = _provenance(
        path,
        dataset=dataset or Path(path).name,
        version=version,
        source=source or str(path),
        licence=licence,
        claims_policy=claims_policy,
        method=method,
        crs=crs.describe(),
    )
    return Boundaries(areas, coverage, prov)


def _extent(geoms: list[BaseGeometry]) -> BaseGeometry:
    """The coverage of a file without ``coverage`` areas: its bounding box, or, when its areas
    reach both sides of ±180° (polygons split there), the union of its polygons' boxes (the box
    of the two sides would be the whole world's longitudes)."""
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    if minx > -179.999 or maxx < 179.999:
        return box(minx, miny, maxx, maxy)
    parts = shapely.get_parts(np.asarray(geoms, dtype=object))
    return shapely.union_all([box(*b) for b in shapely.bounds(parts)])


def load_store(
    path: str | os.PathLike[str],
    *,
    dataset: str,
    version: str,
    source: str,
    licence: str,
    claims_policy: str,
    method: str = "",
    content: bytes | None = None,
) -> Boundaries:
    """Read the embedded zones container (:mod:`eezcheck.store`): areas in the eezcheck schema,
    plus Japan's claim and densified lines precomputed by the build (trusted: checksummed).

    Nothing is decoded yet: each area's polygon is decoded on first use
    (:class:`~eezcheck.boundaries.StoredArea`). ``content`` is the file's bytes when the caller
    already read and checked them."""
    from eezcheck.store import open_store

    prov = _provenance(
        path, dataset=dataset, version=version, source=source, licence=licence,
        claims_policy=claims_policy, method=method,
    )  # fmt: skip
    st = open_store(path, content=content, key=prov.sha256)
    areas: list[Area] = []
    cover = None
    for props, stored in st.features:
        ztype = ZoneType(props["zone_type"])
        if ztype is ZoneType.COVERAGE:
            cover = stored.geometry
            continue
        states = tuple(s for s in str(props.get("states") or "").split(";") if s)
        areas.append(StoredArea(stored, ztype, states, props.get("name", ""), props.get("feature", ""), props.get("id", "")))
    if cover is None:
        cover = box(*st.meta["coverage"])
    claim = st.geometries.get("japan_claim")
    return Boundaries(
        areas, cover, prov, arrays=st.arrays, land_complete=bool(st.meta.get("land_complete", True)),
        precomputed_japan_claim=None if claim is None else claim.geometry,
    )  # fmt: skip


def load_boundaries_file(path: str | os.PathLike[str]) -> Boundaries:
    """Read any supported boundary file: eezcheck schema or Marine Regions (detected by columns)."""
    return load_user_file(path)


# --------------------------------------------------------------------------- data-set directories


def load_dataset_dir(directory: str | os.PathLike[str], verify: bool = True) -> Boundaries:
    """Load a data-set directory (embedded or downloaded) into :class:`~eezcheck.boundaries.Boundaries`.

    Every file of the registry, the manifest included, is checked first (``verify``): a
    damaged file of the set is exit 3 whichever command reads it.
    """
    d = Path(directory)
    if not (d / MANIFEST).is_file() and not (d / REGISTRY).is_file():
        raise BoundaryDataError(f"Data set {str(d)!r} has no readable {MANIFEST} (not a data-set folder).")
    registry = read_registry(d) if verify else {}
    if verify:
        check_set(d, registry)
    manifest = read_manifest(d, registry if verify else None)
    files: dict[str, str] = manifest.get("files", {})
    about = {k: v for k, v in manifest.items() if k not in ("files",)}

    def path_of(key: str) -> Path | None:
        name = files.get(key)
        if not name:
            return None
        return check_file(d, name, registry) if verify else d / name

    kind = manifest.get("kind", "eezcheck")
    if kind == "marineregions":
        eez = path_of("eez")
        if eez is None:
            raise BoundaryDataError(f"Data set {str(d)!r}: manifest names no 'eez' file.")
        bbox = manifest.get("bbox")
        mr = load_marineregions(
            eez,
            territorial_sea=path_of("eez_12nm"),
            contiguous_zone=path_of("eez_24nm"),
            boundary_lines=path_of("eez_boundaries"),
            bbox=(float(bbox[0]), float(bbox[1]), float(bbox[2]), float(bbox[3])) if bbox else REGION_BBOX,
        )
        # file names of a downloaded set carry no version: the manifest says which it is
        said = {k: str(manifest[k]) for k in ("version", "method") if manifest.get(k)}
        return replace(
            mr,
            provenance=replace(mr.provenance, **said) if said else mr.provenance,
            layer_provenance={k: replace(v, **said) for k, v in mr.layer_provenance.items()} if said else mr.layer_provenance,
            manifest=about,
            directory=str(d),
        )
    zones = path_of("zones")
    if zones is None:
        raise BoundaryDataError(f"Data set {str(d)!r}: manifest names no 'zones' file.")
    cov = manifest.get("coverage")
    described = {
        "dataset": manifest.get("dataset", d.name),
        "version": str(manifest.get("version", "")),
        "source": manifest.get("source", ""),
        "licence": manifest.get("licence", ""),
        "claims_policy": manifest.get("claims_policy", ""),
        "method": manifest.get("method", ""),
    }
    if zones.suffix == ".wkb":
        # the bytes the background hash read, if it did (eezcheck.data.hash_in_background)
        content = read_checked(zones, registry[files["zones"]]) if verify else None
        b = load_store(zones, **described, content=content)
        return replace(b, manifest={**about, **validation_summary(d)}, directory=str(d))
    b = load_user_file(zones, **described, coverage=box(*cov) if cov else None)
    return replace(b, manifest=about, directory=str(d))


@lru_cache(maxsize=8)
def load_cached(path: str, kind: str, mtime: float, abspath: str = "") -> Boundaries:
    """Load a data-set directory (``kind`` embedded, cache or directory) or a boundary file,
    once per (path, kind, modification time, absolute path). Shared: never change the result."""
    if kind in ("embedded", "cache", "directory"):
        return load_dataset_dir(path)
    return load_boundaries_file(path)


def embedded_land() -> tuple[list[Area], Provenance | None]:
    """Land areas of the embedded data set, if it is installed and intact."""
    d = package_data_dir()
    if not (d / MANIFEST).exists():
        return [], None
    try:
        emb = load_cached(str(d), "embedded", d.stat().st_mtime, str(d.resolve()))
    except BoundaryDataError as exc:
        log.warning("embedded land not used: %s", exc)
        return [], None
    return [a for a in emb.areas if a.zone_type is ZoneType.LAND], emb.provenance


def load_active(option: str | os.PathLike[str] | None = None) -> Boundaries:
    """Load the active :class:`~eezcheck.boundaries.Boundaries` (cached per path and mtime).

    ``option`` is what ``--boundaries`` gives (a data-set directory or a boundary file), else
    the resolution order of :func:`eezcheck.data.resolve_source` applies.
    """
    src: ActiveSource = resolve_source(option)
    p = Path(src.path)
    if not p.exists():
        if src.kind == "embedded":
            raise BoundaryDataError(
                f"The embedded boundary data is missing from {src.path!r}: build it with "
                "'python -m eezcheck.build' or give --boundaries FILE."
            )
        raise BoundaryDataError(f"Boundary data {src.path!r} ({src.reason}) does not exist.")
    # the key includes the absolute path: a relative one names another set after a chdir
    return load_cached(str(p), src.kind, p.stat().st_mtime, str(p.resolve()))


__all__ = [
    "MARINE_REGIONS_DOI",
    "MARINE_REGIONS_LICENCE",
    "MARINE_REGIONS_POLICY",
    "embedded_land",
    "load_active",
    "load_boundaries_file",
    "load_cached",
    "load_dataset_dir",
    "load_marineregions",
    "load_store",
    "load_user_file",
]
