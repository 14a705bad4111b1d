from __future__ import annotations

from django.db import models


class TrustSecurityPolicy(models.Model):
    """A trust's own tightening of the platform's rules (public schema)."""

    trust = models.OneToOneField(
        "tenants.Trust", on_delete=models.CASCADE, related_name="security_policy"
    )
    require_mfa_for_all_staff = models.BooleanField(
        "require two-step sign-in for every member of staff", default=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Security policy of trust {self.trust_id}"
