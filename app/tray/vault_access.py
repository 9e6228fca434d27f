"""The tray's way into the vault: the welcome on first start, opening, unlocking once for all.

The unlocked vault is shared by the windows that need it (the review window, Withdraw…): while
one of them is open, the next one opens without asking for the passphrase again. Once the last
of them closes, the tray lets the unlocked vault go, so the key is not kept in memory for
longer than a window shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.qt.widgets import QDialog, QWidget
from app.tray.open_windows import OpenWindows
from storage import StorageError, UnlockedVault, Vault, VaultNotFound


class VaultAccess:
    """Opens the vault at ``home`` for the tray's menu entries.

    Attributes:
        home: the vault folder.
        windows: where the dialogs it opens are kept, and its problems said.
        welcome: the first start's welcome (create the vault) while it is open, else None.
        unlocked: the unlocked vault while a window holding it is open, else None.
    """

    def __init__(self, home: Path, windows: OpenWindows) -> None:
        self.home = home
        self.windows = windows
        self.welcome: QDialog | None = None
        self.unlocked: UnlockedVault | None = None
        self._holders: list[QWidget] = []

    def exists(self) -> bool:
        """Whether a vault has been created at ``home`` (damaged or not)."""
        try:
            Vault.open(self.home)
        except VaultNotFound:
            return False
        except StorageError:
            return True
        return True

    def first_start(self) -> QDialog | None:
        """With no vault yet, the welcome dialog (non-modal): what Overt does, create a vault.

        Returns:
            The welcome dialog, or None when a vault exists.
        """
        if self.welcome is not None:
            self.welcome.raise_()
            return self.welcome
        if self.exists():
            return None
        from app.dialogs.vault_dialogs import FirstRunDialog

        dialog = FirstRunDialog(self.home)
        self.welcome = dialog
        dialog.finished.connect(lambda _r: self._welcome_closed())
        self.windows.open(dialog)
        return dialog

    def _welcome_closed(self) -> None:
        self.welcome = None

    def open(self) -> Vault | None:
        """The vault; the first-run dialog when there is none; None (said) if it cannot be used.

        While the first start's welcome is open, it is brought to the front instead (None).
        """
        try:
            return Vault.open(self.home)
        except VaultNotFound:
            if self.welcome is not None:
                self.welcome.raise_()
                self.welcome.activateWindow()
                return None
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

    def unlock_then(self, purpose: str, then: Callable[[UnlockedVault], None]) -> QWidget | None:
        """``then(unlocked)`` at once while a window holds the unlocked vault, else after the
        (non-modal) unlock dialog is accepted.

        Returns:
            The unlock dialog; None when there is no vault, or when ``then`` ran at once.
        """
        from app.dialogs.vault_dialogs import UnlockDialog

        if self.unlocked is not None:
            then(self.unlocked)
            return None
        vault = self.open()
        if vault is None:
            return None
        dialog = UnlockDialog(vault, purpose=purpose)
        dialog.accepted.connect(lambda: self._unlocked_by(dialog, then))
        self.windows.open(dialog)
        return dialog

    def _unlocked_by(self, dialog: Any, then: Callable[[UnlockedVault], None]) -> None:
        if dialog.unlocked is not None:
            then(self.unlocked or dialog.unlocked)

    def hold(self, widget: QWidget, unlocked: UnlockedVault) -> None:
        """``widget`` shows ``unlocked``: share it with the next window until ``release``."""
        if self.unlocked is None:
            self.unlocked = unlocked
        if widget not in self._holders:
            self._holders.append(widget)

    def release(self, widget: QWidget) -> None:
        """``widget`` closed; once nothing holds the unlocked vault, let it go."""
        if widget in self._holders:
            self._holders.remove(widget)
        if not self._holders:
            self.unlocked = None
