"""Entering another school's schema and coming back: the one way code that serves one place (the
trust console, a school's own host, a task) works in another school's records.

    with in_school_schema(other_school):
        ...  # queries run in other_school's schema (and public)
    # the caller's schema, tenant and search path are as they were, even after an exception

django-tenants' ``tenant_context`` restores ``connection.tenant`` only, which is not always what
the caller had (a task entered by schema name, or code that set the schema without a tenant); this
restores exactly what was there.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from .typing import tenant_db

if TYPE_CHECKING:
    from .models import School


@contextmanager
def in_school_schema(school: School) -> Iterator[School]:
    previous_tenant = getattr(tenant_db, "tenant", None)
    previous_schema = tenant_db.schema_name
    previous_include_public = getattr(tenant_db, "include_public_schema", True)
    tenant_db.set_tenant(school)
    try:
        yield school
    finally:
        if previous_tenant is not None and previous_tenant.schema_name == previous_schema:
            tenant_db.set_tenant(previous_tenant, include_public=previous_include_public)
        else:
            tenant_db.set_schema(previous_schema, include_public=previous_include_public)
