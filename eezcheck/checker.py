"""The checker: is a point inside Japan's EEZ, in which zone, how far from the limit?

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
- Whether a range flown from a launch site or area could reach Japan's EEZ at all, and where:
  :mod:`eezcheck.approach` (closest approach, reach: bearings) and :mod:`eezcheck.footprint`.

What these functions return is defined in :mod:`eezcheck.results`; how each form of input
becomes a point, in :mod:`eezcheck.inputs`.

Uncertainty (``uncertainty_km``, or the precision of MoD wording) gives ``p_inside`` and the
``uncertain`` verdict; the rule is in :mod:`eezcheck.uncertainty`.

Examples
--------
>>> r = check(41.3, 138.5)
>>> r.japan_eez.value, r.description_en
('inside', 'about 75 km WSW of Oshima-Oshima')
"""

from __future__ import annotations

import math
import os
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from eezcheck.boundaries import JAPAN, Area, Boundaries
from eezcheck.distances import DistanceIndex, LineDistance
from eezcheck.errors import InvalidCoordinateError, InvalidInputError
from eezcheck.geodesy import KM, NM
from eezcheck.inputs import (
    PointInput,
    ResolvedPoint,
    point_arrays,
    radius_km,
    resolve_input,
    too_uncertain,
    validate_lon_lat_arrays,
    wrap_lon,
)
from eezcheck.limits import MAX_UNCERTAINTY_KM
from eezcheck.results import (
    CLAIM_KINDS,
    DIGITS,
    NEAREST_COLUMNS,
    P_DIGITS,
    RESULT_KEYS,
    CheckResult,
    CheckResults,
    Claim,
)
from eezcheck.territory import Islands, japan_area_codes, japan_area_of, japan_areas
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
    JapanEEZ,
    Zone,
    contains_xy,
    zone_name,
)

if TYPE_CHECKING:
    from typing_extensions import Unpack  # typing.Unpack from Python 3.11

SWAP_WARNING = "did you swap latitude and longitude?"
_NEAR_JAPAN_M = 200 * NM  # "near Japan" for the swapped-reading warning


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
    >>> c = Checker()
    >>> c.check(41.3, 138.5).japan_eez
    <JapanEEZ.INSIDE: 'inside'>
    """

    def __init__(self, boundaries: Boundaries | str | os.PathLike[str] | None = None) -> None:
        if isinstance(boundaries, Boundaries):
            self.boundaries: Boundaries = boundaries
        else:
            from eezcheck.boundary_readers import load_active

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
        """The ``boundaries`` key: dataset, version, sha256, claims policy, source, licence, and
        ``crs`` (the CRS read and its transformation) for a boundary file."""
        p = self.boundaries.provenance
        info = {
            "dataset": p.dataset,
            "version": p.version,
            "sha256": p.sha256,
            "claims_policy": p.claims_policy,
            "source": p.source,
            "licence": p.licence,
        }
        if p.crs:  # a boundary file's CRS, as read (the embedded data is WGS84 by construction)
            info["crs"] = p.crs
        return info

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

    @cached_property
    def _area_holders(self) -> NDArray[Any]:
        """Holder (first state) per classifier area, '' for high seas and unknown."""
        holders = [a.states[0] if a.states else "" for a in self.classifier.areas] + ["", ""]
        return np.array(holders, dtype=object)

    @cached_property
    def _japan_holder(self) -> NDArray[np.bool_]:
        """Per classifier area (and high seas, unknown): held by Japan, or by nobody."""
        return np.isin(self._area_holders, [JAPAN, ""])

    @cached_property
    def _islands(self) -> Islands:
        return Islands(list(self.distances.japan_land))

    def _island_names(
        self, x: NDArray[np.float64], y: NDArray[np.float64], zone: NDArray[Any], k: NDArray[np.intp],
        names: NDArray[Any], states: NDArray[Any],
    ) -> tuple[NDArray[Any], NDArray[np.intp]]:
        """Zone names with the main island for points on Japanese land ("Japanese land
        (Honshu)"): the names table extended by one entry per (area, island) met."""
        on = np.flatnonzero((zone == Zone.LAND.value) & np.array([s == (JAPAN,) for s in states[k]], dtype=bool))
        if not on.size:
            return names, k
        isl = self._islands.names(x[on], y[on])
        hit = on[isl != ""]
        if not hit.size:
            return names, k
        extra: dict[tuple[int, str], int] = {}
        k2 = k.copy()
        for i, name in zip(hit.tolist(), isl[isl != ""].tolist()):
            key = (int(k[i]), str(name))
            if key not in extra:
                extra[key] = len(names) + len(extra)
            k2[i] = extra[key]
        more = np.array([f"{names[a]} ({name})" for (a, name) in extra], dtype=object)
        return np.concatenate([names, more]), k2

    def prepare(self, fields: Iterable[str] | None = None) -> None:
        """Build now what checking ``fields`` (default: all) needs and must not be built by two
        threads at once: the classification grid and tables, the distance lines and their
        search indexes. Answers do not depend on it (nor on which check built what)."""
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
        for line in lines:
            if line is not None:
                line.prepare()

    # ---------------------------------------------------------------- core, vectorised
    def evaluate(
        self,
        *,
        lon: ArrayLike,
        lat: ArrayLike,
        uncertainty_km: ArrayLike | None = None,
        fields: Iterable[str] | None = None,
        inputs: Sequence[Mapping[str, Any]] | None = None,
    ) -> CheckResults:
        """Verdicts for points given as ``lon=`` and ``lat=`` arrays (keywords: this is the
        library's ``lon, lat`` order, unlike :func:`check`'s latitude first; degrees, lon is
        normalised).

        This is the one code path of both :func:`check` and :func:`check_many`: no Python loop
        over points for classification, distances or nearest places.
        """
        x = np.atleast_1d(np.asarray(lon, dtype=float)).ravel()
        y = np.atleast_1d(np.asarray(lat, dtype=float)).ravel()
        validate_lon_lat_arrays(x, y)
        x = wrap_lon(x)
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
        names, states = self._area_tables
        k = np.where(clf.area_index >= 0, clf.area_index, len(names) - 2)
        k = np.where(zone_code == ZONE_CODES.index(Zone.UNKNOWN), len(names) - 1, k)
        k = k.astype(np.intp)
        if "zone_name" in want or "zone_states" in want:
            names_k, k_name = self._island_names(x, y, zone, k, names, states)
            cols["zone_name"] = names_k[k_name]
            cols["zone_states"] = states[k]
            factors["zone_name"] = (k_name, names_k)
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
            big = np.flatnonzero(r > MAX_UNCERTAINTY_KM)
            if big.size:
                raise InvalidInputError(f"point {int(big[0])}: " + too_uncertain(float(r[big[0]])))
        p = np.full(n, np.nan)
        if np.isfinite(r).any():
            p = np.round(p_inside_circular(self.classifier, x, y, r), P_DIGITS)
        cols["p_inside"] = p
        if np.isfinite(p).any():
            cols["japan_eez"] = verdicts_with_p(japan_point, p)
        else:  # no P: the verdict is the point's
            cols["japan_eez"] = japan_point
            factors["japan_eez"] = (japan_code, japan_vals)
        cols["uncertainty_km"] = r
        if "japan_eez" in factors:  # verdicts of the points: the categories on codes
            codes, area_vals = japan_area_codes(
                zone_code, zone_vals, self._japan_holder[k], japan_code, japan_vals
            )
            cols["japan_area"] = area_vals[codes]
            factors["japan_area"] = (codes, area_vals)
        else:
            cols["japan_area"] = japan_areas(zone, self._area_holders[k], cols["japan_eez"])

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
                cols["distance_to_eez_limit_km"] = _round_signed(d_m / KM, DIGITS)
                cols["distance_to_eez_limit_nm"] = _round_signed(d_m / NM, DIGITS)
            if want_land:
                cols["nearest_japanese_land_km"] = np.round(dist.to_land_m / KM, DIGITS)
        if want & {"nearest_place", "description_en", "description_ja"}:
            holder = self._area_holders[k]
            on_foreign_land = (zone == Zone.LAND.value) & (holder != "") & (holder != JAPAN)
            near_cols, near_factors = _nearest_and_descriptions(
                x, y, beyond_coverage=zone == Zone.UNKNOWN.value,
                land_state=np.where(on_foreign_land, holder, ""), inputs=inputs,
            )  # fmt: skip
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
            want |= set(NEAREST_COLUMNS)
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
            minx, miny, maxx, maxy = area.bounds
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
        sx, sy = wrap_lon(y[cand]), x[cand]
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
        uncertainty_km: float | None = None,
        **point: Unpack[PointInput],
    ) -> CheckResult:
        """See :func:`check`."""
        for name in point.keys() - PointInput.__annotations__.keys():
            raise TypeError(f"check() got an unexpected keyword argument {name!r}")
        return self._check_point(resolve_input(lat, lon, **point), uncertainty_km)

    def check_text(self, text: str, uncertainty_km: float | None = None) -> list[CheckResult]:
        """Every point of ``text``: coordinates (one result) or each impact phrase of a
        sentence or a whole MoD release (one result per impact, in the order written)."""
        from eezcheck.inputs import resolve_texts

        return [self._check_point(p, uncertainty_km) for p in resolve_texts(text)]

    def _check_point(self, point: ResolvedPoint, uncertainty_km: float | None) -> CheckResult:
        u: Uncertainty | None = None
        # a launch area ("North Hwanghae", "south of Pyongyang"): the launch is anywhere in it,
        # so the impact point is uncertain by the area's extent (with the given radius, if any)
        launch = point.input.get("launch") if point.input.get("kind") == "launch" else None
        extent = float(launch.get("extent_km") or 0.0) if isinstance(launch, Mapping) else 0.0
        if uncertainty_km is not None or extent:
            r = radius_km(uncertainty_km) if uncertainty_km is not None else 0.0
            u = CircularUncertainty(round(math.hypot(r, extent), 3) if extent else r)
        elif point.wording_uncertainty is not None:
            u = point.wording_uncertainty
        if isinstance(u, CircularUncertainty):
            res = self.evaluate(
                lon=[point.lon], lat=[point.lat], uncertainty_km=[u.radius_km], inputs=[point.input]
            )
            return res.row(0)
        res = self.evaluate(lon=[point.lon], lat=[point.lat], inputs=[point.input])
        row = res.row(0)
        if isinstance(u, WordingUncertainty) and u.region:
            return self._region_row(row, u)
        if isinstance(u, WordingUncertainty):
            p = round(p_inside_wording(self.classifier, u), P_DIGITS)
            verdict = JapanEEZ(verdict_with_p(row.japan_eez.value, p))
            return replace(
                row, p_inside=p, japan_eez=verdict, uncertainty_km=round(u.radius_km, DIGITS),
                uncertainty_model=u.to_dict(),
                japan_area=japan_area_of(row.zone.value, row.zone_states, verdict.value),
            )  # fmt: skip
        return row

    def _region_row(self, row: CheckResult, u: WordingUncertainty) -> CheckResult:
        """A region reference ("about 3,200 km E of Japan"): P is the share of the region's point
        set inside, the verdict definite only when every point is on one side."""
        from eezcheck.descriptions import phrase
        from eezcheck.geodesy import inverse_arrays
        from eezcheck.wording.regions import region_by_key, region_points

        region = region_by_key(u.region)
        lon, lat = region_points(region, u.bearing_deg, u.distance_km, u.rounding_km, u.bearing_points)
        c = self.classifier.classify(lon, lat)
        inside = int(np.count_nonzero(c.japan_code != JAPAN_CODES.index(JapanEEZ.OUTSIDE)))
        n = int(lon.size)
        p = round(inside / n, P_DIGITS)
        if inside == n:
            verdict = row.japan_eez if row.japan_eez.value in ("inside", "disputed") else JapanEEZ.INSIDE
        else:
            verdict = JapanEEZ.OUTSIDE if inside == 0 else JapanEEZ.UNCERTAIN
        _, d = inverse_arrays(np.full(n, row.lon), np.full(n, row.lat), lon, lat)
        spread = round(float(np.max(d)) / KM, DIGITS)
        en, ja = phrase(region.name_en, region.name_ja, u.bearing_deg, u.distance_km)
        if u.distance_km <= 0:
            en, ja = f"in {region.name_en}", f"{region.name_ja}内"
        model = {
            "kind": "region", "region": region.key, "name_en": region.name_en,
            "name_ja": region.name_ja, "outline_source": region.source, "points": n,
            "points_inside": inside, "all_on_one_side": inside in (0, n),
            "bearing_deg": u.bearing_deg, "distance_km": u.distance_km,
            "distance_rounding_km": u.rounding_km, "bearing_points": u.bearing_points,
        }  # fmt: skip
        return replace(
            row, p_inside=p, japan_eez=verdict, uncertainty_km=spread, uncertainty_model=model,
            description_en=en, description_ja=ja,
            japan_area=japan_area_of(row.zone.value, row.zone_states, verdict.value),
        )  # fmt: skip

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
            lat_arr, lon_arr = point_arrays(lats, lons)
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
        res = self.evaluate(lon=lon_arr, lat=lat_arr, uncertainty_km=uncertainty_km, fields=fields)
        if frame is not None and hasattr(frame, "index"):
            return res.attach_to(frame)
        return res


def _zone_type_value(a: Area) -> str:
    z = a.zone_type
    return str(getattr(z, "value", z))


def _round_signed(v: NDArray[np.float64], digits: int) -> NDArray[np.float64]:
    """Round keeping the sign of zero (a point just inside stays +0.0)."""
    return np.copysign(np.round(np.abs(v), digits), v)


def _frame_columns(frame: Any) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Latitude and longitude columns of a DataFrame (or mapping of columns)."""
    cols = {
        str(c).lower(): c for c in getattr(frame, "columns", getattr(frame, "keys", list)())
    }
    lat_key = next((cols[k] for k in ("lat", "latitude", "impact_lat", "y") if k in cols), None)
    lon_key = next(
        (cols[k] for k in ("lon", "lng", "long", "longitude", "impact_lon", "x") if k in cols), None
    )
    geometry = getattr(frame, "geometry", None) if hasattr(frame, "crs") else None
    if (lat_key is None or lon_key is None) and geometry is not None:
        from eezcheck.crs import read_crs

        # its CRS is read, never assumed: another datum (EPSG:4301) is transformed too
        crs = read_crs(
            None if frame.crs is None else frame.crs.to_wkt(),
            where="the GeoDataFrame",
            read_from="its .crs",
        )
        if not all(t in ("Point", None) for t in geometry.geom_type):
            raise InvalidInputError(
                "the GeoDataFrame's geometry is not points: give points, or lat and lon columns"
            )
        lon, lat = crs.to_wgs84(np.asarray(geometry.x, dtype=float), np.asarray(geometry.y, dtype=float))
        return lat, lon
    if lat_key is None or lon_key is None:
        raise InvalidInputError(
            f"cannot find latitude and longitude columns among {sorted(cols)}; name them lat and lon"
        )
    return (
        np.asarray(frame[lat_key], dtype=float).ravel(),
        np.asarray(frame[lon_key], dtype=float).ravel(),
    )


def _nearest_and_descriptions(
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    *,
    beyond_coverage: NDArray[np.bool_],
    land_state: NDArray[Any],
    inputs: Sequence[Mapping[str, Any]] | None,
) -> tuple[dict[str, NDArray[Any]], dict[str, tuple[NDArray[np.intp], NDArray[Any]]]]:
    """Nearest place and MoD-style descriptions for every point (one vectorised
    :func:`eezcheck.descriptions.describe_points` call), and the factors (codes, distinct
    values) of the key and description columns. A point read from wording is described from
    the place the wording names."""
    from eezcheck.descriptions import describe_points
    from eezcheck.places import place_by_key, reference_places

    reference = None
    if inputs is not None and any(i.get("kind") == "wording" for i in inputs):
        reference = [
            place_by_key(i["place"])
            if i.get("kind") == "wording" and i.get("place") and i.get("reference") != "region"
            else None
            for i in inputs
        ]
    d = describe_points(
        x, y, reference=reference, beyond_coverage=beyond_coverage, land_state=land_state
    )
    keys_u = np.empty(len(reference_places()), dtype=object)
    keys_u[:] = [p.key for p in reference_places()]
    idx = d.nearest_index
    cols = {
        "nearest_place_key": keys_u[idx],
        "nearest_place_distance_km": np.round(d.nearest_distance_km, DIGITS),
        "nearest_place_azimuth_deg": np.round(d.nearest_azimuth_deg, 2),
        "description_en": d.en,
        "description_ja": d.ja,
    }
    factors = {
        "nearest_place_key": (idx, keys_u),
        "description_en": (d.codes, d.en_values),
        "description_ja": (d.codes, d.ja_values),
    }
    return cols, factors


_CHECKERS: weakref.WeakKeyDictionary[Boundaries, Checker] = weakref.WeakKeyDictionary()


def get_checker(boundaries: Boundaries | str | os.PathLike[str] | None = None) -> Checker:
    """The :class:`Checker` of a data set (one per loaded :class:`Boundaries`, reused)."""
    if not isinstance(boundaries, Boundaries):
        from eezcheck.boundary_readers import load_active

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
    uncertainty_km: float | None = None,
    boundaries: Boundaries | str | os.PathLike[str] | None = None,
    **point: Unpack[PointInput],
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
    >>> check(41.3, 138.5).japan_eez.value
    'inside'
    >>> check(wording="about 200 km west of Okushiri Island").p_inside
    0.7498
    """
    return get_checker(boundaries).check(lat, lon, uncertainty_km=uncertainty_km, **point)


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
    >>> res = check_many([41.3, 30.0], [138.5, 150.0])
    >>> res["japan_eez"].tolist()
    ['inside', 'outside']
    """
    return get_checker(boundaries).check_many(
        lats, lons, uncertainty_km=uncertainty_km, fields=fields
    )


__all__ = [
    "Checker",
    "check",
    "check_many",
    "get_checker",
]
