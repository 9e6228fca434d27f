"""Capture: raw input, the pipeline and its gate, thinning, actions, keys, hotkey, frames."""
