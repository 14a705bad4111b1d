"""System checks for how the product is deployed (README "Scaling out")."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register


@register("database")
def pooler_runs_in_session_mode(app_configs=None, **kwargs) -> list[Error]:
    """The search path is set once per connection and school change (TENANT_LIMIT_SET_CALLS), so
    a connection pooler must hand every statement of a request to the same server session:
    PgBouncer `pool_mode = session`. DATABASE_POOL_MODE says what sits in front of PostgreSQL."""
    mode = getattr(settings, "DATABASE_POOL_MODE", "session")
    if mode != "session" and getattr(settings, "TENANT_LIMIT_SET_CALLS", False):
        return [
            Error(
                f"The database connection pooler runs in {mode!r} mode.",
                hint="Run PgBouncer with pool_mode = session (DATABASE_POOL_MODE=session): each "
                "school's search path is set once per session, not per transaction.",
                id="tenants.E001",
            )
        ]
    return []
