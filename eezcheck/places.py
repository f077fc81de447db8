"""Gazetteer: Japanese reference places and North Korean launch sites.

Coordinates are ``lon, lat`` (degrees, WGS84) in every signature and result, in that order;
distances are geodesic on WGS84 (``eezcheck.geodesy``).

The tables live in the package data directory (:func:`eezcheck.data.package_data_dir`):

* ``places_japan.csv`` -- islands, capes, peninsulas and prefecture reference points that
  Japan's Ministry of Defense (MoD) names in impact reports ("about 200 km W of Okushiri").
  A prefecture row is the prefectural government office (the point GSI publishes for each
  prefecture); the MoD does not say which point of a prefecture it measures from, so the
  ``extent_km`` column (rough half-size of the feature) is added to the uncertainty of any
  point derived from a description (see :func:`eezcheck.wording.uncertainty_from_wording`).
* ``launch_sites.csv`` -- North Korean launch facilities.
* ``launch_areas.csv`` -- the provinces, cities and areas of North Korea that launch reports
  name ("North Hwanghae", "south of Pyongyang", "Sunan area", "east coast"), each a centre and
  an ``extent_km`` (radius around the centre that holds the area). :func:`find_launch_site`
  finds both kinds; an area's extent is carried into every figure computed from it.

Names are matched case-, width- and accent-insensitively (NFKC), through aliases, and with or
without decorations such as "Island", "Peninsula", "Cape", "Prefecture", 島, 半島, 岬, 県 or a
leading prefecture name ("北海道奥尻島", "Akita Prefecture's Oga Peninsula").

Examples
--------
>>> find_place("北海道奥尻島").key
'okushiri'
>>> nearest_place(136.85, 41.48).key
'oshima-oshima'
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import Any, Generic, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from eezcheck.data import package_text
from eezcheck.errors import DataIntegrityError, InvalidCoordinateError, UnknownPlaceError
from eezcheck.geodesy import GEOD, inverse_arrays

__all__ = [
    "COMPASS_EN",
    "COMPASS_JA",
    "LaunchSite",
    "NearestPlace",
    "NearestPlaces",
    "Place",
    "find_launch_site",
    "find_place",
    "launch_areas",
    "launch_sites",
    "nearest_place",
    "nearest_place_indices",
    "nearest_places",
    "place_by_key",
    "places",
    "reference_places",
    "specificity",
]

COMPASS_EN = (
    "N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE",
    "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW",
)  # fmt: skip
"""The 16 compass points, clockwise from north, as the MoD's English releases abbreviate them."""

COMPASS_JA = (
    "北", "北北東", "北東", "東北東", "東", "東南東", "南東", "南南東",
    "南", "南南西", "南西", "西南西", "西", "西北西", "北西", "北北西",
)  # fmt: skip
"""The same 16 points as the MoD writes them in Japanese."""

_MEAN_RADIUS_KM = 6371.0088
_SPHERE_SLACK = 0.01  # sphere vs ellipsoid distances differ by < 0.6 %; prune with 1 %
_CHUNK = 200_000
_TREE_MIN = 2_000  # from this many points, candidate places come from a KD-tree (scipy)

# Kinds ranked by how specific a reference they are (lower wins when a text names several).
_KIND_RANK = {"prefecture": 2, "peninsula": 1, "archipelago": 1}


def _plain(row: Place | LaunchSite) -> dict[str, Any]:
    """A gazetteer row as a JSON-ready dict (aliases as a list)."""
    d = asdict(row)
    d["aliases"] = list(row.aliases)
    return d


@dataclass(frozen=True)
class Place:
    """A named Japanese reference place.

    ``disputed`` is an empty string for undisputed places, else a short statement of the
    sovereignty dispute (truthy, so ``if place.disputed:`` works). ``extent_km`` is the rough
    half-size of the feature: how far "the Noto Peninsula" may be from its point.
    """

    key: str
    name_en: str
    name_ja: str
    lon: float
    lat: float
    kind: str
    source: str
    disputed: str = ""
    aliases: tuple[str, ...] = ()
    extent_km: float = 0.0
    coord_status: str = "checked"

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (JSON-ready) of every field."""
        return _plain(self)


@dataclass(frozen=True)
class LaunchSite:
    """A North Korean launch facility (``kind`` ``site``, ``extent_km`` 0) or a launch area
    (``kind`` ``province``, ``city``, ``area`` or ``region``: ``lon, lat`` its centre,
    ``extent_km`` the radius around it that holds the area)."""

    key: str
    name: str
    name_ko: str
    name_ja: str
    lon: float
    lat: float
    source: str
    aliases: tuple[str, ...] = ()
    kind: str = "site"
    extent_km: float = 0.0

    @property
    def is_area(self) -> bool:
        return self.kind != "site"

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (JSON-ready) of every field."""
        return _plain(self)


@dataclass(frozen=True)
class NearestPlace:
    """The nearest Japanese reference place to a point, and the point's distance and azimuth
    from it; unpacks as ``place, distance_km, azimuth_deg``.

    ``azimuth_deg`` is the geodesic azimuth *from the place to the point*, 0..360. ``to_dict()``
    is the ``nearest_place`` object of ``check --json`` (``key``, ``name_en``, ``name_ja``,
    ``distance_km``, ``azimuth_deg``).
    """

    place: Place
    distance_km: float
    azimuth_deg: float

    @property
    def key(self) -> str:
        return self.place.key

    @property
    def name_en(self) -> str:
        return self.place.name_en

    @property
    def name_ja(self) -> str:
        return self.place.name_ja

    def __iter__(self) -> Iterator[Any]:
        return iter((self.place, self.distance_km, self.azimuth_deg))

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name_en": self.name_en,
            "name_ja": self.name_ja,
            "distance_km": self.distance_km,
            "azimuth_deg": self.azimuth_deg,
        }


@dataclass(frozen=True)
class NearestPlaces:
    """Vector result of :func:`nearest_places`; unpacks as ``keys, distance_km, azimuth_deg``."""

    keys: NDArray[np.str_]
    distance_km: NDArray[np.float64]
    azimuth_deg: NDArray[np.float64]

    def __iter__(self) -> Iterator[Any]:
        return iter((self.keys, self.distance_km, self.azimuth_deg))

    def __len__(self) -> int:
        return len(self.keys)

    def to_dict(self) -> dict[str, Any]:
        return {"keys": self.keys.tolist(), "distance_km": self.distance_km.tolist(),
                "azimuth_deg": self.azimuth_deg.tolist()}  # fmt: skip


# --------------------------------------------------------------------------------------------
# Loading


def _read_csv(name: str) -> list[dict[str, str]]:
    """A gazetteer of the package's data folder, checked against its registry (exit 3 naming
    the file when it differs, is missing or cannot be read)."""
    return list(csv.DictReader(io.StringIO(package_text(name), newline="")))


def _coord(row: dict[str, str], name: str) -> tuple[float, float]:
    try:
        lon, lat = float(row["lon"]), float(row["lat"])
    except (KeyError, TypeError, ValueError) as exc:
        raise DataIntegrityError(
            f"{name}: row {row.get('key')!r} has no usable lat/lon ({row.get('lat')!r}, "
            f"{row.get('lon')!r})"
        ) from exc
    if not (math.isfinite(lon) and math.isfinite(lat) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise DataIntegrityError(f"{name}: row {row['key']!r} has out-of-range lat/lon")
    return lon, lat


def _aliases(text: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in (text or "").split("|") if a.strip())


@functools.lru_cache(maxsize=1)
def places() -> tuple[Place, ...]:
    """Every row of ``places_japan.csv`` as :class:`Place` (cached)."""
    out = []
    for row in _read_csv("places_japan.csv"):
        lon, lat = _coord(row, "places_japan.csv")
        out.append(
            Place(
                key=row["key"],
                name_en=row["name_en"],
                name_ja=row["name_ja"],
                lon=lon,
                lat=lat,
                kind=row["kind"],
                source=row["source"],
                disputed=row.get("disputed", "") or "",
                aliases=_aliases(row.get("aliases", "")),
                extent_km=float(row.get("extent_km") or 0.0),
                coord_status=row.get("coord_status", "") or "",
            )  # fmt: skip
        )
    return tuple(out)


def place_by_key(key: str) -> Place:
    """The gazetteer row with this ``key`` (``KeyError`` if none).

    >>> place_by_key("okushiri").name_ja
    '奥尻島'
    """
    return _places_by_key()[key]


@functools.lru_cache(maxsize=1)
def _places_by_key() -> dict[str, Place]:
    # the rows by key alone: a check names its nearest place without the name index
    return {p.key: p for p in places()}


@functools.lru_cache(maxsize=1)
def launch_sites() -> tuple[LaunchSite, ...]:
    """Every row of ``launch_sites.csv`` as :class:`LaunchSite` (cached)."""
    return _launch_table("launch_sites.csv")


@functools.lru_cache(maxsize=1)
def launch_areas() -> tuple[LaunchSite, ...]:
    """Every row of ``launch_areas.csv`` (provinces, cities, areas) as :class:`LaunchSite`
    (cached).

    >>> a = find_launch_site("黄海北道")
    >>> a.key, a.kind, a.extent_km
    ('north-hwanghae', 'province', 90.0)
    """
    return _launch_table("launch_areas.csv")


_AREA_KINDS = frozenset({"province", "city", "area", "region"})


def _launch_table(name: str) -> tuple[LaunchSite, ...]:
    out = []
    for row in _read_csv(name):
        lon, lat = _coord(row, name)
        kind = row.get("kind") or "site"
        try:
            extent = float(row.get("extent_km") or 0.0)
        except ValueError:
            extent = math.nan
        if kind != "site" and (kind not in _AREA_KINDS or not 0 < extent <= 500):
            raise DataIntegrityError(
                f"{name}: row {row.get('key')!r} has kind {kind!r} and extent_km "
                f"{row.get('extent_km')!r}: an area needs a kind among {sorted(_AREA_KINDS)} and "
                "an extent above 0 and at most 500 km"
            )
        out.append(
            LaunchSite(
                key=row["key"],
                name=row["name"],
                name_ko=row.get("name_ko", ""),
                name_ja=row.get("name_ja", ""),
                lon=lon,
                lat=lat,
                source=row["source"],
                aliases=_aliases(row.get("aliases", "")),
                kind=kind,
                extent_km=extent if kind != "site" else 0.0,
            )  # fmt: skip
        )
    return tuple(out)


# --------------------------------------------------------------------------------------------
# Name matching

_PREFS_JA = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県",
    "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県",
    "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府",
    "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県",
    "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県",
    "鹿児島県", "沖縄県",
)  # fmt: skip
_PREFS_EN = frozenset(
    "hokkaido aomori iwate miyagi akita yamagata fukushima ibaraki tochigi gunma saitama chiba "
    "tokyo kanagawa niigata toyama ishikawa fukui yamanashi nagano gifu shizuoka aichi mie shiga "
    "kyoto osaka hyogo nara wakayama tottori shimane okayama hiroshima yamaguchi tokushima kagawa "
    "ehime kochi fukuoka saga nagasaki kumamoto oita miyazaki kagoshima okinawa".split()
)
_DECOR_EN = frozenset(
    "the a an island islands isl is isle islet islets peninsula pen cape c point pt prefecture "
    "pref prefectural ken of off lighthouse coast tip archipelago group area waters near japan "
    "japans japanese airport airbase airfield air base field international testing test ground "
    "site launching launch satellite station missile shipyard county district".split()
)
_SUFFIX_JA = (
    "の沖合", "沖合", "の沖", "沖", "付近", "周辺", "近海", "灯台", "諸島", "列島", "群島",
    "半島", "島", "岬", "崎", "埼", "県", "府", "都", "市", "町", "村",
)  # fmt: skip
_SEGMENT_SPLIT = re.compile(r"[,、，;；/()（）\[\]「」]|\band\b|\bin\b|'s\b|’s\b|の")


def _fold(text: str) -> str:
    """NFKC, casefold, drop accents on Latin letters, unify small ke/ka."""
    s = unicodedata.normalize("NFKC", text).casefold()
    out: list[str] = []
    for ch in s:
        if ord(ch) < 0x2000:
            out.extend(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        else:
            out.append(ch)
    return "".join(out).replace("ヶ", "ケ").replace("ヵ", "カ")


def _squash(text: str) -> str:
    """Comparison key: folded, only letters and digits (any script)."""
    return re.sub(r"[\W_]+", "", _fold(text))


def _strip_decorations(text: str) -> str:
    """Squashed key without decorations, prefecture prefixes and 'Island'/'島' suffixes."""
    s = _fold(text).replace("'s", " ").replace("’s", " ")
    words = re.findall(r"[^\W_]+", s)
    if not words:
        return ""
    # "Akita Prefecture's Oga Peninsula" -> drop everything up to "prefecture".
    for marker in ("prefecture", "pref", "ken"):
        if marker in words[:-1]:
            words = words[words.index(marker) + 1 :]
    while len(words) > 1 and words[0] in _PREFS_EN:
        words = words[1:]
    latin = [w for w in words if w not in _DECOR_EN]
    key = "".join(latin)
    # Japanese: leading prefecture names and trailing decorations.
    changed = True
    while changed and key:
        changed = False
        for pref in _PREFS_JA:
            if key.startswith(pref) and len(key) > len(pref):
                key, changed = key[len(pref) :], True
        for suf in _SUFFIX_JA:
            if key.endswith(suf) and len(key) > len(suf):
                key, changed = key[: -len(suf)], True
    return key


_KIND_WORDS = {
    "island": {"island", "islet", "atoll", "archipelago"}, "isle": {"island", "islet", "atoll"},
    "islands": {"archipelago", "island"}, "peninsula": {"peninsula"}, "cape": {"cape", "lighthouse"},
}  # fmt: skip


def _kind_conflicts(text: str, kind: str) -> bool:
    """Whether the English text names a kind of feature ("Island", "Peninsula", "Cape") that a
    place of ``kind`` is not (a name matched with its decorations stripped)."""
    words = set(re.findall(r"[a-z]+", _fold(text)))
    return any(kind not in kinds for word, kinds in _KIND_WORDS.items() if word in words)


_T = TypeVar("_T", bound="Place | LaunchSite")


class _Index(Generic[_T]):
    """Exact and decoration-stripped lookups plus fuzzy suggestions over one table."""

    def __init__(self, items: Iterable[_T], names: Any) -> None:
        self.items: dict[str, _T] = {}
        self.exact: dict[str, str] = {}
        self.stripped: dict[str, set[str]] = {}
        self.display: dict[str, str] = {}
        for entry in items:
            key: str = entry.key
            self.items[key] = entry
            for name in (key, *names(entry), *entry.aliases):
                if not name:
                    continue
                sq = _squash(name)
                if sq:
                    self.exact.setdefault(sq, key)
                    self.display.setdefault(sq, name)
                st = _strip_decorations(name)
                if st:
                    self.stripped.setdefault(st, set()).add(key)

    def lookup(self, text: str) -> _T | None:
        """Whole-text match: exact, then exact on the stripped form, then stripped-to-stripped."""
        sq = _squash(text)
        if not sq:
            return None
        if sq in self.exact:
            return self.items[self.exact[sq]]
        st = _strip_decorations(text)
        hit: _T | None = None
        if st in self.exact:
            hit = self.items[self.exact[st]]
        else:
            keys = self.stripped.get(st, set())
            if len(keys) == 1:
                hit = self.items[next(iter(keys))]
        if hit is not None and isinstance(hit, Place) and _kind_conflicts(text, hit.kind):
            # "Oshima Island" is not the Oshima Peninsula: the one place of that kind whose
            # name starts so ("Oshima-Oshima", the island the press calls "Oshima island")
            same = {
                k
                for name, keys in self.stripped.items()
                if name.startswith(st)
                for k in keys
                if not _kind_conflicts(text, getattr(self.items[k], "kind", ""))
            }
            return self.items[same.pop()] if len(same) == 1 else None
        return hit

    def resolve(self, text: str) -> _T | None:
        """Whole text, else the most specific of its comma/の-separated segments."""
        hit = self.lookup(text)
        if hit is not None:
            return hit
        best: tuple[float, int, _T] | None = None
        for i, seg in enumerate(s for s in _SEGMENT_SPLIT.split(text) if s and s.strip()):
            found = self.lookup(seg)
            if found is None:
                continue
            # the most specific segment: a place's kind, a launch area's extent (a site: 0)
            rank = (
                found.extent_km
                if isinstance(found, LaunchSite)
                else specificity(found)
            )
            if best is None or (rank, i) < best[:2]:
                best = (rank, i, found)
        return best[2] if best else None

    def suggestions(self, text: str, n: int = 5) -> list[str]:
        keys = [k for k in (_squash(text), _strip_decorations(text)) if k]
        found: list[str] = []
        for key in keys:
            for match in difflib.get_close_matches(key, list(self.exact), n=12, cutoff=0.6):
                item_key = self.exact[match]
                if item_key not in found:
                    found.append(item_key)
        if not found and keys:  # a stripped prefix like "oga" typed as "ogaa"
            for st, item_keys in self.stripped.items():
                sm = difflib.SequenceMatcher(None, keys[-1], st)  # the quick bounds first
                if sm.real_quick_ratio() >= 0.75 and sm.quick_ratio() >= 0.75 and sm.ratio() >= 0.75:
                    found.extend(k for k in sorted(item_keys) if k not in found)
        return [self.label(self.items[k]) for k in found[:n]]

    @staticmethod
    def label(item: Place | LaunchSite) -> str:
        return item.name_en if isinstance(item, Place) else item.name


def specificity(place: Place) -> int:
    """How broad a reference a place is: 0 for an island, cape or lighthouse, 1 for a
    peninsula or archipelago, 2 for a prefecture (a text naming several means the lowest)."""
    return _KIND_RANK.get(place.kind, 0)


@functools.lru_cache(maxsize=1)
def _place_index() -> _Index[Place]:
    return _Index(places(), lambda p: (p.name_en, p.name_ja))


@functools.lru_cache(maxsize=1)
def _site_index() -> _Index[LaunchSite]:
    # sites first: a name both tables know ("Sunan") is the facility, "Sunan area" the area
    return _Index((*launch_sites(), *launch_areas()), lambda s: (s.name, s.name_ko, s.name_ja))


def _unknown(what: str, name: str, suggestions: list[str], table: str) -> UnknownPlaceError:
    if suggestions:
        hint = "did you mean " + ", ".join(repr(s) for s in suggestions) + "?"
    else:
        hint = "no similar name is known"
    return UnknownPlaceError(
        f"unknown {what} {name!r}: {hint} (known names are listed in {table})", suggestions
    )


@functools.lru_cache(maxsize=16_384)
def resolve_place(name: str) -> Place | None:
    """Like :func:`find_place` but returns ``None`` instead of raising (memoised by name)."""
    return _place_index().resolve(name)


def find_place(name: str) -> Place:
    """Look up a Japanese reference place by name, alias or decorated name.

    Raises :class:`~eezcheck.errors.UnknownPlaceError` with the nearest known names in
    ``.suggestions`` (and in the message) when nothing matches.

    >>> find_place("Oga Peninsula").name_ja
    '男鹿半島'
    >>> find_place("島根県隠岐諸島の島後沖").key
    'dogo'
    """
    hit = _place_index().resolve(name)
    if hit is None:
        raise _unknown("place", name, _place_index().suggestions(name), "places_japan.csv")
    return hit


def find_launch_site(name: str) -> LaunchSite:
    """Look up a North Korean launch facility or launch area (English, Korean or Japanese names,
    romanisation variants and aliases).

    >>> find_launch_site("順安").key
    'sunan'
    >>> find_launch_site("Hwanghae-bukto").name
    'North Hwanghae Province'
    """
    hit = _site_index().resolve(name)
    if hit is None:
        raise _unknown(
            "launch site or area",
            name,
            _site_index().suggestions(name),
            "launch_sites.csv and launch_areas.csv",
        )
    return hit


# --------------------------------------------------------------------------------------------
# Nearest place (the descriptions written from it: eezcheck.descriptions)


def _reference_places(include_disputed: bool, include_prefectures: bool) -> tuple[Place, ...]:
    return tuple(
        p
        for p in places()
        if (include_disputed or not p.disputed) and (include_prefectures or p.kind != "prefecture")
    )


@functools.lru_cache(maxsize=4)
def _reference_arrays(
    include_disputed: bool, include_prefectures: bool
) -> tuple[tuple[Place, ...], NDArray[np.float64], NDArray[np.float64]]:
    ref = _reference_places(include_disputed, include_prefectures)
    return ref, np.array([p.lon for p in ref]), np.array([p.lat for p in ref])


def _check_points(
    lons: ArrayLike, lats: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    lon = np.atleast_1d(np.asarray(lons, dtype=float)).ravel()
    lat = np.atleast_1d(np.asarray(lats, dtype=float)).ravel()
    if lon.shape != lat.shape:
        raise InvalidCoordinateError(
            f"lons and lats differ in length ({lon.size} vs {lat.size}); pass one lat per lon"
        )
    bad = ~(np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InvalidCoordinateError(
            f"point {i} (lon={float(lon[i])}, lat={float(lat[i])}) is not a valid coordinate: latitude "
            "must be within -90..90 and both values finite (coordinates are lon, lat)"
        )
    return lon, lat


def nearest_places(
    lons: ArrayLike,
    lats: ArrayLike,
    *,
    include_disputed: bool = False,
    include_prefectures: bool = False,
) -> NearestPlaces:
    """Nearest reference place to each point (``lons, lats`` in degrees), geodesically.

    Candidates are pre-selected with a great-circle distance on the mean sphere, then the
    exact WGS84 geodesic distance and azimuth (from the place to the point) are computed with
    pyproj for the best few. Disputed places and prefecture reference points are left out
    unless asked for, as the MoD does not describe impacts from them.

    >>> keys, dist_km, az = nearest_places([139.0, 143.5], [42.0, 41.5])
    >>> keys.tolist()
    ['okushiri', 'cape-erimo']
    """
    lon, lat = _check_points(lons, lats)
    ref, _, _ = _reference_arrays(include_disputed, include_prefectures)
    idx, dist, az = nearest_place_indices(
        lon, lat, include_disputed=include_disputed, include_prefectures=include_prefectures
    )
    keys = np.array([ref[i].key for i in idx], dtype=str) if lon.size else np.array([], dtype=str)
    return NearestPlaces(keys=keys, distance_km=dist, azimuth_deg=az)


def reference_places(
    *, include_disputed: bool = False, include_prefectures: bool = False
) -> tuple[Place, ...]:
    """The places :func:`nearest_place_indices` numbers (the MoD's references by default)."""
    return _reference_arrays(include_disputed, include_prefectures)[0]


def nearest_place_indices(
    lons: ArrayLike,
    lats: ArrayLike,
    *,
    include_disputed: bool = False,
    include_prefectures: bool = False,
) -> tuple[NDArray[np.intp], NDArray[np.float64], NDArray[np.float64]]:
    """:func:`nearest_places` as indices into :func:`reference_places`, with the distance
    (km) and the azimuth from the place to the point (0..360).

    The 4 nearest places on the mean sphere (for many points from a KD-tree of their unit
    vectors) are pruned by their great-circle distances (usually to one), and the survivors get
    exact geodesics.
    """
    lon, lat = _check_points(lons, lats)
    ref, plon, plat = _reference_arrays(include_disputed, include_prefectures)
    n, m = len(ref), lon.size
    best_i = np.zeros(m, dtype=np.intp)
    best_d = np.zeros(m)
    best_az = np.zeros(m)
    if m == 0:
        return best_i, best_d, best_az
    k = min(4, n)
    for start in range(0, m, _CHUNK):
        sl = slice(start, min(start + _CHUNK, m))
        cand, csph = _sphere_candidates(
            lon[sl], lat[sl], plon, plat, k, include_disputed, include_prefectures
        )
        c = csph.shape[0]
        # exact geodesics only for candidates that can still be the nearest: within twice the
        # sphere/ellipsoid slack of the best sphere distance (usually one per point)
        live = csph <= csph.min(axis=1, keepdims=True) * (1 + 2 * _SPHERE_SLACK) + 1e-9
        rr, cc = np.nonzero(live)
        a_live, d_live = inverse_arrays(
            plon[cand[rr, cc]], plat[cand[rr, cc]], lon[sl][rr], lat[sl][rr]
        )
        dist = np.full((c, k), np.inf)
        az = np.zeros((c, k))
        dist[rr, cc] = d_live / 1000.0
        az[rr, cc] = a_live
        j = np.argmin(dist, axis=1)
        rows = np.arange(c)
        bi, bd, ba = cand[rows, j], dist[rows, j], az[rows, j]
        # Rows where a place outside the k candidates could still be nearer: redo exactly.
        if k < n:
            kth = csph.max(axis=1)
            for r in np.flatnonzero(kth * (1 - _SPHERE_SLACK) < bd):
                a2, _, d2 = GEOD.inv(plon, plat, np.full(n, lon[sl][r]), np.full(n, lat[sl][r]))
                jj = int(np.argmin(d2))
                bi[r], bd[r], ba[r] = jj, d2[jj] / 1000.0, a2[jj]
        best_i[sl], best_d[sl], best_az[sl] = bi, bd, np.mod(ba, 360.0)
    return best_i, best_d, best_az


def _sphere_candidates(
    lon: NDArray[np.float64],
    lat: NDArray[np.float64],
    plon: NDArray[np.float64],
    plat: NDArray[np.float64],
    k: int,
    *tree_key: bool,
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """The k nearest places on the mean sphere (indices) and their great-circle distances (km):
    from a KD-tree of the places' unit vectors for many points, else from every place."""
    if lon.size >= _TREE_MIN:
        chord, near = _reference_tree(*tree_key).query(_unit_sphere(lon, lat), k=k, workers=-1)
        half = np.clip(np.asarray(chord, dtype=float).reshape(-1, k) / 2, 0.0, 1.0)
        return np.asarray(near, dtype=np.intp).reshape(-1, k), 2 * _MEAN_RADIUS_KM * np.arcsin(half)
    qlon, qlat = np.radians(lon)[:, None], np.radians(lat)[:, None]
    rplon, rplat = np.radians(plon), np.radians(plat)
    hav = (
        np.sin((qlat - rplat) / 2) ** 2
        + np.cos(qlat) * np.cos(rplat) * np.sin((qlon - rplon) / 2) ** 2
    )
    sph = 2 * _MEAN_RADIUS_KM * np.arcsin(np.sqrt(np.clip(hav, 0.0, 1.0)))
    n = sph.shape[1]
    cand = (
        np.argpartition(sph, k - 1, axis=1)[:, :k]
        if k < n
        else np.tile(np.arange(n), (sph.shape[0], 1))
    )
    return cand, np.take_along_axis(sph, cand, axis=1)


def _unit_sphere(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.float64]:
    lo, la = np.radians(lon), np.radians(lat)
    c = np.cos(la)
    return np.column_stack([c * np.cos(lo), c * np.sin(lo), np.sin(la)])


@functools.lru_cache(maxsize=4)
def _reference_tree(include_disputed: bool, include_prefectures: bool) -> Any:
    from scipy.spatial import cKDTree

    _, plon, plat = _reference_arrays(include_disputed, include_prefectures)
    return cKDTree(_unit_sphere(plon, plat))


def nearest_place(
    lon: float, lat: float, *, include_disputed: bool = False, include_prefectures: bool = False
) -> NearestPlace:
    """Nearest reference place to (``lon``, ``lat``); see :func:`nearest_places`.

    >>> place, dist_km, az = nearest_place(136.93, 41.6)
    >>> place.key, round(dist_km), round(az)
    ('oshima-oshima', 204, 274)
    """
    res = nearest_places(
        [lon], [lat], include_disputed=include_disputed, include_prefectures=include_prefectures
    )
    return NearestPlace(place_by_key(str(res.keys[0])), float(res.distance_km[0]), float(res.azimuth_deg[0]))
