"""PyInstaller hook for pynput, replacing the contributed one.

The contributed hook imports pynput to list its submodules, which fails without a display (the
build machine has none) and warns. overt.spec names the platform's backends explicitly instead.
"""

hiddenimports: list[str] = []
