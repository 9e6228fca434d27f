"""Qt-free capture: input, window and screen sources, policy, pipeline, session lifecycle.

``session.Recorder`` is the entry point: it takes a consent record (``consent/record.py``), a
platform ``Backend`` (``platform/x11.py``, ``windows.py``, ``macos.py``) and a
``capture.session_sink.SessionSink`` (storage's SessionWriter), confirms input readiness, then
runs the ``capture`` pipeline (policy, thinning, actions, the pause hotkey) and the frame
service until stopped.
"""
