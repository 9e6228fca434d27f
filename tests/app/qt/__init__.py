"""tests.app.qt."""
