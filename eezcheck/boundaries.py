"""The boundary model: named layers of zone polygons with their provenance.

:class:`Boundaries` holds :class:`Area` polygons (lon/lat degrees, EPSG:4326), each with its
zone type and the states concerned, grouped into named :class:`Layer` s, with the
:class:`Provenance` of the file each came from and the coverage (where the data is complete).
Everything a reader learnt about a data set is a typed field (the manifest, the directory,
Marine Regions' boundary lines, the arrays the build precomputed); nothing is added later, and a
loaded :class:`Boundaries` is never changed (it is frozen: the loaders cache and share it).

The readers (embedded store, Marine Regions, the eezcheck schema) are in
:mod:`eezcheck.boundary_readers`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from eezcheck.store import StoredGeometry

REGION_BBOX: tuple[float, float, float, float] = (100.0, 0.0, 180.0, 60.0)
"""Default region (min lon, min lat, max lon, max lat) read from world-wide files."""

JAPAN = "JPN"

class ZoneType(str, Enum):
    """Kind of area in a boundary file."""

    LAND = "land"
    INTERNAL_WATERS = "internal_waters"
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
    crs: str = ""
    """The CRS read from the file and how it became WGS84 (:meth:`eezcheck.crs.InputCRS.describe`);
    empty for the embedded data, computed on WGS84."""

    def to_dict(self) -> dict[str, str]:
        crs = {"crs": self.crs} if self.crs else {}
        return {
            "dataset": self.dataset,
            "version": self.version,
            "source": self.source,
            "licence": self.licence,
            "sha256": self.sha256,
            "path": self.path,
            "claims_policy": self.claims_policy,
            "method": self.method,
            **crs,
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

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(min lon, min lat, max lon, max lat) of the polygon."""
        return self.geometry.bounds  # type: ignore[no-any-return]

    @property
    def decoded(self) -> bool:
        """Whether the polygon is in memory (a :class:`StoredArea` decodes it on first use)."""
        return True

    def parts_near(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> list[tuple[BaseGeometry, NDArray[np.intp]]]:
        """Polygons whose union holds every point of the area that is among ``x, y``, each with
        the points (indices) it may hold: the area's own polygon and every point here; a
        :class:`StoredArea` gives only its parts around the points."""
        return [(self.geometry, np.arange(np.asarray(x).size))]


class StoredArea(Area):
    """An :class:`Area` of the embedded zones container, its polygon decoded on first use
    (:class:`eezcheck.store.StoredGeometry`): a check of one point decodes only the parts
    around it. The container's polygons are valid (the build makes them so), so a point is in
    the area iff it is in one of its parts."""

    _stored: StoredGeometry

    def __init__(
        self, stored: StoredGeometry, zone_type: ZoneType, states: tuple[str, ...], name: str = "",
        feature: str = "", ident: str = "",
    ) -> None:  # fmt: skip
        object.__setattr__(self, "_stored", stored)
        object.__setattr__(self, "zone_type", zone_type)
        object.__setattr__(self, "states", states)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "feature", feature)
        object.__setattr__(self, "ident", ident)

    @property  # type: ignore[override]
    def geometry(self) -> BaseGeometry:
        return self._stored.geometry

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        return self._stored.bounds

    @property
    def decoded(self) -> bool:
        return self._stored.decoded

    def parts_near(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> list[tuple[BaseGeometry, NDArray[np.intp]]]:
        return self._stored.parts_near(x, y)


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




@dataclass(frozen=True, eq=False)
class BoundaryLine:
    """A maritime boundary line (Marine Regions ``eez_boundaries``), lon/lat degrees."""

    geometry: BaseGeometry
    line_type: str | None
    attrs: Mapping[str, Any]


@dataclass(frozen=True, eq=False)
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
    boundary_lines : tuple of BoundaryLine, optional
        Marine Regions' ``eez_boundaries`` lines (for maps), when read.
    arrays : mapping of arrays, optional
        Arrays precomputed by the build (densified lines, labels) that the distance indexes
        use as they are (embedded store only).
    land_complete : bool
        True when the land areas are every coast of the coverage (embedded store), so that a
        point in no land polygon is at sea.
    precomputed_japan_claim : geometry, optional
        Japan's claim as the build computed it (else :attr:`japan_claim` computes it).
    manifest : mapping, optional
        The data set's manifest (without its file list) when read from a data-set directory.
    directory : str, optional
        That directory.
    """

    areas: Sequence[Area]
    coverage: BaseGeometry
    provenance: Provenance
    layer_provenance: Mapping[str, Provenance] = field(default_factory=dict)
    boundary_lines: tuple[BoundaryLine, ...] = ()
    arrays: Mapping[str, NDArray[Any]] = field(default_factory=dict)
    land_complete: bool = False
    precomputed_japan_claim: BaseGeometry | None = None
    manifest: Mapping[str, Any] | None = None
    directory: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "areas", tuple(self.areas))
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
        if self.precomputed_japan_claim is not None:
            shapely.prepare(self.precomputed_japan_claim)
            return self.precomputed_japan_claim
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
        """The outer limit of :attr:`japan_claim` as lines (lon/lat). Where the claim reaches
        ±180° (a polygon split there, :func:`eezcheck.crs.split_antimeridian`), the meridian
        is a cut, not a limit, and is left out."""
        lines = self.japan_claim.boundary
        minx, _, maxx, _ = lines.bounds if not lines.is_empty else (0.0, 0.0, 0.0, 0.0)
        if minx <= -180.0 or maxx >= 180.0:
            cut = shapely.MultiLineString([[(180.0, -90.0), (180.0, 90.0)], [(-180.0, -90.0), (-180.0, 90.0)]])
            lines = lines.difference(cut)
        return lines

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
        }


def fill_holes(geom: BaseGeometry, land: Sequence[BaseGeometry] | None = None) -> BaseGeometry:
    """The geometry with its interior rings removed; with ``land``, only the rings that meet land
    (a hole with no land in it is a high-seas pocket, not land)."""
    polys = [p for p in shapely.get_parts(geom) if isinstance(p, Polygon)]
    if not polys:
        return geom
    # a tree of the land's parts: a hole is tested against the few small polygons near it, not
    # against a whole state's land (one multipolygon of tens of thousands of islands)
    tree = shapely.STRtree(shapely.get_parts(list(land))) if land else None
    out = []
    for p in polys:
        keep = []
        if tree is not None and p.interiors:
            rings = list(p.interiors)
            meets = np.zeros(len(rings), dtype=bool)
            meets[tree.query(shapely.polygons(rings), predicate="intersects")[0]] = True
            keep = [ring for ring, m in zip(rings, meets) if not m]
        out.append(Polygon(p.exterior, keep))
    return shapely.union_all(out) if len(out) > 1 else out[0]


__all__ = [
    "JAPAN",
    "REGION_BBOX",
    "Area",
    "Boundaries",
    "BoundaryLine",
    "Layer",
    "Provenance",
    "StoredArea",
    "ZoneType",
    "fill_holes",
    "layer_name",
]
