"""Scope decisions: allow and deny lists, private windows, own windows, sensitive titles."""

from __future__ import annotations

import pytest

from recorder.capture.policy import Policy, parse_hotkey
from recorder.consent.record import ConsentScope, build_cli_consent, scope_from_consent
from recorder.errors import ConsentRequired
from tests.recorder.fakes import window


def test_default_deny_list_covers_password_managers_and_overt() -> None:
    policy = Policy(ConsentScope(), own_pid=1)
    assert policy.in_scope(window("Firefox"))
    for app in ("KeePassXC", "1Password", "Bitwarden", "overt"):
        assert not policy.in_scope(window(app)), app
    assert not policy.in_scope(window("xterm", instance="keepassxc"))


@pytest.mark.parametrize(
    "title",
    ["Mozilla Firefox Private Browsing", "New Tab - Google Chrome (Incognito)", "Bing - InPrivate"],
)
def test_private_browsing_windows_are_out_of_scope(title: str) -> None:
    assert not Policy(ConsentScope(), own_pid=1).in_scope(window("firefox", title))


def test_allow_list_limits_scope_and_deny_wins() -> None:
    scope = ConsentScope(apps_allow=("Gedit", "keepassxc"))
    policy = Policy(scope, own_pid=1)
    assert policy.in_scope(window("gedit"))
    assert not policy.in_scope(window("firefox"))
    assert not policy.in_scope(window("KeePassXC"))
    assert not policy.in_scope(None)  # the bare desktop is not an allowed app
    assert Policy(ConsentScope(), own_pid=1).in_scope(None)


def test_own_windows_are_never_recorded() -> None:
    assert not Policy(ConsentScope(), own_pid=4242).in_scope(window("python3", pid=4242))


@pytest.mark.parametrize(
    ("title", "sensitive"),
    [
        ("[sudo] password for ada", True),
        ("Enter passphrase", True),
        ("Login - Intranet", True),
        ("Sign in to your account", True),
        ("Passport application.odt", False),
        ("notes.txt - gedit", False),
    ],
)
def test_sensitive_titles(title: str, sensitive: bool) -> None:
    assert Policy.is_sensitive(window("x", title)) is sensitive


def test_hotkey_parsing() -> None:
    assert parse_hotkey("ctrl+alt+shift+P") == (frozenset({"ctrl", "alt", "shift"}), "p")
    assert parse_hotkey("Control+F9") == (frozenset({"ctrl"}), "f9")
    for bad in ("ctrl+alt", "ctrl++p", "a+b"):
        with pytest.raises(ValueError, match="hotkey"):
            parse_hotkey(bad)


def test_consent_record_round_trips_its_scope() -> None:
    scope = ConsentScope(text_mode="keys", apps_allow=("gedit",), duration_s=60, fps=2)
    consent = build_cli_consent(scope, app_version="1.2")
    assert consent["affirmed_by"] == "--i-consent flag"
    assert consent["scope"]["apps_allow"] == ["gedit"]
    assert scope_from_consent(consent) == scope


def test_no_consent_no_scope() -> None:
    with pytest.raises(ConsentRequired):
        scope_from_consent(None)
    with pytest.raises(ConsentRequired):
        scope_from_consent({"affirmed_by": "nothing"})
    with pytest.raises(ConsentRequired, match="text mode"):
        ConsentScope(text_mode="all")  # type: ignore[arg-type]
