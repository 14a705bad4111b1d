"""Reading the audit log."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import AuditEvent


def pupil_access_log(*, pupil_id: int, limit: int = 200) -> QuerySet[AuditEvent]:
    """Who saw or changed one pupil's record, newest first."""
    return AuditEvent.objects.filter(pupil_id=pupil_id).order_by("-occurred_at", "-id")[:limit]


def school_audit_log(
    *, action: str | None = None, user_id: int | None = None
) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.all().order_by("-occurred_at", "-id")
    if action:
        qs = qs.filter(action=action)
    if user_id:
        qs = qs.filter(user_id=user_id)
    return qs
