"""Overt's Qt side: tray, dialogs, review window, and the `overt` command line."""
