"""The footprint layer: where a range flown from a launch site or area can come down.

Draws an :class:`eezcheck.footprint.Footprint` (the band ``range ± extent`` around a launch
area, or the ring at ``range`` from a site, at sea, by Japan's EEZ verdict), the launch area
and a box with the footprint's figures: its share inside Japan's EEZ, how far it stays outside,
the closest approach of the launch and the trajectory model's note. Every string reaches the
page as JSON data and is shown with ``textContent`` (``runtime.js``: ``EZ.footprint``).
Inputs are ``lon, lat``; this module hands Leaflet ``[lat, lon]`` only through
:func:`~eezcheck.mapping.geometry.leaflet_latlngs`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from eezcheck.footprint import (
    VERDICTS,
    Footprint,
    headline,
    launch_name,
    sector_text,
    summary_rows,
)
from eezcheck.mapping.geometry import frame_lon, leaflet_latlngs, range_ring
from eezcheck.mapping.text import VERDICT_COLOURS, VERDICT_HEADLINES, esc, short

__all__ = ["footprint_bounds", "footprint_legend_html", "footprint_payload"]

_SIMPLIFY_DEG = 0.005  # display only (about 500 m); the figures come from the full cells


def _share_text(fp: Footprint, v: str) -> str:
    """What share of the footprint's sea this verdict's part is."""
    of = "of the possible impact points at sea" if fp.is_ring else "of the footprint's sea area"
    if v == "inside":
        share = fp.share_inside - fp.share_disputed
    elif v == "disputed":
        share = fp.share_disputed
    elif v == "outside":
        share = 1.0 - fp.share_inside
    else:
        return f"{_pct(fp.share_unknown)} of the footprint, beyond the data's coverage"
    return f"{_pct(share)} {of}"


def _pct(share: float) -> str:
    if 0 < share < 0.001:
        return "under 0.1 %"
    if 0.999 < share < 1:
        return "over 99.9 %"
    return f"{share * 100:.1f} %"


def _rings(g: BaseGeometry, shift: float) -> list[Any]:
    """Leaflet latlngs of a (multi)polygon or (multi)line, longitudes moved by ``shift``."""
    out: list[Any] = []
    for part in getattr(g, "geoms", [g]):
        if part.is_empty:
            continue
        if part.geom_type == "Polygon":
            rings = [part.exterior, *part.interiors]
            out.append([leaflet_latlngs(*(shapely.get_coordinates(r) + [shift, 0]).T) for r in rings])
        elif part.geom_type == "LineString":
            out.append(leaflet_latlngs(*(shapely.get_coordinates(part) + [shift, 0]).T))
        elif hasattr(part, "geoms"):
            out.extend(_rings(part, shift))
    return out


def footprint_payload(fp: Footprint, launch: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON object of ``EZ.footprint``: parts by verdict, the launch area, the info box,
    and the map's default title. ``launch`` is the resolved launch (``key``, ``name``)."""
    shift = frame_lon(fp.launch_lon) - fp.launch_lon
    name = launch_name(launch)
    who = name
    what = (
        f"{fp.range_km:,g} km from {who}"
        if fp.is_ring
        else f"{fp.range_km:,g} ± {fp.extent_km:,g} km from {who}"
    )
    parts = []
    for v in VERDICTS:
        g = fp.parts[v]
        if g.is_empty:
            continue
        g = shapely.simplify(g, _SIMPLIFY_DEG, preserve_topology=True)
        parts.append(
            {
                "v": v,
                "c": VERDICT_COLOURS[v],
                "line": fp.is_ring,
                "ll": _rings(g, shift),
                "head": VERDICT_HEADLINES[v],
                "tip": short(
                    f"{_share_text(fp, v)}. Possible impact points {what}, {sector_text(fp)}.", 300
                ),
            }
        )
    out: dict[str, Any] = {
        "parts": parts,
        "key": str(launch.get("key") or ""),
        "head": headline(fp, name),
        "title": short(f"Possible impact points: {fp.range_km:,g} km from {who}"),
        "subtitle": f"{sector_text(fp)}, at sea; geodesic (WGS84)",
    }
    out["rows"] = [[label, text] for label, text in summary_rows(fp)]
    cx = frame_lon(fp.launch_lon)
    out["centre"] = leaflet_latlngs([cx], [fp.launch_lat])[0]
    out["centreTip"] = short(
        f"{'Centre of the launch area' if fp.extent_km else 'Launch site'}: {who}", 300
    )
    if fp.extent_km:
        x, y, _ = range_ring(fp.launch_lon, fp.launch_lat, fp.extent_km, n=96)
        out["area"] = leaflet_latlngs(x + shift, y)
        out["areaTip"] = short(
            f"Launch area: {who}, anywhere within {fp.extent_km:,g} km of its centre", 300
        )
    return out


def footprint_bounds(fp: Footprint) -> tuple[list[float], list[float]]:
    """``(lons, lats)`` that the map view must hold: the footprint and the launch."""
    shift = frame_lon(fp.launch_lon) - fp.launch_lon
    lons, lats = [fp.launch_lon + shift], [fp.launch_lat]
    for g in fp.parts.values():
        if not g.is_empty:
            x0, y0, x1, y1 = g.bounds
            lons += [x0 + shift, x1 + shift]
            lats += [y0, y1]
    return lons, lats


def footprint_legend_html(fp: Footprint) -> str:
    """Legend rows of the footprint's colours (static text, escaped)."""
    rows = ['<div class="ez-sec">Possible impact points</div>']
    for v in VERDICTS:
        if fp.parts[v].is_empty:
            continue
        rows.append(
            f'<div class="ez-row"><span class="ez-sw" style="background:{VERDICT_COLOURS[v]}80;'
            f'border:1.5px solid {VERDICT_COLOURS[v]}"></span>{esc(VERDICT_HEADLINES[v].capitalize())}</div>'
        )
    if fp.extent_km:
        rows.append(
            '<div class="ez-row"><span class="ez-sw" style="border:1.5px dashed #111"></span>'
            f"Launch area (within {fp.extent_km:,g} km of its centre)</div>"
        )
    return "".join(rows)
