"""Shared fixtures, and the isolation of every test from the user's environment.

Isolation (automatic, for every test): the run gets its own temporary folder, made when pytest
starts (one per xdist worker) and removed at the end, holding the eezcheck state folder (grid
caches, remembered hashes: ``$EEZCHECK_STATE_DIR``) and cache folder (downloaded data sets:
``$EEZCHECK_CACHE_DIR``); every other ``EEZCHECK_*`` variable of the user's shell (such as
``$EEZCHECK_DATA``) is removed, and ``EEZCHECK_USE_CACHE=0``. A test that changes an
``EEZCHECK_*`` variable gets the run's values back afterwards, whatever it did.

Fixtures:

- ``square``: path (str) of a data-set directory of the synthetic square island
  (:func:`fixtures.synthetic.make_user_dataset`), made once per run;
- ``square_boundaries``: the same island's zones loaded as :class:`~eezcheck.boundaries.Boundaries`;
- ``runner``: a click ``CliRunner``;
- ``mr_path``: the Marine Regions reference clip in ``../shared`` (skips when absent);
- ``browser``: a headless Chromium (:mod:`fixtures.browser`), one per test module.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fixtures import synthetic as S

SHARED = Path(__file__).resolve().parents[2] / "shared"
MR_PATH = SHARED / "data" / "reference" / "marineregions_eez_v12_japan_region.geojson"

_RUN_DIR: str | None = None
_RUN_ENV: dict[str, str] = {}


def pytest_configure(config: pytest.Config) -> None:
    """Before any test module is imported: a private state and cache folder for this run."""
    global _RUN_DIR, _RUN_ENV
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    _RUN_DIR = tempfile.mkdtemp(prefix=f"eezcheck-tests-{worker}-")
    for key in [k for k in os.environ if k.startswith("EEZCHECK_")]:
        del os.environ[key]
    _RUN_ENV = {
        "EEZCHECK_STATE_DIR": os.path.join(_RUN_DIR, "state"),
        "EEZCHECK_CACHE_DIR": os.path.join(_RUN_DIR, "cache"),
        "EEZCHECK_USE_CACHE": "0",
    }
    os.environ.update(_RUN_ENV)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _RUN_DIR is not None:
        shutil.rmtree(_RUN_DIR, ignore_errors=True)


@pytest.fixture(autouse=True)
def _isolated_eezcheck_environment() -> Iterator[None]:
    """Give every test the run's EEZCHECK_* variables, and restore them after it."""
    yield
    for key in [k for k in os.environ if k.startswith("EEZCHECK_") and k not in _RUN_ENV]:
        del os.environ[key]
    os.environ.update(_RUN_ENV)


@pytest.fixture(scope="session")
def square(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A data-set directory of the synthetic square island (see tests/fixtures/synthetic.py)."""
    return str(S.make_user_dataset(tmp_path_factory.mktemp("square") / "set"))


@pytest.fixture(scope="session")
def square_boundaries(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The square island's zones as loaded Boundaries."""
    from eezcheck.boundary_readers import load_user_file

    p = S.write_json(tmp_path_factory.mktemp("square") / "zones.geojson", S.user_collection())
    return load_user_file(p, dataset="square", version="1", claims_policy="synthetic")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def mr_path() -> str:
    """The Marine Regions v12 clip in ../shared (reference data: read, never copied)."""
    if not MR_PATH.exists():
        pytest.skip(f"Marine Regions reference clip not found at {MR_PATH}")
    return str(MR_PATH)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium for the tests of one module (skips without it, or without Playwright)."""
    from fixtures.browser import launch, require_browser

    with launch(require_browser()) as b:
        yield b
