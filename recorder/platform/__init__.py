"""Platforms: the capture backend seam and its X11, Windows and macOS implementations."""
