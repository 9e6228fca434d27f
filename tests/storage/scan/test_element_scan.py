"""The scanner suggests over UI element names: an email address as a button's name, a phone
number in a menu's selected item, each once per element."""

from __future__ import annotations

from typing import Any

from storage import Vault
from storage.export import preview
from storage.scan.text import element_texts, scan_session, unresolved
from tests.storage.helpers import PASS, consent, key, type_action


def element(name: str | None, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "role": "push button",
        "name": name,
        "description": None,
        "states": [],
        "bounds": [1, 2, 3, 4],
        "path": [{"role": "application", "name": "mailer"}, {"role": "push button", "name": name}],
        "selected": None,
        "app": "mailer",
    }
    return base | fields


ELEMENTS = {
    3: element("Send to jane.doe@example.com"),
    5: element("Country", selected={"role": "menu item", "name": "+44 20 7946 0958"}),
    7: element("OK", end=element("Write to bob@example.org")),
    9: {"missing": "app not accessible"},
}


def test_element_names_are_scanned_each_text_once() -> None:
    found = [s for s in scan_session([], [], ELEMENTS) if s.source == "element"]
    assert [(s.kind, s.action_seq) for s in found] == [("email", 3), ("phone", 5), ("email", 7)]
    assert all(s.event_seqs == () and s.title_seq is None for s in found)
    assert "jane" not in repr([s.to_json() for s in found])  # masked, never the text
    assert len({s.key() for s in found}) == 3
    assert unresolved(found, [found[0].key()]) == found[1:]


def test_no_elements_no_element_suggestions() -> None:
    assert scan_session([], []) == []
    assert element_texts({"missing": "timed out"}) == []
    assert element_texts(ELEMENTS[3]) == ["Send to jane.doe@example.com", "mailer"]


def test_export_preview_warns_of_an_email_in_an_element_s_name(vault: Vault) -> None:
    """Before an export, the unresolved suggestions include those in element names."""
    with vault.begin_session(consent()) as w:
        seq = w.append_action(type_action("a", [w.append_event(key("a"))]))
        w.append_element({"action": seq, "element": stored(ELEMENTS[3])})
        sid = w.session_id
    shown = preview([vault.unlock(PASS).open_session(sid)])
    assert [(s.source, s.kind, s.action_seq) for s in shown.unresolved] == [("element", "email", 0)]


def stored(element: dict[str, Any]) -> dict[str, Any]:
    """A reader's element as the recorder stores it (storage/elements.py)."""
    return element | {"missing_reason": None, "lookup_ms": 1.0, "lag_ms": 0.0}
