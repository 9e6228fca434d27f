"""tests.app.dialogs."""
