"""How likely an uncertain impact point is inside Japan's EEZ as Japan claims it.

Coordinates are ``lon, lat`` degrees (WGS84); distances are km unless a name says otherwise.

The rule
--------
*P(inside)* is the probability that the true impact point is inside Japan's EEZ as the loaded
data draws Japan's claim, i.e. that its ``japan_eez`` verdict is ``inside`` or ``disputed``.
It is estimated by sampling, with a fixed seed so that the same input always gives the same
answer (and a point checked alone or in a batch gets the same P):

- **Circular** (``--uncertainty-km R``): the true point is an isotropic 2-D Gaussian around the
  reported point whose 95 % radius is R, so ``sigma = R / 2.4477`` (``2.4477 = sqrt(-2 ln 0.05)``:
  95 % of a 2-D Gaussian lies within 2.4477 sigma of its centre).
- **Elongated** (MoD wording such as "about 250 km W of the Oga Peninsula"): the wording gives a
  distance and a bearing from a reference place, each rounded. The true point is sampled *in
  distance and bearing from the place*: distance ``D + sigma_d z1`` with ``sigma_d = along / 1.96``
  and bearing ``B + (sigma_c / D) z2`` (radians) with ``sigma_c = across / 1.96``, where ``along``
  and ``across`` are the 95 % half-widths along and across the bearing that
  :func:`eezcheck.wording.uncertainty_from_wording` derives from the rounding (distance to
  5/10/50 km, bearing to 8 or 16 compass points, plus the size of the reference feature). The
  region is therefore a curved band around the arc at distance D, as the wording means.
- ``N_SAMPLES = 4000`` standard normal pairs drawn once from ``numpy.random.default_rng(0)``
  (the same pairs for every point); each sample is placed geodesically
  (:func:`eezcheck.geodesy.destination`), and all samples are classified in one vectorised call.
  P is the fraction of samples inside; its sampling error is at most 0.008 (1 sigma).
- A verdict is ``uncertain`` when ``0.05 < P < 0.95``. With ``P >= 0.95`` the verdict is the
  point's own verdict if that is ``inside``/``disputed`` (else ``inside``); with ``P <= 0.05`` it is
  ``outside``.

Examples
--------
>>> from eezcheck.uncertainty import CircularUncertainty
>>> round(CircularUncertainty(50.0).sigma_km, 4)
20.4269
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from eezcheck.geodesy import GEOD, KM, destination, normalize_lon

N_SAMPLES = 4000
"""Samples per uncertain point."""

SEED = 0
"""Seed of :func:`numpy.random.default_rng` for the sample offsets."""

R95_PER_SIGMA_2D = float(np.sqrt(-2.0 * np.log(0.05)))
"""2.4477: 95 % of an isotropic 2-D Gaussian lies within this many sigma of its centre."""

HALF_WIDTH95_PER_SIGMA_1D = 1.959963984540054
"""1.96: 95 % of a 1-D Gaussian lies within this many sigma of its mean."""

P_LOW = 0.05
P_HIGH = 0.95
"""``uncertain`` when ``P_LOW < P < P_HIGH``."""

_CHUNK_SAMPLES = 2_000_000  # samples classified per call (memory bound)


@lru_cache(maxsize=2)
def standard_offsets(n: int = N_SAMPLES, seed: int = SEED) -> NDArray[np.float64]:
    """``(n, 2)`` standard normal pairs, the same for every call with the same arguments."""
    out = np.random.default_rng(seed).standard_normal((n, 2))
    out.setflags(write=False)
    return out


@dataclass(frozen=True)
class CircularUncertainty:
    """The true point is within ``radius_km`` of the reported one with probability 0.95."""

    radius_km: float

    @property
    def sigma_km(self) -> float:
        return self.radius_km / R95_PER_SIGMA_2D

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "circular",
            "radius_95_km": self.radius_km,
            "sigma_km": round(self.sigma_km, 3),
            "samples": N_SAMPLES,
            "seed": SEED,
        }


@dataclass(frozen=True)
class WordingUncertainty:
    """An elongated region from MoD wording: distance and bearing from a reference place.

    ``along_km`` and ``across_km`` are 95 % half-widths along and across the bearing at the
    reported distance ``distance_km`` on bearing ``bearing_deg`` from (``place_lon``, ``place_lat``).
    The one type of such a region: :func:`eezcheck.wording.uncertainty_from_wording` makes it from
    a wording, :func:`eezcheck.inputs.resolve_launch_point` from a compass word and a range.
    """

    place_lon: float
    place_lat: float
    bearing_deg: float
    distance_km: float
    along_km: float
    across_km: float
    region: str = ""
    """Key of a region reference (:mod:`eezcheck.wording.regions`): P is then the share of its
    point set inside, and the verdict definite only when every point is on one side."""
    rounding_km: float = 0.0
    bearing_points: int = 0

    @classmethod
    def from_sigmas(
        cls, place_lon: float, place_lat: float, bearing_deg: float, distance_km: float,
        sigma_along_km: float, sigma_across_km: float,
    ) -> WordingUncertainty:  # fmt: skip
        """The region whose 1-sigma spreads along and across the bearing are given (km)."""
        return cls(
            place_lon=float(place_lon), place_lat=float(place_lat),
            bearing_deg=float(bearing_deg), distance_km=float(distance_km),
            along_km=float(sigma_along_km) * HALF_WIDTH95_PER_SIGMA_1D,
            across_km=float(sigma_across_km) * HALF_WIDTH95_PER_SIGMA_1D,
        )  # fmt: skip

    def __iter__(self) -> Iterator[float]:
        """Unpacks as ``along_km, across_km`` (the two half-widths)."""
        return iter((self.along_km, self.across_km))

    @property
    def radius_km(self) -> float:
        """The larger half-width (what ``uncertainty_km`` reports for this region)."""
        return max(self.along_km, self.across_km)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "wording",
            "along_95_km": round(self.along_km, 3),
            "across_95_km": round(self.across_km, 3),
            "bearing_deg": self.bearing_deg,
            "distance_km": self.distance_km,
            "reference_lat": self.place_lat,
            "reference_lon": self.place_lon,
            "samples": N_SAMPLES,
            "seed": SEED,
        }


Uncertainty = CircularUncertainty | WordingUncertainty


def sample_circular(
    lon: ArrayLike, lat: ArrayLike, radius_km: ArrayLike, n: int = N_SAMPLES
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Sample points around each centre; arrays of shape ``(points, n)`` (lon, lat).

    ``radius_km`` (scalar or one per point) is the 95 % radius of an isotropic 2-D Gaussian.
    """
    x = np.atleast_1d(np.asarray(lon, dtype=float))
    y = np.atleast_1d(np.asarray(lat, dtype=float))
    r = np.broadcast_to(np.asarray(radius_km, dtype=float), x.shape)
    z = standard_offsets(n)
    sigma_m = (r / R95_PER_SIGMA_2D * KM)[:, None]
    east = z[None, :, 0] * sigma_m
    north = z[None, :, 1] * sigma_m
    az = np.degrees(np.arctan2(east, north))
    dist = np.hypot(east, north)
    slon, slat = destination(np.repeat(x, n), np.repeat(y, n), az.ravel(), dist.ravel())
    return np.asarray(slon).reshape(x.size, n), np.asarray(slat).reshape(x.size, n)


def sample_wording(
    u: WordingUncertainty, n: int = N_SAMPLES
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Sample the band of an MoD description; arrays of shape ``(n,)`` (lon, lat)."""
    z = standard_offsets(n)
    sigma_d = u.along_km / HALF_WIDTH95_PER_SIGMA_1D
    sigma_c = u.across_km / HALF_WIDTH95_PER_SIGMA_1D
    dist_km = u.distance_km + sigma_d * z[:, 0]
    # across-bearing spread as an angle at the reported distance (a 'near X' report: a circle)
    if u.distance_km > 0:
        az = u.bearing_deg + np.degrees(sigma_c * z[:, 1] / u.distance_km)
    else:
        az = np.degrees(np.arctan2(z[:, 1], z[:, 0]))
        dist_km = np.hypot(sigma_d * z[:, 0], sigma_c * z[:, 1])
    # a negative distance is the same line continued behind the place
    az = np.where(dist_km < 0, az + 180.0, az)
    dist_km = np.abs(dist_km)
    lon, lat, _ = GEOD.fwd(np.full(n, u.place_lon), np.full(n, u.place_lat), az, dist_km * KM)
    return np.asarray(normalize_lon(lon), dtype=float), np.asarray(lat, dtype=float)


def fraction_inside(
    classifier: Any, lon: NDArray[np.float64], lat: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Fraction of each row of samples (``(points, n)`` arrays) inside Japan's claim.

    Inside means a ``japan_eez`` verdict of ``inside`` or ``disputed`` (``classifier`` is a
    :class:`eezcheck.zones.Classifier`). Rows are classified in as few calls as memory allows.
    """
    from eezcheck.zones import JAPAN_CODES, JapanEEZ

    rows, n = lon.shape
    out = np.zeros(rows)
    outside = JAPAN_CODES.index(JapanEEZ.OUTSIDE)
    step = max(1, _CHUNK_SAMPLES // max(n, 1))
    for start in range(0, rows, step):
        sl = slice(start, min(start + step, rows))
        c = classifier.classify(lon[sl].ravel(), lat[sl].ravel())
        inside = (c.japan_code != outside).reshape(-1, n)
        out[sl] = inside.mean(axis=1)
    return out


def p_inside_circular(
    classifier: Any, lon: ArrayLike, lat: ArrayLike, radius_km: ArrayLike
) -> NDArray[np.float64]:
    """P(inside Japan's claimed EEZ) for points uncertain within ``radius_km`` (95 %).

    Points (scalar or one radius per point) are processed in chunks: no per-point loop.
    A radius of 0 gives the point's own verdict (0 or 1); NaN radius gives NaN.
    """
    x = np.atleast_1d(np.asarray(lon, dtype=float))
    y = np.atleast_1d(np.asarray(lat, dtype=float))
    r = np.broadcast_to(np.asarray(radius_km, dtype=float), x.shape)
    out = np.full(x.size, np.nan)
    todo = np.flatnonzero(np.isfinite(r))
    step = max(1, _CHUNK_SAMPLES // N_SAMPLES)
    for start in range(0, todo.size, step):
        idx = todo[start : start + step]
        slon, slat = sample_circular(x[idx], y[idx], r[idx])
        out[idx] = fraction_inside(classifier, slon, slat)
    return out


def p_inside_wording(classifier: Any, u: WordingUncertainty) -> float:
    """P(inside Japan's claimed EEZ) for the band of one MoD description."""
    slon, slat = sample_wording(u)
    return float(fraction_inside(classifier, slon[None, :], slat[None, :])[0])


def verdict_with_p(point_verdict: str, p: float | None) -> str:
    """Apply the rule: ``uncertain`` when 0.05 < P < 0.95 (see the module docs)."""
    if p is None or not np.isfinite(p):
        return point_verdict
    if P_LOW < p < P_HIGH:
        return "uncertain"
    if p >= P_HIGH:
        return point_verdict if point_verdict in ("inside", "disputed") else "inside"
    return "outside"


def verdicts_with_p(point_verdict: NDArray[Any], p: NDArray[np.float64]) -> NDArray[Any]:
    """Vector form of :func:`verdict_with_p` (object arrays of verdict strings)."""
    out = np.array(point_verdict, dtype=object, copy=True)
    has = np.isfinite(p)
    mid = has & (p > P_LOW) & (p < P_HIGH)
    hi = has & (p >= P_HIGH) & ~np.isin(out, ["inside", "disputed"])
    lo = has & (p <= P_LOW)
    out[mid] = "uncertain"
    out[hi] = "inside"
    out[lo] = "outside"
    return out


__all__ = [
    "N_SAMPLES",
    "P_HIGH",
    "P_LOW",
    "SEED",
    "CircularUncertainty",
    "Uncertainty",
    "WordingUncertainty",
    "fraction_inside",
    "p_inside_circular",
    "p_inside_wording",
    "sample_circular",
    "sample_wording",
    "standard_offsets",
    "verdict_with_p",
    "verdicts_with_p",
]
