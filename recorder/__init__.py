"""Qt-free capture: input, window and screen sources, policy, pipeline, session lifecycle."""
