"""The settings dialog: defaults for new recordings, apps, storage and retention, startup.

The capture defaults only pre-fill the consent dialog; every recording is still affirmed by the
person. Nothing here starts capture, and autostart starts the tray only.

Signals:
    (none: a dialog; the settings are saved on OK, and ``accepted`` follows.)
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.core import autostart, keyring_unlock
from app.core.settings import (
    MAX_RETENTION_DAYS,
    Settings,
    SettingsError,
    app_names,
    both_allowed_and_denied,
    load,
    save,
)
from app.core.vault_location import (
    configured_home,
    examine,
    same_folder,
    save_location,
    session_count,
)
from app.dialogs.window_picker import WindowLister, WindowPicker, default_lister, open_apps
from app.qt.widgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
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

VaultCreator = Callable[[Path, QWidget], bool]


def create_with_passphrase(folder: Path, parent: QWidget) -> bool:
    """Ask for a passphrase and create a vault in ``folder``; whether one was created."""
    from app.dialogs.vault_dialogs import FirstRunDialog

    dialog = FirstRunDialog(folder, parent=parent)
    dialog.setWindowTitle("Overt: create a vault in the new place")
    return dialog.exec() == QDialog.DialogCode.Accepted


def _note(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(placeholder-text);")
    return label


class SettingsDialog(QDialog):
    """Edits and saves the recording defaults and where the vault lives.

    Attributes:
        home: the vault folder this run uses (the settings file lives in it).
        settings: the settings as saved (after OK) or loaded.
        error: where a problem is said, in one sentence.
        picker: the open-windows picker while one is shown, for tests.
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
        layout.addWidget(self._storage_group())
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
        form.addRow(self._label("Only record"), self._row(self.allow, self.pick_allow))
        form.addRow(self._label("Never record"), self._row(self.deny, self.pick_deny))
        note = "Password managers and Overt itself are never recorded. Separate names with commas."
        if self.list_windows is None:
            note += " Listing open windows needs X11 here, so type the app names."
            self.pick_allow.setEnabled(False)
            self.pick_deny.setEnabled(False)
        self.apps_note = _note(note)
        form.addRow(self._label(""), self.apps_note)
        group = QGroupBox("Apps")
        group.setLayout(form)
        return group

    def _storage_group(self) -> QGroupBox:
        self.location = QLineEdit(str(self.home))
        self.choose_location = QPushButton("Choose…")
        self.choose_location.clicked.connect(self._choose_folder)
        self.location_note = _note()
        # room for the longest note, so a change never squeezes the fields around it
        self.location_note.setMinimumHeight(self.fontMetrics().lineSpacing() * 3 + 4)
        self._location_hint = (
            "Overt never moves a vault: choose a folder with a vault to use it, "
            "or an empty one to create a new vault there."
        )
        try:
            self.overridden = not same_folder(self.home, configured_home())
        except SettingsError as exc:
            self.overridden = True
            self.error.setText(str(exc))
        if self.overridden:
            self.location.setReadOnly(True)
            self.choose_location.setEnabled(False)
            self.location_note.setText(
                f"This run uses {self.home} because --home or OVERT_HOME says so; "
                "that wins over this setting."
            )
        else:
            self.location_note.setText(self._location_hint)
        self._sessions = None if self.overridden else session_count(self.home)
        self.location.textChanged.connect(self._location_changed)
        self.retention = QSpinBox()
        self.retention.setRange(0, MAX_RETENTION_DAYS)
        self.retention.setSpecialValueText("until I delete them")
        self.retention.setSuffix(" days")
        self.retention.setValue(self.settings.retention_days or 0)
        form = QFormLayout()
        form.addRow(self._label("Vault folder"), self._row(self.location, self.choose_location))
        form.addRow(self._label(""), self.location_note)
        form.addRow(self._label("Keep personal recordings"), self.retention)
        form.addRow(
            self._label(""),
            _note(
                "Then they are deleted for good. Applies to new recordings; "
                "study recordings keep the study's retention."
            ),
        )
        group = QGroupBox("Storage and retention")
        group.setLayout(form)
        return group

    def _startup_group(self) -> QGroupBox:
        self.autostart = QCheckBox("Start Overt in the tray at login (it never starts recording)")
        self.autostart.setChecked(autostart.is_enabled())
        self.remember = QCheckBox("Unlock the vault with the system keyring (no passphrase)")
        self.remember.setChecked(self.settings.keyring_unlock)
        reason = keyring_unlock.unavailable_reason(self.keyring or None)
        self.remember_reason = _note(reason or "")
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

    @staticmethod
    def _row(field: QWidget, button: QPushButton) -> QWidget:
        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(field, 1)
        box.addWidget(button)
        return row

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

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Where the vault lives", str(self.home))
        if folder:
            self.location.setText(folder)

    def _location_changed(self, text: str) -> None:
        change = examine(self.home, text, self._sessions)
        colours = {"same": "palette(placeholder-text)", "refuse": "#b00020"}
        self.location_note.setStyleSheet(f"color: {colours.get(change.kind, 'palette(text)')};")
        self.location_note.setText(change.sentence or self._location_hint)
        self._fit()

    def current(self) -> Settings:
        """The settings as the fields show them now."""
        days = self.retention.value()
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
            retention_days=days or None,
        )

    def _save(self) -> None:
        settings = self.current()
        try:
            settings.check()
            moved = self._move_if_asked(settings)
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

    def _move_if_asked(self, settings: Settings) -> bool | None:
        """Switch to another vault folder if the person chose one.

        The old vault is never touched; a new place gets a vault before it is written down,
        so the location never points at a folder without one.

        Returns:
            True if the place changed, False if not, None if it could not (said in ``error``).
        """
        if self.overridden:
            return False
        change = examine(self.home, self.location.text(), self._sessions)
        if change.kind == "same":
            return False
        if change.kind == "refuse":
            self._say(change.sentence)
            return None
        if change.kind == "create" and not self.create_vault(change.folder, self):
            self._say(f"No vault was created in {change.folder}; nothing was changed.")
            return None
        save(change.folder, settings)
        save_location(change.folder)
        return True
