"""The UI element under a point or with the keyboard focus, from the platform's accessibility API.

``element`` defines what a lookup answers (an ``Element`` or a ``Missing`` with its reason) and
the plain record stored for it; ``lookup`` runs lookups off the input thread; ``atspi`` (Linux,
over D-Bus with jeepney), ``uia`` (Windows) and ``ax`` (macOS) are the sources, each imported
only where it runs; ``status`` turns AT-SPI on where the user agrees and probes what it exposes.
"""
