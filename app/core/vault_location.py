"""Where the vault lives: the platform's data folder, or a folder the person chose (no Qt).

The choice is kept outside every vault, in ``location.json`` in the platform's config folder,
because the settings file lives inside the vault it belongs to and cannot point at itself.
``--home`` and ``OVERT_HOME`` still win over it (app/cli/support.py). Overt never moves a
vault: changing the place means using a vault that is already there or creating a new one
there, and the old vault stays where it was, untouched.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import platformdirs

from app.core.settings import SettingsError
from storage.format.files import write_json_atomic
from storage.vault import KEY_FILE, Vault

FILE = "location.json"
VERSION = 1


def default_home() -> Path:
    """The platform's data folder for Overt (e.g. ~/.local/share/overt)."""
    return Path(platformdirs.user_data_dir("overt", appauthor=False))


def location_file() -> Path:
    """Where the chosen vault folder is written down (e.g. ~/.config/overt/location.json)."""
    return Path(platformdirs.user_config_dir("overt", appauthor=False)) / FILE


def load_location() -> Path | None:
    """The vault folder the person chose, or None for the default.

    Raises:
        SettingsError: the file is unreadable, from a newer Overt, or names no absolute folder.
    """
    path = location_file()
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise SettingsError(
            f"The storage location file {path} cannot be read, so Overt does not know where "
            "your vault is; fix it, or delete it to use the default place."
        ) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("version"), int):
        raise SettingsError(f"The storage location file {path} has no valid version number.")
    if doc["version"] > VERSION:
        raise SettingsError(f"The storage location file {path} is from a newer Overt.")
    folder = doc.get("vault_dir")
    if folder is None:
        return None
    if not isinstance(folder, str) or not Path(folder).is_absolute():
        raise SettingsError(
            f"The storage location file {path} has a bad value for 'vault_dir': "
            "it must be an absolute folder path.",
            "vault_dir",
        )
    return Path(folder)


def save_location(folder: Path | None) -> None:
    """Write down the chosen vault folder (None, or the default folder, means the default).

    Raises:
        OSError: the config folder cannot be made.
        StorageError: the file cannot be written (in one sentence); the old one is kept.
    """
    path = location_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = None if folder is None or same_folder(folder, default_home()) else str(folder)
    write_json_atomic(path, {"version": VERSION, "vault_dir": value})


def configured_home() -> Path:
    """The vault folder when neither --home nor OVERT_HOME is given.

    Raises:
        SettingsError: the location file cannot be used (see load_location).
    """
    return load_location() or default_home()


def same_folder(a: Path, b: Path) -> bool:
    """Whether two paths name the same folder (following symlinks, even if it does not exist)."""
    return Path(a).expanduser().resolve() == Path(b).expanduser().resolve()


Move = Literal["same", "use", "create", "refuse"]


@dataclass(frozen=True)
class LocationChange:
    """What choosing a new vault folder will do, said before anything is done.

    Attributes:
        kind: "same" (nothing changes), "use" (a vault is already there), "create" (an empty
            or missing folder: a new vault is made there) or "refuse".
        folder: the chosen folder.
        sentence: what will happen (or why not), for the person.
    """

    kind: Move
    folder: Path
    sentence: str


def examine(current: Path, chosen: str, sessions: int | None = None) -> LocationChange:
    """What moving from the vault at ``current`` to the typed folder ``chosen`` would do.

    Nothing is changed here; the dialog shows the sentence and acts on OK.

    Args:
        current: the vault folder in use.
        chosen: the folder as typed.
        sessions: how many sessions the current vault holds, if already counted (the dialog
            counts once, not on every keystroke); None counts them now.
    """
    text = chosen.strip()
    folder = Path(text).expanduser()
    if not text or not folder.is_absolute():
        return LocationChange("refuse", folder, "The vault folder must be an absolute path.")
    if same_folder(folder, current):
        return LocationChange("same", folder, "")
    count = session_count(current) if sessions is None else sessions
    held = "" if count is None else f" ({count} session{'' if count == 1 else 's'})"
    kept = f"Your vault in {current}{held} stays where it is, untouched."
    if folder.resolve().is_relative_to(Path(current).resolve()):
        return LocationChange(
            "refuse", folder, "The chosen folder is inside your current vault; choose another."
        )
    if (folder / KEY_FILE).is_file():
        return LocationChange(
            "use",
            folder,
            "That folder holds an Overt vault: Overt will use it from its next start. " + kept,
        )
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        return LocationChange(
            "refuse",
            folder,
            "The chosen folder is not empty and holds no Overt vault; "
            "choose an empty folder or one with a vault.",
        )
    return LocationChange(
        "create",
        folder,
        "That folder has no vault: on OK you choose a passphrase for a new, empty vault there, "
        "used from Overt's next start. " + kept,
    )


def session_count(home: Path) -> int | None:
    """How many sessions the vault at home holds, or None when it cannot be opened."""
    try:
        return len(Vault.open(home).session_ids())
    except Exception:  # noqa: BLE001 - the count is a courtesy in a sentence
        return None


def sessions_folder(home: Path) -> Path:
    """The folder holding the vault's sessions, one folder each (storage/FORMAT.md's layout).

    Windows watch it to notice sessions added or deleted elsewhere (the CLI, expiry).
    """
    return Path(home) / "sessions"
