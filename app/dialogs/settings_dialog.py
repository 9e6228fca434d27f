"""The settings dialog: defaults for new recordings, apps, storage and retention, startup.

The capture defaults only pre-fill the consent dialog; every recording is still affirmed by the
person. Nothing here starts capture, and autostart starts the tray only.

Signals:
    (none: a dialog; the settings are saved on OK, and ``accepted`` follows.)
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from app.core import autostart, keyring_unlock
from app.core.settings import (
    Settings,
    SettingsError,
    app_names,
    both_allowed_and_denied,
    load,
    save,
)
from app.dialogs.form_parts import note, with_button
from app.dialogs.storage_settings import StorageGroup, VaultCreator, create_with_passphrase
from app.dialogs.window_picker import WindowLister, WindowPicker, default_lister, open_apps
from app.qt.widgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from recorder.errors import RecorderError
from storage import StorageError, Vault

#: The typed-text choices while "Record keys" is on (off means no keys at all).
TEXT_CHOICES = (
    ("full", "Keys and the text they type"),
    ("keys", "Which keys, not the text"),
)

#: The row labels, for one label column across the groups.
ROW_LABELS = (
    "Typed text", "Screenshots", "Pause hotkey", "Only record", "Never record",
    "Vault folder", "Keep personal recordings",
)  # fmt: skip


class SettingsDialog(QDialog):
    """Edits and saves the recording defaults and where the vault lives.

    Attributes:
        home: the vault folder this run uses (the settings file lives in it).
        settings: the settings as saved (after OK) or loaded.
        error: where a problem is said, in one sentence.
        picker: the open-windows picker while one is shown, for tests.
        storage: the storage and retention group (app/dialogs/storage_settings.py); its
            location, choose_location, location_note, retention and overridden are the
            dialog's too.
    """

    def __init__(
        self,
        home: Path,
        parent: QWidget | None = None,
        *,
        keyring: Any = None,
        list_windows: WindowLister | None = None,
        create_vault: VaultCreator = create_with_passphrase,
    ) -> None:
        """Args:
        home: the vault folder this run uses.
        keyring: the keyring module (tests pass a fake); None loads the real one.
        list_windows: lists the windows open now; None uses X11's where available.
        create_vault: asks for a passphrase and creates a vault at a new storage place.
        """
        super().__init__(parent)
        self.home = Path(home)
        self.keyring = keyring if keyring is not None else keyring_unlock.load_keyring()
        self.list_windows = list_windows if list_windows is not None else default_lister()
        self.create_vault = create_vault
        self.picker: WindowPicker | None = None
        self.setWindowTitle("Overt: settings")
        self.setMinimumWidth(640)
        # one label column for all four groups, so their fields line up
        self._label_width = (
            max(self.fontMetrics().horizontalAdvance(text) for text in ROW_LABELS) + 12
        )
        self.error = QLabel("")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        try:
            self.settings = load(self.home)
        except SettingsError as exc:
            self.settings = Settings()
            self.error.setText(f"{exc} Showing the defaults.")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Defaults for new recordings. Each recording still asks for your consent "
            "and shows exactly what it will capture; nothing here starts recording."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self._capture_group())
        layout.addWidget(self._apps_group())
        self.storage = StorageGroup(
            self.home, self.settings.retention_days, self._label, relayout=self._fit
        )
        if self.storage.problem:
            self.error.setText(self.storage.problem)
        self.location = self.storage.location
        self.choose_location = self.storage.choose_location
        self.location_note = self.storage.location_note
        self.retention = self.storage.retention
        self.overridden = self.storage.overridden
        layout.addWidget(self.storage)
        layout.addWidget(self._startup_group())
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout.addWidget(buttons)

    # --- building ----------------------------------------------------------------------------

    def _capture_group(self) -> QGroupBox:
        s = self.settings
        self.mouse = QCheckBox("Record the mouse (moves, clicks, scrolls)")
        self.mouse.setChecked(s.mouse)
        self.keys = QCheckBox("Record keys")
        self.keys.setChecked(s.keys and s.text_mode != "none")
        self.text_mode = QComboBox()
        for mode, label in TEXT_CHOICES:
            self.text_mode.addItem(label, mode)
        # "none" is "Record keys" off; re-ticking it then offers the narrower choice
        self.text_mode.setCurrentIndex(self.text_mode.findData(s.text_mode if s.keys else "keys"))
        if self.text_mode.currentIndex() < 0:
            self.text_mode.setCurrentIndex(self.text_mode.findData("keys"))
        self.keys.toggled.connect(self.text_mode.setEnabled)
        self.text_mode.setEnabled(self.keys.isChecked())
        self.frames = QCheckBox("Record screenshots")
        self.frames.setChecked(s.frames)
        self.fps = QDoubleSpinBox()
        self.fps.setRange(0.1, 30.0)
        self.fps.setSingleStep(0.5)
        self.fps.setDecimals(1)
        self.fps.setSuffix(" per second")
        self.fps.setValue(s.fps)
        self.frames.toggled.connect(self.fps.setEnabled)
        self.fps.setEnabled(s.frames)
        self.titles = QCheckBox("Record window titles (app names are always recorded)")
        self.titles.setChecked(s.window_titles)
        self.hotkey = QLineEdit(s.pause_hotkey)
        self.hotkey.setPlaceholderText("e.g. ctrl+alt+shift+p")
        self.hotkey.setToolTip(
            "Ctrl, alt or super plus one key, and not a shortcut apps or the desktop use "
            "(such as ctrl+c or alt+tab)"
        )
        form = QFormLayout()
        form.addRow(self._label(""), self.mouse)
        form.addRow(self._label(""), self.keys)
        form.addRow(self._label("Typed text"), self.text_mode)
        form.addRow(self._label(""), self.frames)
        form.addRow(self._label("Screenshots"), self.fps)
        form.addRow(self._label(""), self.titles)
        form.addRow(self._label("Pause hotkey"), self.hotkey)
        group = QGroupBox("Capture defaults (the consent dialog starts from these)")
        group.setLayout(form)
        return group

    def _apps_group(self) -> QGroupBox:
        s = self.settings
        self.allow = QLineEdit(", ".join(s.allow_apps))
        self.allow.setPlaceholderText("empty: all apps")
        self.deny = QLineEdit(", ".join(s.deny_apps))
        self.deny.setPlaceholderText("e.g. signal, thunderbird")
        self.pick_allow = QPushButton("Pick from open windows…")
        self.pick_deny = QPushButton("Pick from open windows…")
        self.pick_allow.clicked.connect(lambda: self._pick(self.allow, "only record"))
        self.pick_deny.clicked.connect(lambda: self._pick(self.deny, "never record"))
        form = QFormLayout()
        form.addRow(self._label("Only record"), with_button(self.allow, self.pick_allow))
        form.addRow(self._label("Never record"), with_button(self.deny, self.pick_deny))
        text = "Password managers and Overt itself are never recorded. Separate names with commas."
        if self.list_windows is None:
            text += " Listing open windows needs X11 here, so type the app names."
            self.pick_allow.setEnabled(False)
            self.pick_deny.setEnabled(False)
        self.apps_note = note(text)
        form.addRow(self._label(""), self.apps_note)
        group = QGroupBox("Apps")
        group.setLayout(form)
        return group

    def _startup_group(self) -> QGroupBox:
        self.autostart = QCheckBox("Start Overt in the tray at login (it never starts recording)")
        self.autostart.setChecked(autostart.is_enabled())
        self.remember = QCheckBox("Unlock the vault with the system keyring (no passphrase)")
        self.remember.setChecked(self.settings.keyring_unlock)
        reason = keyring_unlock.unavailable_reason(self.keyring or None)
        self.remember_reason = note(reason or "")
        self.remember_reason.setVisible(bool(reason))
        if reason:
            self.remember.setChecked(False)
            self.remember.setEnabled(False)
        form = QFormLayout()
        form.addRow(self._label(""), self.autostart)
        unlock = QWidget()
        unlock_box = QVBoxLayout(unlock)
        unlock_box.setContentsMargins(0, 0, 0, 0)
        unlock_box.addWidget(self.remember)
        unlock_box.addWidget(self.remember_reason)
        form.addRow(self._label(""), unlock)
        group = QGroupBox("Startup and unlock")
        group.setLayout(form)
        return group

    def _label(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setFixedWidth(self._label_width)
        return label

    # --- acting --------------------------------------------------------------------------------

    def _pick(self, target: QLineEdit, purpose: str) -> None:
        """Show the windows open now; the ticked apps are added to ``target``."""
        if self.list_windows is None:
            return
        try:
            apps = open_apps(self.list_windows)
        except RecorderError as exc:
            self._say(f"{exc} Type the app names instead.")
            return
        if not apps:
            self._say("No other app has a window open right now; type names instead.")
            return
        picker = WindowPicker(
            apps, f"“{purpose}”", never_recorded=target is self.allow, parent=self
        )

        def add() -> None:
            target.setText(", ".join(app_names(f"{target.text()},{','.join(picker.chosen())}")))
            self._check_apps()

        picker.accepted.connect(add)
        picker.finished.connect(lambda _r: setattr(self, "picker", None))
        self.picker = picker
        picker.open()

    def _say(self, sentence: str) -> None:
        """Show a problem (or clear it with ""), growing the dialog to fit it."""
        self.error.setText(sentence)
        self._fit()

    def _fit(self) -> None:
        """Grow to the height wrapped notes need at this width.

        Word-wrapped labels are height-for-width, which a dialog's own sizing ignores: without
        this a longer note squeezes the fields above it.
        """
        layout = self.layout()
        needed = layout.totalHeightForWidth(self.width()) if layout is not None else -1
        if needed > self.height():
            self.resize(self.width(), needed)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self._fit()

    def _check_apps(self) -> None:
        clash = both_allowed_and_denied(app_names(self.allow.text()), app_names(self.deny.text()))
        self._say(clash or "")

    def current(self) -> Settings:
        """The settings as the fields show them now."""
        return Settings(
            text_mode=str(self.text_mode.currentData()) if self.keys.isChecked() else "none",
            fps=round(self.fps.value(), 1),
            frames=self.frames.isChecked(),
            window_titles=self.titles.isChecked(),
            pause_hotkey=self.hotkey.text().strip(),
            deny_apps=app_names(self.deny.text()),
            keyring_unlock=self.remember.isChecked(),
            study_path=self.settings.study_path,  # joined in Studies…, kept as it is
            mouse=self.mouse.isChecked(),
            keys=self.keys.isChecked(),
            allow_apps=app_names(self.allow.text()),
            retention_days=self.storage.retention_days(),
        )

    def _save(self) -> None:
        settings = self.current()
        try:
            settings.check()
            moved = self.storage.move_if_asked(settings, self.create_vault, self._say)
            if moved is None:
                return
            save(self.home, settings)
            if self.autostart.isChecked() != autostart.is_enabled():
                if self.autostart.isChecked():
                    autostart.enable()
                else:
                    autostart.disable()
            if not settings.keyring_unlock and self.settings.keyring_unlock and self.keyring:
                with contextlib.suppress(StorageError):
                    keyring_unlock.forget(Vault.open(self.home), self.keyring)
        except (SettingsError, StorageError, OSError) as exc:
            self._say(str(exc))
            return
        self.settings = settings
        self.accept()
