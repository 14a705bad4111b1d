"""in_school_schema: enter another school's schema, and come back to exactly where the caller was,
even when the work inside fails."""

from __future__ import annotations

import pytest
from django.db import connection

from tenants.schemas import in_school_schema
from tests.support import in_school


def _current_schema() -> str:
    with connection.cursor() as cur:
        cur.execute("SELECT current_schema()")
        return cur.fetchone()[0]


def test_it_runs_the_block_in_the_other_school_and_restores_the_caller(school_a, school_b):
    with in_school(school_a):
        with in_school_schema(school_b):
            assert connection.schema_name == school_b.schema_name
            assert _current_schema() == school_b.schema_name
        assert connection.tenant == school_a
        assert connection.schema_name == school_a.schema_name
        assert _current_schema() == school_a.schema_name


def test_it_restores_the_caller_after_an_error(school_a, school_b):
    with in_school(school_a):
        with pytest.raises(ZeroDivisionError), in_school_schema(school_b):
            1 / 0  # noqa: B018
        assert connection.schema_name == school_a.schema_name
        assert _current_schema() == school_a.schema_name


def test_it_restores_public_when_called_from_the_platform(school_b, db):
    connection.set_schema_to_public()
    with in_school_schema(school_b):
        assert _current_schema() == school_b.schema_name
    assert connection.schema_name == "public"
    assert _current_schema() == "public"


def test_it_restores_a_schema_entered_by_name(school_a, school_b):
    # A task entered by schema name (no tenant row loaded) gets the same schema back.
    connection.set_schema(school_a.schema_name)
    try:
        with in_school_schema(school_b):
            assert _current_schema() == school_b.schema_name
        assert connection.schema_name == school_a.schema_name
        assert _current_schema() == school_a.schema_name
    finally:
        connection.set_schema_to_public()


def test_nested_entries_unwind_in_order(school_a, school_b):
    connection.set_schema_to_public()
    with in_school_schema(school_a):
        with in_school_schema(school_b):
            assert _current_schema() == school_b.schema_name
        assert _current_schema() == school_a.schema_name
    assert _current_schema() == "public"
