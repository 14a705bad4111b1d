"""What depends on a consent. Withdrawing consent calls every registered dependant inside the
same transaction, so whatever relied on the consent stops with it (a referral not yet seen is
stopped; later features register their own)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from apps.core.registry import Registry

# (consent, acting_user, request) -> how many records were stopped
ConsentDependant = Callable[[Any, Any, Any], int]

CONSENT_DEPENDANTS: Registry[ConsentDependant] = Registry("consent dependants")


def register_consent_dependant(fn: ConsentDependant) -> ConsentDependant:
    return CONSENT_DEPENDANTS.register(fn)


def current_consent(
    *, pupil_id: int, purpose: str, agency_id: int | None = None, named_body: str = ""
) -> Any:
    """The newest current consent for this pupil and purpose (and named agency or body)."""
    from django.utils import timezone

    from .models import Consent

    rows = Consent.objects.filter(pupil_id=pupil_id, purpose=purpose).order_by("-decided_on", "-id")
    if agency_id is not None:
        rows = rows.filter(agency_id=agency_id)
    elif named_body:
        rows = rows.filter(named_body__iexact=named_body)
    today = timezone.localdate()
    for consent in rows:
        # The newest decision for this party is the one that counts (a refusal after a consent
        # revokes it).
        return consent if consent.is_current(today) else None
    return None
