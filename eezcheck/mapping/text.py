"""Text on a map: escaping, verdict words and colours, and the popup's verdict card.

Every user string (names, notes, places, times, data-set text) that becomes markup here goes
through :func:`esc` (``html.escape``); the page carries the markup as JSON data and never as
template or script source."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from eezcheck.errors import InvalidInputError, TrajectoryModelError
from eezcheck.mapping.events import Drawn, clean_text

VERDICT_COLOURS: dict[str, str] = {
    "territory": "#67000d",
    "inside": "#d62728",
    "disputed": "#9467bd",
    "uncertain": "#ff7f0e",
    "outside": "#1a9850",
    "unknown": "#8c8c8c",
}
"""Splashdown colour by ``japan_eez`` verdict (``territory``: inside and within Japan's territory,
i.e. on its land, in its internal waters or territorial sea; ``unknown``: beyond the boundary
data's coverage)."""

VERDICT_LABELS: dict[str, str] = {
    "territory": "within Japan's territory (land, internal waters, territorial sea)",
    "inside": "inside Japan's EEZ",
    "disputed": "disputed (inside Japan's claim, also claimed by another state)",
    "uncertain": "uncertain (0.05 < P(inside) < 0.95)",
    "outside": "outside Japan's EEZ",
    "unknown": "beyond the boundary data's coverage",
}

VERDICT_HEADLINES: dict[str, str] = {
    "territory": "INSIDE Japanese territory",
    "inside": "INSIDE Japan's EEZ",
    "outside": "OUTSIDE Japan's EEZ",
    "disputed": "DISPUTED: inside Japan's claim, also claimed by another state",
    "uncertain": "UNCERTAIN",
    "unknown": "OUTSIDE the boundary data's coverage",
}
"""The verdict as the first words of every tooltip and popup of an event."""

MAX_TEXT = 200
"""Longest name/title shown in tooltips, titles and the layer control (popups show all)."""

MAX_NOTES = 700


def states_text(states: Sequence[str]) -> str:
    """Country names of ISO codes, comma-separated (the one table of states)."""
    from eezcheck.states import states_text as names

    return names(list(states))


def plain_urls(text: str) -> str:
    """Data-set text with URLs written without their scheme: shown as text, never fetched."""
    return re.sub(r"https?://", "", str(text))


def short(text: str, n: int = MAX_TEXT) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def esc(text: Any) -> str:
    return html.escape(clean_text(str(text)), quote=True)


def esc_text(text: Any) -> str:
    """Escaped data-set or note text with URLs shown as plain text (no scheme, never fetched)."""
    return esc(plain_urls(str(text)))


def verdict_key(result: Any) -> str:
    """Colour key of a result: its ``japan_eez`` verdict, ``territory`` for an (exact) point
    inside Japan's territory, ``unknown`` beyond the data."""
    if result.zone.value == "unknown":
        return "unknown"
    if result.japan_eez.value == "inside" and result.p_inside is None and result.japan_area.in_territory:
        return "territory"
    return str(result.japan_eez.value)


def km_text(v: float) -> str:
    return f"{abs(v):,.1f} km" if abs(v) < 10 else f"{abs(v):,.0f} km"


def point_text(result: Any) -> str:
    """The impact point as given (the user's text: coordinates or MoD wording) or, when it was
    derived (range and bearing from a site), as coordinates: ``41.30°N 138.50°E``."""
    given = str(result.input.get("text") or "")
    if given and result.input.get("kind") in ("wording", "coordinates"):
        return short(given, 120)
    return (
        f"{abs(result.lat):.2f}°{'N' if result.lat >= 0 else 'S'} "
        f"{abs(result.lon):.2f}°{'E' if result.lon >= 0 else 'W'}"
    )


def event_title(d: Drawn) -> str:
    """What names an event in its tooltip, popup and layer: its name, else its point
    (:func:`point_text`), never a bare number."""
    return d.event.name or point_text(d.result)


def trajectory_html(d: Drawn, range_km: float | None) -> str:
    e = d.event
    if e.apogee_km is None:
        return ""
    if range_km is None:
        return (
            f'<div class="ez-traj">Apogee {e.apogee_km:,.0f} km; no trajectory profile: the launch '
            "site is not known (give it with --from).</div>"
        )
    from eezcheck.trajectory import from_range_apogee, profile_svg

    try:
        t = from_range_apogee(range_km, e.apogee_km)
    except (TrajectoryModelError, InvalidInputError) as exc:
        return (
            '<div class="ez-traj ez-refused"><b>Trajectory model refuses these inputs:</b> '
            f"{esc(exc)}</div>"
        )
    svg = profile_svg(t, width=300, height=130).replace(' xmlns="http://www.w3.org/2000/svg"', "")
    lb = " (lower bound)" if t.lower_bound else ""
    return (
        f'<div class="ez-traj">{svg}<div>{esc(t.kind.replace("_", "-"))} trajectory: '
        f"{t.range_km:,.0f} km, apogee {t.apogee_km:,.0f} km, {t.flight_time_min:.1f} min free "
        f"flight; minimum-energy equivalent range {t.equivalent_min_energy_range_km:,.0f} km{lb}. "
        "Model: spherical non-rotating Earth, no drag.</div></div>"
    )


def card_html(d: Drawn, track_km: float | None, bearing: float | None) -> str:
    """The popup's verdict card up to its sources (:func:`card_source_html` ends it): every
    user string escaped."""
    r, e = d.result, d.event
    v = verdict_key(r)
    head = VERDICT_HEADLINES[v]
    if r.p_inside is not None:
        head += f" (P(inside) = {r.p_inside:.2f})"
    rows: list[tuple[str, str]] = []
    ns, ew = ("N" if r.lat >= 0 else "S"), ("E" if r.lon >= 0 else "W")
    rows.append(("Splashdown", f"{abs(r.lat):.4f}°{ns} {abs(r.lon):.4f}°{ew}"))
    given = r.input.get("text")
    if given and r.input.get("kind") in ("wording", "coordinates"):
        rows.append(("Given as", esc(short(given, 300))))
    zs = f" ({esc(states_text(r.zone_states))})" if r.zone_states else ""
    rows.append(("Zone", f"{esc(r.zone_name)}{zs}"))
    rows.append(("Japan's EEZ", esc(r.japan_eez.value)))
    rows.append(("Japan's area", esc(r.japan_area.value)))
    dkm = r.distance_to_eez_limit_km
    if dkm is not None:
        where = "inside" if r.inside else "outside"
        rows.append(
            (
                "EEZ limit",
                f"{'+' if r.inside else '−'}{km_text(dkm)} ({abs(r.distance_to_eez_limit_nm):,.1f} nm) {where} the limit, geodesic",
            )
        )
    if r.nearest_japanese_land_km is not None:
        rows.append(("Nearest Japanese land", km_text(r.nearest_japanese_land_km)))
    if r.nearest_place is not None:
        p = r.nearest_place
        rows.append(
            ("Nearest place", f"{esc(p.name_en)} ({esc(p.name_ja)}), {km_text(p.distance_km)}")
        )
    if r.description_en:
        rows.append(("MoD style", f"{esc(r.description_en)}<br>{esc(r.description_ja or '')}"))
    for c in r.claims:
        rows.append(
            (
                "Claim",
                f"{esc(c.feature)}: {esc(states_text(c.states))} ({esc(c.kind.replace('_', ' '))})",
            )
        )
    if d.launch is not None:
        site = d.launch
        nm = site.get("name") or "launch point"
        rows.append(("Launch", f"{esc(nm)} ({site['lat']:.4f}, {site['lon']:.4f})"))
    if track_km is not None:
        b = f", initial bearing {bearing:.0f}°" if bearing is not None else ""
        rows.append(("Ground track", f"{track_km:,.0f} km geodesic (WGS84){b}"))
    if e.apogee_km is not None:
        rows.append(("Apogee", f"{e.apogee_km:,.0f} km"))
    if r.uncertainty_km is not None:
        rows.append(("Uncertainty", f"{r.uncertainty_km:,.0f} km (95 %)"))
    for w in (*r.warnings, *d.notes):
        rows.append(("Warning", esc(short(w, 300))))
    table = "".join(f"<tr><th>{k}</th><td>{val}</td></tr>" for k, val in rows)
    notes = f'<div class="ez-notes">{esc_text(short(e.notes, MAX_NOTES))}</div>' if e.notes else ""
    return (
        '<div class="ez-card">'
        f'<div class="ez-verdict" style="background:{VERDICT_COLOURS[v]}">{esc(head)}</div>'
        f"<h3>{esc(event_title(d))}</h3>"
        + (f'<div class="ez-time">{esc(e.time)}</div>' if e.time else "")
        + f'<table class="ez-kv">{table}</table>'
        + trajectory_html(d, track_km if track_km is not None else e.range_km)
        + notes
    )


def card_source_html(d: Drawn) -> str:
    """The end of the verdict card: boundary data, claims policy and the event's source, then
    the card's closing tag. The same for most events of a table, so the page holds each
    distinct one once and the runtime appends it to :func:`card_html`'s text."""
    b, e = d.result.boundaries, d.event
    src = f"<br>Event source: {esc_text(short(e.source, 300))}" if e.source else ""
    return (
        '<div class="ez-src">Boundary data: '
        f"{esc_text(b.get('dataset', ''))} {esc_text(b.get('version', ''))}; {esc_text(b.get('licence', ''))}"
        f"<br>Claims policy: {esc_text(b.get('claims_policy', ''))}{src}</div></div>"
    )


# --------------------------------------------------------------------------- page assets


CNS_SOURCE = (
    "CNS North Korea Missile Test Database (James Martin Center for Nonproliferation Studies / "
    "NTI), as compiled in github.com/nagix/nk-missile-tests (Apache-2.0); derived landing points "
    "are not reported facts"
)
SHORT_SOURCES: dict[str, str] = {}
"""Short attributions of known event sources."""

MOD_SOURCE = (
    "Japan Ministry of Defense announcements (compiled, sources per row); impact points derived "
    "from the wording are good to about ±30-60 km"
)

SHORT_SOURCES[CNS_SOURCE] = (
    "CNS North Korea Missile Test Database (CNS/NTI) via nagix/nk-missile-tests (Apache-2.0)"
)
SHORT_SOURCES[MOD_SOURCE] = "Japan Ministry of Defense announcements (compiled)"
