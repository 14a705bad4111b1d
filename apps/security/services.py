"""Writes of sign-in security: events (lockouts, recovery codes, two-step set up), a person's
own password change (and a reset's completion), and what a trust admin may do for their trust's
staff (lift a lockout of a person or of a network address, reset two-step sign-in so the person
sets it up again). Every one leaves a SecurityEvent; a trust admin's acts also go in the trust's
audit log. No pupil data is involved anywhere here."""

from __future__ import annotations

import ipaddress
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.core.tasks import queue_after_commit
from tenants import lockout
from tenants.models import SchoolMembership, Trust, TrustMembership, User
from tenants.roles import TrustRole
from tenants.session_limits import sessions_end_everywhere

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


def on_locked_out(
    sender: Any,
    *,
    email: str,
    address: str,
    until: datetime,
    trust_ids: list[int] | None = None,
    **kwargs: Any,
) -> None:
    """tenants.lockout.locked_out: record the lockout: the account's, when one has that email;
    an address's once for each trust its attempts concerned (that trust's admin sees it)."""
    if email:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            return  # an email no account has: nothing to tell anyone about
        security_event(kind=SecurityEvent.Kind.LOCKED_OUT, user=user, address=address, until=until)
        return
    trusts: list[Trust | None] = list(Trust.objects.filter(pk__in=trust_ids or []))
    for trust in trusts or [None]:
        security_event(
            kind=SecurityEvent.Kind.ADDRESS_LOCKED_OUT, trust=trust, address=address, until=until
        )


# --- a person's own password ----------------------------------------------------------------


def _password_set(*, user: User, new_password: str, kind: str, address: str | None) -> None:
    # A new password hash is a new session auth hash (tenants.models.User): every session of the
    # person on every host ends at its next request, with their hop links and remembered
    # browsers; saving a new password also revokes their API tokens (apps.api_access.receivers).
    user.set_password(new_password)
    user.save(update_fields=["password"])
    lockout.sign_in_succeeded(email=user.email)
    event = security_event(kind=kind, user=user, address=address)
    # The person is told, in case it was not them (the notice holds no pupil data).
    queue_after_commit("apps.security.tasks.send_password_notice", event.pk)


@transaction.atomic
def password_change(*, acting_user: User, new_password: str, address: str | None = None) -> None:
    """The signed-in person changes their own password (the page has checked the current one and
    the password rules). The caller keeps its own session (update_session_auth_hash)."""
    _password_set(
        user=acting_user,
        new_password=new_password,
        kind=SecurityEvent.Kind.PASSWORD_CHANGED,
        address=address,
    )


@transaction.atomic
def password_reset_complete(*, user: User, new_password: str, address: str | None = None) -> None:
    """A reset link from an email was used to choose a new password: every session ends."""
    _password_set(
        user=user,
        new_password=new_password,
        kind=SecurityEvent.Kind.PASSWORD_RESET,
        address=address,
    )


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
    # Whoever holds the lost authenticator may be signed in somewhere: every session of the
    # person ends, on every host, with their hop links and remembered browsers.
    sessions_end_everywhere(user=user)
    # API tokens are issued to people with two-step sign-in only with a code from it
    # (apps.core.api_auth): tokens obtained with the lost authenticator die with it. The person
    # asks for new ones once their new authenticator is set up.
    from apps.api_access.services import api_tokens_revoke_all

    api_tokens_revoke_all(user=user)
    security_event(
        kind=SecurityEvent.Kind.TWO_STEP_RESET, user=user, actor=acting_user, trust=trust
    )
    _trust_audit(
        trust,
        acting_user,
        f"Reset {user.full_name}'s two-step sign-in (signed out everywhere; they set it up again "
        "at their next sign-in)",
        "two_step_reset",
    )


NOT_PAUSED = (
    "That address is not paused for sign-ins to your trust: the pause may have run out or been "
    "lifted already."
)


@transaction.atomic
def address_lockout_lift(*, acting_user: User, trust: Trust, address: str) -> None:
    """Let everyone behind a locked-out network address (a school's NAT) try again now. Only for
    a lock that concerned this trust's hosts or people (see tenants.lockout); another trust's
    lock is answered as if there were none."""
    if not TrustMembership.objects.filter(
        user=acting_user, trust=trust, role=TrustRole.TRUST_ADMIN
    ).exists():
        raise PermissionDenied(TRUST_ADMIN_ONLY)
    normal = _address(address.strip())
    if normal is None:
        raise ValidationError("Choose a network address from the list.")
    concerned = SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.ADDRESS_LOCKED_OUT,
        trust=trust,
        address=normal,
        until__gt=timezone.now(),
    ).exists()
    if not concerned:
        raise ValidationError(NOT_PAUSED)
    security_event(
        kind=SecurityEvent.Kind.ADDRESS_LOCKOUT_LIFTED,
        actor=acting_user,
        trust=trust,
        address=normal,
    )
    _trust_audit(
        trust,
        acting_user,
        f"Lifted the sign-in pause on the network address {normal}",
        "address_lockout_lifted",
    )
    # Last, so that of two lifts at once (a double submit) only the one that removed the lock
    # keeps its rows: the other raises and its transaction is rolled back.
    if not lockout.address_unlock(normal):
        raise ValidationError(NOT_PAUSED)


def recent_events(trust: Trust, limit: int = 50) -> QuerySet[SecurityEvent]:
    """Security events of the trust's staff (the trust admin's page)."""
    return (
        SecurityEvent.objects.filter(Q(user__in=trust_staff(trust)) | Q(trust=trust))
        .select_related("user", "actor")
        .order_by("-occurred_at", "-id")[:limit]
    )
