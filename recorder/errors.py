"""The recorder's errors: each ``str()`` is one sentence meant for the person at the keyboard."""

from __future__ import annotations


class RecorderError(Exception):
    """Base of every error the recorder reports to the person (not a bug)."""


class ConsentRequired(RecorderError):
    """Capture was asked for without a consent record for the session."""


class CaptureUnavailable(RecorderError):
    """This machine cannot capture: no display, Wayland, or a source that did not start."""


class NotReady(CaptureUnavailable):
    """An input source started but its readiness could not be confirmed in time."""
