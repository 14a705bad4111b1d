from __future__ import annotations

from django.db import models
from django.utils import timezone


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


class SecurityEvent(models.Model):
    """Sign-in security events of an account (public schema): lockouts, recovery codes, two-step
    set up or reset, password changes and resets. Staff accounts only; no pupil data.

    An address lockout is recorded once for each trust whose hosts or people the failed (and
    then refused) sign-ins concerned (`trust`), so each trust's admin sees it and nobody else."""

    class Kind(models.TextChoices):
        LOCKED_OUT = "locked_out", "Signing in paused after failed attempts"
        ADDRESS_LOCKED_OUT = "address_locked_out", "Signing in paused for an address"
        LOCKOUT_LIFTED = "lockout_lifted", "Lockout lifted by a trust admin"
        ADDRESS_LOCKOUT_LIFTED = (
            "address_lockout_lifted",
            "Lockout of an address lifted by a trust admin",
        )
        RECOVERY_CODE_USED = "recovery_code_used", "Signed in with a recovery code"
        TWO_STEP_SET_UP = "two_step_set_up", "Set up two-step sign-in"
        RECOVERY_CODES_RENEWED = "recovery_codes_renewed", "New recovery codes"
        TWO_STEP_RESET = (
            "two_step_reset",
            "Two-step sign-in reset by a trust admin (signed out everywhere)",
        )
        PASSWORD_CHANGED = "password_changed", "Password changed (signed out everywhere else)"
        PASSWORD_RESET = "password_reset", "Password reset by email link (signed out everywhere)"

    id = models.BigAutoField(primary_key=True)
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    # The account concerned (None: an address lock, or an email no account has).
    user = models.ForeignKey(
        "tenants.User", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Who did it, when not the account holder (a trust admin), and for which trust.
    actor = models.ForeignKey(
        "tenants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    trust = models.ForeignKey(
        "tenants.Trust", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    address = models.GenericIPAddressField(null=True, blank=True)
    until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.occurred_at:%Y-%m-%d %H:%M})"
