"""Which columns of a table hold the point to check: detection by name, with overrides.

A table gives its impact point in one of three ways, tried in this order for every row:

1. **latitude/longitude columns** (``lat``/``lon``, ``latitude``/``longitude``, ``y``/``x``,
   ``緯度``/``経度``, ``impact_lat``/``impact_lon`` ...);
2. a **wording column**: an MoD-style description or coordinates as text
   ("about 200 km W of Okushiri", "北海道奥尻島の西約200km", "41°18'N 138°30'E");
3. a **launch point + range + bearing**: launch latitude/longitude columns or a launch-site
   name column, a range column (km) and a bearing column (degrees or compass words).

Names that say launch/origin/facility/site/from (``発射``) are the launch point; names that say
impact/landing/splash/target (``着弾``, ``落下``) are the impact point. With both, the impact is
checked and the launch is kept (for maps, and as the fallback with range + bearing for rows whose
impact cells are empty). Latitude/longitude columns naming no role are taken as the impact.

A range column (``range_km``, ``distance_km`` ...) and an apogee column (``apogee_km``,
``max_altitude`` ...) also give the trajectory columns of the output.

Every mapping can be given explicitly (``lat=``, ``lon=``, ``where=``, ``launch=``,
``launch_lat=``, ``launch_lon=``, ``range=``, ``bearing=``, ``apogee=``, ``uncertainty=``);
given names must exist. :meth:`ColumnPlan.describe` says what was chosen, for stderr.

Examples
--------
>>> plan = detect_columns(["date", "facility_lat", "facility_lon",
...                        "nagix_derived_landing_lat", "nagix_derived_landing_lon"])
>>> plan.lat, plan.lon, plan.launch_lat
('nagix_derived_landing_lat', 'nagix_derived_landing_lon', 'facility_lat')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from eezcheck.errors import TableFormatError

__all__ = ["OVERRIDES", "PREFER", "ColumnPlan", "detect_columns", "name_tokens"]

OVERRIDES = (
    "lat",
    "lon",
    "where",
    "launch",
    "launch_lat",
    "launch_lon",
    "range",
    "bearing",
    "apogee",
    "uncertainty",
    "reported",
)
"""Keyword names of the explicit mappings (``--lat-col`` ... ``--uncertainty-col``,
``--reported-col``); ``prefer`` (``"wording"``, the default, or ``"coordinates"``) may be given
with them: which point a row with both a wording and coordinates is checked at."""

PREFER = ("wording", "coordinates")

_LAT = {"lat", "latitude", "lati", "緯度"}
_LON = {"lon", "lng", "long", "longitude", "longi", "経度"}
_LAUNCH = {"launch", "launched", "origin", "facility", "site", "from", "start", "departure", "発射"}
_IMPACT = {
    "impact", "landing", "land", "landed", "splash", "splashdown", "target", "fall", "drop",
    "end", "dest", "destination", "着弾", "落下", "着水",
}  # fmt: skip
_WHERE_STRONG = {"wording", "where", "impactdescription", "impactwording", "impactlocation",
                 "landinglocation", "impactplace", "landingplace", "location", "落下地点",
                 "着弾地点", "落下位置", "着弾位置", "落下場所", "着弾場所", "地点", "位置", "場所"}  # fmt: skip
_WHERE_GENERIC = {"location", "地点", "位置", "場所"}
"""Wording-column names too generic to serve as a fallback when lat/lon columns exist."""
_WHERE_WEAK = {"description", "text", "point", "coordinates", "coords", "coordinate", "座標"}
_SITE = {"launch", "launchsite", "site", "facility", "facilityname", "facilitykey", "launchfacility",
         "from", "origin", "launchplace", "launchlocation", "launchsitename", "launchname",
         "発射地点", "発射場所", "発射場"}  # fmt: skip
"""Names (squashed) of a launch-site column: gazetteer names or coordinates as text."""
_SITE_KEY = {"facilitykey", "launchsitekey", "launchkey", "sitekey"}
"""Site columns holding an identifier rather than a name to show."""
_RANGE = {"range", "distance", "dist", "flown", "飛翔距離", "距離", "射程"}
_NOT_RANGE = {"impact", "ref", "reference", "place", "to", "check", "error", "uncertainty",
              "limit", "eez", "land", "nearest", "from", "coast", "landing"}  # fmt: skip
_BEARING = {"bearing", "azimuth", "heading", "direction", "course", "方位", "方角", "方向"}
_NOT_BEARING = {"impact", "ref", "reference", "place", "from", "nearest"}
_APOGEE = {"apogee", "altitude", "alt", "height", "最高高度", "高度", "到達高度"}
_REPORTED = {"eezverdictreported", "verdictreported", "reportedverdict", "reported", "mod",
             "modverdict", "verdictmod", "reportedeez", "eezreported", "officialverdict",
             "判定", "mod判定", "防衛省", "防衛省判定", "eez判定", "判定結果", "reportedeezverdict"}  # fmt: skip
"""Names (squashed) of a column with the verdict the table reports (the MoD's): the one table."""
_REF_PLACE = {"impactrefplace", "refplace", "referenceplace", "impactreference", "基準地点"}
_REF_BEARING = {"impactbearing", "refbearing", "impactrefbearing", "基準方位"}
_REF_DISTANCE = {"impactdistancekm", "impactdistance", "refdistancekm", "refdistance",
                 "impactrefdistancekm", "基準距離"}  # fmt: skip
"""A description in columns (the place, the compass word, the distance in km), as compiled
tables give the MoD's wording: read as the wording "D km B of PLACE" where the wording cell is
empty or unreadable."""
_UNCERTAINTY = {"uncertainty", "uncertaintykm", "errorkm", "radiuskm", "cepkm", "accuracykm",
                "cep", "誤差"}  # fmt: skip
# not "error": that is the message column eezcheck itself writes (a re-run reads its own output)
_JA = ("緯度", "経度", "発射", "着弾", "落下", "着水", "方位", "方角", "方向", "最高高度", "高度",
       "到達高度", "飛翔距離", "距離", "射程", "誤差", "地点", "位置", "場所", "座標")  # fmt: skip


def name_tokens(name: str) -> tuple[str, ...]:
    """Lower-case word tokens of a column name: ``"impactLat (deg)"`` -> ``impact lat deg``.

    camelCase and any non-alphanumeric character split words; Japanese keywords (緯度, 経度,
    発射, 着弾, 落下 ...) become tokens of their own.
    """
    s = unicodedata.normalize("NFKC", str(name))
    s = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", s).lower()
    for ja in _JA:
        s = s.replace(ja, f"_{ja}_")
    return tuple(t for t in re.split(r"[^0-9a-z\u3040-\u30ff\u4e00-\u9fff]+", s) if t)


def _squash(name: str) -> str:
    return "".join(name_tokens(name))


def _role(tokens: Sequence[str]) -> str:
    t = set(tokens)
    if t & _IMPACT:
        return "impact"
    if t & _LAUNCH:
        return "launch"
    return "plain"


def _axis(tokens: Sequence[str], name: str) -> str | None:
    t = set(tokens)
    lat, lon = bool(t & _LAT), bool(t & _LON)
    if lat and not lon:
        return "lat"
    if lon and not lat:
        return "lon"
    squashed = "".join(tokens)
    if squashed in ("y", "pointy", "ycoord", "ycoordinate"):
        return "lat"
    if squashed in ("x", "pointx", "xcoord", "xcoordinate"):
        return "lon"
    return None


@dataclass(frozen=True)
class ColumnPlan:
    """Where the point of each row comes from (column names; None when absent)."""

    lat: str | None = None
    lon: str | None = None
    where: str | None = None
    launch: str | None = None
    """Launch-site name column (gazetteer names or coordinates as text), read when there are no
    launch latitude/longitude columns."""
    launch_name: str | None = None
    """The launch site's name to show (maps): :attr:`launch`, else a site-name column beside the
    launch latitude/longitude columns (``facility_name``, ``launch_site``, ``発射地点`` ...)."""
    launch_lat: str | None = None
    launch_lon: str | None = None
    range: str | None = None
    bearing: str | None = None
    apogee: str | None = None
    uncertainty: str | None = None
    geometry: str | None = None
    """A point geometry column (GeoJSON/GeoParquet input) used when there are no lat/lon columns."""
    reported: str | None = None
    """A reported verdict (the MoD's inside/outside): gives the ``agrees_with_report`` column."""
    ref_place: str | None = None
    ref_bearing: str | None = None
    ref_distance: str | None = None
    """A description in three columns (place, compass word, km), read as a wording."""
    prefer: str = "wording"
    """With both a wording column and coordinates: check the wording (its uncertainty model, what
    a user comparing with the MoD expects) or the coordinates; the other is the fallback."""
    notes: tuple[str, ...] = field(default=())
    """Remarks for stderr: ambiguous names, ignored candidates."""

    @property
    def has_latlon(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def has_launch_point(self) -> bool:
        return self.launch is not None or (
            self.launch_lat is not None and self.launch_lon is not None
        )

    @property
    def has_launch_geometry(self) -> bool:
        """A launch point with range and bearing: an impact point can be derived."""
        return self.has_launch_point and self.range is not None and self.bearing is not None

    @property
    def ref_columns(self) -> tuple[str, str, str] | None:
        """The place, bearing and distance columns of a description in columns, if all exist."""
        if self.ref_place and self.ref_bearing and self.ref_distance:
            return self.ref_place, self.ref_bearing, self.ref_distance
        return None

    @property
    def sources(self) -> tuple[str, ...]:
        """Point sources in the order they are tried per row."""
        out = []
        if self.where is not None and self.prefer == "wording":
            out.append("where")
        if self.has_latlon:
            out.append("latlon")
        elif self.geometry is not None:
            out.append("geometry")
        if self.where is not None and self.prefer != "wording":
            out.append("where")
        if self.has_launch_geometry:
            out.append("launch")
        return tuple(out)

    @property
    def used(self) -> tuple[str, ...]:
        """Every column the plan reads."""
        names = (
            self.lat, self.lon, self.geometry, self.where, self.launch, self.launch_lat,
            self.launch_lon, self.range, self.bearing, self.apogee, self.uncertainty, self.reported,
            *(self.ref_columns or ()),
        )  # fmt: skip
        return tuple(dict.fromkeys(n for n in names if n is not None))

    def to_dict(self) -> dict[str, object]:
        return {
            "lat": self.lat,
            "lon": self.lon,
            "geometry": self.geometry,
            "where": self.where,
            "launch": self.launch,
            "launch_lat": self.launch_lat,
            "launch_lon": self.launch_lon,
            "range": self.range,
            "bearing": self.bearing,
            "apogee": self.apogee,
            "uncertainty": self.uncertainty,
            "reported": self.reported,
            "ref_columns": list(self.ref_columns) if self.ref_columns else None,
            "prefer": self.prefer,
            "sources": list(self.sources),
        }

    def describe(self) -> list[str]:
        """Human lines saying what was detected (the CLI prints them on stderr)."""
        lines = []
        how = []
        for src in self.sources:
            if src == "latlon":
                how.append(f"latitude {self.lat!r}, longitude {self.lon!r}")
            elif src == "geometry":
                how.append(f"point geometry {self.geometry!r}")
            elif src == "where":
                how.append(f"wording/coordinates text {self.where!r}")
                if self.ref_columns:
                    how.append("the wording in columns {!r} {!r} {!r}".format(*self.ref_columns))
            else:
                how.append(
                    f"launch {self._launch_text()} + range {self.range!r} along bearing {self.bearing!r}"
                )
        joined = how[0] if how else ""
        for prev, part in zip(self.sources, how[1:]):
            joined += ("; where empty or unreadable: " if prev == "where" else "; where empty: ") + part
        lines.append("impact point: " + joined)
        if self.reported is not None:
            lines.append(f"reported verdict: {self.reported!r} (agrees_with_report column)")
        if self.has_launch_point and "launch" not in self.sources:
            lines.append(f"launch point (kept for the map): {self._launch_text()}")
        if self.range is not None or self.apogee is not None:
            lines.append(
                f"trajectory: range {self.range!r}, apogee {self.apogee!r} "
                "(flight time, equivalent minimum-energy range)"
            )
        if self.uncertainty is not None:
            lines.append(f"uncertainty (km, 95 % radius): {self.uncertainty!r}")
        lines.extend(self.notes)
        return lines

    def _launch_text(self) -> str:
        if self.launch_lat is not None and self.launch_lon is not None:
            return f"{self.launch_lat!r}/{self.launch_lon!r}"
        return repr(self.launch)


def detect_columns(
    names: Sequence[str],
    overrides: Mapping[str, str | None] | None = None,
    *,
    geometry: str | None = None,
) -> ColumnPlan:
    """Choose the columns holding each row's point from the column ``names``.

    Parameters
    ----------
    names : sequence of str
        The table's column names, in order.
    overrides : mapping, optional
        Explicit column names (keys of :data:`OVERRIDES`); each must be one of ``names``.
    geometry : str, optional
        A point geometry column (GeoJSON/GeoParquet), used when no lat/lon columns are found.

    Raises
    ------
    TableFormatError
        When a given column does not exist, or no way to get a point is found.
    """
    names = [str(n) for n in names]
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    prefer = given.pop("prefer", None)
    if prefer is None:  # lat/lon columns named and no wording column: the user means them
        explicit_ll = given.get("lat") is not None or given.get("lon") is not None
        prefer = "coordinates" if explicit_ll and given.get("where") is None else "wording"
    if prefer not in PREFER:
        raise ValueError(f"prefer={prefer!r}: choose {' or '.join(PREFER)}")
    unknown = set(given) - set(OVERRIDES)
    if unknown:
        raise ValueError(f"unknown column mapping(s) {sorted(unknown)}")
    for key, col in given.items():
        if col not in names:
            raise TableFormatError(
                f"column {col!r} (given for {key}) is not in the table; its columns are "
                f"{_list(names)}"
            )
    notes: list[str] = []
    toks = {n: name_tokens(n) for n in names}

    # latitude / longitude pairs by role
    found: dict[str, dict[str, list[str]]] = {
        r: {"lat": [], "lon": []} for r in ("impact", "plain", "launch")
    }
    for n in names:
        axis = _axis(toks[n], n)
        if axis:
            found[_role(toks[n])][axis].append(n)

    def pair(role: str) -> tuple[str | None, str | None]:
        lats, lons = found[role]["lat"], found[role]["lon"]
        if not lats or not lons:
            return None, None
        for la in lats:  # prefer a lon column whose name differs only by the axis word
            for lo in lons:
                if _stem(toks[la]) == _stem(toks[lo]):
                    return la, lo
        return lats[0], lons[0]

    imp = pair("impact")
    if imp[0] is None:
        imp = pair("plain")
    launch_ll = pair("launch")
    for role in ("impact", "plain", "launch"):
        for axis in ("lat", "lon"):
            extra = [
                c
                for c in found[role][axis]
                if c not in (imp[0], imp[1], launch_ll[0], launch_ll[1])
            ]
            if extra and not given.get(axis):
                notes.append(f"note: also looks like a {axis} column, ignored: {_list(extra)}")

    lat = given.get("lat")
    lon = given.get("lon")
    if (lat is None) != (lon is None):
        # one given: pair it with the detected other axis of the same role
        if lat is None:
            lat = imp[0] if imp[0] != lon else None
        else:
            lon = imp[1] if imp[1] != lat else None
        if lat is None or lon is None:
            raise TableFormatError(
                "give both --lat-col and --lon-col (only one was given and the other was not "
                f"found among {_list(names)})"
            )
    elif lat is None and not given.get("where"):
        lat, lon = imp

    launch_lat = given.get("launch_lat", launch_ll[0])
    launch_lon = given.get("launch_lon", launch_ll[1])
    if (launch_lat is None) != (launch_lon is None):
        raise TableFormatError("give both --launch-lat-col and --launch-lon-col")

    squashed = {n: "".join(toks[n]) for n in names}
    used_ll = {lat, lon, launch_lat, launch_lon}

    def pick(keys: set[str], exclude: set[str], token: bool = True) -> str | None:
        for n in names:
            if n in used_ll:
                continue
            t = set(toks[n])
            if t & exclude:
                continue
            if squashed[n] in keys or (token and t & keys):
                return n
        return None

    where = given.get("where")
    if where is None and lat is None:
        where = _first(n for n in names if squashed[n] in _WHERE_STRONG and n not in used_ll)
        if where is None:
            where = _first(n for n in names if squashed[n] in _WHERE_WEAK and n not in used_ll)
    elif where is None:
        # a fallback for rows whose lat/lon cells are empty: only a clearly named column
        where = _first(
            n for n in names if squashed[n] in _WHERE_STRONG - _WHERE_GENERIC and n not in used_ll
        )

    rng = given.get("range", pick(_RANGE, _NOT_RANGE))
    bearing = given.get("bearing", pick(_BEARING, _NOT_BEARING))
    apogee = given.get("apogee", pick(_APOGEE, {"impact", "ref", "launch", "place"}))
    uncertainty = given.get("uncertainty", pick(_UNCERTAINTY, set(), token=False))
    reported = given.get("reported")
    if reported is None:
        reported = _first(n for n in names if squashed[n] in _REPORTED and n not in used_ll)
    ref = [
        _first(n for n in names if squashed[n] in keys and n not in used_ll)
        for keys in (_REF_PLACE, _REF_BEARING, _REF_DISTANCE)
    ]
    site = given.get("launch")
    if site is None and launch_lat is None:
        site = _first(n for n in names if squashed[n] in _SITE and n not in used_ll)
    site_name = site or _first(
        n for n in names if squashed[n] in _SITE - _SITE_KEY and n not in used_ll
    )

    plan = ColumnPlan(
        lat=lat,
        lon=lon,
        where=where,
        launch=site,
        launch_name=site_name,
        launch_lat=launch_lat,
        launch_lon=launch_lon,
        range=rng,
        bearing=bearing,
        apogee=apogee,
        uncertainty=uncertainty,
        geometry=geometry if lat is None else None,
        notes=tuple(notes),
        reported=reported,
        ref_place=ref[0] if where is not None and all(ref) else None,
        ref_bearing=ref[1] if where is not None and all(ref) else None,
        ref_distance=ref[2] if where is not None and all(ref) else None,
        prefer=prefer,
    )
    if not plan.sources:
        raise TableFormatError(_nothing_found(names, plan))
    return plan


def _stem(tokens: Sequence[str]) -> tuple[str, ...]:
    return tuple(t for t in tokens if t not in _LAT and t not in _LON)


def _first(it: object) -> str | None:
    return next(iter(it), None)  # type: ignore[call-overload,no-any-return]


def _list(names: Sequence[str], limit: int = 30) -> str:
    shown = ", ".join(repr(n) for n in names[:limit])
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return f"[{shown}{more}]" if names else "[] (no columns)"


def _nothing_found(names: Sequence[str], plan: ColumnPlan) -> str:
    have = []
    if plan.has_launch_point:
        have.append(f"a launch point ({plan._launch_text()})")
    if plan.range is not None:
        have.append(f"a range ({plan.range!r})")
    if plan.bearing is not None:
        have.append(f"a bearing ({plan.bearing!r})")
    found = f" Found {', '.join(have)}, which is not enough." if have else ""
    return (
        "cannot find the point to check among the columns "
        f"{_list(names)}.{found} Name the columns lat and lon (or latitude/longitude, "
        "impact_lat/impact_lon, 緯度/経度), or give a wording column (where, wording, "
        "impact_description), or launch point + range + bearing columns; or say which columns "
        "to use with --lat-col/--lon-col, --where-col, or --from-col/--range-col/--bearing-col."
    )
