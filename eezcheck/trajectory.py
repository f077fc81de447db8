"""Ballistic relations for a spherical Earth without drag, and ground tracks.

The model is the classical one of Bate, Mueller & White, *Fundamentals of Astrodynamics*
(1971), chapter 6: a point mass launched from the surface of a spherical, non-rotating Earth
flies a Kepler ellipse, symmetric about its apogee, and lands back on the surface. Burnout is
taken at the surface, so boost and re-entry are not modelled. Constants:

- ``MU_KM3_S2 = 398600.4418`` km^3/s^2 (Earth's gravitational parameter, WGS84/EGM96),
- ``EARTH_RADIUS_KM = 6371.0`` km (mean radius; ranges are arcs on this sphere).

Notation (BMW ch. 6, ``docs/DESIGN-NOTES.md`` section 5): ``Q = v^2 R / mu`` (``Q = 1`` is
circular speed at the surface, ``Q = 2`` escape), ``phi`` the flight-path angle above the
horizon at burnout, ``Psi`` the free-flight range angle (range = ``R * Psi``)::

    cos(Psi/2) = (1 - Q cos^2 phi) / sqrt(1 + Q (Q - 2) cos^2 phi)          (range equation)
    minimum energy:  sin(Psi/2) = Q / (2 - Q),  phi = (180 deg - Psi) / 4
    e = sqrt(1 + Q (Q - 2) cos^2 phi),  a = R / (2 - Q)
    cos E = (e - cos(Psi/2)) / (1 - e cos(Psi/2)),  t = 2 sqrt(a^3/mu) (pi - E + e sin E)
    from range and apogee radius r_a:  e = (r_a - R) / (r_a - R cos(Psi/2)),
                                       a = r_a / (1 + e),  Q = 2 - R / a

Inputs the model cannot represent raise :class:`~eezcheck.errors.TrajectoryModelError` with
the values and the reason, never a number. In particular a burnout speed at or above circular
speed (``Q >= 1``, e.g. 1,000 km range with a 7,000 km apogee, the 2024-10-31 launch) has no
equivalent minimum-energy range (the trajectory would be global) and is refused.

:func:`rotation_effect` is an optional refinement: the same burnout (speed, angle and azimuth
relative to the ground) on a *rotating* sphere, solved exactly in the inertial frame.

Coordinates are ``lon, lat`` in degrees, in that order. The library never prints.
"""

from __future__ import annotations

import html
import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from eezcheck import limits
from eezcheck.errors import InvalidInputError, TrajectoryModelError
from eezcheck.geodesy import KM, distance_m, geodesic_line
from eezcheck.outputs import check_destination, write_atomic

__all__ = [
    "EARTH_RADIUS_KM",
    "EARTH_ROTATION_RAD_S",
    "FREE_FLIGHT_NOTE",
    "GENERIC_NOTES",
    "LOWER_BOUND_NOTE",
    "MAX_RANGE_KM",
    "MODEL",
    "MU_KM3_S2",
    "GroundTrack",
    "Profile",
    "RotationEffect",
    "Trajectory",
    "from_burnout",
    "from_range_apogee",
    "ground_track",
    "minimum_energy",
    "plot_profile",
    "profile",
    "profile_svg",
    "rotation_effect",
]

MU_KM3_S2 = 398600.4418
"""Earth's gravitational parameter, km^3/s^2."""

EARTH_RADIUS_KM = 6371.0
"""Radius of the spherical Earth of the model, km (burnout and impact are on this sphere)."""

EARTH_ROTATION_RAD_S = 7.2921159e-5
"""Earth's sidereal rotation rate, rad/s (used only by :func:`rotation_effect`)."""

MAX_RANGE_KM = limits.MAX_RANGE_KM
"""Longest range accepted (20,000 km, :data:`eezcheck.limits.MAX_RANGE_KM`), below half the
circumference of the model sphere (20,015 km)."""

MODEL = (
    "spherical non-rotating Earth (R = 6371.0 km, mu = 398600.4418 km^3/s^2), no drag, "
    "burnout and impact at the surface (Bate, Mueller & White ch. 6)"
)
"""One-line description of the model, repeated in every result's ``to_dict()``."""

LOWER_BOUND_NOTE = (
    "equivalent_min_energy_range_km is a lower bound: the minimum-energy range for the same "
    "burnout speed in this model; boost, drag and a burnout above the surface (not modelled) "
    "all make a real missile on a standard trajectory fly farther"
)
FREE_FLIGHT_NOTE = (
    "flight time is free flight only; reported flight times are typically 3-10 min longer"
)
GENERIC_NOTES = (LOWER_BOUND_NOTE, FREE_FLIGHT_NOTE)
"""The notes of every trajectory of a kind (a table leaves them out of its rows' notes)."""


def _number(name: str, value: Any, unit: str = "") -> float:
    """``value`` as a finite float, or TrajectoryModelError naming it (:mod:`eezcheck.limits`)."""
    return limits.number(name, value, unit or "units", error=TrajectoryModelError)


def _check_range(range_km: Any) -> float:
    return limits.range_km(range_km, error=TrajectoryModelError)


def _check_q(q: float, what: str) -> None:
    if q >= 2:
        raise TrajectoryModelError(
            f"{what} needs a burnout speed at or above escape speed (Q = {q:.3f} >= 2): "
            "outside the ballistic model."
        )
    if q >= 1:
        raise TrajectoryModelError(
            f"{what} needs a burnout speed at or above circular speed "
            f"(Q = {q:.3f} >= 1, {math.sqrt(q * MU_KM3_S2 / EARTH_RADIUS_KM):.2f} km/s >= "
            f"{math.sqrt(MU_KM3_S2 / EARTH_RADIUS_KM):.2f} km/s): its equivalent minimum-energy "
            "range would be global, so the model gives no answer for it."
        )


def _flight_time_s(e: float, a: float, psi: float) -> float:
    """Free-flight time (s) of the symmetric arc of range angle ``psi`` (BMW eq. 6.2-11)."""
    c = math.cos(psi / 2)
    cos_e = (e - c) / (1 - e * c)
    big_e = math.acos(min(1.0, max(-1.0, cos_e)))
    return 2 * math.sqrt(a**3 / MU_KM3_S2) * (math.pi - big_e + e * math.sin(big_e))


def _range_angle(q: float, phi: float) -> float:
    """Free-flight range angle Psi (rad) from Q and flight-path angle phi (rad): the range equation."""
    c2 = math.cos(phi) ** 2
    cos_half = (1 - q * c2) / math.sqrt(1 + q * (q - 2) * c2)
    return 2 * math.acos(min(1.0, max(-1.0, cos_half)))


def _min_energy_q(psi: float) -> float:
    s = math.sin(psi / 2)
    return 2 * s / (1 + s)


def _min_energy_range_angle(q: float) -> float:
    return 2 * math.asin(q / (2 - q))


@dataclass(frozen=True)
class Trajectory:
    """A free-flight ballistic trajectory of the model (see module docstring).

    Attributes
    ----------
    kind : str
        ``"minimum_energy"``, ``"lofted"`` (apogee above the minimum-energy apogee for this
        range) or ``"depressed"`` (below it).
    range_km, apogee_km : float
        Ground range (arc on the sphere) and apogee altitude above the surface.
    flight_time_s : float
        Free-flight time, burnout to impact.
    burnout_speed_km_s, flight_path_angle_deg : float
        Burnout speed and its angle above the local horizon.
    q, eccentricity, semi_major_axis_km : float
        ``Q = v^2 R / mu`` and the Kepler ellipse.
    equivalent_min_energy_range_km : float
        Range of the minimum-energy trajectory with the same burnout speed.
    lower_bound : bool
        True when ``equivalent_min_energy_range_km`` is a lower bound (lofted/depressed inputs).
    notes : tuple of str
        Caveats that apply to this result.
    """

    kind: str
    range_km: float
    apogee_km: float
    flight_time_s: float
    burnout_speed_km_s: float
    flight_path_angle_deg: float
    q: float
    eccentricity: float
    semi_major_axis_km: float
    equivalent_min_energy_range_km: float
    lower_bound: bool
    notes: tuple[str, ...] = field(default=())

    @property
    def flight_time_min(self) -> float:
        """Free-flight time in minutes."""
        return self.flight_time_s / 60.0

    @property
    def range_angle_deg(self) -> float:
        """Free-flight range angle Psi in degrees."""
        return math.degrees(self.range_km / EARTH_RADIUS_KM)

    def to_dict(self) -> dict[str, Any]:
        """Plain dict with snake_case keys, units in the names, JSON-serialisable."""
        return {
            "kind": self.kind,
            "range_km": self.range_km,
            "apogee_km": self.apogee_km,
            "flight_time_s": self.flight_time_s,
            "flight_time_min": self.flight_time_min,
            "burnout_speed_km_s": self.burnout_speed_km_s,
            "flight_path_angle_deg": self.flight_path_angle_deg,
            "range_angle_deg": self.range_angle_deg,
            "q": self.q,
            "eccentricity": self.eccentricity,
            "semi_major_axis_km": self.semi_major_axis_km,
            "equivalent_min_energy_range_km": self.equivalent_min_energy_range_km,
            "lower_bound": self.lower_bound,
            "model": MODEL,
            "notes": list(self.notes),
        }


def _build(kind: str, psi: float, q: float, phi: float, notes: list[str]) -> Trajectory:
    """Assemble a Trajectory from the range angle, Q and flight-path angle (radians)."""
    e = math.sqrt(max(0.0, 1 + q * (q - 2) * math.cos(phi) ** 2))
    a = EARTH_RADIUS_KM / (2 - q)
    if kind == "minimum_energy":
        eq_range = psi * EARTH_RADIUS_KM
        lower = False
    else:
        eq_range = _min_energy_range_angle(q) * EARTH_RADIUS_KM
        lower = True
        notes = [LOWER_BOUND_NOTE, *notes]
    return Trajectory(
        kind=kind,
        range_km=psi * EARTH_RADIUS_KM,
        apogee_km=a * (1 + e) - EARTH_RADIUS_KM,
        flight_time_s=_flight_time_s(e, a, psi),
        burnout_speed_km_s=math.sqrt(q * MU_KM3_S2 / EARTH_RADIUS_KM),
        flight_path_angle_deg=math.degrees(phi),
        q=q,
        eccentricity=e,
        semi_major_axis_km=a,
        equivalent_min_energy_range_km=eq_range,
        lower_bound=lower,
        notes=(*notes, FREE_FLIGHT_NOTE),
    )


def minimum_energy(range_km: float) -> Trajectory:
    """The minimum-energy (maximum-range) trajectory for a ground range.

    Parameters
    ----------
    range_km : float
        Ground range in km, 0 < range_km <= 20,000 km (:data:`eezcheck.limits.MAX_RANGE_KM`).

    Returns
    -------
    Trajectory
        ``kind == "minimum_energy"``; its equivalent range is the range itself.

    Raises
    ------
    TrajectoryModelError
        If the range is not a finite number in the open interval above.

    Examples
    --------
    >>> t = minimum_energy(1000)
    >>> round(t.apogee_km), round(t.flight_time_min, 1), round(t.flight_path_angle_deg, 2)
    (240, 7.9, 42.75)
    """
    r = _check_range(range_km)
    psi = r / EARTH_RADIUS_KM
    q = _min_energy_q(psi)
    phi = (math.pi - psi) / 4
    return _build("minimum_energy", psi, q, phi, [])


def from_range_apogee(range_km: float, apogee_km: float) -> Trajectory:
    """The trajectory with a given ground range and apogee (lofted, depressed or minimum-energy).

    A range and an apogee fix the ellipse (``e``, ``a``, hence ``Q`` and ``phi``). The result
    is ``"lofted"`` if the apogee is above the minimum-energy apogee for that range, and
    ``"depressed"`` if below. Its ``equivalent_min_energy_range_km`` (the minimum-energy range
    for the same burnout speed) is a lower bound, flagged by ``lower_bound=True``.

    Parameters
    ----------
    range_km : float
        Ground range in km, 0 < range_km <= 20,000 km.
    apogee_km : float
        Apogee altitude above the surface in km, > 0.

    Returns
    -------
    Trajectory

    Raises
    ------
    TrajectoryModelError
        For non-finite or non-positive inputs, and when the ellipse needs a burnout speed at or
        above circular speed (``Q >= 1``, apogee >= ``R cos(Psi/2)``): such a trajectory has no
        minimum-energy equivalent in this model (e.g. 1,000 km range with a 7,000 km apogee).

    Examples
    --------
    The lofted ICBM test of 2017-11-29:

    >>> t = from_range_apogee(960, 4500)
    >>> t.kind, round(t.flight_time_min, 1), round(t.equivalent_min_energy_range_km), t.lower_bound
    ('lofted', 50.5, 10055, True)
    """
    r = _check_range(range_km)
    h = limits.positive("apogee_km", apogee_km, "km", error=TrajectoryModelError)
    psi = r / EARTH_RADIUS_KM
    ra = EARTH_RADIUS_KM + h
    c = math.cos(psi / 2)
    if ra == EARTH_RADIUS_KM or ra - EARTH_RADIUS_KM * c <= 0:  # below float resolution
        raise TrajectoryModelError(
            f"A {range_km!r} km range with a {apogee_km!r} km apogee is too small for the model "
            "(below its numerical resolution): give a range and an apogee of at least a metre"
        )
    e = (ra - EARTH_RADIUS_KM) / (ra - EARTH_RADIUS_KM * c)
    a = ra / (1 + e)
    q = 2 - EARTH_RADIUS_KM / a
    _check_q(q, f"A {r:,.0f} km range with a {h:,.0f} km apogee")
    cos2_phi = (1 - e * e) / (q * (2 - q))
    phi = math.acos(math.sqrt(min(1.0, max(0.0, cos2_phi))))
    me = minimum_energy(r)
    notes: list[str] = []
    if math.isclose(h, me.apogee_km, rel_tol=1e-9):
        kind = "minimum_energy"
    else:
        kind = "lofted" if h > me.apogee_km else "depressed"
        if abs(h - me.apogee_km) <= 0.01 * me.apogee_km:
            notes.append(
                f"apogee is within 1 % of the minimum-energy apogee ({me.apogee_km:,.0f} km): "
                "practically a minimum-energy trajectory"
            )
    if h < 100:
        notes.append(
            "apogee below 100 km: in reality drag and lift dominate; the vacuum model is crude here"
        )
    return _build(kind, psi, q, phi, notes)


def from_burnout(burnout_speed_km_s: float, flight_path_angle_deg: float) -> Trajectory:
    """The trajectory flown from a burnout speed and flight-path angle (the range equation).

    Parameters
    ----------
    burnout_speed_km_s : float
        Burnout speed relative to the (non-rotating) Earth, below circular speed
        (7.91 km/s for this sphere).
    flight_path_angle_deg : float
        Angle above the local horizon, 0 < angle < 90 degrees.

    Returns
    -------
    Trajectory
        ``kind`` is ``"lofted"`` if the angle is steeper than the minimum-energy angle for
        this speed, ``"depressed"`` if flatter.

    Raises
    ------
    TrajectoryModelError
        For non-finite inputs, angles outside (0, 90) degrees, speeds <= 0 or ``Q >= 1``.

    Examples
    --------
    >>> t = from_burnout(3.0161, 42.75)
    >>> round(t.range_km), t.kind
    (1000, 'depressed')
    """
    v = _number("burnout_speed_km_s", burnout_speed_km_s)
    deg = _number("flight_path_angle_deg", flight_path_angle_deg)
    if v <= 0:
        raise TrajectoryModelError(f"burnout_speed_km_s={v:g} must be greater than 0.")
    if not 0 < deg < 90:
        raise TrajectoryModelError(
            f"flight_path_angle_deg={deg:g} must be strictly between 0 and 90 degrees."
        )
    q = v * v * EARTH_RADIUS_KM / MU_KM3_S2
    _check_q(q, f"A burnout speed of {v:g} km/s")
    phi = math.radians(deg)
    psi = _range_angle(q, phi)
    phi_me = (math.pi - _min_energy_range_angle(q)) / 4
    if math.isclose(phi, phi_me, rel_tol=1e-12):
        kind = "minimum_energy"
    else:
        kind = "lofted" if phi > phi_me else "depressed"
    return _build(kind, psi, q, phi, [])


@dataclass(frozen=True)
class Profile:
    """Altitude and time along a trajectory, as arrays of equal length.

    ``downrange_km`` is the arc on the model sphere from the launch point; ``altitude_km`` is
    height above the sphere; ``time_s`` is free-flight time since burnout.
    """

    downrange_km: NDArray[np.float64]
    altitude_km: NDArray[np.float64]
    time_s: NDArray[np.float64]

    def to_dict(self) -> dict[str, Any]:
        """Plain dict of lists."""
        return {
            "downrange_km": self.downrange_km.tolist(),
            "altitude_km": self.altitude_km.tolist(),
            "time_s": self.time_s.tolist(),
        }


def profile(result: Trajectory, n_points: int = 181) -> Profile:
    """Altitude and time versus downrange distance along a trajectory.

    Points are evenly spaced in downrange distance, from burnout (0 km) to impact
    (``result.range_km``), both with altitude 0.

    Parameters
    ----------
    result : Trajectory
        From :func:`minimum_energy`, :func:`from_range_apogee` or :func:`from_burnout`.
    n_points : int, default 181
        Number of points, at least 2 (use an odd number to hit the apogee exactly).

    Returns
    -------
    Profile

    Examples
    --------
    >>> p = profile(minimum_energy(1000), n_points=3)
    >>> p.downrange_km.round(1).tolist(), p.altitude_km.round(1).tolist()
    ([0.0, 500.0, 1000.0], [0.0, 239.9, 0.0])
    >>> round(float(p.time_s[-1]) / 60, 1)
    7.9
    """
    n = int(n_points)
    if n < 2:
        raise InvalidInputError(f"n_points={n_points!r} must be at least 2.")
    e, a = result.eccentricity, result.semi_major_axis_km
    psi = result.range_km / EARTH_RADIUS_KM
    theta = np.linspace(0.0, psi, n)
    nu = math.pi - psi / 2 + theta
    p = a * (1 - e * e)
    r = p / (1 + e * np.cos(nu))
    alt = r - EARTH_RADIUS_KM
    alt[0] = alt[-1] = 0.0
    big_e = np.mod(np.arctan2(np.sqrt(1 - e * e) * np.sin(nu), e + np.cos(nu)), 2 * np.pi)
    mean = big_e - e * np.sin(big_e)
    t = (mean - mean[0]) * math.sqrt(a**3 / MU_KM3_S2)
    return Profile(downrange_km=theta * EARTH_RADIUS_KM, altitude_km=alt, time_s=t)


@dataclass(frozen=True)
class GroundTrack:
    """Points along the WGS84 geodesic from launch to impact, ``lon, lat`` order.

    ``lon`` is unwrapped (continuous across 180 degrees); ``distance_km`` is cumulative geodesic
    distance from the first point.
    """

    lon: NDArray[np.float64]
    lat: NDArray[np.float64]
    distance_km: NDArray[np.float64]

    def to_dict(self) -> dict[str, Any]:
        """Plain dict of lists."""
        return {
            "lon": self.lon.tolist(),
            "lat": self.lat.tolist(),
            "distance_km": self.distance_km.tolist(),
        }


def ground_track(
    lon1: float, lat1: float, lon2: float, lat2: float, spacing_km: float = 10.0
) -> GroundTrack:
    """Geodesic ground track from (lon1, lat1) to (lon2, lat2), points at most ``spacing_km`` apart.

    Parameters
    ----------
    lon1, lat1, lon2, lat2 : float
        Launch and impact points, degrees, ``lon, lat`` order.
    spacing_km : float, default 10
        Largest distance between consecutive points.

    Returns
    -------
    GroundTrack

    Examples
    --------
    >>> g = ground_track(125.0, 39.0, 135.0, 40.0, spacing_km=100)
    >>> len(g.lon), round(float(g.distance_km[-1]))
    (10, 867)
    """
    spacing = _number("spacing_km", spacing_km)
    if spacing <= 0:
        raise InvalidInputError(f"spacing_km={spacing:g} must be greater than 0.")
    for name, val, lim in (
        ("lon1", lon1, 540),
        ("lat1", lat1, 90),
        ("lon2", lon2, 540),
        ("lat2", lat2, 90),
    ):
        x = _number(name, val)
        if abs(x) > lim:
            raise InvalidInputError(f"{name}={x:g} is out of range (|{name}| <= {lim}).")
    lons, lats = geodesic_line(float(lon1), float(lat1), float(lon2), float(lat2), spacing * KM)
    steps = np.asarray(distance_m(lons[:-1], lats[:-1], lons[1:], lats[1:]), dtype=float) / KM
    dist = np.concatenate([[0.0], np.cumsum(steps)])
    return GroundTrack(lon=lons, lat=lats, distance_km=dist)


@dataclass(frozen=True)
class RotationEffect:
    """The same burnout relative to the ground, on a sphere rotating once per sidereal day.

    Attributes
    ----------
    launch_lat_deg, azimuth_deg : float
        Launch latitude and launch azimuth (degrees clockwise from north, relative to ground).
    surface_speed_km_s : float
        Eastward speed of the launch site, ``omega R cos(lat)``.
    inertial_burnout_speed_km_s, inertial_flight_path_angle_deg : float
        Burnout speed and angle in the inertial frame.
    range_km, flight_time_s, apogee_km : float
        Ground range (launch site to impact point, both fixed to the Earth), free-flight time
        and apogee on the rotating Earth.
    impact_azimuth_deg : float
        Azimuth from the launch site to the (Earth-fixed) impact point.
    delta_range_km, delta_flight_time_s, delta_apogee_km : float
        Rotating minus non-rotating values.
    """

    launch_lat_deg: float
    azimuth_deg: float
    surface_speed_km_s: float
    inertial_burnout_speed_km_s: float
    inertial_flight_path_angle_deg: float
    range_km: float
    flight_time_s: float
    apogee_km: float
    impact_azimuth_deg: float
    delta_range_km: float
    delta_flight_time_s: float
    delta_apogee_km: float

    @property
    def flight_time_min(self) -> float:
        """Free-flight time in minutes."""
        return self.flight_time_s / 60.0

    def to_dict(self) -> dict[str, Any]:
        """Plain dict with snake_case keys, units in the names."""
        return {
            "launch_lat_deg": self.launch_lat_deg,
            "azimuth_deg": self.azimuth_deg,
            "surface_speed_km_s": self.surface_speed_km_s,
            "inertial_burnout_speed_km_s": self.inertial_burnout_speed_km_s,
            "inertial_flight_path_angle_deg": self.inertial_flight_path_angle_deg,
            "range_km": self.range_km,
            "flight_time_s": self.flight_time_s,
            "flight_time_min": self.flight_time_min,
            "apogee_km": self.apogee_km,
            "impact_azimuth_deg": self.impact_azimuth_deg,
            "delta_range_km": self.delta_range_km,
            "delta_flight_time_s": self.delta_flight_time_s,
            "delta_apogee_km": self.delta_apogee_km,
            "model": (
                "spherical Earth rotating at 7.2921159e-5 rad/s, no drag; same burnout speed, "
                "angle and azimuth relative to the ground as the non-rotating result"
            ),
        }


def rotation_effect(
    result: Trajectory, launch_lat_deg: float, azimuth_deg: float
) -> RotationEffect:
    """How Earth's rotation changes a trajectory's range and time (optional refinement).

    The burnout of ``result`` (speed and flight-path angle relative to the ground) is pointed
    along ``azimuth_deg`` from a site at ``launch_lat_deg``. In the inertial frame the site's
    eastward speed ``omega R cos(lat)`` adds to the horizontal velocity; the missile flies the
    resulting Kepler ellipse exactly, while the Earth turns beneath it during the flight.
    An eastward launch gains range, a westward one loses it.

    Parameters
    ----------
    result : Trajectory
        A non-rotating result (its burnout speed and angle are reused).
    launch_lat_deg : float
        Launch latitude, -90..90 degrees.
    azimuth_deg : float
        Launch azimuth relative to the ground, degrees clockwise from north.

    Returns
    -------
    RotationEffect

    Raises
    ------
    TrajectoryModelError
        If the inertial burnout speed reaches circular speed, or inputs are not finite.

    Examples
    --------
    Minimum-energy 1,000 km shot due east from 40 N:

    >>> fx = rotation_effect(minimum_energy(1000), 40.0, 90.0)
    >>> round(fx.delta_range_km), round(fx.delta_flight_time_s)
    (21, 15)
    """
    lat = _number("launch_lat_deg", launch_lat_deg)
    az_in = _number("azimuth_deg", azimuth_deg)
    if abs(lat) > 90:
        raise InvalidInputError(f"launch_lat_deg={lat:g} is out of range (-90..90).")
    az = math.radians(az_in % 360.0)
    phi_lat = math.radians(lat)
    v, gamma = result.burnout_speed_km_s, math.radians(result.flight_path_angle_deg)
    v_surf = EARTH_ROTATION_RAD_S * EARTH_RADIUS_KM * math.cos(phi_lat)
    east = v * math.cos(gamma) * math.sin(az) + v_surf
    north = v * math.cos(gamma) * math.cos(az)
    up = v * math.sin(gamma)
    vi = math.sqrt(east**2 + north**2 + up**2)
    gamma_i = math.asin(up / vi)
    az_i = math.atan2(east, north)
    qi = vi * vi * EARTH_RADIUS_KM / MU_KM3_S2
    _check_q(
        qi,
        f"With Earth's rotation (launch latitude {lat:g}, azimuth {az_in % 360:g} deg), this trajectory",
    )
    psi_i = _range_angle(qi, gamma_i)
    e_i = math.sqrt(max(0.0, 1 + qi * (qi - 2) * math.cos(gamma_i) ** 2))
    a_i = EARTH_RADIUS_KM / (2 - qi)
    time_i = _flight_time_s(e_i, a_i, psi_i)
    apogee_i = a_i * (1 + e_i) - EARTH_RADIUS_KM
    # Inertial impact point (launch at lon 0), then the Earth turns east by omega * t.
    sin_lat2 = math.sin(phi_lat) * math.cos(psi_i) + math.cos(phi_lat) * math.sin(psi_i) * math.cos(
        az_i
    )
    lat2 = math.asin(max(-1.0, min(1.0, sin_lat2)))
    dlon = math.atan2(
        math.sin(az_i) * math.sin(psi_i) * math.cos(phi_lat),
        math.cos(psi_i) - math.sin(phi_lat) * sin_lat2,
    )
    dlon -= EARTH_ROTATION_RAD_S * time_i
    hav = (
        math.sin((lat2 - phi_lat) / 2) ** 2
        + math.cos(phi_lat) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    )
    ground_psi = 2 * math.asin(min(1.0, math.sqrt(hav)))
    impact_az = math.atan2(
        math.sin(dlon) * math.cos(lat2),
        math.cos(phi_lat) * math.sin(lat2) - math.sin(phi_lat) * math.cos(lat2) * math.cos(dlon),
    )
    range_km = ground_psi * EARTH_RADIUS_KM
    return RotationEffect(
        launch_lat_deg=lat,
        azimuth_deg=az_in % 360.0,
        surface_speed_km_s=v_surf,
        inertial_burnout_speed_km_s=vi,
        inertial_flight_path_angle_deg=math.degrees(gamma_i),
        range_km=range_km,
        flight_time_s=time_i,
        apogee_km=apogee_i,
        impact_azimuth_deg=math.degrees(impact_az) % 360.0,
        delta_range_km=range_km - result.range_km,
        delta_flight_time_s=time_i - result.flight_time_s,
        delta_apogee_km=apogee_i - result.apogee_km,
    )


def _title(result: Trajectory) -> str:
    return (
        f"{result.kind.replace('_', '-')}: {result.range_km:,.0f} km range, "
        f"{result.apogee_km:,.0f} km apogee, {result.flight_time_min:.1f} min"
    )


def plot_profile(result: Trajectory, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write an altitude-versus-downrange plot of ``result`` to a PNG or SVG file.

    Parameters
    ----------
    result : Trajectory
        The trajectory to draw.
    path : str or Path
        Output file; its suffix (``.png`` or ``.svg``) chooses the format.
    overwrite : bool, default False
        Replace an existing file; otherwise raise :class:`~eezcheck.errors.FileOverwriteError`.

    Returns
    -------
    Path
        The file written.

    Examples
    --------
    >>> import tempfile, os
    >>> out = plot_profile(minimum_energy(1000), os.path.join(tempfile.mkdtemp(), "p.svg"))
    >>> out.read_text().lstrip().startswith("<?xml")
    True
    """
    out = Path(path)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise InvalidInputError(f"Plot file {str(out)!r} must end in .png or .svg.")
    check_destination(out, overwrite, "profile.svg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    p = profile(result)
    fig = Figure(figsize=(7.0, 3.5), dpi=120)
    FigureCanvasAgg(fig)  # Agg canvas for this figure only; the global backend is untouched
    ax = fig.add_subplot(1, 1, 1)
    ax.plot(p.downrange_km, p.altitude_km, color="#c0392b", lw=2)
    ax.fill_between(p.downrange_km, 0, p.altitude_km, color="#c0392b", alpha=0.08)
    i = int(np.argmax(p.altitude_km))
    ax.annotate(
        f"apogee {result.apogee_km:,.0f} km\nt = {p.time_s[i] / 60:.1f} min",
        (p.downrange_km[i], p.altitude_km[i]),
        textcoords="offset points",
        xytext=(0, -36),
        ha="center",
        fontsize=8,
    )
    ax.set_xlabel("downrange distance (km)")
    ax.set_ylabel("altitude (km)")
    ax.set_xlim(0, result.range_km)
    ax.set_ylim(0, result.apogee_km * 1.12)
    ax.grid(alpha=0.3)
    ax.set_title(_title(result), fontsize=10)
    fig.text(
        0.01,
        0.01,
        "model: spherical non-rotating Earth, no drag, free flight only",
        fontsize=6,
        color="0.4",
    )
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    return write_atomic(out, buf.getvalue())


def profile_svg(result: Trajectory, width: int = 240, height: int = 120) -> str:
    """A small self-contained inline SVG of the altitude profile, for map popups.

    No external references, scripts or fonts; every text is built from numbers and escaped.

    Parameters
    ----------
    result : Trajectory
        The trajectory to draw.
    width, height : int
        Size in pixels.

    Returns
    -------
    str
        An ``<svg ...>...</svg>`` element.

    Examples
    --------
    >>> s = profile_svg(minimum_energy(1000))
    >>> s.startswith("<svg"), "polyline" in s, "href" in s
    (True, True, False)
    """
    w, h = int(width), int(height)
    if w < 60 or h < 40:
        raise InvalidInputError(f"SVG size {width!r}x{height!r} is too small (at least 60x40).")
    left, right, top, bottom = 6, 6, 18, 16
    p = profile(result, n_points=61)
    xs = left + p.downrange_km / result.range_km * (w - left - right)
    ys = (h - bottom) - p.altitude_km / max(result.apogee_km, 1e-9) * (h - top - bottom)
    pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs.tolist(), ys.tolist(), strict=True))
    title = html.escape(_title(result))
    top_text = html.escape(f"apogee {result.apogee_km:,.0f} km, {result.flight_time_min:.1f} min")
    bottom_text = html.escape(f"range {result.range_km:,.0f} km ({result.kind.replace('_', '-')})")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}" role="img" font-family="sans-serif" font-size="10">'
        f"<title>{title}</title>"
        f'<line x1="{left}" y1="{h - bottom}" x2="{w - right}" y2="{h - bottom}" stroke="#555"/>'
        f'<polyline points="{pts}" fill="none" stroke="#c0392b" stroke-width="2"/>'
        f'<text x="{w / 2:.0f}" y="12" text-anchor="middle">{top_text}</text>'
        f'<text x="{w / 2:.0f}" y="{h - 3}" text-anchor="middle">{bottom_text}</text>'
        "</svg>"
    )
