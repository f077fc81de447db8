"""The public API (issue 12, item 6): ``eezcheck.check(lat, lon)`` is a function whatever was
imported before, every name of ``__all__`` resolves, the result enums and errors are exported,
and ``import eezcheck`` stays light."""

from __future__ import annotations

import inspect
import subprocess
import sys
import types


def test_every_public_name_resolves_and_nothing_is_a_module() -> None:
    import eezcheck

    for name in eezcheck.__all__:
        value = getattr(eezcheck, name)
        assert not isinstance(value, types.ModuleType), name


def test_no_exported_name_is_also_a_module() -> None:
    """A package attribute cannot be both a submodule and a function (importing the submodule
    would replace the function): no name of ``__all__`` is a module of the package."""
    import pkgutil

    import eezcheck

    modules = {m.name for m in pkgutil.iter_modules(eezcheck.__path__)}
    assert not modules & set(eezcheck.__all__)
    assert set(eezcheck._LAZY) <= set(eezcheck.__all__)
    assert len(set(eezcheck.__all__)) == len(eezcheck.__all__)


def test_check_and_reach_are_the_functions_after_any_import_order() -> None:
    code = (
        "import eezcheck.checker, eezcheck.results, eezcheck.inputs, eezcheck.cli.check, "
        "eezcheck.approach, eezcheck.cli.reach, eezcheck.footprint, eezcheck; import inspect; "
        "assert inspect.isfunction(eezcheck.check), eezcheck.check; "
        "assert inspect.isfunction(eezcheck.reach), eezcheck.reach; "
        "r = eezcheck.check(41.3, 138.5); print(r.japan_eez.value, type(r.zone).__name__); "
        "s = eezcheck.reach(125.70926, 39.20299, 400); "
        "print(s.can_reach, round(s.closest.distance_km), type(s).__name__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["inside", "Zone", "False", "536", "Reach"]


def test_enums_and_errors_are_exported() -> None:
    import eezcheck
    from eezcheck import errors, zones

    assert eezcheck.Zone is zones.Zone and eezcheck.JapanEEZ is zones.JapanEEZ
    exported = {n for n in eezcheck.__all__ if n.endswith("Error")}
    defined = {n for n, v in vars(errors).items() if inspect.isclass(v) and issubclass(v, Exception)}
    assert exported == defined
    assert issubclass(eezcheck.InvalidCoordinateError, ValueError)


def test_library_lon_lat_arrays_are_keywords() -> None:
    """Checker.evaluate takes the library's lon, lat order by keyword only, beside check's
    latitude-first positional pair."""
    from eezcheck.checker import Checker

    params = inspect.signature(Checker.evaluate).parameters
    assert params["lon"].kind is inspect.Parameter.KEYWORD_ONLY
    assert params["lat"].kind is inspect.Parameter.KEYWORD_ONLY


def test_import_is_light() -> None:
    code = (
        "import sys, eezcheck; print([m for m in ('shapely', 'pyproj', 'numpy', 'scipy') "
        "if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_impact_footprint_is_exported_under_a_name_that_is_no_module() -> None:
    """``eezcheck.footprint`` is the module; its function is ``eezcheck.impact_footprint``
    (lon, lat first, as the library's other functions), the same whatever was imported first."""
    code = (
        "import eezcheck.footprint, eezcheck, inspect; "
        "f = eezcheck.impact_footprint; assert inspect.isfunction(f), f; "
        "assert f is eezcheck.footprint.footprint is eezcheck.footprint.impact_footprint; "
        "assert inspect.ismodule(eezcheck.footprint); "
        "assert list(inspect.signature(f).parameters)[:3] == ['lon', 'lat', 'range_km']; "
        "fp = f(125.70926, 39.20299, 400); print(type(fp).__name__, fp.can_reach)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["Footprint", "False"]
