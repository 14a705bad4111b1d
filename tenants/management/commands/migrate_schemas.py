"""migrate_schemas (and migrate) for a fleet of schools.

With no schema, app or target named, it migrates:
1. the public schema;
2. the school template (new schools are cloned from it, tenants.services.school_provision), which
   defines the latest state; if it fails, nothing else is touched;
3. only the schools that are behind the template (found in a few catalogue queries, see
   tenants.fleet), in parallel with `--workers` processes (default settings.FLEET_MIGRATION_WORKERS).
   A school that fails is reported with its error and the others carry on; the command then exits
   non-zero, and running it again picks up only the schools still behind.

With a schema, an app label or a target migration, or --plan / --check / --fake, it behaves as
django-tenants' migrate_schemas (and still keeps the template migrated).
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django_tenants.management.commands.migrate_schemas import (
    GET_EXECUTOR_FUNCTION,
    MigrateSchemasCommand,
)
from django_tenants.utils import get_public_schema_name, schema_exists

from tenants import fleet


class Command(MigrateSchemasCommand):
    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Schools migrated at the same time (default: settings.FLEET_MIGRATION_WORKERS).",
        )
        parser.add_argument(
            "--progress",
            choices=["auto", "bar", "lines"],
            default="auto",
            help="A progress bar in a terminal (auto), or plain lines for logs.",
        )

    def handle(self, *args, **options) -> None:
        wants_all_schools = not options.get("schema_name") and not (
            options.get("shared") and not options.get("tenant")
        )
        fleet_mode = (
            wants_all_schools
            and not options.get("app_label")
            and not options.get("migration_name")
            and not options.get("plan")
            and not options.get("check_unapplied")
            and not options.get("fake")
            and not options.get("fake_initial")
            and not options.get("prune")
        )
        if not fleet_mode:
            super().handle(*args, **options)
            if wants_all_schools:
                self._migrate_template()
            return
        self._handle_fleet(*args, **options)

    def _handle_fleet(self, *args, **options) -> None:
        # Sets sync_public / sync_tenant / args / options like every django-tenants command.
        super(MigrateSchemasCommand, self).handle(*args, **options)
        verbosity = int(options.get("verbosity", 1))
        executor = GET_EXECUTOR_FUNCTION(codename=self.executor)(self.args, self.options)
        if self.sync_public:
            executor.run_migrations(tenants=[get_public_schema_name()])
        if not self.sync_tenant:
            return
        self._migrate_template()
        latest = fleet.applied_migrations(settings.TENANT_BASE_SCHEMA)

        from tenants.models import School

        schema_names = list(
            School.objects.exclude(schema_name=get_public_schema_name())
            .order_by("schema_name")
            .values_list("schema_name", flat=True)
        )
        workers = options.get("workers") or fleet.default_workers()
        mode = options.get("progress", "auto")
        interactive = mode == "bar" or (mode == "auto" and self.stdout.isatty())
        # Each school's own migration output only when asked for (-v 2): with several workers
        # the lines would interleave with each other and with the progress bar.
        school_options = {**self.options, "verbosity": max(0, verbosity - 1)}

        def write(line: str) -> None:
            if verbosity >= 1:
                self.stdout.write(line)

        skipped, outcomes = fleet.migrate_fleet(
            schema_names,
            latest,
            args=self.args,
            options=school_options,
            workers=workers,
            write=write,
            interactive=interactive and verbosity >= 1,
            stream=getattr(self.stdout, "_out", None),
        )
        failed = [o for o in outcomes if not o.ok]
        migrated = len(outcomes) - len(failed)
        write(
            f"Done: {migrated} migrated, {len(skipped)} skipped (already at the latest state), "
            f"{len(failed)} failed."
        )
        if failed:
            for outcome in failed:
                self.stderr.write(f"  {outcome.schema_name}: {outcome.error}")
            raise CommandError(
                f"{len(failed)} school(s) failed to migrate: "
                + ", ".join(o.schema_name for o in failed)
                + ". The other schools are migrated; fix the cause and run migrate again, "
                "it picks up only the schools still behind."
            )

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
