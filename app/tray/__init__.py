"""The tray app: its state machine, menu, recording adapter, retention and single instance."""
