"""MoD-style descriptions of points: "about 200 km W of Okushiri Island" / "奥尻島の西約200km".

One function writes them, :func:`describe_points` (vectorised: each distinct description is
formatted once); :func:`describe` is its form for one point. Coordinates are ``lon, lat``
(degrees, WGS84); distances are geodesic (pyproj).

The rules
---------
* **Reference**: the nearest gazetteer place (:func:`eezcheck.places.nearest_place_indices`: not
  a prefecture, not a disputed place, as the MoD does), or the place the user named
  (``reference=``: the description of a point read from "約250km W of the Oga Peninsula" is
  written from the Oga Peninsula, even where another place is nearer).
* **Bearing**: the 16-point compass word of the geodesic azimuth from the place to the point
  (:func:`compass_index`); **distance**: rounded by :func:`round_distance_km` (5 km below
  100 km, else 10 km). Within 2.5 km of the place: "near X" / "X付近".
* **Far from Japan**: more than :data:`FAR_KM` (3,500 km) from the nearest Japanese reference
  place, a compass word from a Japanese cape says nothing useful (Sydney is "6,220 km SSE of
  Okinotorishima"); such a point is "far from Japan: about 6,220 km from Okinotorishima, the
  nearest Japanese reference place" / "日本から遠く離れた地点（最寄りの基準地点の沖ノ鳥島から約6,220km）".
  The MoD's farthest published description, "about 3,200 km east of Japan" (2022-10-04), is
  within the limit.
* **Beyond the data's coverage** (``beyond_coverage``: the point's zone is ``unknown``): said
  first, "beyond the boundary data's coverage: about 800 km N of Cape Soya" /
  "境界データの範囲外：宗谷岬の北約800km".
* **On another state's land** (``land_state``: an ISO code, the land's holder): "in North Korea:
  about 600 km NNW of Tsushima Island" / "北朝鮮の陸上：対馬の北北西約600km" (the MoD describes
  launch sites in North Korean terms, impacts at sea from Japanese places).

Examples
--------
>>> describe(136.85, 41.48).en
'about 210 km W of Oshima-Oshima'
>>> describe(151.2, -33.9, beyond_coverage=True).en
'far from Japan: about 6,220 km from Okinotorishima, the nearest Japanese reference place'
>>> describe(125.75, 39.0, land_state="PRK").ja
'北朝鮮の陸上：対馬の北北西約600km'
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from eezcheck.geodesy import inverse_arrays
from eezcheck.places import (
    COMPASS_EN,
    COMPASS_JA,
    Place,
    nearest_place_indices,
    reference_places,
)
from eezcheck.states import state_name

__all__ = [
    "FAR_KM",
    "Description",
    "Descriptions",
    "compass_index",
    "describe",
    "describe_points",
    "phrase",
    "round_distance_km",
]

FAR_KM = 3500.0
"""Beyond this distance (km) from the nearest Japanese reference place a point is described as
far from Japan, without a compass word."""

_RANGE_CODES = 100_000
"""Rounded distances (km) are below this (the longest geodesic is 20,004 km)."""


def compass_index(azimuth_deg: float, points: int = 16) -> int:
    """Index (0 = N) of the ``points``-point compass sector containing ``azimuth_deg``.

    >>> compass_index(290.0), compass_index(290.0, 8)
    (13, 6)
    """
    return int(_sectors(np.asarray([azimuth_deg], dtype=float), points)[0])


def _sectors(azimuth_deg: NDArray[np.float64], points: int = 16) -> NDArray[np.int64]:
    step = 360.0 / points
    return np.asarray(np.floor((np.mod(azimuth_deg, 360.0) + step / 2) / step), np.int64) % points


def round_distance_km(distance_km: Any) -> Any:
    """Round a distance the way this package writes MoD-style descriptions (a float, or an
    array for an array).

    Below 100 km to the nearest 5 km, otherwise to the nearest 10 km (the MoD wrote
    "約1,180km" in 2017, so 10 km steps are used even beyond 1,000 km).

    >>> round_distance_km(97.4), round_distance_km(1184.0)
    (95.0, 1180.0)
    """
    d = np.asarray(distance_km, dtype=float)
    out = _rounding_step(d) * np.round(d / _rounding_step(d))
    return float(out) if out.ndim == 0 else out


def _rounding_step(d: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.where(d < 97.5, 5.0, 10.0)


@dataclass(frozen=True)
class Description:
    """MoD-style description of one point; unpacks as ``en, ja``."""

    en: str
    ja: str
    place: Place
    bearing_en: str
    bearing_ja: str
    distance_km: float
    """Rounded distance as written (0 for "near X")."""
    rounding_km: float
    true_distance_km: float
    true_azimuth_deg: float

    def __iter__(self) -> Iterator[str]:
        return iter((self.en, self.ja))

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["place"] = self.place.key
        return d


@dataclass(frozen=True)
class Descriptions:
    """:func:`describe_points`: per point, codes into the distinct descriptions, and the
    nearest reference place (indices into :func:`eezcheck.places.reference_places`).

    ``en[i]`` / ``ja[i]`` is point ``i``'s text; ``codes`` and ``en_values`` / ``ja_values``
    are the same as a factor (each distinct text once). ``place`` / ``distance_km`` /
    ``azimuth_deg`` describe the place each description is written from.
    """

    codes: NDArray[np.intp]
    en_values: NDArray[Any]
    ja_values: NDArray[Any]
    nearest_index: NDArray[np.intp]
    nearest_distance_km: NDArray[np.float64]
    nearest_azimuth_deg: NDArray[np.float64]
    place: tuple[Place, ...]
    distance_km: NDArray[np.float64]
    azimuth_deg: NDArray[np.float64]

    @property
    def en(self) -> NDArray[Any]:
        return self.en_values[self.codes]

    @property
    def ja(self) -> NDArray[Any]:
        return self.ja_values[self.codes]

    def __len__(self) -> int:
        return len(self.codes)


# qualifiers of a description, in the order they win
_PLAIN, _FAR, _COVERAGE, _LAND = 0, 1, 2, 3


def describe_points(
    lon: ArrayLike,
    lat: ArrayLike,
    *,
    reference: Sequence[Place | None] | None = None,
    beyond_coverage: ArrayLike | None = None,
    land_state: Sequence[str] | NDArray[Any] | None = None,
) -> Descriptions:
    """MoD-style descriptions of many points (``lon, lat`` arrays, degrees); see the module
    docstring for the rules.

    Parameters
    ----------
    lon, lat : array-like
        The points (degrees, WGS84).
    reference : sequence of Place or None, optional
        Per point, the place to describe it from (the one the user named), or None for the
        nearest reference place.
    beyond_coverage : array of bool, optional
        Points beyond the boundary data's coverage (zone ``unknown``).
    land_state : sequence of str, optional
        Per point, the ISO code of the state whose land holds it ("" at sea or on Japanese
        land).

    >>> d = describe_points([136.85, 139.0], [41.48, 42.0])
    >>> d.en.tolist()
    ['about 210 km W of Oshima-Oshima', 'about 40 km WSW of Okushiri Island']
    """
    x = np.atleast_1d(np.asarray(lon, dtype=float)).ravel()
    y = np.atleast_1d(np.asarray(lat, dtype=float)).ravel()
    n = x.size
    ref = reference_places()
    idx, dist, az = nearest_place_indices(x, y)
    near_idx, near_dist, near_az = idx, dist, az
    table: list[Place] = list(ref)
    if reference is not None and any(p is not None for p in reference):
        idx, dist, az = idx.copy(), dist.copy(), az.copy()
        where = {p.key: i for i, p in enumerate(table)}
        rows = np.array([i for i, p in enumerate(reference) if p is not None], dtype=np.intp)
        for i in rows.tolist():
            p = reference[i]
            assert p is not None
            if p.key not in where:
                where[p.key] = len(table)
                table.append(p)
            idx[i] = where[p.key]
        plon = np.array([table[k].lon for k in idx[rows]])
        plat = np.array([table[k].lat for k in idx[rows]])
        a, d = inverse_arrays(plon, plat, x[rows], y[rows])
        dist[rows], az[rows] = d / 1000.0, np.mod(a, 360.0)
    qual = np.zeros(n, dtype=np.int64)
    state_codes: list[str] = [""]
    if land_state is not None:
        states = np.asarray(land_state, dtype=object)
        on = np.flatnonzero(states != "")
        if on.size:
            uniq, inv = np.unique(states[on].astype(str), return_inverse=True)
            state_codes += uniq.tolist()
            qual[on] = _LAND + np.asarray(inv).ravel()
    if beyond_coverage is not None:
        qual[np.asarray(beyond_coverage, dtype=bool).ravel()] = _COVERAGE
    far = near_dist > FAR_KM
    if reference is not None:
        far &= np.array([p is None for p in reference], dtype=bool)
    qual[far] = _FAR
    sector = _sectors(az)
    rounded = np.asarray(round_distance_km(dist), dtype=np.int64)
    code = ((qual * len(table) + idx.astype(np.int64)) * 16 + sector) * _RANGE_CODES + rounded
    uniq_code, inv_code = np.unique(code, return_inverse=True)
    en_u = np.empty(len(uniq_code), dtype=object)
    ja_u = np.empty(len(uniq_code), dtype=object)
    for j, c in enumerate(uniq_code.tolist()):
        rest, km = divmod(c, _RANGE_CODES)
        rest, si = divmod(rest, 16)
        q, ki = divmod(rest, len(table))
        en_u[j], ja_u[j] = _phrases(table[ki], si, km, q, state_codes)
    return Descriptions(
        codes=np.asarray(inv_code, dtype=np.intp).ravel(), en_values=en_u, ja_values=ja_u,
        nearest_index=near_idx, nearest_distance_km=near_dist, nearest_azimuth_deg=near_az,
        place=_take(table, idx), distance_km=dist, azimuth_deg=az,
    )  # fmt: skip


def _take(table: Sequence[Place], idx: NDArray[np.intp]) -> tuple[Place, ...]:
    """``tuple(table[k] for k in idx)``, the gathering done by numpy (a million points)."""
    objs = np.empty(len(table), dtype=object)
    objs[:] = list(table)
    return tuple(objs[idx].tolist())


def phrase(name_en: str, name_ja: str, azimuth_deg: float, distance_km: float) -> tuple[str, str]:
    """The English and Japanese description "``distance_km`` on ``azimuth_deg`` of a reference"
    (a region: "about 3,200 km E of Japan"), by the same rules as every description.

    >>> phrase("Japan", "日本", 90.0, 3200.0)
    ('about 3,200 km E of Japan', '日本の東約3,200km')
    """
    km = int(round_distance_km(distance_km))
    sector = int(_sectors(np.asarray([azimuth_deg], dtype=float))[0])
    return _text(name_en, name_ja, sector, km)


def _text(name_en: str, name_ja: str, sector: int, km: int) -> tuple[str, str]:
    if km == 0:
        return f"near {name_en}", f"{name_ja}付近"
    return (
        f"about {km:,d} km {COMPASS_EN[sector]} of {name_en}",
        f"{name_ja}の{COMPASS_JA[sector]}約{km:,d}km",
    )


def _phrases(place: Place, sector: int, km: int, qualifier: int, states: list[str]) -> tuple[str, str]:
    """The English and Japanese text of one (place, sector, rounded distance, qualifier)."""
    if qualifier == _FAR:
        return (
            f"far from Japan: about {km:,d} km from {place.name_en}, the nearest Japanese "
            "reference place",
            f"日本から遠く離れた地点（最寄りの基準地点の{place.name_ja}から約{km:,d}km）",
        )
    en, ja = _text(place.name_en, place.name_ja, sector, km)
    if qualifier == _COVERAGE:
        return f"beyond the boundary data's coverage: {en}", f"境界データの範囲外：{ja}"
    if qualifier >= _LAND:
        iso = states[qualifier - _LAND + 1]
        return f"in {state_name(iso)}: {en}", f"{state_name(iso, lang='ja')}の陸上：{ja}"
    return en, ja


def describe(
    lon: float,
    lat: float,
    *,
    reference: Place | None = None,
    beyond_coverage: bool = False,
    land_state: str = "",
) -> Description:
    """Describe (``lon``, ``lat``) the way Japan's MoD does, in English and Japanese: the one
    point form of :func:`describe_points` (same rules, same text).

    >>> describe(136.85, 41.48).ja
    '渡島大島の西約210km'
    """
    d = describe_points(
        [lon], [lat], reference=None if reference is None else [reference],
        beyond_coverage=[beyond_coverage], land_state=[land_state],
    )  # fmt: skip
    dist, az = float(d.distance_km[0]), float(d.azimuth_deg[0])
    i = compass_index(az)
    return Description(
        en=str(d.en[0]), ja=str(d.ja[0]), place=d.place[0], bearing_en=COMPASS_EN[i],
        bearing_ja=COMPASS_JA[i], distance_km=float(round_distance_km(dist)),
        rounding_km=float(_rounding_step(np.asarray(dist))), true_distance_km=dist,
        true_azimuth_deg=az,
    )  # fmt: skip
