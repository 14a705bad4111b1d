"""API permissions. Kept apart from apps.core.api because DRF reads the default permission class
while importing its own views."""

from __future__ import annotations

from typing import Any

from rest_framework import permissions
from rest_framework.request import Request

from tenants.models import TrustMembership, User

from .access import TRUST_READ_ONLY_MESSAGE, effective_role


def _host(request: Request) -> str:
    return str(request.get_host()).split(":")[0].lower()


class IsAuthenticatedForThisHost(permissions.BasePermission):
    """Default for every API view: signed in, by token or by a session bound to this host."""

    message = "Authentication credentials were not provided."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if getattr(request._request, "authenticated_by_token", False) or request.auth is not None:
            return True
        return bool(request._request.session.get("bound_host") == _host(request))


class IsSchoolMember(permissions.BasePermission):
    message = "You do not have access to this school."

    def has_permission(self, request: Request, view: Any) -> bool:
        access = getattr(request._request, "school_access", None)
        if getattr(request._request, "school", None) is None or access is None:
            return False
        read_roles = getattr(view, "allowed_roles", None)
        write_roles = getattr(view, "write_roles_by_action", {}).get(
            getattr(view, "action", None), getattr(view, "write_roles", None)
        )
        role = effective_role(access)
        if request.method in permissions.SAFE_METHODS:
            if read_roles is not None and role not in read_roles:
                self.message = "Your role cannot see this."
                return False
            return True
        if access.via_trust:
            self.message = TRUST_READ_ONLY_MESSAGE
            return False
        roles = write_roles if write_roles is not None else read_roles
        if roles is not None and role not in roles:
            self.message = "Your role cannot change this."
            return False
        return True


class IsTrustMember(permissions.BasePermission):
    message = "Only trust staff can use this."

    def has_permission(self, request: Request, view: Any) -> bool:
        if getattr(request._request, "school", None) is not None:
            self.message = "Trust endpoints live on the platform domain."
            return False
        roles = getattr(view, "trust_roles", None)
        if not isinstance(request.user, User):
            return False
        qs = TrustMembership.objects.filter(user=request.user)
        if roles is not None:
            qs = qs.filter(role__in=list(roles))
        return qs.exists()
