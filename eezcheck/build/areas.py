"""Geodesic areas of the built zones against published figures (written into the manifest).

- Land of each state in the coverage (WGS84 geodesic area of the OSM land polygons as split by
  the OSM country outlines), against the state's published total area (land and inland water)
  where the state lies wholly inside the coverage; for the states the coverage cuts, the cut
  part is checked against the same outline computed independently (OSM land polygons at full
  resolution, intersected with the state's OSM outline and the coverage box).
- Japan's areas under Japan's claims (sea only: land cut out) against the Japan Coast Guard's
  figures: territorial sea including internal waters, contiguous zone (beyond the territorial
  sea), EEZ including the contiguous zone, and the total.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from eezcheck.geodesy import GEOD
from eezcheck.states import state_name

PUBLISHED_LAND_KM2: dict[str, tuple[float, str]] = {
    "JPN": (377_975.0, "GSI, 全国都道府県市区町村別面積調: about 377,975 km² including the Northern Territories, Takeshima and the Senkakus"),
    "KOR": (100_410.0, "MOLIT cadastral statistics, about 100,410 km² in recent years (CIA World Factbook: 99,720 km²)"),
    "PRK": (120_540.0, "CIA World Factbook: 120,538 km² (land 120,408 + water 130); Korean Central Statistics: 123,138 km² incl. claims"),
    "TWN": (36_197.0, "Taiwan Ministry of the Interior: 36,197 km² (Taiwan, Penghu, Kinmen, Matsu and islets)"),
}
"""Published total areas (land and inland water) of the states wholly inside the coverage."""

PUBLISHED_JAPAN_KM2: dict[str, tuple[float, str]] = {
    "territorial_sea_incl_internal_waters": (430_000.0, "Japan Coast Guard: 領海（含：内水）約43万km²"),
    "contiguous_zone": (320_000.0, "Japan Coast Guard: 接続水域 約32万km²"),
    "eez_incl_contiguous_zone": (4_050_000.0, "Japan Coast Guard: 排他的経済水域（含：接続水域）約405万km²"),
    "total": (4_470_000.0, "Japan Coast Guard: 領海（含：内水）＋排他的経済水域 約447万km²"),
}


def geodesic_area_km2(geom: BaseGeometry) -> float:
    """WGS84 geodesic area of a (multi)polygon in km² (pyproj, rings oriented first)."""
    total = 0.0
    for p in shapely.get_parts(geom):
        if p.is_empty or p.geom_type != "Polygon":
            continue
        a, _ = GEOD.geometry_area_perimeter(orient(p, sign=1.0))
        total += float(a)
    return total / 1e6


def _pct(x: float, ref: float) -> float | None:
    return round(100.0 * (x - ref) / ref, 2) if ref > 0 else None


def land_table(
    land: Mapping[str, BaseGeometry],
    japan_claimed: BaseGeometry,
    independent: Mapping[str, float],
    coverage: tuple[float, float, float, float],
) -> list[dict[str, Any]]:
    """One row per state with land in the coverage: computed area, and either the published
    figure (states wholly inside the coverage) or the independent cut (states the coverage cuts)."""
    rows = []
    for iso in sorted(land):
        g = japan_claimed if iso == "JPN" else land[iso]
        km2 = geodesic_area_km2(g)
        row: dict[str, Any] = {"state": iso, "name": state_name(iso), "computed_km2": round(km2)}
        if iso in PUBLISHED_LAND_KM2:
            ref, src = PUBLISHED_LAND_KM2[iso]
            row.update(reference="published", reference_km2=round(ref), difference_pct=_pct(km2, ref), source=src)
        elif independent.get(iso, 0.0) > 0:
            ref = independent[iso]
            row.update(
                reference="exact cut", reference_km2=round(ref), difference_pct=_pct(km2, ref),
                source="OSM land polygons at full resolution intersected with the state's OSM outline and the coverage",
            )
        rows.append(row)
    return rows


def japan_table(
    territorial_sea: BaseGeometry,
    internal_waters: BaseGeometry,
    contiguous_zone: BaseGeometry,
    claim: BaseGeometry,
    land: BaseGeometry,
) -> list[dict[str, Any]]:
    """Japan's areas (sea only) under Japan's claims against the Japan Coast Guard's figures."""
    ts = territorial_sea.difference(land)
    cz = contiguous_zone.difference(territorial_sea).difference(land)
    total = claim.difference(land)
    a_ts, a_iw, a_cz, a_total = (geodesic_area_km2(g) for g in (ts, internal_waters, cz, total))
    outer = shapely.union_all([territorial_sea, internal_waters, land])
    outer_km = sum(GEOD.geometry_length(p.exterior) for p in shapely.get_parts(outer) if p.geom_type == "Polygon") / 1000.0
    figures = {
        "internal_waters": (a_iw, None),
        "territorial_sea_incl_internal_waters": (a_ts, PUBLISHED_JAPAN_KM2["territorial_sea_incl_internal_waters"]),
        "contiguous_zone": (a_cz, PUBLISHED_JAPAN_KM2["contiguous_zone"]),
        "eez_incl_contiguous_zone": (a_total - a_ts, PUBLISHED_JAPAN_KM2["eez_incl_contiguous_zone"]),
        "total": (a_total, PUBLISHED_JAPAN_KM2["total"]),
    }
    rows = []
    for key, (km2, pub) in figures.items():
        row: dict[str, Any] = {"area": key, "computed_km2": round(km2)}
        if pub is not None:
            row.update(published_km2=round(pub[0]), difference_pct=_pct(km2, pub[0]), source=pub[1])
        if key == "territorial_sea_incl_internal_waters" and pub is not None:
            row["note"] = _territorial_sea_note(km2, pub[0], outer_km)
        rows.append(row)
    return rows


def _territorial_sea_note(km2: float, published: float, outer_km: float) -> str:
    """Why the territorial sea (with internal waters) is smaller than the published figure."""
    lo, hi = published - 5_000.0, published + 5_000.0
    gap = published - km2
    return (
        f"The published figure is rounded to 10,000 km² (約43万: {lo:,.0f}–{hi:,.0f} km², "
        f"{_pct(km2, hi):+.2f} to {_pct(km2, lo):+.2f} % from ours). The {gap:,.0f} km² to the "
        f"rounded figure equal a mean seaward shift of {1000.0 * gap / outer_km:,.0f} m of our "
        f"{outer_km:,.0f} km outer limit: the order of the gap between the low-water line that "
        "legal baselines follow (with drying reefs, tidal flats and low-tide elevations within "
        "12 nm) and OSM's coastline (mean high water), which ours are measured from."
    )


def markdown(areas: Mapping[str, Any]) -> str:
    """The SOURCES.md section (between ``<!-- areas:start -->`` and ``<!-- areas:end -->``)."""
    land_rows, japan_rows = areas["land"], areas["japan"]
    out = [
        "### Areas (geodesic, WGS84; computed by the build, `manifest.json` `areas`)",
        "",
        "Japan's areas under Japan's claims, sea only, against the Japan Coast Guard's figures:",
        "",
        "| area | computed km² | published km² | difference |",
        "|---|---|---|---|",
    ]
    for r in japan_rows:
        pub = f"{r['published_km2']:,}" if "published_km2" in r else "—"
        diff = f"{r['difference_pct']:+.2f} %" if r.get("difference_pct") is not None else "—"
        out.append(f"| {r['area'].replace('_', ' ')} | {r['computed_km2']:,} | {pub} | {diff} |")
    out += [""] + [f"{r['area'].replace('_', ' ').capitalize()}: {r['note']}" for r in japan_rows if r.get("note")]
    if areas.get("foreign_territorial_seas"):
        out += [
            "",
            "Neighbours' territorial seas (with internal waters; OSM outline and 12 nm from the coast), "
            "and the part of each beyond the sovereign's OSM outline (where OSM draws the waters narrower):",
            "",
            "| territorial sea | computed km² | beyond OSM's outline km² |",
            "|---|---|---|",
        ]
        for r in areas["foreign_territorial_seas"]:
            out.append(f"| {r['name']} | {r['computed_km2']:,} | {r['beyond_osm_outline_km2']:,} |")
    out += [
        "",
        "Land of each state in the coverage (OSM land polygons split by the OSM country outlines; "
        "inland water counts as land), against the published total area for the states wholly inside "
        "the coverage, and for the others against the same outline computed independently:",
        "",
        "| state | computed km² | reference | reference km² | difference |",
        "|---|---|---|---|---|",
    ]
    for r in land_rows:
        if "reference_km2" in r:
            out.append(
                f"| {r['name']} ({r['state']}) | {r['computed_km2']:,} | {r['reference']} | "
                f"{r['reference_km2']:,} | {r['difference_pct']:+.2f} % |"
            )
        else:
            out.append(f"| {r['name']} ({r['state']}) | {r['computed_km2']:,} | — | — | — |")
    return "\n".join(out) + "\n"
