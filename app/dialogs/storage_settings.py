"""Settings' "Storage and retention" group: where the vault lives, how long recordings are kept.

Overt never moves a vault: choosing another folder uses the vault already there, or creates a
new one there (after asking for its passphrase); the old vault stays where it was, untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.core.settings import MAX_RETENTION_DAYS, Settings, SettingsError, save
from app.core.vault_location import (
    configured_home,
    examine,
    same_folder,
    save_location,
    session_count,
)
from app.dialogs.form_parts import note, with_button
from app.qt.widgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

VaultCreator = Callable[[Path, QWidget], bool]

LOCATION_HINT = (
    "Overt never moves a vault: choose a folder with a vault to use it, "
    "or an empty one to create a new vault there."
)


def create_with_passphrase(folder: Path, parent: QWidget) -> bool:
    """Ask for a passphrase and create a vault in ``folder``; whether one was created."""
    from app.dialogs.vault_dialogs import FirstRunDialog

    dialog = FirstRunDialog(folder, parent=parent)
    dialog.setWindowTitle("Overt: create a vault in the new place")
    return dialog.exec() == QDialog.DialogCode.Accepted


class StorageGroup(QGroupBox):
    """The vault folder (with what choosing another will do) and the personal retention.

    Attributes:
        home: the vault folder this run uses.
        location: the folder as typed; choose_location picks one.
        location_note: what choosing the typed folder will do, or why not.
        retention: days personal recordings are kept (0: until deleted by hand).
        overridden: --home or OVERT_HOME chose the folder, so it cannot be changed here.
        problem: why the storage location file could not be read ("" when it could).
    """

    def __init__(
        self,
        home: Path,
        retention_days: int | None,
        label: Callable[[str], QLabel],
        *,
        relayout: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        """Args:
        home: the vault folder this run uses.
        retention_days: the saved retention (None: until deleted by hand).
        label: makes a row label of the dialog's label column.
        relayout: lets the dialog grow when a note gets longer.
        """
        super().__init__("Storage and retention", parent)
        self.home = home
        self.relayout = relayout
        self.problem = ""
        self.location = QLineEdit(str(home))
        self.choose_location = QPushButton("Choose…")
        self.choose_location.clicked.connect(self._choose_folder)
        self.location_note = note()
        # room for the longest note, so a change never squeezes the fields around it
        self.location_note.setMinimumHeight(self.fontMetrics().lineSpacing() * 3 + 4)
        try:
            self.overridden = not same_folder(home, configured_home())
        except SettingsError as exc:
            self.overridden = True
            self.problem = str(exc)
        if self.overridden:
            self.location.setReadOnly(True)
            self.choose_location.setEnabled(False)
            self.location_note.setText(
                f"This run uses {home} because --home or OVERT_HOME says so; "
                "that wins over this setting."
            )
        else:
            self.location_note.setText(LOCATION_HINT)
        self._sessions = None if self.overridden else session_count(home)
        self.location.textChanged.connect(self._location_changed)
        self.retention = QSpinBox()
        self.retention.setRange(0, MAX_RETENTION_DAYS)
        self.retention.setSpecialValueText("until I delete them")
        self.retention.setSuffix(" days")
        self.retention.setValue(retention_days or 0)
        form = QFormLayout()
        form.addRow(label("Vault folder"), with_button(self.location, self.choose_location))
        form.addRow(label(""), self.location_note)
        form.addRow(label("Keep personal recordings"), self.retention)
        form.addRow(
            label(""),
            note(
                "Then they are deleted for good. Applies to new recordings; "
                "study recordings keep the study's retention."
            ),
        )
        self.setLayout(form)

    def retention_days(self) -> int | None:
        """The retention as chosen (None: until deleted by hand)."""
        return self.retention.value() or None

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Where the vault lives", str(self.home))
        if folder:
            self.location.setText(folder)

    def _location_changed(self, text: str) -> None:
        change = examine(self.home, text, self._sessions)
        colours = {"same": "palette(placeholder-text)", "refuse": "#b00020"}
        self.location_note.setStyleSheet(f"color: {colours.get(change.kind, 'palette(text)')};")
        self.location_note.setText(change.sentence or LOCATION_HINT)
        self.relayout()

    def move_if_asked(
        self, settings: Settings, create_vault: VaultCreator, say: Callable[[str], None]
    ) -> bool | None:
        """Switch to another vault folder if the person chose one.

        The old vault is never touched; a new place gets a vault before it is written down,
        so the location never points at a folder without one.

        Args:
            settings: the settings to save in the new place too.
            create_vault: asks for a passphrase and creates a vault in a folder.
            say: shows why the place could not change, in one sentence.

        Returns:
            True if the place changed, False if not, None if it could not (said with ``say``).

        Raises:
            StorageError, OSError: the new place's settings or the location file cannot be
                written.
        """
        if self.overridden:
            return False
        change = examine(self.home, self.location.text(), self._sessions)
        if change.kind == "same":
            return False
        if change.kind == "refuse":
            say(change.sentence)
            return None
        if change.kind == "create" and not create_vault(change.folder, self.window()):
            say(f"No vault was created in {change.folder}; nothing was changed.")
            return None
        save(change.folder, settings)
        save_location(change.folder)
        return True
