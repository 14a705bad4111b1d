"""Audit actions of pupil documents (apps.audit.actions.AuditAction)."""

from __future__ import annotations

from apps.audit.actions import AuditAction


class DocumentAction(AuditAction):
    DOWNLOADED = "document.downloaded", "Downloaded a document"
    UPLOADED = "document.uploaded", "Uploaded a document"
    REMOVED = "document.removed", "Removed a document"
    LISTED = "documents.listed", "Listed a pupil's documents"
