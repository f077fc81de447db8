"""Download Marine Regions EEZ layers into the user cache: the only code that uses the network.

Nothing in eezcheck touches the network except :func:`download_marineregions`, which the user
runs explicitly (``eezcheck data download``). Offline use needs nothing downloaded: the embedded
data set works without a network.

What it does, for the layers ``eez`` (required), ``eez_12nm``, ``eez_24nm`` and
``eez_boundaries`` (optional: an HTTP 404, an "unknown layer" exception report or an empty
result is recorded in the manifest, not fatal):

1. request a WFS **1.0.0** ``GetFeature`` with ``outputFormat=application/json``,
   ``srsName=EPSG:4326`` and a ``BBOX`` filter. WFS 1.0.0 gives longitude/latitude order
   (WFS 2.0 in EPSG:4326 gives latitude/longitude, the classic "rotated EEZ" pitfall), and the
   response is checked anyway: y values beyond ±90 raise :class:`~eezcheck.errors.AxisOrderError`;
2. stream each response to a file inside a temporary directory in the cache root, hashing it
   (sha256) and checking the byte count against ``Content-Length``;
3. validate it: JSON, a ``FeatureCollection``, polygons (lines for ``eez_boundaries``), Marine
   Regions attributes (``mrgid``, ``pol_type``/``geoname``, ``line_type``);
4. write ``manifest.json`` (kind ``marineregions``, dataset, version, DOI, licence, download URLs
   and UTC date) and ``registry.txt`` (pooch's format), check that the set loads
   (:func:`eezcheck.data.load_dataset_dir`), and only then rename the directory into place
   (``<cache>/marineregions-v12``). On any error the temporary directory is removed: a partial
   set is never left behind.

Coordinates are ``lon, lat`` (EPSG:4326, degrees) throughout.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import datetime as _dt
import hashlib
import http.client
import json
import logging
import os
import shutil
import socket
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eezcheck._version import __version__
from eezcheck.data import MANIFEST, user_cache_dir, write_registry
from eezcheck.errors import (
    AxisOrderError,
    DownloadError,
    EezcheckError,
    FileOverwriteError,
    InvalidInputError,
)

log = logging.getLogger(__name__)

MARINE_REGIONS_WFS = "https://geo.vliz.be/geoserver/MarineRegions/wfs"
"""Default ``--url-base``: Marine Regions' GeoServer WFS endpoint."""

DEFAULT_BBOX: tuple[float, float, float, float] = (100.0, 0.0, 180.0, 60.0)
"""Default region requested (min lon, min lat, max lon, max lat)."""

DEFAULT_TIMEOUT_S = 20.0

DEADLINE_FACTOR = 30
"""The whole download must end within ``DEADLINE_FACTOR × timeout`` seconds (10 minutes with
the default 20 s): a server trickling a byte a second is cut off, whatever the socket timeout."""

MAX_LAYER_BYTES = 1 << 30
"""Size cap of one layer's response (1 GiB; the world's EEZ layer is about 0.5 GB): an endless
response cannot fill the disk."""
SET_NAME = "marineregions-v12"
VERSION = "v12"
DOI = "https://doi.org/10.14284/632"
LICENCE = "CC BY 4.0 (Flanders Marine Institute, Maritime Boundaries Geodatabase); no legal value"
ATTRIBUTION = (
    "Flanders Marine Institute (2023). Maritime Boundaries Geodatabase: Maritime Boundaries and "
    "Exclusive Economic Zones (200NM), version 12. https://doi.org/10.14284/632"
)
DATASET = "Marine Regions Maritime Boundaries Geodatabase (EEZ v12)"

LAYERS: tuple[tuple[str, bool], ...] = (
    ("eez", True),
    ("eez_12nm", False),
    ("eez_24nm", False),
    ("eez_boundaries", False),
)
"""(WFS layer name, required) in download order."""

_POLYGONS = ("Polygon", "MultiPolygon")
_LINES = ("LineString", "MultiLineString")
_CHUNK = 1 << 16
_OFFLINE_HINT = (
    "Offline use needs nothing downloaded: the embedded data set works without a network "
    "('eezcheck data info' shows it)."
)


@dataclass(frozen=True)
class LayerResult:
    """What happened to one layer."""

    layer: str
    required: bool
    status: str  # "ok", "unavailable", "empty"
    url: str
    file: str = ""
    features: int = 0
    bytes: int = 0
    sha256: str = ""
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class DownloadResult:
    """A data set written into the user cache."""

    directory: str
    manifest: dict[str, Any]
    layers: tuple[LayerResult, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "directory": self.directory,
            "manifest": self.manifest,
            "layers": [r.to_dict() for r in self.layers],
        }


def wfs_url(url_base: str, layer: str, bbox: tuple[float, float, float, float]) -> str:
    """The WFS 1.0.0 GetFeature URL of one Marine Regions layer inside ``bbox`` (lon/lat).

    Examples
    --------
    >>> wfs_url("https://geo.vliz.be/geoserver/MarineRegions/wfs", "eez", (100, 0, 180, 60))
    'https://geo.vliz.be/geoserver/MarineRegions/wfs?service=WFS&version=1.0.0&request=GetFeature&typeName=MarineRegions:eez&outputFormat=application/json&srsName=EPSG:4326&BBOX=100,0,180,60'
    """
    params = {
        "service": "WFS",
        "version": "1.0.0",
        "request": "GetFeature",
        "typeName": f"MarineRegions:{layer}",
        "outputFormat": "application/json",
        "srsName": "EPSG:4326",
        "BBOX": ",".join(f"{v:g}" for v in bbox),
    }
    sep = "&" if "?" in url_base else "?"
    return url_base + sep + urllib.parse.urlencode(params, safe=":,/")


# --------------------------------------------------------------------------- network


def _network_error(url: str, reason: object, timeout: float) -> DownloadError:
    host = urllib.parse.urlsplit(url).netloc or url
    if isinstance(reason, TimeoutError):
        why = f"no answer within {timeout:g} s"
    elif isinstance(reason, socket.gaierror):
        why = f"the host name cannot be resolved ({reason.strerror or reason})"
    elif isinstance(reason, OSError) and reason.strerror:
        why = reason.strerror.lower()
    else:
        why = str(reason)
    return DownloadError(
        f"Cannot download from {host}: {why}. The network is unreachable (or the server is down); "
        f"nothing was downloaded. {_OFFLINE_HINT} Retry later, or use --timeout / --url-base."
    )


def _resolve_quickly(url: str, timeout: float) -> None:
    """Resolve the host name within ``timeout`` (getaddrinfo itself has no timeout)."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname
    if parts.scheme not in ("http", "https") or not host:
        raise InvalidInputError(
            f"URL {url!r} is not an http(s) URL with a host name; give --url-base like {MARINE_REGIONS_WFS}."
        )
    port = parts.port or (443 if parts.scheme == "https" else 80)
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    try:
        pool.submit(socket.getaddrinfo, host, port).result(timeout=timeout)
    except concurrent.futures.TimeoutError as exc:
        raise _network_error(url, TimeoutError(), timeout) from exc
    except OSError as exc:
        raise _network_error(url, exc, timeout) from exc
    finally:
        pool.shutdown(wait=False)


@dataclass(frozen=True)
class _Fetched:
    status: int
    path: Path
    size: int
    sha256: str
    content_type: str


def _fetch(
    url: str, dest: Path, timeout: float, deadline: float | None = None,
    max_bytes: int | None = None,
) -> _Fetched:
    """Stream ``url`` into ``dest``; HTTP errors come back as a status (body still saved).

    ``deadline`` (a :func:`time.monotonic` time) bounds the whole transfer and ``max_bytes``
    its size: past either, :class:`DownloadError`.
    """
    req = urllib.request.Request(url, headers={"User-Agent": f"eezcheck/{__version__}"})
    max_bytes = MAX_LAYER_BYTES if max_bytes is None else max_bytes
    h = hashlib.sha256()
    size = 0
    try:
        try:
            resp = urllib.request.urlopen(req, timeout=timeout)  # noqa: S310 - http(s) URL by design
        except urllib.error.HTTPError as exc:
            resp = exc  # an HTTP error still has a body (an error page): keep it for the message
        with resp, open(dest, "wb") as out:
            status = int(resp.status or 0)
            declared = resp.headers.get("Content-Length")
            ctype = resp.headers.get("Content-Type", "")
            # read1: what has arrived (read(n) waits for n bytes: a trickle would block for hours)
            read = getattr(resp, "read1", None) or resp.read
            while True:
                if deadline is not None and time.monotonic() > deadline:
                    raise DownloadError(
                        f"The download of {url} did not finish in time (the whole download is "
                        f"limited to {DEADLINE_FACTOR} x --timeout); {size:,} bytes had arrived; "
                        f"nothing was kept. Retry, or give a longer --timeout. {_OFFLINE_HINT}"
                    )
                block = read(_CHUNK)
                if not block:
                    break
                size += len(block)
                if size > max_bytes:
                    raise DownloadError(
                        f"The response from {url} exceeds {max_bytes:,} bytes, more than any "
                        "Marine Regions layer: stopped, nothing was kept. Check --url-base."
                    )
                h.update(block)
                out.write(block)
    except urllib.error.URLError as exc:
        raise _network_error(url, exc.reason, timeout) from exc
    except http.client.IncompleteRead as exc:
        raise DownloadError(
            f"The download of {url} was cut off after {size + len(exc.partial):,} bytes "
            "(truncated response); nothing was kept. Retry 'eezcheck data download'."
        ) from exc
    except TimeoutError as exc:
        if size == 0:
            raise _network_error(url, exc, timeout) from exc
        raise DownloadError(
            f"The download of {url} stalled (no data for {timeout:g} s) after {size:,} bytes; "
            f"nothing was kept. Retry, or give a longer --timeout. {_OFFLINE_HINT}"
        ) from exc
    except (ConnectionError, http.client.HTTPException) as exc:
        raise DownloadError(
            f"The connection broke while downloading {url} after {size:,} bytes ({exc}); nothing "
            "was kept. Retry 'eezcheck data download'."
        ) from exc
    if declared is not None and declared.isdigit() and size != int(declared) and status < 400:
        raise DownloadError(
            f"The response from {url} is truncated: {size:,} bytes received of the {int(declared):,} "
            "announced (Content-Length); nothing was kept. Retry 'eezcheck data download'."
        )
    return _Fetched(status, dest, size, h.hexdigest(), ctype)


# --------------------------------------------------------------------------- validation


class _Unavailable(Exception):
    """The server says this layer does not exist (optional layers only)."""


def _snippet(path: Path, n: int = 200) -> str:
    with open(path, "rb") as fh:
        text = fh.read(4096).decode("utf-8", errors="replace")
    lower = text.lower()
    for tag in ("title", "serviceexception", "ows:exceptiontext", "h1"):
        start = lower.find(f"<{tag}")
        if start >= 0:
            start = lower.find(">", start) + 1
            end = lower.find("<", start)
            inner = " ".join(text[start:end].split())
            if inner:
                return inner[:n]
    return " ".join(text.split())[:n]


@dataclass(frozen=True)
class _Summary:
    """What validation needs to know about a GeoJSON response."""

    features: int
    types: frozenset[str]  # geometry types present
    keys: frozenset[str]  # property names (lower case)
    bounds: tuple[float, float, float, float] | None  # of the wanted geometries


def _coords(geometry: dict[str, Any]) -> Iterator[tuple[float, float]]:
    def walk(c: Any) -> Iterator[tuple[float, float]]:
        if isinstance(c, (list, tuple)) and c and isinstance(c[0], (int, float)):
            if len(c) >= 2:
                yield float(c[0]), float(c[1])
        elif isinstance(c, (list, tuple)):
            for sub in c:
                yield from walk(sub)

    if geometry.get("type") == "GeometryCollection":
        for g in geometry.get("geometries") or []:
            yield from _coords(g)
    else:
        yield from walk(geometry.get("coordinates"))


def _summary_json(fetched: _Fetched, what: str, fix: str, wanted: tuple[str, ...]) -> _Summary:
    """Parse a (small) response with the json module: exact structural checks."""
    try:
        with open(fetched.path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except UnicodeDecodeError as exc:
        raise DownloadError(f"The response for {what} is not text (not GeoJSON): {exc}. {fix}") from exc
    except ValueError as exc:
        raise DownloadError(
            f"The response for {what} is not valid JSON ({exc}): it is truncated or malformed "
            f"({fetched.size:,} bytes received). {fix}"
        ) from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        got = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        raise DownloadError(f"The response for {what} is JSON but not a GeoJSON FeatureCollection (type {got!r}). {fix}")
    features = [f for f in doc["features"] if isinstance(f, dict)]
    shapes = [f["geometry"] for f in features if isinstance(f.get("geometry"), dict)]
    xs: list[float] = []
    ys: list[float] = []
    for g in shapes:
        if g.get("type") in wanted:
            for x, y in _coords(g):
                xs.append(x)
                ys.append(y)
    return _Summary(
        len(features),
        frozenset(str(g.get("type")) for g in shapes),
        frozenset(str(k).lower() for f in features[:50] for k in (f.get("properties") or {})),
        (min(xs), min(ys), max(xs), max(ys)) if xs else None,
    )


def _summary_ogr(fetched: _Fetched, what: str, fix: str, wanted: tuple[str, ...]) -> _Summary:
    """Read a large response with GDAL (pyogrio): no Python object per vertex."""
    import numpy as np
    import pyogrio
    import shapely

    with open(fetched.path, "rb") as fh:
        head = fh.read(4096)
    if b'"FeatureCollection"' not in head:
        raise DownloadError(f"The response for {what} is not a GeoJSON FeatureCollection. {fix}")
    src = f"GeoJSON:{fetched.path}"
    try:
        meta, _fids, wkb, _fields = pyogrio.raw.read(src, columns=[])
        info = pyogrio.read_info(src)
    except Exception as exc:  # noqa: BLE001 - pyogrio raises several GDAL-derived types
        raise DownloadError(
            f"The response for {what} is not valid GeoJSON ({exc}): it is truncated or malformed "
            f"({fetched.size:,} bytes received). {fix}"
        ) from exc
    geoms = shapely.from_wkb(np.asarray(wkb, dtype=object)) if len(wkb) else np.array([], dtype=object)
    present = geoms[~shapely.is_missing(geoms)] if len(geoms) else geoms
    types = shapely.get_type_id(present) if len(present) else np.array([], dtype=int)
    names = np.array(["Point", "LineString", "LinearRing", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon", "GeometryCollection"])
    usable = present[np.isin(names[types], wanted)] if len(present) else present
    tb = shapely.total_bounds(usable) if len(usable) else None
    return _Summary(
        len(geoms),
        frozenset(str(n) for n in names[types]),
        frozenset(str(f).lower() for f in info["fields"]),
        (float(tb[0]), float(tb[1]), float(tb[2]), float(tb[3])) if tb is not None else None,
    )


JSON_PARSE_LIMIT = 32 * 1024 * 1024
"""Responses larger than this (bytes) are validated with GDAL instead of the json module."""


def _validate(
    fetched: _Fetched, url: str, layer: str, required: bool, bbox: tuple[float, float, float, float]
) -> int:
    """Check one response; return its feature count (0: empty). Raises DownloadError,
    AxisOrderError, or _Unavailable (optional layer missing on the server)."""
    what = f"Marine Regions layer {layer!r} from {url}"
    fix = "Nothing was kept. Check --url-base (it must be a Marine Regions WFS endpoint) and retry."
    if fetched.status == 404 and not required:
        raise _Unavailable(f"HTTP 404 ({_snippet(fetched.path, 120)})")
    if fetched.status >= 400:
        raise DownloadError(
            f"The server answered HTTP {fetched.status} for {what}: {_snippet(fetched.path)!r}. {fix}"
        )
    if fetched.size == 0:
        raise DownloadError(f"The server sent an empty response (0 bytes) for {what}. {fix}")
    with open(fetched.path, "rb") as fh:
        head = fh.read(512).lstrip()
    if head.startswith(b"<"):
        snippet = _snippet(fetched.path)
        if not required and b"ServiceException" in head:
            raise _Unavailable(f"the server has no such layer ({snippet})")
        kind = "an HTML page" if b"<html" in head.lower() or b"<!doctype" in head.lower() else "XML"
        raise DownloadError(
            f"The response for {what} is {kind}, not GeoJSON ({fetched.content_type or 'no content type'}): "
            f"{snippet!r}. {fix}"
        )
    wanted = _LINES if layer == "eez_boundaries" else _POLYGONS
    summarise = _summary_json if fetched.size <= JSON_PARSE_LIMIT else _summary_ogr
    summary = summarise(fetched, what, fix, wanted)
    if not summary.features:
        if required:
            raise DownloadError(
                f"The response for {what} has no features in the region {list(bbox)} (lon/lat). Check "
                f"--bbox (min lon, min lat, max lon, max lat). {fix}"
            )
        return 0
    if summary.bounds is None:
        types = sorted(summary.types) or ["no geometry"]
        raise DownloadError(
            f"The response for {what} has {summary.features} features but no {' or '.join(wanted)} "
            f"geometries ({', '.join(types)}). {fix}"
        )
    needed = ({"line_type", "line_id"} if layer == "eez_boundaries" else {"pol_type", "geoname"}) | {"mrgid"}
    if not summary.keys & needed:
        raise DownloadError(
            f"The response for {what} has no Marine Regions attributes (expected some of "
            f"{sorted(needed)}; got {sorted(summary.keys)[:12]}). {fix}"
        )
    _check_axes(summary.bounds, what, bbox)
    return summary.features


def _check_axes(
    data_bounds: tuple[float, float, float, float], what: str, bbox: tuple[float, float, float, float]
) -> None:
    minx, miny, maxx, maxy = data_bounds
    swapped = abs(miny) > 90 or abs(maxy) > 90
    if not swapped:
        # all data outside the requested box, but inside it once swapped: also lat/lon order
        outside = maxx < bbox[0] or minx > bbox[2] or maxy < bbox[1] or miny > bbox[3]
        swapped = outside and not (maxy < bbox[0] or miny > bbox[2] or maxx < bbox[1] or minx > bbox[3])
    if swapped:
        raise AxisOrderError(
            f"The response for {what} has y (latitude) values from {miny:g} to {maxy:g} and x from "
            f"{minx:g} to {maxx:g}: its coordinates look swapped (lat, lon instead of lon, lat), as "
            "WFS 2.0 requests in EPSG:4326 return them. eezcheck requests WFS 1.0.0 (lon/lat); if "
            "--url-base points to a proxy that rewrites the version, request srsName=CRS:84 instead. "
            "Nothing was kept."
        )


# --------------------------------------------------------------------------- the data set


def _utc_now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _check_bbox(bbox: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    if len(bbox) != 4:
        raise InvalidInputError(f"bbox {bbox!r} must have 4 numbers: min lon, min lat, max lon, max lat.")
    minx, miny, maxx, maxy = (float(v) for v in bbox)
    if not (-180 <= minx < maxx <= 360 and -90 <= miny < maxy <= 90):
        raise InvalidInputError(
            f"bbox {list(bbox)} is not min lon, min lat, max lon, max lat with -180 <= lon <= 360 and "
            "-90 <= lat <= 90 (note the order: longitude first)."
        )
    return minx, miny, maxx, maxy


def download_marineregions(
    url_base: str = MARINE_REGIONS_WFS,
    *,
    bbox: tuple[float, float, float, float] = DEFAULT_BBOX,
    timeout: float = DEFAULT_TIMEOUT_S,
    overwrite: bool = False,
    cache_dir: str | os.PathLike[str] | None = None,
    name: str = SET_NAME,
    progress: Callable[[str], None] | None = None,
) -> DownloadResult:
    """Download Marine Regions EEZ v12 layers for ``bbox`` into a data set in the user cache.

    Parameters
    ----------
    url_base : str
        WFS endpoint (default Marine Regions' GeoServer).
    bbox : (min lon, min lat, max lon, max lat)
        Region requested, longitude first.
    timeout : float
        Seconds to wait for a connection or for data (the host lookup too).
    overwrite : bool
        Replace an existing set of the same name (atomically, only once the new one is valid).
    cache_dir : path, optional
        Cache root; default :func:`eezcheck.data.user_cache_dir` (``$EEZCHECK_CACHE_DIR``).
    name : str
        Directory name of the set inside the cache root.
    progress : callable, optional
        Called with a short message before each layer (the library itself never prints).

    Returns
    -------
    DownloadResult
        The final directory, its manifest and one :class:`LayerResult` per layer.

    Raises
    ------
    DownloadError
        No network, HTTP error, truncated or malformed response; nothing is left in the cache.
    AxisOrderError
        A response in latitude/longitude order.
    FileOverwriteError
        The set exists and ``overwrite`` is false.

    Examples
    --------
    It needs the network, so this is not run as a doctest
    (``tests/test_download.py::test_good_download_is_a_loadable_active_set`` runs it against a
    local WFS server)::

        r = download_marineregions()
        r.directory  # '/home/me/.cache/eezcheck/marineregions-v12'
    """
    from eezcheck.boundary_readers import load_dataset_dir

    bbox = _check_bbox(bbox)
    root = Path(cache_dir) if cache_dir is not None else user_cache_dir()
    target = root / name
    if target.exists() and not overwrite:
        raise FileOverwriteError(
            f"A downloaded data set already exists at {str(target)!r}; give --overwrite to replace it "
            "(the old one is kept until the new one is complete and valid)."
        )
    _resolve_quickly(wfs_url(url_base, "eez", bbox), timeout)
    root.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + DEADLINE_FACTOR * timeout
    _remove_stale_partials(root, name, DEADLINE_FACTOR * timeout)
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}.partial-", dir=root))
    os.chmod(tmp, 0o755)  # mkdtemp makes it private; the installed set is an ordinary directory
    try:
        results: list[LayerResult] = []
        for layer, required in LAYERS:
            url = wfs_url(url_base, layer, bbox)
            if progress:
                progress(f"Downloading {layer} from {url_base} ...")
            log.info("GET %s", url)
            dest = tmp / f"{layer}.geojson"
            fetched = _fetch(url, dest, timeout, deadline)
            try:
                count = _validate(fetched, url, layer, required, bbox)
            except _Unavailable as exc:
                dest.unlink()
                results.append(LayerResult(layer, required, "unavailable", url, note=str(exc)))
                log.warning("optional layer %s not available: %s", layer, exc)
                continue
            if count == 0:
                dest.unlink()
                results.append(LayerResult(layer, required, "empty", url, note="no features in the region"))
                continue
            results.append(
                LayerResult(layer, required, "ok", url, dest.name, count, fetched.size, fetched.sha256)
            )
        manifest = _manifest(url_base, bbox, results)
        with open(tmp / MANIFEST, "w", encoding="utf-8") as fh:
            json.dump(manifest, fh, indent=2, sort_keys=True)
            fh.write("\n")
        write_registry(tmp, [r.file for r in results if r.file])
        try:
            load_dataset_dir(tmp)
        except EezcheckError as exc:
            raise DownloadError(
                f"The downloaded layers passed their checks but do not load as a data set: {exc} "
                "Nothing was kept."
            ) from exc
        _move_into_place(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return DownloadResult(str(target), manifest, tuple(results))


def _remove_stale_partials(root: Path, name: str, older_than_s: float) -> None:
    """Remove ``.<name>.partial-*`` folders a killed download left (none can still be running:
    a download ends within its deadline)."""
    now = time.time()
    for d in root.glob(f".{name}.partial-*"):
        with contextlib.suppress(OSError):
            if d.is_dir() and now - d.stat().st_mtime > max(older_than_s, 60.0):
                shutil.rmtree(d, ignore_errors=True)


def _manifest(url_base: str, bbox: tuple[float, float, float, float], results: list[LayerResult]) -> dict[str, Any]:
    from eezcheck.boundary_readers import MARINE_REGIONS_POLICY

    return {
        "kind": "marineregions",
        "dataset": DATASET,
        "version": VERSION,
        "source": DOI,
        "licence": LICENCE,
        "attribution": ATTRIBUTION,
        "claims_policy": MARINE_REGIONS_POLICY,
        "method": (
            "Downloaded with 'eezcheck data download': WFS 1.0.0 GetFeature, outputFormat="
            "application/json, srsName=EPSG:4326 (lon/lat, checked), BBOX filter; unmodified."
        ),
        "bbox": list(bbox),
        "files": {r.layer: r.file for r in results if r.file},
        "layers": {r.layer: {k: v for k, v in r.to_dict().items() if k != "layer"} for r in results},
        "download": {"url_base": url_base, "date_utc": _utc_now(), "eezcheck_version": __version__},
    }


def _move_into_place(tmp: Path, target: Path) -> None:
    """Rename the finished directory to ``target``; an old set is swapped out, then removed."""
    old: Path | None = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        old.rmdir()
        os.replace(target, old)
    try:
        os.replace(tmp, target)
    except OSError:
        if old is not None:
            os.replace(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


__all__ = [
    "DEFAULT_BBOX",
    "LAYERS",
    "MARINE_REGIONS_WFS",
    "DownloadResult",
    "LayerResult",
    "download_marineregions",
    "wfs_url",
]
