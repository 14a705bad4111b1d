"""The Celery app. Tasks carry their school's schema in message headers (tenant-schemas-celery);
school tasks refuse to run in the public schema (apps.core.tasks.SchoolTask)."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sencohub.settings")

from tenant_schemas_celery.app import CeleryApp  # noqa: E402


class SencoHubCelery(CeleryApp):
    pass


app = SencoHubCelery("sencohub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
