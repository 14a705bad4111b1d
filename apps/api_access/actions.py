from __future__ import annotations

from apps.audit.actions import AuditAction


class ApiAccessAction(AuditAction):
    TOKEN_REVOKED_BY_TRUST = "api_token.revoked", "Revoked someone's API token"
