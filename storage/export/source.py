"""What export reads: a SessionReader-like object (see storage/API.md), and nothing else.

Export never touches vault files; it reads only through this interface, so whatever the
reader returns (the redacted store) is all an export can contain.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from PIL import Image


class SummaryLike(Protocol):
    """The parts of ``SessionSummary`` export uses."""

    id: str
    review: str

    def to_json(self) -> dict[str, Any]: ...


class SessionSource(Protocol):
    """The parts of ``SessionReader`` export uses."""

    @property
    def summary(self) -> SummaryLike: ...

    @property
    def consent(self) -> dict[str, Any]: ...

    @property
    def stats(self) -> dict[str, Any]: ...

    def events(self) -> Iterator[dict[str, Any]]: ...

    def actions(self) -> Iterator[dict[str, Any]]: ...

    def frames(self) -> list[dict[str, Any]]: ...

    def frame_image(self, index: int) -> Image.Image: ...

    def frame_changes(
        self, index: int, since: int | None
    ) -> tuple[Image.Image, tuple[int, int, int, int] | None]: ...

    def redactions(self) -> list[dict[str, Any]]: ...

    def damage(self) -> list[str]: ...
