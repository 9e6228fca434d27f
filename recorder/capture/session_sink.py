"""The narrow slice of ``storage``'s SessionWriter that the recorder writes through.

Keeping it a Protocol lets the pipeline be tested with an in-memory sink and keeps
``recorder -> storage`` a one-way, replaceable dependency.
"""

from __future__ import annotations

from typing import Any, Protocol


class SessionSink(Protocol):
    """Where one session's records go (``storage.SessionWriter`` satisfies it).

    ``append_frame`` is called from the frame-writer thread while ``append_event`` and
    ``append_action`` are called from the pipeline worker: implementations must allow that.
    """

    @property
    def session_id(self) -> str: ...

    def append_event(self, event: dict[str, Any]) -> int: ...

    def append_action(self, action: dict[str, Any]) -> int: ...

    def append_element(self, element: dict[str, Any]) -> int:
        """Store the element record of one action (``{"action": seq, "element": ...}``)."""

    def append_frame(
        self,
        pixels: bytes | bytearray | memoryview,
        size: tuple[int, int],
        meta: dict[str, Any],
        pixel_format: str = "BGRX",
    ) -> int: ...

    def put_episode(self, episode: dict[str, Any]) -> None: ...

    def note_stats(self, stats: dict[str, Any]) -> None: ...

    def flush(self) -> None: ...

    def close(self, state: str = "complete") -> None: ...
