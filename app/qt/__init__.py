"""The one place PySide6 is imported from: the guard applied once, workers, images, the desktop."""
