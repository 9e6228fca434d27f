"""The on-disk format (FORMAT.md sections 3-7): crypto, header, streams, keys, index, frames."""
