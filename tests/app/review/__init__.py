"""tests.app.review."""
