"""Overt's version, read once from the installed package's metadata."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def overt_version() -> str:
    """The installed package's version, or ``0+unknown`` when run from an uninstalled tree."""
    try:
        return version("overt")
    except PackageNotFoundError:
        return "0+unknown"
