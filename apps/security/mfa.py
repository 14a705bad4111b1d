"""Two-step sign-in (multi-factor authentication): a password, then a six-digit code from an
authenticator app (TOTP, django-otp) or one of ten single-use recovery codes.

Who must use it: SENCos, headteachers and every trust role (they reach sensitive data across a
school or a trust), and every member of staff of a trust whose admin requires it for all. Anyone
else may turn it on. A browser that passed the second step may be remembered for 30 days (a
signed cookie bound to the user's password and device). API tokens are issued to these users
only with a valid code (apps.core.api_auth).

State: the session holds SESSION_KEY once the second step is passed (or is not needed), and
hop links carry a signed-in user to another host only from a session that passed it.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core import signing
from django.db import transaction
from django.http import HttpRequest, HttpResponseBase
from django.utils.crypto import constant_time_compare, salted_hmac
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tenants.roles import SchoolRole

SESSION_KEY = "mfa_passed"
# For people who need no second step, the answer is kept this long in the session, then asked
# again (a trust admin may require it for everyone meanwhile).
OPTIONAL_RECHECK_SECONDS = 300
REMEMBER_COOKIE = "sencohub_mfa_device"
REMEMBER_SALT = "sencohub.mfa.remember"
REQUIRED_SCHOOL_ROLES = frozenset({SchoolRole.SENCO, SchoolRole.HEADTEACHER})
RECOVERY_CODES = 10
DEVICE_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def mfa_required(user: Any) -> bool:
    from tenants.models import SchoolMembership, TrustMembership

    from .models import TrustSecurityPolicy

    if TrustMembership.objects.filter(user=user).exists():
        return True
    memberships = SchoolMembership.objects.filter(user=user)
    if memberships.filter(role__in=list(REQUIRED_SCHOOL_ROLES)).exists():
        return True
    trust_ids = memberships.values_list("school__trust_id", flat=True)
    return TrustSecurityPolicy.objects.filter(
        trust_id__in=trust_ids, require_mfa_for_all_staff=True
    ).exists()


def has_mfa(user: Any) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def verify_code(user: Any, code: str | None) -> bool:
    """A current authenticator code, or an unused recovery code (then used up)."""
    return verify_code_kind(user, code) is not None


def verify_code_kind(user: Any, code: str | None) -> str | None:
    """ "app" for a current authenticator code, "recovery" for an unused recovery code (then used
    up and recorded), None when the code is not right."""
    code = "".join((code or "").split())
    if not code or not has_mfa(user):
        return None
    device = match_token(user, code)
    if device is None:
        return None
    if isinstance(device, StaticDevice):
        from .models import SecurityEvent
        from .services import security_event

        security_event(kind=SecurityEvent.Kind.RECOVERY_CODE_USED, user=user)
        return "recovery"
    return "app"


def totp_device_for_setup(user: Any) -> TOTPDevice:
    """The unconfirmed device being set up (made once, shown until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


@transaction.atomic
def mfa_setup_confirm(*, acting_user: Any, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator with a code from it; the new recovery codes, or None."""
    code = "".join((code or "").split())
    if device.user_id != acting_user.pk or not code or not device.verify_token(code):
        return None
    TOTPDevice.objects.filter(user=acting_user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    from .models import SecurityEvent
    from .services import security_event

    security_event(kind=SecurityEvent.Kind.TWO_STEP_SET_UP, user=acting_user)
    return recovery_codes_renew(acting_user=acting_user)


@transaction.atomic
def recovery_codes_renew(*, acting_user: Any) -> list[str]:
    StaticDevice.objects.filter(user=acting_user).delete()
    static = StaticDevice.objects.create(user=acting_user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


def recovery_codes_left(user: Any) -> int:
    return int(StaticToken.objects.filter(device__user=user).count())


# --- the session's state ----------------------------------------------------------------


def mark_passed(session: SessionBase) -> None:
    session[SESSION_KEY] = "passed"


def session_passed(session: SessionBase) -> bool:
    state = session.get(SESSION_KEY)
    if state == "passed":
        return True
    return isinstance(state, int | float) and time.time() - state < OPTIONAL_RECHECK_SECONDS


def mark_not_needed(session: SessionBase) -> None:
    session[SESSION_KEY] = time.time()


# --- remembered devices -------------------------------------------------------------------


def _binding(user: Any) -> str:
    # Bound to the password and to the authenticator: a new password, or a new authenticator
    # (re-enrolment after a lost phone, a trust admin's reset) forgets every remembered browser.
    device = (
        TOTPDevice.objects.filter(user=user, confirmed=True).values_list("pk", flat=True).first()
    )
    return salted_hmac(REMEMBER_SALT, f"{user.get_session_auth_hash()}:{device}").hexdigest()[:32]


def remember_value(user: Any) -> str:
    return signing.dumps({"u": user.pk, "b": _binding(user)}, salt=REMEMBER_SALT)


def is_remembered(request: HttpRequest, user: Any) -> bool:
    value = request.COOKIES.get(REMEMBER_COOKIE)
    if not value:
        return False
    try:
        data = signing.loads(
            value, salt=REMEMBER_SALT, max_age=settings.MFA_REMEMBER_DEVICE_SECONDS
        )
    except signing.BadSignature:
        return False
    return data.get("u") == user.pk and constant_time_compare(data.get("b", ""), _binding(user))


def remember_device(response: HttpResponseBase, user: Any) -> None:
    response.set_cookie(
        REMEMBER_COOKIE,
        remember_value(user),
        max_age=settings.MFA_REMEMBER_DEVICE_SECONDS,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
