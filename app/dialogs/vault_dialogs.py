"""First run (welcome and vault creation) and the unlock dialog.

Signals:
    (none: read ``vault`` / ``unlocked`` once a dialog is accepted.)
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.core import keyring_unlock
from app.core.passphrase import strength_hint
from app.core.settings import Settings, SettingsError
from app.core.settings import load as load_settings
from app.qt.core import QEvent, QObject, Qt, QTimer
from app.qt.gui import QGuiApplication, QKeyEvent
from app.qt.widgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from recorder.capture.hotkey import hotkey_label
from storage import StorageError, UnlockedVault, Vault

WELCOME = (
    "<p><b>Overt records how you use your computer — only when you say so.</b></p>"
    "<p>Overt lives in its tray icon: a grey hollow ring while it is not recording, a solid "
    "red disc while it records, two amber bars while it is paused. Click it for its menu: "
    "<i>Record…</i>, <i>Pause</i>, <i>Stop</i>, <i>Review…</i> and the rest.</p>"
    "<p>When you choose <i>Record…</i>, Overt shows exactly what that session will capture "
    "(mouse, keyboard, windows, screenshots) and records nothing until you agree. "
    "Pause or resume from the icon's menu, or anywhere with the pause hotkey "
    "<b>{hotkey}</b> (change it in <i>Settings…</i>).</p>"
    "<p>Everything is encrypted on this computer. You can review, black out, delete and "
    "approve what was recorded before anything is exported.</p>"
    "<p><b>Overt never</b> records without your consent, sends anything over a network, "
    "or keeps anything unencrypted on disk. Only you can read your vault: if you forget "
    "the passphrase, nobody can recover it.</p>"
)


def welcome_text(home: Path) -> str:
    """The welcome, naming the pause hotkey the Settings at ``home`` choose (or the default)."""
    try:
        chord = load_settings(home).pause_hotkey
    except SettingsError:
        chord = Settings().pause_hotkey
    return WELCOME.format(hotkey=hotkey_label(chord))


UNLOCK_TITLE = "Overt: unlock your vault"


def title_room(widget: QWidget, title: str) -> int:
    """A width at which a window manager shows ``title`` whole, beside its buttons and icon.

    Title bars often use a bolder, larger font than the window's, hence the margin.
    """
    return max(440, widget.fontMetrics().horizontalAdvance(title) * 3 // 2 + 160)


def caps_lock_on() -> bool | None:
    """True/False when the platform tells us, None when it cannot be detected."""
    # Qt has no portable caps-lock query; X11's keyboard state needs Xlib, which the
    # recorder already depends on. Detection is best-effort and never blocks the dialog.
    try:
        from Xlib import display as xdisplay
    except ImportError:
        return None
    if QGuiApplication.platformName() != "xcb":
        return None
    try:
        d = xdisplay.Display()
        try:
            return bool(d.get_keyboard_control().led_mask & 1)
        finally:
            d.close()
    except Exception:  # noqa: BLE001 - detection is a nicety
        return None


class _CapsWatcher(QObject):
    """Updates a warning label when keys are pressed in the passphrase field."""

    def __init__(self, label: QLabel, detect: Callable[[], bool | None]) -> None:
        super().__init__(label)
        self.label = label
        self.detect = detect

    def check(self) -> None:
        on = self.detect()
        self.label.setVisible(bool(on))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.FocusIn):
            if isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_CapsLock:
                self.label.setVisible(not self.label.isVisible())
            else:
                self.check()
        return False


def _caps_label() -> QLabel:
    label = QLabel("⚠ Caps Lock is on.")
    label.setStyleSheet("color: #a94400;")
    label.setVisible(False)
    return label


class UnlockDialog(QDialog):
    """Asks for the passphrase and unlocks the vault (recording never needs this).

    Attributes:
        vault: the vault to unlock.
        unlocked: the unlocked vault after Accepted, else None.
        passphrase: the passphrase field.
        error: the error line (wrong passphrase...).
        caps: the caps-lock warning (shown where detectable).
    """

    def __init__(
        self,
        vault: Vault,
        *,
        purpose: str = "Reviewing",
        detect_caps: Callable[[], bool | None] = caps_lock_on,
        keyring: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.vault = vault
        self.unlocked: UnlockedVault | None = None
        self.keyring = keyring
        try:
            self.remember = load_settings(vault.home).keyring_unlock
        except SettingsError:
            self.remember = False
        if self.remember:
            self.unlocked = keyring_unlock.unlock_from_keyring(vault, keyring)
        self.setWindowTitle(UNLOCK_TITLE)
        self.setMinimumWidth(title_room(self, UNLOCK_TITLE))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText("Passphrase")
        self.error = QLabel("")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.caps = _caps_label()
        self._watcher = _CapsWatcher(self.caps, detect_caps)
        self.passphrase.installEventFilter(self._watcher)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Unlock")
        self.buttons.accepted.connect(self._unlock)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{purpose} needs your passphrase.\nVault: {vault.home}"))
        layout.addWidget(self.passphrase)
        layout.addWidget(self.caps)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _unlock(self) -> None:
        try:
            self.unlocked = self.vault.unlock(self.passphrase.text().encode("utf-8"))
        except StorageError as exc:
            self.error.setText(str(exc))
            self.passphrase.selectAll()
            self.passphrase.setFocus()
            return
        self.passphrase.clear()
        if self.remember:
            keyring_unlock.save_key(self.unlocked, self.keyring)
        self.accept()

    def showEvent(self, event: Any) -> None:
        """Accept at once (shown, open() or exec()) when the opt-in keyring held the key."""
        super().showEvent(event)
        if self.unlocked is not None:
            QTimer.singleShot(0, self.accept)


class FirstRunDialog(QDialog):
    """Welcome, then create the vault with a passphrase, its confirmation and a strength hint.

    Attributes:
        home: where the vault will be created.
        vault: the new vault after Accepted, else None.
    """

    def __init__(
        self,
        home: Path,
        *,
        create: Callable[[Path, bytes], Vault] = Vault.create,
        detect_caps: Callable[[], bool | None] = caps_lock_on,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.home = home
        self.make_vault = create
        self.vault: Vault | None = None
        self.setWindowTitle("Welcome to Overt")
        self.setMinimumWidth(520)
        welcome = QLabel(welcome_text(home))
        welcome.setWordWrap(True)
        self.passphrase = QLineEdit()
        self.confirm = QLineEdit()
        for field in (self.passphrase, self.confirm):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.textChanged.connect(self._update)
        self.hint = QLabel("")
        self.hint.setWordWrap(True)
        self.caps = _caps_label()
        self._watcher = _CapsWatcher(self.caps, detect_caps)
        self.passphrase.installEventFilter(self._watcher)
        self.confirm.installEventFilter(self._watcher)
        self.error = QLabel("")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Passphrase", self.passphrase)
        form.addRow("Again", self.confirm)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.create_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.create_button.setText("Create vault")
        self.create_button.setEnabled(False)
        self.buttons.accepted.connect(self._create)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(welcome)
        layout.addWidget(QLabel(f"<b>Create your vault</b> in {home}"))
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.caps)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _update(self) -> None:
        text = self.passphrase.text()
        hint, ok = strength_hint(text)
        if ok and self.confirm.text() and self.confirm.text() != text:
            hint += " The two passphrases differ."
        self.hint.setText(hint if text else "")
        self.create_button.setEnabled(ok and self.confirm.text() == text)

    def _create(self) -> None:
        try:
            self.vault = self.make_vault(self.home, self.passphrase.text().encode("utf-8"))
        except (StorageError, ValueError) as exc:
            self.error.setText(str(exc))
            return
        self.passphrase.clear()
        self.confirm.clear()
        self.accept()
