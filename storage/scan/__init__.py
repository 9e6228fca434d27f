"""Sensitive-content scanning: typed text and titles, OCR, and text visible in frames."""
