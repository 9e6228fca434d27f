"""tests.storage.scan."""
