"""Who may act in which school, computed once per request."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import School, SchoolMembership, TrustMembership, User
from .roles import TRUST_ROLES_WITH_SCHOOL_ACCESS, SchoolRole, TrustRole


@dataclass(frozen=True)
class SchoolAccess:
    """A user's standing in one school: their school role, or the trust role that admits them."""

    school_id: int
    school_role: str | None
    trust_role: str | None

    @property
    def via_trust(self) -> bool:
        return self.school_role is None and self.trust_role is not None

    @property
    def role_label(self) -> str:
        if self.school_role:
            return SchoolRole(self.school_role).label
        if self.trust_role:
            return f"{TrustRole(self.trust_role).label} (trust)"
        return ""

    def has_role(self, *roles: str) -> bool:
        return self.school_role in roles


def school_access_for(user: User, school: School) -> SchoolAccess | None:
    if not user.is_authenticated or not user.is_active:
        return None
    membership = SchoolMembership.objects.filter(user=user, school=school).only("role").first()
    trust_role = (
        TrustMembership.objects.filter(user=user, trust_id=school.trust_id)
        .values_list("role", flat=True)
        .first()
    )
    if membership is None and trust_role not in TRUST_ROLES_WITH_SCHOOL_ACCESS:
        return None
    return SchoolAccess(
        school_id=school.pk,
        school_role=membership.role if membership else None,
        trust_role=trust_role,
    )


def schools_for(user: User | AnonymousUser) -> QuerySet[School]:
    """Schools the user can open: their memberships, plus their trusts' schools for trust roles
    that cover schools. Archived schools are left out."""
    if not user.is_authenticated:
        none: QuerySet[School] = School.objects.none()
        return none
    from django.db.models import Q

    trust_ids = TrustMembership.objects.filter(
        user=user, role__in=list(TRUST_ROLES_WITH_SCHOOL_ACCESS)
    ).values("trust_id")
    schools: QuerySet[School] = (
        School.objects.filter(Q(memberships__user=user) | Q(trust_id__in=trust_ids))
        .exclude(status=School.Status.ARCHIVED)
        .distinct()
        .order_by("name")
    )
    return schools


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in user of a view behind login_required or a gate that admits only members:
    typed as a User (never AnonymousUser); anyone else is refused."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied("Sign in first.")
    return user
