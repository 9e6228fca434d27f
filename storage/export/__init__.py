"""Export approved sessions in the formats agent research uses (see storage/EXPORT_FORMATS.md)."""

from storage.export.errors import ExportError
from storage.export.run import FORMATS, ExportPreview, export_sessions, preview

__all__ = ["FORMATS", "ExportError", "ExportPreview", "export_sessions", "preview"]
