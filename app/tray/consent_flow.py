"""Record…: the consent dialog, drafted from the Settings and a joined study; Start starts.

If the joined study's file has gone or become invalid, the person is told in one sentence and
asked whether to record without it; a study is never dropped silently.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.core import settings as settings_file
from app.core.consent_drafting import draft_consent
from app.dialogs.consent_dialog import ConsentDialog
from app.qt.widgets import QMessageBox
from app.tray.open_windows import OpenWindows
from app.tray.vault_access import VaultAccess
from recorder.consent.study import Study, StudyError, load_study
from recorder.errors import ConsentRequired

RECORD_WITHOUT_STUDY = "Record without the study"


class ConsentFlow:
    """From Record… to an affirmed consent record, or to nothing.

    Attributes:
        home: the vault folder (its settings file says what to draft).
        study_problem: the "record without the study?" question while it is open.
    """

    def __init__(
        self,
        home: Path,
        windows: OpenWindows,
        vault: VaultAccess,
        *,
        idle: Callable[[], bool],
        affirmed: Callable[[dict[str, Any] | None], None],
    ) -> None:
        """Args:
        windows: where its dialogs are kept and its problems said.
        vault: opens the vault (a first run creates it) before anything is drafted.
        idle: whether nothing is being recorded now.
        affirmed: receives the consent record once the person pressed Start.
        """
        self.home = home
        self.windows = windows
        self.vault = vault
        self.idle = idle
        self.affirmed = affirmed
        self.study_problem: QMessageBox | None = None

    def record(self, *, without_study: bool = False) -> ConsentDialog | None:
        """Show the consent dialog; recording starts only on Start.

        Args:
            without_study: the person chose to record without the joined study.
        """
        if not self.idle() or self.vault.open() is None:
            return None
        notices: list[str] = []
        try:
            settings = settings_file.load(self.home, notices)
        except settings_file.SettingsError as exc:
            self.windows.error(str(exc))
            return None
        for notice in notices:
            self.windows.announce("Overt: the pause hotkey was reset", notice)
        study: Study | None = None
        if settings.study_path and not without_study:
            try:
                study = load_study(Path(settings.study_path))
            except StudyError as exc:
                self._ask_without_study(str(exc))
                return None
        try:
            draft = draft_consent(self.home, settings, study=study)
        except ConsentRequired as exc:
            self.windows.error(str(exc))
            return None
        dialog = ConsentDialog(draft)
        dialog.accepted.connect(lambda: self.affirmed(dialog.record))
        self.windows.open(dialog)
        return dialog

    def _ask_without_study(self, problem: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "Overt: the study cannot be used", problem)
        box.setInformativeText(
            "Record a personal session without the study, or cancel and load the study file "
            "again in Studies…."
        )
        box.addButton("Cancel", QMessageBox.ButtonRole.RejectRole)
        without = box.addButton(RECORD_WITHOUT_STUDY, QMessageBox.ButtonRole.AcceptRole)

        def answered(_result: int) -> None:
            self.study_problem = None
            self.windows.forget(box)
            if box.clickedButton() is without:
                self.record(without_study=True)

        box.finished.connect(answered)
        self.study_problem = box
        self.windows.keep(box)
        box.open()
        self.windows.announce("Overt", problem)
