"""``eezcheck data info/list/verify/download`` through click's CliRunner (download: local server)."""

from __future__ import annotations

import hashlib
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from fixtures import synthetic as S
from fixtures.wfs_server import Reply, WfsServer, closed_port, serve

from eezcheck.cli import data as data_cli
from eezcheck.cli.main import cli
from eezcheck.data import package_data_dir, read_registry

SET = "square-island"
SQUARE_SHA = "9706895ef2ca3632bbc5b0f30853fab21ca2f142361d4c2e2bbe51899c6fb840"
GARBAGE_SHA = hashlib.sha256(b"garbage\n").hexdigest()
LAYERS = {"eez": S.mr_eez(), "eez_12nm": S.mr_12nm(), "eez_24nm": S.mr_24nm(), "eez_boundaries": S.mr_boundaries()}


@pytest.fixture(autouse=True)
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in tmp_path, with an empty user cache there and no $EEZCHECK_DATA or proxies."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("EEZCHECK_CACHE_DIR", str(tmp_path / "cache"))
    for var in ("EEZCHECK_DATA", "EEZCHECK_USE_CACHE", "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path / "cache"


@pytest.fixture
def square_here(tmp_path: Path) -> Path:
    S.make_user_dataset(tmp_path / SET)
    return Path(SET)


@pytest.fixture(scope="module")
def server() -> Any:
    def good(layer: str) -> Reply:
        return Reply.json(LAYERS[layer])

    def swapped(layer: str) -> Reply:
        return Reply.json(S.swap_axes(LAYERS[layer]))

    with serve({"/wfs": good, "/swapped/wfs": swapped}) as srv:
        yield srv


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["data", *args], catch_exceptions=False)


def example(epilog: str, command: str) -> tuple[list[str], list[str]]:
    """The output lines shown under ``$ command`` in a help epilog (until a blank line), split
    into stdout and the stderr part starting at 'Error:' (the 'exit N' line is dropped)."""
    lines = epilog.splitlines()
    i = next(n for n, ln in enumerate(lines) if ln.strip().startswith(f"$ {command}"))
    out: list[str] = []
    for ln in lines[i + 1 :]:
        if not ln.strip() or ln.strip().startswith("$"):
            break
        out.append(ln[2:])
    out = [ln for ln in out if not re.fullmatch(r"exit \d", ln)]
    cut = next((n for n, ln in enumerate(out) if ln.startswith("Error:")), len(out))
    return out[:cut], out[cut:]


# --------------------------------------------------------------------------- help


@pytest.mark.parametrize("cmd", [[], ["info"], ["list"], ["verify"], ["download"]])
@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help_has_an_example(cmd: list[str], flag: str) -> None:
    res = run(*cmd, flag)
    assert res.exit_code == 0
    assert "Example" in res.stdout
    assert "$ eezcheck data" in res.stdout


def test_group_lists_the_commands() -> None:
    res = run("--help")
    for name in ("info", "list", "verify", "download"):
        assert re.search(rf"^  {name}\s", res.stdout, re.M), name
    assert "3 data integrity" in res.stdout


# --------------------------------------------------------------------------- info


def test_info_human_matches_the_help_example(square_here: Path) -> None:
    res = run("info", "--boundaries", str(square_here))
    assert res.exit_code == 0, res.output
    out, _ = example(data_cli.INFO_EPILOG, f"eezcheck data info --boundaries {SET}")
    assert res.stdout.splitlines() == out
    assert res.stderr == ""


def test_info_json(square_here: Path) -> None:
    res = run("info", "--boundaries", str(square_here), "--json")
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert len(lines) == 1
    obj = json.loads(lines[0])
    assert lines[0] == json.dumps(obj, sort_keys=True)
    assert obj["active"] == {"kind": "directory", "path": SET, "reason": "given with --boundaries"}
    prov = obj["provenance"]
    assert prov["dataset"] == "Synthetic square island"
    assert prov["version"] == "test-1"
    assert prov["licence"] == "CC0-1.0"
    assert prov["claims_policy"] == "synthetic: as drawn"
    assert prov["method"] == "nested squares drawn by hand"
    assert prov["sha256"] == SQUARE_SHA
    assert obj["coverage_bounds"] == list(S.COVERAGE)
    assert obj["areas"] == 6
    assert {k: v["features"] for k, v in obj["layers"].items()} == {
        "foreign_eez": 1, "japan_contiguous_zone": 1, "japan_eez": 1, "japan_land": 1,
        "japan_territorial_sea": 1, "overlapping_claims": 1,
    }
    assert obj["layers"]["overlapping_claims"]["states"] == ["JPN", "RUS"]
    assert obj["manifest"]["validation"] == {"median_offset_nm": 0.1, "points_checked": 11}
    assert obj["manifest"]["kind"] == "eezcheck"


def test_info_environment_variable(square_here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EEZCHECK_DATA", str(square_here))
    obj = json.loads(run("info", "--json").stdout)
    assert obj["active"]["reason"] == "environment variable EEZCHECK_DATA"
    assert obj["provenance"]["dataset"] == "Synthetic square island"


def test_info_single_marineregions_file(tmp_path: Path) -> None:
    S.write_json(tmp_path / "eez_v12.geojson", S.mr_eez())
    res = run("info", "--boundaries", "eez_v12.geojson")
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines()[:4] == [
        "Active data: eez_v12.geojson (file)",
        "  why: given with --boundaries",
        "dataset:        Marine Regions Maritime Boundaries Geodatabase: EEZ",
        "version:        v12",
    ]
    assert "source:         https://doi.org/10.14284/632" in res.stdout
    assert re.search(r"^  overlapping_claims\s+1  overlapping_claim\s+JPN, KOR$", res.stdout, re.M)


def _bad_file(tmp_path: Path, kind: str) -> Path:
    p = tmp_path / "bad.geojson"
    if kind == "garbage":
        p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    elif kind == "empty":
        p.write_bytes(b"")
    elif kind == "swapped":
        S.write_json(p, S.swap_axes(S.user_collection()))
    elif kind == "points":
        S.write_json(p, S.feature_collection([
            {"type": "Feature", "properties": {"zone_type": "eez", "states": "JPN"},
             "geometry": {"type": "Point", "coordinates": [140, 30]}},
        ]))
    elif kind == "no-zone-type":
        S.write_json(p, S.feature_collection([
            {"type": "Feature", "properties": {"kind": "eez", "states": "JPN"}, "geometry": S.polygon(S.EEZ)},
        ]))
    elif kind == "bad-zone-type":
        S.write_json(p, S.user_collection([("reef", "JPN", "", S.EEZ)]))
    return p


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("garbage", "Error: Boundary file 'bad.geojson' is not a readable vector file ("),
        ("empty", "Error: Boundary file 'bad.geojson' is empty (0 bytes). Download it again."),
        ("swapped", "Error: Boundary file 'bad.geojson' has y (latitude) values from 135 to 152, beyond ±90: its coordinates look swapped"),
        ("points", "Error: Boundary file 'bad.geojson' has no usable polygons (all empty or not polygons)."),
        ("no-zone-type", "Error: Boundary file 'bad.geojson' has no 'zone_type' column (columns: ['kind', 'states'])."),
        ("bad-zone-type", "Error: Boundary file 'bad.geojson', feature 0: zone_type 'reef' is not one of ["),
        ("missing", "Error: Boundary data 'bad.geojson' (given with --boundaries) does not exist."),
    ],
)
def test_info_bad_boundary_files(tmp_path: Path, kind: str, message: str) -> None:
    _bad_file(tmp_path, kind)
    res = run("info", "--boundaries", "bad.geojson")
    assert res.exit_code == 1
    assert res.stdout == ""
    assert res.stderr.startswith(message)


def test_info_corrupted_set_exits_3(square_here: Path) -> None:
    (square_here / "zones.geojson").write_text("garbage\n")
    res = run("info", "--boundaries", str(square_here))
    assert res.exit_code == 3
    assert res.stderr == (
        f"Error: Data file '{SET}/zones.geojson' is corrupted or truncated: sha256 {GARBAGE_SHA} does "
        f"not match the registry's {SQUARE_SHA}. Reinstall eezcheck (pip install --force-reinstall "
        "eezcheck) or run 'eezcheck data download' again; 'eezcheck data verify' checks every file.\n"
    )


# --------------------------------------------------------------------------- list


def test_list(square_here: Path, env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cached = S.make_user_dataset(env / "marineregions-v12", dataset="Marine Regions (fake)", version="v12")
    res = run("list")
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0] == (
        f"* cache       {cached}  Marine Regions (fake) v12  (active: downloaded set in the user cache {env})"
    )
    assert lines[1].startswith(f"  embedded    {package_data_dir()}")
    assert len(lines) == 2
    # $EEZCHECK_DATA comes first and is active
    monkeypatch.setenv("EEZCHECK_DATA", str(square_here))
    lines = run("list").stdout.splitlines()
    out, _ = example(data_cli.LIST_EPILOG, f"EEZCHECK_DATA={SET} eezcheck data list")
    assert lines[0] == out[0]
    assert lines[1].startswith("  cache ")
    # --boundaries beats both
    S.write_json(Path("z.geojson"), S.user_collection())
    lines = run("list", "--boundaries", "z.geojson").stdout.splitlines()
    assert lines[0] == "* option      z.geojson  z.geojson  (active: given with --boundaries)"
    assert [ln.split()[0] for ln in lines[1:]] == ["environment", "cache", "embedded"]


def test_list_json(square_here: Path, env: Path) -> None:
    res = run("list", "--json", "--boundaries", str(square_here))
    assert res.exit_code == 0, res.output
    entries = [json.loads(line) for line in res.stdout.splitlines()]
    for line, obj in zip(res.stdout.splitlines(), entries):
        assert line == json.dumps(obj, sort_keys=True)
    assert [e["kind"] for e in entries] == ["option", "embedded"]
    first = entries[0]
    assert first == {
        "active": True, "dataset": "Synthetic square island", "exists": True, "format": "directory",
        "kind": "option", "name": SET, "path": SET, "problem": "", "reason": "given with --boundaries",
        "version": "test-1",
    }
    assert entries[1]["active"] is False and entries[1]["path"] == str(package_data_dir())


def test_list_marks_a_missing_option(tmp_path: Path) -> None:
    res = run("list", "--boundaries", "nowhere")
    assert res.exit_code == 0
    assert res.stdout.splitlines()[0] == "* option      nowhere  -  [missing]  (active: given with --boundaries)"


# --------------------------------------------------------------------------- verify


def test_verify_ok_matches_the_help_example(square_here: Path) -> None:
    res = run("verify", "--boundaries", str(square_here))
    assert res.exit_code == 0, res.output
    out, _ = example(data_cli.VERIFY_EPILOG, f"eezcheck data verify --boundaries {SET}")
    assert res.stdout.splitlines() == out
    assert res.stderr == ""


def test_verify_json_ok(square_here: Path) -> None:
    res = run("verify", "--boundaries", str(square_here), "--json")
    assert res.exit_code == 0
    obj = json.loads(res.stdout)
    assert obj["ok"] is True and obj["loads"] is True and obj["areas"] == 6
    assert obj["files"][0]["name"] == "manifest.json" and obj["files"][0]["ok"] is True
    assert obj["files"][1:] == [{
        "actual": SQUARE_SHA, "expected": SQUARE_SHA, "name": "zones.geojson", "ok": True,
        "path": f"{SET}/zones.geojson", "problem": "", "size": (square_here / "zones.geojson").stat().st_size,
    }]
    assert obj["registry"] == f"{SET}/registry.txt"


def test_verify_corrupted_exits_3_with_the_help_example_text(square_here: Path) -> None:
    (square_here / "zones.geojson").write_text("garbage\n")
    res = run("verify", "--boundaries", str(square_here))
    assert res.exit_code == 3
    out, err = example(data_cli.VERIFY_EPILOG, f"eezcheck data verify --boundaries {SET}; echo")
    assert res.stdout.splitlines() == out
    assert res.stderr.splitlines() == err
    assert res.stderr == (
        f"Error: Data set '{SET}' failed verification: 1 of 2 files corrupted, truncated or missing.\n"
        f"  zones.geojson: CORRUPTED or TRUNCATED ({SET}/zones.geojson)\n"
        f"    expected sha256 {SQUARE_SHA}\n"
        f"    actual   sha256 {GARBAGE_SHA} (8 bytes)\n"
        "Fix: Restore the file(s) from where this data set came from, or regenerate the set and its "
        "registry.txt; until then give another set with --boundaries or $EEZCHECK_DATA.\n"
    )


def test_verify_truncated_missing_and_json(square_here: Path) -> None:
    raw = (square_here / "zones.geojson").read_bytes()
    (square_here / "extra.geojson").write_bytes(raw)
    S.write_json(square_here / "manifest.json", {**json.loads((square_here / "manifest.json").read_text()), "files": {"zones": "zones.geojson", "more": "extra.geojson"}})
    from eezcheck.data import write_registry

    write_registry(square_here, ["zones.geojson", "extra.geojson"])
    (square_here / "zones.geojson").write_bytes(raw[:100])
    (square_here / "extra.geojson").unlink()
    res = run("verify", "--boundaries", str(square_here), "--json")
    assert res.exit_code == 3
    obj = json.loads(res.stdout)
    assert obj["ok"] is False and obj["loads"] is None
    problems = {f["name"]: f["problem"] for f in obj["files"]}
    assert problems == {"extra.geojson": "missing", "manifest.json": "", "zones.geojson": "sha256 mismatch (corrupted or truncated)"}
    truncated_sha = hashlib.sha256(raw[:100]).hexdigest()
    assert res.stderr == (
        f"Error: Data set '{SET}' failed verification: 2 of 3 files corrupted, truncated or missing.\n"
        f"  extra.geojson: MISSING ({SET}/extra.geojson)\n"
        f"    expected sha256 {SQUARE_SHA}\n"
        f"  zones.geojson: CORRUPTED or TRUNCATED ({SET}/zones.geojson)\n"
        f"    expected sha256 {SQUARE_SHA}\n"
        f"    actual   sha256 {truncated_sha} (100 bytes)\n"
        "Fix: Restore the file(s) from where this data set came from, or regenerate the set and its "
        "registry.txt; until then give another set with --boundaries or $EEZCHECK_DATA.\n"
    )


def test_verify_empty_file(square_here: Path) -> None:
    (square_here / "zones.geojson").write_bytes(b"")
    res = run("verify", "--boundaries", str(square_here))
    assert res.exit_code == 3
    assert "  FAILED  zones.geojson  empty file" in res.stdout
    assert "  zones.geojson: EMPTY FILE (square-island/zones.geojson)" in res.stderr
    assert f"    actual   sha256 {hashlib.sha256(b'').hexdigest()} (0 bytes)" in res.stderr


def test_verify_file_not_in_registry(square_here: Path) -> None:
    manifest = json.loads((square_here / "manifest.json").read_text())
    manifest["files"]["extra"] = "unlisted.geojson"
    S.write_json(square_here / "manifest.json", manifest)
    res = run("verify", "--boundaries", str(square_here))
    assert res.exit_code == 3
    assert "  FAILED  unlisted.geojson  named in manifest.json but not in registry.txt" in res.stdout
    assert "  unlisted.geojson: named in manifest.json but has no sha256 in registry.txt." in res.stderr


def test_verify_registry_missing(square_here: Path) -> None:
    (square_here / "registry.txt").unlink()
    res = run("verify", "--boundaries", str(square_here))
    assert res.exit_code == 3
    assert res.stderr.startswith(f"Error: Checksum registry '{SET}/registry.txt' cannot be read (No such file or directory).")


def test_verify_corrupted_cached_set_suggests_download(env: Path) -> None:
    cached = S.make_user_dataset(env / "marineregions-v12")
    (cached / "zones.geojson").write_text("garbage\n")
    res = run("verify")
    assert res.exit_code == 3
    assert res.stdout.splitlines()[0] == f"Verifying {cached} (cache: downloaded set in the user cache {env})"
    assert res.stderr.endswith("Fix: Download the set again: eezcheck data download --overwrite\n")


def test_verify_single_file(tmp_path: Path) -> None:
    S.write_json(tmp_path / "zones.geojson", S.user_collection())
    res = run("verify", "--boundaries", "zones.geojson")
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines()[:2] == [
        "Verifying zones.geojson (file: given with --boundaries)",
        "  zones.geojson is a single boundary file: it has no checksum registry, so there is nothing "
        "to compare against; it was read and loads.",
    ]
    obj = json.loads(run("verify", "--boundaries", "zones.geojson", "--json").stdout)
    assert obj["registry"] is None and obj["ok"] is True and obj["areas"] == 6


def test_verify_single_broken_file(tmp_path: Path) -> None:
    _bad_file(tmp_path, "garbage")
    res = run("verify", "--boundaries", "bad.geojson")
    assert res.exit_code == 1
    assert "Error: Boundary file 'bad.geojson' is not a readable vector file" in res.stderr


def test_verify_missing_path() -> None:
    res = run("verify", "--boundaries", "nowhere")
    assert res.exit_code == 1
    assert res.stderr == "Error: Boundary data 'nowhere' (given with --boundaries) does not exist.\n"


# --------------------------------------------------------------------------- download


def test_download_then_list_info_verify(server: WfsServer, env: Path) -> None:
    res = run("download", "--url-base", server.url("/wfs"))
    assert res.exit_code == 0, res.output
    target = env / "marineregions-v12"
    lines = res.stdout.splitlines()
    assert lines[0] == f"Downloaded Marine Regions Maritime Boundaries Geodatabase (EEZ v12) into {target}"
    sha = read_registry(target)["eez.geojson"]
    size = (target / "eez.geojson").stat().st_size
    assert lines[1] == f"  eez              ok                 3 features  {size:>13,} bytes  sha256 {sha[:12]}..."
    assert [ln.split()[:2] for ln in lines[2:5]] == [["eez_12nm", "ok"], ["eez_24nm", "ok"], ["eez_boundaries", "ok"]]
    assert lines[5].startswith("Licence: CC BY 4.0") and "https://doi.org/10.14284/632" in lines[5]
    assert lines[6] == f"Active now: yes (downloaded set in the user cache {env})"
    assert res.stderr.count("Downloading ") == 4

    listing = run("list").stdout.splitlines()
    assert listing[0].startswith(f"* cache       {target}  Marine Regions Maritime Boundaries Geodatabase (EEZ v12) v12")
    info = json.loads(run("info", "--json").stdout)
    assert info["active"]["kind"] == "cache"
    assert info["provenance"]["version"] == "v12"
    assert info["manifest"]["kind"] == "marineregions"
    assert info["boundary_lines"] == {"features": 1, "line_types": {"Median line": 1}}
    assert info["layers"]["japan_territorial_sea"]["provenance"]["path"].endswith("eez_12nm.geojson")
    ver = run("verify")
    assert ver.exit_code == 0
    assert re.fullmatch(r"Every file matches registry.txt \(5 files\), and the set loads \(\d+ areas\).", ver.stdout.splitlines()[-1])

    again = run("download", "--url-base", server.url("/wfs"))
    assert again.exit_code == 1
    assert again.stderr == (
        f"Error: A downloaded data set already exists at '{target}'; give --overwrite to replace it "
        "(the old one is kept until the new one is complete and valid).\n"
    )
    js = run("download", "--url-base", server.url("/wfs"), "--overwrite", "--json")
    assert js.exit_code == 0
    obj = json.loads(js.stdout)
    assert js.stdout.strip() == json.dumps(obj, sort_keys=True)
    assert obj["active"] is True and obj["directory"] == str(target)
    assert [la["status"] for la in obj["layers"]] == ["ok"] * 4
    assert js.stderr == ""


def test_download_not_active_when_env_set(server: WfsServer, square_here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EEZCHECK_DATA", str(square_here))
    res = run("download", "--url-base", server.url("/wfs"), "--bbox", "120, 20, 150, 45")
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines()[-1] == f"Active now: no, {SET} is (environment variable EEZCHECK_DATA)."
    assert server.requests[-1][1]["BBOX"] == "120,20,150,45"


def test_download_no_network(env: Path) -> None:
    start = time.monotonic()
    res = run("download", "--url-base", f"http://127.0.0.1:{closed_port()}/wfs", "--timeout", "2")
    assert time.monotonic() - start < 5
    assert res.exit_code == 1
    assert res.stdout == ""
    assert re.fullmatch(
        r"Downloading eez from http://127\.0\.0\.1:\d+/wfs \.\.\.\n"
        r"Error: Cannot download from 127\.0\.0\.1:\d+: connection refused\. The network is unreachable "
        r"\(or the server is down\); nothing was downloaded\. Offline use needs nothing downloaded: the "
        r"embedded data set works without a network \('eezcheck data info' shows it\)\. Retry later, or "
        r"use --timeout / --url-base\.\n",
        res.stderr,
    )
    assert not env.exists() or list(env.iterdir()) == []


def test_download_swapped_axes(server: WfsServer, env: Path) -> None:
    res = run("download", "--url-base", server.url("/swapped/wfs"))
    assert res.exit_code == 1
    assert "Error: The response for Marine Regions layer 'eez' from " in res.stderr
    assert "its coordinates look swapped (lat, lon instead of lon, lat)" in res.stderr
    assert list(env.iterdir()) == []


@pytest.mark.parametrize("bbox", ["100,0,180", "a,b,c,d", "180,0,100,60", "100,-91,180,60"])
def test_download_bad_bbox_is_a_usage_error(bbox: str) -> None:
    res = run("download", "--bbox", bbox)
    assert res.exit_code == 2
    assert "Invalid value for '--bbox'" in res.stderr


def test_download_bad_timeout() -> None:
    res = run("download", "--timeout", "0")
    assert res.exit_code == 2
    assert "Invalid value for '--timeout'" in res.stderr


# --------------------------------------------------------------------------- the embedded set


@pytest.fixture
def embedded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Pretend the package's data/ folder is a synthetic set (the real one may not be built)."""
    from eezcheck import data as data_mod

    d = S.make_user_dataset(tmp_path / "pkg" / "data", dataset="Embedded (synthetic)", version="e1")
    monkeypatch.setattr(data_mod, "package_data_dir", lambda: d)
    monkeypatch.setattr(data_cli, "package_data_dir", lambda: d)
    return d


def test_embedded_is_the_default(embedded: Path) -> None:
    obj = json.loads(run("info", "--json").stdout)
    assert obj["active"] == {
        "kind": "embedded", "path": str(embedded),
        "reason": "embedded default (no option, no $EEZCHECK_DATA, nothing in the user cache)",
    }
    assert obj["provenance"]["dataset"] == "Embedded (synthetic)"
    assert run("list").stdout.splitlines() == [
        f"* embedded    {embedded}  Embedded (synthetic) e1  (active: embedded default (no option, no "
        "$EEZCHECK_DATA, nothing in the user cache))"
    ]
    assert run("verify").exit_code == 0


def test_corrupted_embedded_set_suggests_reinstall(embedded: Path) -> None:
    with open(embedded / "zones.geojson", "r+b") as fh:
        fh.truncate(50)
    res = run("verify")
    assert res.exit_code == 3
    assert res.stderr.endswith(
        "Fix: Reinstall eezcheck (pip install --force-reinstall eezcheck), or rebuild the embedded "
        "data with 'python -m eezcheck.build'.\n"
    )
    assert "(50 bytes)" in res.stderr


def test_embedded_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from eezcheck import data as data_mod

    gone = tmp_path / "pkg" / "data"
    monkeypatch.setattr(data_mod, "package_data_dir", lambda: gone)
    monkeypatch.setattr(data_cli, "package_data_dir", lambda: gone)
    res = run("info")
    assert res.exit_code == 1
    assert res.stderr == (
        f"Error: The embedded boundary data is missing from '{gone}': build it with "
        "'python -m eezcheck.build' or give --boundaries FILE.\n"
    )
    assert run("list").stdout.startswith(f"* embedded    {gone}  -  [missing]")
    gone.mkdir(parents=True)
    assert "[not built: no manifest.json (python -m eezcheck.build)]" in run("list").stdout
    res = run("verify")
    assert res.exit_code == 3
    assert "Checksum registry" in res.stderr and "cannot be read" in res.stderr
