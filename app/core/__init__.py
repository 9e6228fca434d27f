"""Qt-free pieces of the app: settings, vault location, withdrawal, consent drafting, formatting."""
