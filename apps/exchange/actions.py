"""Audit actions of imports and exports (apps.audit.actions.AuditAction). An import's writes to
pupils are recorded with the pupil actions (apps.pupils.actions.PupilAction)."""

from __future__ import annotations

from apps.audit.actions import AuditAction


class ExchangeAction(AuditAction):
    EXPORT_INCLUDED = "export.included", "Included in an export"
    EXPORT_DOWNLOADED = "export.downloaded", "Downloaded an export"
    IMPORT_PREVIEWED = "import.previewed", "Uploaded an import for preview"
    IMPORT_VIEWED = "import.viewed", "Viewed an import"
    IMPORT_CONFIRMED = "import.confirmed", "Confirmed an import"
    IMPORT_REJECTED = "import.rejected", "Import refused"
    IMPORT_DISCARDED = "import.discarded", "Discarded an import"
