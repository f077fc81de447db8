"""The wheel carries every registered data file, and every CLI command is documented."""

from __future__ import annotations

import fnmatch
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _package_data_patterns() -> list[str]:
    if sys.version_info < (3, 11):  # pragma: no cover
        pytest.skip("tomllib needs Python 3.11")
    import tomllib

    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return list(cfg["tool"]["setuptools"]["package-data"]["eezcheck.data"])


def test_every_registered_data_file_is_packaged():
    registry = ROOT / "data" / "registry.txt"
    if not registry.exists():
        pytest.skip("no data/registry.txt in this tree")
    names = [line.split()[0] for line in registry.read_text(encoding="utf-8").splitlines() if line.strip()]
    patterns = _package_data_patterns()
    missing = [n for n in names if not any(fnmatch.fnmatch(n, p) for p in patterns)]
    assert missing == [], f"data files left out of the wheel by pyproject package-data: {missing}"
    assert "registry.txt" in [n for n in ["registry.txt"] if any(fnmatch.fnmatch(n, p) for p in patterns)]


def test_every_subpackage_is_listed():
    import tomllib

    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(cfg["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "eezcheck").rglob("__init__.py")
    }
    assert found <= listed, f"packages missing from pyproject: {sorted(found - listed)}"


def test_every_command_has_help_with_an_example():
    from click.testing import CliRunner

    from eezcheck.cli.main import COMMANDS, cli

    runner = CliRunner()
    for name in COMMANDS:
        res = runner.invoke(cli, [name, "--help"])
        assert res.exit_code == 0, (name, res.output)
        assert "eezcheck " + name in res.output or "$ eezcheck" in res.output, name
    assert "README.md" and (ROOT / "README.md").read_text(encoding="utf-8").count("eezcheck check 41.3 138.5") >= 1


def test_every_package_file_is_in_the_wheel():
    """Non-Python files of the package (the map page's JavaScript, CSS and HTML) match the
    package-data patterns of their package, so a built wheel carries them (checked by hand with
    ``pip wheel . --no-deps``: eezcheck/mapping/runtime.js, style.css and page.html are in it)."""
    if sys.version_info < (3, 11):  # pragma: no cover
        pytest.skip("tomllib needs Python 3.11")
    import tomllib

    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = cfg["tool"]["setuptools"]["package-data"]
    missing = []
    for p in (ROOT / "eezcheck").rglob("*"):
        if not p.is_file() or p.suffix in (".py", ".pyc") or "__pycache__" in p.parts:
            continue
        package = ".".join(p.parent.relative_to(ROOT).parts)
        globs = [*patterns.get(package, []), *patterns.get("*", [])]
        if not any(fnmatch.fnmatch(p.name, g) for g in globs):
            missing.append(str(p.relative_to(ROOT)))
    assert missing == [], f"files left out of the wheel by pyproject package-data: {missing}"
    from eezcheck.mapping.page import package_file

    assert "EZ.start" in package_file("runtime.js") and "@@DATA@@" in package_file("page.html")
