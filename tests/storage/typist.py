"""Typing as the recorder records it, for the redaction tests: corrections, cursor keys, typing
pauses and window switches, the actions derived by the recorder's own ``ActionDeriver``."""

from __future__ import annotations

from typing import Any

from recorder.capture.actions import ActionDeriver
from storage import Vault
from storage.writer import SessionWriter
from tests.storage.helpers import consent

#: The text removed in these tests, typed with a correction, a pause and cursor moves.
SECRET = "password99"


class Typist:
    """Appends key, click and window events to a session, and the actions they make.

    Attributes:
        presses: per label, the seqs of the key presses made under it.
    """

    def __init__(self, writer: SessionWriter) -> None:
        self.w = writer
        self.t = 0.0
        self.deriver = ActionDeriver(type_pause_s=1.0)
        self.presses: dict[str, list[int]] = {}

    def _event(self, e: dict[str, Any]) -> int:
        e.update(t=self.t, wall=1000.0 + self.t)
        actions = self.deriver.tick(self.t)
        seq = self.w.append_event(e)
        actions += self.deriver.feed(e)  # type: ignore[arg-type]
        for a in actions:
            self.w.append_action(dict(a))
        self.t += 0.05
        return seq

    def window(self, title: str, wid: int) -> None:
        self._event(
            {"kind": "window", "app": "editor", "title": title, "pid": 42,
             "x": 0, "y": 0, "w": 800, "h": 600, "wid": wid}
        )  # fmt: skip

    def key(
        self, name: str, char: str | None = None, label: str = "", mods: list[str] | None = None
    ) -> None:
        e = {"kind": "key", "down": True, "key": name, "char": char, "vk": None, "mods": mods or []}
        seq = self._event(e)
        self.presses.setdefault(label, []).append(seq)
        self._event({"kind": "key", "down": False, "key": name, "char": None, "vk": None,
                     "mods": mods or []})  # fmt: skip

    def type(self, text: str, label: str = "") -> None:
        for c in text:
            self.key("space" if c == " " else c.lower(), c, label)

    def pause(self) -> None:
        """A typing pause: the recorder ends the type action here."""
        self.t += 2.0

    def click(self) -> None:
        for down in (True, False):
            self._event({"kind": "button", "button": "left", "down": down, "x": 5, "y": 5})

    def finish(self) -> None:
        for a in self.deriver.tick(self.t + 10) + self.deriver.flush():
            self.w.append_action(dict(a))


def type_corrected(typist: Typist) -> None:
    """:data:`SECRET` typed as ``pasx`` BackSpace ``sw``, a pause, ``99`` Left Left ``ord``
    (two type actions, "passw" and "ord99"), in a window titled with it; then "keep me" after
    a click; then "pass" in one window and "word99" in another, which must never be read as
    the secret. Press labels: "secret", "kept", "split"."""
    typist.window(f"Notes — {SECRET}", 1)
    typist.type("pasx", "secret")
    typist.key("backspace", label="secret")
    typist.type("sw", "secret")
    typist.pause()
    typist.type("99", "secret")
    typist.key("left", label="secret")
    typist.key("left", label="secret")
    typist.type("ord", "secret")
    typist.click()
    typist.type("keep me", "kept")
    typist.window("Notes", 2)
    typist.type("pass", "split")
    typist.window("Other", 3)
    typist.type("word99", "split")


def corrected_session(vault: Vault) -> tuple[str, dict[str, list[int]]]:
    """A session of :func:`type_corrected` alone; returns its id and the press seqs by label."""
    with vault.begin_session(consent()) as w:
        typist = Typist(w)
        type_corrected(typist)
        typist.finish()
        return w.session_id, typist.presses


def assert_presses_gone(events: list[dict[str, Any]], seqs: list[int]) -> None:
    """Each of these presses, and the release after it, says nothing of its key."""
    by_seq = {e["seq"]: e for e in events}
    for seq in seqs:
        for e in (by_seq[seq], by_seq[seq + 1]):  # Typist writes each release right after
            assert (e["key"], e["char"], e["vk"]) == ("redacted", None, None), e


def assert_presses_kept(events: list[dict[str, Any]], seqs: list[int]) -> None:
    by_seq = {e["seq"]: e for e in events}
    for seq in seqs:
        assert by_seq[seq]["key"] != "redacted", by_seq[seq]
