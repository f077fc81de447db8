"""``eezcheck serve``'s JSON API in process (Starlette's TestClient), on the embedded data.

What a script reads: the bytes of ``/api/check`` equal ``eezcheck check --json``; bad input is
a 400 with the CLI's message; every bad request (wrong content type, malformed JSON, an
oversized body, a 10 MB wording string, random bytes as a table, a path in a field) is a clear
4xx and the next request is served; the token, the security headers and the OpenAPI text.
"""

from __future__ import annotations

import json
import os
import time

import pytest
from click.testing import CliRunner

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from eezcheck.cli.main import cli  # noqa: E402
from eezcheck.serve.app import create_app  # noqa: E402
from eezcheck.serve.security import Limits, http_status  # noqa: E402

WORDING_JA = "北海道奥尻島の西約200km"


@pytest.fixture(scope="module")
def client():
    app = create_app(limits=Limits(body_bytes=64 * 1024, upload_bytes=2 * 1024 * 1024))
    with TestClient(app) as c:
        yield c


def _cli_json(*args: str) -> bytes:
    res = CliRunner().invoke(cli, ["check", *args, "--json"])
    assert res.exit_code == 0, res.output
    return res.stdout_bytes


def _ok(client) -> None:
    """The server still answers a good request."""
    r = client.post("/api/check", json={"q": "41.3 138.5"})
    assert r.status_code == 200
    assert r.json()["japan_eez"] == "inside"


def test_check_is_the_cli_json_byte_for_byte(client):
    r = client.post("/api/check", json={"q": WORDING_JA})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json; charset=utf-8"
    assert r.content == _cli_json(WORDING_JA)
    g = client.get("/api/check", params={"q": "41.3 138.5"})
    assert g.content == _cli_json("41.3", "138.5")
    launch = client.post("/api/check", json={"from": "sunan", "range_km": 1000, "bearing": "75"})
    assert launch.content == _cli_json("--from", "sunan", "--range-km", "1000", "--bearing", "75")


PARAGRAPH = (
    "本日、北朝鮮は弾道ミサイル3発を東方向に発射し、約1,000km飛翔しました。1発目は北海道奥尻島の"
    "西約200kmに、2発目は秋田県男鹿半島の西約250kmに、3発目は襟裳岬の東約1,180kmの太平洋上に"
    "落下したものと推定されます。"
)


def test_a_paragraph_with_three_impacts_is_the_cli_list(client):
    r = client.post("/api/check", json={"q": PARAGRAPH})
    assert r.status_code == 200
    assert r.content == _cli_json(PARAGRAPH)
    assert [o["japan_eez"] for o in r.json()][1:] == ["inside", "outside"]
    card = client.post("/api/card", json={"q": PARAGRAPH}).json()
    assert card["impacts"] == 3 and card["headline_en"] == "3 impacts in the text:"


def test_card_has_both_headlines(client):
    r = client.post("/api/card", json={"q": "41.3 138.5"})
    d = r.json()
    assert d["verdict"] == "inside"
    assert d["headline_en"].startswith("INSIDE Japan's EEZ — 163 km inside the limit")
    assert d["headline_ja"].startswith("我が国の排他的経済水域（EEZ）内 — EEZの境界から163km内側")
    assert d["result"]["distance_to_eez_limit_km"] > 0
    reach = client.post("/api/card", json={"from": "sunan", "range_km": 400}).json()
    assert reach["verdict"] == "cannot_reach" and reach["has_point"] is False
    assert reach["headline_ja"].startswith("日本のEEZに届かない")


def test_reach_is_the_cli_json(client):
    r = client.post("/api/reach", json={"from": "sunan", "range_km": 1000})
    res = CliRunner().invoke(cli, ["reach", "--from", "sunan", "--range-km", "1000", "--json"])
    assert r.status_code == 200 and r.content == res.stdout_bytes


def test_bad_input_is_400_with_the_cli_message(client):
    r = client.post("/api/check", json={"q": "about 200 km west of Atlantis"})
    res = CliRunner().invoke(cli, ["check", "about 200 km west of Atlantis"])
    assert res.exit_code == 2
    assert r.status_code == 400
    body = r.json()
    assert body["exit_code"] == 2
    assert body["error"] in res.output
    _ok(client)


@pytest.mark.parametrize(
    ("kwargs", "status", "words"),
    [
        ({"content": b"41.3 138.5", "headers": {"content-type": "text/plain"}}, 415, "takes application/json"),
        ({"content": b"{bad", "headers": {"content-type": "application/json"}}, 400, "malformed JSON"),
        ({"content": b"[1, 2]", "headers": {"content-type": "application/json"}}, 400, "JSON object"),
        ({"json": {"q": "41.3 138.5", "boundaries": "/etc"}}, 400, "unknown field 'boundaries'"),
        ({"json": {"q": "/etc/passwd"}}, 400, "cannot read '/etc/passwd'"),
        ({"json": {"q": "../../../../etc/shadow"}}, 400, "cannot read"),
        ({"json": {"lat": "41.3"}}, 400, "give both lat and lon"),
        ({"json": {}}, 400, "give a point"),
        ({"json": {"q": "x" * 3000}}, 400, "at most 2000"),
        ({"content": b"{" + b" " * 70000 + b"}", "headers": {"content-type": "application/json"}}, 413, "64 kB"),
    ],
)
def test_bad_requests_are_clear_4xx(client, kwargs, status, words):
    r = client.post("/api/check", **kwargs)
    assert r.status_code == status, r.text
    assert words in r.json()["error"]
    assert "Content-Security-Policy" in r.headers
    _ok(client)


def test_ten_megabyte_wording_is_413_and_streamed_bodies_are_counted(client):
    huge = json.dumps({"q": "約" * (10 * 1024 * 1024 // 3)}).encode()
    r = client.post("/api/check", content=huge, headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert "larger than this server's limit of 64 kB for /api/check" in r.json()["error"]

    def chunks():  # no Content-Length: the bytes received are counted
        for _ in range(100):
            yield b" " * 4096

    r = client.post("/api/check", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413 and "or more" in r.json()["error"]
    _ok(client)


def test_table_uploads(client, tmp_path):
    r = client.post("/api/batch", files={"file": ("noise.csv", os.urandom(50_000))})
    assert r.status_code == 400
    assert "encoding" in r.json()["error"] or "column" in r.json()["error"]
    r = client.post("/api/batch", content=b"lat,lon\n1,2\n", headers={"content-type": "text/csv"})
    assert r.status_code == 415 and "file field named 'file'" in r.json()["error"]
    big = b"lat,lon\n" + b"41.3,138.5\n" * 300_000
    r = client.post("/api/batch", files={"file": ("big.csv", big)})
    assert r.status_code == 413 and "--max-upload-mb" in r.json()["error"]
    # a path as the file name is only a name: the table is stored in the server's temp folder
    target = tmp_path / "escaped.csv"
    name = "../../../../" + str(target).lstrip("/")
    r = client.post("/api/batch", files={"file": (name, b"name,lat,lon\na,41.3,138.5\nb,x,1\n")})
    assert r.status_code in (200, 202), r.text
    job = r.json()
    assert job["name"] == "escaped.csv"
    assert not target.exists()
    deadline = time.monotonic() + 180
    while job["state"] == "running" and time.monotonic() < deadline:
        time.sleep(0.1)
        job = client.get(f"/api/batch/{job['id']}").json()
    assert job["state"] == "done", job
    assert job["summary"]["rows"] == 2 and job["summary"]["errors"] == 1
    assert "path" not in json.dumps(job["summary"].get("map") or {})
    assert job["preview"]["columns"][:3] == ["name", "lat", "lon"]
    assert [row[0] for row in job["preview"]["rows"]] == ["a", "b"]
    assert client.get(f"/api/batch/{job['id']}/download/exe").status_code == 400
    assert client.get("/api/batch/nope").status_code == 404
    r = client.post("/api/batch", files={"file": ("t.csv", b"lat,lon\n1,2\n")}, data={"fields": "rm -rf"})
    assert r.status_code == 400 and "rm -rf" in r.json()["error"]
    _ok(client)


def test_map_page_policy_allows_only_its_own_scripts(client):
    hostile = "41.3 138.5"
    r = client.get("/map.html", params={"q": hostile, "embed": "1"})
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in csp and "unsafe-inline" not in csp.split("style-src")[0]
    assert '<script src="/static/bridge.js"></script>' in r.text
    d = client.get("/map.html", params={"q": hostile, "download": "1"})
    assert "attachment" in d.headers["content-disposition"]
    assert "bridge.js" not in d.text


def _page_data(html: str) -> dict:
    start = html.index('id="ez-data">') + len('id="ez-data">')
    return json.loads(html[start : html.index("</script>", start)])


def test_map_of_a_range_without_bearing_is_the_footprint_page_of_map(client, tmp_path):
    r = client.get("/map.html", params={"from": "sunan", "range_km": 400, "download": "1"})
    assert r.status_code == 200
    out = tmp_path / "m.html"
    res = CliRunner().invoke(cli, ["map", "--from", "sunan", "--range-km", "400", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert r.text == out.read_text(encoding="utf-8")


def test_map_of_a_paragraph_draws_every_impact(client):
    r = client.get("/map.html", params={"q": PARAGRAPH, "download": "1"})
    assert r.status_code == 200
    drawn = [e for d in _page_data(r.text)["draw"] if d["fn"] == "events" for e in d["args"][0]]
    assert [e["v"] for e in drawn] == ["uncertain", "inside", "outside"]


def test_page_and_openapi(client):
    r = client.get("/")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    csp = r.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "default-src 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    spec = client.get("/openapi.json").json()
    for path in ("/api/check", "/api/reach", "/api/batch", "/api/batch/{job_id}"):
        assert path in spec["paths"]
    assert client.get("/docs").status_code == 404  # Swagger UI would load from a CDN


def test_token(tmp_path):
    app = create_app(token="s3cret-token", warm=False)
    with TestClient(app, follow_redirects=False) as c:
        assert c.get("/").status_code == 401
        r = c.post("/api/check", json={"q": "41.3 138.5"})
        assert r.status_code == 401 and "token" in r.json()["error"]
        assert c.get("/", headers={"Authorization": "Bearer wrong"}).status_code == 401
        ok = c.post("/api/check", json={"q": "41.3 138.5"}, headers={"Authorization": "Bearer s3cret-token"})
        assert ok.status_code == 200
        r = c.get("/?token=s3cret-token&q=41.3+138.5")
        assert r.status_code == 303 and r.headers["location"] == "/?q=41.3+138.5"
        assert "HttpOnly" in r.headers["set-cookie"]
        assert c.get("/").status_code == 200  # the cookie now carries the token


def test_http_status_is_the_exit_code_contract():
    from eezcheck.errors import (
        BoundaryDataError,
        ChecksumMismatchError,
        InvalidCoordinateError,
        TableFormatError,
    )

    assert http_status(InvalidCoordinateError("x")) == 400
    assert http_status(TableFormatError("x")) == 400
    assert http_status(ChecksumMismatchError("x")) == 503
    assert http_status(BoundaryDataError("x")) == 500
    assert http_status(RuntimeError("x")) == 500


def test_static_files_stay_in_their_folder(client):
    assert client.get("/static/app.js").headers["content-type"].startswith("text/javascript")
    for path in ("/static/app.py", "/static/security.py", "/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py"):
        r = client.get(path)
        assert r.status_code == 404, path


def _done(client, r):
    assert r.status_code in (200, 202), r.text
    job = r.json()
    deadline = time.monotonic() + 180
    while job["state"] == "running" and time.monotonic() < deadline:
        time.sleep(0.1)
        job = client.get(f"/api/batch/{job['id']}").json()
    return job


def _vector_tables(tmp_path):
    """The same two points (Tokyo datum) as a GeoPackage, a zipped Shapefile and its bare .shp."""
    import warnings
    import zipfile

    gpd = pytest.importorskip("geopandas")
    import shapely

    frame = gpd.GeoDataFrame(
        {"name": ["a", "b"]}, geometry=[shapely.Point(138.5, 41.3), shapely.Point(150.0, 30.0)], crs="EPSG:4301"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame.to_file(tmp_path / "pts.gpkg")
        frame.to_file(tmp_path / "pts.shp")
    with zipfile.ZipFile(tmp_path / "pts.zip", "w") as z:
        for ext in ("shp", "shx", "dbf", "prj", "cpg"):
            if (tmp_path / f"pts.{ext}").exists():
                z.write(tmp_path / f"pts.{ext}", f"pts.{ext}")
    return tmp_path / "pts.gpkg", tmp_path / "pts.zip", tmp_path / "pts.shp"


def test_geopackage_and_zipped_shapefile_uploads_are_batch_s_answers(client, tmp_path):
    """A GeoPackage and a zipped Shapefile upload are checked as ``eezcheck batch`` checks the
    file (its own CRS read: EPSG:4301 here), with the same CSV bytes and a map; a bare .shp, a
    zip without a Shapefile and an oversized zip are refused with the fix."""
    gpkg, zipped, bare = _vector_tables(tmp_path)
    for path in (gpkg, zipped):
        job = _done(client, client.post("/api/batch", files={"file": (path.name, path.read_bytes())}))
        assert job["state"] == "done", job
        assert job["name"] == path.name
        assert job["summary"]["rows"] == 2 and job["summary"]["errors"] == 0
        assert any("crs: EPSG:4301 (Tokyo) from the file's CRS" in line for line in job["info"]), job["info"]
        assert job["preview"]["columns"][0] == "name" and [r[0] for r in job["preview"]["rows"]] == ["a", "b"]
        got = client.get(job["downloads"]["csv"])
        out = tmp_path / f"{path.stem}-{path.suffix[1:]}.csv"
        res = CliRunner().invoke(cli, ["batch", str(path), "-o", str(out)])
        assert res.exit_code == 0, res.output
        assert got.content == out.read_bytes()
        page = client.get(job["map"])
        assert page.status_code == 200 and "INSIDE Japan" in page.text
    r = client.post("/api/batch", files={"file": ("pts.shp", bare.read_bytes())})
    assert r.status_code == 400
    assert r.json()["error"] == (
        "'pts.shp' is one file of a Shapefile, which is several files (.shp, .shx, .dbf and .prj): "
        "upload them together as one .zip, or the layer as a GeoPackage (.gpkg)"
    )
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("notes.txt", "no shapefile here")
    r = client.post("/api/batch", files={"file": ("mine.zip", buf.getvalue())})
    assert r.status_code == 400  # the job fails at once: the answer is the error
    message = r.json()["error"]
    assert message.startswith("input 'mine.zip' holds no Shapefile (.shp)") and "'notes.txt'" in message
    big = io.BytesIO()
    with zipfile.ZipFile(big, "w", zipfile.ZIP_STORED) as z:
        z.writestr("pts.shp", os.urandom(3 * 1024 * 1024))
    r = client.post("/api/batch", files={"file": ("big.zip", big.getvalue())})
    assert r.status_code == 413 and "--max-upload-mb" in r.json()["error"]
    _ok(client)


def test_a_zip_that_unzips_too_far_is_refused_before_reading(tmp_path):
    import zipfile

    from eezcheck.batch.vector import check_zipped_shapefile
    from eezcheck.errors import TableFormatError

    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.shp", b"\0" * (4 << 20))
    assert path.stat().st_size < 100_000
    with pytest.raises(TableFormatError, match=r"^input '.*bomb.zip' unzips to 4 MB, more than the 1 MB eezcheck reads from a zip: unzip it and give the .shp$"):
        check_zipped_shapefile(str(path), str(path), max_bytes=1 << 20)
