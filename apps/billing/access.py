"""Who may see and manage billing: the trust admins and finance staff of the school's trust
(DESIGN.md section 1), in the trust console only. Another trust's school is "not found"."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from apps.core.access import TrustRights
from tenants.models import Trust, User
from tenants.roles import TRUST_ROLES_WITH_BILLING

from .selectors import SchoolBilling, billing_trusts_for, school_billing_for

BILLING_ROLES = frozenset(TRUST_ROLES_WITH_BILLING)

RIGHTS = TrustRights(
    "billing",
    {"see_billing": BILLING_ROLES, "manage_billing": BILLING_ROLES},
    denied_message="Only trust admins and finance staff can see billing.",
)


def billing_trusts_for_request(request: HttpRequest) -> list[Trust]:
    """The trusts whose billing this person sees; refused on a school's host or without a role."""
    if getattr(request, "school", None) is not None:
        raise PermissionDenied("Billing is managed in the trust console.")
    if not isinstance(request.user, User):
        raise PermissionDenied(RIGHTS.denied_message)
    trusts = billing_trusts_for(request.user)
    if not trusts:
        raise PermissionDenied(RIGHTS.denied_message)
    return trusts


def get_school_billing_for(
    user: Any, school_id: int, trust_ids: list[int] | None = None
) -> SchoolBilling:
    """One school's billing, if the user has billing rights over its trust; else 404."""
    return school_billing_for(user, school_id, trust_ids)


def get_school_billing_for_write(user: Any, school_id: int) -> SchoolBilling:
    row = school_billing_for(user, school_id)
    RIGHTS.require(user, row.school.trust_id, "manage_billing")
    return row
