"""tests.recorder.capture."""
