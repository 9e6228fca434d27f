"""tests.app.tray."""
