"""The daily review reminder: one task per school (ids only in arguments), emailing each SENCo a
digest of support plan reviews overdue and due in the next two weeks.

Pupils' names appear only in the email body, sent to staff whose role lets them see those pupils
(SENCos see every pupil); never in the task's arguments, result or log lines. Sending twice on
one day is refused (idempotent: safe to retry)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection
from django.template.loader import render_to_string
from django.utils import timezone

from apps.core.tasks import PublicTask, SchoolTask
from sencohub.celery import app
from tenants.models import School

logger = logging.getLogger(__name__)


@app.task(base=PublicTask)  # type: ignore[untyped-decorator]
def send_all_review_reminders() -> int:
    """Daily: queue one digest task per active school."""
    queued = 0
    for school_id, schema_name in School.objects.exclude(status=School.Status.ARCHIVED).values_list(
        "pk", "schema_name"
    ):
        send_review_reminders.apply_async(args=[school_id], headers={"_schema_name": schema_name})
        queued += 1
    return queued


@app.task(base=SchoolTask, bind=True, max_retries=3, default_retry_delay=60)  # type: ignore[untyped-decorator]
def send_review_reminders(self: Any, school_id: int) -> dict[str, int]:
    from apps.audit.models import AuditEvent
    from apps.audit.services import record
    from tenants.models import SchoolMembership
    from tenants.roles import SchoolRole

    from .actions import SupportAction
    from .selectors import reviews_due

    school = School.objects.get(pk=school_id)
    if getattr(connection, "schema_name", None) != school.schema_name:
        raise RuntimeError("send_review_reminders ran in another school's schema; refused")
    today = timezone.localdate()
    if AuditEvent.objects.filter(
        action=SupportAction.REMINDER_SENT, extra__date=today.isoformat()
    ).exists():
        return {"sent": 0, "plans": 0}
    due = reviews_due(today)
    if not due:
        return {"sent": 0, "plans": 0}
    overdue = [p for p in due if p.due_status == "overdue"]  # type: ignore[attr-defined]
    soon = [p for p in due if p.due_status != "overdue"]  # type: ignore[attr-defined]
    sencos = list(
        SchoolMembership.objects.filter(school=school, role=SchoolRole.SENCO, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    )
    from tenants.hosts import school_url

    link = school_url(school.slug, "/support/?due=overdue")
    sent = 0
    for membership in sencos:
        body = render_to_string(
            "support/emails/review_digest.txt",
            {
                "school": school,
                "overdue": overdue,
                "soon": soon,
                "user": membership.user,
                "link": link,
            },
        )
        sent += send_mail(
            subject=f"{school.name}: {len(overdue)} reviews overdue, {len(soon)} due soon",
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[membership.user.email],
        )
    record(
        user=None,
        action=SupportAction.REMINDER_SENT,
        summary=f"Emailed {sent} SENCo(s) the review digest ({len(due)} plans)",
        extra={"date": today.isoformat(), "plans": len(due), "recipients": sent},
    )
    logger.info("Review digest for school %s: %d plans, %d emails", school_id, len(due), sent)
    return {"sent": sent, "plans": len(due)}
