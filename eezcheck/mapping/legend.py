"""The map's legend: zone swatches, verdict counts, undrawn events, data sources."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from eezcheck.mapping.events import Skipped
from eezcheck.mapping.layers import ZONE_STYLES
from eezcheck.mapping.text import VERDICT_COLOURS, VERDICT_LABELS, esc, esc_text, short

MAX_UNDRAWN = 300
"""The legend lists at most this many undrawn events (all of them in a table map up to it)."""


def legend_html(
    binfo: Mapping[str, str],
    licences: Sequence[tuple[str, str]],
    present: Mapping[str, bool],
    disputed: list[str],
    verdicts: Mapping[str, int],
    skipped: Sequence[Skipped],
    n_events: int,
    n_drawn: int,
    display_source: str,
    rings: bool,
    unc: bool,
    trk: bool,
    sources: Sequence[str],
    tiles: str | None,
    many: bool,
) -> str:
    """Legend HTML: static swatches, counts and escaped data-set text."""
    out = ["<summary>Legend</summary>"]

    def sw(style: Mapping[str, Any], label: str, missing: bool = False) -> None:
        fill = style.get("fillColor", "transparent") if style.get("fill", True) else "transparent"
        op = style.get("fillOpacity", 0.2)
        border = "dashed" if style.get("dashArray") else "solid"
        note = " <i>(not in this data)</i>" if missing else ""
        out.append(
            f'<div class="ez-row"><span class="ez-sw" style="background:{rgba(fill, op)};border:1.5px {border} {style.get("color", "#333")}"></span>{esc(label)}{note}</div>'
        )

    out.append('<div class="ez-sec">Zones</div>')
    jl = (
        "Japan's EEZ as Japan claims it"
        if str(binfo.get("claims_policy", "")).lower().startswith("japan")
        else "Japan's EEZ as this data draws Japan's claim"
    )
    sw(ZONE_STYLES["japan"], jl)
    sw(
        ZONE_STYLES["disputed"],
        "Disputed areas (hover for claimants)",
        not present.get("disputed"),
    )
    for line in disputed:
        out.append(f'<div class="ez-note">&nbsp;&nbsp;• {esc(line)}</div>')
    sw(ZONE_STYLES["iw"], "Japan's internal waters (landward of the baselines)", not present.get("iw"))
    sw(ZONE_STYLES["ts"], "Japan's territorial sea (12 nm)", not present.get("ts"))
    sw(ZONE_STYLES["cz"], "Japan's contiguous zone (24 nm)", not present.get("cz"))
    sw(ZONE_STYLES["neighbour"], "Neighbouring EEZs", not present.get("neighbour"))
    sw(ZONE_STYLES["land"], "Land", not present.get("land"))
    out.append('<div class="ez-sec">Splashdown (Japan\'s EEZ verdict)</div>')
    for v in ("territory", "inside", "disputed", "uncertain", "outside", "unknown"):
        count = verdicts.get(v, 0)
        if n_drawn > 1 or count:
            c = f" — {count}" if n_drawn > 1 else ""
            out.append(
                f'<div class="ez-row"><span class="ez-dot" style="background:{VERDICT_COLOURS[v]}"></span>{esc(VERDICT_LABELS[v])}{c}</div>'
            )
    out.append(
        '<div class="ez-row"><span class="ez-dot" style="background:#ffd400"></span>launch site of an event (other known sites: layer &quot;Other launch sites&quot;, off at first)</div>'
    )
    if trk:
        out.append(
            '<div class="ez-row"><span class="ez-ln" style="border-color:#7a1010"></span>ground track: geodesic on WGS84 (pyproj)</div>'
        )
    if unc:
        out.append(
            '<div class="ez-row"><span class="ez-sw" style="border:1px dashed #555"></span>95 % uncertainty region (geodesic)</div>'
        )
    if rings:
        out.append(
            '<div class="ez-row"><span class="ez-ln" style="border-top:1.5px dashed #333"></span>range rings: geodesic distance from the launch site</div>'
        )
    if skipped:
        # every undrawn event (date, name, why), folded when there are many
        out.append(
            f'<details class="ez-note ez-undrawn-list"{" open" if len(skipped) <= 8 else ""}>'
            f"<summary><b>{len(skipped)} of {n_events} events not drawn</b> "
            "(no usable impact point)</summary>"
        )
        for sk in skipped[:MAX_UNDRAWN]:
            when = esc(sk.time + " ") if sk.time else ""
            who = esc(short(sk.name or f"event {sk.index + 1}", 60))
            out.append(
                f'<div class="ez-undrawn">• {when}<b>{who}</b>: {esc(short(sk.reason, 90))}</div>'
            )
        if len(skipped) > MAX_UNDRAWN:
            out.append(f"<div>… and {len(skipped) - MAX_UNDRAWN} more</div>")
        out.append("</details>")
    out.append(
        '<div class="ez-note">Distances are geodesic on WGS84. The measuring tool (ruler, top left) '
        "computes geodesic distances on WGS84 with Vincenty's inverse formula; the scale bar is "
        "exact only at the map centre's latitude (Web Mercator). Display geometry is simplified "
        f"(about 1 km; neighbours' territorial seas about 2 km; from {esc(display_source)}); "
        "verdicts use the full data. No legal value.</div>"
    )
    out.append(
        f'<div class="ez-note"><b>Boundary data:</b> {esc_text(binfo.get("dataset", ""))} '
        f"{esc_text(binfo.get('version', ''))} — {esc_text(binfo.get('licence', ''))}; "
        f"source {esc_text(binfo.get('source', ''))}</div>"
    )
    for what, lic in licences[1:]:
        out.append(f'<div class="ez-note"><b>{esc(what)}:</b> {esc_text(lic)}</div>')
    out.append(
        f'<div class="ez-note"><b>Claims policy:</b> {esc_text(binfo.get("claims_policy", ""))}</div>'
    )
    for s in sources:
        out.append(f'<div class="ez-note"><b>Events:</b> {esc_text(short(s, 400))}</div>')
    if tiles:
        out.append(f'<div class="ez-note"><b>Tiles (online):</b> {esc_text(tiles)}</div>')
    out.append(
        '<div class="ez-note">Launch sites: CNS North Korea Missile Test Database facility list (via nagix/nk-missile-tests, Apache-2.0).</div>'
    )
    return "".join(out)


def rgba(colour: str, opacity: float) -> str:
    if not colour.startswith("#") or len(colour) not in (4, 7):
        return "transparent"
    c = colour[1:]
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    r, g, b = (int(c[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{max(min(float(opacity), 1.0), 0.0):.2f})"


# --------------------------------------------------------------------------- saving
