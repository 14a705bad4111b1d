"""Reads of sign-in security used by the trust admin's page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from tenants import lockout
from tenants.models import Trust

from .models import SecurityEvent


@dataclass(frozen=True)
class AddressLockout:
    address: str
    since: datetime  # when this trust's sign-ins were first caught by it
    until: datetime


def address_lockouts(trust: Trust) -> list[AddressLockout]:
    """Network addresses locked out now whose failed or refused sign-ins concerned this trust's
    hosts or people (tenants.lockout records the trusts). Another trust's locks are not here."""
    first_seen: dict[str, datetime] = {}
    for address, occurred_at in (
        SecurityEvent.objects.filter(
            kind=SecurityEvent.Kind.ADDRESS_LOCKED_OUT,
            trust=trust,
            address__isnull=False,
            until__gt=timezone.now(),
        )
        .order_by("occurred_at")
        .values_list("address", "occurred_at")
    ):
        first_seen.setdefault(str(address), occurred_at)
    locks = lockout.address_locks(list(first_seen))
    return [
        AddressLockout(address=address, since=since, until=locks[address].until)
        for address, since in first_seen.items()
        if address in locks
    ]
