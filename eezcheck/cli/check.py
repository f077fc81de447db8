"""``eezcheck check``: one point -> zone, Japan's EEZ verdict, distances, nearest place."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import click

from eezcheck.cli import terminal
from eezcheck.cli.errors import handle_errors
from eezcheck.cli.options import (
    POINT_CONTEXT,
    bearing_range_option,
    boundaries_option,
    json_option,
    launch_option,
    uncertainty_option,
)

EPILOG = """\b
Examples (latitude first; negative numbers are coordinates, not options):
  $ eezcheck check 41.3 138.5
  INSIDE Japan's EEZ — 163 km inside the limit; about 75 km WSW of Oshima-Oshima
  $ eezcheck check "41°18'N 138°30'E"
  $ eezcheck check "北緯41.3度 東経138.5度"
  $ eezcheck check -33.9 151.2
  $ eezcheck check "about 200 km west of Okushiri Island"
  $ eezcheck check "北海道奥尻島の西約200km" --json
  $ eezcheck check --from sunan --range-km 1000 --bearing 75
  $ eezcheck check --from "39.2 125.7" --range-km 400
  $ eezcheck check --from "North Hwanghae" --range-km 400 --apogee-km 100 --bearing-range 45..135
  $ eezcheck check 41.3 138.5 --uncertainty-km 50

\b
The point may be: coordinates as people write them (41.3 138.5, 41.3,138.5, 41.3N 138.5E,
41°18'N 138°30'E, 北緯41.3度 東経138.5度) or --lat/--lon; Japan's Ministry of Defense
wording ("about 200 km W of Okushiri", "島後の北約350km"), whose rounding gives an
uncertainty band; or a launch site (name or coordinates) with --range-km and --bearing.
--from is a launch site or a launch area (a province, city or area the reports name: "North
Hwanghae", 黄海北道, "south of Pyongyang", "Sunan area", "east coast"); an area's extent is
added to the uncertainty of the impact point. With --range-km but no --bearing: the footprint
of possible impact points (the ring at that range, or the band range ± extent around an
area, on --bearing-range if given, at sea), its share inside Japan's EEZ, how far it stays
outside, and the closest approach of the launch to Japan's EEZ.

\b
Verdicts: inside | outside | disputed (inside Japan's claim, also claimed by another state)
| uncertain (0.05 < P(inside) < 0.95). Distances are geodesic (WGS84), signed: positive
inside Japan's EEZ as the loaded data draws Japan's claim.

\b
Exit codes: 0 success (whatever the verdict), 1 error, 2 bad input (what was read is
said on stderr), 3 data integrity.
"""

_NEGATIVE_NUMBER = re.compile(r"^-[\d.]")

_VERDICT_WORD = {
    "inside": "INSIDE Japan's EEZ",
    "outside": "OUTSIDE Japan's EEZ",
    "disputed": "DISPUTED",
    "uncertain": "UNCERTAIN",
}


@click.command(
    "check",
    context_settings=POINT_CONTEXT,
    epilog=EPILOG,
)
@click.argument("point", nargs=-1)
@click.option(
    "--lat", "lat", metavar="LAT", default=None, help="Latitude (e.g. 41.3, -33.9, 41.3N, 41°18'N)."
)
@click.option(
    "--lon",
    "lon",
    metavar="LON",
    default=None,
    help="Longitude (e.g. 138.5, 138.5E); beyond ±180 is wrapped.",
)
@launch_option()
@click.option(
    "--range-km",
    "range_km",
    type=float,
    default=None,
    metavar="KM",
    help="Range flown from --from, km.",
)
@click.option(
    "--bearing", "bearing", metavar="DEG|WORD", default=None,
    help="Bearing from --from: degrees clockwise from north (75) or a compass word (ENE, 東北東).",
)  # fmt: skip
@click.option(
    "--apogee-km", "apogee_km", type=float, default=None, metavar="KM",
    help="Reported apogee, km: with --range-km adds the ballistic trajectory (flight time, "
    "burnout speed, lower-bound equivalent range); see 'eezcheck trajectory'.",
)  # fmt: skip
@bearing_range_option
@uncertainty_option
@boundaries_option
@json_option
@handle_errors
def check(
    point: tuple[str, ...],
    lat: str | None,
    lon: str | None,
    launch: str | None,
    range_km: float | None,
    bearing: str | None,
    apogee_km: float | None,
    bearing_range: str | None,
    uncertainty_km: float | None,
    boundaries: str | None,
    as_json: bool,
) -> None:
    """Check one point: which zone is it in, and is it inside Japan's EEZ?

    POINT is coordinates (latitude first) or an MoD-style description; quote it or not.
    """
    for tok in point:
        if tok.startswith("-") and not _NEGATIVE_NUMBER.match(tok):
            raise click.UsageError(f"No such option: {terminal.shown(tok.split('=')[0])}")
    text = " ".join(point).strip()
    if launch is None and (range_km is not None or bearing is not None):
        raise click.UsageError("--range-km and --bearing need --from SITE (the launch site)")
    if apogee_km is not None and range_km is None:
        raise click.UsageError("--apogee-km needs --from SITE and --range-km")
    if bearing_range is not None and (range_km is None or bearing is not None):
        raise click.UsageError(
            "--bearing-range needs --from SITE and --range-km, and no --bearing (it gives a "
            "footprint of possible impact points, --bearing one impact point)"
        )
    forms = [
        name
        for name, given in (
            ("POINT", bool(text)),
            ("--lat/--lon", lat is not None or lon is not None),
            ("--from", launch is not None),
        )
        if given
    ]
    if len(forms) != 1:
        if not forms:
            raise click.UsageError(
                "give a point: coordinates (eezcheck check 41.3 138.5), an MoD description "
                '(eezcheck check "about 200 km W of Okushiri"), --lat/--lon, or --from SITE '
                "--range-km KM --bearing DEG"
            )
        raise click.UsageError(f"give the point one way only, not {' and '.join(forms)}")
    if (lat is None) != (lon is None):
        raise click.UsageError("give both --lat and --lon")

    from eezcheck.data import hash_active_in_background

    # the data set's files are hashed on the other core while the checker is imported
    hash_active_in_background(boundaries)
    from eezcheck.checker import get_checker

    if launch is not None and range_km is None:
        raise click.UsageError("--from needs --range-km (and --bearing for an impact point)")
    answer = evaluate(
        get_checker(boundaries), text=text or None, lat=lat, lon=lon, launch=launch,
        range_km=range_km, bearing=bearing, apogee_km=apogee_km, uncertainty_km=uncertainty_km,
        bearing_range=bearing_range,
    )  # fmt: skip
    for w in answer.warnings:
        terminal.echo(f"Warning: {w}", err=True)
    _emit(answer.json, answer.lines, as_json)


@dataclass(frozen=True)
class Answer:
    """What ``eezcheck check`` answers: the ``--json`` object, the human lines, the warnings,
    the :class:`~eezcheck.results.CheckResult` (None for a range without a bearing) and, for a
    text with several impacts, every impact's object and result (``obj`` and ``result`` are the
    first's; ``eezcheck check --json`` prints the list)."""

    obj: dict[str, Any]
    lines: list[str]
    warnings: tuple[str, ...]
    result: Any = None
    impacts: tuple[dict[str, Any], ...] = ()
    results: tuple[Any, ...] = ()

    @property
    def json(self) -> dict[str, Any] | list[dict[str, Any]]:
        """What ``--json`` prints: the object, or the list of every impact's object."""
        return list(self.impacts) if self.impacts else self.obj


def evaluate(
    checker: Any,
    *,
    text: str | None = None,
    lat: Any = None,
    lon: Any = None,
    launch: str | None = None,
    range_km: float | None = None,
    bearing: str | float | None = None,
    apogee_km: float | None = None,
    uncertainty_km: float | None = None,
    bearing_range: str | None = None,
) -> Answer:
    """The answer of ``eezcheck check`` (and of ``eezcheck serve``'s ``/api/check``) to one
    input: ``text`` (anything the POINT argument takes), ``lat``/``lon``, or ``launch`` with
    ``range_km`` (and ``bearing``: without one, the footprint of possible impact points, on
    ``bearing_range`` if given, and whether the range can reach Japan's EEZ).
    Raises the library's :class:`~eezcheck.errors.InvalidInputError` for bad input."""
    if launch is not None:
        traj = _trajectory(range_km, apogee_km) if range_km is not None else ({}, [])
        if bearing is None and range_km is not None:
            from eezcheck.footprint import (
                footprint,
                headline,
                launch_answer,
                launch_name,
                summary_lines,
            )
            from eezcheck.inputs import resolve_launch

            site = {**resolve_launch(launch), "input": launch}
            fp = footprint(
                site["lon"], site["lat"], range_km, extent_km=site.get("extent_km", 0.0),
                bearing_range=bearing_range, apogee_km=apogee_km, boundaries=checker.boundaries,
            )  # fmt: skip
            name = launch_name(site)
            lines = [headline(fp, name), *summary_lines(fp, name), *_provenance(fp.boundaries)]
            return Answer(launch_answer(fp, site), lines, ())
        result = checker.check(
            launch=launch, range_km=range_km, bearing_deg=bearing, uncertainty_km=uncertainty_km
        )
        return Answer(
            {**result.to_dict(), **traj[0]}, human_lines(result) + traj[1], result.warnings, result
        )
    if lat is not None or lon is not None:
        result = checker.check(lat, lon, uncertainty_km=uncertainty_km)
    else:
        results = checker.check_text(text or "", uncertainty_km=uncertainty_km)
        if len(results) > 1:  # a paragraph with several impacts: one verdict each, a JSON list
            lines = [f"{len(results)} impacts in the text:"]
            for i, r in enumerate(results, 1):
                lines += ["", f"[{i}/{len(results)}] {r.input.get('matched_text', '')}"]
                lines += human_lines(r)
            warnings = tuple(w for r in results for w in r.warnings)
            objs = tuple(r.to_dict() for r in results)
            return Answer(objs[0], lines, warnings, results[0], objs, tuple(results))
        result = results[0]
    return Answer(result.to_dict(), human_lines(result), result.warnings, result)


def _trajectory(range_km: float, apogee_km: float | None) -> tuple[dict[str, Any], list[str]]:
    """The ``trajectory`` key and a human line for a range (and apogee): the ballistic model's
    answer, or its refusal (outside the model) as text, never a made-up number."""
    from eezcheck.footprint import trajectory_for, trajectory_line

    t = trajectory_for(range_km, apogee_km)
    return {"trajectory": t}, [trajectory_line(t)]


def _emit(obj: dict[str, Any] | list[dict[str, Any]], lines: list[str], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(obj, sort_keys=True, ensure_ascii=False))
    else:
        click.echo(terminal.lines(lines))


# --------------------------------------------------------------------------- human text


def _km(value: float) -> str:
    v = abs(value)
    return f"{v:,.1f} km" if v < 10 else f"{v:,.0f} km"


def _states(codes: Any) -> str:
    from eezcheck.states import states_text

    return states_text(list(codes))


_TERRITORY_WORD = {
    "internal_waters": "internal waters",
    "territorial_sea": "territorial sea",
    "internal_waters_or_territorial_sea": "internal waters or territorial sea",
}


def _territory_headline(r: Any) -> str:
    """Japan's territory in the MoD's words: "ON Japanese land (Honshu)", "INSIDE Japanese
    territory — territorial sea, 6.0 km from the coast" (never a distance to the EEZ limit)."""
    parts: list[str] = []
    if r.japan_area.value == "land":
        island = r.zone_name[len("Japanese land (") : -1] if r.zone_name.startswith("Japanese land (") else ""
        head = f"ON Japanese land ({island})" if island else "ON Japanese land"
    else:
        head = "INSIDE Japanese territory"
        what = _TERRITORY_WORD[r.japan_area.value]
        coast = r.nearest_japanese_land_km
        parts.append(f"{what}, {_km(coast)} from the coast" if coast is not None else what)
    if r.description_en:
        parts.append(r.description_en)
    return head + (" — " + "; ".join(parts) if parts else "")


def headline(r: Any) -> str:
    """The one clear first line: verdict, distance to the limit (or, in Japan's territory, the
    kind of territory and the distance to the coast), MoD-style place."""
    verdict = r.japan_eez.value
    if verdict == "inside" and r.p_inside is None and r.japan_area.in_territory:
        return _territory_headline(r)
    head = _VERDICT_WORD[verdict]
    if r.japan_area.value == "contiguous_zone" and r.p_inside is None:
        head += " (contiguous zone)"
    m = r.uncertainty_model or {}
    if m.get("kind") == "region":
        from eezcheck.descriptions import compass_index
        from eezcheck.places import COMPASS_EN

        word = COMPASS_EN[compass_index(m["bearing_deg"])]  # "about 3,200 km E of Japan"
        where = f"about {m['distance_km']:,g} km {word} of {m['name_en']}"
        if m["distance_km"] <= 0:
            where = f"in {m['name_en']}"
        if verdict == "uncertain":
            head += f" (the points {where} lie on both sides of the limit: {m['points_inside']} of {m['points']} inside)"
        else:
            head += f" (every point {where} is {'inside' if r.inside or verdict != 'outside' else 'outside'})"
    elif verdict == "uncertain":
        head += f" (P(inside Japan's EEZ) = {r.p_inside:.2f})"
    elif verdict == "disputed":
        others = list(dict.fromkeys(s for c in r.claims for s in c.states if s != "JPN"))
        feats = list(dict.fromkeys(c.feature for c in r.claims))
        also = f", also claimed by {_states(others)}" if others else ""
        where = f": {', '.join(feats)}" if feats else ""
        head += f" (inside Japan's claimed EEZ{also}{where})"
        if r.p_inside is not None:
            head += f" (P(inside) = {r.p_inside:.2f})"
    elif r.p_inside is not None:
        head += f" (P(inside) = {r.p_inside:.2f})"
    parts: list[str] = []
    d = r.distance_to_eez_limit_km
    if d is not None:
        where = "inside" if r.inside else "outside"
        lead = "the point given is " if verdict == "uncertain" else ""
        parts.append(f"{lead}{_km(d)} {where} the limit")
    if r.zone.value == "unknown":
        parts.append("beyond the loaded boundary data's coverage")
    if r.description_en:
        parts.append(r.description_en)
    return head + (" — " + "; ".join(parts) if parts else "")


def human_lines(r: Any) -> list[str]:
    """Headline plus aligned details."""
    lines = [headline(r)]

    def row(label: str, value: str) -> None:
        lines.append(f"  {label:<16} {value}")

    ns = "N" if r.lat >= 0 else "S"
    ew = "E" if r.lon >= 0 else "W"
    row("point", f"{abs(r.lat):.4f} {ns}, {abs(r.lon):.4f} {ew} (lat {r.lat:.4f}, lon {r.lon:.4f})")
    inp = r.input
    kind = inp.get("kind")
    if kind == "wording":
        pts = inp.get("bearing_points")
        sector = f"±{180 / pts:g}° ({pts}-point compass)" if pts and pts > 1 else "no bearing"
        name = f"{inp['place_name_en']} ({inp['place_name_ja']})"
        if not inp["distance_km"] and not (pts and pts > 1):  # "日本海に落下", "near Okushiri"
            given = "no distance or bearing given"
            read = f"{name} itself, {given}" if inp.get("reference") == "region" else f"near {name}, {given}"
        else:
            read = f"{inp['distance_km']:,g} km (±{inp['distance_rounding_km'] / 2:g}) on bearing {inp['bearing_deg']:g}° {sector} from {name}"
        row("read as", read)
    elif kind == "launch":
        site = inp["launch"]
        name = site.get("name") or f"{site['lat']:g} {site['lon']:g}"
        row(
            "read as",
            f"{inp['range_km']:,g} km on bearing {inp['bearing_deg']:g}° from {name} ({site['lat']:.4f}, {site['lon']:.4f})",
        )
    elif kind == "coordinates":
        row("read as", repr(inp.get("text")))
    row(
        "zone",
        f"{r.zone_name} ({r.zone.value}{'; ' + ', '.join(r.zone_states) if r.zone_states else ''})",
    )
    row("Japan's EEZ", r.japan_eez.value)
    area = r.japan_area
    row("Japan's area", area.value + (" (within Japan's territory)" if area.in_territory else ""))
    if r.distance_to_eez_limit_km is not None:
        where = "inside" if r.inside else "outside"
        row(
            "EEZ limit",
            f"{abs(r.distance_to_eez_limit_km):,.1f} km = {abs(r.distance_to_eez_limit_nm):,.1f} nm {where} (geodesic)",
        )
    if r.nearest_japanese_land_km is not None:
        row(
            "Japanese land",
            f"{r.nearest_japanese_land_km:,.1f} km = {r.nearest_japanese_land_km * 1000 / 1852:,.1f} nm",
        )
    if r.nearest_place is not None:
        p = r.nearest_place
        row(
            "nearest place",
            f"{p.name_en} ({p.name_ja}), {p.distance_km:,.1f} km, azimuth {p.azimuth_deg:.0f}° from it",
        )
    if r.description_en:
        row("MoD style", f"{r.description_en} / {r.description_ja}")
    if r.claims:
        for i, c in enumerate(r.claims):
            row(
                "claims" if i == 0 else "",
                f"{c.feature}: {_states(c.states)} ({c.kind.replace('_', ' ')})",
            )
    else:
        row("claims", "none here")
    if r.p_inside is not None:
        m = r.uncertainty_model or {}
        if m.get("kind") == "region":
            row(
                "P(inside)",
                f"{r.p_inside:.4f}; {m['points_inside']} of {m['points']} points of the region's point set inside (definite only when all are on one side); {m['outline_source']}",
            )
        elif m.get("kind") == "wording":
            how = f"band {m['along_95_km']:,.0f} km along x {m['across_95_km']:,.0f} km across the bearing (95 %), from the wording (rounding, compass sector, place size and the MoD's estimate error, fitted to its record)"
        else:
            how = f"within {r.uncertainty_km:,g} km (95 % radius)"
        if m.get("kind") != "region":
            row(
                "P(inside)",
                f"{r.p_inside:.4f}; {how}; {m.get('samples')} samples, seed {m.get('seed')}",
            )
    b = r.boundaries
    row(
        "boundary data",
        f"{b['dataset']} {b['version']} (sha256 {b['sha256'][:12]}…)".replace("  ", " "),
    )
    if b.get("crs"):
        row("boundary crs", b["crs"])
    row("claims policy", b["claims_policy"])
    row("licence", b["licence"])
    return lines


def _provenance(b: Any) -> list[str]:
    return [
        f"  {'boundary data':<16} {b['dataset']} {b['version']} (sha256 {b['sha256'][:12]}…)",
        *([f"  {'boundary crs':<16} {b['crs']}"] if b.get("crs") else []),
        f"  {'claims policy':<16} {b['claims_policy']}",
    ]
