"""Qt-free capture: input, window and screen sources, policy, pipeline, session lifecycle.

``session.Recorder`` is the entry point: it takes a consent record (``consent``), a platform
``backend`` (``x11``, ``windows``, ``macos``) and a ``sink.SessionSink`` (storage's
SessionWriter), confirms input readiness, then runs the ``pipeline`` (policy, ``thinning``,
``actions``, the pause ``hotkey``) and the ``frames`` service until stopped.
"""
