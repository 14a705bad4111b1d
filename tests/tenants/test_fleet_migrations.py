"""`manage.py migrate` across a fleet of schools: skip the ones at the latest state (found in a few
queries), migrate the rest in parallel, survive a failing school, and pick up only the unfinished
ones on the next run."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenants import fleet
from tenants.models import School
from tests.fleet_probe import (
    COLUMN,
    TABLE,
    has_probe,
    probe_migration,
    probe_recorded,
)

FIELDS = dict(
    phase="primary", local_authority_name="Kirklees", local_authority_code="382", number_on_roll=90
)


def make_schools(committed, harness, count: int, prefix: str = "fleet") -> list[School]:
    return [
        committed.school(
            trust=harness["trust_a"],
            name=f"Fleet {n}",
            urn=f"{700100 + n}",
            subdomain=f"{prefix}-{n}",
            **FIELDS,
        )
        for n in range(count)
    ]


def migrate(**options) -> str:
    out = io.StringIO()
    call_command("migrate", interactive=False, stdout=out, stderr=out, **options)
    return out.getvalue()


def every_school_schema() -> list[str]:
    connection.set_schema_to_public()
    return list(School.objects.values_list("schema_name", flat=True))


def test_nothing_to_migrate_skips_every_school(committed, harness):
    make_schools(committed, harness, 3)
    total = len(every_school_schema())
    output = migrate(progress="lines")
    assert f"Schools: {total}; {total} already at the latest state, 0 to migrate" in output
    assert "Done: 0 migrated" in output and "0 failed" in output


def test_which_schools_are_behind_is_a_few_queries_whatever_their_number(committed, harness):
    schools = make_schools(committed, harness, 4)
    latest = fleet.applied_migrations("school_template")
    names = [s.schema_name for s in schools]
    with CaptureQueriesContext(connection) as queries:
        assert fleet.schools_behind(names, latest) == []
    assert len(queries) == 2  # the catalogue, then one UNION ALL for up to 250 schools
    # One school missing a migration record is behind, and only it.
    with connection.cursor() as cur:
        cur.execute(
            f'DELETE FROM "{names[2]}".django_migrations WHERE app = %s AND name = %s',
            ["audit", "0001_initial"],
        )
    assert fleet.schools_behind(names, latest) == [names[2]]
    # A schema that is not there at all (or has no migrations table) is behind too.
    assert fleet.schools_behind(["no_such_school", *names[:2]], latest) == ["no_such_school"]


def test_a_one_column_migration_reaches_every_school_in_parallel(committed, harness):
    make_schools(committed, harness, 3)
    schemas = every_school_schema()
    with probe_migration():
        output = migrate(workers=2, progress="lines")
        assert f"{len(schemas)} to migrate with 2 worker(s)" in output
        assert f"[{len(schemas)}/{len(schemas)}] schools migrated, 0 failed" in output
        assert f"Done: {len(schemas)} migrated, 0 skipped" in output
        for schema in [*schemas, "school_template"]:
            assert has_probe(schema), schema
            assert probe_recorded(schema), schema
        # A second run finds nothing to do.
        again = migrate(workers=2, progress="lines")
        assert f"{len(schemas)} already at the latest state, 0 to migrate" in again
    # The probe is gone again for the rest of the suite.
    assert not any(has_probe(schema) for schema in [*schemas, "school_template"])


def test_a_failing_school_is_reported_the_others_carry_on_and_a_rerun_takes_only_it(
    committed, harness
):
    schools = make_schools(committed, harness, 3)
    broken = schools[1].schema_name
    schemas = every_school_schema()
    with connection.cursor() as cur:
        # The migration will find its column already there in this school only.
        cur.execute(f'ALTER TABLE "{broken}".{TABLE} ADD COLUMN {COLUMN} integer')
    with probe_migration():
        with pytest.raises(CommandError) as failure:
            migrate(workers=2, progress="lines")
        assert "1 school(s) failed to migrate: " + broken in str(failure.value)
        for schema in schemas:
            if schema != broken:
                assert probe_recorded(schema), schema
        assert not probe_recorded(broken)
        # The cause is fixed; the next run migrates that school alone.
        with connection.cursor() as cur:
            cur.execute(f'ALTER TABLE "{broken}".{TABLE} DROP COLUMN {COLUMN}')
        output = migrate(workers=2, progress="lines")
        assert f"{len(schemas) - 1} already at the latest state, 1 to migrate" in output
        assert "Done: 1 migrated" in output
        assert probe_recorded(broken) and has_probe(broken)


def test_the_error_is_reported_by_its_first_line_only(committed, harness):
    (school,) = make_schools(committed, harness, 1, prefix="fleet-err")
    with connection.cursor() as cur:
        cur.execute(f'ALTER TABLE "{school.schema_name}".{TABLE} ADD COLUMN {COLUMN} integer')
    out = io.StringIO()
    with probe_migration(), pytest.raises(CommandError):
        call_command("migrate", interactive=False, stdout=out, stderr=out, progress="lines")
    lines = [line for line in out.getvalue().splitlines() if school.schema_name in line]
    assert lines and all("already exists" in line for line in lines)
    # PostgreSQL's DETAIL lines (where row values would be) never reach the output.
    assert "DETAIL" not in out.getvalue()


def test_the_template_goes_first_and_a_failing_template_stops_everything(committed, harness):
    schools = make_schools(committed, harness, 2)
    with connection.cursor() as cur:
        cur.execute(f'ALTER TABLE "school_template".{TABLE} ADD COLUMN {COLUMN} integer')
    with probe_migration():
        with pytest.raises(Exception, match="already exists"):
            migrate(workers=2, progress="lines")
        assert not any(probe_recorded(s.schema_name) for s in schools)


def test_progress_bar_in_a_terminal(committed, harness):
    make_schools(committed, harness, 2)
    with probe_migration():
        output = migrate(workers=1, progress="bar")
    assert "Migrating schools" in output
    assert "0 failed" in output


def test_naming_one_schema_still_works_as_django_tenants_does(committed, harness):
    (school,) = make_schools(committed, harness, 1, prefix="fleet-one")
    with probe_migration():
        migrate(schema_name=school.schema_name)
        assert probe_recorded(school.schema_name)
        assert not probe_recorded(harness["school_a"].schema_name)


def test_workers_never_touch_the_parents_connection_even_inside_a_transaction(committed, harness):
    """Django does not close a connection inside an atomic block: forked workers must leave the
    one they inherit alone (using it, or closing it, would break the parent's session)."""
    from django.core.management import load_command_class
    from django.db import transaction

    schools = make_schools(committed, harness, 2, prefix="fleet-tx")
    parser = load_command_class("tenants", "migrate").create_parser("manage.py", "migrate")
    options = {**vars(parser.parse_args([])), "verbosity": 0, "interactive": False}
    names = [s.schema_name for s in schools]
    with probe_migration():
        with transaction.atomic():
            with connection.cursor() as cur:
                cur.execute("SELECT 1")
            outcomes = list(fleet.migrate_schools(names, args=(), options=options, workers=2))
            with connection.cursor() as cur:  # the parent's session is intact
                cur.execute("SELECT 2")
                assert cur.fetchone() == (2,)
        assert [o.error for o in outcomes] == ["", ""]
        assert all(probe_recorded(name) for name in names)
