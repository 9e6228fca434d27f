"""Qt-free encrypted vault: keys, session streams, index, redaction, deletion (see API.md)."""
