"""tests.recorder.consent."""
