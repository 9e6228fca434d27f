"""Fixtures for the scan tests: the real OCR engine (see text_screens.py)."""

from __future__ import annotations

from tests.storage.scan.text_screens import engine

__all__ = ["engine"]  # the fixture: tesseract, or a failure under CI=true
