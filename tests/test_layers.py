"""The package's import graph (read with ast, nothing imported): no module imports one that imports
it back, directly or through others — in particular the three circles of issue 16 stay broken:
the kinds ↔ the demo, the profile ↔ the letters' settings ↔ the wording, the web app ↔ its pages.

A lazy import inside a function counts (it is a dependency all the same); an import under
``if TYPE_CHECKING:`` does not (it never runs). Importing ``a.b.c`` also runs the ``__init__`` of
``a`` and ``a.b``, so it counts as importing them too, except from inside them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import kongchuo_docs

PACKAGE_DIR = Path(kongchuo_docs.__file__).parent


def modules(package_dir: Path) -> dict[str, Path]:
    """Dotted module name → file, for every module of the package in `package_dir`."""
    found = {}
    for path in package_dir.rglob("*.py"):
        parts = [package_dir.name, *path.relative_to(package_dir).with_suffix("").parts]
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _runs(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """The import statements of `tree` that run (all but those under ``if TYPE_CHECKING:``)."""
    found: list[ast.Import | ast.ImportFrom] = []
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            found += [n for child in node.orelse for n in _runs(ast.Module(body=[child], type_ignores=[]))]
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        else:
            found += _runs(node)
    return found


def import_graph(package_dir: Path) -> dict[str, set[str]]:
    """Module → the package's modules it imports (at run time, lazily or not)."""
    known = modules(package_dir)
    root = package_dir.name
    graph: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in _runs(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
            for target in targets:
                while target not in known and "." in target:  # an attribute of a module
                    target = target.rpartition(".")[0]
                if target.split(".")[0] != root or target == name:
                    continue
                graph[name].add(target)
                parts = target.split(".")
                for i in range(1, len(parts)):  # the parent packages' __init__ run first
                    parent = ".".join(parts[:i])
                    if not (name == parent or name.startswith(parent + ".")):
                        graph[name].add(parent)
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import one another in a circle (strongly connected, 2 or more)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    """Every module `start` imports, directly or through others."""
    seen: set[str] = set()
    todo = list(graph[start])
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += graph[name]
    return seen


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph(PACKAGE_DIR)


def test_no_module_imports_itself_back(graph: dict[str, set[str]]) -> None:
    assert circles(graph) == []


def test_the_kinds_do_not_import_the_demo(graph: dict[str, set[str]]) -> None:
    """The demo composes every kind; a kind never reaches back to it (DEMO_INPUTS is in files.output)."""
    demo = "kongchuo_docs.kinds.demo"
    assert {"kongchuo_docs.kinds.notice", "kongchuo_docs.kinds.letters"} <= reachable(graph, demo)
    assert [kind for kind in graph if kind.startswith("kongchuo_docs.kinds.") and demo in reachable(graph, kind)] == []


def test_the_profile_and_the_wording_do_not_import_the_letters_settings(graph: dict[str, set[str]]) -> None:
    """The letters' settings read the profile; the profile and the wording read the settings file's keys
    from wording.letter_settings, never from letters.settings."""
    settings = "kongchuo_docs.letters.settings"
    assert "kongchuo_docs.profile.model" in reachable(graph, settings)
    below = [m for m in graph if m.startswith(("kongchuo_docs.profile", "kongchuo_docs.wording"))]
    assert [m for m in below if settings in reachable(graph, m)] == []
    wording = [m for m in graph if m.startswith("kongchuo_docs.wording")]
    assert [m for m in wording if "kongchuo_docs.profile" in reachable(graph, m)] == []


def test_the_web_pages_do_not_import_the_app(graph: dict[str, set[str]]) -> None:
    """app.py includes the pages' routers; a page takes render/owner from web.pages, never from app.py."""
    app = "kongchuo_docs.web.app"
    assert "kongchuo_docs.web.notice" in reachable(graph, app)
    assert [page for page in graph if page.startswith("kongchuo_docs.web.") and app in reachable(graph, page)] == []


def test_the_support_package_stays_below_every_package(graph: dict[str, set[str]]) -> None:
    """support/ (the bounded YAML loader, the normalising of dates and document numbers) is shared by readers,
    profile, store, system, wording and writers: it reaches only the leaf modules errors, gbt9704 and model,
    so no package reaches another through it."""
    support = {m for m in graph if m.startswith("kongchuo_docs.support")}
    reached = set().union(*(reachable(graph, m) for m in support)) - support
    assert {m.removeprefix("kongchuo_docs.").split(".")[0] for m in reached} <= {"errors", "gbt9704", "model"}, reached


def test_the_graph_sees_lazy_imports_and_not_type_checking_ones(tmp_path: Path) -> None:
    """The reader of the graph itself: a circle through a lazy relative import is found, one through an
    import under TYPE_CHECKING is not, and a package's own __init__ is no circle for its modules."""
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("from .b import B\n")
    (pkg / "a.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .c import C\n"
                              "def f():\n    from .sub import b\n")  # fmt: skip
    (pkg / "sub" / "b.py").write_text("from .. import a\nB = 1\n")
    (pkg / "c.py").write_text("from . import a\n")
    found = import_graph(pkg)
    assert found["pkg.a"] == {"pkg.sub", "pkg.sub.b"}
    assert circles(found) == [["pkg.a", "pkg.sub", "pkg.sub.b"]]
    (pkg / "sub" / "b.py").write_text("B = 1\n")
    assert circles(import_graph(pkg)) == []
