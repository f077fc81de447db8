"""Boundary layers: read zone polygons (embedded, Marine Regions, user files) into one model.

The model is :class:`Boundaries`: named layers of :class:`Area` polygons (lon/lat, EPSG:4326),
each with the states concerned, and the provenance of the file it came from. Three loaders
produce it:

- :func:`load_marineregions` reads Marine Regions EEZ files (v11/v12 attribute names) as users
  download them (GeoPackage, Shapefile or zipped Shapefile, GeoJSON; the whole world or a clip),
  and optionally the ``eez_12nm``, ``eez_24nm`` and ``eez_boundaries`` layers;
- :func:`load_user_file` reads any polygon file with the small eezcheck schema (below);
- :func:`load_embedded` reads the zones shipped in the package's ``data/`` folder (computed from
  coastlines by ``eezcheck.build``), which use the same schema.

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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

from eezcheck.data import sha256_file
from eezcheck.errors import AxisOrderError, BoundaryDataError

log = logging.getLogger(__name__)

REGION_BBOX: tuple[float, float, float, float] = (100.0, 0.0, 180.0, 60.0)
"""Default region (min lon, min lat, max lon, max lat) read from world-wide files."""

JAPAN = "JPN"

COUNTRY_ISO3: dict[str, str] = {
    "japan": "JPN",
    "russia": "RUS",
    "russian federation": "RUS",
    "south korea": "KOR",
    "republic of korea": "KOR",
    "korea, republic of": "KOR",
    "north korea": "PRK",
    "democratic people's republic of korea": "PRK",
    "china": "CHN",
    "taiwan": "TWN",
    "philippines": "PHL",
    "united states": "USA",
    "palau": "PLW",
    "micronesia": "FSM",
    "federated states of micronesia": "FSM",
    "marshall islands": "MHL",
    "vietnam": "VNM",
    "viet nam": "VNM",
    "malaysia": "MYS",
    "brunei": "BRN",
    "indonesia": "IDN",
    "papua new guinea": "PNG",
    "nauru": "NRU",
    "kiribati": "KIR",
}

STATE_ADJECTIVE: dict[str, str] = {
    "JPN": "Japanese",
    "RUS": "Russian",
    "KOR": "South Korean",
    "PRK": "North Korean",
    "CHN": "Chinese",
    "TWN": "Taiwanese",
    "PHL": "Philippine",
    "USA": "United States",
    "PLW": "Palauan",
    "FSM": "Micronesian",
    "MHL": "Marshallese",
    "VNM": "Vietnamese",
}


class ZoneType(str, Enum):
    """Kind of area in a boundary file."""

    LAND = "land"
    TERRITORIAL_SEA = "territorial_sea"
    CONTIGUOUS_ZONE = "contiguous_zone"
    EEZ = "eez"
    OVERLAPPING_CLAIM = "overlapping_claim"
    JOINT_REGIME = "joint_regime"
    COVERAGE = "coverage"
    CONTESTED = "contested"


@dataclass(frozen=True)
class Provenance:
    """Where a layer came from, and which claims policy it represents."""

    dataset: str
    version: str
    source: str
    licence: str
    sha256: str
    path: str
    claims_policy: str
    method: str = ""

    def to_dict(self) -> dict[str, str]:
        return {
            "dataset": self.dataset,
            "version": self.version,
            "source": self.source,
            "licence": self.licence,
            "sha256": self.sha256,
            "path": self.path,
            "claims_policy": self.claims_policy,
            "method": self.method,
        }


@dataclass(frozen=True, eq=False)
class Area:
    """One polygon (or multipolygon) of a zone, lon/lat degrees."""

    geometry: BaseGeometry
    zone_type: ZoneType
    states: tuple[str, ...]
    name: str = ""
    feature: str = ""
    ident: str = ""

    @property
    def involves_japan(self) -> bool:
        return JAPAN in self.states

    @property
    def holder(self) -> str:
        return self.states[0] if self.states else ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "zone_type": self.zone_type.value,
            "states": list(self.states),
            "name": self.name,
            "feature": self.feature,
            "id": self.ident,
        }


@dataclass(frozen=True, eq=False)
class Layer:
    """A named set of areas with one provenance."""

    name: str
    zone_type: ZoneType
    areas: tuple[Area, ...]
    provenance: Provenance

    def __len__(self) -> int:
        return len(self.areas)

    @cached_property
    def geometries(self) -> np.ndarray:
        geoms = np.array([a.geometry for a in self.areas], dtype=object)
        shapely.prepare(geoms)
        return geoms


def layer_name(zone_type: ZoneType, states: Sequence[str]) -> str:
    """Name of the layer an area belongs to (``japan_eez``, ``foreign_eez``, ``overlapping_claims`` ...)."""
    if zone_type is ZoneType.OVERLAPPING_CLAIM:
        return "overlapping_claims"
    if zone_type is ZoneType.JOINT_REGIME:
        return "joint_regimes"
    if zone_type is ZoneType.COVERAGE:
        return "coverage"
    if zone_type is ZoneType.CONTESTED:
        return "contested"
    who = "japan" if states and states[0] == JAPAN else "foreign"
    return f"{who}_{zone_type.value}"


@dataclass(eq=False)
class Boundaries:
    """All layers used to classify points, plus coverage and provenance.

    Parameters
    ----------
    areas : sequence of Area
        Every area, any zone type except ``coverage``.
    coverage : shapely geometry
        Where the data is complete (lon/lat).
    provenance : Provenance
        Of the main file (every layer also carries its own).
    layer_provenance : dict, optional
        Provenance per layer name when layers come from different files.
    """

    areas: Sequence[Area]
    coverage: BaseGeometry
    provenance: Provenance
    layer_provenance: dict[str, Provenance] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.areas = tuple(self.areas)
        shapely.prepare(self.coverage)

    @cached_property
    def layers(self) -> dict[str, Layer]:
        """Areas grouped by layer name (see :func:`layer_name`)."""
        groups: dict[str, list[Area]] = {}
        for a in self.areas:
            groups.setdefault(layer_name(a.zone_type, a.states), []).append(a)
        return {
            name: Layer(name, group[0].zone_type, tuple(group), self.layer_provenance.get(name, self.provenance))
            for name, group in sorted(groups.items())
        }

    @property
    def claims_policy(self) -> str:
        return self.provenance.claims_policy

    @cached_property
    def japan_claim(self) -> BaseGeometry:
        """Japan's EEZ as the data shows Japan's claim: its EEZ/TS/CZ plus claims and joint
        regimes that include Japan, with land holes filled. Its boundary is the EEZ limit."""
        parts = [
            a.geometry
            for a in self.areas
            if a.zone_type is not ZoneType.LAND and a.involves_japan
        ]
        if not parts:
            return Polygon()
        land = [a.geometry for a in self.areas if a.zone_type is ZoneType.LAND]
        merged = fill_holes(shapely.union_all(parts), land or None)
        shapely.prepare(merged)
        return merged

    @cached_property
    def japan_limit(self) -> BaseGeometry:
        """The outer limit of :attr:`japan_claim` as lines (lon/lat)."""
        return self.japan_claim.boundary

    def summary(self) -> dict[str, Any]:
        """Layers, feature counts and provenance, for ``eezcheck data info``."""
        return {
            "provenance": self.provenance.to_dict(),
            "coverage_bounds": [round(v, 6) for v in self.coverage.bounds] if not self.coverage.is_empty else None,
            "layers": {
                name: {
                    "features": len(layer),
                    "zone_type": layer.zone_type.value,
                    "states": sorted({s for a in layer.areas for s in a.states}),
                    "provenance": layer.provenance.to_dict(),
                }
                for name, layer in self.layers.items()
            },
            **({"extra": self.extra} if self.extra else {}),
        }


def fill_holes(geom: BaseGeometry, land: Sequence[BaseGeometry] | None = None) -> BaseGeometry:
    """The geometry with its interior rings removed; with ``land``, only the rings that meet land
    (a hole with no land in it is a high-seas pocket, not land)."""
    polys = [p for p in shapely.get_parts(geom) if isinstance(p, Polygon)]
    if not polys:
        return geom
    tree = shapely.STRtree(list(land)) if land else None
    out = []
    for p in polys:
        keep = []
        if tree is not None:
            for ring in p.interiors:
                hole = Polygon(ring)
                if not len(tree.query(hole, predicate="intersects")):
                    keep.append(ring)
        out.append(Polygon(p.exterior, keep))
    return shapely.union_all(out) if len(out) > 1 else out[0]


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
) -> tuple[list[dict[str, Any]], np.ndarray]:
    """Read a vector file lazily with pyogrio: attributes and shapely geometries (lon/lat).

    ``bbox`` is applied by OGR while reading, so a world-wide file is never read whole.
    """
    import pyogrio
    import pyogrio.errors

    p = _check_readable(path, what)
    src = _ogr_path(p)
    try:
        info = pyogrio.read_info(src, layer=layer)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError, ValueError) as exc:
        raise BoundaryDataError(
            f"{what} {str(path)!r} is not a readable vector file ({exc}). Give a GeoPackage, "
            "Shapefile (.shp or .zip), GeoJSON or other file GDAL reads."
        ) from exc
    _check_crs_and_axes(info, path, what)
    try:
        meta, _fids, wkb, fields = pyogrio.raw.read(src, layer=layer, bbox=bbox)
    except Exception as exc:  # pyogrio raises several GDAL-derived types
        raise BoundaryDataError(f"{what} {str(path)!r} could not be read: {exc}") from exc
    names = [str(n) for n in meta["fields"]]
    geoms = shapely.from_wkb(np.asarray(wkb, dtype=object)) if len(wkb) else np.array([], dtype=object)
    rows = [
        {names[j].lower(): _clean(fields[j][i]) for j in range(len(names))}
        for i in range(len(geoms))
    ]
    return rows, geoms


def _clean(value: Any) -> Any:
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def _check_crs_and_axes(info: dict[str, Any], path: str | os.PathLike[str], what: str) -> None:
    crs = info.get("crs")
    if crs:
        from pyproj import CRS

        try:
            c = CRS.from_user_input(crs)
        except Exception:  # noqa: BLE001 - unknown CRS text
            c = None
        if c is not None and not c.is_geographic:
            raise BoundaryDataError(
                f"{what} {str(path)!r} is in a projected CRS ({c.name}); eezcheck needs longitude/"
                "latitude (EPSG:4326). Reproject it, e.g. 'ogr2ogr -t_srs EPSG:4326 out.gpkg in.gpkg'."
            )
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
        return COUNTRY_ISO3.get(str(name).strip().lower(), str(name).strip()[:3].upper())
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
        The ``eez_boundaries`` layer (lines; kept for maps in ``extra["boundary_lines"]``).
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
    >>> b = load_marineregions("World_EEZ_v12_20231025.gpkg")  # doctest: +SKIP
    >>> sorted(b.layers)  # doctest: +SKIP
    ['foreign_eez', 'japan_eez', 'joint_regimes', 'overlapping_claims']
    """
    what = "Marine Regions EEZ file"
    rows, geoms = _read_polygons(eez, what, layer=layer, bbox=bbox)
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
        r2, g2 = _read_polygons(extra_path, f"Marine Regions {label} file", bbox=bbox)
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
        )
        for a in new:
            layer_prov[layer_name(a.zone_type, a.states)] = p2
    extra: dict[str, Any] = {}
    if boundary_lines is not None:
        extra["boundary_lines"] = _read_lines(boundary_lines, bbox)
    region = box(*bbox)
    data_bounds = box(*shapely.total_bounds([a.geometry for a in areas]))
    coverage = region.intersection(data_bounds.buffer(1e-9))
    if with_land:
        land, land_prov = _embedded_land()
        for a in land:
            areas.append(a)
            if land_prov is not None:
                layer_prov[layer_name(a.zone_type, a.states)] = land_prov
    return Boundaries(areas, coverage, prov, layer_prov, extra)


def _embedded_land() -> tuple[list[Area], Provenance | None]:
    """Land areas of the embedded data set, if it is installed and intact."""
    from eezcheck.data import MANIFEST, _load_cached, package_data_dir

    d = package_data_dir()
    if not (d / MANIFEST).exists():
        return [], None
    try:
        emb = _load_cached(str(d), "embedded", d.stat().st_mtime, str(d.resolve()))
    except BoundaryDataError as exc:
        log.warning("embedded land not used: %s", exc)
        return [], None
    return [a for a in emb.areas if a.zone_type is ZoneType.LAND], emb.provenance


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


def _read_lines(path: str | os.PathLike[str], bbox: tuple[float, float, float, float]) -> list[dict[str, Any]]:
    import pyogrio

    p = _check_readable(path, "Marine Regions eez_boundaries file")
    meta, _f, wkb, fields = pyogrio.raw.read(_ogr_path(p), bbox=bbox)
    names = [str(n).lower() for n in meta["fields"]]
    out = []
    for i, g in enumerate(shapely.from_wkb(np.asarray(wkb, dtype=object))):
        if g is None:
            continue
        attrs = {names[j]: _clean(fields[j][i]) for j in range(len(names))}
        out.append({"geometry": g, "line_type": attrs.get("line_type"), "attrs": attrs})
    return out


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
    rows, geoms = _read_polygons(path, what, layer=layer)
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
        coverage = shapely.union_all(cover_parts) if cover_parts else box(*shapely.total_bounds([a.geometry for a in areas]))
    prov = _provenance(
        path,
        dataset=dataset or Path(path).name,
        version=version,
        source=source or str(path),
        licence=licence,
        claims_policy=claims_policy,
        method=method,
    )
    return Boundaries(areas, coverage, prov)


def load_store(
    path: str | os.PathLike[str],
    *,
    dataset: str,
    version: str,
    source: str,
    licence: str,
    claims_policy: str,
    method: str = "",
) -> Boundaries:
    """Read the embedded zones container (:mod:`eezcheck.store`): areas in the eezcheck schema,
    plus Japan's claim and densified lines precomputed by the build (trusted: checksummed)."""
    from eezcheck.store import read_store

    st = read_store(path)
    areas = []
    cover = None
    for props, geom in st.features:
        ztype = ZoneType(props["zone_type"])
        if ztype is ZoneType.COVERAGE:
            cover = geom
            continue
        states = tuple(s for s in str(props.get("states") or "").split(";") if s)
        areas.append(Area(geom, ztype, states, props.get("name", ""), props.get("feature", ""), props.get("id", "")))
    if cover is None:
        cover = box(*st.meta["coverage"])
    prov = _provenance(
        path, dataset=dataset, version=version, source=source, licence=licence,
        claims_policy=claims_policy, method=method,
    )
    b = Boundaries(areas, cover, prov, extra={"arrays": st.arrays, "land_complete": bool(st.meta.get("land_complete", True))})
    if "japan_claim" in st.geometries:
        claim = st.geometries["japan_claim"]
        shapely.prepare(claim)
        b.__dict__["japan_claim"] = claim  # preset the cached property
    return b


def load_boundaries_file(path: str | os.PathLike[str]) -> Boundaries:
    """Read any supported boundary file: eezcheck schema or Marine Regions (detected by columns)."""
    return load_user_file(path)
