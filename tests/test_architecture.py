"""The package's layout rules (DESIGN.md, "Layers"): every module sits in one layer and imports
only from its own layer or lower ones; no import cycle (imports inside functions included); no
private name reached across modules (imported, or read as ``module._name``, or as an attribute
``obj._name`` that only another module's classes define); no module over 800 lines.

To add a module, put its name (or its package's ``pkg.*``) in :data:`LAYERS` below, in the
lowest layer whose modules it needs, and in the diagram of DESIGN.md.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "eezcheck"
MAX_LINES = 800

LAYERS: list[tuple[str, list[str]]] = [
    # (layer, modules): lowest first. "pkg.*" covers every module of a package.
    ("foundation", [
        "eezcheck._version", "eezcheck.crs", "eezcheck.errors", "eezcheck.geodesy", "eezcheck.limits",
        "eezcheck.outputs", "eezcheck.states", "eezcheck.territory",
    ]),
    ("data files", ["eezcheck.data", "eezcheck.store"]),
    ("boundary model", ["eezcheck.boundaries", "eezcheck.boundary_readers"]),
    ("geometry and reference", [
        "eezcheck.zones", "eezcheck.distances", "eezcheck.linecells", "eezcheck.places", "eezcheck.descriptions",
        "eezcheck.parsing", "eezcheck.wording",
        "eezcheck.wording.*", "eezcheck.uncertainty", "eezcheck.trajectory",
    ]),
    ("point verdicts", [
        "eezcheck.inputs", "eezcheck.results", "eezcheck.checker", "eezcheck.approach",
        "eezcheck.footprint", "eezcheck.display",
    ]),
    ("tables, maps, downloads", [
        "eezcheck.batch", "eezcheck.batch.*", "eezcheck.mapping", "eezcheck.mapping.*",
        "eezcheck.download",
    ]),
    ("build", ["eezcheck.build", "eezcheck.build.*"]),
    ("interface", [
        "eezcheck", "eezcheck.__main__", "eezcheck.cli", "eezcheck.cli.*", "eezcheck.serve",
        "eezcheck.serve.*",
    ]),
]  # fmt: skip

# Known breaches being removed (issue 12): each entry must still be a breach (the tests say when
# one is fixed, so that it leaves this list), and nothing else may be one.
KNOWN_OVERSIZE: set[str] = set()
KNOWN_UPWARD: set[tuple[str, str]] = set()
KNOWN_CYCLES: set[tuple[str, ...]] = set()
KNOWN_PRIVATE_ATTRIBUTES: set[str] = set()
KNOWN_PRIVATE: set[str] = set()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> int | None:
    """Index in :data:`LAYERS` (an exact name wins over a ``pkg.*`` entry)."""
    for i, (_, names) in enumerate(LAYERS):
        if module in names:
            return i
    best: tuple[int, int] | None = None
    for i, (_, names) in enumerate(LAYERS):
        for n in names:
            if n.endswith(".*") and module.startswith(n[:-1]):
                if best is None or len(n) > best[1]:
                    best = (i, len(n))
    return None if best is None else best[0]


@dataclass
class Module:
    name: str
    path: Path
    imports: dict[str, int] = field(default_factory=dict)  # module -> first line
    private: list[str] = field(default_factory=list)


def _package_of(path: Path, name: str) -> str:
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def scan() -> dict[str, Module]:
    """Every module of the package with the eezcheck modules it imports (anywhere in it)."""
    paths = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
    out: dict[str, Module] = {}
    for name, path in paths.items():
        mod = Module(name, path)
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        aliases: dict[str, str] = {}  # local name -> eezcheck module it is bound to
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    pkg = _package_of(path, name).split(".")
                    pkg = pkg[: len(pkg) - node.level + 1]
                    base = ".".join([*pkg, base] if base else pkg)
                if base != "eezcheck" and not base.startswith("eezcheck."):
                    continue
                for a in node.names:
                    full = f"{base}.{a.name}"
                    target = full if full in paths else base
                    mod.imports.setdefault(target, node.lineno)
                    if full in paths:
                        aliases[a.asname or a.name] = full
                    elif a.name.startswith("_") and not a.name.startswith("__") and target != name:
                        mod.private.append(f"{base}.{a.name}")
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name == "eezcheck" or a.name.startswith("eezcheck."):
                        mod.imports.setdefault(a.name, node.lineno)
                        if a.asname:
                            aliases[a.asname] = a.name
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and aliases[node.value.id] != name
            ):
                mod.private.append(f"{aliases[node.value.id]}.{node.attr}")
        mod.imports.pop(name, None)
        out[name] = mod
    return out


MODULES = scan()


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


_ATTRIBUTE_CALLS = {"getattr", "hasattr", "setattr", "delattr"}


def _named_attribute(node: ast.AST) -> str | None:
    """The attribute that ``getattr(obj, "_x")`` (and setattr, hasattr, delattr,
    ``object.__setattr__``) names, if a constant string."""
    if not isinstance(node, ast.Call) or len(node.args) < 2:
        return None
    f = node.func
    if not (
        (isinstance(f, ast.Name) and f.id in _ATTRIBUTE_CALLS)
        or (isinstance(f, ast.Attribute) and f.attr == "__setattr__")
    ):
        return None
    arg = node.args[1]
    return arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None


def _defined_attributes(tree: ast.Module) -> set[str]:
    """Private attributes a module's classes define: methods, class-level names, ``self._x =``
    and ``object.__setattr__(self, "_x", ...)`` inside them."""
    names: set[str] = set()
    for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
        for node in ast.walk(cls):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
            elif isinstance(node, ast.Assign):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
            elif (attr := _named_attribute(node)) is not None:
                names.add(attr)
    return {n for n in names if _private(n)}


def private_attribute_uses(sources: dict[str, str]) -> set[str]:
    """``"module: expression (defined in ...)"`` for every ``obj._x`` (or ``getattr(obj, "_x")``)
    in a module whose classes do not define ``_x`` while another module's classes do."""
    trees = {name: ast.parse(text) for name, text in sources.items()}
    defined = {name: _defined_attributes(tree) for name, tree in trees.items()}
    owners: dict[str, set[str]] = {}
    for name, attrs in defined.items():
        for a in attrs:
            owners.setdefault(a, set()).add(name)
    found: set[str] = set()
    for name, tree in trees.items():
        for node in ast.walk(tree):
            attr = node.attr if isinstance(node, ast.Attribute) else _named_attribute(node)
            if attr is None or not _private(attr) or attr in defined[name] or attr not in owners:
                continue
            found.add(f"{name}: {ast.unparse(node)} (defined in {', '.join(sorted(owners[attr]))})")
    return found


def _cycles(graph: dict[str, set[str]]) -> Iterator[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()

    def visit(v: str) -> Iterator[list[str]]:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                yield from visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                yield sorted(comp)

    for v in sorted(graph):
        if v not in index:
            yield from visit(v)


def test_every_module_has_a_layer() -> None:
    unknown = sorted(m for m in MODULES if layer_of(m) is None)
    assert not unknown, (
        f"modules not in the layer table: {unknown}. Add each to LAYERS in "
        "tests/test_architecture.py (the lowest layer whose modules it imports) and to the "
        "diagram in DESIGN.md."
    )


def test_no_import_goes_up_a_layer() -> None:
    up, known = [], set()
    for m in MODULES.values():
        mine = layer_of(m.name)
        if mine is None:
            continue
        for target, line in sorted(m.imports.items()):
            theirs = layer_of(target)
            if theirs is not None and theirs > mine:
                if (m.name, target) in KNOWN_UPWARD:
                    known.add((m.name, target))
                    continue
                up.append(
                    f"{m.path.relative_to(PACKAGE.parent)}:{line}: {m.name} ({LAYERS[mine][0]}) "
                    f"imports {target} ({LAYERS[theirs][0]})"
                )
    assert not up, "imports going up a layer (see DESIGN.md, Layers):\n" + "\n".join(up)
    assert known == KNOWN_UPWARD, f"fixed: remove {sorted(KNOWN_UPWARD - known)} from KNOWN_UPWARD"


def test_no_import_cycle() -> None:
    graph = {m.name: {t for t in m.imports if t in MODULES} for m in MODULES.values()}
    found = [c for c in _cycles(graph) if tuple(c) not in KNOWN_CYCLES]
    fixed = KNOWN_CYCLES - {tuple(c) for c in _cycles(graph)}
    assert not fixed, f"fixed: remove {sorted(fixed)} from KNOWN_CYCLES"
    assert not found, "import cycles (imports inside functions count):\n" + "\n".join(
        " <-> ".join(c) for c in found
    )


def test_no_private_name_is_imported_across_modules() -> None:
    used = {f"{m.name}: {p}" for m in MODULES.values() for p in m.private}
    bad = sorted(used - KNOWN_PRIVATE)
    assert not KNOWN_PRIVATE - used, f"fixed: remove {sorted(KNOWN_PRIVATE - used)} from KNOWN_PRIVATE"
    assert not bad, "private names used outside their module (make them public or move the code):\n" + "\n".join(bad)


def test_no_private_attribute_of_another_module() -> None:
    used = private_attribute_uses(
        {m.name: m.path.read_text(encoding="utf-8") for m in MODULES.values()}
    )
    fixed = KNOWN_PRIVATE_ATTRIBUTES - used
    assert not fixed, f"fixed: remove {sorted(fixed)} from KNOWN_PRIVATE_ATTRIBUTES"
    bad = sorted(used - KNOWN_PRIVATE_ATTRIBUTES)
    assert not bad, (
        "private attributes of another module's classes (make them public, or give the class "
        "a method that does the work):\n" + "\n".join(bad)
    )


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_size(name: str) -> None:
    lines = len(MODULES[name].path.read_text(encoding="utf-8").splitlines())
    if name in KNOWN_OVERSIZE:
        assert lines > MAX_LINES, f"{name} is split: remove it from KNOWN_OVERSIZE"
        return
    assert lines <= MAX_LINES, f"{name} has {lines} lines (at most {MAX_LINES}; guide 600): split it by responsibility"


def test_the_rules_catch_what_they_should(tmp_path: Path) -> None:
    """The checks can fail: a cycle, an upward import and a module without a layer are found."""
    assert list(_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}})) == [["a", "b", "c"]]
    assert layer_of("eezcheck.batch.new_reader") == layer_of("eezcheck.batch")
    assert layer_of("eezcheck.cli.new_command") == len(LAYERS) - 1
    assert layer_of("eezcheck.somewhere_new") is None
    assert layer_of("eezcheck.errors") == 0 < layer_of("eezcheck.checker")  # type: ignore[operator]
    uses = private_attribute_uses({
        "pkg.a": "class A:\n    _cache = None\n    def __init__(self):\n        self._exact = 1\n"
                 "    def _plan(self):\n        object.__setattr__(self, '_text', 'x')\n",
        "pkg.b": "def f(clf, plan):\n    clf._exact = 2\n    return clf._exact, plan._plan(), "
                 "getattr(plan, '_text', None), plan._unknown, plan.__class__\n",
        "pkg.c": "class C:\n    def __init__(self):\n        self._exact = 0\n"
                 "def g(other):\n    return other._exact, other._cache\n",
    })  # fmt: skip
    assert uses == {
        "pkg.b: clf._exact (defined in pkg.a, pkg.c)",
        "pkg.b: plan._plan (defined in pkg.a)",
        "pkg.b: getattr(plan, '_text', None) (defined in pkg.a)",
        "pkg.c: other._cache (defined in pkg.a)",
    }
