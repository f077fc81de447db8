"""``eezcheck reach``: from a launch site and a range, the bearings that land in Japan's EEZ."""

from __future__ import annotations

import json
from typing import Any

import click

from eezcheck.cli import terminal
from eezcheck.cli.errors import handle_errors
from eezcheck.cli.options import (
    CONTEXT,
    bearing_range_option,
    boundaries_option,
    json_option,
    launch_option,
)

EPILOG = """\b
Examples:
  $ eezcheck reach --from sunan --range-km 1000 | head -9
  @EXAMPLE@

\b
  $ eezcheck reach --from sunan --range-km 400
  From Sunan (39.20N 125.71E), a 400 km shot cannot reach Japan's EEZ: closest approach 536 km at 37.60N 131.51E (bearing 107.5°).

\b
  $ eezcheck reach --from "39.26 127.58" --range-km 450 --json
  $ eezcheck reach --from 順安 --range-km 3000 --step 0.25
  $ eezcheck reach --from "North Hwanghae" --range-km 400 --apogee-km 100

\b
--from is a launch site from the gazetteer (sunan, tonghae, 順安 ...), a launch area (a province,
city or area: "North Hwanghae", 黄海北道, "south of Pyongyang", "Sunan area", "east coast") or
coordinates written latitude first ("39.2 125.7", "39.2N 125.7E"). From an area, the bearings
are from its centre, and the closest approach and the footprint (the band range ± extent of
possible impact points at sea, with its share inside Japan's EEZ) are of the whole area. Japan's EEZ is Japan's EEZ as the boundary
data draws Japan's claim: undisputed plus disputed waters ("disputed" marks bearings whose
impact falls where another state also claims). Impacts are the points at the range along the
WGS84 geodesic with each initial bearing; bearings are scanned every --step degrees (plus
every whole degree) and interval edges refined to 0.01°; tracks are walked every 5 km and
entries refined to 10 m. Entry = the range at which the track first enters Japan's EEZ.

\b
Exit codes: 0 success (whether or not the range reaches Japan's EEZ), 1 error, 2 bad input
(unknown site, bad coordinates, range), 3 data integrity.
"""

_EXAMPLE = """\
From Sunan (39.20N 125.71E), a 1,000 km shot lands inside Japan's EEZ on bearings 67.2°–177.7°; closest approach 536 km at 37.60N 131.51E (bearing 107.5°).
    bearings          width    entry at edges (km)   earliest entry
    67.2°–177.7°      110.5°   1,000 / 913           536 km
\b
    bearing   impact     impact point          track enters Japan's EEZ at
    67.2°     inside     42.16N 136.89E        1,000 km   (edge)
    68°       inside     42.05N 136.93E        989 km
    69°       inside     41.90N 136.99E        973 km
    70°       inside     41.74N 137.03E        958 km"""

EPILOG = EPILOG.replace("  @EXAMPLE@", "\n".join("  " + ln for ln in _EXAMPLE.splitlines()))


@click.command(
    "reach",
    context_settings=CONTEXT,
    epilog=EPILOG,
)
@launch_option(required=True)
@click.option(
    "--range-km", "range_km", type=float, required=True,
    metavar="KM",
    help="Range flown from the site (ground distance, km; above 0, at most 20,000).",
)  # fmt: skip
@click.option(
    "--step", "step", type=click.FloatRange(0, 10, min_open=True), default=0.5,
    show_default=True, metavar="DEG",
    help="Bearing grid scanned before interval edges are refined, degrees (0 < DEG <= 10).",
)  # fmt: skip
@click.option(
    "--apogee-km", "apogee_km", type=float, default=None, metavar="KM",
    help="Reported apogee, km: the trajectory line (lofted/depressed/minimum energy) uses it.",
)  # fmt: skip
@bearing_range_option
@boundaries_option
@json_option
@handle_errors
def reach(
    launch: str,
    range_km: float,
    step: float,
    apogee_km: float | None,
    bearing_range: str | None,
    boundaries: str | None,
    as_json: bool,
) -> None:
    """Bearings from a launch site on which a shot of a given range lands inside Japan's EEZ.

    Prints the bearing intervals (edges to 0.01°), the disputed sub-intervals, the closest
    approach of the site to Japan's EEZ and, per bearing, the range at which the ground track
    first enters Japan's EEZ.
    """
    result, fp, obj = evaluate(launch, range_km, step, boundaries, apogee_km, bearing_range)
    if as_json:
        click.echo(json.dumps(obj, sort_keys=True, ensure_ascii=False))
    else:
        terminal.echo_lines(human_lines(result, fp))


def evaluate(
    launch: str,
    range_km: float,
    step: float = 0.5,
    boundaries: Any = None,
    apogee_km: float | None = None,
    bearing_range: str | None = None,
) -> tuple[Any, Any, dict[str, Any]]:
    """The reach result, the footprint and the ``--json`` object (``eezcheck reach`` and
    ``eezcheck serve``'s ``/api/reach``)."""
    from eezcheck.approach import reach as compute
    from eezcheck.footprint import impact_footprint, launch_answer
    from eezcheck.inputs import resolve_launch

    site = {**resolve_launch(launch), "input": launch}
    result = compute(
        site["lon"],
        site["lat"],
        range_km,
        boundaries,
        bearing_step_deg=step,
        name=site["name"],
        extent_km=site.get("extent_km", 0.0),
    )
    fp = impact_footprint(
        site["lon"], site["lat"], range_km, extent_km=site.get("extent_km", 0.0),
        bearing_range=bearing_range, apogee_km=apogee_km, boundaries=boundaries,
    )  # fmt: skip
    obj = result.to_dict()
    obj.update(launch_answer(fp, site))
    return result, fp, obj


# --------------------------------------------------------------------------- human text


def _ll(lon: float, lat: float) -> str:
    return f"{abs(lat):.2f}{'N' if lat >= 0 else 'S'} {abs(lon):.2f}{'E' if lon >= 0 else 'W'}"


def _deg(b: float, whole: bool = False) -> str:
    return f"{b:.0f}°" if whole else f"{b:.1f}°"


def _interval(i: Any) -> str:
    if i.full_circle:
        return "all bearings"
    text = f"{_deg(i.start_deg)}–{_deg(i.end_deg)}"
    return text + " (through north)" if i.wraps else text


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _km(v: float | None) -> str:
    return "—" if v is None else f"{v:,.0f}"


def headline(r: Any) -> str:
    """The one clear first line: the intervals, or why none."""
    where = f"From {r.name} ({_ll(r.lon, r.lat)})" if r.name else f"From {_ll(r.lon, r.lat)}"
    c = r.closest
    approach = (
        f"closest approach {c.distance_km:,.0f} km at {_ll(c.lon, c.lat)} "
        f"(bearing {_deg(c.bearing_deg)})"
    )
    shot = f"a {r.range_km:,g} km shot"
    where += ", itself inside Japan's EEZ," if c.inside else ","
    if not r.intervals:
        if c.inside or c.distance_km <= r.range_km:
            return (
                f"{where} {shot} lands inside Japan's EEZ on no bearing scanned every "
                f"{r.bearing_step_deg:g}°; {approach}."
            )
        return f"{where} {shot} cannot reach Japan's EEZ: {approach}."
    bearings = _join([_interval(i) for i in r.intervals])
    on = "on" if r.intervals[0].full_circle else "on bearings"
    line = f"{where} {shot} lands inside Japan's EEZ {on} {bearings}"
    if r.disputed:
        line += f" (in disputed waters on {_join([_interval(i) for i in r.disputed])})"
    if not c.inside:
        line += f"; {approach}"
    return line + "."


def human_lines(r: Any, fp: Any = None) -> list[str]:
    """Headline, the intervals, the bearings whose impacts fall inside, the footprint's figures
    (with ``fp``, an :class:`eezcheck.footprint.Footprint`), provenance."""
    from eezcheck import footprint as fpm

    lines = [headline(r)]
    if fp is not None and fp.extent_km:
        lines = [fpm.headline(fp, r.name), "  bearings from the centre: " + lines[0]]
    if r.intervals:
        lines.append(
            f"    {'bearings':<17} {'width':<8} {'entry at edges (km)':<21} earliest entry"
        )
        for i in r.intervals:
            edges = "—" if i.full_circle else f"{_km(i.entry_start_km)} / {_km(i.entry_end_km)}"
            earliest = "—" if i.min_entry_km is None else f"{i.min_entry_km:,.0f} km"
            lines.append(f"    {_interval(i):<17} {_deg(i.width_deg):<8} {edges:<21} {earliest}")
        for d in r.disputed:
            lines.append(f"    disputed: {_interval(d)} (width {d.width_deg:.1f}°)")
        lines.append("")
        lines.append(
            f"    {'bearing':<9} {'impact':<10} {'impact point':<21} track enters Japan's EEZ at"
        )
        for b in r.bearings:
            if b.impact == "outside":
                continue
            enters = "—" if b.entry_km is None else f"{b.entry_km:,.0f} km"
            tag = "   (edge)" if b.kind == "edge" else ""
            lines.append(
                f"    {_deg(b.bearing_deg, b.kind == 'grid'):<9} {b.impact:<10} "
                f"{_ll(b.impact_lon, b.impact_lat):<21} {enters}{tag}"
            )
    over = [b for b in r.bearings if b.impact == "outside" and b.kind == "grid"]
    if over:
        lines.append(
            f"    {len(over)} other whole-degree bearing{'s' if len(over) > 1 else ''} "
            f"({_deg(over[0].bearing_deg, True)}…{_deg(over[-1].bearing_deg, True)}) cross "
            "Japan's EEZ but land outside it (listed by --json)"
        )
    if fp is not None:
        lines += fpm.summary_lines(fp, r.name, indent="    ")
    b = r.boundaries
    if b:
        lines.append(
            f"    boundary data: {b['dataset']} {b['version']} (sha256 {b['sha256'][:12]}…)"
        )
        if b.get("crs"):
            lines.append(f"    boundary crs: {b['crs']}")
        lines.append(f"    claims policy: {b['claims_policy']}")
    return lines
