"""Reading small files that may be hostile: a size cap and no RecursionError from nesting.

A ``summary.json``, ``vault.key`` or study file is a few hundred bytes; anyone who can write
the folder can make one endless (``/dev/zero``) or nested thousands deep, and a parser's
RecursionError would then break every command for the whole vault. These helpers turn both
into ValueError, which each caller already reports as "damaged" (or shows as unknown).
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

#: Far above any summary.json, vault.key or study file Overt writes (all are under 8 KiB).
SMALL_FILE_LIMIT = 1024 * 1024


class TooLarge(ValueError):
    """The file is larger than its limit (or endless, like /dev/zero)."""


def read_bounded(path: Path, limit: int = SMALL_FILE_LIMIT) -> bytes:
    """The file's bytes; TooLarge past ``limit`` bytes (reads at most ``limit + 1``).

    Raises:
        OSError: the file cannot be read.
        TooLarge: it holds more than ``limit`` bytes.
    """
    with Path(path).open("rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"{path} is larger than {limit} bytes")
    return data


def loads_json(data: bytes | str) -> Any:
    """``json.loads``, with nesting too deep to parse reported as ValueError."""
    try:
        return json.loads(data)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def loads_toml(text: str) -> dict[str, Any]:
    """``tomllib.loads``, with nesting too deep to parse reported as TOMLDecodeError."""
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise tomllib.TOMLDecodeError("nested too deeply") from None
