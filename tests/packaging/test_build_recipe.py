"""The bundle recipe, checked without building (`make package` builds and smoke-tests it)."""

from __future__ import annotations

import ast
import shutil
import subprocess

import pytest

from tests.packaging.tools import PACKAGING

SPEC = PACKAGING / "overt.spec"


def spec_text() -> str:
    return SPEC.read_text(encoding="utf-8")


def test_spec_is_valid_python() -> None:
    ast.parse(spec_text(), filename=str(SPEC))


@pytest.mark.parametrize(
    "module",
    ["pynput.keyboard._xorg", "pynput.mouse._xorg", "pynput._util.xorg", "mss.linux", "Xlib"],
)
def test_spec_collects_backends_picked_at_run_time(module: str) -> None:
    assert f'"{module}"' in spec_text()


def test_spec_collects_every_overt_package() -> None:
    for package in ("app", "recorder", "storage"):
        assert f'collect_submodules("{package}")' in spec_text()


@pytest.mark.parametrize("module", ["QtNetwork", "QtQml", "QtQuick", "QtWebEngineCore"])
def test_spec_leaves_out_qt_modules_overt_does_not_use(module: str) -> None:
    assert module in spec_text()


@pytest.mark.parametrize("script", ["build-linux.sh", "install-debian-deps.sh"])
def test_shell_scripts_parse(script: str) -> None:
    bash = shutil.which("bash")
    assert bash is not None
    result = subprocess.run(
        [bash, "-n", str(PACKAGING / script)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_build_script_smoke_tests_the_bundle() -> None:
    script = (PACKAGING / "build-linux.sh").read_text(encoding="utf-8")
    for needle in ('"$exe" --version', '"$exe" doctor', "display server: ", "du -sh"):
        assert needle in script


def test_validators_are_installed_by_make_test() -> None:
    wanted = (PACKAGING / "debian-packages.txt").read_text(encoding="utf-8").split()
    assert "desktop-file-utils" in wanted
    assert "appstream" in wanted
