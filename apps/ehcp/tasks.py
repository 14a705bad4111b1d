"""The weekly statutory deadlines digest: one task per school (ids only), to its SENCos and
headteacher. Idempotent: a week's digest is recorded once (DeadlineDigest) and never resent."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from apps.core.tasks import PublicTask, SchoolTask
from sencohub.celery import app
from tenants.typing import tenant_db


@app.task(base=PublicTask)  # type: ignore[untyped-decorator]
def send_all_deadline_digests() -> int:
    """Weekly (Monday morning): queue one digest task per active school."""
    from tenants.models import School

    queued = 0
    for school_id, schema in School.objects.filter(status=School.Status.ACTIVE).values_list(
        "pk", "schema_name"
    ):
        send_deadline_digest.apply_async(args=[school_id], headers={"_schema_name": schema})
        queued += 1
    return queued


@app.task(base=SchoolTask, bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)  # type: ignore[untyped-decorator]
def send_deadline_digest(self: object, school_id: int) -> str:
    from apps.core.access import HEAD, SENCO
    from tenants.access import school_access_for
    from tenants.hosts import school_url
    from tenants.models import School, SchoolMembership

    from . import rules, selectors
    from .models import DeadlineDigest

    school = School.objects.get(pk=school_id)
    if tenant_db.schema_name != school.schema_name:
        raise RuntimeError("send_deadline_digest ran in another school's schema; refused")
    today = timezone.localdate()
    week_of = today - timedelta(days=today.weekday())
    members = list(
        SchoolMembership.objects.filter(school=school, role__in=[SENCO, HEAD], user__is_active=True)
        .select_related("user")
        .order_by("role", "user__email")
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                digest = DeadlineDigest.objects.create(week_of=week_of)
        except IntegrityError:
            return "already-sent"
        if not members:
            return "no-recipients"
        access = school_access_for(members[0].user, school)
        deadlines = [
            d
            for d in selectors.open_deadlines(
                selectors.school_deadlines(access, members[0].user, today=today, school=school)
            )
            if rules.within_digest(due=d.due, today=today)
        ]
        buckets = selectors.calendar_buckets(deadlines, today)
        body = render_to_string(
            "ehcp/digest.txt",
            {
                "school": school,
                "buckets": [(rules.BUCKET_LABELS[k], rows) for k, rows in buckets.items() if rows],
                "link": school_url(school.slug, "/ehcp/"),
                "count": len(deadlines),
            },
        )
        send_mail(
            subject=f"Statutory deadlines this week – {school.name}",
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[m.user.email for m in members],
        )
        digest.recipients = len(members)
        digest.deadlines = len(deadlines)
        digest.save(update_fields=["recipients", "deadlines"])
    return "sent"
