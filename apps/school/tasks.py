"""Background work about a school's own schema."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection

from apps.core.tasks import SchoolTask
from sencohub.celery import app
from tenants.typing import tenant_db

logger = logging.getLogger(__name__)


def _migrations(schema: str) -> set[tuple[str, str]]:
    with connection.cursor() as cur:
        cur.execute(f'SELECT app, name FROM "{schema}".django_migrations')
        return set(cur.fetchall())


@app.task(base=SchoolTask)  # type: ignore[untyped-decorator]
def verify_school_schema() -> dict[str, object]:
    """After provisioning: check the cloned schema records every migration the template has.

    A school whose clone is incomplete would fail later in confusing ways; this says so at once,
    in the worker log and in Sentry, naming the schema but no data."""
    schema = tenant_db.schema_name
    missing = sorted(_migrations(settings.TENANT_BASE_SCHEMA) - _migrations(schema))
    if missing:
        logger.error("School schema %s is missing %d migrations", schema, len(missing))
    return {"schema": schema, "missing": [f"{app_label}.{name}" for app_label, name in missing]}
