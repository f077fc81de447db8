"""``eezcheck trajectory``: ballistic trajectory from a range (and an apogee)."""

from __future__ import annotations

import json
import textwrap
from typing import Any

import click

from eezcheck.cli import terminal
from eezcheck.cli.errors import handle_errors
from eezcheck.cli.options import CONTEXT
from eezcheck.trajectory import (
    MODEL,
    RotationEffect,
    Trajectory,
    from_range_apogee,
    minimum_energy,
    plot_profile,
    rotation_effect,
)

EPILOG = """\b
Examples:
  $ eezcheck trajectory --range-km 960 --apogee-km 4500 | head -6
  Lofted trajectory: 960 km range, 4,500 km apogee, 50.5 min free flight; equivalent minimum-energy range >= 10,055 km (lower bound).
    burnout speed                    7.21 km/s (Q = 0.830)
    flight-path angle                84.8 deg
    flight time                      3,031.6 s = 50.5 min (free flight)
    minimum-energy at this range     apogee 231 km, 7.7 min
    equivalent min-energy range      >= 10,055 km (lower bound)

\b
  $ eezcheck trajectory --range-km 1000 --apogee-km 7000; echo "exit $?"
  Error: A 1,000 km range with a 7,000 km apogee needs a burnout speed at or above circular speed (Q = 1.048 >= 1, 8.10 km/s >= 7.91 km/s): its equivalent minimum-energy range would be global, so the model gives no answer for it.
  exit 2

\b
  $ eezcheck trajectory --range-km 1000 --launch-lat 39 --azimuth 90 | head -9
  Minimum-energy trajectory: 1,000 km range, 240 km apogee, 7.9 min free flight.
    burnout speed                    3.02 km/s (Q = 0.145)
    flight-path angle                42.8 deg
    flight time                      474.4 s = 7.9 min (free flight)
    with Earth rotation              launch 39.00 N, azimuth 90.0 deg (site moves 0.361 km/s east)
      range                          1,021 km (+21 km)
      flight time                    8.2 min (+15 s)
      apogee                         247 km (+8 km)
      impact azimuth                 91.4 deg

\b
  $ eezcheck trajectory --range-km 1000 --json
  $ eezcheck trajectory --range-km 960 --apogee-km 4500 --plot profile.svg

\b
Exit codes: 0 success, 1 error (e.g. the plot file exists and --overwrite is not given),
2 bad input or outside the model.
"""


def _summary(t: Trajectory) -> str:
    kind = {"minimum_energy": "Minimum-energy", "lofted": "Lofted", "depressed": "Depressed"}[
        t.kind
    ]
    line = (
        f"{kind} trajectory: {t.range_km:,.0f} km range, {t.apogee_km:,.0f} km apogee, "
        f"{t.flight_time_min:.1f} min free flight"
    )
    if t.lower_bound:
        line += (
            f"; equivalent minimum-energy range >= {t.equivalent_min_energy_range_km:,.0f} km "
            "(lower bound)"
        )
    return line + "."


def _human(t: Trajectory, rot: RotationEffect | None) -> list[str]:
    rows = [
        ("burnout speed", f"{t.burnout_speed_km_s:.2f} km/s (Q = {t.q:.3f})"),
        ("flight-path angle", f"{t.flight_path_angle_deg:.1f} deg"),
        ("flight time", f"{t.flight_time_s:,.1f} s = {t.flight_time_min:.1f} min (free flight)"),
    ]
    if t.kind != "minimum_energy":
        me = minimum_energy(t.range_km)
        rows.append(
            (
                "minimum-energy at this range",
                f"apogee {me.apogee_km:,.0f} km, {me.flight_time_min:.1f} min",
            )
        )
        rows.append(
            (
                "equivalent min-energy range",
                f">= {t.equivalent_min_energy_range_km:,.0f} km (lower bound)",
            )
        )
    if rot is not None:
        hemi = "N" if rot.launch_lat_deg >= 0 else "S"
        rows += [
            (
                "with Earth rotation",
                f"launch {abs(rot.launch_lat_deg):.2f} {hemi}, azimuth {rot.azimuth_deg:.1f} deg "
                f"(site moves {rot.surface_speed_km_s:.3f} km/s east)",
            ),
            ("  range", f"{rot.range_km:,.0f} km ({rot.delta_range_km:+,.0f} km)"),
            ("  flight time", f"{rot.flight_time_min:.1f} min ({rot.delta_flight_time_s:+,.0f} s)"),
            ("  apogee", f"{rot.apogee_km:,.0f} km ({rot.delta_apogee_km:+,.0f} km)"),
            ("  impact azimuth", f"{rot.impact_azimuth_deg:.1f} deg"),
        ]
    lines = [_summary(t)]
    lines += [f"  {name:<32} {value}" for name, value in rows]
    for label, text in [*(("note", n) for n in t.notes), ("model", MODEL)]:
        lines += textwrap.wrap(text, 96, initial_indent=f"  {label}: ", subsequent_indent="    ")
    return lines


@click.command(
    "trajectory",
    epilog=EPILOG,
    context_settings=CONTEXT,
)
@click.option(
    "--range-km", type=float, required=True, help="Ground range in km (0 < range <= 20,000)."
)
@click.option(
    "--apogee-km",
    type=float,
    default=None,
    help="Apogee altitude in km. Without it: the minimum-energy trajectory for the range.",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON object (sorted snake_case keys)."
)
@click.option(
    "--plot",
    "plot_path",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write an altitude profile to this .png or .svg file.",
)
@click.option("--overwrite", is_flag=True, help="Replace an existing --plot file.")
@click.option(
    "--launch-lat",
    type=float,
    default=None,
    help="Launch latitude (deg) to also report Earth rotation's effect; needs --azimuth.",
)
@click.option(
    "--azimuth",
    type=float,
    default=None,
    help="Launch azimuth (deg clockwise from north) for the rotation effect; needs --launch-lat.",
)
@handle_errors
def trajectory(
    range_km: float,
    apogee_km: float | None,
    as_json: bool,
    plot_path: str | None,
    overwrite: bool,
    launch_lat: float | None,
    azimuth: float | None,
) -> None:
    """Ballistic trajectory from a range (and an apogee).

    Spherical, non-rotating Earth, no drag, burnout and impact at the surface (Bate, Mueller &
    White ch. 6). With --range-km only: the minimum-energy trajectory. With --apogee-km too:
    the lofted (or depressed) trajectory, and the minimum-energy range for the same burnout
    speed, a lower bound of the missile's standard range. Inputs needing a burnout speed at or
    above circular speed are outside the model and refused (exit code 2).
    """
    if (launch_lat is None) != (azimuth is None):
        raise click.UsageError("--launch-lat and --azimuth go together; give both or neither.")
    t = minimum_energy(range_km) if apogee_km is None else from_range_apogee(range_km, apogee_km)
    rot = None
    if launch_lat is not None and azimuth is not None:
        rot = rotation_effect(t, launch_lat, azimuth)
    written = None
    if plot_path is not None:
        written = plot_profile(t, plot_path, overwrite=overwrite)
    if as_json:
        out: dict[str, Any] = t.to_dict()
        out["rotation"] = rot.to_dict() if rot is not None else None
        out["plot_path"] = str(written) if written is not None else None
        click.echo(json.dumps(out, sort_keys=True))
    else:
        terminal.echo_lines(_human(t, rot))
    if written is not None:
        terminal.echo(f"eezcheck: wrote {written}", err=True)
