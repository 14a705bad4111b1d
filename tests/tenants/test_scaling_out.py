"""The rules that keep a move to sharded schemas (Citus schema-based sharding) and a connection
pooler open. See README "Scaling out".

- Every table of a school schema references only tables of its own schema: a distributed schema
  cannot hold foreign keys into `public` or into another school.
- The trust console's cross-school pages and API read only `public` (aggregates written there by
  each school's own code), never a school schema.
- Connection pooling: PgBouncer in SESSION mode. The search path is set once per connection and
  school change (TENANT_LIMIT_SET_CALLS), so statements rely on a search path set earlier on the
  same server session; a transaction-mode pooler would hand them another session. A system check
  refuses DATABASE_POOL_MODE=transaction.
"""

from __future__ import annotations

import pytest
from django.core.checks import run_checks
from django.db import connection
from django.test import override_settings

from tests.support import in_school


def foreign_keys_leaving(schema: str) -> list[tuple[str, str, str, str]]:
    """(table, constraint, referenced schema, referenced table) for every foreign key of a table in
    `schema` that points outside it."""
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT c.relname, con.conname, fn.nspname, fc.relname
            FROM pg_constraint con
            JOIN pg_class c ON c.oid = con.conrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_class fc ON fc.oid = con.confrelid
            JOIN pg_namespace fn ON fn.oid = fc.relnamespace
            WHERE con.contype = 'f' AND n.nspname = %s AND fn.nspname <> n.nspname
            ORDER BY 1, 2
            """,
            [schema],
        )
        return cur.fetchall()


def objects_depending_on_other_schemas(schema: str) -> list[tuple]:
    """Column defaults, views or sequences owned elsewhere: anything in `schema` that depends on
    an object of another schema (other than types and functions of pg_catalog)."""
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT DISTINCT c.relname, dep.refclassid::regclass::text, rn.nspname
            FROM pg_depend dep
            JOIN pg_class c ON c.oid = dep.objid AND dep.classid = 'pg_class'::regclass
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_class rc ON rc.oid = dep.refobjid AND dep.refclassid = 'pg_class'::regclass
            JOIN pg_namespace rn ON rn.oid = rc.relnamespace
            WHERE n.nspname = %s AND rn.nspname <> n.nspname
            """,
            [schema],
        )
        return cur.fetchall()


def foreign_key_count(schema: str) -> int:
    with connection.cursor() as cur:
        cur.execute(
            """SELECT count(*) FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
               JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE con.contype = 'f' AND n.nspname = %s""",
            [schema],
        )
        return cur.fetchone()[0]


def test_every_table_of_a_cloned_school_references_only_its_own_schema(school_a):
    for schema in (school_a.schema_name, "school_template"):
        # The check has something to look at: the school's own foreign keys are there...
        assert foreign_key_count(schema) > 5
        # ...and none of them leaves the schema.
        assert foreign_keys_leaving(schema) == [], schema
        assert objects_depending_on_other_schemas(schema) == [], schema


def test_the_check_would_catch_a_foreign_key_into_public(school_a):
    with in_school(school_a), connection.cursor() as cur:
        cur.execute(
            "CREATE TABLE fleet_bad_link (id bigint PRIMARY KEY, "
            "user_id bigint REFERENCES public.tenants_user (id))"
        )
    assert foreign_keys_leaving(school_a.schema_name) == [
        ("fleet_bad_link", "fleet_bad_link_user_id_fkey", "public", "tenants_user")
    ]


CONSOLE_PAGES = [
    "/",
    "/schools/",
    "/people/",
    "/audit/",
    "/dashboard/",
    "/dashboard/figures.csv",
    "/shared-sencos/",
    "/qualifications/",
    "/library/",
    "/transfers/",
    "/api/v1/trust/schools/",
    "/api/v1/trust/metrics/",
    "/api/v1/trust/shared-sencos/",
    "/api/v1/trust/library/",
    "/api/v1/trust/transfers/",
]


@pytest.mark.parametrize("who", ["trust_trust_admin_a", "trust_send_lead_a"])
def test_trust_console_cross_school_reads_touch_only_public(people, client_for, school_a, who):
    client = client_for(people[who])
    seen: list[tuple[str, str]] = []

    def record(execute, sql, params, many, context):
        seen.append((connection.schema_name, sql))
        return execute(sql, params, many, context)

    school_schemas = (school_a.schema_name, people["school_b"].schema_name)
    with connection.execute_wrapper(record):
        for path in CONSOLE_PAGES:
            response = client.get(path)
            assert response.status_code in (200, 403), (path, response.status_code)
    assert seen, "the console ran no query at all?"
    outside = [(schema, sql[:120]) for schema, sql in seen if schema != "public"]
    assert outside == []
    for _, sql in seen:
        for schema in school_schemas:
            assert f'"{schema}".' not in sql and f" {schema}." not in sql, sql[:200]


def test_transaction_pooling_is_refused_by_a_system_check():
    with override_settings(DATABASE_POOL_MODE="transaction"):
        errors = [e for e in run_checks() if e.id == "tenants.E001"]
    assert errors and "session" in errors[0].hint
    with override_settings(DATABASE_POOL_MODE="session"):
        assert not [e for e in run_checks() if e.id == "tenants.E001"]


def test_a_school_page_sets_the_search_path_once_and_relies_on_the_session(
    people, school_a, client_for
):
    """Why session pooling: a school page sets the search path once, then runs its statements
    relying on it; behind a transaction-mode pooler they could land on a session where it was
    never set (another school's, or public's)."""
    from django.test.utils import CaptureQueriesContext

    client = client_for(people["senco_a"], school_a)
    connection.set_schema_to_public()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/pupils/").status_code == 200
    statements = [q["sql"] for q in ctx.captured_queries]
    sets = [
        i
        for i, sql in enumerate(statements)
        if sql.startswith("SET search_path") and school_a.schema_name in sql
    ]
    assert len(sets) == 1
    relying = [sql for sql in statements[sets[0] + 1 :] if not sql.startswith("SET ")]
    assert len(relying) >= 3
    assert not any(f'"{school_a.schema_name}".' in sql for sql in relying)  # unqualified
