"""Opt-in: remember the unlocked vault's private key in the OS keyring (off by default).

The ``keyring`` package is optional (the ``keyring`` extra) and imported lazily: without it,
or without a usable backend, the setting is disabled with a one-sentence reason. Tests pass
a fake module-like object instead (``get_password``, ``set_password``, ``delete_password``).
"""

from __future__ import annotations

import base64
import importlib
from typing import Any

from storage import StorageError, UnlockedVault, Vault

SERVICE = "overt-vault"
#: Why the setting is off, in words for the person (what they do instead included). The
#: package missing is the ``keyring`` extra not installed; the README says how to add it.
NO_KEYRING_SUPPORT = (
    "This copy of Overt was installed without keyring support, so you type your passphrase "
    "each time you review or withdraw."
)
NO_SYSTEM_KEYRING = (
    "No system keyring (such as GNOME Keyring or KWallet) is running, so you type your "
    "passphrase each time you review or withdraw."
)


def load_keyring() -> Any:
    """The ``keyring`` module, or None when it is not installed."""
    try:
        return importlib.import_module("keyring")
    except ImportError:
        return None


def unavailable_reason(module: Any = None) -> str | None:
    """None when a keyring can be used, else one sentence saying why not."""
    module = module if module is not None else load_keyring()
    if module is None:
        return NO_KEYRING_SUPPORT
    get = getattr(module, "get_keyring", None)
    if get is not None:
        try:
            backend = get()
        except Exception:  # noqa: BLE001 - any backend failure means "not usable"
            return NO_SYSTEM_KEYRING
        if type(backend).__name__ == "Keyring" and "fail" in type(backend).__module__:
            return NO_SYSTEM_KEYRING
    return None


def _user(vault: Vault) -> str:
    return f"{vault.home.resolve()}:{vault.vault_id.hex()}"


def save_key(unlocked: UnlockedVault, module: Any = None) -> bool:
    """Store the private key; False (and nothing stored) when the keyring fails."""
    module = module if module is not None else load_keyring()
    if module is None:
        return False
    raw = base64.b64encode(unlocked.private_key_bytes()).decode("ascii")
    try:
        module.set_password(SERVICE, _user(unlocked.vault), raw)
    except Exception:  # noqa: BLE001 - a keyring error must never break unlocking
        return False
    return True


def unlock_from_keyring(vault: Vault, module: Any = None) -> UnlockedVault | None:
    """The vault unlocked with the remembered key, or None (nothing stored, wrong, failing)."""
    module = module if module is not None else load_keyring()
    if module is None:
        return None
    try:
        raw = module.get_password(SERVICE, _user(vault))
    except Exception:  # noqa: BLE001
        return None
    if not raw:
        return None
    try:
        return vault.unlock_with_private_key(base64.b64decode(raw))
    except (StorageError, ValueError):
        return None


def forget(vault: Vault, module: Any = None) -> None:
    """Remove the remembered key, if any."""
    module = module if module is not None else load_keyring()
    if module is None:
        return
    try:
        module.delete_password(SERVICE, _user(vault))
    except Exception:  # noqa: BLE001 - nothing stored is fine
        return
