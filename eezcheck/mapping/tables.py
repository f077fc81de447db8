"""Tables of events for maps: column detection, one event per row, and the map of a table
(``eezcheck map --table`` and ``eezcheck batch --map``)."""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eezcheck.errors import InvalidInputError, TableFormatError
from eezcheck.mapping.build import build_map
from eezcheck.mapping.events import MapEvent, float_or_none
from eezcheck.mapping.page import MapPage
from eezcheck.mapping.text import CNS_SOURCE, MOD_SOURCE

# presentation columns (the point columns come from eezcheck.batch.columns when it is there)
_COLS = {
    "impact_lat": ("impact_lat", "landing_lat", "nagix_derived_landing_lat", "lat", "latitude"),
    "impact_lon": (
        "impact_lon",
        "landing_lon",
        "nagix_derived_landing_lon",
        "lon",
        "lng",
        "longitude",
    ),
    "impact_text": ("impact", "wording", "where", "impact_wording", "location"),
    "launch_lat": ("launch_lat", "facility_lat", "site_lat"),
    "launch_lon": ("launch_lon", "facility_lon", "site_lon"),
    "launch": ("launch", "launch_site", "from", "site"),
    "launch_key": ("facility_key", "launch_site_key", "launch_key"),
    "launch_name": ("facility_name", "launch_site", "launch_name", "site"),
    "name": ("name", "title", "event", "event_name", "label"),
    "kind": ("missile_name", "missile_type", "missile"),
    "ident": ("event_id", "id"),
    "date": ("date_utc", "date", "date_jst"),
    "time": ("time_utc", "time", "time_jst"),
    "datetime": ("datetime", "datetime_utc", "timestamp"),
    "apogee_km": ("apogee_km", "apogee", "max_altitude_km"),
    "range_km": ("range_km",),
    "bearing_deg": ("bearing_deg", "bearing"),
    "uncertainty_km": ("uncertainty_km",),
    "notes": ("notes", "note", "description", "comment"),
}
_POINT_KEYS = {
    "impact_lat": "lat", "impact_lon": "lon", "impact_text": "where", "launch": "launch",
    "launch_lat": "launch_lat", "launch_lon": "launch_lon", "range_km": "range",
    "bearing_deg": "bearing", "apogee_km": "apogee", "uncertainty_km": "uncertainty",
}  # fmt: skip


@dataclass(frozen=True)
class EventColumns:
    """Which table columns give each part of an event (None: absent), and the table's source.

    ``plan`` is the :class:`eezcheck.batch.columns.ColumnPlan` the point columns came from
    (None when the batch module is not available and the map's own minimal detection was used).
    """

    columns: Mapping[str, str | None]
    source: str
    plan: Any = None

    def get(self, key: str) -> str | None:
        return self.columns.get(key)


def detect_columns(fieldnames: Sequence[str], source: str = "") -> EventColumns:
    """Map a table's column names to event parts.

    The impact, launch, range, bearing, apogee and uncertainty columns are found by
    :func:`eezcheck.batch.columns.detect_columns` (the ``batch`` command's rules) when that
    module is available, else by exact (case-insensitive) names; names, times and notes by
    name. The CNS and MoD tables of the project are recognised and attributed.

    >>> detect_columns(["Lat", "Lon", "Name"]).columns["impact_lat"]
    'Lat'
    """
    names = [str(c) for c in fieldnames]
    lower = {n.strip().lower(): n for n in names}
    found: dict[str, str | None] = {}
    for key, cands in _COLS.items():
        found[key] = next((lower[c] for c in cands if c in lower), None)
    if found["date"] and "time_jst" in lower and found["date"] == lower.get("date_jst"):
        found["time"] = lower["time_jst"]
    plan: Any = None
    try:
        import eezcheck.batch.columns as batch_columns
    except ImportError:  # pragma: no cover - the batch module ships with the package
        batch_columns = None  # type: ignore[assignment]
    if batch_columns is not None:
        try:
            plan = batch_columns.detect_columns(names)
        except TableFormatError:
            plan = None
        if plan is not None:
            for key, attr in _POINT_KEYS.items():
                found[key] = getattr(plan, attr)
    if not source:
        if "nagix_derived_landing_lat" in lower and "facility_lat" in lower:
            source = CNS_SOURCE
        elif "eez_verdict_reported" in lower or "impact_description" in lower:
            source = MOD_SOURCE
    return EventColumns(found, source, plan)


def event_from_row(row: Mapping[str, Any], cols: EventColumns, index: int = 0) -> MapEvent:
    """One :class:`MapEvent` from a table row; empty or "unknown" cells leave parts empty.

    The impact is the row's latitude/longitude, else its wording/coordinates text, else its
    launch point with range and bearing (the ``batch`` order).
    """

    def val(key: str) -> str:
        c = cols.get(key)
        v = row.get(c) if c else None
        if v is None:
            return ""
        if isinstance(v, float) and not math.isfinite(v):
            return ""
        s = str(v).strip()
        return "" if s.lower() in ("", "nan", "none", "null", "n/a", "na", "unknown", "-") else s

    def num(key: str) -> float | None:
        x = float_or_none(val(key))
        return x if x is not None and x > 0 else None

    impact: Any = None
    lat, lon = val("impact_lat"), val("impact_lon")
    if lat and lon:
        impact = (lat, lon)
    elif val("impact_text"):
        impact = val("impact_text")
    launch: Any = None
    llat, llon = val("launch_lat"), val("launch_lon")
    if llat and llon:
        launch = {"lat": llat, "lon": llon, "name": val("launch_name"), "key": val("launch_key")}
    elif val("launch"):
        launch = val("launch")
    name = val("name")
    if not name:
        kind, ident = val("kind"), val("ident")
        name = kind or (f"#{ident}" if ident else f"row {index + 1}")
    when = val("datetime")
    if not when:
        d, t = val("date"), val("time")
        tcol = (cols.get("time") if t else cols.get("date")) or ""
        tz = (
            " UTC"
            if tcol.lower().endswith("_utc")
            else (" JST" if tcol.lower().endswith("_jst") else "")
        )
        when = (f"{d} {t}".strip() + tz) if (d or t) else ""
    bearing = val("bearing_deg") if impact is None else ""
    return MapEvent(
        impact=impact, launch=launch, range_km=num("range_km"),
        bearing_deg=bearing or None, apogee_km=num("apogee_km"), name=name, time=when,
        uncertainty_km=num("uncertainty_km"), notes=val("notes"), source=cols.source,
    )  # fmt: skip


def read_events_table(path: str | os.PathLike[str]) -> tuple[list[MapEvent], EventColumns]:
    """Events from a CSV (or TSV) file with impact coordinates or descriptions per row.

    Columns are found by name (:func:`detect_columns`): impact ``lat``/``lon`` (or
    ``impact_lat``/``impact_lon``, CNS ``nagix_derived_landing_lat``/``_lon`` ...) or an
    ``impact`` text; launch ``launch_lat``/``launch_lon`` (CNS ``facility_lat``/``_lon``) or a
    ``launch`` site name; ``name``, ``date``/``time``, ``apogee_km``, ``uncertainty_km``,
    ``notes``. Raises :class:`~eezcheck.errors.TableFormatError` for an unreadable table.
    """
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise TableFormatError(f"table {str(p)!r} cannot be read: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableFormatError(
            f"table {str(p)!r} is not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8 CSV"
        ) from exc
    if not text.strip():
        raise TableFormatError(f"table {str(p)!r} is empty")
    delim = "\t" if p.suffix.lower() in (".tsv", ".tab") else ","
    if p.suffix.lower() not in (".csv", ".tsv", ".tab", ".txt"):
        raise TableFormatError(
            f"table {str(p)!r}: maps read CSV or TSV files (got {p.suffix or 'no extension'!r})"
        )
    try:
        reader = csv.DictReader(text.splitlines(), delimiter=delim)
        rows = list(reader)
    except csv.Error as exc:
        raise TableFormatError(f"table {str(p)!r} is not valid CSV: {exc}") from exc
    cols = detect_columns(reader.fieldnames or [])
    has_point = (
        (cols.get("impact_lat") and cols.get("impact_lon"))
        or cols.get("impact_text")
        or (cols.get("bearing_deg") and cols.get("range_km"))
    )
    if not has_point:
        if cols.plan is None:
            try:
                from eezcheck.batch.columns import detect_columns as batch_detect
            except ImportError:  # pragma: no cover
                pass
            else:
                batch_detect(list(reader.fieldnames or []))  # raises its own explanation
        raise TableFormatError(
            f"table {str(p)!r} has no impact columns (columns: {', '.join(reader.fieldnames or [])}); "
            "give lat and lon (or impact_lat/impact_lon), or an 'impact' column with coordinates "
            "or MoD wording"
        )
    return [event_from_row(r, cols, i) for i, r in enumerate(rows)], cols


def events_map(
    rows: Iterable[Any],
    *,
    results: Sequence[Any] | None = None,
    boundaries: Any = None,
    tiles: Any = None,
    rings_km: Iterable[float] = (),
    title: str | None = None,
    source: str = "",
    group_by: str = "auto",
    columns: EventColumns | None = None,
) -> MapPage:
    """The map of many events (``eezcheck map --table``, ``eezcheck batch --map``).

    Parameters
    ----------
    rows : iterable of MapEvent or mappings
        Table rows as dicts (column names are detected as in :func:`read_events_table`,
        or give ``columns``) or ready :class:`MapEvent` objects.
    results : sequence of CheckResult (or a CheckResults), optional
        Verdicts already computed for the rows, in the same order (a batch run): they are drawn
        as given instead of being checked again. None entries are checked (or skipped).
    source : str
        Attribution of the table's data (default: recognised from the columns).

    Rows without a usable impact point are skipped and listed in the legend and in
    ``m.eezcheck_info.skipped``.
    """
    rows = list(rows)
    cols = columns
    if cols is None and any(not isinstance(r, MapEvent) for r in rows):
        names = dict.fromkeys(k for r in rows if not isinstance(r, MapEvent) for k in r)
        cols = detect_columns([str(k) for k in names], source)
    events = [
        row if isinstance(row, MapEvent) else event_from_row(row, cols, i)  # type: ignore[arg-type]
        for i, row in enumerate(rows)
    ]
    if results is not None:
        res_list = (
            [results.row(i) for i in range(len(results))]
            if hasattr(results, "row")
            else list(results)
        )
        if len(res_list) != len(events):
            raise InvalidInputError(
                f"{len(res_list)} results for {len(events)} rows: give one result per row"
            )
        from dataclasses import replace

        events = [
            replace(ev, impact=res) if res is not None else ev for ev, res in zip(events, res_list)
        ]
    srcs = [source or (cols.source if cols else "")]
    return build_map(
        events, boundaries=boundaries, tiles=tiles, rings_km=rings_km, title=title,
        group_by=group_by, strict=False, sources=[s for s in srcs if s],
    )  # fmt: skip
