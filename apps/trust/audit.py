"""The trust's audit log (TrustAuditEvent, public schema): one row per thing people did in the
console, in billing or in the tenancy core (tenants.services). A module of its own so that the
tenancy core can write here without importing the console's services (which build on it)."""

from __future__ import annotations

from apps.audit.actions import AuditAction
from tenants.models import School, Trust, User

from .models import TrustAuditEvent


def trust_audit(
    *,
    trust: Trust,
    actor: User | None,
    action: AuditAction,
    summary: str,
    school: School | None = None,
) -> TrustAuditEvent:
    return TrustAuditEvent.objects.create(
        trust=trust, actor=actor, action=action, summary=summary[:300], school=school
    )
