"""Writes of sign-in security: events (lockouts, recovery codes, two-step set up), and what a
trust admin may do for their trust's staff (lift a lockout, reset two-step sign-in so the person
sets it up again). Every one leaves a SecurityEvent; a trust admin's acts also go in the trust's
audit log. No pupil data is involved anywhere here."""

from __future__ import annotations

import ipaddress
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tenants import lockout
from tenants.models import SchoolMembership, Trust, TrustMembership, User
from tenants.roles import TrustRole

from .models import SecurityEvent

TRUST_ADMIN_ONLY = "Only the trust's admin can do this."
OTHER_TRUST = (
    "This person also works for another trust, so only the platform operator can change their "
    "sign-in. Ask them to use a recovery code, or contact support."
)


def _address(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address(value or ""))
    except ValueError:
        return None


def security_event(
    *,
    kind: str,
    user: User | None = None,
    actor: User | None = None,
    trust: Trust | None = None,
    address: str | None = None,
    until: datetime | None = None,
) -> SecurityEvent:
    return SecurityEvent.objects.create(
        kind=kind, user=user, actor=actor, trust=trust, address=_address(address), until=until
    )


def on_locked_out(sender: Any, *, email: str, address: str, until: datetime, **kwargs: Any) -> None:
    """tenants.lockout.locked_out: record the lockout (the account, when one has that email)."""
    user = User.objects.filter(email__iexact=email).first() if email else None
    kind = SecurityEvent.Kind.LOCKED_OUT if email else SecurityEvent.Kind.ADDRESS_LOCKED_OUT
    if email and user is None:
        return  # an email no account has: nothing to tell anyone about
    security_event(kind=kind, user=user, address=address, until=until)


# --- a trust admin's acts for their trust's staff -----------------------------------------


def trust_staff(trust: Trust) -> QuerySet[User]:
    """Everyone with a role in the trust or one of its schools."""
    return (
        User.objects.filter(
            Q(trust_memberships__trust=trust) | Q(school_memberships__school__trust=trust)
        )
        .distinct()
        .order_by("full_name", "email")
    )


def _require_admin_over(acting_user: User, trust: Trust, user: User) -> None:
    if not TrustMembership.objects.filter(
        user=acting_user, trust=trust, role=TrustRole.TRUST_ADMIN
    ).exists():
        raise PermissionDenied(TRUST_ADMIN_ONLY)
    if not trust_staff(trust).filter(pk=user.pk).exists():
        raise PermissionDenied("That person does not work for this trust.")
    other = (
        TrustMembership.objects.filter(user=user).exclude(trust=trust).exists()
        or SchoolMembership.objects.filter(user=user).exclude(school__trust=trust).exists()
    )
    if other:
        raise PermissionDenied(OTHER_TRUST)


def _trust_audit(trust: Trust, actor: User, summary: str, action: str) -> None:
    from apps.trust.actions import TrustAction
    from apps.trust.services import trust_audit

    trust_audit(trust=trust, actor=actor, action=TrustAction(action), summary=summary)


@transaction.atomic
def lockout_lift(*, acting_user: User, trust: Trust, user: User) -> None:
    """Let a locked-out member of staff try again now (their account's lock only)."""
    _require_admin_over(acting_user, trust, user)
    lockout.account_unlock(user.email)
    security_event(
        kind=SecurityEvent.Kind.LOCKOUT_LIFTED, user=user, actor=acting_user, trust=trust
    )
    _trust_audit(
        trust, acting_user, f"Lifted the sign-in lockout of {user.full_name}", "lockout_lifted"
    )


@transaction.atomic
def two_step_reset(*, acting_user: User, trust: Trust, user: User) -> None:
    """Someone lost their authenticator and their recovery codes: remove both, so that at their
    next sign-in (password) they set up a new authenticator. A trust admin cannot reset their
    own (they use a recovery code, or another admin resets it)."""
    if user.pk == acting_user.pk:
        raise PermissionDenied(
            "You cannot reset your own two-step sign-in: use a recovery code, or ask another "
            "trust admin."
        )
    _require_admin_over(acting_user, trust, user)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    security_event(
        kind=SecurityEvent.Kind.TWO_STEP_RESET, user=user, actor=acting_user, trust=trust
    )
    _trust_audit(
        trust,
        acting_user,
        f"Reset {user.full_name}'s two-step sign-in (they set it up again at their next sign-in)",
        "two_step_reset",
    )


def recent_events(trust: Trust, limit: int = 50) -> QuerySet[SecurityEvent]:
    """Security events of the trust's staff (the trust admin's page)."""
    return (
        SecurityEvent.objects.filter(Q(user__in=trust_staff(trust)) | Q(trust=trust))
        .select_related("user", "actor")
        .order_by("-occurred_at", "-id")[:limit]
    )
