"""eezcheck.download against a real HTTP server on 127.0.0.1 serving generated WFS responses."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from fixtures import synthetic as S
from fixtures.wfs_server import Reply, WfsServer, closed_port, serve, silent_listener

from eezcheck import data, download
from eezcheck.boundary_readers import load_dataset_dir
from eezcheck.data import cached_sets, read_registry, resolve_source, verify_dir
from eezcheck.download import (
    DEFAULT_BBOX,
    MARINE_REGIONS_WFS,
    download_marineregions,
    wfs_url,
)
from eezcheck.errors import (
    AxisOrderError,
    DownloadError,
    EezcheckError,
    FileOverwriteError,
    InvalidInputError,
)
from eezcheck.zones import Classifier

GOOD = {
    "eez": S.mr_eez(),
    "eez_12nm": S.mr_12nm(),
    "eez_24nm": S.mr_24nm(),
    "eez_boundaries": S.mr_boundaries(),
}
HTML_404 = b"<!DOCTYPE html><html><head><title>404 Not Found</title></head><body>nope</body></html>"
HTML_ERROR = (
    b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    b"<body><h1>Bad Gateway</h1></body></html>"
)


def good(layer: str) -> Reply:
    return Reply.json(GOOD[layer])


def only_eez(layer: str) -> Reply:
    if layer == "eez":
        return good(layer)
    if layer == "eez_12nm":  # GeoServer's answer for an unknown typeName: XML, HTTP 200
        return Reply(
            200,
            b'<?xml version="1.0" ?><ServiceExceptionReport version="1.2.0"><ServiceException '
            b'code="InvalidParameterValue">Feature type MarineRegions:eez_12nm unknown'
            b"</ServiceException></ServiceExceptionReport>",
            "application/xml",
        )
    if layer == "eez_24nm":
        return Reply.json(S.feature_collection([]))  # empty result
    return Reply(404, HTML_404, "text/html")


def _truncate_length(layer: str) -> Reply:
    body = json.dumps(GOOD[layer]).encode()
    return Reply(200, body[: len(body) // 2], content_length=len(body))


def _cut_json(layer: str) -> Reply:
    body = json.dumps(GOOD[layer]).encode()
    return Reply(200, body[: len(body) // 2])


def _html(layer: str) -> Reply:
    return Reply(200, HTML_ERROR, "text/html")


def _swapped(layer: str) -> Reply:
    return Reply.json(S.swap_axes(GOOD[layer]))


def _error_500(layer: str) -> Reply:
    return Reply(500, b"<html><title>500 Internal Server Error</title><h1>java.lang.NullPointerException</h1></html>", "text/html")


def _late(make: object, bad_layer: str) -> object:
    """Good answers except for ``bad_layer`` (a failure after some files were written)."""

    def route(layer: str) -> Reply:
        return make(layer) if layer == bad_layer else good(layer)  # type: ignore[operator]

    return route


ROUTES = {
    "/good/wfs": good,
    "/only-eez/wfs": only_eez,
    "/truncated/wfs": _truncate_length,
    "/cut/wfs": _cut_json,
    "/html/wfs": _html,
    "/swapped/wfs": _swapped,
    "/error500/wfs": _error_500,
    "/late-cut/wfs": _late(_cut_json, "eez_boundaries"),
    "/late-500/wfs": _late(_error_500, "eez_24nm"),
    "/points/wfs": lambda layer: Reply.json(
        S.feature_collection([{"type": "Feature", "properties": {"mrgid": 1}, "geometry": {"type": "Point", "coordinates": [140, 30]}}])
    ),
    "/no-attrs/wfs": lambda layer: Reply.json(
        S.feature_collection([{"type": "Feature", "properties": {"name": "x"}, "geometry": S.polygon(S.MR_JPN)}])
    ),
    "/empty-eez/wfs": lambda layer: Reply.json(S.feature_collection([])),
    "/not-fc/wfs": lambda layer: Reply.json({"type": "Feature", "geometry": None, "properties": {}}),
}


@pytest.fixture(scope="module")
def server() -> object:
    with serve(ROUTES) as srv:
        yield srv


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "cache"
    monkeypatch.setenv("EEZCHECK_CACHE_DIR", str(root))
    monkeypatch.delenv("EEZCHECK_DATA", raising=False)
    monkeypatch.delenv("EEZCHECK_USE_CACHE", raising=False)
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    return root


def _leftovers(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")) if root.exists() else []


def test_wfs_url_is_wfs_1_0_0_lon_lat_bbox() -> None:
    url = wfs_url(MARINE_REGIONS_WFS, "eez_12nm", DEFAULT_BBOX)
    assert url.startswith("https://geo.vliz.be/geoserver/MarineRegions/wfs?")
    assert "version=1.0.0" in url
    assert "typeName=MarineRegions:eez_12nm" in url
    assert "outputFormat=application/json" in url
    assert "srsName=EPSG:4326" in url
    assert url.endswith("BBOX=100,0,180,60")
    assert wfs_url("http://h/wfs?map=x", "eez", (1.5, 2, 3, 4)).startswith("http://h/wfs?map=x&service=WFS")


def test_good_download_is_a_loadable_active_set(server: WfsServer, cache: Path) -> None:
    messages: list[str] = []
    result = download_marineregions(server.url("/good/wfs"), progress=messages.append)
    target = cache / "marineregions-v12"
    assert result.directory == str(target)
    assert [r.status for r in result.layers] == ["ok"] * 4
    assert len(messages) == 4
    # only the final directory is left
    assert sorted(p.name for p in cache.iterdir()) == ["marineregions-v12"]
    assert sorted(p.name for p in target.iterdir()) == [
        "eez.geojson", "eez_12nm.geojson", "eez_24nm.geojson", "eez_boundaries.geojson",
        "manifest.json", "registry.txt",
    ]
    # requests: WFS 1.0.0, GeoJSON, EPSG:4326 (lon/lat), BBOX in lon/lat order
    queries = [q for path, q in server.requests if path == "/good/wfs"][-4:]
    assert [q["typeName"] for q in queries] == [
        "MarineRegions:eez", "MarineRegions:eez_12nm", "MarineRegions:eez_24nm", "MarineRegions:eez_boundaries",
    ]
    for q in queries:
        assert q["version"] == "1.0.0" and q["request"] == "GetFeature" and q["service"] == "WFS"
        assert q["outputFormat"] == "application/json" and q["srsName"] == "EPSG:4326"
        assert q["BBOX"] == "100,0,180,60"

    manifest = json.loads((target / "manifest.json").read_text())
    assert manifest["kind"] == "marineregions"
    assert manifest["version"] == "v12"
    assert manifest["source"] == "https://doi.org/10.14284/632"
    assert manifest["licence"].startswith("CC BY 4.0")
    assert manifest["files"] == {
        "eez": "eez.geojson", "eez_12nm": "eez_12nm.geojson",
        "eez_24nm": "eez_24nm.geojson", "eez_boundaries": "eez_boundaries.geojson",
    }
    assert manifest["download"]["url_base"] == server.url("/good/wfs")
    assert manifest["download"]["date_utc"].endswith("Z")
    assert manifest["layers"]["eez"]["url"].startswith(server.url("/good/wfs") + "?")
    assert manifest["bbox"] == [100.0, 0.0, 180.0, 60.0]
    registry = read_registry(target)
    assert registry == {**{r.file: r.sha256 for r in result.layers}, "manifest.json": data.sha256_file(target / "manifest.json")}
    assert all(c.ok for c in verify_dir(target))

    # the cache is now the active source, and the set loads as Marine Regions data
    src = resolve_source()
    assert (src.kind, src.path) == ("cache", str(target))
    assert cached_sets() == [target]
    b = load_dataset_dir(target)
    assert b.provenance.version == "v12"
    assert b.provenance.source == "https://doi.org/10.14284/632"
    assert b.manifest is not None and b.manifest["kind"] == "marineregions"
    assert len(b.boundary_lines) == 1
    # plus the embedded land layers (japan_land, foreign_land) that Marine Regions sets borrow
    assert {"foreign_eez", "japan_contiguous_zone", "japan_eez", "japan_territorial_sea", "overlapping_claims"} == {
        n for n in b.layers if not n.endswith("_land")
    }
    clf = Classifier(b)
    lon = [p[0] for p in S.MR_KNOWN_POINTS]
    lat = [p[1] for p in S.MR_KNOWN_POINTS]
    assert clf.classify(lon, lat).zones() == [p[2] for p in S.MR_KNOWN_POINTS]


def test_optional_layers_missing_or_empty_are_recorded(server: WfsServer, cache: Path) -> None:
    result = download_marineregions(server.url("/only-eez/wfs"))
    status = {r.layer: (r.status, r.note) for r in result.layers}
    assert status["eez"] == ("ok", "")
    assert status["eez_12nm"][0] == "unavailable" and "unknown" in status["eez_12nm"][1]
    assert status["eez_24nm"] == ("empty", "no features in the region")
    assert status["eez_boundaries"][0] == "unavailable" and "HTTP 404" in status["eez_boundaries"][1]
    target = Path(result.directory)
    manifest = json.loads((target / "manifest.json").read_text())
    assert manifest["files"] == {"eez": "eez.geojson"}
    assert manifest["layers"]["eez_24nm"]["status"] == "empty"
    assert sorted(p.name for p in target.iterdir()) == ["eez.geojson", "manifest.json", "registry.txt"]
    assert len([a for a in load_dataset_dir(target).areas if a.zone_type.value != "land"]) == 3


@pytest.mark.parametrize(
    ("path", "error", "text"),
    [
        ("/truncated/wfs", DownloadError, "truncated:"),
        ("/cut/wfs", DownloadError, "it is truncated or malformed"),
        ("/html/wfs", DownloadError, "is an HTML page, not GeoJSON"),
        ("/swapped/wfs", AxisOrderError, "coordinates look swapped (lat, lon instead of lon, lat)"),
        ("/error500/wfs", DownloadError, "The server answered HTTP 500"),
        ("/late-cut/wfs", DownloadError, "'eez_boundaries'"),
        ("/late-500/wfs", DownloadError, "HTTP 500 for Marine Regions layer 'eez_24nm'"),
        ("/points/wfs", DownloadError, "no Polygon or MultiPolygon geometries (Point)"),
        ("/no-attrs/wfs", DownloadError, "has no Marine Regions attributes"),
        ("/empty-eez/wfs", DownloadError, "has no features in the region [100.0, 0.0, 180.0, 60.0]"),
        ("/not-fc/wfs", DownloadError, "not a GeoJSON FeatureCollection"),
        ("/nowhere/wfs", DownloadError, "HTTP 404"),
    ],
)
@pytest.mark.parametrize("parser", ["json", "gdal"])
def test_bad_responses_fail_and_leave_nothing(
    server: WfsServer, cache: Path, path: str, error: type[Exception], text: str, parser: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if parser == "gdal":  # as for responses too large to parse with the json module
        monkeypatch.setattr(download, "JSON_PARSE_LIMIT", 0)
    with pytest.raises(error) as info:
        download_marineregions(server.url(path))
    assert text in str(info.value)
    assert "Nothing was kept" in str(info.value) or "nothing was kept" in str(info.value)
    assert _leftovers(cache) == []
    assert resolve_source().kind == "embedded"


def test_truncated_message_gives_byte_counts(server: WfsServer) -> None:
    body = len(json.dumps(GOOD["eez"]).encode())
    with pytest.raises(DownloadError, match=rf"{body // 2:,} bytes received of the {body:,} announced"):
        download_marineregions(server.url("/truncated/wfs"))


def test_axis_order_error_is_a_boundary_data_error(server: WfsServer) -> None:
    with pytest.raises(AxisOrderError) as info:
        download_marineregions(server.url("/swapped/wfs"))
    assert isinstance(info.value, EezcheckError) and isinstance(info.value, OSError)
    assert "WFS 2.0" in str(info.value) and "y (latitude) values from 128 to 145" in str(info.value)


def test_failed_overwrite_keeps_the_old_set(server: WfsServer, cache: Path) -> None:
    first = download_marineregions(server.url("/good/wfs"))
    before = {p.name: p.read_bytes() for p in Path(first.directory).iterdir()}
    with pytest.raises(FileOverwriteError, match="give --overwrite to replace it"):
        download_marineregions(server.url("/good/wfs"))
    with pytest.raises(DownloadError):
        download_marineregions(server.url("/late-cut/wfs"), overwrite=True)
    assert _leftovers(cache) == sorted([f"marineregions-v12/{n}" for n in before] + ["marineregions-v12"])
    assert {p.name: p.read_bytes() for p in Path(first.directory).iterdir()} == before
    # a good overwrite replaces it in one step
    second = download_marineregions(server.url("/only-eez/wfs"), overwrite=True)
    assert second.directory == first.directory
    assert sorted(p.name for p in cache.iterdir()) == ["marineregions-v12"]
    assert json.loads((cache / "marineregions-v12" / "manifest.json").read_text())["files"] == {"eez": "eez.geojson"}


def test_custom_bbox_is_requested_and_recorded(server: WfsServer, cache: Path) -> None:
    result = download_marineregions(server.url("/good/wfs"), bbox=(125, 25, 150, 45))
    assert server.requests[-1][1]["BBOX"] == "125,25,150,45"
    assert result.manifest["bbox"] == [125.0, 25.0, 150.0, 45.0]
    b = load_dataset_dir(result.directory)
    assert b.coverage.bounds == pytest.approx((128.0, 30.0, 145.0, 40.0), abs=1e-6)


@pytest.mark.parametrize("bbox", [(180, 0, 100, 60), (100, -95, 180, 60), (100, 0, 180)])
def test_bad_bbox_is_invalid_input(bbox: tuple[float, ...]) -> None:
    with pytest.raises(InvalidInputError, match="min lon, min lat, max lon, max lat"):
        download_marineregions("http://127.0.0.1:9/wfs", bbox=bbox)  # type: ignore[arg-type]


def test_no_network_fails_fast(cache: Path) -> None:
    start = time.monotonic()
    with pytest.raises(DownloadError) as info:
        download_marineregions(f"http://127.0.0.1:{closed_port()}/wfs")
    assert time.monotonic() - start < 5
    msg = str(info.value)
    assert "connection refused" in msg
    assert "The network is unreachable" in msg
    assert "Offline use needs nothing downloaded: the embedded data set works without a network" in msg
    assert info.value.exit_code == 1
    assert _leftovers(cache) == []


def test_unresolvable_host_fails_fast(cache: Path) -> None:
    start = time.monotonic()
    with pytest.raises(DownloadError, match="The network is unreachable"):
        download_marineregions("http://eezcheck-test.invalid/wfs", timeout=3)
    assert time.monotonic() - start < 5
    assert _leftovers(cache) == []


def test_silent_server_times_out(cache: Path) -> None:
    with silent_listener() as port:
        start = time.monotonic()
        with pytest.raises(DownloadError, match=r"no answer within 0.3 s"):
            download_marineregions(f"http://127.0.0.1:{port}/wfs", timeout=0.3)
        assert time.monotonic() - start < 3
    assert _leftovers(cache) == []


def test_a_partial_directory_is_never_a_set(cache: Path, tmp_path: Path) -> None:
    # what a crash mid-download could leave: a dot-directory with a manifest
    partial = cache / ".marineregions-v12.partial-abc"
    partial.mkdir(parents=True)
    (partial / "manifest.json").write_text("{}")
    assert cached_sets() == []
    assert resolve_source().kind == "embedded"


def test_large_responses_are_checked_with_gdal(server: WfsServer, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(download, "JSON_PARSE_LIMIT", 0)
    result = download_marineregions(server.url("/good/wfs"))
    assert [(r.status, r.features) for r in result.layers] == [("ok", 3), ("ok", 1), ("ok", 1), ("ok", 1)]
    result = download_marineregions(server.url("/only-eez/wfs"), overwrite=True)
    assert [r.status for r in result.layers] == ["ok", "unavailable", "empty", "unavailable"]
    assert len([a for a in load_dataset_dir(result.directory).areas if a.zone_type.value != "land"]) == 3


@pytest.mark.parametrize("url", ["geo.vliz.be/wfs", "ftp://example.org/wfs", "file:///etc/passwd"])
def test_url_base_must_be_http(url: str, cache: Path) -> None:
    with pytest.raises(InvalidInputError, match="is not an http\\(s\\) URL with a host name"):
        download_marineregions(url)
    assert _leftovers(cache) == []


# --------------------------------------------------------------------------- issue 11 item 8


def _endless_server(delay: float, chunk: bytes):
    """A server that answers 200 and then sends ``chunk`` every ``delay`` s, forever."""
    import socket
    import threading

    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    stop = threading.Event()

    def handle(conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n")
                while not stop.is_set():
                    conn.sendall(chunk)
                    time.sleep(delay)
            except OSError:
                pass

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return srv, stop


def test_trickling_server_hits_the_total_deadline(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A byte every 0.05 s never trips the socket timeout; the total deadline stops it."""
    monkeypatch.setattr(download, "DEADLINE_FACTOR", 3)
    srv, stop = _endless_server(0.05, b" ")
    try:
        start = time.monotonic()
        with pytest.raises(DownloadError, match="did not finish in time"):
            download_marineregions(f"http://127.0.0.1:{srv.getsockname()[1]}/wfs", timeout=1.0)
        assert time.monotonic() - start < 3 * 1.0 + 5
    finally:
        stop.set()
        srv.close()
    assert _leftovers(cache) == []


def test_endless_response_hits_the_size_cap(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(download, "MAX_LAYER_BYTES", 200_000)
    srv, stop = _endless_server(0.0, b" " * 65536)
    try:
        with pytest.raises(DownloadError, match="exceeds 200,000 bytes"):
            download_marineregions(f"http://127.0.0.1:{srv.getsockname()[1]}/wfs", timeout=5)
    finally:
        stop.set()
        srv.close()
    assert _leftovers(cache) == []


def test_a_killed_downloads_partial_folder_is_removed(server: WfsServer, cache: Path) -> None:
    import os

    stale = cache / ".marineregions-v12.partial-dead"
    stale.mkdir(parents=True)
    (stale / "eez.geojson").write_text("{")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    download_marineregions(server.url("/good/wfs"))
    assert not stale.exists()
