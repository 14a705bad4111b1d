"""Rollup refresh: a nightly fan-out over every trust's schools, one school task per school.
Tasks take ids only."""

from __future__ import annotations

from django.utils import timezone

from apps.core.tasks import PublicTask, SchoolTask
from sencohub.celery import app
from tenants.models import School, Trust
from tenants.typing import tenant_db


def _refreshable(trust_id: int):
    return School.objects.filter(trust_id=trust_id).exclude(status=School.Status.ARCHIVED)


@app.task(base=PublicTask)
def refresh_all_rollups() -> int:
    """Nightly: every trust's schools."""
    queued = 0
    for trust_id in Trust.objects.values_list("pk", flat=True):
        queued += refresh_trust_rollups(trust_id)
    return queued


@app.task(base=PublicTask)
def refresh_trust_rollups(trust_id: int) -> int:
    """Queue one task per school; each runs in that school's schema."""
    queued = 0
    for school_id, schema_name in _refreshable(trust_id).values_list("pk", "schema_name"):
        refresh_school_rollups.apply_async(args=[school_id], headers={"_schema_name": schema_name})
        queued += 1
    return queued


@app.task(base=SchoolTask, bind=True, max_retries=2, default_retry_delay=30)
def refresh_school_rollups(self, school_id: int) -> int:
    from .models import RollupRun
    from .rollups import refresh_school

    school = School.objects.get(pk=school_id)
    if tenant_db.schema_name != school.schema_name:
        raise RuntimeError("refresh_school_rollups ran in another school's schema; refused")
    try:
        # The number on roll follows the school's records before the figures (and, at 02:30,
        # the Stripe quantity) are worked out from it.
        from apps.pupils.roll import school_roll_sync

        school_roll_sync(school=school)
        written = refresh_school(school)
    except Exception as exc:
        # The error's type only: messages could quote pupil data.
        RollupRun.objects.update_or_create(
            school_id=school.pk,
            defaults={
                "status": RollupRun.Status.FAILED,
                "computed_at": timezone.now(),
                "error": type(exc).__name__,
            },
        )
        raise
    _schedule_warm(school.trust_id)
    return written


WARM_DELAY_SECONDS = 15


def _schedule_warm(trust_id: int) -> None:
    """Render the trust's dashboard once the schools' refreshes have settled: the first school to
    finish books a warm-up a few seconds later; schools finishing meanwhile need not book another."""
    from django.core.cache import cache
    from django_tenants.utils import schema_context

    # Cache keys carry the current schema; the booking is the trust's, so it is made in public.
    with schema_context("public"):
        booked = cache.add(f"trust-dashboard-warm:{trust_id}", 1, timeout=WARM_DELAY_SECONDS)
    if booked:
        warm_trust_dashboard.apply_async(
            args=[trust_id], countdown=WARM_DELAY_SECONDS, headers={"_schema_name": "public"}
        )


@app.task(base=PublicTask)
def warm_trust_dashboard(trust_id: int) -> bool:
    """Render the dashboard into the cache so the first person to look after a refresh does not
    wait for it."""
    from django.conf import settings
    from django.urls import get_urlconf, set_urlconf

    from .dashboard import dashboard_body
    from .selectors import dashboard_freshness

    trust = Trust.objects.filter(pk=trust_id).first()
    if trust is None:
        return False
    # Links in the rendering point at the trust console, so they are made with its URLconf.
    previous = get_urlconf()
    set_urlconf(settings.PUBLIC_SCHEMA_URLCONF)
    try:
        dashboard_body(trust, dashboard_freshness(trust)["version"])
    finally:
        set_urlconf(previous)
    return True
