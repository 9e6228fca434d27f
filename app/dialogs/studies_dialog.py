"""Studies…: load a study file, read what it asks, join it or leave it.

Joining only remembers the file (``study_path`` in the settings): nothing is recorded until
the person presses Record… and affirms the consent dialog, which then shows the study's
who, why and recipients. The file is validated when loaded, and again at every Record….

Signals:
    changed(object): the person joined (the Study) or left (None) a study.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from app.core import settings as settings_file
from app.core.studies import current_study, study_facts
from app.qt.core import Qt, Signal
from app.qt.widgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from recorder.consent.study import Study, StudyError, load_study
from storage import StorageError

FileChooser = Callable[[QWidget], Path | None]


def pick_study_file(parent: QWidget) -> Path | None:
    """The system file picker, for study files (.toml)."""
    name, _ = QFileDialog.getOpenFileName(
        parent, "Overt: load a study file", str(Path.home()), "Study files (*.toml);;All files (*)"
    )
    return Path(name) if name else None


def facts_html(study: Study) -> str:
    """The study's facts as a two-column table."""
    rows = "".join(
        f"<tr><td style='padding:2px 10px 2px 0'><b>{html.escape(label)}</b></td>"
        f"<td style='padding:2px 0'>{html.escape(text)}</td></tr>"
        for label, text in study_facts(study)
    )
    return f"<table>{rows}</table>"


class StudiesDialog(QDialog):
    """Shows the current study; loads, joins and leaves studies.

    Attributes:
        home: the vault folder (the settings file lives there).
        joined: the study joined now (None: personal recordings).
        loaded: the study file loaded in this dialog and its path (not yet joined).
        current: the line saying which study is current.
        notice: one sentence: why a file is not usable, or what just changed.
        shown: which study the details are about (loaded, or joined).
        details: what the shown study asks.
        load_button, join_button, leave_button, close_button: the actions.
    """

    changed = Signal(object)

    def __init__(
        self,
        home: Path,
        *,
        choose_file: FileChooser = pick_study_file,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.home = home
        self.choose_file = choose_file
        self.loaded: tuple[Study, Path] | None = None
        self.setWindowTitle("Overt: studies")
        self.setMinimumSize(560, 460)
        self.current = QLabel()
        self.current.setWordWrap(True)
        self.notice = QLabel("")
        self.notice.setWordWrap(True)
        self.shown = QLabel()
        self.shown.setWordWrap(True)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        scroll = QScrollArea()
        scroll.setWidget(self.details)
        scroll.setWidgetResizable(True)
        self.load_button = QPushButton("Load study file…")
        self.join_button = QPushButton("Join this study")
        self.leave_button = QPushButton("Leave the study")
        self.close_button = QPushButton("Close")
        for button in (self.load_button, self.join_button, self.leave_button, self.close_button):
            button.setAutoDefault(False)
        self.load_button.clicked.connect(self.load)
        self.join_button.clicked.connect(self.join)
        self.leave_button.clicked.connect(self.leave)
        self.close_button.clicked.connect(self.accept)
        note = QLabel(
            "Joining a study records nothing by itself: each session still starts only when "
            "you press Record… and agree. You can record less than a study asks, never more."
        )
        note.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.load_button)
        buttons.addWidget(self.join_button)
        buttons.addWidget(self.leave_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.current)
        layout.addWidget(self.notice)
        layout.addWidget(self.shown)
        layout.addWidget(scroll, 1)
        layout.addWidget(note)
        layout.addLayout(buttons)
        self.joined: Study | None = None
        self.refresh()

    def refresh(self) -> None:
        """Show the joined study (or why it cannot be used) and enable what makes sense."""
        self.joined, problem = current_study(self.home)
        if self.joined is not None:
            self.current.setText(
                f"<b>Current study:</b> {html.escape(self.joined.title)} "
                f"({html.escape(self.joined.researcher)}). Record… records for this study."
            )
        elif problem:
            self.current.setText(
                "<b>Current study:</b> the study you joined cannot be used. "
                "Record… will ask before recording without it."
            )
        else:
            self.current.setText(
                "<b>Current study:</b> none. Recordings are personal; load a study file a "
                "researcher gave you to join their study."
            )
        self.say(problem)
        shown = self.loaded[0] if self.loaded else self.joined
        self.details.setText(facts_html(shown) if shown else "")
        if self.loaded is not None:
            self.shown.setText(f"<b>Loaded, not joined yet:</b> {html.escape(str(self.loaded[1]))}")
        else:
            self.shown.setText("<b>What your study asks:</b>" if self.joined else "")
        self.shown.setVisible(bool(self.shown.text()))
        self.join_button.setEnabled(self.loaded is not None)
        self.leave_button.setEnabled(self._joined_path() is not None)

    def _joined_path(self) -> str | None:
        try:
            return settings_file.load(self.home).study_path
        except settings_file.SettingsError:
            return None

    def load(self) -> None:
        """Pick a study file and show what it asks (not joined yet)."""
        path = self.choose_file(self)
        if path is None:
            return
        self.load_path(path)

    def load_path(self, path: Path) -> bool:
        """Validate and show the study file at ``path``; its one-sentence error if invalid."""
        try:
            study = load_study(path)
        except StudyError as exc:
            self.loaded = None
            self.refresh()
            self.say(str(exc))
            return False
        self.loaded = (study, path.resolve())
        self.refresh()
        return True

    def join(self) -> None:
        """Remember the loaded study file: Record… will record for it."""
        if self.loaded is None:
            return
        study, path = self.loaded
        if self._save_study_path(str(path)):
            self.loaded = None
            self.refresh()
            self.changed.emit(study)

    def leave(self) -> None:
        """Forget the joined study: recordings are personal again.

        Sessions already recorded for it stay until withdrawn (Withdraw…).
        """
        if self._save_study_path(None):
            self.loaded = None
            self.refresh()
            self.say(
                "You left the study. Sessions recorded for it stay on this computer until "
                "you withdraw them with Withdraw… or they expire.",
                error=False,
            )
            self.changed.emit(None)

    def say(self, text: str, *, error: bool = True) -> None:
        """Show one sentence under the current study (red when it is a problem)."""
        self.notice.setStyleSheet("color: #b00020;" if error else "color: #1b5e20;")
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def _save_study_path(self, path: str | None) -> bool:
        try:
            settings = settings_file.load(self.home)
            settings_file.save(self.home, replace(settings, study_path=path))
        except (settings_file.SettingsError, StorageError, OSError) as exc:
            self.say(str(exc))
            return False
        return True
