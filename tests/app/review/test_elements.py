"""The review's element line and box, from plain records (no Qt)."""

from __future__ import annotations

from app.review.elements import NONE_RECORDED, element_shown, frame_box, path_label

SAVE = {
    "role": "push button",
    "name": "Save",
    "description": None,
    "states": ["focused"],
    "bounds": [1940, 130, 80, 24],
    "path": [
        {"role": "application", "name": "gedit"},
        {"role": "frame", "name": "notes.txt"},
        {"role": "panel", "name": None},
        {"role": "push button", "name": "Save"},
    ],
    "selected": None,
    "app": "gedit",
}
SECOND_MONITOR = {"x": 1920, "y": 0, "w": 1280, "h": 720}


def test_box_is_in_the_frames_pixels_like_the_click_marks() -> None:
    assert frame_box(SAVE, SECOND_MONITOR) == (20, 130, 80, 24)
    assert frame_box(SAVE, {}) == (1940, 130, 80, 24)


def test_no_box_for_missing_empty_or_malformed_bounds() -> None:
    assert frame_box({"missing": "no accessibility bus"}, {}) is None
    assert frame_box({**SAVE, "bounds": None}, {}) is None
    assert frame_box({**SAVE, "bounds": [1, 2, 0, 5]}, {}) is None
    assert frame_box({**SAVE, "bounds": [1, 2, "3", 5]}, {}) is None
    assert frame_box({**SAVE, "bounds": [True, 2, 3, 5]}, {}) is None


def test_line_names_the_path_application_first_and_the_states() -> None:
    shown = element_shown({7: SAVE}, {"seq": 7, "kind": "click"}, SECOND_MONITOR)
    assert shown.line == (
        "Element: gedit › Frame “notes.txt” › Panel › Push button “Save” [focused]"
    )
    assert shown.boxes == [(20, 130, 80, 24)]


def test_line_says_why_an_element_is_missing() -> None:
    shown = element_shown({7: {"missing": "timed out"}}, {"seq": 7}, {})
    assert shown.line == "Element: no element (timed out)"
    assert shown.boxes == []


def test_action_without_a_record_and_session_without_elements() -> None:
    assert element_shown({7: SAVE}, {"seq": 8}, {}).line == NONE_RECORDED
    nothing = element_shown({}, {"seq": 7}, {})
    assert (nothing.line, nothing.boxes) == ("", [])
    assert element_shown({7: SAVE}, None, {}).line == ""


def test_drag_shows_both_ends_and_the_selected_item() -> None:
    combo = {
        **SAVE,
        "role": "combo box",
        "name": "Size",
        "states": [],
        "path": [],
        "bounds": [1930, 10, 50, 20],
        "selected": {"role": "menu item", "name": "Large"},
    }
    shown = element_shown({3: {**SAVE, "end": combo}}, {"seq": 3}, SECOND_MONITOR)
    assert shown.boxes == [(20, 130, 80, 24), (10, 10, 50, 20)]
    assert shown.line.endswith("  →  Combo box “Size” · selected “Large”")


def test_path_falls_back_to_the_elements_own_role_and_name() -> None:
    assert path_label({"role": "check box", "name": None, "path": []}) == "Check box"
