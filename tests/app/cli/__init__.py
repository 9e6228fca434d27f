"""tests.app.cli."""
