"""Age encryption of a whole export (a tar stream inside), with pyrage.

The tar is produced in a thread into a pipe that pyrage reads, so no plaintext archive is
written; memory stays bounded by the pipe.
"""

from __future__ import annotations

import os
import tarfile
import threading
from pathlib import Path
from typing import Any

import pyrage

from storage.export.errors import ExportError
from storage.export.manifest import MANIFEST, list_files


def parse_recipient(text: str) -> Any:
    """An age X25519 recipient (``age1...``), or a one-sentence error."""
    try:
        return pyrage.x25519.Recipient.from_str(text.strip())
    except Exception:  # noqa: BLE001 - pyrage raises its own RecipientError or ValueError
        raise ExportError(f"{text.strip()[:20]!r} is not an age public key (age1...).") from None


def encrypt_folder(folder: Path, target: Path, recipient: Any) -> None:
    """Write ``folder`` as a tar (manifest first), age-encrypted to ``recipient``, to ``target``.

    Raises:
        ExportError: the encryption failed.
    """
    read_fd, write_fd = os.pipe()
    failure: list[BaseException] = []

    def produce() -> None:
        try:
            with (
                os.fdopen(write_fd, "wb") as pipe,
                tarfile.open(fileobj=pipe, mode="w|", format=tarfile.PAX_FORMAT) as tar,
            ):
                for rel in [MANIFEST, *list_files(folder)]:
                    tar.add(folder / rel, arcname=rel, recursive=False)
        except BaseException as error:  # noqa: BLE001 - reported to the caller below
            failure.append(error)

    thread = threading.Thread(target=produce, name="export-tar", daemon=True)
    thread.start()
    try:
        with os.fdopen(read_fd, "rb") as reader, target.open("wb") as out:
            pyrage.encrypt_io(reader, out, [recipient])
    except Exception as error:
        raise ExportError(f"Encrypting the export failed: {error}.") from error
    finally:
        thread.join()
    if failure:
        raise ExportError(f"Packing the export failed: {failure[0]}.") from failure[0]


def decrypt_to(source: Path, target: Path, identities: list[Any]) -> None:
    """Decrypt an age file to ``target`` (streamed)."""
    with source.open("rb") as f, target.open("wb") as out:
        pyrage.decrypt_io(f, out, identities)


def read_identities(path: Path) -> list[Any]:
    """X25519 identities (``AGE-SECRET-KEY-1...`` lines) from an age identity file."""
    identities = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("AGE-SECRET-KEY-"):
            identities.append(pyrage.x25519.Identity.from_str(line))
    return identities
