"""maps/regenerate.py: the README's example maps, drawn by the checkout's own CLI.

The seed morning (the footprint of 5 November 2024) and the one MoD event are regenerated
for real into a temporary folder (each a ``python -m eezcheck map`` process); the table maps
(CNS, a minute under load) are left to ``python maps/regenerate.py`` itself.
"""

from __future__ import annotations

import importlib.util
import re
import shlex
from pathlib import Path

import pytest
from fixtures.mappage import page_data

ROOT = Path(__file__).resolve().parents[1]

pytest.importorskip("js_lib_leaflet")


def regenerate():
    spec = importlib.util.spec_from_file_location("regenerate", ROOT / "maps" / "regenerate.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def readme_map_commands() -> list[list[str]]:
    """Every ``eezcheck map ...`` command in the README's console blocks (continuations joined)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8").replace("\\\n", " ")
    out = []
    for line in re.findall(r"^\$ eezcheck (map .*)$", text, re.M):
        out.append(shlex.split(line.split("  #")[0]))
    return out


def test_every_example_is_a_readme_command():
    readme = readme_map_commands()
    for name, cmd in regenerate().EXAMPLES:
        if "--table" in cmd:
            continue  # the table's path is the README's ../shared path, resolved here
        assert cmd in readme, name


def test_seed_morning_and_the_mod_event_are_regenerated(tmp_path):
    mod = regenerate()
    one = mod.MOD_EVENT
    rc = mod.main(["--out", str(tmp_path), "--only", mod.SEED_MORNING, "--only", one])
    assert rc == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"{mod.SEED_MORNING}.html", f"{one}.html"]
    )
    seed = (tmp_path / f"{mod.SEED_MORNING}.html").read_text(encoding="utf-8")
    assert "<title>5 Nov 2024: at least seven SRBMs from North Hwanghae</title>" in seed
    (fp,) = [s["args"][0] for s in page_data(seed)["draw"] if s["fn"] == "footprint"]
    assert fp["head"].startswith("CANNOT REACH Japan's EEZ")
    oga = (tmp_path / f"{one}.html").read_text(encoding="utf-8")
    assert "<title>about 250 km west of the Oga Peninsula — " in oga
    assert [s["fn"] for s in page_data(oga)["draw"]].count("events") == 1


def test_an_unknown_example_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        regenerate().main(["--out", str(tmp_path), "--only", "nope"])
    assert exc.value.code == 2
    assert "unknown example(s) nope" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
