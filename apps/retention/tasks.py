"""Nightly: every school lists its records past retention for its SENCo. Ids only."""

from __future__ import annotations

from django.utils import timezone

from apps.core.tasks import PublicTask, SchoolTask, enqueue_for_school
from sencohub.celery import app
from tenants.models import School
from tenants.typing import tenant_db


@app.task(base=PublicTask)  # type: ignore[untyped-decorator]
def list_retention_due_everywhere() -> int:
    schools = School.objects.exclude(status=School.Status.ARCHIVED)
    for school in schools:
        enqueue_for_school(list_retention_due, school, school.pk)
    count: int = schools.count()
    return count


@app.task(base=SchoolTask)  # type: ignore[untyped-decorator]
def list_retention_due(school_id: int) -> int:
    from .services import retention_list_due

    school = School.objects.get(pk=school_id)
    if tenant_db.schema_name != school.schema_name:
        raise RuntimeError("list_retention_due ran in another school's schema; refused")
    return retention_list_due(today=timezone.localdate())
