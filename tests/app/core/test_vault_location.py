"""Where the vault lives: the location file, vault_home's order, and what a change would do."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from app.cli.support import CliError, vault_home
from app.core.settings import SettingsError
from app.core.vault_location import (
    configured_home,
    default_home,
    examine,
    load_location,
    location_file,
    save_location,
)
from tests.app.sessions import make_vault


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the platform folders into tmp_path; no OVERT_HOME from the caller's shell."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("OVERT_HOME", raising=False)


def args(home: str | None = None) -> argparse.Namespace:
    return argparse.Namespace(home=home)


def test_the_default_is_the_platform_data_folder(tmp_path: Path) -> None:
    assert default_home() == tmp_path / "data" / "overt"
    assert load_location() is None
    assert vault_home(args()) == default_home()


def test_home_then_overt_home_then_the_setting_then_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = tmp_path / "elsewhere"
    save_location(chosen)
    assert json.loads(location_file().read_text()) == {"version": 1, "vault_dir": str(chosen)}
    assert vault_home(args()) == chosen
    monkeypatch.setenv("OVERT_HOME", str(tmp_path / "env"))
    assert vault_home(args()) == tmp_path / "env"
    assert vault_home(args(str(tmp_path / "flag"))) == tmp_path / "flag"
    monkeypatch.delenv("OVERT_HOME")
    save_location(default_home())
    assert load_location() is None
    assert configured_home() == default_home()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{", "cannot be read, so Overt does not know where your vault is"),
        ('{"version": 9, "vault_dir": "/x"}', "from a newer Overt"),
        ('{"vault_dir": "/x"}', "no valid version"),
        ('{"version": 1, "vault_dir": "relative/path"}', "bad value for 'vault_dir'"),
    ],
)
def test_a_bad_location_file_stops_cli_commands_in_one_sentence(text: str, words: str) -> None:
    location_file().parent.mkdir(parents=True)
    location_file().write_text(text)
    with pytest.raises(CliError, match=words):
        vault_home(args())
    with pytest.raises(SettingsError):
        load_location()


def test_a_bad_location_file_is_one_line_from_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli.main import main

    location_file().parent.mkdir(parents=True)
    location_file().write_text("{")
    assert main(["sessions"]) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert "does not know where your vault is" in err


def test_examine_says_what_a_change_would_do(tmp_path: Path) -> None:
    current = tmp_path / "current"
    make_vault(current)
    other = tmp_path / "other"
    make_vault(other)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine")
    assert examine(current, str(current)).kind == "same"
    use = examine(current, str(other))
    assert use.kind == "use"
    assert "That folder holds an Overt vault" in use.sentence
    assert f"Your vault in {current} (0 sessions) stays where it is, untouched." in use.sentence
    create = examine(current, str(tmp_path / "new"))
    assert create.kind == "create"
    assert "a passphrase for a new, empty vault there" in create.sentence
    assert examine(current, str(tmp_path / "full")).sentence == (
        "The chosen folder is not empty and holds no Overt vault; "
        "choose an empty folder or one with a vault."
    )
    assert examine(current, "relative").kind == "refuse"
    assert examine(current, "").kind == "refuse"
    assert "inside your current vault" in examine(current, str(current / "sub")).sentence
