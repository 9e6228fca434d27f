"""Element records: bounded text and path, known states, nothing from a password field."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from recorder.platform.accessibility.element import (
    MAX_DEPTH,
    MAX_TEXT,
    NO_BUS,
    Missing,
    contains,
    make_element,
    overlap,
    to_record,
)


def test_a_password_element_carries_no_name_description_or_selection() -> None:
    element = make_element(
        "password text",
        "hunter2",
        "type hunter2",
        {"editable"},
        (1, 2, 3, 4),
        [{"role": "frame", "name": "Login"}, {"role": "password text", "name": "hunter2"}],
        {"role": "menu item", "name": "hunter2"},
    )
    assert element.name is None
    assert element.description is None
    assert element.selected is None
    assert element.states == {"editable", "password"}
    assert "hunter2" not in json.dumps(to_record(element, 1.0))


def test_a_password_level_of_the_path_keeps_its_role_only() -> None:
    element = make_element(
        "push button", "Show", None, (), None, [{"role": "password text", "name": "s3cret"}]
    )
    assert element.path == ({"role": "password text", "name": None},)


def test_text_is_bounded_and_unknown_states_dropped() -> None:
    element = make_element("label", "x" * 1000, "  ", {"focused", "armed", "busy"}, None)
    assert element.name == "x" * MAX_TEXT
    assert element.description is None
    assert element.states == {"focused"}


def test_a_long_path_keeps_the_application_and_the_nearest_levels() -> None:
    path = [{"role": "application", "name": "app"}] + [
        {"role": "panel", "name": f"p{i}"} for i in range(40)
    ]
    element = make_element("push button", "OK", None, (), None, path)  # type: ignore[arg-type]
    assert len(element.path) == MAX_DEPTH
    assert element.path[0]["name"] == "app"
    assert element.path[-1]["name"] == "p39"


def test_a_missing_record_says_why_and_carries_nothing_else() -> None:
    record = to_record(Missing(NO_BUS, "no session bus"), 0.5, 2.25)
    assert record["missing_reason"] == NO_BUS
    assert record["role"] is None
    assert record["bounds"] is None
    assert record["path"] == []
    assert (record["lookup_ms"], record["lag_ms"]) == (0.5, 2.25)


def test_an_element_record_is_plain_json() -> None:
    element = make_element(
        "combo box",
        "Alpha",
        None,
        {"expanded"},
        (10, 20, 30, 40),
        [{"role": "application", "name": "app"}],
        {"role": "menu item", "name": "Alpha"},
    )
    record = to_record(element, 3.14159)
    assert json.loads(json.dumps(record)) == record
    assert record["bounds"] == [10, 20, 30, 40]
    assert record["selected"] == {"role": "menu item", "name": "Alpha"}
    assert record["lookup_ms"] == 3.142


def test_contains_and_overlap() -> None:
    assert contains((10, 10, 5, 5), 10, 14)
    assert not contains((10, 10, 5, 5), 15, 10)
    assert not contains((0, 0, 0, 10), 0, 0)
    assert not contains(None, 0, 0)
    assert overlap((0, 0, 10, 10), (0, 0, 10, 10)) == 1.0
    assert overlap((0, 0, 10, 10), (20, 20, 5, 5)) == 0.0


@given(st.text(), st.text(), st.sets(st.sampled_from(["focused", "password", "editable"])))
def test_no_password_text_survives_in_any_record(
    name: str, description: str, states: set[str]
) -> None:
    element = make_element("password text", name, description, states, None)
    record = to_record(element, 0.0)
    assert record["name"] is None
    assert record["description"] is None
    assert "password" in record["states"]
