"""AtspiBus's messages and replies, as real jeepney messages (serialised, so signatures count)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from jeepney import Message, new_error, new_method_return
from jeepney.low_level import HeaderFields, Parser

from recorder.platform.accessibility import atspi_bus
from recorder.platform.accessibility.atspi_bus import (
    AtspiBus,
    BusUnavailable,
    CallFailed,
    CallTimedOut,
    bitset,
)

REF = (":1.5", "/org/a11y/atspi/accessible/7")


class FakeConnection:
    """Serialises each call (what the socket would carry) and answers with ``reply``."""

    def __init__(self, reply: Callable[[Message], Message]) -> None:
        self.reply = reply
        self.sent: list[Message] = []

    def send_and_get_reply(self, message: Message, timeout: float) -> Message:
        parsed = Parser().feed(message.serialise(serial=1))
        assert len(parsed) == 1
        self.sent.append(parsed[0])
        return self.reply(message)

    def close(self) -> None:
        pass


def bus_answering(signature: str, body: tuple[Any, ...]) -> tuple[AtspiBus, FakeConnection]:
    connection = FakeConnection(lambda m: new_method_return(m, signature, body))
    return AtspiBus(connection), connection


def test_get_accessible_at_point_in_screen_coordinates() -> None:
    bus, connection = bus_answering("(so)", ((":1.5", "/org/a11y/atspi/accessible/9"),))
    assert bus.at_point(REF, 120, -5, 0.05) == (":1.5", "/org/a11y/atspi/accessible/9")
    sent = connection.sent[0]
    assert sent.header.fields[HeaderFields.member] == "GetAccessibleAtPoint"
    assert sent.body == (120, -5, 0)


def test_the_null_reference_is_none() -> None:
    bus, _ = bus_answering("(so)", ((":1.5", atspi_bus.NULL_PATH),))
    assert bus.at_point(REF, 1, 1, 0.05) is None


def test_a_state_set_of_two_words_becomes_one_integer() -> None:
    bus, _ = bus_answering("au", ([1 << 12 | 1 << 25, 1 << 1],))
    state = bus.state(REF, 0.05)
    assert state >> 12 & 1
    assert state >> 25 & 1
    assert state >> 33 & 1


def test_collection_match_rule_has_the_wire_signature() -> None:
    bus, connection = bus_answering("a(so)", ([(":1.5", "/a/1"), (":1.5", "/a/2")],))
    assert bus.matches(REF, [25], [35, 8], 0, 0.05) == [(":1.5", "/a/1"), (":1.5", "/a/2")]
    rule = connection.sent[0].body[0]
    assert rule[0] == [1 << 25, 0]
    assert rule[5] == atspi_bus.MATCH_ANY


def test_bitsets_with_the_top_bit_travel_as_signed_ints() -> None:
    assert bitset([31], 2) == [-(1 << 31), 0]
    assert bitset([0, 33], 2) == [1, 2]


def test_properties_come_out_of_their_variant() -> None:
    bus, connection = bus_answering("v", (("s", "Save report"),))
    assert bus.name(REF, 0.05) == "Save report"
    assert connection.sent[0].body == ("org.a11y.atspi.Accessible", "Name")


def test_an_error_reply_is_call_failed_with_its_name() -> None:
    connection = FakeConnection(
        lambda m: new_error(m, "org.freedesktop.DBus.Error.UnknownMethod", "s", ("no",))
    )
    with pytest.raises(CallFailed) as raised:
        AtspiBus(connection).extents(REF, 0.05)
    assert raised.value.unsupported


def test_a_timeout_and_a_broken_socket() -> None:
    def late(message: Message) -> Message:
        raise TimeoutError

    with pytest.raises(CallTimedOut):
        AtspiBus(FakeConnection(late)).children(REF, 0.05)
    with pytest.raises(CallTimedOut):  # nothing left of the deadline: not even sent
        AtspiBus(FakeConnection(late)).children(REF, 0.0)

    def broken(message: Message) -> Message:
        raise ConnectionResetError("gone")

    with pytest.raises(BusUnavailable):
        AtspiBus(FakeConnection(broken)).children(REF, 0.05)


def test_no_session_bus_is_bus_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.delenv("AT_SPI_BUS_ADDRESS", raising=False)
    with pytest.raises(BusUnavailable, match="no D-Bus session bus"):
        AtspiBus.connect()
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/overt-test-bus")
    with pytest.raises(BusUnavailable, match="cannot be reached"):
        AtspiBus.connect()


def test_the_role_comes_from_its_number_not_the_toolkit_s_role_name() -> None:
    # Qt 6 answers GetRoleName "text" for a password field whose role number is 40.
    bus, connection = bus_answering("u", (40,))
    assert bus.role(REF, 0.05) == "password text"
    assert [m.header.fields[HeaderFields.member] for m in connection.sent] == ["GetRole"]


def test_a_role_number_past_the_table_asks_for_the_role_name() -> None:
    replies = iter([("u", (999,)), ("s", ("future widget",))])
    connection = FakeConnection(lambda m: new_method_return(m, *next(replies)))
    assert AtspiBus(connection).role(REF, 0.05) == "future widget"


def test_at_spi_bus_address_wins_over_the_session_bus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.setenv("AT_SPI_BUS_ADDRESS", "unix:path=/run/overt-test/a11y")
    assert atspi_bus.accessibility_bus_address() == "unix:path=/run/overt-test/a11y"
