"""What a check answers: :class:`CheckResult` for one point, :class:`CheckResults` for many,
and the claims, nearest place and reach figures they hold.

Every result is a frozen dataclass whose ``to_dict()`` is the ``--json`` contract
(:data:`RESULT_KEYS`, in documentation order). Coordinates are ``lon, lat`` under those names;
distances are geodesic (WGS84) in km (and nm where a name says so), rounded to metres.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, overload

import numpy as np
from numpy.typing import NDArray

from eezcheck.places import NearestPlace, place_by_key
from eezcheck.territory import JapanArea
from eezcheck.uncertainty import CircularUncertainty
from eezcheck.zones import JapanEEZ, Zone

RESULT_KEYS = (
    "lat",
    "lon",
    "zone",
    "zone_name",
    "zone_states",
    "japan_eez",
    "japan_area",
    "p_inside",
    "distance_to_eez_limit_km",
    "distance_to_eez_limit_nm",
    "nearest_japanese_land_km",
    "nearest_place",
    "description_en",
    "description_ja",
    "claims",
    "boundaries",
    "uncertainty_km",
    "input",
    "uncertainty_model",
)
"""Keys of :meth:`CheckResult.to_dict` (the ``--json`` contract), in documentation order."""

CLAIM_KINDS = ("overlapping_claim", "joint_regime", "contested")
"""Area types reported in ``claims``. ``contested`` areas (e.g. the waters that Okinotorishima
would generate, which China and South Korea dispute) are not zones, only claims."""

DIGITS = 3
"""Decimals of distances in km and nm (metres)."""
P_DIGITS = 4
"""Decimals of P(inside) (its resolution is 1/4000)."""


@dataclass(frozen=True)
class Claim:
    """A disputed or shared area containing a point: which feature, which states, what kind."""

    feature: str
    states: tuple[str, ...]
    kind: str

    def to_dict(self) -> dict[str, Any]:
        return {"feature": self.feature, "states": list(self.states), "kind": self.kind}


@dataclass(frozen=True)
class CheckResult:
    """The verdict on one point. ``to_dict()`` gives the ``--json`` object (:data:`RESULT_KEYS`).

    ``distance_to_eez_limit_km`` is signed: positive inside Japan's EEZ as the loaded data draws
    Japan's claim (``japan_eez`` inside or disputed), negative outside. ``p_inside`` is None
    without an uncertainty. ``input`` says how the point was given and derived;
    ``uncertainty_model`` how ``p_inside`` was computed. ``japan_area`` says which of Japan's
    areas holds the point (land, internal waters, territorial sea, contiguous zone, EEZ beyond
    it, outside; disputed and uncertain as ``japan_eez``).
    """

    lat: float
    lon: float
    zone: Zone
    zone_name: str
    zone_states: tuple[str, ...]
    japan_eez: JapanEEZ
    japan_area: JapanArea
    p_inside: float | None
    distance_to_eez_limit_km: float | None
    distance_to_eez_limit_nm: float | None
    nearest_japanese_land_km: float | None
    nearest_place: NearestPlace | None
    description_en: str | None
    description_ja: str | None
    claims: tuple[Claim, ...]
    boundaries: Mapping[str, str]
    uncertainty_km: float | None
    input: Mapping[str, Any]
    uncertainty_model: Mapping[str, Any] | None
    warnings: tuple[str, ...] = field(default=())

    def __repr__(self) -> str:
        from eezcheck.display import result_repr

        return result_repr(self)

    def _repr_html_(self) -> str:
        from eezcheck.display import result_html

        return result_html(self)

    @property
    def inside(self) -> bool:
        """True when the point itself is inside Japan's claimed EEZ (inside or disputed)."""
        d = self.distance_to_eez_limit_km
        return d is not None and math.copysign(1.0, d) > 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "lat": self.lat,
            "lon": self.lon,
            "zone": self.zone.value,
            "zone_name": self.zone_name,
            "zone_states": list(self.zone_states),
            "japan_eez": self.japan_eez.value,
            "japan_area": self.japan_area.value,
            "p_inside": self.p_inside,
            "distance_to_eez_limit_km": self.distance_to_eez_limit_km,
            "distance_to_eez_limit_nm": self.distance_to_eez_limit_nm,
            "nearest_japanese_land_km": self.nearest_japanese_land_km,
            "nearest_place": self.nearest_place.to_dict() if self.nearest_place else None,
            "description_en": self.description_en,
            "description_ja": self.description_ja,
            "claims": [c.to_dict() for c in self.claims],
            "boundaries": dict(self.boundaries),
            "uncertainty_km": self.uncertainty_km,
            "input": json_ready(dict(self.input)),
            "uncertainty_model": json_ready(dict(self.uncertainty_model))
            if self.uncertainty_model
            else None,
        }


def json_ready(obj: Any) -> Any:
    """JSON-ready copy: tuples -> lists, numpy scalars -> Python, NaN -> None."""
    if isinstance(obj, Mapping):
        return {str(k): json_ready(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_ready(v) for v in obj]
    if isinstance(obj, np.generic):
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


@dataclass(frozen=True)
class CheckResults:
    """Vectorised verdicts: one entry per point in every column (numpy arrays).

    Columns are the keys of :data:`RESULT_KEYS` that were computed (see ``fields`` of
    :func:`check_many`): float columns hold NaN where :class:`CheckResult` has None, object
    columns hold strings, tuples (``zone_states``) and :class:`Claim` tuples. The nearest place
    is stored flat (``nearest_place_key``, ``nearest_place_distance_km``,
    ``nearest_place_azimuth_deg``); ``res["nearest_place"]`` builds :class:`NearestPlace`
    objects on demand. ``row(i)`` is exactly what :func:`check` returns for point i.

    ``factors`` holds, for some object columns, integer codes and the distinct values they
    index (``columns[k]`` equals ``values[codes]``): writers use them to encode each distinct
    value once (:mod:`eezcheck.batch`). It is optional and may be empty.
    """

    columns: Mapping[str, NDArray[Any]]
    boundaries: Mapping[str, str]
    warnings: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    factors: Mapping[str, tuple[NDArray[np.intp], NDArray[Any]]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.columns["lat"])

    @overload
    def __getitem__(self, key: str) -> NDArray[Any]: ...
    @overload
    def __getitem__(self, key: int) -> CheckResult: ...
    @overload
    def __getitem__(self, key: slice) -> CheckResults: ...

    def __getitem__(self, key: Any) -> Any:
        """``res["japan_eez"]``: a column; ``res[0]``, ``res[-1]``: one :class:`CheckResult`;
        ``res[2:5]``: the same results for those points."""
        if isinstance(key, slice):
            return self._take(np.arange(len(self))[key])
        if isinstance(key, (int, np.integer)) and not isinstance(key, bool):
            n = len(self)
            i = int(key) + n if key < 0 else int(key)
            if not 0 <= i < n:
                raise IndexError(f"result {int(key)} of {n}: give 0 to {n - 1} (or -1 for the last)")
            return self.row(i)
        return self._column(key)

    def _take(self, idx: NDArray[np.intp]) -> CheckResults:
        where = {int(old): new for new, old in enumerate(idx)}
        return CheckResults(
            {k: v[idx] for k, v in self.columns.items()},
            self.boundaries,
            {where[i]: w for i, w in self.warnings.items() if i in where},
        )

    def __repr__(self) -> str:
        from eezcheck.display import results_repr

        return results_repr(self)

    def _repr_html_(self) -> str:
        from eezcheck.display import results_html

        return results_html(self)

    def attach_to(self, frame: Any) -> Any:
        """``frame`` (a pandas or GeoPandas DataFrame, one row per point) with the result
        columns after its own; a result column whose name the frame already has is suffixed
        ``_result`` (``lat_result``). A GeoDataFrame stays one (its geometry unchanged)."""
        out = frame.copy()
        results = self.to_pandas()
        for name in results.columns:
            target = name if name not in out.columns else f"{name}_result"
            out[target] = results[name].to_numpy()
        return out

    def to_geopandas(self) -> Any:
        """A GeoDataFrame of :meth:`to_pandas` with the checked points as geometry (EPSG:4326)."""
        import geopandas as gpd

        df = self.to_pandas()
        geometry = gpd.points_from_xy(self.columns["lon"], self.columns["lat"], crs="EPSG:4326")
        return gpd.GeoDataFrame(df, geometry=geometry, crs="EPSG:4326")

    def _column(self, key: str) -> NDArray[Any]:
        if key == "nearest_place" and key not in self.columns:
            out = np.empty(len(self), dtype=object)
            out[:] = [self._nearest_place(i) for i in range(len(self))]
            return out
        return self.columns[key]

    def _nearest_place(self, i: int) -> NearestPlace | None:
        key = str(self.columns["nearest_place_key"][i])
        if not key:
            return None
        return NearestPlace(
            place_by_key(key),
            float(self.columns["nearest_place_distance_km"][i]),
            float(self.columns["nearest_place_azimuth_deg"][i]),
        )

    def row(self, i: int) -> CheckResult:
        """Point ``i`` as a :class:`CheckResult` (every column must have been computed)."""
        c = self.columns
        missing = [k for k in _ROW_COLUMNS if k not in c]
        if missing:
            raise KeyError(f"columns {missing} were not computed (fields=...); row() needs all")
        return CheckResult(
            lat=float(c["lat"][i]),
            lon=float(c["lon"][i]),
            zone=Zone(c["zone"][i]),
            zone_name=str(c["zone_name"][i]),
            zone_states=tuple(c["zone_states"][i]),
            japan_eez=JapanEEZ(c["japan_eez"][i]),
            japan_area=JapanArea(c["japan_area"][i]),
            p_inside=_opt(c["p_inside"][i]),
            distance_to_eez_limit_km=_opt(c["distance_to_eez_limit_km"][i]),
            distance_to_eez_limit_nm=_opt(c["distance_to_eez_limit_nm"][i]),
            nearest_japanese_land_km=_opt(c["nearest_japanese_land_km"][i]),
            nearest_place=self._nearest_place(i),
            description_en=c["description_en"][i] or None,
            description_ja=c["description_ja"][i] or None,
            claims=tuple(c["claims"][i]),
            boundaries=self.boundaries,
            uncertainty_km=_opt(c["uncertainty_km"][i]),
            input=c["input"][i],
            uncertainty_model=_circular_model(c["uncertainty_km"][i]),
            warnings=self.warnings.get(i, ()),
        )

    def __iter__(self) -> Iterator[CheckResult]:
        return (self.row(i) for i in range(len(self)))

    def to_dicts(self) -> list[dict[str, Any]]:
        """One ``to_dict()`` per point (all columns must have been computed)."""
        return [r.to_dict() for r in self]

    def to_pandas(self) -> Any:
        """A pandas DataFrame of the computed columns (nested values stay Python objects;
        the nearest place is in its three flat columns)."""
        import pandas as pd

        data: dict[str, Any] = {}
        for k, v in self.columns.items():
            if k == "claims":
                data[k] = [[cl.to_dict() for cl in row] for row in v]
            elif k == "zone_states":
                data[k] = [list(s) for s in v]
            else:
                data[k] = v
        return pd.DataFrame(data)


NEAREST_COLUMNS = ("nearest_place_key", "nearest_place_distance_km", "nearest_place_azimuth_deg")
_ROW_COLUMNS = tuple(
    c
    for k in RESULT_KEYS
    if k not in ("boundaries", "uncertainty_model")
    for c in (NEAREST_COLUMNS if k == "nearest_place" else (k,))
)


@lru_cache(maxsize=1)
def _circular_model(r: Any) -> dict[str, Any] | None:
    r = float(r)
    return CircularUncertainty(r).to_dict() if math.isfinite(r) else None


def _opt(v: Any) -> float | None:
    f = float(v)
    return f if math.isfinite(f) else None



__all__ = [
    "CLAIM_KINDS",
    "DIGITS",
    "NEAREST_COLUMNS",
    "P_DIGITS",
    "RESULT_KEYS",
    "CheckResult",
    "CheckResults",
    "Claim",
    "NearestPlace",
    "json_ready",
]
