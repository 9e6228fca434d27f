"""Stand-ins for the app's tests where the real thing is not under test."""

from __future__ import annotations


class FakeKeyring:
    """The keyring module's three calls, on a dict (the real package is never imported)."""

    def __init__(self) -> None:
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, user: str) -> str | None:
        return self.store.get((service, user))

    def set_password(self, service: str, user: str, value: str) -> None:
        self.store[(service, user)] = value

    def delete_password(self, service: str, user: str) -> None:
        self.store.pop((service, user), None)
