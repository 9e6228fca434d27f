"""The architecture's promises that a test can check: no Qt in the core, no network code."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

NO_QT_CHECK = """
import importlib, pkgutil, sys
for name in sys.argv[1:]:
    package = importlib.import_module(name)
    for module in pkgutil.walk_packages(package.__path__, name + "."):
        importlib.import_module(module.name)
qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6"))
assert not qt, f"Qt loaded: {qt}"
print("ok")
"""


def assert_loads_no_qt(*packages: str) -> None:
    """Importing every module of ``packages`` in a fresh interpreter loads no Qt."""
    out = subprocess.run(
        [sys.executable, "-c", NO_QT_CHECK, *packages],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_core_packages_load_no_qt() -> None:
    """Importing every module of recorder/ and storage/ loads no Qt."""
    assert_loads_no_qt("recorder", "storage")


def test_no_network_modules_in_overt() -> None:
    """No module of Overt imports a networking library."""
    banned = (
        "socket",
        "urllib",
        "http.client",
        "requests",
        "httpx",
        "aiohttp",
        "ftplib",
        "smtplib",
    )
    offenders = []
    for package in ("app", "recorder", "storage"):
        for path in (ROOT / package).rglob("*.py"):
            for line in path.read_text(encoding="utf-8").splitlines():
                stripped = line.strip()
                for name in banned:
                    if stripped.startswith(
                        (f"import {name}", f"from {name} ")
                    ) or stripped.startswith(f"from {name}."):
                        offenders.append(f"{path.relative_to(ROOT)}: {stripped}")
    assert offenders == []


def test_network_guard_catches_a_connection(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The autouse guard fails a test that opens an internet socket (proves it can fail)."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makeconftest((ROOT / "tests" / "conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile(
        """
        import socket
        def test_connects():
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                s.connect_ex(("127.0.0.1", 9))
            finally:
                s.close()
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-W", "ignore")
    result.assert_outcomes(passed=1, errors=1)
    assert "a network socket was used" in result.stdout.str()


def _imports_of(path: Path, module: str, modules: set[str]) -> set[str]:
    """Every Overt module that ``module`` imports, at top level or lazily inside functions.

    ``from package import submodule`` counts as importing the submodule, not the package's
    own names (which a package's ``__init__`` re-exporting its submodules would loop on).
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            submodules = {f"{node.module}.{alias.name}" for alias in node.names} & modules
            found.update(submodules)
            if len(submodules) < len(node.names):
                found.add(node.module)
    return {name for name in found if name in modules and name != module}


OURS = ("app", "recorder", "storage")


def _module_files() -> dict[str, Path]:
    files = {}
    for package in OURS:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            files[name] = path
    return files


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

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
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_import_cycle_detection_can_fail() -> None:
    """The cycle finder sees a three-module loop and a clean chain as what they are."""
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c"]]
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_no_import_cycles_among_overt_modules() -> None:
    """No module of app/, recorder/ or storage/ reaches itself by imports, lazy ones included."""
    files = _module_files()
    graph = {name: _imports_of(path, name, set(files)) for name, path in files.items()}
    assert import_cycles(graph) == []


def test_pyside6_is_imported_only_under_app_qt() -> None:
    """Qt comes to every app module through app.qt, where the PySide6 guard runs first."""
    offenders = []
    for path in (ROOT / "app").rglob("*.py"):
        if path.relative_to(ROOT).parts[:2] == ("app", "qt"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(name.split(".")[0] in ("PySide6", "shiboken6") for name in names):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


#: Which app packages each app package must not import (lazily included). The CLI and the tray
#: meet only in app.main; dialogs are opened by the tray and the review window, never the CLI
#: (which uses Qt only for `overt doctor`'s tray probe); what the CLI and the dialogs share
#: with the review window (dismissals, formatting, images) lives in app.core or app.qt.
FORBIDDEN_IMPORTS = {
    "app.core": ("app.cli", "app.dialogs", "app.qt", "app.review", "app.tray", "app.main"),
    "app.cli": ("app.dialogs", "app.review", "app.tray", "app.main"),
    "app.dialogs": ("app.cli", "app.review", "app.tray", "app.main"),
    "app.tray": ("app.cli", "app.main"),
}


def wrong_way_imports(graph: dict[str, set[str]]) -> list[str]:
    """Every ``importer -> imported`` pair that FORBIDDEN_IMPORTS rules out."""

    def within(module: str, package: str) -> bool:
        return module == package or module.startswith(package + ".")

    return sorted(
        f"{importer} -> {imported}"
        for importer, targets in graph.items()
        for package, banned in FORBIDDEN_IMPORTS.items()
        if within(importer, package)
        for imported in targets
        if any(within(imported, b) for b in banned)
    )


def test_wrong_way_import_detection_can_fail() -> None:
    graph = {"app.dialogs.studies_dialog": {"app.cli.commands.study", "app.core.studies"}}
    assert wrong_way_imports(graph) == ["app.dialogs.studies_dialog -> app.cli.commands.study"]


def test_app_packages_import_one_way() -> None:
    """The core imports no other app package; the CLI, the tray and the dialogs stay apart."""
    files = _module_files()
    graph = {name: _imports_of(path, name, set(files)) for name, path in files.items()}
    assert wrong_way_imports(graph) == []


def test_app_core_loads_no_qt() -> None:
    """app/core/ (settings, dismissals, formatting...) serves the CLI without Qt."""
    assert_loads_no_qt("app.core")
