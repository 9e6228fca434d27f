"""First run (welcome, vault creation with a strength hint) and the unlock dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel
from pytestqt.qtbot import QtBot

from app.core.passphrase import estimate_bits, strength_hint
from app.core.settings import Settings, save
from app.dialogs.vault_dialogs import FirstRunDialog, UnlockDialog
from storage import Vault
from tests.app.fakes import FakeKeyring
from tests.app.sessions import OFFSCREEN_LIMITS, PASSPHRASE, TEST_LOG_N, make_vault

pytestmark = OFFSCREEN_LIMITS


def cheap_create(home: Path, passphrase: bytes) -> Vault:
    return Vault.create(home, passphrase, log_n=TEST_LOG_N)


def test_strength_hint() -> None:
    assert strength_hint("abc") == (
        "Too short: use at least 8 characters (a few words is best).",
        False,
    )
    assert strength_hint("aaaaaaaa")[0].startswith("Weak")
    assert strength_hint("correct horse battery staple")[0] == "Strong."
    assert estimate_bits("") == 0


def test_first_run_creates_a_vault_once_the_passphrases_match(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = FirstRunDialog(tmp_path / "vault", create=cheap_create, detect_caps=lambda: None)
    qtbot.add_widget(dialog)
    dialog.show()
    assert "never" in dialog.findChildren(type(dialog.hint))[0].text()
    qtbot.keyClicks(dialog.passphrase, "short")
    assert dialog.hint.text().startswith("Too short")
    assert not dialog.create_button.isEnabled()
    dialog.passphrase.setText("correct horse battery staple")
    qtbot.keyClicks(dialog.confirm, "correct horse battery stapl")
    assert "differ" in dialog.hint.text()
    assert not dialog.create_button.isEnabled()
    qtbot.keyClicks(dialog.confirm, "e")
    assert dialog.hint.text() == "Strong."
    with qtbot.wait_signal(dialog.accepted):
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.vault is not None
    Vault.open(tmp_path / "vault").unlock(b"correct horse battery staple")


def test_first_run_says_why_it_cannot_create(qtbot: QtBot, tmp_path: Path) -> None:
    make_vault(tmp_path / "vault")
    dialog = FirstRunDialog(tmp_path / "vault", create=cheap_create, detect_caps=lambda: None)
    qtbot.add_widget(dialog)
    dialog.passphrase.setText("correct horse battery staple")
    dialog.confirm.setText("correct horse battery staple")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert "already exists" in dialog.error.text()
    assert dialog.vault is None


def test_unlock_reports_a_wrong_passphrase_then_unlocks(qtbot: QtBot, tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    dialog = UnlockDialog(vault, detect_caps=lambda: None)
    qtbot.add_widget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.passphrase, "wrong")
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert dialog.error.text()
    assert dialog.unlocked is None
    dialog.passphrase.setText(PASSPHRASE.decode())
    with qtbot.wait_signal(dialog.accepted):
        qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert dialog.unlocked is not None
    assert dialog.passphrase.text() == ""


def test_unlock_warns_when_caps_lock_is_on(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = UnlockDialog(make_vault(tmp_path / "vault"), detect_caps=lambda: True)
    qtbot.add_widget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.passphrase, "A")
    assert dialog.caps.isVisible()


def test_unlock_says_what_the_passphrase_is_for(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = UnlockDialog(make_vault(tmp_path / "vault"), purpose="Withdrawing",
                          detect_caps=lambda: None)  # fmt: skip
    qtbot.add_widget(dialog)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert any(t.startswith("Withdrawing needs your passphrase.") for t in texts)
    assert not any("Reviewing" in t for t in texts)


def test_unlock_dialog_saves_the_key_only_when_opted_in(qtbot: QtBot, tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    fake = FakeKeyring()
    dialog = UnlockDialog(vault, detect_caps=lambda: None, keyring=fake)
    qtbot.add_widget(dialog)
    dialog.passphrase.setText(PASSPHRASE.decode())
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.unlocked is not None
    assert not fake.store
    save(vault.home, Settings(keyring_unlock=True))
    dialog = UnlockDialog(vault, detect_caps=lambda: None, keyring=fake)
    qtbot.add_widget(dialog)
    assert dialog.unlocked is None
    dialog.passphrase.setText(PASSPHRASE.decode())
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert fake.store
    # Next time the keyring unlocks it without asking.
    quiet = UnlockDialog(vault, detect_caps=lambda: None, keyring=fake)
    qtbot.add_widget(quiet)
    assert quiet.unlocked is not None
    with qtbot.wait_signal(quiet.accepted, timeout=5000):
        quiet.show()


def test_the_unlock_dialog_is_wide_enough_for_its_whole_title(qtbot: QtBot) -> None:
    import tempfile

    from PySide6.QtGui import QFont, QFontMetrics

    with tempfile.TemporaryDirectory(prefix="v") as short:  # a short path: a narrow dialog
        dialog = UnlockDialog(make_vault(Path(short) / "v"), detect_caps=lambda: None)
        qtbot.add_widget(dialog)
        dialog.show()
        bold = QFont(dialog.font())
        bold.setBold(True)  # title bars often use a bold font
        title = QFontMetrics(bold).horizontalAdvance(dialog.windowTitle())
        # Room for the title beside a window manager's icon and three buttons.
        assert dialog.width() >= title + 150, (dialog.width(), title)


def test_the_welcome_says_what_overt_does_and_where_the_pause_hotkey_is(
    qtbot: QtBot, tmp_path: Path
) -> None:
    home = tmp_path / "vault"
    home.mkdir()
    save(home, Settings(pause_hotkey="ctrl+alt+shift+f9"))
    dialog = FirstRunDialog(home, create=cheap_create, detect_caps=lambda: None)
    qtbot.add_widget(dialog)
    shown = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "Ctrl+Alt+Shift+F9" in shown
    for words in ("Record…", "solid red disc", "hollow ring", "Create your vault"):
        assert words in shown, words
