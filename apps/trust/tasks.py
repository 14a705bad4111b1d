"""Rollup refresh: a nightly fan-out over every trust's schools, one school task per school.
Tasks take ids only."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from apps.core.tasks import PublicTask, SchoolTask
from sencohub.celery import app
from tenants.models import School, Trust


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
    if connection.schema_name != school.schema_name:
        raise RuntimeError("refresh_school_rollups ran in another school's schema; refused")
    try:
        return refresh_school(school)
    except Exception as exc:
        # The error's type only: messages could quote pupil data.
        RollupRun.objects.update_or_create(
            school_id=school.pk,
            defaults={"status": RollupRun.Status.FAILED, "computed_at": timezone.now(), "error": type(exc).__name__},
        )
        raise
