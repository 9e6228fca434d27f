"""tests.app.core."""
