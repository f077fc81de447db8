"""Acceptance: Japan's Ministry of Defense (MoD) verdicts 2016-2020 against ours.

For every event of ``../shared/data/events/mod_verdicts_2016_2020.csv`` whose impact is described
by a place, a bearing and a distance, ``eezcheck check "<that wording>"`` must agree with the
MoD: their "inside" matches our inside/disputed/uncertain, their "outside" our
outside/uncertain. The wording checked is the row's own description (English or Japanese, as
given) when it names a place, bearing and distance; otherwise (e.g. "about 300 km from the Oki
Islands", no bearing) the compiler's place/bearing/distance columns written out as MoD wording.

For events with a launch site and range but no impact place, :func:`reach_table` says whether
the reported range could reach Japan's EEZ at all from that site.

Run against the active boundary data (the embedded set), else the Marine Regions reference
clip. Marine Regions draws Takeshima/Dokdo as a 12 nm disc inside the Korean EEZ, not Japan's
claim, so two MoD "inside" events (2017-05-29, 2019-10-02) are expected to fail (xfail) when
the loaded data's claims policy is Marine Regions'.

Print the tables (Markdown, for the README)::

    python tests/test_mod_verdicts.py [--boundaries PATH]
"""

from __future__ import annotations

import csv
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
EVENTS = SHARED / "data" / "events" / "mod_verdicts_2016_2020.csv"
MR_PATH = SHARED / "data" / "reference" / "marineregions_eez_v12_japan_region.geojson"
MR_MISMATCH = {"2017-05-29", "2019-10-02"}

_BEARING_WORDS = {
    "N": "north", "NNE": "north-northeast", "NE": "northeast", "ENE": "east-northeast",
    "E": "east", "ESE": "east-southeast", "SE": "southeast", "SSE": "south-southeast",
    "S": "south", "SSW": "south-southwest", "SW": "southwest", "WSW": "west-southwest",
    "W": "west", "WNW": "west-northwest", "NW": "northwest", "NNW": "north-northwest",
}  # fmt: skip

CONSISTENT = {"inside": {"inside", "disputed", "uncertain"}, "outside": {"outside", "uncertain"}}


@dataclass(frozen=True)
class Row:
    event_id: str
    date: str
    wording: str
    wording_source: str  # "description" or "columns"
    mod_verdict: str
    our_verdict: str
    p_inside: float | None
    distance_km: float | None
    consistent: bool


def load_events() -> list[dict[str, str]]:
    with EVENTS.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _parts(description: str) -> list[str]:
    """Parenthesised parts first (the MoD's Japanese original is usually there), then the whole."""
    inner = re.findall(r"[(（]([^()（）]+)[)）]", description)
    return [*inner, description]


def wording_for(event: dict[str, str]) -> tuple[str, str] | None:
    """The wording to check for an event, and where it came from; None without a place.

    The phrase the parser reads (its ``matched_text``) from the description, preferring the
    Japanese original in parentheses; else the place/bearing/distance columns as MoD wording.
    """
    from eezcheck.errors import InvalidInputError
    from eezcheck.wording import parse_wording

    for text in _parts(event["impact_description"]):
        try:
            w = parse_wording(text)
        except InvalidInputError:
            continue
        if w.bearing_points > 1 and w.distance_km > 0:
            return w.matched_text, "description"
    place, bearing, dist = (
        event[k].strip() for k in ("impact_ref_place", "impact_bearing", "impact_distance_km")
    )
    if place and bearing and dist:
        return f"about {float(dist):,.0f} km {_BEARING_WORDS[bearing]} of {place}", "columns"
    return None


def active_boundaries(option: str | None = None) -> Any:
    """The active data set, else the Marine Regions reference clip, else None."""
    from eezcheck.boundary_readers import load_active, load_marineregions
    from eezcheck.errors import BoundaryDataError

    if option:
        return load_active(option)
    try:
        return load_active()
    except BoundaryDataError:
        return load_marineregions(MR_PATH) if MR_PATH.exists() else None


def is_marineregions(boundaries: Any) -> bool:
    return boundaries.claims_policy.lower().startswith("marineregions")


def mod_table(boundaries: Any = None) -> list[Row]:
    """Our verdict for every MoD event with a place, bearing and distance (and a verdict)."""
    from eezcheck.checker import get_checker

    checker = get_checker(boundaries if boundaries is not None else active_boundaries())
    rows = []
    for ev in load_events():
        if ev["eez_verdict_reported"] not in CONSISTENT:
            continue
        found = wording_for(ev)
        if found is None:
            continue
        text, source = found
        r = checker.check(text=text)
        ours = r.japan_eez.value
        rows.append(
            Row(ev["event_id"], ev["date_jst"], text, source, ev["eez_verdict_reported"], ours,
                r.p_inside, r.distance_to_eez_limit_km, ours in CONSISTENT[ev["eez_verdict_reported"]])
        )  # fmt: skip
    return rows


@dataclass(frozen=True)
class ReachRow:
    event_id: str
    date: str
    launch: str
    range_km: float
    min_distance_km: float
    can_reach: bool
    mod_verdict: str


def _site_key(coord_source: str) -> str | None:
    m = re.search(r"key=([\w-]+)", coord_source)
    return m.group(1) if m else None


def _first_range(text: str) -> float | None:
    m = re.search(r"\d[\d,]*(?:\.\d+)?", text)
    return float(m.group(0).replace(",", "")) if m else None


def reach_table(boundaries: Any = None) -> list[ReachRow]:
    """For events with a launch site and a range but no impact place: could it reach at all?

    The range is the first (or only) number reported; where two missiles are reported
    ("~420 and ~270") the first is used. The launch point is the row's coordinates.
    """
    from eezcheck.approach import closest_approach

    data = boundaries if boundaries is not None else active_boundaries()
    out = []
    for ev in load_events():
        if wording_for(ev) is not None or not ev["launch_lat"] or not ev["range_km"]:
            continue
        rng = _first_range(ev["range_km"])
        if rng is None:
            continue
        near = closest_approach(float(ev["launch_lon"]), float(ev["launch_lat"]), data)
        out.append(
            ReachRow(ev["event_id"], ev["date_jst"], _site_key(ev["launch_coord_source"]) or ev["launch_site"],
                     rng, near.distance_km, rng >= near.distance_km, ev["eez_verdict_reported"])
        )  # fmt: skip
    return out


def format_tables(rows: list[Row], reach: list[ReachRow], boundaries: Any) -> str:
    b = boundaries.provenance
    lines = [
        f"Boundary data: {b.dataset} {b.version} (claims policy: {b.claims_policy.split(':')[0]})",
        "",
        "| date (JST) | MoD wording checked | MoD | eezcheck | P(inside) | to EEZ limit (km) |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        p = "" if r.p_inside is None else f"{r.p_inside:.2f}"
        d = "" if r.distance_km is None else f"{r.distance_km:+,.0f}"
        src = "" if r.wording_source == "description" else " ¹"
        mark = "" if r.consistent else " ✗"
        lines.append(
            f"| {r.date} | {r.wording}{src} | {r.mod_verdict} | {r.our_verdict}{mark} | {p} | {d} |"
        )
    lines += [
        "",
        "¹ the MoD gave no bearing in words; place, bearing and distance from the compiled columns.",
        "",
        "| date (JST) | launch site | range (km) | nearest Japanese EEZ (km) | could reach? | MoD |",
        "|---|---|---|---|---|---|",
    ]
    for r in reach:
        lines.append(
            f"| {r.date} | {r.launch} | {r.range_km:,.0f} | {r.min_distance_km:,.0f} | "
            f"{'yes' if r.can_reach else 'no'} | {r.mod_verdict} |"
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------- tests


@pytest.fixture(scope="module")
def boundaries():
    if not EVENTS.exists():
        pytest.skip(f"MoD events table not found at {EVENTS}")
    b = active_boundaries()
    if b is None:
        pytest.skip("no boundary data: neither the embedded set nor the Marine Regions reference")
    return b


def _event_ids() -> list[str]:
    if not EVENTS.exists():
        return []
    return [
        ev["event_id"]
        for ev in load_events()
        if ev["eez_verdict_reported"] in CONSISTENT and wording_for(ev)
    ]


@pytest.mark.parametrize("event_id", _event_ids())
def test_mod_verdict_is_consistent(boundaries, event_id, request):
    from eezcheck.checker import get_checker

    ev = next(e for e in load_events() if e["event_id"] == event_id)
    found = wording_for(ev)
    assert found is not None
    text, _ = found
    r = get_checker(boundaries).check(text=text)
    ours = r.japan_eez.value
    if (
        ours not in CONSISTENT[ev["eez_verdict_reported"]]
        and is_marineregions(boundaries)
        and ev["date_jst"] in MR_MISMATCH
    ):
        pytest.xfail(
            "Marine Regions' polygon is not Japan's claim around Takeshima (see DESIGN-NOTES)"
        )
    assert ours in CONSISTENT[ev["eez_verdict_reported"]], (
        f"{event_id}: MoD {ev['eez_verdict_reported']!r}, ours {ours!r} (P={r.p_inside}, "
        f"{r.distance_to_eez_limit_km} km) for {text!r}"
    )


def test_every_described_event_is_covered():
    if not EVENTS.exists():
        pytest.skip("no events table")
    ids = _event_ids()
    # 2016-08-03 Oga, three 2016-09-05 Okushiri, three 2017-03-06 Oga + the closest (Noto),
    # 2017-05-29 Dogo (columns), 2017-07-28, 2017-08-29 and 2017-09-15 Erimo, 2017-11-29 Aomori,
    # 2019-10-02 Dogo
    for must in (
        "2016-08-03",
        "2017-05-29",
        "2017-09-15",
        "2017-11-29",
        "2019-10-02",
        "2017-03-06-closest",
    ):
        assert must in ids
    assert len(ids) >= 14


def test_wording_prefers_the_description():
    ev = {"impact_description": "fell ~04:11 in Japan's EEZ about 250 km west of Aomori Prefecture (青森県西方約250キロ)",
          "impact_ref_place": "", "impact_bearing": "", "impact_distance_km": ""}  # fmt: skip
    text, source = wording_for(ev) or ("", "")
    assert (text, source) == ("青森県西方約250キロ", "description")
    ev = {"impact_description": "about 300 km from the Oki Islands", "impact_ref_place": "Dogo",
          "impact_bearing": "N", "impact_distance_km": "300.0"}  # fmt: skip
    assert wording_for(ev) == ("about 300 km north of Dogo", "columns")


def test_mod_table_prints(boundaries):
    rows = mod_table(boundaries)
    reach = reach_table(boundaries)
    text = format_tables(rows, reach, boundaries)
    assert text.count("\n| 20") == len(rows) + len(reach)
    bad = [
        r
        for r in rows
        if not r.consistent and not (is_marineregions(boundaries) and r.date in MR_MISMATCH)
    ]
    assert bad == []
    # short-range launches the MoD called outside could not reach Japan's EEZ at all, or the
    # table says so honestly (a range that reaches does not mean it did)
    assert any(not r.can_reach for r in reach)


if __name__ == "__main__":  # pragma: no cover
    opt = sys.argv[sys.argv.index("--boundaries") + 1] if "--boundaries" in sys.argv else None
    b = active_boundaries(opt)
    if b is None:
        sys.exit("no boundary data")
    print(format_tables(mod_table(b), reach_table(b), b))
