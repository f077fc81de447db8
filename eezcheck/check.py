"""Point verdicts: is a point inside Japan's EEZ, in which zone, how far from the limit?

The user-facing functions take **latitude first** (``check(41.3, 138.5)``), the way people write
coordinates; everything inside works in ``lon, lat`` order, and the results carry both under
their names. Distances are geodesic on WGS84.

- :func:`check` answers one point given as ``lat, lon``, as text people write ("41°18'N
  138°30'E", "北緯41.3度 東経138.5度"), as Japan's Ministry of Defense (MoD) words an impact
  ("about 200 km W of Okushiri", "北海道奥尻島の西約200km"), or as a launch site plus range and
  bearing. It returns a frozen :class:`CheckResult`.
- :func:`check_many` answers arrays (or a DataFrame) of points at once, vectorised, with answers
  identical to :func:`check` (:class:`CheckResults`, ``row(i)`` gives a :class:`CheckResult`).
- :class:`Checker` holds one boundary data set with its indexes, for repeated calls.
- :func:`min_distance_to_japan_eez` and :func:`range_reach` say whether a range flown from a
  launch site could reach Japan's EEZ at all.

Uncertainty (``uncertainty_km``, or the precision of MoD wording) gives ``p_inside`` and the
``uncertain`` verdict; the rule is in :mod:`eezcheck.uncertainty`.

Examples
--------
>>> r = check(41.3, 138.5)  # doctest: +SKIP
>>> r.japan_eez.value, r.description_en  # doctest: +SKIP
('inside', 'about 80 km SW of Oshima-Oshima')
"""

from __future__ import annotations

import math
import os
import re
import sys
import types
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from eezcheck.boundaries import Area, Boundaries
from eezcheck.errors import (
    InvalidCoordinateError,
    InvalidInputError,
    WordingError,
)
from eezcheck.geodesy import KM, NM, destination, normalize_lon
from eezcheck.uncertainty import (
    CircularUncertainty,
    Uncertainty,
    WordingUncertainty,
    p_inside_circular,
    p_inside_wording,
    verdict_with_p,
    verdicts_with_p,
)
from eezcheck.zones import (
    JAPAN_CODES,
    ZONE_CODES,
    Classifier,
    DistanceIndex,
    JapanEEZ,
    LineDistance,
    Zone,
    contains_xy,
    zone_name,
)

RESULT_KEYS = (
    "lat",
    "lon",
    "zone",
    "zone_name",
    "zone_states",
    "japan_eez",
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

SWAP_WARNING = "did you swap latitude and longitude?"

_DIGITS = 3  # km, nm: rounded to metres
_P_DIGITS = 4  # P has a resolution of 1/4000
_MAX_RANGE_KM = 20_000.0
_NEAR_JAPAN_M = 200 * NM  # "near Japan" for the swapped-reading warning


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Claim:
    """A disputed or shared area containing a point: which feature, which states, what kind."""

    feature: str
    states: tuple[str, ...]
    kind: str

    def to_dict(self) -> dict[str, Any]:
        return {"feature": self.feature, "states": list(self.states), "kind": self.kind}


@dataclass(frozen=True)
class NearestPlace:
    """The nearest Japanese reference place and the point's distance and azimuth from it."""

    key: str
    name_en: str
    name_ja: str
    distance_km: float
    azimuth_deg: float
    """Geodesic azimuth from the place to the point, 0..360."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name_en": self.name_en,
            "name_ja": self.name_ja,
            "distance_km": self.distance_km,
            "azimuth_deg": self.azimuth_deg,
        }


@dataclass(frozen=True)
class CheckResult:
    """The verdict on one point. ``to_dict()`` gives the ``--json`` object (:data:`RESULT_KEYS`).

    ``distance_to_eez_limit_km`` is signed: positive inside Japan's EEZ as the loaded data draws
    Japan's claim (``japan_eez`` inside or disputed), negative outside. ``p_inside`` is None
    without an uncertainty. ``input`` says how the point was given and derived;
    ``uncertainty_model`` how ``p_inside`` was computed.
    """

    lat: float
    lon: float
    zone: Zone
    zone_name: str
    zone_states: tuple[str, ...]
    japan_eez: JapanEEZ
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
            "input": _plain(dict(self.input)),
            "uncertainty_model": _plain(dict(self.uncertainty_model))
            if self.uncertainty_model
            else None,
        }


def _plain(obj: Any) -> Any:
    """JSON-ready copy: tuples -> lists, numpy scalars -> Python, NaN -> None."""
    if isinstance(obj, Mapping):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
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

    def __getitem__(self, key: str) -> NDArray[Any]:
        if key == "nearest_place" and key not in self.columns:
            out = np.empty(len(self), dtype=object)
            out[:] = [self._nearest_place(i) for i in range(len(self))]
            return out
        return self.columns[key]

    def _nearest_place(self, i: int) -> NearestPlace | None:
        key = str(self.columns["nearest_place_key"][i])
        if not key:
            return None
        place = _place_by_key()[key]
        return NearestPlace(
            key,
            place.name_en,
            place.name_ja,
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

    def __iter__(self) -> Any:
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


_NEAREST_COLUMNS = ("nearest_place_key", "nearest_place_distance_km", "nearest_place_azimuth_deg")
_ROW_COLUMNS = tuple(
    c
    for k in RESULT_KEYS
    if k not in ("boundaries", "uncertainty_model")
    for c in (_NEAREST_COLUMNS if k == "nearest_place" else (k,))
)


@lru_cache(maxsize=1)
def _place_by_key() -> dict[str, Any]:
    from eezcheck import places as pl

    return {p.key: p for p in pl.places()}


def _circular_model(r: Any) -> dict[str, Any] | None:
    r = float(r)
    return CircularUncertainty(r).to_dict() if math.isfinite(r) else None


def _opt(v: Any) -> float | None:
    f = float(v)
    return f if math.isfinite(f) else None


# --------------------------------------------------------------------------- the checker


@dataclass(frozen=True)
class NearestLimit:
    """Nearest point of Japan's EEZ limit (as the loaded data draws Japan's claim)."""

    distance_km: float
    """Geodesic distance; 0 when the point is already inside Japan's claim."""
    lon: float
    lat: float
    inside: bool

    @property
    def distance_nm(self) -> float:
        return self.distance_km * KM / NM

    def to_dict(self) -> dict[str, Any]:
        return {
            "distance_km": round(self.distance_km, _DIGITS),
            "distance_nm": round(self.distance_nm, _DIGITS),
            "lat": self.lat,
            "lon": self.lon,
            "inside": self.inside,
        }


@dataclass(frozen=True)
class RangeReach:
    """Could a missile flying ``range_km`` from a launch site land in Japan's EEZ at all?"""

    launch: Mapping[str, Any]
    range_km: float
    nearest: NearestLimit
    can_reach: bool
    boundaries: Mapping[str, str]

    @property
    def margin_km(self) -> float:
        """Range minus the distance to Japan's EEZ (positive: the range reaches it)."""
        return self.range_km - self.nearest.distance_km

    def to_dict(self) -> dict[str, Any]:
        return {
            "launch": _plain(dict(self.launch)),
            "range_km": self.range_km,
            "min_distance_to_japan_eez_km": round(self.nearest.distance_km, _DIGITS),
            "nearest_eez_point": {"lat": self.nearest.lat, "lon": self.nearest.lon},
            "can_reach_japan_eez": self.can_reach,
            "margin_km": round(self.margin_km, _DIGITS),
            "boundaries": dict(self.boundaries),
        }


class Checker:
    """One boundary data set with its classifier and distance indexes, for repeated checks.

    Parameters
    ----------
    boundaries : Boundaries, path or None
        A loaded :class:`~eezcheck.boundaries.Boundaries`, a path given like ``--boundaries``
        (data-set directory or boundary file), or None for the active data
        (:func:`eezcheck.data.load_active`).

    Examples
    --------
    >>> c = Checker()  # doctest: +SKIP
    >>> c.check(41.3, 138.5).japan_eez  # doctest: +SKIP
    <JapanEEZ.INSIDE: 'inside'>
    """

    def __init__(self, boundaries: Boundaries | str | os.PathLike[str] | None = None) -> None:
        if isinstance(boundaries, Boundaries):
            self.boundaries: Boundaries = boundaries
        else:
            from eezcheck.data import load_active

            self.boundaries = load_active(boundaries)

    # ---------------------------------------------------------------- indexes
    @cached_property
    def classifier(self) -> Classifier:
        return Classifier(self.boundaries)

    @cached_property
    def distances(self) -> DistanceIndex:
        return DistanceIndex(self.boundaries)

    @cached_property
    def boundaries_info(self) -> dict[str, str]:
        """The ``boundaries`` key: dataset, version, sha256, claims policy, source, licence."""
        p = self.boundaries.provenance
        return {
            "dataset": p.dataset,
            "version": p.version,
            "sha256": p.sha256,
            "claims_policy": p.claims_policy,
            "source": p.source,
            "licence": p.licence,
        }

    @cached_property
    def _claim_areas(self) -> list[tuple[Area, Claim]]:
        out = []
        for a in self.boundaries.areas:
            kind = _zone_type_value(a)
            if kind in CLAIM_KINDS:
                out.append(
                    (a, Claim(a.feature or a.name or kind.replace("_", " "), tuple(a.states), kind))
                )
        return out

    @cached_property
    def _area_tables(self) -> tuple[NDArray[Any], NDArray[Any]]:
        """Zone name and states per classifier area, plus high seas (-1 -> last-but-one) and
        unknown (last)."""
        clf = self.classifier
        names = [zone_name(a, ZONE_CODES[int(z)]) for a, z in zip(clf.areas, clf.area_zone)]
        states = [tuple(a.states) for a in clf.areas]
        names += [zone_name(None, Zone.HIGH_SEAS), zone_name(None, Zone.UNKNOWN)]
        states += [(), ()]
        st = np.empty(len(states), dtype=object)
        st[:] = states
        return np.array(names, dtype=object), st

    def thread_safe(self, fields: Iterable[str] | None = None) -> bool:
        """Get ready for several threads checking ``fields`` (default: all) at once, and say
        whether they can start.

        Builds what must not be built by two threads at once (the classification grid and
        tables, the distance lines). Returns True once every index whose existence can change
        an answer exists: the KD-tree of each line that the distance fields need. A check of up to 16
        points searches a line without its tree until some larger check has built it, which
        may settle a tie between coinciding vertices differently; so :mod:`eezcheck.batch`
        checks its pieces one by one until this is True, and gives the same bytes as in one
        thread.
        """
        want = set(RESULT_KEYS if fields is None else fields)
        clf = self.classifier
        _ = clf.grid, self._area_tables, self._claim_areas, self.boundaries_info
        clf.prepare()
        lines: list[LineDistance | None] = []
        if want & {"distance_to_eez_limit_km", "distance_to_eez_limit_nm"}:
            lines.append(self.distances.limit)
        if "nearest_japanese_land_km" in want:
            lines.append(self.distances.land)
            _ = self.distances.japan_land
        return all(line is None or line.has_tree for line in lines)

    # ---------------------------------------------------------------- core, vectorised
    def evaluate(
        self,
        lon: ArrayLike,
        lat: ArrayLike,
        *,
        uncertainty_km: ArrayLike | None = None,
        fields: Iterable[str] | None = None,
        inputs: Sequence[Mapping[str, Any]] | None = None,
    ) -> CheckResults:
        """Verdicts for points given as ``lon, lat`` arrays (degrees; lon is normalised).

        This is the one code path of both :func:`check` and :func:`check_many`: no Python loop
        over points for classification, distances or nearest places.
        """
        x = np.atleast_1d(np.asarray(lon, dtype=float)).ravel()
        y = np.atleast_1d(np.asarray(lat, dtype=float)).ravel()
        _validate_arrays(x, y)
        x = _wrap_lon(x)
        n = x.size
        want = set(RESULT_KEYS if fields is None else fields)
        unknown = want - set(RESULT_KEYS)
        if unknown:
            raise InvalidInputError(
                f"unknown field(s) {sorted(unknown)}; choose from {list(RESULT_KEYS)}"
            )
        cols: dict[str, NDArray[Any]] = {"lat": y, "lon": x}
        factors: dict[str, tuple[NDArray[np.intp], NDArray[Any]]] = {}

        clf = self.classifier.classify(x, y)
        zone_vals = np.array([z.value for z in ZONE_CODES], dtype=object)
        japan_vals = np.array([j.value for j in JAPAN_CODES], dtype=object)
        zone_code = clf.zone_code.astype(np.intp)
        japan_code = clf.japan_code.astype(np.intp)
        zone = zone_vals[zone_code]
        japan_point = japan_vals[japan_code]
        inside = japan_code != JAPAN_CODES.index(JapanEEZ.OUTSIDE)
        cols["zone"] = zone
        factors["zone"] = (zone_code, zone_vals)
        if "zone_name" in want or "zone_states" in want:
            names, states = self._area_tables
            k = np.where(clf.area_index >= 0, clf.area_index, len(names) - 2)
            k = np.where(zone_code == ZONE_CODES.index(Zone.UNKNOWN), len(names) - 1, k)
            k = k.astype(np.intp)
            cols["zone_name"] = names[k]
            cols["zone_states"] = states[k]
            factors["zone_name"] = (k, names)
            factors["zone_states"] = (k, states)

        # uncertainty and P(inside)
        if uncertainty_km is None:
            r = np.full(n, np.nan)
        else:
            r = np.broadcast_to(np.asarray(uncertainty_km, dtype=float), (n,)).copy()
            bad = ~(np.isnan(r) | ((r >= 0) & np.isfinite(r)))
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise InvalidInputError(
                    f"uncertainty_km {r[i]!r} (point {i}) is not a radius: give a distance >= 0 in km"
                )
        p = np.full(n, np.nan)
        if np.isfinite(r).any():
            p = np.round(p_inside_circular(self.classifier, x, y, r), _P_DIGITS)
        cols["p_inside"] = p
        if np.isfinite(p).any():
            cols["japan_eez"] = verdicts_with_p(japan_point, p)
        else:  # no P: the verdict is the point's
            cols["japan_eez"] = japan_point
            factors["japan_eez"] = (japan_code, japan_vals)
        cols["uncertainty_km"] = r

        want_limit = bool(want & {"distance_to_eez_limit_km", "distance_to_eez_limit_nm"})
        want_land = "nearest_japanese_land_km" in want
        if want_limit or want_land:
            # only points the classifier puts on land (or beyond its data) can be on land
            maybe_land = np.isin(
                zone_code, [ZONE_CODES.index(Zone.LAND), ZONE_CODES.index(Zone.UNKNOWN)]
            )
            dist = self.distances.measure(
                x, y, inside, limit=want_limit, land=want_land, maybe_on_land=maybe_land
            )
            if want_limit:
                d_m = dist.to_limit_m
                cols["distance_to_eez_limit_km"] = _round_signed(d_m / KM, _DIGITS)
                cols["distance_to_eez_limit_nm"] = _round_signed(d_m / NM, _DIGITS)
            if want_land:
                cols["nearest_japanese_land_km"] = np.round(dist.to_land_m / KM, _DIGITS)
        if want & {"nearest_place", "description_en", "description_ja"}:
            near_cols, near_factors = _nearest_and_descriptions(x, y)
            cols.update(near_cols)
            factors.update(near_factors)
        if "claims" in want:
            codes, claim_sets = self._claim_codes(x, y)
            cols["claims"] = claim_sets[codes]
            factors["claims"] = (codes, claim_sets)
        ins = np.empty(n, dtype=object)
        if inputs is None:
            one = np.empty(1, dtype=object)
            one[0] = {"kind": "lat_lon"}
            ins[:] = one[0]
            factors["input"] = (np.zeros(n, dtype=np.intp), one)
        else:
            ins[:] = list(inputs)
        cols["input"] = ins
        warnings = self._swap_warnings(x, y, zone, inputs)
        if "nearest_place" in want:
            want |= set(_NEAREST_COLUMNS)
        keep = want | {"lat", "lon"}
        cols = {k: v for k, v in cols.items() if k in keep}
        factors = {k: v for k, v in factors.items() if k in keep}
        return CheckResults(cols, self.boundaries_info, warnings, factors)

    def _claims(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[Any]:
        """The tuple of :class:`Claim` containing each point (most are empty)."""
        codes, claim_sets = self._claim_codes(x, y)
        return claim_sets[codes]

    def _claim_codes(
        self, x: NDArray[np.float64], y: NDArray[np.float64]
    ) -> tuple[NDArray[np.intp], NDArray[Any]]:
        """Claims per point as codes into the distinct claim tuples (in claim-area order)."""
        n = x.size
        areas = self._claim_areas
        masks = [np.zeros(n, dtype=bool) for _ in areas]
        for (area, _), mask in zip(areas, masks):
            minx, miny, maxx, maxy = area.geometry.bounds
            cand = np.flatnonzero((x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy))
            if cand.size:
                mask[cand[contains_xy(area.geometry, x[cand], y[cand])]] = True
        # number each distinct combination of claims (0: none); only the (few) points in a
        # claim take part
        codes = np.zeros(n, dtype=np.intp)
        combos: list[tuple[Claim, ...]] = [()]
        hit = np.flatnonzero(np.logical_or.reduce(masks)) if masks else np.zeros(0, np.intp)
        if hit.size:
            rows, inv = np.unique(
                np.stack([m[hit] for m in masks], axis=1), axis=0, return_inverse=True
            )
            codes[hit] = np.asarray(inv).ravel() + 1
            combos += [tuple(c for (_, c), on in zip(areas, row) if on) for row in rows]
        sets = np.empty(len(combos), dtype=object)
        for i, combo in enumerate(combos):
            sets[i] = combo
        return codes, sets

    def _swap_warnings(
        self,
        x: NDArray[np.float64],
        y: NDArray[np.float64],
        zone: NDArray[Any],
        inputs: Sequence[Mapping[str, Any]] | None,
    ) -> dict[int, tuple[str, ...]]:
        """Points on land or beyond the data whose swapped reading is at sea near Japan."""
        if inputs is not None:
            kinds = np.array([i.get("kind") for i in inputs], dtype=object)
            typed = np.isin(kinds, ["lat_lon", "coordinates"])
        else:
            typed = np.ones(x.size, dtype=bool)
        cand = np.flatnonzero(
            typed & np.isin(zone, [Zone.LAND.value, Zone.UNKNOWN.value]) & (np.abs(x) <= 90.0)
        )
        if cand.size == 0:
            return {}
        sx, sy = _wrap_lon(y[cand]), x[cand]
        c2 = self.classifier.classify(sx, sy)
        z2 = np.array([ZONE_CODES[k].value for k in c2.zone_code], dtype=object)
        at_sea = ~np.isin(z2, [Zone.LAND.value, Zone.UNKNOWN.value])
        out: dict[int, tuple[str, ...]] = {}
        if not at_sea.any():
            return out
        inside2 = c2.japan_code != JAPAN_CODES.index(JapanEEZ.OUTSIDE)
        d2, _, _ = self.distances.signed_limit_m(sx, sy, inside2)
        near = at_sea & (np.asarray(d2) > -_NEAR_JAPAN_M)
        for j in np.flatnonzero(near):
            i = int(cand[j])
            where = (
                "inside Japan's EEZ" if inside2[j] else f"{-d2[j] / KM:,.0f} km outside Japan's EEZ"
            )
            what = "on land" if zone[i] == Zone.LAND.value else "beyond the loaded boundary data"
            out[i] = (
                f"latitude {y[i]:g}, longitude {x[i]:g} is {what}: {SWAP_WARNING} Read as "
                f"latitude {sy[j]:g}, longitude {sx[j]:g} it would be at sea, {where}.",
            )
        return out

    # ---------------------------------------------------------------- one point
    def check(
        self,
        lat: Any = None,
        lon: Any = None,
        *,
        text: str | None = None,
        wording: str | None = None,
        launch: str | tuple[float, float] | None = None,
        range_km: float | None = None,
        bearing_deg: float | str | None = None,
        uncertainty_km: float | None = None,
    ) -> CheckResult:
        """See :func:`check`."""
        point = resolve_input(
            lat,
            lon,
            text=text,
            wording=wording,
            launch=launch,
            range_km=range_km,
            bearing_deg=bearing_deg,
        )
        return self._check_point(point, uncertainty_km)

    def _check_point(self, point: ResolvedPoint, uncertainty_km: float | None) -> CheckResult:
        u: Uncertainty | None = None
        if uncertainty_km is not None:
            r = _radius(uncertainty_km)
            u = CircularUncertainty(r)
        elif point.wording_uncertainty is not None:
            u = point.wording_uncertainty
        if isinstance(u, CircularUncertainty):
            res = self.evaluate(
                [point.lon], [point.lat], uncertainty_km=[u.radius_km], inputs=[point.input]
            )
            return res.row(0)
        res = self.evaluate([point.lon], [point.lat], inputs=[point.input])
        row = res.row(0)
        if isinstance(u, WordingUncertainty):
            p = round(p_inside_wording(self.classifier, u), _P_DIGITS)
            verdict = JapanEEZ(verdict_with_p(row.japan_eez.value, p))
            return _replace(
                row, p_inside=p, japan_eez=verdict, uncertainty_km=round(u.radius_km, _DIGITS),
                uncertainty_model=u.to_dict(),
            )  # fmt: skip
        return row

    def check_many(
        self,
        lats: Any,
        lons: ArrayLike | None = None,
        *,
        uncertainty_km: ArrayLike | None = None,
        fields: Iterable[str] | None = None,
    ) -> Any:
        """See :func:`check_many`."""
        frame = None
        if lons is None:
            frame = lats
            lat_arr, lon_arr = _frame_columns(frame)
        else:
            lat_arr = np.atleast_1d(np.asarray(lats, dtype=float)).ravel()
            lon_arr = np.atleast_1d(np.asarray(lons, dtype=float)).ravel()
        if lat_arr.shape != lon_arr.shape:
            raise InvalidCoordinateError(
                f"lats and lons differ in length ({lat_arr.size} vs {lon_arr.size}); give one longitude per latitude"
            )
        if uncertainty_km is not None and not np.isscalar(uncertainty_km):
            uncertainty_km = np.asarray(uncertainty_km, dtype=float).ravel()
            if uncertainty_km.size != lat_arr.size:
                raise InvalidInputError(
                    f"uncertainty_km has {uncertainty_km.size} values for {lat_arr.size} points"
                )
        res = self.evaluate(lon_arr, lat_arr, uncertainty_km=uncertainty_km, fields=fields)
        if frame is not None and hasattr(frame, "index"):
            df = res.to_pandas()
            df.index = frame.index
            return df
        return res

    # ---------------------------------------------------------------- reach
    def min_distance_to_japan_eez(self, lon: float, lat: float) -> NearestLimit:
        """Geodesic distance from (``lon``, ``lat``) to the nearest point of Japan's EEZ.

        0 when the point is inside Japan's claim (then ``lon, lat`` of the result is the nearest
        point of the limit all the same).
        """
        x, y = _scalar_lon_lat(lon, lat)
        c = self.classifier.classify([x], [y])
        inside = bool(c.japan_code[0] != JAPAN_CODES.index(JapanEEZ.OUTSIDE))
        d, flon, flat = self.distances.limit.nearest([x], [y])
        return NearestLimit(
            distance_km=0.0 if inside else float(d[0]) / KM,
            lon=round(float(flon[0]), 6),
            lat=round(float(flat[0]), 6),
            inside=inside,
        )

    def range_reach(self, launch: str | tuple[float, float], range_km: float) -> RangeReach:
        """Whether ``range_km`` flown from ``launch`` (in any direction) can reach Japan's EEZ."""
        site = resolve_launch(launch)
        rng = _range(range_km)
        nearest = self.min_distance_to_japan_eez(site["lon"], site["lat"])
        return RangeReach(site, rng, nearest, rng >= nearest.distance_km, self.boundaries_info)


def _replace(row: CheckResult, **kw: Any) -> CheckResult:
    from dataclasses import replace

    return replace(row, **kw)


def _zone_type_value(a: Area) -> str:
    z = a.zone_type
    return str(getattr(z, "value", z))


def _wrap_lon(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """Longitudes into [-180, 180), leaving values already there bit-for-bit unchanged
    (``(x + 180) % 360 - 180`` turns 139.9 into 139.89999999999998)."""
    ok = (x >= -180.0) & (x < 180.0)
    if ok.all():
        return x
    return np.where(ok, x, np.asarray(normalize_lon(x), dtype=float).reshape(-1))


def _round_signed(v: NDArray[np.float64], digits: int) -> NDArray[np.float64]:
    """Round keeping the sign of zero (a point just inside stays +0.0)."""
    return np.copysign(np.round(np.abs(v), digits), v)


def _validate_arrays(x: NDArray[np.float64], y: NDArray[np.float64]) -> None:
    if x.shape != y.shape:
        raise InvalidCoordinateError(f"lon and lat differ in length ({x.size} vs {y.size})")
    bad = ~(np.isfinite(x) & np.isfinite(y) & (np.abs(y) <= 90.0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        prefix = f"point {i}: " if x.size > 1 else ""
        raise InvalidCoordinateError(
            f"{prefix}latitude {float(y[i])!r}, longitude {float(x[i])!r} is not a valid "
            "coordinate (latitude must be within -90..90, both finite numbers)"
        )


def _scalar_lon_lat(lon: Any, lat: Any) -> tuple[float, float]:
    try:
        x, y = float(lon), float(lat)
    except (TypeError, ValueError) as exc:
        raise InvalidCoordinateError(
            f"longitude {lon!r} / latitude {lat!r} is not a number"
        ) from exc
    _validate_arrays(np.array([x]), np.array([y]))
    return float(_wrap_lon(np.array([x]))[0]), y


def _radius(value: Any) -> float:
    try:
        r = float(value)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"uncertainty {value!r} is not a number of km") from exc
    if not math.isfinite(r) or r < 0:
        raise InvalidInputError(
            f"uncertainty {value!r} km is not a radius: give a distance >= 0 in km"
        )
    return r


def _range(value: Any) -> float:
    try:
        r = float(value)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"range {value!r} is not a number of km") from exc
    if not math.isfinite(r) or r <= 0 or r > _MAX_RANGE_KM:
        raise InvalidInputError(
            f"range {value!r} km is out of range: give a distance in km above 0 and at most {_MAX_RANGE_KM:,.0f}"
        )
    return r


def _frame_columns(frame: Any) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Latitude and longitude columns of a DataFrame (or mapping of columns)."""
    cols = {
        str(c).lower(): c for c in getattr(frame, "columns", getattr(frame, "keys", lambda: [])())
    }
    lat_key = next((cols[k] for k in ("lat", "latitude", "impact_lat", "y") if k in cols), None)
    lon_key = next(
        (cols[k] for k in ("lon", "lng", "long", "longitude", "impact_lon", "x") if k in cols), None
    )
    if lat_key is None or lon_key is None:
        raise InvalidInputError(
            f"cannot find latitude and longitude columns among {sorted(cols)}; name them lat and lon"
        )
    return (
        np.asarray(frame[lat_key], dtype=float).ravel(),
        np.asarray(frame[lon_key], dtype=float).ravel(),
    )


# --------------------------------------------------------------------------- nearest places


_RANGE_CODES = 100_000
"""Rounded distances (km) are below this: codes of (place, sector, distance) stay unique."""


def _nearest_and_descriptions(
    x: NDArray[np.float64], y: NDArray[np.float64]
) -> tuple[dict[str, NDArray[Any]], dict[str, tuple[NDArray[np.intp], NDArray[Any]]]]:
    """Nearest place and MoD-style descriptions for every point, vectorised, and the factors
    (codes, distinct values) of the key and description columns.

    Uses :func:`eezcheck.places.nearest_place_indices` and the rules of
    :func:`eezcheck.places.describe` (16-point compass, :func:`~eezcheck.places.round_distance_km`,
    "near X" within 2.5 km), formatting each distinct (place, bearing, distance) once.
    """
    from eezcheck import places as pl

    idx, dist, az = pl.nearest_place_indices(x, y)
    ref = pl.reference_places()
    keys_u = np.empty(len(ref), dtype=object)
    keys_u[:] = [p.key for p in ref]
    sector = (np.floor((np.mod(az, 360.0) + 11.25) / 22.5).astype(np.int64)) % 16
    step = np.where(dist < 97.5, 5.0, 10.0)
    rounded = (step * np.round(dist / step)).astype(np.int64)
    code = (idx.astype(np.int64) * 16 + sector) * _RANGE_CODES + rounded
    uniq, inv = np.unique(code, return_inverse=True)
    inv = np.asarray(inv, dtype=np.intp).ravel()
    en_u = np.empty(len(uniq), dtype=object)
    ja_u = np.empty(len(uniq), dtype=object)
    for j, c in enumerate(uniq.tolist()):
        rest, di = divmod(c, _RANGE_CODES)
        ki, si = divmod(rest, 16)
        place = ref[ki]
        if di == 0:
            en_u[j], ja_u[j] = f"near {place.name_en}", f"{place.name_ja}付近"
        else:
            en_u[j] = f"about {di:,d} km {pl.COMPASS_EN[si]} of {place.name_en}"
            ja_u[j] = f"{place.name_ja}の{pl.COMPASS_JA[si]}約{di:,d}km"
    cols = {
        "nearest_place_key": keys_u[idx],
        "nearest_place_distance_km": np.round(dist, _DIGITS),
        "nearest_place_azimuth_deg": np.round(az, 2),
        "description_en": en_u[inv],
        "description_ja": ja_u[inv],
    }
    factors = {
        "nearest_place_key": (idx, keys_u),
        "description_en": (inv, en_u),
        "description_ja": (inv, ja_u),
    }
    return cols, factors


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class ResolvedPoint:
    """A point (``lon, lat``) and how it was given."""

    lon: float
    lat: float
    input: Mapping[str, Any]
    wording_uncertainty: WordingUncertainty | None = None


_COORD_LIKE = re.compile(
    r"^(?:[\s\d+\-−–.,;/°º˚'′’\"″”()\[\]]|\b[NSEW]\b|[NSEW](?=[\d\s,;]|$)|(?<=[\d°'\"])[NSEW]|nan|inf(?:inity)?|lat(?:itude)?|lon(?:gitude)?|lng)*$"
    r"|北緯|南緯|東経|西経",
    re.IGNORECASE,
)
_DISTANCE_UNIT = re.compile(
    r"\d\s*(?:km|kms|kilomet|キロ|海里|浬|nm\b|nmi|nautical|mi\b|miles?)", re.IGNORECASE
)


def looks_like_coordinates(text: str) -> bool:
    """True for text made only of numbers, degree marks, hemisphere letters, NaN/inf and
    lat/lon labels (or holding 北緯/東経 ...), and no distance such as '200 km'."""
    import unicodedata

    s = unicodedata.normalize("NFKC", text)
    return not _DISTANCE_UNIT.search(s) and bool(_COORD_LIKE.search(s))


def resolve_text(text: str) -> ResolvedPoint:
    """Coordinates as people write them, else an MoD-style impact description.

    Text that looks like coordinates (:func:`looks_like_coordinates`) gets the coordinate
    parser's error; anything else the description parser's, or one message naming both forms
    when neither recognises anything.
    """
    from eezcheck.parsing import parse_coordinates
    from eezcheck.wording import parse_wording

    if not isinstance(text, str) or not text.strip():
        raise InvalidCoordinateError(
            f"nothing to read in {text!r}: give latitude and longitude (e.g. '41.3 138.5') or a "
            "description such as 'about 200 km W of Okushiri'"
        )
    try:
        lon, lat = parse_coordinates(text)
        return ResolvedPoint(lon, lat, {"kind": "coordinates", "text": text})
    except InvalidCoordinateError:
        if looks_like_coordinates(text):
            raise
    try:
        return _from_wording(parse_wording(text), text)
    except WordingError as wording_error:
        if str(wording_error).startswith("no impact description found"):
            raise InvalidInputError(
                f"cannot read {text!r} as coordinates or as an impact description: write "
                "latitude then longitude (e.g. '41.3 138.5', '41°18'N 138°30'E', "
                "'北緯41.3度 東経138.5度') or a description such as 'about 200 km W of "
                "Okushiri' or '北海道奥尻島の西約200km'"
            ) from wording_error
        raise


def _from_wording(w: Any, text: str) -> ResolvedPoint:
    from eezcheck.wording import uncertainty_from_wording

    along, across = uncertainty_from_wording(w)
    u = WordingUncertainty(
        place_lon=w.place.lon,
        place_lat=w.place.lat,
        bearing_deg=float(w.bearing_deg),
        distance_km=float(w.distance_km),
        along_km=float(along),
        across_km=float(across),
    )
    info = {
        "kind": "wording",
        "text": text,
        "matched_text": w.matched_text,
        "language": w.language,
        "place": w.place.key,
        "place_name_en": w.place.name_en,
        "place_name_ja": w.place.name_ja,
        "bearing_deg": float(w.bearing_deg),
        "bearing_word": w.bearing_word,
        "bearing_points": int(w.bearing_points),
        "distance_km": float(w.distance_km),
        "distance_rounding_km": float(w.distance_rounding_km),
    }
    return ResolvedPoint(float(w.lon), float(w.lat), info, u)


def resolve_wording(text: str) -> ResolvedPoint:
    """An MoD-style description ("about 200 km W of Okushiri", "北海道奥尻島の西約200km")."""
    from eezcheck.wording import parse_wording

    return _from_wording(parse_wording(text), text)


def resolve_launch(launch: str | tuple[float, float] | Mapping[str, Any]) -> dict[str, Any]:
    """A launch site by name (gazetteer, aliases in English, Korean, Japanese) or coordinates.

    Coordinates are text as people write them ("39.2 125.7") or a ``(lat, lon)`` tuple.
    Returns ``{"key", "name", "lat", "lon"}`` (key and name empty for bare coordinates).
    """
    from eezcheck.parsing import parse_coordinates, parse_lat_lon
    from eezcheck.places import find_launch_site

    if isinstance(launch, Mapping):
        lon, lat = parse_lat_lon(launch["lat"], launch["lon"])
        return {
            "key": launch.get("key", ""),
            "name": launch.get("name", ""),
            "lat": lat,
            "lon": lon,
        }
    if isinstance(launch, (tuple, list)):
        if len(launch) != 2:
            raise InvalidCoordinateError(f"launch {launch!r}: give (lat, lon)")
        lon, lat = parse_lat_lon(launch[0], launch[1])
        return {"key": "", "name": "", "lat": lat, "lon": lon}
    text = str(launch)
    try:
        lon, lat = parse_coordinates(text)
        return {"key": "", "name": "", "lat": lat, "lon": lon}
    except InvalidCoordinateError:
        if looks_like_coordinates(text):
            raise
    site = find_launch_site(text)
    out = {"key": site.key, "name": site.name, "lat": site.lat, "lon": site.lon}
    if site.is_area:
        out.update(kind=site.kind, extent_km=site.extent_km)
    return out


def parse_bearing_value(value: float | str) -> tuple[float, int | None]:
    """A bearing in degrees (number or numeric text) or a compass word; ``(deg, points)``."""
    from eezcheck.wording import parse_bearing

    if isinstance(value, (int, float)) and not isinstance(value, bool):
        deg = float(value)
        points = None
    else:
        text = str(value).strip()
        try:
            deg, points = float(text.rstrip("°").strip()), None
        except ValueError:
            deg, p = parse_bearing(text)
            points = int(p)
    if not math.isfinite(deg):
        raise InvalidInputError(f"bearing {value!r} is not a number of degrees or a compass word")
    return deg % 360.0, points


def resolve_launch_point(launch: Any, range_km: Any, bearing_deg: Any) -> ResolvedPoint:
    """The point ``range_km`` from a launch site along ``bearing_deg`` (geodesic)."""
    site = resolve_launch(launch)
    rng = _range(range_km)
    deg, points = parse_bearing_value(bearing_deg)
    lon, lat = destination(site["lon"], site["lat"], deg, rng * KM)
    info = {
        "kind": "launch",
        "launch": site,
        "range_km": rng,
        "bearing_deg": deg,
        "bearing_points": points,
        "bearing_text": str(bearing_deg),
    }
    return ResolvedPoint(float(lon), float(lat), info)


def resolve_input(
    lat: Any = None,
    lon: Any = None,
    *,
    text: str | None = None,
    wording: str | None = None,
    launch: Any = None,
    range_km: Any = None,
    bearing_deg: Any = None,
) -> ResolvedPoint:
    """Turn any accepted form of input into a point; raises a clear InvalidInputError."""
    from eezcheck.parsing import parse_lat_lon

    given = [
        name
        for name, v in (
            ("lat/lon", lat if lat is not None else lon),
            ("text", text),
            ("wording", wording),
            ("launch", launch),
        )
        if v is not None
    ]
    if len(given) != 1:
        what = "nothing" if not given else " and ".join(given)
        raise InvalidInputError(
            f"give exactly one point: lat and lon, text, wording, or launch with range_km and "
            f"bearing_deg (got {what})"
        )
    if launch is None and (range_km is not None or bearing_deg is not None):
        raise InvalidInputError("range_km and bearing_deg need a launch site (launch=...)")
    if text is not None:
        return resolve_text(text)
    if wording is not None:
        return resolve_wording(wording)
    if launch is not None:
        if range_km is None:
            raise InvalidInputError(
                "a launch site needs range_km (and bearing_deg) to give an impact point"
            )
        if bearing_deg is None:
            raise InvalidInputError(
                "a range without a bearing gives no impact point; use range_reach(launch, "
                "range_km) (eezcheck check --from SITE --range-km KM) to see whether that range "
                "could reach Japan's EEZ at all"
            )
        return resolve_launch_point(launch, range_km, bearing_deg)
    if lat is None or lon is None:
        raise InvalidCoordinateError(
            f"give both latitude and longitude (got lat={lat!r}, lon={lon!r})"
        )
    if _is_number(lat) and _is_number(lon):
        x, y = _scalar_lon_lat(lon, lat)
    else:
        x, y = parse_lat_lon(lat, lon)
    return ResolvedPoint(x, y, {"kind": "lat_lon"})


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)


# --------------------------------------------------------------------------- module API

_CHECKERS: weakref.WeakKeyDictionary[Boundaries, Checker] = weakref.WeakKeyDictionary()


def get_checker(boundaries: Boundaries | str | os.PathLike[str] | None = None) -> Checker:
    """The :class:`Checker` of a data set (one per loaded :class:`Boundaries`, reused)."""
    if not isinstance(boundaries, Boundaries):
        from eezcheck.data import load_active

        boundaries = load_active(boundaries)
    assert isinstance(boundaries, Boundaries)
    checker = _CHECKERS.get(boundaries)
    if checker is None:
        checker = Checker(boundaries)
        _CHECKERS[boundaries] = checker
    return checker


def check(
    lat: Any = None,
    lon: Any = None,
    *,
    text: str | None = None,
    wording: str | None = None,
    launch: str | tuple[float, float] | None = None,
    range_km: float | None = None,
    bearing_deg: float | str | None = None,
    uncertainty_km: float | None = None,
    boundaries: Boundaries | str | os.PathLike[str] | None = None,
) -> CheckResult:
    """Verdict on one point: zone, Japan's EEZ, distances, nearest place, claims.

    Give exactly one of:

    - ``lat, lon`` (latitude first; numbers or strings such as "41.3N"); longitudes beyond
      ±180 are normalised;
    - ``text``: coordinates as people write them ("41.3 138.5", "41°18'N 138°30'E",
      "北緯41.3度 東経138.5度"), or else an MoD-style description;
    - ``wording``: an MoD-style description ("about 200 km W of Okushiri", "島後の北約350km");
      its rounding gives an elongated uncertainty (see :mod:`eezcheck.uncertainty`) unless
      ``uncertainty_km`` overrides it;
    - ``launch`` (a site name such as "sunan", or coordinates) with ``range_km`` and
      ``bearing_deg`` (degrees or a compass word).

    ``uncertainty_km`` is a 95 % radius: it gives ``p_inside`` and the ``uncertain`` verdict
    when 0.05 < P < 0.95. ``boundaries`` is a loaded Boundaries, a path, or None for the
    active data set.

    Raises :class:`~eezcheck.errors.InvalidInputError` (and its subclasses
    ``InvalidCoordinateError``, ``WordingError``, ``UnknownPlaceError``) for input it cannot use.

    Examples
    --------
    >>> check(41.3, 138.5).japan_eez.value  # doctest: +SKIP
    'inside'
    >>> check(wording="about 200 km west of Okushiri Island").p_inside  # doctest: +SKIP
    1.0
    """
    return get_checker(boundaries).check(
        lat, lon, text=text, wording=wording, launch=launch, range_km=range_km,
        bearing_deg=bearing_deg, uncertainty_km=uncertainty_km,
    )  # fmt: skip


def check_many(
    lats: Any,
    lons: ArrayLike | None = None,
    *,
    uncertainty_km: ArrayLike | None = None,
    fields: Iterable[str] | None = None,
    boundaries: Boundaries | str | os.PathLike[str] | None = None,
) -> Any:
    """Verdicts for many points at once, vectorised; identical to :func:`check` point by point.

    Parameters
    ----------
    lats, lons : array-like
        Latitudes and longitudes (degrees). Or pass a DataFrame (or a mapping of columns) as
        ``lats`` alone, with columns ``lat``/``lon`` (or ``latitude``/``longitude``): the result
        is then a DataFrame with the same index.
    uncertainty_km : float or array, optional
        95 % radius per point (NaN for none) or one for all.
    fields : iterable of str, optional
        Keys of :data:`RESULT_KEYS` to compute (default: all). Leaving out the nearest place,
        descriptions or land distance saves most of the time on millions of points.

    Returns
    -------
    CheckResults (or a DataFrame for a DataFrame input).

    Examples
    --------
    >>> res = check_many([41.3, 30.0], [138.5, 150.0])  # doctest: +SKIP
    >>> res["japan_eez"].tolist()  # doctest: +SKIP
    ['inside', 'outside']
    """
    return get_checker(boundaries).check_many(
        lats, lons, uncertainty_km=uncertainty_km, fields=fields
    )


def min_distance_to_japan_eez(
    lon: float, lat: float, *, boundaries: Boundaries | str | os.PathLike[str] | None = None
) -> NearestLimit:
    """Geodesic distance (km) from ``lon, lat`` to Japan's EEZ as the data draws Japan's claim.

    0 inside the claim. The ``reach`` command and :func:`range_reach` use it.
    """
    return get_checker(boundaries).min_distance_to_japan_eez(lon, lat)


def range_reach(
    launch: str | tuple[float, float],
    range_km: float,
    *,
    boundaries: Boundaries | str | os.PathLike[str] | None = None,
) -> RangeReach:
    """Could ``range_km`` flown from ``launch`` reach Japan's EEZ in any direction?

    ``launch`` is a site name ("sunan", "順安") or coordinates ("39.2 125.7", or ``(lat, lon)``).
    """
    return get_checker(boundaries).range_reach(launch, range_km)


__all__ = [
    "CLAIM_KINDS",
    "RESULT_KEYS",
    "CheckResult",
    "CheckResults",
    "Checker",
    "Claim",
    "NearestLimit",
    "NearestPlace",
    "RangeReach",
    "ResolvedPoint",
    "check",
    "check_many",
    "get_checker",
    "min_distance_to_japan_eez",
    "range_reach",
    "resolve_input",
    "resolve_launch",
]


class _CallableModule(types.ModuleType):
    """``eezcheck.check`` is both this module and the :func:`check` function: importing the
    module binds it to the package attribute, so calling the module calls :func:`check`."""

    def __call__(self, *args: Any, **kwargs: Any) -> CheckResult:
        return check(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
