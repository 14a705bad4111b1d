"""migrate_schemas that also keeps the school template schema migrated.

New schools are cloned from the template (tenants.services.school_provision), so the template
must be migrated whenever school schemas are: it is migrated first, then every school.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django_tenants.management.commands.migrate_schemas import (
    GET_EXECUTOR_FUNCTION,
    MigrateSchemasCommand,
)
from django_tenants.utils import get_public_schema_name, schema_exists


class Command(MigrateSchemasCommand):
    def handle(self, *args, **options):
        wants_all_schools = not options.get("schema_name") and not (
            options.get("shared") and not options.get("tenant")
        )
        super().handle(*args, **options)
        if wants_all_schools:
            self._migrate_template()

    def _migrate_template(self) -> None:
        template = settings.TENANT_BASE_SCHEMA
        connection.set_schema_to_public()
        if not schema_exists(template):
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE SCHEMA "{template}"')
        executor = GET_EXECUTOR_FUNCTION(codename=self.executor)(self.args, self.options)
        executor.run_migrations(tenants=[template])
        connection.set_schema_to_public()
        assert connection.schema_name == get_public_schema_name()
