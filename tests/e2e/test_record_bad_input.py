"""`overt record` on a real display with a damaged participant id file: one sentence, no session.

Drafting the consent reads the file, which needs a display to reach (issue 20 item 9; the
other bad-input cases are in tests/app/cli/test_bad_input.py).
"""

from __future__ import annotations

from pathlib import Path

from storage import Vault
from tests.helpers.overt_cli import run_overt
from tests.helpers.xserver import XDisplay
from tests.storage.helpers import PASS


def test_a_non_hex_participant_secret_is_one_sentence(x_display: XDisplay, tmp_path: Path) -> None:
    vault = Vault.create(tmp_path / "vault", PASS, log_n=10)
    secret = vault.home / "participant.secret"
    secret.write_text("not hex at all\n")
    out = run_overt(
        "--home", str(vault.home), "record", "--i-consent", "--duration", "1",
        env=x_display.env,
    )  # fmt: skip
    assert out.returncode == 1, out.stderr
    assert out.stderr == (
        f"overt: The participant id file {secret} is damaged; restore it from a backup, or "
        "delete it to get new participant ids.\n"
    )
    assert Vault.open(vault.home).session_ids() == []
    assert secret.read_text() == "not hex at all\n"
