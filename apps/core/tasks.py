"""Task base classes.

Tasks get ids only, never pupil data. A school task runs in its school's schema (the schema travels
in the message headers); if it somehow arrives without one, it refuses to run rather than read or
write the public schema.
"""

from __future__ import annotations

from django.db import connection
from tenant_schemas_celery.task import TenantTask


class SchoolTaskInPublicSchema(RuntimeError):
    pass


class SchoolTask(TenantTask):
    abstract = True

    def __call__(self, *args, **kwargs):
        if connection.schema_name in ("public", None):
            raise SchoolTaskInPublicSchema(
                f"{self.name} is a school task and was about to run in the public schema; refused."
            )
        return super().__call__(*args, **kwargs)


class PublicTask(TenantTask):
    """A task about platform-level rows (users, invitations, billing): runs in public."""

    abstract = True
