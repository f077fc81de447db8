"""Building a map: events checked, drawn in the map's longitude frame, grouped into layers,
and written as the data of one :class:`~eezcheck.mapping.page.MapPage`.

To add a layer: compute its data here (or in a module of its own that returns JSON-ready
data), append ``{"fn": NAME, "group": group(label), "args": [...]}`` to ``draw`` and give
``runtime.js`` an ``EZ.NAME(group, ...)`` that draws it (user text with ``EZ.text``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from eezcheck import limits
from eezcheck.errors import InvalidInputError
from eezcheck.geodesy import GEOD
from eezcheck.mapping.events import Drawn, MapInfo, as_events, resolve_events
from eezcheck.mapping.footprint import footprint_bounds, footprint_legend_html, footprint_payload
from eezcheck.mapping.geometry import (
    frame_lon,
    geodesic_polyline,
    leaflet_latlngs,
    range_ring,
    uncertainty_polygon,
)
from eezcheck.mapping.labels import basemap_labels
from eezcheck.mapping.layers import zone_layers, zones_geojson
from eezcheck.mapping.legend import legend_html
from eezcheck.mapping.page import TILES, MapPage, leaflet_assets
from eezcheck.mapping.text import (
    MAX_TEXT,
    SHORT_SOURCES,
    VERDICT_COLOURS,
    VERDICT_HEADLINES,
    card_html,
    card_source_html,
    esc,
    esc_text,
    event_title,
    plain_urls,
    short,
    verdict_key,
)
from eezcheck.outputs import check_destination

MIN_VIEW_DEG = (12.0, 16.0)
"""The initial view spans at least this many degrees of latitude and longitude (context)."""

TIMELINE_NAMES = {
    "inside": "inside",
    "disputed": "disputed",
    "uncertain": "uncertain",
    "outside": "outside",
    "unknown": "beyond the data",
}
"""Verdict words of the timeline's counts."""

_PANES = [
    ["ezNeighbour", 301], ["ezJapan", 302], ["ezCZ", 303], ["ezTS", 304], ["ezIW", 304], ["ezDisputed", 305],
    ["ezLand", 306], ["ezCoverage", 307], ["ezGrid", 308], ["ezEvents", 410], ["ezLabels", 415], ["ezSites", 420], ["ezPoints", 610],
    ["ezMeasure", 640],
]  # fmt: skip
_PANE_OF = {"neighbour": "ezNeighbour", "japan": "ezJapan", "cz": "ezCZ", "ts": "ezTS", "iw": "ezIW",
            "disputed": "ezDisputed", "land": "ezLand", "coverage": "ezCoverage"}  # fmt: skip


def _tile_layer(tiles: Any) -> dict[str, Any] | None:
    if tiles is None or tiles == "" or tiles is False:
        return None
    key = str(tiles).lower()
    if key not in TILES:
        raise InvalidInputError(
            f"tiles {tiles!r}: choose one of {', '.join(sorted(TILES))} (or None for no tiles)"
        )
    label, url, attr, max_zoom = TILES[key]
    return {"name": label, "url": url, "attribution": attr, "maxZoom": max_zoom}


def data_licences(boundaries: Any) -> list[tuple[str, str]]:
    """``(what, licence)`` for every licence of the loaded data: the main file's ("Zones") and
    any layer from another source (e.g. "Land" from the embedded OSM-derived set when Marine
    Regions files are loaded)."""
    main = boundaries.provenance.licence
    out: dict[str, list[str]] = {main: ["Zones"]}
    for name, prov in sorted(boundaries.layer_provenance.items()):
        if prov.licence and prov.licence != main:
            label = "Land" if name.endswith("land") else name.replace("_", " ").capitalize()
            out.setdefault(prov.licence, []).append(label)
    return [(", ".join(dict.fromkeys(whats)), lic) for lic, whats in out.items() if lic]


def _site_ident(site: Mapping[str, Any]) -> str:
    """A launch site's key, or its rounded position when it has none (a launch point)."""
    if site.get("key"):
        return str(site["key"])
    return f"{round(frame_lon(float(site['lon'])), 2)},{round(float(site['lat']), 2)}"


def _group_key(d: Drawn, mode: str) -> str:
    if mode == "year":
        return d.event.year or "year unknown"
    return str(d.index)


def build_map(
    events: Any,
    *,
    boundaries: Any = None,
    tiles: Any = None,
    rings_km: Iterable[float] = (),
    title: str | None = None,
    group_by: str = "auto",
    strict: bool = True,
    sources: Iterable[str] = (),
    footprint: Any = None,
) -> Any:
    """A self-contained interactive map of events over Japan's maritime zones.

    Parameters
    ----------
    events : MapEvent, CheckResult, text, (lat, lon) or a sequence of them
        What to draw (see :class:`MapEvent`).
    boundaries : Boundaries, path or None
        Boundary data (as ``--boundaries``); None for the active data set. Its display file is
        used when its manifest names one, else its layers are simplified here.
    tiles : None, "osm", "esri-ocean" or a folium.TileLayer
        Online tiles under the zones (the page then fetches tiles). Default None: fully offline.
    rings_km : iterable of float
        Geodesic range rings around each event's launch site (km).
    title : str, optional
        Title of the map (default: the event's name and time, or a count of events).
    group_by : "auto", "kind", "event" or "year"
        Layer groups for events: per kind (track, splashdown, uncertainty; the default for one
        event), per event (up to 20 events) or per year (more).
    strict : bool
        Raise on an event that cannot be drawn (default); False skips it and lists it in
        ``m.eezcheck_info.skipped`` and the legend.
    sources : iterable of str
        Attribution of the events' data source(s), shown on the map.
    footprint : (Footprint, launch), optional
        Possible impact points of a range from a launch site or area
        (:func:`eezcheck.footprint.footprint`, drawn by :mod:`eezcheck.mapping.footprint`), with
        the resolved launch (:func:`eezcheck.inputs.resolve_launch`: ``key``, ``name``, ...);
        the map may then have no event.

    Returns
    -------
    folium.Map
        With ``eezcheck_info`` (:class:`MapInfo`). Display it in Jupyter, or :func:`save_map`.

    Examples
    --------
    >>> from eezcheck.mapping.events import MapEvent
    >>> m = build_map(MapEvent("41.3 138.5", launch="sunan", name="test"))
    >>> m.eezcheck_info.verdicts
    {'inside': 1}
    """
    from eezcheck.checker import get_checker

    evs = as_events(events)
    checker = get_checker(boundaries)
    b = checker.boundaries
    binfo = checker.boundaries_info
    rings = sorted({limits.ring_km(r) for r in rings_km})
    drawn, skipped = resolve_events(evs, checker, strict)
    if not drawn and strict and footprint is None:
        raise InvalidInputError("no event to draw: give at least one impact point")
    n = len(drawn)
    mode = group_by
    if mode == "auto":
        mode = "kind" if len(evs) == 1 else ("event" if len(evs) <= 20 else "year")
    if mode not in ("kind", "event", "year"):
        raise InvalidInputError(f"group_by={group_by!r}: choose auto, kind, event or year")
    many = n > 20

    # ---- per-event geometry (longitudes in the map frame)
    ev_data: list[tuple[Drawn, dict[str, Any]]] = []
    ring_data: list[dict[str, Any]] = []
    ring_seen: set[tuple[float, float, float]] = set()
    all_lat: list[float] = []
    all_lon: list[float] = []
    verdicts: dict[str, int] = {}
    used_sites: list[Mapping[str, Any]] = []
    card_sources: dict[str, int] = {}  # the end of the cards, each distinct one once
    site_years: dict[str, set[str]] = {}  # launch site -> years of its events ("" unknown)
    n_unc = n_trk = 0
    for d in drawn:
        r, e = d.result, d.event
        v = verdict_key(r)
        verdicts[v] = verdicts.get(v, 0) + 1
        colour = VERDICT_COLOURS[v]
        track_km = bearing = None
        item: dict[str, Any] = {"v": v, "c": colour}
        if d.launch is not None:
            lx, ly = float(d.launch["lon"]), float(d.launch["lat"])
            k = frame_lon(lx) - lx
            tx, ty, track_km = geodesic_polyline(lx, ly, r.lon, r.lat)
            az, _, _ = GEOD.inv(lx, ly, r.lon, r.lat)
            bearing = float(az) % 360.0
            tx = tx + k
            imp_lon = float(tx[-1])
            item["trk"] = leaflet_latlngs(tx, ty)
            item["trkTip"] = short(
                f"ground track {track_km:,.0f} km (geodesic, WGS84) from {d.launch.get('name') or 'the launch point'}: {event_title(d)}"
            )
            n_trk += 1
            all_lon.extend([float(tx.min()), float(tx.max())])
            all_lat.extend([float(ty.min()), float(ty.max())])
            used_sites.append(d.launch)
            site_years.setdefault(_site_ident(d.launch), set()).add(e.year or "")
            for rk in rings:
                ring_key = (round(lx, 2), round(ly, 2), rk)
                if ring_key in ring_seen:
                    continue
                ring_seen.add(ring_key)
                label = (
                    f"{rk:,.0f} km (geodesic) from {d.launch.get('name') or f'{ly:.2f}, {lx:.2f}'}"
                )
                rx, ry, _pole = range_ring(lx, ly, rk)
                rx = rx + (frame_lon(lx) - lx)
                ring_data.append({"p": leaflet_latlngs(rx, ry), "t": label})
        else:
            imp_lon = frame_lon(r.lon)
        item["p"] = leaflet_latlngs([imp_lon], [r.lat])[0]
        all_lon.append(imp_lon)
        all_lat.append(r.lat)
        unc = uncertainty_polygon(r, e.uncertainty_km)
        if unc is not None:
            ux, uy, ulabel = unc
            ux = ux + 360.0 * round((imp_lon - r.lon) / 360.0)
            item["unc"] = leaflet_latlngs(ux, uy)
            item["uncTip"] = f"{ulabel}: {short(event_title(d), 120)}"
            n_unc += 1
            all_lon.extend([float(ux.min()), float(ux.max())])
            all_lat.extend([float(uy.min()), float(uy.max())])
        when = f" ({e.time})" if e.time else ""
        item["head"] = VERDICT_HEADLINES[v] + (
            f" (P(inside) = {r.p_inside:.2f})" if r.p_inside is not None else ""
        )
        item["tip"] = short(f"{event_title(d)}{when}", MAX_TEXT + 80)
        if e.year:
            item["y"] = e.year
        item["card"] = card_html(d, track_km, bearing)
        item["src"] = card_sources.setdefault(card_source_html(d), len(card_sources))
        ev_data.append((d, item))

    fp_payload = None
    if footprint is not None:
        fp, fp_launch = footprint
        fp_name = str(fp_launch.get("name") or "")
        fp_payload = footprint_payload(fp, fp_launch)
        fx, fy = footprint_bounds(fp)
        all_lon.extend(fx)
        all_lat.extend(fy)
        if fp.extent_km == 0:  # a site: its marker is the used one
            used_sites.append(
                {"key": fp_payload["key"], "name": fp_name, "lon": fp.launch_lon, "lat": fp.launch_lat}
            )

    # ---- the map: fit the events (not the rings), with at least ~12 x 16 degrees of context
    if all_lat:
        south, north = min(all_lat), max(all_lat)
        west, east = min(all_lon), max(all_lon)
        grow_lat = max(0.0, MIN_VIEW_DEG[0] - (north - south)) / 2
        grow_lon = max(0.0, MIN_VIEW_DEG[1] - (east - west)) / 2
        south, north = max(south - grow_lat, -85.0), min(north + grow_lat, 85.0)
        west, east = west - grow_lon, east + grow_lon
        bounds: tuple[tuple[float, float], tuple[float, float]] | None = (
            (round(south, 4), round(west, 4)),
            (round(north, 4), round(east, 4)),
        )
        centre = [round((south + north) / 2, 4), round((west + east) / 2, 4)]
    else:
        bounds = ((24.0, 122.0), (46.0, 154.0))
        centre = [36.0, 137.0]
    tile = _tile_layer(tiles)
    licences = data_licences(b)
    attributions = [f"{what}: {short(plain_urls(lic), 140)}" for what, lic in licences]
    src_list = list(
        dict.fromkeys(
            [*(s for s in sources if s), *(d.event.source for d in drawn if d.event.source)]
        )
    )
    attributions += [f"Events: {short(SHORT_SOURCES.get(s, s), 120)}" for s in src_list]
    years = sorted(ev.year for ev in evs if ev.year)
    span = f", {years[0]}–{years[-1]}" if years else ""
    summary = f"{len(evs)} events{span}, {n} drawn"
    if not evs and fp_payload is not None:
        head = short(title if title is not None else fp_payload["title"])
        title_html = f"<b>{esc(head)}</b>{esc(fp_payload['subtitle'])}"
        page_title = head
    elif len(evs) == 1 and n == 1:
        d0 = drawn[0]
        e0, r0 = d0.event, d0.result
        head = short(title if title is not None else event_title(d0))
        verdict = VERDICT_HEADLINES[verdict_key(r0)]
        lines = [x for x in (e0.time, verdict) if x]
        title_html = f"<b>{esc(head)}</b>" + "<br>".join(esc(x) for x in lines)
        page_title = " — ".join([head, *lines]) if title is None else head
    elif title is None:
        title_html = f"<b>{len(evs)} events{esc(span)}</b>{n} drawn"
        page_title = f"{len(evs)} events{span}"
    else:
        title_html = f"<b>{esc(short(title))}</b>{esc(summary)}"
        page_title = short(title) + span

    groups_out: list[dict[str, Any]] = []
    draw: list[dict[str, Any]] = []

    def group(name: str, show: bool = True) -> str:
        gid = f"g{len(groups_out)}"
        groups_out.append({"id": gid, "name": name, "show": show})
        return gid

    draw.append(
        {
            "fn": "init",
            "args": [
                {
                    "panes": _PANES,
                    "prefix": esc("Leaflet " + leaflet_assets()[0] + " (BSD-2-Clause)"),
                    "attribution": [esc_text(a) for a in attributions]
                    + ([esc_text(tile["attribution"])] if tile else []),
                    "title": title_html,
                }
            ],
        }
    )

    # zones
    zone_list, display_source, disputed_lines = zone_layers(b)
    present: dict[str, bool] = {}
    for lay in zone_list:
        present[lay.key] = bool(lay.items)
        if not lay.items:
            continue
        show = lay.show and not (lay.key == "land" and tile is not None)
        payload = {
            "fc": zones_geojson(lay),
            "style": lay.style,
            "pane": _PANE_OF[lay.key],
            "cls": f"ez-zone-{lay.key}",
            "interactive": lay.interactive,
        }
        draw.append({"fn": "zones", "group": group(lay.label, show), "args": [payload]})

    # base map: names (seas, countries, Japanese places by zoom) and the graticule
    draw.append(
        {"fn": "labels", "group": group("Sea, country and place names"), "args": [basemap_labels()]}
    )
    draw.append({"fn": "graticule", "group": group("Graticule (latitude, longitude)"), "args": []})

    # launch sites: the gazetteer's, and the events' own launch points
    from eezcheck.places import launch_sites

    sites: list[dict[str, Any]] = []
    at: dict[tuple[float, float], dict[str, Any]] = {}  # rounded position -> site
    used_keys = {str(s.get("key") or "") for s in used_sites if s.get("key")}
    for s in launch_sites():
        names = " / ".join(x for x in (s.name, s.name_ko, s.name_ja) if x)
        sx = frame_lon(s.lon)
        site: dict[str, Any] = {
            "p": leaflet_latlngs([sx], [s.lat])[0],
            "t": f"Launch site: {names}",
            "used": s.key in used_keys,
            "y": set(site_years.get(s.key, ())),
        }
        sites.append(site)
        at.setdefault((round(sx, 2), round(s.lat, 2)), site)
    for us in used_sites:
        if us.get("key") in used_keys and us.get("key"):
            continue
        sx = frame_lon(float(us["lon"]))
        skey = (round(sx, 2), round(float(us["lat"]), 2))
        years_here = site_years.get(_site_ident(us), set())
        if skey in at:  # a launch point on a site of the list: that site is used
            at[skey]["used"] = True
            at[skey]["y"] |= years_here
            continue
        nm = us.get("name") or f"{float(us['lat']):.4f}, {float(us['lon']):.4f}"
        site = {
            "p": leaflet_latlngs([sx], [float(us["lat"])])[0],
            "t": short(f"Launch point: {nm}"),
            "used": True,
            "y": set(years_here),
        }
        sites.append(site)
        at[skey] = site
    for site in sites:  # the years of the site's events, for the timeline ("" = unknown)
        years_of = site.pop("y")
        if site["used"] and years_of:
            site["y"] = sorted(years_of)
    used = [st for st in sites if st["used"]]
    others = [st for st in sites if not st["used"]]
    site_style = {"r": 2.5 if many else 3, "rUsed": 4 if many else 6}
    if used:
        draw.append(
            {
                "fn": "sites",
                "group": group("Launch sites of these events"),
                "args": [used, site_style],
            }
        )
    if others:
        draw.append(
            {
                "fn": "sites",
                "group": group(f"Other launch sites ({len(others)}, CNS list)", show=False),
                "args": [others, site_style],
            }
        )

    # range rings
    if ring_data:
        draw.append({"fn": "rings", "group": group("Range rings (geodesic)"), "args": [ring_data]})

    if fp_payload is not None:
        draw.append(
            {"fn": "footprint", "group": group("Possible impact points"), "args": [fp_payload]}
        )

    # events
    style: dict[str, Any] = {
        "r": 4 if many else (6 if n > 1 else 8),
        "trackWeight": 1.2 if many else 2.5,
        "trackOpacity": 0.55 if many else 0.9,
    }
    if n == 1:
        style["trackColor"] = "#7a1010"
    groups: list[str] = []
    if mode == "kind":
        kinds: dict[str, str | None] = {}
        for kkey, label, present_ in (
            ("unc", "Uncertainty region (95 %, geodesic)", n_unc),
            ("trk", "Ground track (geodesic, WGS84)", n_trk),
            ("splash", "Splashdown" if n == 1 else "Splashdowns", n),
        ):
            if not present_:
                kinds[kkey] = None
                continue
            kinds[kkey] = group(label)
            groups.append(label)
        if ev_data:
            draw.append(
                {"fn": "events", "groups": kinds, "args": [[it for _d, it in ev_data], style]}
            )
    else:
        buckets: dict[str, list[tuple[Drawn, dict[str, Any]]]] = {}
        for d, it in ev_data:
            buckets.setdefault(_group_key(d, mode), []).append((d, it))
        keys = (
            sorted(buckets, key=lambda k: (k == "year unknown", k))
            if mode == "year"
            else list(buckets)
        )
        for gkey in keys:
            items = buckets[gkey]
            if mode == "year":
                label = f"{gkey} ({len(items)} event{'s' if len(items) != 1 else ''})"
            else:
                d0 = items[0][0]
                when = f" {d0.event.time}" if d0.event.time else ""
                label = short(f"{event_title(d0)}{when}", 80)
            gid = group(label)
            groups.append(label)
            draw.append(
                {
                    "fn": "events",
                    "groups": {"unc": gid, "trk": gid, "splash": gid},
                    "args": [[it for _d, it in items], style],
                }
            )

    # timeline: tables of events over more than one year
    ev_years = sorted({d.event.year for d in drawn if d.event.year})
    if n > 1 and len(ev_years) > 1:
        draw.append(
            {
                "fn": "timeline",
                "args": [
                    {
                        "years": ev_years,
                        "order": list(VERDICT_COLOURS),
                        "colours": VERDICT_COLOURS,
                        "names": TIMELINE_NAMES,
                    }
                ],
            }
        )

    # legend, bounds
    legend = legend_html(
        binfo,
        licences, present, disputed_lines, verdicts, skipped, len(evs), n, display_source,
        bool(ring_data), n_unc > 0, n_trk > 0, src_list, tile["attribution"] if tile else None,
        many,
    )  # fmt: skip
    if footprint is not None:
        legend += footprint_legend_html(footprint[0])
    draw.append(
        {
            "fn": "finish",
            "args": [
                {
                    "legend": legend,
                    "legendOpen": not many,
                    "bounds": [list(bounds[0]), list(bounds[1])] if bounds else None,
                    "maxZoom": 8,
                }
            ],
        }
    )
    data = {
        "map": {
            "center": centre,
            "zoom": 5,
            "zoomSnap": 0.25,
            "worldCopyJump": False,
            "preferCanvas": False,
        },
        "collapsed": len(groups_out) > 6,
        "tiles": tile,
        "groups": groups_out,
        "cardEnds": list(card_sources),
        "draw": draw,
    }
    info = MapInfo(
        events=len(evs), drawn=n, skipped=tuple(skipped), verdicts=dict(sorted(verdicts.items())),
        groups=tuple(groups), launch_sites=len(sites), rings=len(ring_data),
        uncertainty_regions=n_unc, tracks=n_trk, bounds=bounds, sources=tuple(src_list),
    )  # fmt: skip
    return MapPage(data, page_title, info)


def save_map(
    m_or_events: Any, path: str | os.PathLike[str], overwrite: bool = False, **kwargs: Any
) -> Path:
    """Write a map (a :class:`MapPage`, or the map of events built with ``kwargs`` for
    :func:`build_map`) as one self-contained HTML file, atomically (a temporary file in the
    same folder, then ``os.replace``). Parent folders are created.

    Raises :class:`~eezcheck.errors.FileOverwriteError` if ``path`` exists and ``overwrite`` is
    False.
    """
    out = check_destination(path, overwrite, "map.html")  # before the map is built
    m = m_or_events if isinstance(m_or_events, MapPage) else build_map(m_or_events, **kwargs)
    return m.save(out, overwrite=overwrite)
