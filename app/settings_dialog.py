"""The settings dialog: defaults for new recordings (text mode, frame rate, hotkey, deny list).

Signals:
    (none: modal; the settings are saved on OK.)
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app import autostart, keyring_unlock
from app.settings import Settings, SettingsError, load, save
from storage.records import TEXT_MODES


class SettingsDialog(QDialog):
    """Edits and saves the recording defaults.

    Attributes:
        home: the vault folder the settings file lives in.
        settings: the settings as saved (after OK) or loaded.
        error: where a problem is said.
    """

    def __init__(self, home: Path, parent: QWidget | None = None, *, keyring: Any = None) -> None:
        super().__init__(parent)
        self.home = home
        self.keyring = keyring if keyring is not None else keyring_unlock.load_keyring()
        self.setWindowTitle("Overt: settings")
        self.error = QLabel("")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        try:
            self.settings = load(home)
        except SettingsError as exc:
            self.settings = Settings()
            self.error.setText(f"{exc} Showing the defaults.")
        s = self.settings
        self.text_mode = QComboBox()
        self.text_mode.addItems(list(TEXT_MODES))
        self.text_mode.setCurrentText(s.text_mode)
        self.fps = QDoubleSpinBox()
        self.fps.setRange(0.1, 30.0)
        self.fps.setSingleStep(0.5)
        self.fps.setValue(s.fps)
        self.frames = QCheckBox("Record screenshots")
        self.frames.setChecked(s.frames)
        self.titles = QCheckBox("Record window titles")
        self.titles.setChecked(s.window_titles)
        self.hotkey = QLineEdit(s.pause_hotkey)
        self.deny = QLineEdit(", ".join(s.deny_apps))
        self.autostart = QCheckBox("Start Overt (the tray, never recording) at login")
        self.autostart.setChecked(autostart.is_enabled())
        self.remember = QCheckBox("Remember the unlocked vault in the system keyring")
        self.remember.setChecked(s.keyring_unlock)
        reason = (
            keyring_unlock.unavailable_reason(self.keyring)
            if self.keyring
            else (keyring_unlock.unavailable_reason(None))
        )
        self.remember_reason = QLabel(reason or "")
        self.remember_reason.setWordWrap(True)
        self.remember_reason.setVisible(bool(reason))
        if reason:
            self.remember.setChecked(False)
            self.remember.setEnabled(False)
        self.deny.setPlaceholderText("e.g. signal, thunderbird (password managers are built in)")
        form = QFormLayout()
        form.addRow("Typed text", self.text_mode)
        form.addRow("Frames per second", self.fps)
        form.addRow("", self.frames)
        form.addRow("", self.titles)
        form.addRow("Pause hotkey", self.hotkey)
        form.addRow("Never record apps", self.deny)
        form.addRow("", self.autostart)
        form.addRow("", self.remember)
        form.addRow("", self.remember_reason)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "Defaults for new recordings. Each recording still asks "
                "for your consent and shows exactly what it will capture."
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _save(self) -> None:
        settings = Settings(
            text_mode=self.text_mode.currentText(),
            fps=self.fps.value(),
            frames=self.frames.isChecked(),
            window_titles=self.titles.isChecked(),
            pause_hotkey=self.hotkey.text().strip(),
            deny_apps=[a.strip() for a in self.deny.text().split(",") if a.strip()],
            keyring_unlock=self.remember.isChecked(),
            study_path=self.settings.study_path,  # joined in Studies…, kept as it is
        )
        try:
            save(self.home, settings)
            if self.autostart.isChecked() != autostart.is_enabled():
                if self.autostart.isChecked():
                    autostart.enable()
                else:
                    autostart.disable()
            if not settings.keyring_unlock and self.settings.keyring_unlock and self.keyring:
                from storage import StorageError, Vault

                with contextlib.suppress(StorageError):
                    keyring_unlock.forget(Vault.open(self.home), self.keyring)
        except (SettingsError, OSError) as exc:
            self.error.setText(str(exc))
            return
        self.settings = settings
        self.accept()
