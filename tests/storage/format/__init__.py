"""tests.storage.format."""
