"""Tables of events for maps (``eezcheck map --table`` and ``eezcheck batch --map``).

Tables are read by batch's reader (:func:`eezcheck.batch.readers.open_source`: CSV/TSV in any
encoding batch reads, Excel, GeoJSON, GeoParquet, GeoPackage, Shapefile, a zipped Shapefile),
their point columns found by batch's :func:`eezcheck.batch.columns.detect_columns`, their CRS
by :func:`eezcheck.batch.coords.input_crs`, and each row's point by batch's own
:func:`eezcheck.batch.points.locate`: whatever ``eezcheck batch`` checks, a map draws, at the
same point, and a row batch cannot check is listed with batch's error. This module only adds
the columns a map shows besides the point (name, date and time, notes, launch-site name and
key) and turns each row into a :class:`~eezcheck.mapping.events.MapEvent`.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from eezcheck.crs import InputCRS
from eezcheck.errors import InvalidInputError, TableFormatError
from eezcheck.mapping.build import build_map
from eezcheck.mapping.events import MapEvent, float_or_none
from eezcheck.mapping.page import MapPage
from eezcheck.mapping.text import CNS_SOURCE, MOD_SOURCE

MAX_TABLE_EVENTS = 2000
"""A table map draws at most this many rows (the first ones), as ``batch --map``."""

# what a map shows besides the point (the point columns come from batch's column plan)
_SHOWN = {
    "launch_key": ("facility_key", "launch_site_key", "launch_key"),
    "name": ("name", "title", "event", "event_name", "label"),
    "kind": ("missile_name", "missile_type", "missile"),
    "ident": ("event_id", "id"),
    "date": ("date_utc", "date", "date_jst"),
    "time": ("time_utc", "time", "time_jst"),
    "datetime": ("datetime", "datetime_utc", "timestamp"),
    "notes": ("notes", "note", "description", "comment"),
}
_POINT_KEYS = {
    "impact_lat": "lat", "impact_lon": "lon", "impact_text": "where", "launch": "launch",
    "launch_name": "launch_name",
    "launch_lat": "launch_lat", "launch_lon": "launch_lon", "range_km": "range",
    "bearing_deg": "bearing", "apogee_km": "apogee", "uncertainty_km": "uncertainty",
    "geometry": "geometry",
}  # fmt: skip


@dataclass(frozen=True)
class EventColumns:
    """Which table columns give each part of an event (None: absent), the table's source
    (attribution) and the :class:`~eezcheck.batch.columns.ColumnPlan` of its point columns."""

    columns: Mapping[str, str | None]
    source: str
    plan: Any = None

    def get(self, key: str) -> str | None:
        return self.columns.get(key)


def event_columns(names: Sequence[str], plan: Any, source: str = "") -> EventColumns:
    """The event columns of a table: the point columns of batch's ``plan``
    (:func:`eezcheck.batch.columns.detect_columns` of the same ``names``), and the name, time
    and notes columns found by name. The project's CNS and MoD tables are recognised and
    attributed.

    >>> from eezcheck.batch.columns import detect_columns
    >>> names = ["Lat", "Lon", "Name"]
    >>> cols = event_columns(names, detect_columns(names))
    >>> cols.get("impact_lat"), cols.get("name")
    ('Lat', 'Name')
    """
    lower = {str(n).strip().lower(): str(n) for n in names}
    found: dict[str, str | None] = {
        key: next((lower[c] for c in cands if c in lower), None) for key, cands in _SHOWN.items()
    }
    if found["date"] and "time_jst" in lower and found["date"] == lower.get("date_jst"):
        found["time"] = lower["time_jst"]
    for key, attr in _POINT_KEYS.items():
        found[key] = getattr(plan, attr)
    if not source:
        if "nagix_derived_landing_lat" in lower and "facility_lat" in lower:
            source = CNS_SOURCE
        elif "eez_verdict_reported" in lower or "impact_description" in lower:
            source = MOD_SOURCE
    return EventColumns(found, source, plan)


@dataclass(frozen=True)
class TableEvents:
    """The events of a table (:func:`read_table`), its columns and how it was read."""

    events: list[MapEvent]
    columns: EventColumns
    description: str
    notes: tuple[str, ...]
    rows: int
    """Rows in the table (``events`` holds at most :data:`MAX_TABLE_EVENTS`)."""
    crs: InputCRS | None = None
    """The CRS the points were read in (the file's, or ``crs``), None: WGS84 columns."""


def read_table(
    path: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    columns: Mapping[str, str | None] | None = None,
    crs: str | None = None,
    uncertainty_km: float | None = None,
    boundaries: Any = None,
    max_events: int = MAX_TABLE_EVENTS,
) -> TableEvents:
    """Events from a table, read and located exactly as ``eezcheck batch`` reads and checks it.

    Parameters are those of :func:`eezcheck.batch.readers.open_source`, ``columns`` the
    explicit point columns of :func:`eezcheck.batch.columns.detect_columns` (and ``prefer``),
    ``crs`` the CRS of the latitude/longitude columns (``--crs``; a geometry is in the CRS its
    file declares: :func:`eezcheck.batch.coords.input_crs`), ``uncertainty_km`` the 95 % radius
    of the rows without an uncertainty cell (``--uncertainty-km``) and ``boundaries`` the data a
    wording column is checked on. Each row's point is batch's (:func:`located_events`); a row
    batch cannot check becomes an event that is not drawn, with batch's error as the reason.

    Raises :class:`~eezcheck.errors.TableFormatError` for an unreadable table or one without
    point columns, :class:`~eezcheck.crs.CRSError` for an unknown CRS (batch's messages).
    """
    from eezcheck.batch import readers
    from eezcheck.batch.columns import detect_columns
    from eezcheck.batch.coords import input_crs
    from eezcheck.batch.fields import CheckSettings

    src = readers.open_source(
        os.fspath(path), fmt=fmt, encoding=encoding, delimiter=delimiter, sheet=sheet
    )
    try:
        plan = detect_columns(src.names, columns, geometry=src.geometry)
        cols = event_columns(src.names, plan)
        crs_read = input_crs(src, plan, crs, os.fspath(path))
        settings = CheckSettings(
            plan,
            uncertainty_km=uncertainty_km,
            crs=crs_read if "latlon" in plan.sources else None,
        )
        checker = None
        if plan.where is not None:
            from eezcheck.checker import get_checker

            checker = get_checker(boundaries)
        events: list[MapEvent] = []
        rows = 0
        for chunk in src.chunks():
            take = max(0, min(chunk.table.num_rows, max_events - len(events)))
            if take:
                errors = [(i, msg) for i, msg in chunk.row_errors if i < take]
                events += located_events(
                    chunk.table.slice(0, take), cols, settings, checker,
                    row_errors=errors, first_row=rows,
                )  # fmt: skip
            rows += chunk.table.num_rows
        return TableEvents(events, cols, src.description, tuple(src.notes), rows, crs_read)
    finally:
        readers.close_source(src)


def located_events(
    table: Any,
    cols: EventColumns,
    settings: Any,
    checker: Any = None,
    *,
    row_errors: Sequence[tuple[int, str]] = (),
    first_row: int = 0,
) -> list[MapEvent]:
    """The events of a table's rows (a :class:`pyarrow.Table`, as batch's readers give it), each
    at the point batch checks: :func:`eezcheck.batch.points.locate` with batch's
    :class:`~eezcheck.batch.fields.CheckSettings` (column plan, ``--crs``, ``--uncertainty-km``).

    A wording row's impact is batch's :class:`~eezcheck.results.CheckResult` (``checker`` is
    needed for a wording column), a coordinates row's its WGS84 ``(lat, lon)`` with the row's
    uncertainty; a row batch cannot check (or one of ``row_errors``, e.g. batch's error column)
    is not drawn, with that message. Name, time, launch site and notes: :func:`event_from_row`.
    """
    from eezcheck.batch.points import locate

    found = locate(table, checker, settings, row_errors)
    events = []
    for j, row in enumerate(table.to_pylist()):
        ev = event_from_row(row, cols, first_row + j)
        if j in found.errors:
            ev = replace(ev, error=found.errors[j])
        elif j in found.single:
            ev = replace(ev, impact=found.single[j])
        else:
            radius = float(found.radius[j])
            ev = replace(
                ev,
                impact=(float(found.lat[j]), float(found.lon[j])),
                uncertainty_km=radius if math.isfinite(radius) and radius > 0 else None,
            )
        events.append(ev)
    return events


def event_from_row(row: Mapping[str, Any], cols: EventColumns, index: int = 0) -> MapEvent:
    """A :class:`MapEvent` of a table row without its impact point (:func:`located_events`
    finds it, as batch does): name, time, launch site, range, apogee, notes and source; empty or
    "unknown" cells leave parts empty.
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
    return MapEvent(
        launch=launch, range_km=num("range_km"), apogee_km=num("apogee_km"), name=name,
        time=when, uncertainty_km=num("uncertainty_km"), notes=val("notes"), source=cols.source,
    )  # fmt: skip


def rows_table(rows: Sequence[Mapping[str, Any]], names: Sequence[str]) -> Any:
    """Rows in memory (dicts) as the :class:`pyarrow.Table` a CSV of them reads as: every cell
    text (bytes stay bytes), None and NaN empty."""
    import pyarrow as pa

    columns = {}
    for n in names:
        cells = [r.get(n) for r in rows]
        if any(isinstance(v, (bytes, bytearray)) for v in cells):
            columns[n] = pa.array([bytes(v) if isinstance(v, (bytes, bytearray)) else None for v in cells], pa.binary())
        else:
            columns[n] = pa.array(
                [None if v is None or (isinstance(v, float) and not math.isfinite(v)) else str(v) for v in cells],
                pa.string(),
            )
    return pa.table(columns) if columns else pa.table({"": pa.nulls(len(rows))})


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
        Table rows as dicts (read as the CSV of them would be: columns detected by batch's
        :func:`~eezcheck.batch.columns.detect_columns`, or give ``columns``; each row's point
        found by :func:`located_events`) or ready :class:`MapEvent` objects.
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
    if all(isinstance(r, MapEvent) for r in rows):
        events: list[MapEvent] = rows
    elif any(isinstance(r, MapEvent) for r in rows):
        raise InvalidInputError("give rows as MapEvent objects or as mappings, not both")
    else:
        from eezcheck.batch.columns import ColumnPlan, detect_columns
        from eezcheck.batch.fields import CheckSettings

        names = [str(k) for k in dict.fromkeys(k for r in rows for k in r)]
        if cols is None:
            try:
                plan = detect_columns(names)
            except TableFormatError:
                if results is None:
                    raise
                plan = ColumnPlan()  # the points are in the results
            cols = event_columns(names, plan, source)
        checker = None
        if cols.plan.where is not None:
            from eezcheck.checker import get_checker

            checker = get_checker(boundaries)
        events = located_events(rows_table(rows, names), cols, CheckSettings(cols.plan), checker)
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
        events = [
            replace(ev, impact=res) if res is not None else ev for ev, res in zip(events, res_list)
        ]
    srcs = [source or (cols.source if cols else "")]
    return build_map(
        events, boundaries=boundaries, tiles=tiles, rings_km=rings_km, title=title,
        group_by=group_by, strict=False, sources=[s for s in srcs if s],
    )  # fmt: skip
