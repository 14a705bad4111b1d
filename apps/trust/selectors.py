from __future__ import annotations

from django.db.models import Prefetch

from tenants.models import School, SchoolMembership, Trust, TrustMembership, User
from tenants.roles import SchoolRole


def trusts_for(user: User) -> list[tuple[Trust, str]]:
    return [(m.trust, m.role) for m in TrustMembership.objects.filter(user=user).select_related("trust")]


def trust_schools(trust: Trust):
    """The trust's schools with their SENCos, in two queries whatever the number of schools."""
    return School.objects.filter(trust=trust).prefetch_related(
        Prefetch(
            "memberships",
            queryset=SchoolMembership.objects.filter(role=SchoolRole.SENCO).select_related("user"),
            to_attr="senco_memberships",
        )
    )
