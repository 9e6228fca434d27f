"""Fixtures for the storage tests (helpers they share: tests/storage/helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage import Vault
from tests.storage.helpers import make_vault


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    return make_vault(tmp_path / "vault")
