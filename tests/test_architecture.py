"""The structure of DESIGN.md stays true: contracts kept, no import cycles, small modules, tested migrations.

Each check is a small function run once on the real code and once on a broken case made here,
so a check that can no longer fail is caught too.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from itertools import pairwise
from pathlib import Path

import grimp
import pytest

import monitor_app
from monitor_app.core.layouts import migrations

PACKAGE = Path(monitor_app.__file__).parent
REPO = PACKAGE.parent
TESTS = Path(__file__).parent
MAX_MODULE_LINES = 300

Graph = Mapping[str, Iterable[str]]
"""importer -> the modules it imports."""


# lint-imports: the contracts in pyproject.toml -------------------------------------------------
def run_lint_imports(*args: str) -> subprocess.CompletedProcess[str]:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    return subprocess.run(
        [str(lint_imports), "--no-cache", *args], cwd=REPO, capture_output=True, text=True, timeout=120
    )


def test_import_contracts_are_kept() -> None:
    result = run_lint_imports()
    assert result.returncode == 0, f"lint-imports failed:\n{result.stdout}\n{result.stderr}"


def test_lint_imports_fails_on_a_broken_contract(tmp_path: Path) -> None:
    """Guards the test above: a contract the code breaks (app.py imports cli.py) must fail the run."""
    config = tmp_path / "broken.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "monitor_app"\n\n[[tool.importlinter.contracts]]\n'
        'name = "broken on purpose"\ntype = "forbidden"\n'
        'source_modules = ["monitor_app.app"]\nforbidden_modules = ["monitor_app.cli"]\n'
    )
    result = run_lint_imports("--config", str(config))
    assert result.returncode != 0, result.stdout
    assert "broken on purpose BROKEN" in result.stdout


# Import cycles, between modules and between the packages at every level ----------------------
def find_cycles(graph: Graph) -> list[list[str]]:
    """One cycle per strongly connected part of ``graph``, as a chain ``[a, b, ..., a]``; self-imports ignored."""
    edges = {node: sorted(set(targets) - {node}) for node, targets in graph.items()}
    for targets in list(edges.values()):
        for target in targets:
            edges.setdefault(target, [])
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for root in sorted(edges):  # Tarjan's algorithm, iterative: the graph may be deep
        if root in index:
            continue
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            target = next(targets, None)
            if target is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(sorted(component))
            elif target not in index:
                index[target] = low[target] = len(index)
                stack.append(target)
                on_stack.add(target)
                work.append((target, iter(edges[target])))
            elif target in on_stack:
                low[node] = min(low[node], index[target])
    return sorted(_shortest_cycle(edges, component) for component in components)


def _shortest_cycle(edges: Mapping[str, list[str]], component: list[str]) -> list[str]:
    """The shortest chain from the component's first node back to itself, inside the component."""
    start, members = component[0], set(component)
    came_from: dict[str, str] = {}
    queue = [start]
    for node in queue:
        for target in edges[node]:
            if target == start:
                chain = [node]
                while chain[-1] != start:
                    chain.append(came_from[chain[-1]])
                return [*reversed(chain), start]
            if target in members and target not in came_from:
                came_from[target] = node
                queue.append(target)
    raise AssertionError(f"no cycle through {start} in {component}")


def squash(graph: Graph, package: str) -> dict[str, set[str]]:
    """The imports between the children of ``package``: ``ui.x -> receivers.y`` becomes ``ui -> receivers``."""

    def child(module: str) -> str | None:
        if not module.startswith(package + "."):
            return None
        return module[len(package) + 1 :].split(".")[0]

    squashed: dict[str, set[str]] = {}
    for importer, imported in graph.items():
        source = child(importer)
        if source is None:
            continue
        for module in imported:
            target = child(module)
            if target is not None and target != source:
                squashed.setdefault(source, set()).add(target)
    return squashed


def packages_of(graph: Graph) -> list[str]:
    """Every package that holds a module of ``graph``, the root included."""
    names = set(graph).union(*map(set, graph.values()))
    return sorted({name.rsplit(".", depth)[0] for name in names for depth in range(1, name.count(".") + 1)})


def package_cycles(graph: Graph) -> list[str]:
    """Each cycle between the children of a package, with one import behind each step."""
    return [
        f"in {package}: " + " -> ".join(cycle) + "\n    (" + "; ".join(_witnesses(graph, package, cycle)) + ")"
        for package in packages_of(graph)
        for cycle in find_cycles(squash(graph, package))
    ]


def _witnesses(graph: Graph, package: str, cycle: list[str]) -> list[str]:
    found = []
    for source, target in pairwise(cycle):
        src, dst = f"{package}.{source}", f"{package}.{target}"
        found.append(
            min(
                f"{importer} -> {imported}"
                for importer, imports in graph.items()
                if importer == src or importer.startswith(src + ".")
                for imported in imports
                if imported == dst or imported.startswith(dst + ".")
            )
        )
    return found


def module_cycles(graph: Graph) -> list[str]:
    return [" -> ".join(cycle) for cycle in find_cycles(graph)]


@pytest.fixture(scope="module")
def import_graph() -> dict[str, set[str]]:
    """What each of our modules imports, lazy and TYPE_CHECKING imports included (they are dependencies too)."""
    graph = grimp.build_graph("monitor_app", exclude_type_checking_imports=False)
    return {module: set(graph.find_modules_directly_imported_by(module)) for module in graph.modules}


def test_no_import_cycle_between_modules(import_graph: dict[str, set[str]]) -> None:
    assert "monitor_app.core.layouts.model" in import_graph
    cycles = module_cycles(import_graph)
    assert not cycles, "import cycles between modules:\n" + "\n".join(cycles)


def test_no_import_cycle_between_packages(import_graph: dict[str, set[str]]) -> None:
    assert {"monitor_app", "monitor_app.core", "monitor_app.core.sources"} <= set(packages_of(import_graph))
    cycles = package_cycles(import_graph)
    assert not cycles, "import cycles between packages (or modules of one package):\n" + "\n".join(cycles)


def test_the_cycle_checks_find_cycles_in_a_small_graph() -> None:
    graph = {
        "app.ui.window": {"app.ui.editing", "app.core.model"},
        "app.ui.editing": {"app.ui.window"},  # a module cycle, and so a cycle inside app.ui
        "app.core.sources.url": {"app.core.layouts.model"},  # a cycle inside app.core only
        "app.core.layouts.model": {"app.core.sources.registry"},
        "app.core.model": set(),
        "app.bench.measure": {"app.commands"},  # a cycle between top-level packages only
        "app.commands.bench": {"app.bench.measure"},
    }
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": {"d"}}) == [["a", "b", "c", "a"]]
    assert find_cycles({"a": {"b"}, "b": {"c"}}) == []
    assert module_cycles(graph) == ["app.ui.editing -> app.ui.window -> app.ui.editing"]
    assert package_cycles(graph) == [
        "in app: bench -> commands -> bench\n    (app.bench.measure -> app.commands; app.commands.bench -> app.bench.measure)",
        "in app.core: layouts -> sources -> layouts\n"
        "    (app.core.layouts.model -> app.core.sources.registry; app.core.sources.url -> app.core.layouts.model)",
        "in app.ui: editing -> window -> editing\n    (app.ui.editing -> app.ui.window; app.ui.window -> app.ui.editing)",
    ]


# Module size ---------------------------------------------------------------------------------
def long_modules(root: Path, limit: int = MAX_MODULE_LINES) -> list[str]:
    sizes = {path: len(path.read_text(encoding="utf-8").splitlines()) for path in sorted(root.rglob("*.py"))}
    return [f"{path.relative_to(root.parent)}: {lines} lines" for path, lines in sizes.items() if lines > limit]


def test_no_module_over_300_lines() -> None:
    offenders = long_modules(PACKAGE)
    assert not offenders, f"split these by idea (at most {MAX_MODULE_LINES} lines each):\n" + "\n".join(offenders)


def test_long_modules_names_the_long_ones(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "short.py").write_text("x = 1\n" * MAX_MODULE_LINES)
    (package / "sub" / "long.py").write_text("x = 1\n" * (MAX_MODULE_LINES + 1))
    assert long_modules(package) == [f"pkg/sub/long.py: {MAX_MODULE_LINES + 1} lines"]


# Layout migrations ---------------------------------------------------------------------------
def untested_migrations(steps: Mapping[int, Callable[..., object]], test_texts: Iterable[str]) -> list[str]:
    """The registered migrations whose function name no test file mentions."""
    texts = list(test_texts)
    problems = []
    for version, step in sorted(steps.items()):
        name = step.__name__
        if not name.isidentifier():
            problems.append(f"MIGRATIONS[{version}] is {name}: make it a named function with a test")
        elif not any(re.search(rf"\b{name}\b", text) for text in texts):
            problems.append(f"MIGRATIONS[{version}] = {name} has no test (name it in tests/core/layouts/)")
    return problems


def migration_gaps(steps: Mapping[int, object], schema_version: int) -> list[str]:
    """Versions an older file would get stuck at, and steps past the current version."""
    lowest = min(steps, default=max(1, schema_version - 1))
    missing = [f"no MIGRATIONS[{v}] (to version {v + 1})" for v in range(lowest, schema_version) if v not in steps]
    stray = [f"MIGRATIONS[{v}] is at or past SCHEMA_VERSION {schema_version}" for v in steps if v >= schema_version]
    return missing + stray


def test_every_layout_migration_has_a_test() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(TESTS.rglob("*.py")) if p != Path(__file__)]
    registered = {step.__name__ for step in migrations.MIGRATIONS.values()}
    defined = {name for name in vars(migrations) if re.fullmatch(r"migrate_\d+_to_\d+", name)}
    assert defined <= registered, f"migrations not in MIGRATIONS: {sorted(defined - registered)}"
    problems = untested_migrations(migrations.MIGRATIONS, texts)
    problems += migration_gaps(migrations.MIGRATIONS, migrations.SCHEMA_VERSION)
    assert not problems, "\n".join(problems)


def test_the_migration_checks_find_untested_and_missing_steps() -> None:
    def migrate_1_to_2(data: dict[str, object]) -> dict[str, object]:
        return data

    def migrate_2_to_3(data: dict[str, object]) -> dict[str, object]:
        return data

    steps = {1: migrate_1_to_2, 2: migrate_2_to_3, 4: lambda data: data}
    assert untested_migrations(steps, ["def test_it():\n    migrate_2_to_3({})\n"]) == [
        "MIGRATIONS[1] = migrate_1_to_2 has no test (name it in tests/core/layouts/)",
        "MIGRATIONS[4] is <lambda>: make it a named function with a test",
    ]
    assert untested_migrations(steps, ["migrate_1_to_22 migrate_2_to_3x"])[:2] == [
        "MIGRATIONS[1] = migrate_1_to_2 has no test (name it in tests/core/layouts/)",
        "MIGRATIONS[2] = migrate_2_to_3 has no test (name it in tests/core/layouts/)",
    ]
    assert migration_gaps({}, 1) == []
    assert migration_gaps({}, 2) == ["no MIGRATIONS[1] (to version 2)"]
    assert migration_gaps({1: migrate_1_to_2}, 3) == ["no MIGRATIONS[2] (to version 3)"]
    assert migration_gaps({1: migrate_1_to_2, 2: migrate_2_to_3}, 2) == ["MIGRATIONS[2] is at or past SCHEMA_VERSION 2"]
