"""Fixtures for the scan tests: the real OCR engine (see tests/helpers/screen_text.py)."""

from __future__ import annotations

from tests.helpers.screen_text import engine

__all__ = ["engine"]  # the fixture: tesseract, or a failure under CI=true
