"""Demo devices: every demo user who needs two-step sign-in gets an authenticator with one
documented key (README "The demo"), so `make run` stays easy to try. Never used outside the
demo seeding."""

from __future__ import annotations

import base64
from typing import Any

# Add to any authenticator app, or print the current code with `python -m apps.security.democode`.
DEMO_TOTP_SECRET = "SENCOHUBDEMOSENCOHUBDEMO"


def demo_key_hex() -> str:
    return base64.b32decode(DEMO_TOTP_SECRET).hex()


def seed_mfa_devices(trust: Any, demo_schools: Any, rng: Any) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tenants.models import User

    from .mfa import DEVICE_NAME, mfa_required

    users = User.objects.filter(trust_memberships__trust=trust) | User.objects.filter(
        school_memberships__school__trust=trust
    )
    for user in users.distinct():
        if mfa_required(user) and not TOTPDevice.objects.filter(user=user).exists():
            TOTPDevice.objects.create(
                user=user, name=DEVICE_NAME, key=demo_key_hex(), confirmed=True
            )
