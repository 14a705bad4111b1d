"""Types for what the tenancy core adds to Django's objects, for the type checker only: the
attributes the gates put on a request, and django-tenants' methods on the database connection."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

from django.db import connection
from django.http import HttpRequest

if TYPE_CHECKING:
    from .access import SchoolAccess
    from .models import School, Trust, User


class SchoolRequest(HttpRequest):
    """A request after the gates (tenants.middleware): never instantiated, only annotated."""

    school: School | None
    school_access: SchoolAccess | None
    tenant: Any
    urlconf: str
    authenticated_by_token: bool
    auth_method: str | None  # "token", "session" or None: the gate's decision
    api_token: Any  # apps.api_access.models.ApiToken | None
    read_only_reason: Any  # str | None, worked out lazily (a SimpleLazyObject)


class SchoolPageRequest(SchoolRequest):
    """A request to a school page behind the access gate: served on a school's host (the school
    is known) to a signed-in member or admitted trust staff (never instantiated, only
    annotated). Pages the gate leaves open (a calendar feed by its secret) take SchoolRequest."""

    school: School
    user: User


class TrustRequest(HttpRequest):
    """A trust console request after apps.trust.views.trust_page: never instantiated."""

    trust: Trust
    trust_role: str


class TenantConnection(Protocol):
    tenant: Any
    schema_name: str
    include_public_schema: bool

    def set_tenant(self, tenant: Any, include_public: bool = True) -> None: ...

    def set_schema(self, schema_name: str, include_public: bool = True) -> None: ...

    def set_schema_to_public(self) -> None: ...


# The default connection, seen with django-tenants' methods (the same proxy object).
tenant_db = cast(TenantConnection, connection)
