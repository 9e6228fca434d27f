"""The tray's way into the vault: open it (a first run creates one), unlock it without blocking."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.qt.widgets import QDialog, QWidget
from app.tray.open_windows import OpenWindows
from storage import StorageError, Vault, VaultNotFound


class VaultAccess:
    """Opens the vault at ``home`` for the tray's menu entries.

    Attributes:
        home: the vault folder.
        windows: where the dialogs it opens are kept, and its problems said.
    """

    def __init__(self, home: Path, windows: OpenWindows) -> None:
        self.home = home
        self.windows = windows

    def open(self) -> Vault | None:
        """The vault; the first-run dialog when there is none; None (said) if it cannot be used."""
        try:
            return Vault.open(self.home)
        except VaultNotFound:
            return self._first_run()
        except StorageError as exc:
            self.windows.error(str(exc))
            return None

    def _first_run(self) -> Vault | None:
        from app.dialogs.vault_dialogs import FirstRunDialog

        dialog = FirstRunDialog(self.home)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.vault

    def open_sink(self, consent: dict[str, Any]) -> Any:
        """Begin a session in the vault (called from the recorder's thread)."""
        return Vault.open(self.home).begin_session(consent)

    def unlock_then(self, purpose: str, then: Callable[[Any], None]) -> QWidget | None:
        """Open the (non-modal) unlock dialog; ``then(dialog)`` once it is accepted.

        Returns:
            The unlock dialog, or None when there is no vault.
        """
        from app.dialogs.vault_dialogs import UnlockDialog

        vault = self.open()
        if vault is None:
            return None
        dialog = UnlockDialog(vault, purpose=purpose)
        dialog.accepted.connect(lambda: then(dialog))
        self.windows.open(dialog)
        return dialog
