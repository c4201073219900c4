"""The package import graph: the library never depends on a technique catalogue, the
measurer does not depend on the verifier, and no two subpackages depend on each other."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _package(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "optbench" and len(parts) > 1 else parts[0]


def _edges() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for path in [*ROOT.glob("optbench/**/*.py"), *ROOT.glob("optimizers/**/*.py")]:
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        source = _package(module)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                target = _package(name)
                if name.split(".")[0] in {"optbench", "optimizers"} and target not in {
                    source,
                    "optbench",
                }:
                    edges.setdefault(source, set()).add(target)
    return edges


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_library_never_imports_a_technique_catalogue() -> None:
    importers = sorted(s for s, targets in _edges().items() if "optimizers" in targets)
    assert [s for s in importers if s.startswith("optbench")] == []


def test_measurement_does_not_depend_on_verification() -> None:
    assert "optbench.verify" not in _edges().get("optbench.measure", set())


def test_the_import_graph_of_subpackages_has_no_cycle() -> None:
    assert _cycle(_edges()) is None, " -> ".join(_cycle(_edges()) or [])


def test_what_runs_in_the_sandbox_lives_in_one_dependency_free_package() -> None:
    """``optbench.runtime`` imports only the standard library, :mod:`optbench.codec`,
    itself, the comparison policy's types, pyperf and pyseccomp; and the sandboxed entry
    points the drivers start are modules of it."""
    import sys

    allowed = {
        "optbench.codec",
        "optbench.runtime",
        "optbench.core.problem",  # standard library only
        "pyperf",
        "pyseccomp",
    }
    for path in ROOT.glob("optbench/runtime/*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [f"{node.module}.{alias.name}" for alias in node.names]
            for name in names:
                root = name.split(".")[0]
                if root in sys.stdlib_module_names or root == "__future__":
                    continue
                assert any(name == a or name.startswith(a + ".") for a in allowed), (
                    f"{path.name} imports {name}"
                )
    from optbench.measure import runs
    from optbench.verify import workers

    assert Path(runs.WORKER).parent == ROOT / "optbench" / "runtime"
    assert "optbench.runtime." in (ROOT / "optbench/verify/workers.py").read_text()
    assert "optbench.runtime.line_profile" in (ROOT / "optbench/techniques/hotspots.py").read_text()
    assert workers is not None
