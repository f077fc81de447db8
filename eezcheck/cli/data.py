"""``eezcheck data``: which boundary data is active, where it came from, is it intact, download.

Subcommands: ``info`` (the active set in detail), ``list`` (every set available), ``verify``
(re-hash files against registry.txt; exit 3 on a corrupted, truncated or missing file) and
``download`` (Marine Regions EEZ v12 into the user cache: the only command that uses the network).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click

from eezcheck.cli import terminal
from eezcheck.cli.errors import handle_errors
from eezcheck.cli.options import CONTEXT
from eezcheck.data import (
    ENV_VAR,
    REGISTRY,
    FileCheck,
    cached_sets,
    package_data_dir,
    read_manifest,
    read_registry,
    resolve_source,
    user_cache_dir,
    verify_dir,
)
from eezcheck.errors import BoundaryDataError, DataIntegrityError, EezcheckError

BOUNDARIES_HELP = (
    "A data-set directory (manifest.json + registry.txt) or a single boundary file to use instead "
    f"of the active set (which is: this option > ${ENV_VAR} > user cache > embedded)."
)

GROUP_EPILOG = f"""\b
Which data is active, in this order: --boundaries > ${ENV_VAR} > a set downloaded into
the user cache ($EEZCHECK_CACHE_DIR or the platform's cache folder; the last by name;
EEZCHECK_USE_CACHE=0 skips it) > the embedded default shipped with eezcheck.

\b
Examples:
  $ eezcheck data list                 # every set, '*' marks the active one
  $ eezcheck data info --json          # the active set: layers, provenance, why active
  $ eezcheck data verify; echo "exit $?"
  $ eezcheck data download --bbox 100,0,180,60

\b
Exit codes: 0 success, 1 error (unreadable data, no network), 2 usage,
3 data integrity (a file does not match its sha256 in registry.txt).
"""


def _dump(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, default=str)


@click.group("data", context_settings=CONTEXT, epilog=GROUP_EPILOG)
def data() -> None:
    """Boundary data: info, list, verify, download.

    Nothing here touches the network except 'eezcheck data download'.
    """


# --------------------------------------------------------------------------- info


_STANDARD_KEYS = {
    "kind", "dataset", "version", "source", "licence", "claims_policy", "method", "files",
    "sha256", "path",
}


def _info_dict(option: str | None) -> dict[str, Any]:
    from eezcheck.boundary_readers import load_active

    src = resolve_source(option)
    b = load_active(option)
    out: dict[str, Any] = {"active": src.to_dict(), **b.summary()}
    out["areas"] = len(b.areas)
    if b.manifest:
        out["manifest"] = dict(b.manifest)
    lines = b.boundary_lines
    if lines:
        types: dict[str, int] = {}
        for ln in lines:
            key = str(ln.line_type or "unknown")
            types[key] = types.get(key, 0) + 1
        out["boundary_lines"] = {"features": len(lines), "line_types": types}
    return out


def _flatten(prefix: str, value: Any) -> list[tuple[str, str]]:
    if isinstance(value, dict) and value:
        rows: list[tuple[str, str]] = []
        for k in sorted(value):
            rows += _flatten(f"{prefix}.{k}" if prefix else str(k), value[k])
        return rows
    if isinstance(value, (list, tuple)):
        return [(prefix, ", ".join(str(v) for v in value) if all(not isinstance(v, (dict, list)) for v in value) else _dump(value))]
    return [(prefix, str(value))]


def _human_info(info: dict[str, Any]) -> list[str]:
    act, prov = info["active"], info["provenance"]
    lines = [
        f"Active data: {act['path']} ({act['kind']})",
        f"  why: {act['reason']}",
    ]
    rows = [
        ("dataset", prov["dataset"]),
        ("version", prov["version"] or "-"),
        ("source", prov["source"] or "-"),
        ("licence", prov["licence"] or "-"),
        ("claims policy", prov["claims_policy"] or "-"),
        ("method", prov["method"] or "-"),
        ("sha256", f"{prov['sha256']} ({Path(prov['path']).name})"),
    ]
    bounds = info.get("coverage_bounds")
    if bounds:
        rows.append(("coverage", f"lon {bounds[0]:g} to {bounds[2]:g}, lat {bounds[1]:g} to {bounds[3]:g}"))
    lines += [f"{name + ':':<15} {value}" for name, value in rows]
    layers = info["layers"]
    lines.append(f"Layers ({info['areas']} areas):")
    lines.append(f"  {'layer':<24} {'features':>8}  {'zone type':<18} states")
    for name, layer in layers.items():
        lines.append(
            f"  {name:<24} {layer['features']:>8}  {layer['zone_type']:<18} {', '.join(layer['states']) or '-'}"
        )
        lp = layer["provenance"]
        if lp["sha256"] != prov["sha256"]:
            lines.append(f"  {'':<24} from {Path(lp['path']).name} ({lp['dataset']}, sha256 {lp['sha256'][:12]}...)")
    bl = info.get("boundary_lines")
    if bl:
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(bl["line_types"].items()))
        lines.append(f"Boundary lines: {bl['features']} ({kinds})")
    manifest = info.get("manifest") or {}
    lines += _area_lines(manifest.get("areas"))
    others = {k: v for k, v in manifest.items() if k not in _STANDARD_KEYS and k != "areas"}
    if others:
        lines.append("Manifest:")
        for key, value in _flatten("", others):
            lines.append(f"  {key}: {value}")
    return lines


def _pct(v: Any) -> str:
    return f"{v:+.2f} %" if isinstance(v, (int, float)) else "-"


def _area_lines(areas: Any) -> list[str]:
    """The build's area figures (geodesic km²) against the published ones."""
    if not isinstance(areas, dict):
        return []
    out = []
    japan = areas.get("japan") or []
    if japan:
        out.append("Japan's areas under Japan's claims (sea only; geodesic km², vs Japan Coast Guard):")
        for r in japan:
            pub = f"{r['published_km2']:>11,}  {_pct(r.get('difference_pct'))}" if "published_km2" in r else ""
            out.append(f"  {r['area'].replace('_', ' '):<38} {r['computed_km2']:>11,}  {pub}".rstrip())
        out += [f"  note ({r['area'].replace('_', ' ')}): {r['note']}" for r in japan if r.get("note")]
    land = areas.get("land") or []
    if land:
        out.append("Land in the coverage (geodesic km²; vs published, or a check of the cut for states the coverage cuts):")
        for r in land:
            ref = f"{r['reference']:<9} {r['reference_km2']:>11,}  {_pct(r.get('difference_pct'))}" if "reference_km2" in r else ""
            out.append(f"  {r['name'] + ' (' + r['state'] + ')':<38} {r['computed_km2']:>11,}  {ref}".rstrip())
    seas = areas.get("foreign_territorial_seas") or []
    if seas:
        out.append("Neighbours' territorial seas (geodesic km²; the part beyond OSM's outline: 12 nm where OSM draws them narrower):")
        for r in seas:
            out.append(f"  {r['name']:<86} {r['computed_km2']:>9,}  {r['beyond_osm_outline_km2']:>7,}")
    return out


INFO_EPILOG = """\b
Example (a data-set directory given with --boundaries):
  $ eezcheck data info --boundaries square-island
  Active data: square-island (directory)
    why: given with --boundaries
  dataset:        Synthetic square island
  version:        test-1
  source:         tests/fixtures/synthetic.py
  licence:        CC0-1.0
  claims policy:  synthetic: as drawn
  method:         nested squares drawn by hand
  sha256:         9706895ef2ca3632bbc5b0f30853fab21ca2f142361d4c2e2bbe51899c6fb840 (zones.geojson)
  coverage:       lon 135 to 152, lat 25 to 36
  Layers (6 areas):
    layer                    features  zone type          states
    foreign_eez                     1  eez                RUS
    japan_contiguous_zone           1  contiguous_zone    JPN
    japan_eez                       1  eez                JPN
    japan_land                      1  land               JPN
    japan_territorial_sea           1  territorial_sea    JPN
    overlapping_claims              1  overlapping_claim  JPN, RUS
  Manifest:
    validation.median_offset_nm: 0.1
    validation.points_checked: 11

\b
  $ eezcheck data info --json
  $ EEZCHECK_DATA=World_EEZ_v12_20231025.gpkg eezcheck data info
"""


@data.command("info", context_settings=CONTEXT, epilog=INFO_EPILOG, short_help="The active data: layers, provenance, why active.")
@click.option("--boundaries", "boundaries", metavar="PATH", default=None, help=BOUNDARIES_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (sorted snake_case keys).")
@handle_errors
def info(boundaries: str | None, as_json: bool) -> None:
    """Details of the active boundary data: layers, feature counts, provenance, why it is active.

    The data is loaded (and its files checked against registry.txt) as 'eezcheck check' would.
    """
    result = _info_dict(boundaries)
    if as_json:
        click.echo(_dump(result))
    else:
        click.echo(terminal.lines(_human_info(result)))


# --------------------------------------------------------------------------- list


def _entry(path: Path, kind: str) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "kind": kind,
        "path": str(path),
        "name": path.name,
        "exists": path.exists(),
        "format": "directory" if path.is_dir() else "file",
        "dataset": "",
        "version": "",
        "problem": "",
    }
    if not path.exists():
        entry["problem"] = "missing"
    elif path.is_dir():
        try:
            manifest = read_manifest(path)
        except EezcheckError as exc:
            missing = not (path / "manifest.json").exists()
            if missing and kind == "embedded":
                entry["problem"] = "not built: no manifest.json (python -m eezcheck.build)"
            else:
                entry["problem"] = "no manifest.json" if missing else str(exc)
        else:
            entry["dataset"] = str(manifest.get("dataset", ""))
            entry["version"] = str(manifest.get("version", ""))
    else:
        entry["dataset"] = path.name
    return entry


def _available(option: str | None) -> list[dict[str, Any]]:
    src = resolve_source(option)
    candidates: list[tuple[Path, str]] = []
    if option:
        candidates.append((Path(option), "option"))
    env = os.environ.get(ENV_VAR)
    if env:
        candidates.append((Path(env), "environment"))
    candidates += [(p, "cache") for p in reversed(cached_sets())]
    candidates.append((package_data_dir(), "embedded"))
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    active_key = os.path.realpath(src.path)
    for path, kind in candidates:
        key = os.path.realpath(path)
        if key in seen:
            continue
        seen.add(key)
        entry = _entry(path, kind)
        entry["active"] = key == active_key
        entry["reason"] = src.reason if entry["active"] else ""
        out.append(entry)
    return out


LIST_EPILOG = f"""\b
One data set per line, in the order they are looked for; '*' marks the active one.
Kinds: option (--boundaries), environment (${ENV_VAR}), cache (downloaded), embedded.

\b
Example:
  $ EEZCHECK_DATA=square-island eezcheck data list
  * environment square-island  Synthetic square island test-1  (active: environment variable EEZCHECK_DATA)
    cache       /home/me/.cache/eezcheck/marineregions-v12  Marine Regions Maritime Boundaries Geodatabase (EEZ v12) v12
    embedded    /usr/lib/python3/site-packages/eezcheck/data  ...

\b
  $ eezcheck data list --json      # one JSON object per line
"""


@data.command("list", context_settings=CONTEXT, epilog=LIST_EPILOG, short_help="Every data set available; * marks the active one.")
@click.option("--boundaries", "boundaries", metavar="PATH", default=None, help=BOUNDARIES_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per data set (sorted keys).")
@handle_errors
def list_cmd(boundaries: str | None, as_json: bool) -> None:
    """List the data sets available (embedded, downloaded, $EEZCHECK_DATA), marking the active one."""
    for entry in _available(boundaries):
        if as_json:
            click.echo(_dump(entry))
            continue
        mark = "*" if entry["active"] else " "
        what = " ".join(x for x in (entry["dataset"], entry["version"]) if x) or "-"
        line = f"{mark} {entry['kind']:<11} {entry['path']}  {what}"
        if entry["problem"]:
            line += f"  [{entry['problem']}]"
        if entry["active"]:
            line += f"  (active: {entry['reason']})"
        terminal.echo(line)


# --------------------------------------------------------------------------- verify


def _fix_for(path: Path, kind: str) -> str:
    if kind == "embedded":
        return (
            "Reinstall eezcheck (pip install --force-reinstall eezcheck), or rebuild the embedded "
            "data with 'python -m eezcheck.build'."
        )
    try:
        in_cache = path.resolve().parent == user_cache_dir().resolve()
    except OSError:
        in_cache = False
    if kind == "cache" or in_cache:
        return "Download the set again: eezcheck data download --overwrite"
    return (
        f"Restore the file(s) from where this data set came from, or regenerate the set and its "
        f"{REGISTRY}; until then give another set with --boundaries or ${ENV_VAR}."
    )


def _describe(c: FileCheck) -> list[str]:
    if c.actual is None:
        return [f"  {c.name}: MISSING ({c.path})", f"    expected sha256 {c.expected}"]
    return [
        f"  {c.name}: {c.problem.upper() if c.problem == 'empty file' else 'CORRUPTED or TRUNCATED'} ({c.path})",
        f"    expected sha256 {c.expected}",
        f"    actual   sha256 {c.actual} ({c.size:,} bytes)",
    ]


VERIFY_EPILOG = f"""\b
Re-hashes every file of the active data set (or of --boundaries DIR) against its {REGISTRY}.
A single boundary file has no registry: verify only checks that it loads.

\b
Examples:
  $ eezcheck data verify --boundaries square-island
  Verifying square-island (directory: given with --boundaries)
    ok      manifest.json  sha256 104c334ca00f0c9bdce4b9bbf764725af30780a4f994e5124bb5b499dbefb214 (324 bytes)
    ok      zones.geojson  sha256 9706895ef2ca3632bbc5b0f30853fab21ca2f142361d4c2e2bbe51899c6fb840 (1,648 bytes)
  Every file matches registry.txt (2 files), and the set loads (6 areas).

\b
  $ echo garbage > square-island/zones.geojson
  $ eezcheck data verify --boundaries square-island; echo "exit $?"
  Verifying square-island (directory: given with --boundaries)
    ok      manifest.json  sha256 104c334ca00f0c9bdce4b9bbf764725af30780a4f994e5124bb5b499dbefb214 (324 bytes)
    FAILED  zones.geojson  sha256 mismatch (corrupted or truncated)
  Error: Data set 'square-island' failed verification: 1 of 2 files corrupted, truncated or missing.
    zones.geojson: CORRUPTED or TRUNCATED (square-island/zones.geojson)
      expected sha256 9706895ef2ca3632bbc5b0f30853fab21ca2f142361d4c2e2bbe51899c6fb840
      actual   sha256 233d4809807d21d1b24ae54639eede42f519dcbe35ca71d51bd051bca59c6a68 (8 bytes)
  Fix: Restore the file(s) from where this data set came from, or regenerate the set and its registry.txt; until then give another set with --boundaries or ${ENV_VAR}.
  exit 3

\b
Exit codes: 0 every file intact, 1 data unreadable, 3 a file corrupted, truncated or missing.
"""


@data.command("verify", context_settings=CONTEXT, epilog=VERIFY_EPILOG, short_help="Re-hash data files against registry.txt (exit 3 if bad).")
@click.option("--boundaries", "boundaries", metavar="DIR", default=None, help=BOUNDARIES_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (sorted snake_case keys).")
@handle_errors
def verify(boundaries: str | None, as_json: bool) -> None:
    """Check every file of a data set against the sha256 in its registry; exit 3 if any differs."""
    src = resolve_source(boundaries)
    path = Path(src.path)
    if not path.exists():
        raise BoundaryDataError(f"Boundary data {src.path!r} ({src.reason}) does not exist.")
    if not as_json:
        terminal.echo(f"Verifying {src.path} ({src.kind}: {src.reason})")
    if path.is_file():
        _verify_file(path, src.to_dict(), as_json)
        return
    result: dict[str, Any] = {"active": src.to_dict(), "path": str(path), "registry": str(path / REGISTRY)}
    checks = verify_dir(path)
    registered = read_registry(path)
    unregistered: list[str] = []
    try:
        manifest = read_manifest(path)
    except EezcheckError:
        manifest = {}
    for name in sorted(set((manifest.get("files") or {}).values())):
        if name not in registered:
            unregistered.append(name)
    bad = [c for c in checks if not c.ok]
    result.update(files=[c.to_dict() for c in checks], unregistered=unregistered)
    if not as_json:
        for c in checks:
            if c.ok:
                terminal.echo(f"  ok      {c.name}  sha256 {c.actual} ({c.size:,} bytes)")
            else:
                terminal.echo(f"  FAILED  {c.name}  {c.problem}")
        for name in unregistered:
            terminal.echo(f"  FAILED  {name}  named in manifest.json but not in {REGISTRY}")
    if bad or unregistered or not checks:
        result.update(ok=False, loads=None, areas=None)
        if as_json:
            click.echo(_dump(result))
        lines = [
            f"Data set {str(path)!r} failed verification: "
            + (
                f"{len(bad)} of {len(checks)} files corrupted, truncated or missing."
                if bad
                else f"its {REGISTRY} lists no files." if not checks else ""
            )
        ]
        for c in bad:
            lines += _describe(c)
        for name in unregistered:
            lines.append(f"  {name}: named in manifest.json but has no sha256 in {REGISTRY}.")
        lines.append(f"Fix: {_fix_for(path, src.kind)}")
        raise DataIntegrityError.from_lines(lines)
    from eezcheck.boundary_readers import load_dataset_dir

    b = load_dataset_dir(path, verify=False)
    result.update(ok=True, loads=True, areas=len(b.areas))
    if as_json:
        click.echo(_dump(result))
    else:
        n = len(checks)
        click.echo(
            f"Every file matches {REGISTRY} ({n} file{'s' if n != 1 else ''}), and the set loads "
            f"({len(b.areas)} areas)."
        )


def _verify_file(path: Path, active: dict[str, str], as_json: bool) -> None:
    from eezcheck.boundary_readers import load_boundaries_file

    b = load_boundaries_file(path)
    note = (
        f"{path.name} is a single boundary file: it has no checksum registry, so there is nothing "
        "to compare against; it was read and loads."
    )
    if as_json:
        click.echo(_dump({
            "active": active, "path": str(path), "registry": None, "files": [], "unregistered": [],
            "ok": True, "loads": True, "areas": len(b.areas), "sha256": b.provenance.sha256, "note": note,
        }))
    else:
        terminal.echo(f"  {note}")
        click.echo(f"  sha256 {b.provenance.sha256}; {len(b.areas)} areas.")


# --------------------------------------------------------------------------- download


def _parse_bbox(ctx: click.Context, param: click.Parameter, value: str) -> tuple[float, float, float, float]:
    try:
        parts = [float(v) for v in value.replace(" ", "").split(",")]
    except ValueError:
        raise click.BadParameter(f"{value!r}: give four numbers, min lon,min lat,max lon,max lat (e.g. 100,0,180,60).") from None
    if len(parts) != 4:
        raise click.BadParameter(f"{value!r}: give four numbers, min lon,min lat,max lon,max lat (e.g. 100,0,180,60).")
    minx, miny, maxx, maxy = parts
    if not (-180 <= minx < maxx <= 360 and -90 <= miny < maxy <= 90):
        raise click.BadParameter(
            f"{value!r}: need min lon < max lon within -180..360 and min lat < max lat within -90..90 "
            "(longitude first)."
        )
    return minx, miny, maxx, maxy


DOWNLOAD_EPILOG = """\b
Downloads the Marine Regions EEZ v12 layers eez (required), eez_12nm, eez_24nm and
eez_boundaries (optional) for the --bbox region from the Marine Regions WFS (version 1.0.0,
longitude/latitude order, checked), validates and hashes them, and installs them atomically
as one data set in the user cache (a failed download leaves nothing behind). Offline use
needs nothing downloaded: the embedded data works without a network.

\b
Data: Flanders Marine Institute (2023), Maritime Boundaries Geodatabase v12,
https://doi.org/10.14284/632, CC BY 4.0; no legal value.

\b
Examples:
  $ eezcheck data download
  Downloading eez from https://geo.vliz.be/geoserver/MarineRegions/wfs ...
  ...
  Downloaded Marine Regions Maritime Boundaries Geodatabase (EEZ v12) into /home/me/.cache/eezcheck/marineregions-v12
    eez              ok                18 features      9,712,811 bytes  sha256 3f0e2b9c51a4...
    eez_12nm         ok                ...
  Active now: yes (downloaded set in the user cache /home/me/.cache/eezcheck)

\b
  $ eezcheck data download --overwrite --timeout 60 --json
  $ eezcheck data download; echo "exit $?"      # no network
  Error: Cannot download from geo.vliz.be: the host name cannot be resolved (...). The network is unreachable (or the server is down); nothing was downloaded. Offline use needs nothing downloaded: the embedded data set works without a network ('eezcheck data info' shows it). Retry later, or use --timeout / --url-base.
  exit 1
"""


@data.command("download", context_settings=CONTEXT, epilog=DOWNLOAD_EPILOG, short_help="Download Marine Regions EEZ v12 into the user cache.")
@click.option(
    "--url-base",
    default="https://geo.vliz.be/geoserver/MarineRegions/wfs",
    show_default=True,
    help="WFS endpoint to request the layers from.",
)
@click.option(
    "--bbox",
    default="100,0,180,60",
    show_default=True,
    callback=_parse_bbox,
    help="Region: min lon,min lat,max lon,max lat (longitude first).",
)
@click.option(
    "--timeout", type=click.FloatRange(min=0.1), default=20.0, show_default=True,
    help="Seconds to wait for the server (connection or data) before giving up.",
)
@click.option("--overwrite", is_flag=True, help="Replace a set downloaded before (only once the new one is complete).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (sorted snake_case keys).")
@handle_errors
def download(url_base: str, bbox: tuple[float, float, float, float], timeout: float, overwrite: bool, as_json: bool) -> None:
    """Download Marine Regions EEZ v12 boundaries into the user cache (needs a network)."""
    from eezcheck.download import download_marineregions

    result = download_marineregions(
        url_base,
        bbox=bbox,
        timeout=timeout,
        overwrite=overwrite,
        progress=None if as_json else (lambda msg: terminal.echo(msg, err=True)),
    )
    src = resolve_source()
    active = Path(src.path).resolve() == Path(result.directory).resolve()
    if as_json:
        out = result.to_dict()
        out["active"] = active
        out["active_source"] = src.to_dict()
        click.echo(_dump(out))
        return
    terminal.echo(f"Downloaded {result.manifest['dataset']} into {result.directory}")
    for r in result.layers:
        if r.status == "ok":
            click.echo(f"  {r.layer:<16} {'ok':<12} {r.features:>7} features  {r.bytes:>13,} bytes  sha256 {r.sha256[:12]}...")
        else:
            terminal.echo(f"  {r.layer:<16} {r.status:<12} {r.note}")
    terminal.echo(f"Licence: {result.manifest['licence']}. Cite: {result.manifest['attribution']}")
    if active:
        terminal.echo(f"Active now: yes ({src.reason})")
    else:
        terminal.echo(f"Active now: no, {src.path} is ({src.reason}).")
