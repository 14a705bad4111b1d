"""Running a thousand schools: `manage.py migrate` across a fleet (tenants.fleet).

At 10, 100 and 500 schools (provisioned by cloning the template):
1. a deploy with nothing to migrate (public, template, then the fleet check) — seconds per school
   and the extrapolation to 1,000 schools (target: under 60 s);
2. a one-column migration reaching every school with 2 workers (tests.fleet_probe).
For comparison, django-tenants' own migrate_schemas (every school replayed) at 10 and 100.
3. backup and restore (into a new subdomain) of a 1,500-pupil school with 200 documents.
"""

from __future__ import annotations

import io
import os
import time

from django.core.management import call_command
from django.db import connection

from tenants.models import School, Trust
from tenants.services import school_provision
from tests.fleet_probe import probe_migration, probe_recorded

# FLEET_BENCH_LEVELS=3,5 for a quick check of the benchmark itself.
LEVELS = tuple(int(n) for n in os.environ.get("FLEET_BENCH_LEVELS", "10,100,500").split(","))
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


def backup_and_restore(report, pupils: int = 1500, documents: int = 200) -> None:
    import hashlib
    import random
    import tempfile
    from pathlib import Path

    from django.conf import settings
    from django_tenants.utils import tenant_context

    from apps.core.demo import DemoSchool
    from apps.documents import storage
    from apps.documents.models import PupilDocument
    from apps.pupils.demo import seed_pupils
    from apps.pupils.models import Pupil
    from tenants.backup import row_counts, school_backup, school_restore_new
    from tenants.sealed import new_key, parse_key

    folder = Path(tempfile.mkdtemp(prefix="sencohub-bench-backup-"))
    settings.PRIVATE_FILES_ROOT = folder / "private"
    key = parse_key(new_key())
    trust = Trust.objects.create(name="Backup Bench Trust")
    school = school_provision(
        acting_user=None,
        trust=trust,
        name="Backup Bench Academy",
        urn="199951",
        subdomain="backupbench",
        phase="secondary",
        local_authority_name="Leeds",
        local_authority_code="383",
        number_on_roll=pupils,
    )
    with tenant_context(school):
        seed_pupils(DemoSchool(school=school, staff={}), random.Random(pupils))
        ids = list(Pupil.objects.values_list("pk", flat=True)[:documents])
        for n in range(documents):
            data = b"%PDF-1.4\n" + os.urandom(40_000) + b"\n%%EOF\n"  # ~40 KB, incompressible
            PupilDocument.objects.create(
                pupil_id=ids[n % len(ids)],
                title=f"Report {n}",
                original_name=f"report-{n}.pdf",
                kind="pdf",
                content_type="application/pdf",
                size_bytes=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                storage_name=storage.save(school.schema_name, "documents", data, "pdf"),
            )
    connection.set_schema_to_public()
    counts = row_counts(school.schema_name)
    report(
        f"school: {counts.get('pupils_pupil', 0)} pupils, {sum(counts.values())} rows, "
        f"{documents} documents",
        "",
    )
    archive = folder / "backup.sencohub"
    with open(archive, "wb") as out:
        took = _timed(lambda: school_backup(acting_user=None, school=school, out=out, key=key))
    report("backup (pg_dump + documents, sealed)", took, "s")
    report("  archive size", archive.stat().st_size / 1e6, "MB")
    took = _timed(
        lambda: school_restore_new(
            acting_user=None, archive=archive, key=key, subdomain="backupbench-copy", urn="199952"
        )
    )
    report("restore into a new subdomain (verify, load, documents)", took, "s")
    assert row_counts("backupbench_copy") == counts


def run(report) -> None:
    backup_and_restore(report)
    trust = Trust.objects.create(name="Fleet Bench Trust")
    noop: dict[int, float] = {}  # total schools -> seconds
    for level in LEVELS:
        _grow(trust, level)
        total = School.objects.count()
        call_command("migrate", verbosity=0)  # warm (imports, loader)
        noop[total] = min(_timed(lambda: call_command("migrate", verbosity=0)) for _ in range(2))
        report(f"no-op migrate, {total} schools", noop[total], "s")
        report("  per school", noop[total] / total * 1000, "ms")
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
    low, high = sorted(noop)[-2:]
    slope = (noop[high] - noop[low]) / (high - low)
    at_1000 = noop[high] + max(slope, 0.0) * (1000 - high)
    report("no-op migrate at 1,000 schools (extrapolated)", at_1000, "s", "< 60 s")
