"""The permissions exports are written with: private (0600 files, 0700 folders) unless the
person asks for shared ones (0644 / 0755), since an unencrypted export holds what was typed
and seen, and the vault it came from is readable by its owner only."""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_FILE, PRIVATE_FOLDER = 0o600, 0o700
SHARED_FILE, SHARED_FOLDER = 0o644, 0o755


def set_modes(path: Path, *, shared: bool = False) -> None:
    """Give ``path`` (a file, or a folder and everything in it) the export permissions.

    Symbolic links are not followed (an export holds none; a dataset folder must not let one
    change the mode of a file outside it).
    """
    file_mode = SHARED_FILE if shared else PRIVATE_FILE
    folder_mode = SHARED_FOLDER if shared else PRIVATE_FOLDER
    if path.is_symlink():
        return
    if not path.is_dir():
        os.chmod(path, file_mode)
        return
    os.chmod(path, folder_mode)
    for parent, folders, files in os.walk(path):
        for name in folders:
            child = os.path.join(parent, name)
            if not os.path.islink(child):
                os.chmod(child, folder_mode)
        for name in files:
            child = os.path.join(parent, name)
            if not os.path.islink(child):
                os.chmod(child, file_mode)
