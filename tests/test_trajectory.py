"""Tests of eezcheck.trajectory: check values, model limits, profiles, tracks, plots, properties."""

from __future__ import annotations

import dataclasses
import doctest
import json
import math
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import eezcheck.trajectory as tr
from eezcheck.errors import FileOverwriteError, InvalidInputError, TrajectoryModelError
from eezcheck.geodesy import distance_m
from eezcheck.trajectory import (
    EARTH_RADIUS_KM,
    EARTH_ROTATION_RAD_S,
    MU_KM3_S2,
    from_burnout,
    from_range_apogee,
    ground_track,
    minimum_energy,
    plot_profile,
    profile,
    profile_svg,
    rotation_effect,
)

# DESIGN-NOTES section 5: minimum energy, burnout at the surface.
MIN_ENERGY_CHECKS = [
    # range_km, flight_time_min, apogee_km
    (1000, 7.9, 240),
    (3000, 14.9, 655),
    (5500, 21.9, 1041),
    (10000, 32.2, 1319),
]


@pytest.mark.parametrize(("range_km", "minutes", "apogee_km"), MIN_ENERGY_CHECKS)
def test_minimum_energy_check_values(range_km, minutes, apogee_km):
    t = minimum_energy(range_km)
    assert t.flight_time_min == pytest.approx(minutes, rel=0.01)
    assert t.apogee_km == pytest.approx(apogee_km, rel=0.01)
    assert t.kind == "minimum_energy"
    assert t.equivalent_min_energy_range_km == pytest.approx(range_km)
    assert t.lower_bound is False
    assert t.flight_path_angle_deg == pytest.approx((180 - t.range_angle_deg) / 4)


def test_lofted_2017_11_29():
    """960 km range, 4,500 km apogee: model 50.5 min and >= 10,055 km (DESIGN-NOTES section 5)."""
    t = from_range_apogee(960, 4500)
    assert t.kind == "lofted"
    assert t.flight_time_min == pytest.approx(50.5, rel=0.01)
    assert t.equivalent_min_energy_range_km == pytest.approx(10055, rel=0.01)
    assert t.lower_bound is True
    assert any("lower bound" in n for n in t.notes)
    assert t.range_km == pytest.approx(960)
    assert t.apogee_km == pytest.approx(4500)


def test_2024_10_31_is_outside_the_model():
    """~1,000 km range with a 7,000 km apogee needs Q >= 1: flagged, never a number."""
    with pytest.raises(TrajectoryModelError) as info:
        from_range_apogee(1000, 7000)
    msg = str(info.value)
    assert (
        "1,000 km" in msg and "7,000 km" in msg and "circular speed" in msg and "Q = 1.048" in msg
    )
    assert info.value.exit_code == 2
    assert isinstance(info.value, ValueError)


def test_q_threshold_is_r_cos_half_range():
    # Q reaches 1 when the apogee altitude reaches R cos(Psi/2).
    r = 1000.0
    limit = EARTH_RADIUS_KM * math.cos(r / EARTH_RADIUS_KM / 2)
    assert from_range_apogee(r, limit - 1).q < 1
    with pytest.raises(TrajectoryModelError, match="circular speed"):
        from_range_apogee(r, limit + 1)


@pytest.mark.parametrize(
    ("range_km", "apogee_km", "match"),
    [
        (0, 100, "range_km 0 km is out of range: give a value above 0 and at most 20,000"),
        (-5, 100, "range_km -5 km is out of range"),
        (20001, 100, r"at most 20,000 \(about half the Earth's circumference\)"),
        (math.pi * EARTH_RADIUS_KM, 100, "half the Earth's circumference"),
        (float("nan"), 100, "not a finite number"),
        (float("inf"), 100, "not a finite number"),
        ("abc", 100, "not a number"),
        (None, 100, "not a number"),
        (True, 100, "not a number"),
        (1000, 0, "apogee_km 0 km is out of range: give a value above 0"),
        (1000, -10, "apogee_km -10 km is out of range"),
        (1000, float("nan"), "apogee_km nan is not a finite number of km"),
    ],
)
def test_bad_inputs_raise(range_km, apogee_km, match):
    with pytest.raises(TrajectoryModelError, match=match):
        from_range_apogee(range_km, apogee_km)


@pytest.mark.parametrize("range_km", [0, -1, 1e9, float("nan"), "x"])
def test_minimum_energy_bad_range(range_km):
    with pytest.raises(TrajectoryModelError):
        minimum_energy(range_km)


def test_from_burnout_limits():
    v_circ = math.sqrt(MU_KM3_S2 / EARTH_RADIUS_KM)
    with pytest.raises(TrajectoryModelError, match="circular speed"):
        from_burnout(v_circ * 1.01, 45)
    with pytest.raises(TrajectoryModelError, match="escape speed"):
        from_burnout(v_circ * 1.5, 45)
    for angle in (0, 90, -3, 120):
        with pytest.raises(TrajectoryModelError, match="between 0 and 90"):
            from_burnout(3.0, angle)
    with pytest.raises(TrajectoryModelError, match="greater than 0"):
        from_burnout(0, 45)


def test_depressed_and_exact_minimum_energy_classification():
    me = minimum_energy(1000)
    assert from_range_apogee(1000, 100).kind == "depressed"
    assert from_range_apogee(1000, 1000).kind == "lofted"
    same = from_range_apogee(1000, me.apogee_km)
    assert same.kind == "minimum_energy"
    assert same.flight_time_s == pytest.approx(me.flight_time_s)
    assert same.burnout_speed_km_s == pytest.approx(me.burnout_speed_km_s)
    assert same.flight_path_angle_deg == pytest.approx(me.flight_path_angle_deg)
    near = from_range_apogee(1000, me.apogee_km * 1.005)
    assert near.kind == "lofted" and any("within 1 %" in n for n in near.notes)
    low = from_range_apogee(300, 50)
    assert any("below 100 km" in n for n in low.notes)


def test_to_dict_keys_and_json():
    t = from_range_apogee(960, 4500)
    d = t.to_dict()
    for key in (
        "range_km",
        "apogee_km",
        "flight_time_s",
        "flight_time_min",
        "burnout_speed_km_s",
        "flight_path_angle_deg",
        "equivalent_min_energy_range_km",
        "q",
        "lower_bound",
        "kind",
        "model",
        "notes",
    ):
        assert key in d
    assert d["flight_time_min"] == pytest.approx(d["flight_time_s"] / 60)
    assert "6371.0" in d["model"] and "398600.4418" in d["model"]
    json.dumps(d)
    with pytest.raises(dataclasses.FrozenInstanceError):
        t.range_km = 1  # type: ignore[misc]


def test_burnout_speed_matches_vis_viva():
    t = from_range_apogee(960, 4500)
    v2 = MU_KM3_S2 * (2 / EARTH_RADIUS_KM - 1 / t.semi_major_axis_km)
    assert t.burnout_speed_km_s == pytest.approx(math.sqrt(v2))
    # angular momentum: r v cos(phi) = sqrt(mu p)
    p = t.semi_major_axis_km * (1 - t.eccentricity**2)
    h = EARTH_RADIUS_KM * t.burnout_speed_km_s * math.cos(math.radians(t.flight_path_angle_deg))
    assert h == pytest.approx(math.sqrt(MU_KM3_S2 * p))


def test_profile_shape():
    t = from_range_apogee(960, 4500)
    p = profile(t, n_points=201)
    assert len(p.downrange_km) == len(p.altitude_km) == len(p.time_s) == 201
    assert p.downrange_km[0] == 0 and p.downrange_km[-1] == pytest.approx(960)
    assert p.altitude_km[0] == 0 and p.altitude_km[-1] == 0
    assert p.altitude_km.max() == pytest.approx(4500)
    assert p.altitude_km[100] == pytest.approx(4500)
    assert p.time_s[0] == 0 and p.time_s[-1] == pytest.approx(t.flight_time_s)
    assert p.time_s[100] == pytest.approx(t.flight_time_s / 2)
    assert np.all(np.diff(p.time_s) > 0)
    np.testing.assert_allclose(p.altitude_km, p.altitude_km[::-1], atol=1e-6)
    assert set(p.to_dict()) == {"downrange_km", "altitude_km", "time_s"}
    with pytest.raises(InvalidInputError):
        profile(t, n_points=1)


def test_profile_time_matches_closed_form_at_every_point():
    # Kepler's second law, dt/dnu = r^2 / h, integrated by the trapezoid rule.
    t = minimum_energy(5500)
    p = profile(t, n_points=2001)
    e, a = t.eccentricity, t.semi_major_axis_km
    h = math.sqrt(MU_KM3_S2 * a * (1 - e * e))
    r = p.altitude_km + EARTH_RADIUS_KM
    dnu = np.diff(p.downrange_km) / EARTH_RADIUS_KM
    approx = np.concatenate([[0], np.cumsum((r[1:] ** 2 + r[:-1] ** 2) / 2 / h * dnu)])
    np.testing.assert_allclose(p.time_s, approx, rtol=1e-4, atol=0.05)


def test_ground_track():
    g = ground_track(125.0, 39.0, 135.0, 40.0, spacing_km=25)
    assert g.lon[0] == pytest.approx(125.0) and g.lat[0] == pytest.approx(39.0)
    assert g.lon[-1] == pytest.approx(135.0) and g.lat[-1] == pytest.approx(40.0)
    assert np.diff(g.distance_km).max() <= 25.0 + 1e-6
    total = distance_m(125.0, 39.0, 135.0, 40.0) / 1000
    assert g.distance_km[-1] == pytest.approx(total, rel=1e-9)
    assert set(g.to_dict()) == {"lon", "lat", "distance_km"}
    # across the antimeridian the unwrapped longitudes are continuous
    g2 = ground_track(175.0, 30.0, -175.0, 31.0, spacing_km=50)
    assert np.all(np.abs(np.diff(g2.lon)) < 1.0)
    with pytest.raises(InvalidInputError):
        ground_track(125, 39, 135, 40, spacing_km=0)
    with pytest.raises(InvalidInputError):
        ground_track(125, 95, 135, 40)


def _integrate_rotating(t, lat_deg, az_deg):
    """Independent check: integrate the two-body problem in the inertial frame."""
    from scipy.integrate import solve_ivp

    R, mu, w = EARTH_RADIUS_KM, MU_KM3_S2, EARTH_ROTATION_RAD_S
    la, az = math.radians(lat_deg), math.radians(az_deg)
    g, v = math.radians(t.flight_path_angle_deg), t.burnout_speed_km_s
    r0 = R * np.array([math.cos(la), 0.0, math.sin(la)])
    east, north, up = np.array([0, 1.0, 0]), np.array([-math.sin(la), 0, math.cos(la)]), r0 / R
    v_rel = v * (
        math.cos(g) * math.sin(az) * east + math.cos(g) * math.cos(az) * north + math.sin(g) * up
    )
    v0 = v_rel + np.cross([0, 0, w], r0)

    def rhs(_t, y):
        return np.r_[y[3:], -mu * y[:3] / np.linalg.norm(y[:3]) ** 3]

    def hit(_t, y):
        return np.linalg.norm(y[:3]) - R

    hit.terminal, hit.direction = True, -1
    sol = solve_ivp(
        rhs, (0, 1e5), np.r_[r0, v0], events=hit, rtol=1e-10, atol=1e-8, first_step=1e-3
    )
    tf, rf = sol.t_events[0][-1], sol.y_events[0][-1][:3]
    c, s = math.cos(-w * tf), math.sin(-w * tf)
    rf = np.array([c * rf[0] - s * rf[1], s * rf[0] + c * rf[1], rf[2]])
    return math.acos(np.clip(rf @ r0 / R**2, -1, 1)) * R, tf


@pytest.mark.parametrize(
    ("traj", "lat", "az"),
    [
        (minimum_energy(1000), 40.0, 90.0),
        (minimum_energy(10000), 40.0, 45.0),
        (from_range_apogee(960, 4500), 39.0, 90.0),
        (minimum_energy(3000), 0.0, 270.0),
    ],
)
def test_rotation_effect_matches_numerical_integration(traj, lat, az):
    fx = rotation_effect(traj, lat, az)
    range_km, time_s = _integrate_rotating(traj, lat, az)
    assert fx.range_km == pytest.approx(range_km, abs=0.5)
    assert fx.flight_time_s == pytest.approx(time_s, abs=0.5)
    assert fx.delta_range_km == pytest.approx(fx.range_km - traj.range_km)
    assert set(fx.to_dict()) >= {
        "range_km",
        "delta_range_km",
        "delta_flight_time_s",
        "impact_azimuth_deg",
    }


def test_rotation_effect_direction_and_pole():
    t = minimum_energy(1000)
    assert rotation_effect(t, 40, 90).delta_range_km > 0
    assert rotation_effect(t, 40, 270).delta_range_km < 0
    pole = rotation_effect(t, 90, 0)
    assert pole.surface_speed_km_s == pytest.approx(0, abs=1e-12)
    assert pole.delta_range_km == pytest.approx(0, abs=1e-6)
    with pytest.raises(InvalidInputError):
        rotation_effect(t, 91, 0)
    with pytest.raises(TrajectoryModelError, match="rotation"):
        rotation_effect(from_range_apogee(1000, 6300), 0, 90)


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_plot_profile_writes_and_refuses_to_clobber(tmp_path, suffix):
    out = tmp_path / f"p.{suffix}"
    t = from_range_apogee(960, 4500)
    assert plot_profile(t, out) == out
    head = out.read_bytes()[:8]
    assert head.startswith(b"\x89PNG") if suffix == "png" else b"<?xml" in head
    with pytest.raises(FileOverwriteError, match="exists"):
        plot_profile(t, out)
    plot_profile(t, out, overwrite=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]


def test_plot_profile_bad_suffix(tmp_path):
    with pytest.raises(InvalidInputError, match=".png or .svg"):
        plot_profile(minimum_energy(1000), tmp_path / "p.pdf")


def test_profile_svg_is_self_contained():
    s = profile_svg(from_range_apogee(960, 4500))
    root = ET.fromstring(s)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    lowered = s.lower()
    for bad in ("href", "<script", "url(", "@import", "http://", "https://"):
        if bad == "http://":
            assert lowered.count(bad) == 1  # only the xmlns declaration
        else:
            assert bad not in lowered
    assert "4,500 km" in s and "50.5 min" in s
    with pytest.raises(InvalidInputError):
        profile_svg(minimum_energy(1000), width=10)


def test_docstring_examples():
    result = doctest.testmod(tr, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 5


# ---- property tests ---------------------------------------------------------------------------

ranges = st.floats(min_value=10.0, max_value=19_000.0)
fractions = st.floats(min_value=0.001, max_value=0.98)


def _apogee(range_km: float, fraction: float) -> float:
    """An apogee below the Q = 1 limit R cos(Psi/2)."""
    return fraction * EARTH_RADIUS_KM * math.cos(range_km / EARTH_RADIUS_KM / 2)


@settings(max_examples=300, deadline=None)
@given(ranges, fractions)
def test_range_apogee_round_trip_through_burnout(range_km, fraction):
    apogee_km = _apogee(range_km, fraction)
    t = from_range_apogee(range_km, apogee_km)
    back = from_burnout(t.burnout_speed_km_s, t.flight_path_angle_deg)
    assert back.range_km == pytest.approx(range_km, rel=1e-6)
    assert back.apogee_km == pytest.approx(apogee_km, rel=1e-6)
    assert back.flight_time_s == pytest.approx(t.flight_time_s, rel=1e-6)
    assert back.kind == t.kind
    assert t.equivalent_min_energy_range_km >= range_km * (1 - 1e-9)


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=0.01, max_value=0.99), st.sampled_from([0.01, 0.5, 5.0]))
def test_minimum_energy_angle_gives_greatest_range(q, delta_deg):
    v = math.sqrt(q * MU_KM3_S2 / EARTH_RADIUS_KM)
    best = (180.0 - math.degrees(2 * math.asin(q / (2 - q)))) / 4
    r_best = from_burnout(v, best).range_km
    assert r_best == pytest.approx(2 * math.asin(q / (2 - q)) * EARTH_RADIUS_KM, rel=1e-9)
    for angle in (best - delta_deg, best + delta_deg):
        if 0 < angle < 90:
            assert from_burnout(v, angle).range_km <= r_best * (1 + 1e-12)


@settings(max_examples=300, deadline=None)
@given(ranges, fractions, fractions)
def test_flight_time_grows_with_apogee(range_km, f1, f2):
    lo, hi = sorted((f1, f2))
    if hi - lo < 1e-6:
        return
    t_lo = from_range_apogee(range_km, _apogee(range_km, lo))
    t_hi = from_range_apogee(range_km, _apogee(range_km, hi))
    assert t_hi.flight_time_s > t_lo.flight_time_s


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=1.0, max_value=20_000.0))
def test_minimum_energy_is_the_lowest_speed_for_its_range(range_km):
    me = minimum_energy(range_km)
    for factor in (0.5, 0.9, 1.1, 2.0):
        h = me.apogee_km * factor
        if h < EARTH_RADIUS_KM * math.cos(range_km / EARTH_RADIUS_KM / 2) * 0.999:
            assert from_range_apogee(range_km, h).q >= me.q * (1 - 1e-12)
