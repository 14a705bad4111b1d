"""The import contract (README "Anatomy of a domain package"), checked without importing anything:

1. no import cycle between the modules of one package (apps.<domain>, tenants, ...), counting
   imports inside functions too: a function-local import that closes a cycle only hides it;
2. tasks never import views or api (tasks call services);
3. services and selectors never import views or api.

Run as ``python -m tests.import_contract`` (CI runs it before the tests); a test runs it too.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = [ROOT / "tenants", *sorted(p for p in (ROOT / "apps").iterdir() if p.is_dir())]
FORBIDDEN = {
    # importer's last name part -> importee last name parts it must not import
    "tasks": {"views", "api"},
    "services": {"views", "api"},
    "selectors": {"views", "api"},
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules(package: Path) -> dict[str, Path]:
    return {
        _module_name(path): path
        for path in package.rglob("*.py")
        if "migrations" not in path.parts and "templates" not in path.parts
    }


def _imports(name: str, path: Path, known: set[str]) -> Iterator[tuple[str, int]]:
    """Modules of `known` that module `name` imports, with the line."""
    tree = ast.parse(path.read_text(), filename=str(path))
    is_package = path.name == "__init__.py"
    base = name.split(".") if is_package else name.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = base[: len(base) - node.level + 1]
                module = ".".join(anchor + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            targets = [module] + [f"{module}.{alias.name}" for alias in node.names]
        else:
            continue
        if isinstance(node, ast.ImportFrom) and node.module is None and node.level:
            targets = targets[1:]
        for target in targets:
            if target in known and target != name:
                yield target, node.lineno
            elif target not in known:
                continue


def _graph(package: Path) -> dict[str, dict[str, int]]:
    modules = _modules(package)
    known = set(modules)
    graph: dict[str, dict[str, int]] = {name: {} for name in modules}
    for name, path in modules.items():
        for target, line in _imports(name, path, known):
            # A package's __init__ re-exporting its own modules is not a dependency of theirs.
            if name.startswith(target + ".") or target.startswith(name + "."):
                if path.name == "__init__.py" or modules[target].name == "__init__.py":
                    continue
            graph[name].setdefault(target, line)
    return graph


def _cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def problems() -> list[str]:
    found: list[str] = []
    for package in PACKAGES:
        if not (package / "__init__.py").exists():
            continue
        graph = _graph(package)
        for component in _cycles(graph):
            edges = [
                f"{a} -> {b} (line {graph[a][b]})"
                for a in component
                for b in graph[a]
                if b in component
            ]
            found.append("import cycle: " + "; ".join(edges))
        for name, targets in graph.items():
            layer = name.rsplit(".", 1)[-1]
            for target, line in targets.items():
                if target.rsplit(".", 1)[-1] in FORBIDDEN.get(layer, set()):
                    found.append(f"{name} imports {target} (line {line}): {layer} must not")
    return found


def main() -> int:
    found = problems()
    for problem in found:
        print(problem)
    print(f"import contract: {len(found)} problem(s)")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
