"""The zone layers of a map: display geometry (the data set's display file, or the loaded
layers simplified here within a vertex budget), grouped by kind, with tooltips."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from eezcheck.boundaries import Boundaries
from eezcheck.mapping.events import clean_text
from eezcheck.mapping.text import states_text

DISPLAY_TOLERANCE_DEG = 0.01
"""Douglas-Peucker tolerance of display geometry (about 1 km); verdicts use the full data."""

LAND_MIN_AREA_DEG2 = 1e-4
"""Land parts smaller than this (about 1 km²) are left off the display basemap (islets)."""

MAX_DISPLAY_VERTICES = 90_000
"""Display geometry is simplified further until the zones hold at most this many vertices."""

_ZONE_DIGITS = 3  # ~100 m


@dataclass(frozen=True)
class _DisplayFeature:
    zone_type: str
    states: tuple[str, ...]
    name: str
    feature: str
    geometry: Any


def _display_features(boundaries: Boundaries) -> tuple[list[_DisplayFeature], str]:
    """Display geometry of every layer, and where it came from.

    The active data set's display file when its manifest names one (checked against the
    registry), else the loaded layers simplified here (land = the holes of EEZ polygons when
    the data has no land, as Marine Regions' polygons have holes where there is land).
    """
    import shapely

    directory = boundaries.directory
    if directory:
        from eezcheck.data import check_file, read_manifest, read_registry

        registry = read_registry(directory)
        files = read_manifest(directory, registry).get("files", {})
        name = files.get("display")
        if name:
            path = check_file(Path(directory), name, registry)
            return _read_display_file(path), f"display file {name} of the data set"
    feats = []
    land = []
    for a in boundaries.areas:
        z = a.zone_type.value
        feats.append(_DisplayFeature(z, tuple(a.states), a.name, a.feature, a.geometry))
        if z == "land":
            land.append(a)
    if not land:
        holes: list[Any] = []
        for a in boundaries.areas:
            if a.zone_type.value != "eez":
                continue
            for p in shapely.get_parts(a.geometry):
                holes.extend(shapely.polygons(list(p.interiors)) if len(p.interiors) else [])
        if holes:
            feats.append(
                _DisplayFeature(
                    "land", (), "Land (holes in the EEZ polygons)", "", shapely.multipolygons(holes)
                )
            )
    return feats, "the loaded layers, simplified for display"


def _read_display_file(path: Path) -> list[_DisplayFeature]:
    import shapely

    from eezcheck.errors import BoundaryDataError

    try:
        fc = json.loads(path.read_text(encoding="utf-8"))
        out = []
        for f in fc["features"]:
            p = f.get("properties") or {}
            states = tuple(s for s in str(p.get("states") or "").split(";") if s)
            geom = shapely.from_geojson(json.dumps(f["geometry"]))
            out.append(
                _DisplayFeature(
                    str(p.get("zone_type") or ""),
                    states,
                    str(p.get("name") or ""),
                    str(p.get("feature") or ""),
                    geom,
                )
            )
    except (OSError, ValueError, KeyError, TypeError, shapely.errors.GEOSException) as exc:
        raise BoundaryDataError(f"Display file {str(path)!r} cannot be read: {exc}") from exc
    return out


def _simplify(
    items: list[tuple[Any, str]], tol: float, min_area: float = 0.0
) -> list[tuple[Any, str]]:
    """Simplified (Douglas-Peucker, each part on its own, topology kept) and rounded copies.

    Parts are simplified one by one (as the build does): a multipolygon of many small islands
    simplified as a whole can take minutes in GEOS. Parts smaller than ``min_area`` (square
    degrees) are dropped first, and empty results after.
    """
    import shapely

    out = []
    for g, tip in items:
        parts = shapely.get_parts(g)
        if min_area > 0:
            parts = parts[shapely.area(parts) >= min_area]
        if not len(parts):
            continue
        parts = shapely.simplify(parts, tol, preserve_topology=True)
        parts = shapely.transform(parts, lambda c: np.round(c, _ZONE_DIGITS))
        parts = parts[~shapely.is_empty(parts)]
        if not len(parts):
            continue
        kinds = set(shapely.get_type_id(parts).tolist())
        if kinds <= {3}:
            geom = shapely.multipolygons(parts)
        elif kinds <= {1, 2}:
            geom = shapely.multilinestrings(parts)
        else:
            geom = shapely.geometrycollections(parts)
        out.append((geom, tip))
    return out


@dataclass
class ZoneLayer:
    """One zone layer: its key, label, Leaflet style and (geometry, tooltip) items."""

    key: str
    label: str
    style: dict[str, Any]
    interactive: bool = True
    show: bool = True
    items: list[tuple[Any, str]] = field(default_factory=list)  # (geometry, tooltip)


ZONE_STYLES: dict[str, dict[str, Any]] = {
    "neighbour": {"color": "#7f7f7f", "weight": 1, "fillColor": "#bdbdbd", "fillOpacity": 0.14},
    "japan": {"color": "#1f4e9c", "weight": 1.6, "fillColor": "#4a90d9", "fillOpacity": 0.13},
    "cz": {
        "color": "#2b6cb0",
        "weight": 1,
        "dashArray": "3 3",
        "fillColor": "#6baed6",
        "fillOpacity": 0.16,
    },
    "ts": {"color": "#0b3d91", "weight": 1, "fillColor": "#0b3d91", "fillOpacity": 0.3},
    "iw": {"color": "#01665e", "weight": 1, "fillColor": "#35978f", "fillOpacity": 0.45},
    "disputed": {
        "color": "#6a3d9a",
        "weight": 1.6,
        "dashArray": "6 4",
        "fillColor": "#9467bd",
        "fillOpacity": 0.3,
    },
    "joint": {
        "color": "#6a3d9a",
        "weight": 1.2,
        "dashArray": "2 4",
        "fillColor": "#cab2d6",
        "fillOpacity": 0.25,
    },
    "land": {"color": "#b0a48a", "weight": 0.6, "fillColor": "#ece6d8", "fillOpacity": 1.0},
    "coverage": {"color": "#444", "weight": 1, "dashArray": "8 6", "fill": False},
}


def zone_layers(boundaries: Any) -> tuple[list[ZoneLayer], str, list[str]]:
    """The zone layers (simplified, within the vertex budget), the display source, and the
    disputed areas involving Japan as legend lines."""
    import shapely

    feats, source = _display_features(boundaries)
    japan_policy = str(boundaries.claims_policy).lower().startswith("japan")
    jlabel = (
        "Japan's EEZ as Japan claims it"
        if japan_policy
        else "Japan's EEZ as this data draws Japan's claim"
    )
    layers = {
        "neighbour": ZoneLayer("neighbour", "Neighbouring EEZs", ZONE_STYLES["neighbour"]),
        "japan": ZoneLayer("japan", jlabel + " (incl. disputed areas)", ZONE_STYLES["japan"]),
        "cz": ZoneLayer("cz", "Japan's contiguous zone (24 nm)", ZONE_STYLES["cz"]),
        "ts": ZoneLayer("ts", "Japan's territorial sea (12 nm)", ZONE_STYLES["ts"]),
        "iw": ZoneLayer("iw", "Japan's internal waters", ZONE_STYLES["iw"]),
        "disputed": ZoneLayer(
            "disputed", "Disputed areas (with claimants)", ZONE_STYLES["disputed"]
        ),
        "land": ZoneLayer("land", "Land (basemap)", ZONE_STYLES["land"], interactive=False),
        "coverage": ZoneLayer(
            "coverage",
            "Coverage of the boundary data",
            ZONE_STYLES["coverage"],
            interactive=False,
        ),
    }
    disputed_lines: list[str] = []
    for f in feats:
        z = f.zone_type
        holder = f.states[0] if f.states else ""
        if z == "land":
            layers["land"].items.append((f.geometry, ""))
        elif z in ("overlapping_claim", "contested", "joint_regime"):
            what = {
                "overlapping_claim": "overlapping claim",
                "contested": "contested entitlement",
                "joint_regime": "joint regime",
            }[z]
            title = f.feature or f.name or what
            tip = (
                f"{title}: claimed by {states_text(f.states)} ({what})"
                if z != "joint_regime"
                else f"{title}: {states_text(f.states)} ({what})"
            )
            if z == "contested" and f.name:
                tip = f"{f.name}; claimants {states_text(f.states)}"
            layers["disputed"].items.append((f.geometry, tip))
            if "JPN" in f.states:
                disputed_lines.append(f"{title}: {states_text(f.states)} ({what})")
        elif z in ("eez", "territorial_sea", "contiguous_zone") and holder != "JPN":
            layers["neighbour"].items.append(
                (f.geometry, f"{f.name or z.replace('_', ' ')} ({states_text(f.states)})")
            )
        elif z == "territorial_sea":
            layers["ts"].items.append(
                (f.geometry, f.name or "Japan's internal waters and territorial sea")
            )
        elif z == "internal_waters" and holder == "JPN":
            layers["iw"].items.append((f.geometry, f.name or "Japan's internal waters"))
        elif z == "contiguous_zone":
            layers["cz"].items.append((f.geometry, f.name or "Japan's contiguous zone"))
        elif z == "coverage":
            layers["coverage"].items.append((f.geometry.boundary, ""))
    claim = boundaries.japan_claim
    if not claim.is_empty:
        layers["japan"].items.append(
            (claim, f"{jlabel}; its outer edge is the EEZ limit the verdicts use")
        )
    if not layers["coverage"].items and not boundaries.coverage.is_empty:
        layers["coverage"].items.append((boundaries.coverage.boundary, ""))
    # simplify within the vertex budget
    tol = DISPLAY_TOLERANCE_DEG
    for _ in range(5):
        simplified = {
            k: _simplify(
                lay.items,
                tol,
                LAND_MIN_AREA_DEG2 * tol / DISPLAY_TOLERANCE_DEG if k == "land" else 0.0,
            )
            for k, lay in layers.items()
        }
        total = sum(
            int(shapely.get_num_coordinates(g)) for items in simplified.values() for g, _t in items
        )
        if total <= MAX_DISPLAY_VERTICES:
            break
        tol *= 2
    for k, lay in layers.items():
        lay.items = simplified[k]
    return list(layers.values()), source, sorted(set(disputed_lines))


def encoded_geometry(geom: Any, digits: int = _ZONE_DIGITS) -> dict[str, Any]:
    """A shapely geometry as GeoJSON whose innermost coordinate lists are encoded polylines
    (:func:`~eezcheck.mapping.geometry.encode_coordinates`): ``{"type": ..., "enc": ...,
    "digits": ...}`` with ``enc`` nested like GeoJSON's ``coordinates``. A geometry collection
    holds its members encoded the same way."""
    import shapely

    from eezcheck.mapping.geometry import encode_coordinates

    kind = geom.geom_type
    if kind == "GeometryCollection":
        return {"type": kind, "geometries": [encoded_geometry(g, digits) for g in geom.geoms]}

    def ring(g: Any) -> str:
        return encode_coordinates(shapely.get_coordinates(g), digits)

    def polygon(g: Any) -> list[str]:
        return [ring(g.exterior), *(ring(r) for r in g.interiors)]

    enc: Any
    if kind == "Point":
        enc = ring(geom)
    elif kind in ("LineString", "LinearRing", "MultiPoint"):
        enc = ring(geom)
        kind = "LineString" if kind == "LinearRing" else kind
    elif kind == "Polygon":
        enc = polygon(geom)
    elif kind == "MultiLineString":
        enc = [ring(g) for g in geom.geoms]
    else:  # MultiPolygon
        enc = [polygon(g) for g in geom.geoms]
    return {"type": kind, "enc": enc, "digits": digits}


def zones_geojson(layer: ZoneLayer) -> dict[str, Any]:
    """The layer as a GeoJSON FeatureCollection (a dict) with encoded coordinates
    (:func:`encoded_geometry`, decoded by the page); each feature's tooltip is its ``label``
    property, shown by the page as text."""
    features = [
        {
            "type": "Feature",
            "geometry": encoded_geometry(geom),
            "properties": {"label": clean_text(tip)},
        }
        for geom, tip in layer.items
    ]
    return {"type": "FeatureCollection", "features": features}
