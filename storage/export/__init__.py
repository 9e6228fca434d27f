"""Export approved sessions in the formats agent research uses (see storage/EXPORT_FORMATS.md)."""

from storage.export.errors import ExportCancelled, ExportError
from storage.export.run import FORMATS, ExportPreview, export_sessions, preview

__all__ = [
    "FORMATS",
    "ExportCancelled",
    "ExportError",
    "ExportPreview",
    "export_sessions",
    "preview",
]
