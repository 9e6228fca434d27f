"""tests.recorder.platform."""
