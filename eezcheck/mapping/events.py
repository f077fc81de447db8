"""Events to draw: :class:`MapEvent` (what the caller gives), :class:`Drawn` (checked),
:class:`Skipped` (not drawn, and why) and :class:`MapInfo` (what a map holds)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np

from eezcheck.errors import EezcheckError, InvalidInputError


@dataclass(frozen=True)
class MapEvent:
    """One event to draw.

    Parameters
    ----------
    impact : any
        The splashdown, as :func:`eezcheck.checker.check` takes it: text (coordinates such as
        ``"41.3 138.5"`` or MoD wording such as ``"about 200 km W of Okushiri"``), a
        ``(lat, lon)`` pair (latitude first), a mapping of :func:`~eezcheck.checker.check`
        keyword arguments, or an already computed :class:`~eezcheck.results.CheckResult`.
        None with ``launch``, ``range_km`` and ``bearing_deg`` derives it from the launch site.
    launch : str, (lat, lon) or mapping, optional
        Launch site: a gazetteer name ("sunan", "順安"), coordinates text, a ``(lat, lon)`` pair
        or ``{"lat", "lon", "name"}``.
    range_km, bearing_deg : optional
        With ``launch`` and no ``impact``: the impact is that far along that bearing (degrees or
        a compass word).
    apogee_km : float, optional
        Apogee; with the launch site it gives the trajectory profile in the popup.
    name, time, notes, source : str
        Free text (escaped on the map). ``time`` may also be a date/datetime; ``source`` names
        where the event comes from (shown in the attribution).
    error : str
        Why the event cannot be drawn (a table row its reader found bad): it is listed, with
        this reason, among the events not drawn.
    uncertainty_km : float, optional
        95 % radius of the impact point (overrides the band derived from MoD wording).
    """

    impact: Any = None
    launch: Any = None
    range_km: float | None = None
    bearing_deg: float | str | None = None
    apogee_km: float | None = None
    name: str = ""
    time: str = ""
    uncertainty_km: float | None = None
    notes: str = ""
    source: str = ""
    error: str = ""

    def __post_init__(self) -> None:
        for key in ("apogee_km", "range_km", "uncertainty_km"):
            value = getattr(self, key)
            if value is None:
                continue
            x = float_or_none(value)
            if x is None or x < 0 or (key != "uncertainty_km" and x == 0):
                raise InvalidInputError(
                    f"{key}={value!r} of event {self.name!r} must be a positive number of km"
                )
            object.__setattr__(self, key, x)
        t = self.time
        if isinstance(t, datetime):
            t = t.strftime("%Y-%m-%d %H:%M %Z").strip()
        elif isinstance(t, date):
            t = t.isoformat()
        for key, val in (
            ("time", t),
            ("name", self.name),
            ("notes", self.notes),
            ("source", self.source),
            ("error", self.error),
        ):
            object.__setattr__(self, key, clean_text("" if val is None else str(val)))

    @property
    def year(self) -> str:
        """The first plausible year (1900-2199) in ``time``, else ""."""
        m = re.search(r"(?<!\d)(19\d\d|2[01]\d\d)(?!\d)", self.time)
        return m.group(1) if m else ""


@dataclass(frozen=True)
class Skipped:
    """An event that is not drawn, and why."""

    index: int
    name: str
    reason: str
    time: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "name": self.name, "reason": self.reason, "time": self.time}


@dataclass(frozen=True)
class MapInfo:
    """What a map holds (``m.eezcheck_info`` of a map from :func:`build_map`)."""

    events: int
    drawn: int
    skipped: tuple[Skipped, ...]
    verdicts: Mapping[str, int]
    groups: tuple[str, ...]
    launch_sites: int
    rings: int
    uncertainty_regions: int
    tracks: int
    bounds: tuple[tuple[float, float], tuple[float, float]] | None
    """((south, west), (north, east)) in the map's longitude frame."""
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "events": self.events,
            "drawn": self.drawn,
            "skipped": [s.to_dict() for s in self.skipped],
            "verdicts": dict(self.verdicts),
            "groups": list(self.groups),
            "launch_sites": self.launch_sites,
            "rings": self.rings,
            "uncertainty_regions": self.uncertainty_regions,
            "tracks": self.tracks,
            "bounds": self.bounds,
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class Drawn:
    """An event that is drawn: its checked result and resolved launch site."""

    index: int
    event: MapEvent
    result: Any  # CheckResult
    launch: Mapping[str, Any] | None
    notes: tuple[str, ...] = ()


def clean_text(s: str) -> str:
    """Text safe to encode as UTF-8 (lone surrogates replaced), NUL removed."""
    return s.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")


def float_or_none(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        x = (
            float(str(value).strip().lstrip("~≈約").replace(",", ""))
            if isinstance(value, str)
            else float(value)
        )
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def as_events(events: Any) -> list[MapEvent]:
    from eezcheck.results import CheckResult

    if isinstance(events, (MapEvent, CheckResult, str)) or (
        isinstance(events, tuple) and len(events) == 2 and all(_is_num(v) for v in events)
    ):
        events = [events]
    out = []
    for e in events:
        if isinstance(e, MapEvent):
            out.append(e)
        elif isinstance(e, Mapping) and not _looks_like_check_kwargs(e):
            out.append(MapEvent(**{k: v for k, v in e.items() if k in _EVENT_FIELDS}))
        else:
            out.append(MapEvent(impact=e))
    return out


_EVENT_FIELDS = frozenset(MapEvent.__dataclass_fields__)


def _looks_like_check_kwargs(m: Mapping[str, Any]) -> bool:
    return "impact" not in m and bool({"lat", "lon", "text", "wording"} & set(m))


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)


def resolve_events(
    events: Sequence[MapEvent], checker: Any, strict: bool
) -> tuple[list[Drawn], list[Skipped]]:
    """Check every event's impact (vectorised for plain coordinates) and resolve launch sites."""
    from eezcheck.inputs import resolve_launch
    from eezcheck.parsing import parse_lat_lon
    from eezcheck.results import CheckResult

    drawn: dict[int, Drawn] = {}
    skipped: list[Skipped] = []
    plain: list[tuple[int, float, float, Mapping[str, Any] | None, str]] = []

    def fail(i: int, e: MapEvent, exc: Exception | str) -> None:
        if strict:
            if isinstance(exc, Exception):
                raise exc
            raise InvalidInputError(
                f"event {e.name or i + 1!r}: {exc}: give the impact (coordinates or a description), or a launch site with range_km and bearing_deg"
            )
        skipped.append(Skipped(i, e.name, str(exc), e.time))

    for i, e in enumerate(events):
        if e.error and not isinstance(e.impact, CheckResult):
            fail(i, e, e.error)
            continue
        launch: Mapping[str, Any] | None = None
        note = ""
        if e.launch is not None and e.launch != "":
            try:
                launch = resolve_launch(e.launch)
            except EezcheckError as exc:
                if strict:
                    raise
                note = f"launch site not drawn: {exc}"
        try:
            imp = e.impact
            if isinstance(imp, CheckResult):
                res = imp
            elif imp is None or (isinstance(imp, str) and not imp.strip()):
                if launch is not None and e.range_km is not None and e.bearing_deg is not None:
                    res = checker.check(
                        launch=launch, range_km=e.range_km,
                        bearing_deg=e.bearing_deg, uncertainty_km=e.uncertainty_km,
                    )  # fmt: skip
                else:
                    fail(i, e, "no impact point (no coordinates, description or range and bearing)")
                    continue
            elif isinstance(imp, str):
                res = checker.check(text=imp, uncertainty_km=e.uncertainty_km)
            elif isinstance(imp, Mapping):
                kw = dict(imp)
                kw.setdefault("uncertainty_km", e.uncertainty_km)
                res = checker.check(**kw)
            elif isinstance(imp, (tuple, list)) and len(imp) == 2:
                lon, lat = parse_lat_lon(imp[0], imp[1])
                if e.uncertainty_km is None:
                    plain.append((i, lon, lat, launch, note))
                    continue
                res = checker.check(lat, lon, uncertainty_km=e.uncertainty_km)
            else:
                raise InvalidInputError(
                    f"impact {imp!r} of event {e.name!r}: give text, (lat, lon), a mapping of "
                    "check() arguments or a CheckResult"
                )
        except EezcheckError as exc:
            fail(i, e, exc)
            continue
        if launch is None and res.input.get("kind") == "launch":
            launch = dict(res.input["launch"])
        drawn[i] = Drawn(i, e, res, launch, (note,) if note else ())
    if plain:
        lats = np.array([p[2] for p in plain])
        lons = np.array([p[1] for p in plain])
        many = checker.check_many(lats, lons)
        for j, (i, _lon, _lat, launch, note) in enumerate(plain):
            drawn[i] = Drawn(i, events[i], many.row(j), launch, (note,) if note else ())
    return [drawn[i] for i in sorted(drawn)], skipped


# --------------------------------------------------------------------------- geometry
