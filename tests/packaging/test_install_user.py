"""install-user.sh: installs a bundle under ~/.local; uninstalls exactly that, never the vault."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.packaging.tools import LINUX

SCRIPT = LINUX / "install-user.sh"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    return home


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    bash = shutil.which("bash")
    assert bash is not None
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    return subprocess.run(
        [bash, str(SCRIPT), *args], capture_output=True, text=True, env=env, check=False
    )


def fake_bundle(root: Path) -> Path:
    bundle = root / "dist" / "overt"
    (bundle / "_internal").mkdir(parents=True)
    exe = bundle / "overt"
    exe.write_text("#!/bin/sh\necho overt 0.1.0\n")
    exe.chmod(0o755)
    return bundle


def test_install_then_uninstall_leaves_only_the_vault(home: Path, tmp_path: Path) -> None:
    vault = home / ".local" / "share" / "overt"
    vault.mkdir(parents=True)
    (vault / "keep-me").write_text("ciphertext")
    installed = run(home, str(fake_bundle(tmp_path)))
    assert installed.returncode == 0, installed.stderr

    libdir = home / ".local" / "lib" / "overt"
    assert (libdir / "overt").is_file()
    assert (home / ".local" / "bin" / "overt").resolve() == (libdir / "overt").resolve()
    entry = (home / ".local" / "share" / "applications" / "overt.desktop").read_text()
    assert f"Exec={libdir}/overt\n" in entry
    icons = home / ".local" / "share" / "icons" / "hicolor"
    assert (icons / "48x48" / "apps" / "overt.png").is_file()
    assert (icons / "scalable" / "status" / "overt-recording.svg").is_file()
    assert (home / ".local" / "share" / "metainfo" / "io.github.overt.Overt.metainfo.xml").is_file()
    assert not (home / ".config" / "autostart").exists()  # autostart stays off

    autostart = home / ".config" / "autostart"
    autostart.mkdir(parents=True)
    (autostart / "overt-autostart.desktop").write_text("[Desktop Entry]\n")
    removed = run(home, "--uninstall")
    assert removed.returncode == 0, removed.stderr
    left = sorted(
        str(path.relative_to(home))
        for path in home.rglob("*")
        if (path.is_file() or path.is_symlink()) and not path.name.endswith(".cache")
    )  # the desktop database's and icon theme's caches are shared, and stay
    assert left == [".local/share/overt/keep-me"]


def test_install_without_a_bundle_says_so(home: Path, tmp_path: Path) -> None:
    result = run(home, str(tmp_path / "missing"))
    assert result.returncode == 1
    assert "make package" in result.stderr
