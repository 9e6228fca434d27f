"""Age encryption of a whole export, streamed: the tar goes through a pipe into pyrage.

:class:`AgeStream` gives a writable pipe; a thread runs ``pyrage.encrypt_io`` from the pipe
into the target file, so the plaintext tar exists only in memory, a pipe-buffer at a time
(pyrage releases the GIL while it encrypts, so the two sides overlap).
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path
from typing import IO, Any

import pyrage

from storage.export.errors import ExportError

_PIPE_BUFFER = 1 << 20
#: Far above any identity file (one key is 74 characters).
IDENTITY_FILE_LIMIT = 1024 * 1024


def parse_recipient(text: str) -> Any:
    """An age X25519 recipient (``age1...``), or a one-sentence error."""
    try:
        return pyrage.x25519.Recipient.from_str(text.strip())
    except Exception:  # noqa: BLE001 - pyrage raises its own RecipientError or ValueError
        raise ExportError(f"{text.strip()[:20]!r} is not an age public key (age1...).") from None


class _Pipe:
    """The write end: a BrokenPipeError (the encryptor stopped) becomes its ExportError."""

    def __init__(self, stream: AgeStream, raw: IO[bytes]) -> None:
        self._stream = stream
        self._raw = raw

    def write(self, data: bytes) -> int:
        try:
            return self._raw.write(data)
        except BrokenPipeError:
            self._stream.join()
            raise self._stream.failure() or ExportError("The age encryptor stopped.") from None

    def flush(self) -> None:
        self._raw.flush()

    def close(self) -> None:
        self._raw.close()


class AgeStream:
    """A pipe whose bytes are age-encrypted to ``recipient`` into ``target`` (a new file).

    Attributes:
        pipe: write the plaintext here; then call finish() (or abort() to give up).
    """

    def __init__(self, target: Path, recipient: Any) -> None:
        self._out = target.open("xb")
        read_fd, write_fd = os.pipe()
        self._reader = os.fdopen(read_fd, "rb")
        self._errors: list[BaseException] = []
        self._recipient = recipient
        self.pipe = _Pipe(self, os.fdopen(write_fd, "wb", buffering=_PIPE_BUFFER))
        self._thread = threading.Thread(target=self._encrypt, name="export-age", daemon=True)
        self._thread.start()

    def _encrypt(self) -> None:
        try:
            pyrage.encrypt_io(self._reader, self._out, [self._recipient])
        except BaseException as error:  # noqa: BLE001 - reported by finish()
            self._errors.append(error)
        finally:
            self._reader.close()

    def failure(self) -> ExportError | None:
        if not self._errors:
            return None
        return ExportError(f"Encrypting the export failed: {self._errors[0]}.")

    def join(self) -> None:
        self._thread.join()

    def finish(self) -> None:
        """Close the pipe, wait for the encryptor, and raise ExportError if it failed."""
        with contextlib.suppress(BrokenPipeError):
            self.pipe.close()
        self.join()
        self._out.close()
        error = self.failure()
        if error is not None:
            raise error

    def abort(self) -> None:
        """Stop: the encryptor sees the end of its input; the caller deletes the target."""
        with contextlib.suppress(OSError):
            self.pipe.close()
        self.join()
        self._out.close()


def decrypt_to(source: Path, target: Path, identities: list[Any]) -> None:
    """Decrypt an age file to ``target`` (streamed)."""
    with source.open("rb") as f, target.open("wb") as out:
        pyrage.decrypt_io(f, out, identities)


def read_identities(path: Path) -> list[Any]:
    """X25519 identities (``AGE-SECRET-KEY-1...`` lines) from an age identity file.

    Raises:
        OSError: the file cannot be read.
        ValueError: it is not text, or an ``AGE-SECRET-KEY-`` line is not a valid identity.
    """
    with path.open("rb") as f:
        raw = f.read(IDENTITY_FILE_LIMIT + 1)  # never all of an endless file (/dev/zero)
    if len(raw) > IDENTITY_FILE_LIMIT:
        raise ValueError("is far too large to be an identity file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("is not text") from None
    identities = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("AGE-SECRET-KEY-"):
            try:
                identities.append(pyrage.x25519.Identity.from_str(line))
            except Exception:  # noqa: BLE001 - pyrage raises its own IdentityError
                raise ValueError("holds a line that is not an age identity") from None
    return identities
