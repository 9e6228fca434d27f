"""The review window: one session shown as a timeline, redacted, deleted from, approved."""
