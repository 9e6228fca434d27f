"""tests.storage.export."""
