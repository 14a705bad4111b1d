"""Running a thousand schools: `manage.py migrate` across a fleet (tenants.fleet).

At 10, 100 and 500 schools (provisioned by cloning the template):
1. a deploy with nothing to migrate (public, template, then the fleet check) — seconds per school
   and the extrapolation to 1,000 schools (target: under 60 s);
2. a one-column migration reaching every school with 2 workers (tests.fleet_probe).
For comparison, django-tenants' own migrate_schemas (every school replayed) at 10 and 100.
"""

from __future__ import annotations

import io
import time

from django.core.management import call_command
from django.db import connection

from tenants.models import School, Trust
from tenants.services import school_provision
from tests.fleet_probe import probe_migration, probe_recorded

LEVELS = (10, 100, 500)
BASELINE_LEVELS = (10, 100)
WORKERS = 2
FIELDS = dict(
    phase="primary", local_authority_name="Bench", local_authority_code="999", number_on_roll=200
)


def _grow(trust: Trust, to: int) -> None:
    have = School.objects.filter(schema_name__startswith="fleet_").count()
    for n in range(have, to):
        school_provision(
            acting_user=None,
            trust=trust,
            name=f"Fleet {n}",
            urn=f"{600000 + n}",
            subdomain=f"fleet-{n}",
            **FIELDS,
        )
    connection.set_schema_to_public()


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def _django_tenants_noop() -> None:
    from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand

    MigrateSchemasCommand(stdout=io.StringIO(), stderr=io.StringIO()).run_from_argv(
        ["manage.py", "migrate_schemas", "--noinput", "-v", "0"]
    )
    connection.set_schema_to_public()


def run(report) -> None:
    trust = Trust.objects.create(name="Fleet Bench Trust")
    noop: dict[int, float] = {}
    for level in LEVELS:
        _grow(trust, level)
        total = School.objects.count()
        call_command("migrate", verbosity=0)  # warm (imports, loader)
        noop[level] = min(_timed(lambda: call_command("migrate", verbosity=0)) for _ in range(2))
        report(f"no-op migrate, {total} schools", noop[level], "s")
        report("  per school", noop[level] / total * 1000, "ms")
        if level in BASELINE_LEVELS:
            baseline = _timed(_django_tenants_noop)
            report(f"  django-tenants migrate_schemas (no skip), {total} schools", baseline, "s")
            report("    per school", baseline / total * 1000, "ms")
        with probe_migration():
            one = _timed(
                lambda: call_command("migrate", verbosity=0, workers=WORKERS, progress="lines")
            )
            assert all(probe_recorded(s.schema_name) for s in School.objects.all())
        report(f"one-column migration, {total} schools, {WORKERS} workers", one, "s")
        report("  per school", one / total, "s")
    # Extrapolate from the two largest levels: a fixed part (public, template) plus a per-school
    # slope.
    low, high = LEVELS[-2], LEVELS[-1]
    slope = (noop[high] - noop[low]) / (high - low)
    at_1000 = noop[high] + slope * (1000 - high)
    report("no-op migrate at 1,000 schools (extrapolated)", at_1000, "s", "< 60 s")
