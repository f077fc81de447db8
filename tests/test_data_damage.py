"""Damaged data files (issue 11, items 6 and 10): every file of the shipped data set's registry
corrupted, truncated, deleted and edited with its modification time restored, in turn, on a
copy of ``data/`` given as ``$EEZCHECK_DATA``: ``eezcheck check`` exits 3 with a message naming
the file, never an answer. The issue's three repros (a manifest pointing the zones at the
display layer, Okushiri moved 1° in ``places_japan.csv``, a file edited with its mtime
restored) each give exit 3.

The copy links every file to the package's and copies only the one it damages, so each case
is fast (the damage is found by the registry check, before anything is parsed).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from eezcheck import data
from eezcheck.cli.main import cli
from eezcheck.data import REGISTRY, check_file, read_registry, sha256_file
from eezcheck.errors import ChecksumMismatchError

DATA = data.package_data_dir()
pytestmark = pytest.mark.skipif(not (DATA / REGISTRY).exists(), reason="no built data/ in this tree")
ENTRIES = sorted(read_registry(DATA)) if (DATA / REGISTRY).exists() else []
DAMAGES = ["corrupted", "truncated", "deleted", "mtime-restored"]


def linked_copy(target: Path, own: tuple[str, ...] = ()) -> Path:
    """``data/`` as symbolic links, except the files in ``own``, which are copied (to damage)."""
    target.mkdir()
    for p in DATA.iterdir():
        if p.is_file():
            if p.name in own or p.name == REGISTRY:
                (target / p.name).write_bytes(p.read_bytes())
            else:
                (target / p.name).symlink_to(p)
    return target


def damage(path: Path, how: str) -> None:
    raw = path.read_bytes()
    if how == "deleted":
        path.unlink()
        return
    if how == "truncated":
        path.write_bytes(raw[: len(raw) // 2])
        return
    st = os.stat(path)
    i = len(raw) // 2
    flipped = raw[:i] + bytes([raw[i] ^ 0x01]) + raw[i + 1 :]  # same size, one bit
    path.write_bytes(flipped)
    if how == "mtime-restored":
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
        assert os.stat(path).st_mtime_ns == st.st_mtime_ns and os.stat(path).st_size == st.st_size


@pytest.mark.parametrize("how", DAMAGES)
@pytest.mark.parametrize("name", ENTRIES)
def test_every_registered_file_damaged_is_exit_3_naming_it(tmp_path, monkeypatch, name, how):
    d = linked_copy(tmp_path / "data", own=(name,))
    sha256_file(d / name)  # remembered: a restored mtime must not hide the edit
    damage(d / name, how)
    monkeypatch.setenv("EEZCHECK_DATA", str(d))
    r = CliRunner().invoke(cli, ["check", "41.3", "138.5", "--json"])
    assert r.exit_code == 3, r.output
    assert r.stdout == ""
    assert r.stderr.startswith("Error: Data file ") and f"{d / name}" in r.stderr
    assert ("is missing" if how == "deleted" else "is corrupted or truncated") in r.stderr
    assert "Traceback" not in r.output and len(r.stderr.splitlines()) == 1


def test_the_copy_itself_answers(tmp_path, monkeypatch):
    """The same copy, undamaged, answers (so the cases above fail because of the damage)."""
    d = linked_copy(tmp_path / "data", own=("manifest.json",))
    monkeypatch.setenv("EEZCHECK_DATA", str(d))
    r = CliRunner().invoke(cli, ["check", "41.3", "138.5", "--json"])
    assert r.exit_code == 0, r.output
    assert '"japan_eez": "inside"' in r.stdout


def test_manifest_pointing_zones_at_the_display_layer_is_exit_3(tmp_path, monkeypatch):
    """Repro 6a: 'zones' -> the simplified display file changed 75 of 200,000 verdicts."""
    d = linked_copy(tmp_path / "data", own=("manifest.json",))
    m = d / "manifest.json"
    text = m.read_text(encoding="utf-8")
    assert '"zones": "zones.wkb"' in text
    m.write_text(text.replace('"zones": "zones.wkb"', '"zones": "zones_display.geojson"'), encoding="utf-8")
    monkeypatch.setenv("EEZCHECK_DATA", str(d))
    for args in (["check", "41.3", "138.5"], ["map", "41.3", "138.5", "-o", str(tmp_path / "m.html")]):
        r = CliRunner().invoke(cli, args)
        assert r.exit_code == 3, r.output
        assert f"Error: Data file '{m}' is corrupted or truncated" in r.stderr
    assert not (tmp_path / "m.html").exists()


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A linked copy of the package's data folder, with the gazetteers copied (to damage)."""
    return linked_copy(tmp_path / "pkgdata", own=("places_japan.csv", "launch_sites.csv", "launch_areas.csv"))


# The gazetteers are package files, read whatever boundaries are active, and cached for the
# process: each case runs in its own process whose package data folder is the damaged copy.
RUN_WITH_PACKAGE_DATA = (
    "import sys; from pathlib import Path; import eezcheck.data as d; "
    "d.package_data_dir = lambda: Path(sys.argv[1]); "
    "from eezcheck.cli.main import cli; cli(sys.argv[2:], prog_name='eezcheck')"
)


def run_with_package_data(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(data.__file__).parents[1])}
    cmd = [sys.executable, "-c", RUN_WITH_PACKAGE_DATA, str(folder), *args]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)


def test_okushiri_moved_in_the_gazetteer_is_exit_3(package_copy, square):
    """Repro 6b: Okushiri moved 1° turned a P 0.75 wording into 0.999 inside; the gazetteer
    is checked on load, with any boundaries (here the square island's)."""
    g = package_copy / "places_japan.csv"
    text = g.read_text(encoding="utf-8")
    assert "42.14917,139.46722" in text
    g.write_text(text.replace("42.14917,139.46722", "42.14917,138.46722"), encoding="utf-8")
    for args in (["check", "北海道奥尻島の西約200km"], ["check", "北海道奥尻島の西約200km", "--boundaries", square]):
        r = run_with_package_data(package_copy, *args)
        assert r.returncode == 3, (args, r.stdout, r.stderr)
        assert r.stdout == "" and f"'{g}' is corrupted or truncated" in r.stderr
        assert "Traceback" not in r.stderr and len(r.stderr.splitlines()) == 1


def test_the_runner_answers_with_an_intact_copy(package_copy, square):
    r = run_with_package_data(package_copy, "check", "北海道奥尻島の西約200km", "--boundaries", square, "--json")
    assert r.returncode == 0, r.stderr
    assert '"key": "okushiri"' in r.stdout


@pytest.mark.parametrize("name", ["launch_sites.csv", "launch_areas.csv"])
def test_launch_tables_are_checked_on_load(package_copy, square, name):
    damage(package_copy / name, "mtime-restored")
    r = run_with_package_data(package_copy, "reach", "--from", "Sohae", "--range-km", "1000", "--boundaries", square)
    assert r.returncode == 3, r.stdout + r.stderr
    assert f"'{package_copy / name}' is corrupted or truncated" in r.stderr


def test_remembered_hash_sees_an_edit_with_the_mtime_restored(tmp_path):
    """Repro 6c: the remembered hash was keyed on size and mtime."""
    d = tmp_path / "set"
    d.mkdir()
    f = d / "zones.geojson"
    f.write_bytes(b"x" * 3_000_000)
    (d / REGISTRY).write_text(f"zones.geojson sha256:{sha256_file(f)}\n")
    reg = read_registry(d)
    assert check_file(d, "zones.geojson", reg) == f
    damage(f, "mtime-restored")
    with pytest.raises(ChecksumMismatchError, match="zones.geojson"):
        check_file(d, "zones.geojson", reg)
    # a copy keeping every time (cp -p) is a new inode and change time: hashed again
    g = d / "copy.bin"
    g.write_bytes(b"y" * 10)
    st = os.stat(f)
    os.utime(g, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(g, f)
    with pytest.raises(ChecksumMismatchError):
        check_file(d, "zones.geojson", reg)


def test_a_new_process_hashes_in_full(tmp_path):
    """Repro 6c end to end: a run, then zones.wkb edited with its mtime restored, then a new
    run: exit 3 (nothing remembered across processes lets the edit through)."""
    d = linked_copy(tmp_path / "data", own=("zones.wkb",))
    env = {**os.environ, "EEZCHECK_DATA": str(d), "PYTHONPATH": str(Path(data.__file__).parents[1])}
    cmd = [sys.executable, "-m", "eezcheck", "check", "41.3", "138.5"]
    first = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    damage(d / "zones.wkb", "mtime-restored")
    second = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert second.returncode == 3, second.stdout + second.stderr
    assert second.stdout == ""
    assert second.stderr.startswith(f"Error: Data file '{d / 'zones.wkb'}' is corrupted or truncated")


def test_non_utf8_registry_is_exit_3(tmp_path, monkeypatch):
    d = linked_copy(tmp_path / "data")
    (d / REGISTRY).write_bytes((DATA / REGISTRY).read_bytes().replace(b"SOURCES.md", b"SOURCES\xff.md"))
    monkeypatch.setenv("EEZCHECK_DATA", str(d))
    r = CliRunner().invoke(cli, ["check", "41.3", "138.5"])
    assert r.exit_code == 3, r.output
    assert r.stderr.startswith(f"Error: Checksum registry '{d / REGISTRY}' is damaged: byte 7 is not UTF-8 (b'\\xff')")


def test_unreadable_zones_is_exit_3(tmp_path, monkeypatch):
    """zones.wkb that cannot be read (a folder in its place; root reads any mode 000 file)."""
    d = linked_copy(tmp_path / "data", own=("zones.wkb",))
    (d / "zones.wkb").unlink()
    (d / "zones.wkb").mkdir()
    monkeypatch.setenv("EEZCHECK_DATA", str(d))
    r = CliRunner().invoke(cli, ["check", "41.3", "138.5"])
    assert r.exit_code == 3, r.output
    assert r.stderr.startswith(f"Error: Data file '{d / 'zones.wkb'}' cannot be read (Is a directory).")


GAZETTEER_PAYLOAD = (
    "{{ lipsum.__globals__.os.mkdir('PWNED1') }}<img src=x onerror=\"document.title='PWNED2'\">"
    "\x1b]0;PWNED8\x07\u202e\n  Japan's EEZ      outside"
)


def test_hostile_gazetteer_row_is_shown_literally(package_copy, tmp_path):
    """A gazetteer row (registered: not damage) whose English name carries Jinja, HTML, a
    terminal escape, a right-to-left override and a forged line: `check` prints it escaped, the
    map page holds it only as data, nothing runs."""
    import html as _html
    import json as _json

    from fixtures.mappage import page_data

    from eezcheck.cli.terminal import shown
    from eezcheck.data import write_registry

    g = package_copy / "places_japan.csv"
    text = g.read_text(encoding="utf-8")
    assert "oshima-oshima,Oshima-Oshima," in text
    quoted = '"' + GAZETTEER_PAYLOAD.replace('"', '""') + '"'
    g.write_text(text.replace("oshima-oshima,Oshima-Oshima,", f"oshima-oshima,{quoted},"), encoding="utf-8")
    write_registry(package_copy, sorted(read_registry(package_copy)))
    env_cwd = tmp_path / "cwd"
    env_cwd.mkdir()
    r = run_with_package_data(package_copy, "check", "41.3", "138.5")
    assert r.returncode == 0, r.stderr
    assert shown(GAZETTEER_PAYLOAD) in r.stdout
    assert not any(c in r.stdout for c in "\x1b\x07\u202e")
    assert "\n  Japan's EEZ      outside" not in r.stdout  # no forged line
    page = tmp_path / "m.html"
    m = run_with_package_data(package_copy, "map", "41.3", "138.5", "-o", str(page))
    assert m.returncode == 0, m.stderr
    html = page.read_text(encoding="utf-8")
    data = _json.dumps(page_data(html), ensure_ascii=False)
    forms = [_json.dumps(p, ensure_ascii=False)[1:-1] for p in (GAZETTEER_PAYLOAD, _html.escape(GAZETTEER_PAYLOAD))]
    assert any(f in data for f in forms), "the name is not in the page's data"
    outside = html.replace(html[html.find('<script type="application/json"'):], "")
    assert 'onerror="document' not in outside and "PWNED" not in outside
    assert not list(Path.cwd().glob("PWNED*")) and not list(tmp_path.glob("PWNED*"))
