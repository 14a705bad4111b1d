from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

from tenants.access import schools_for
from tenants.models import TrustMembership
from tenants.roles import SchoolRole, TrustRole

from .navigation import SCHOOL_MORE_FROM_ORDER, SCHOOL_NAV, TRUST_NAV, NavItem


def _nav(
    request: HttpRequest, items: Iterable[NavItem], allowed: Callable[[NavItem], bool]
) -> list[dict[str, Any]]:
    out = []
    for item in items:
        if not allowed(item):
            continue
        try:
            url = reverse(item.url_name, urlconf=getattr(request, "urlconf", None))
        except NoReverseMatch:
            continue
        current = request.path == url or (url != "/" and request.path.startswith(url))
        out.append({"label": item.label, "url": url, "current": current, "order": item.order})
    return out


def _build_shell(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    shell: dict[str, Any] = {
        "school": None,
        "trust": None,
        "role_label": "",
        "switch_targets": [],
        "nav": [],
        "nav_more": [],
        "nav_more_current": False,
    }
    if not user.is_authenticated:
        return shell
    school = getattr(request, "school", None)
    access = getattr(request, "school_access", None)
    trust_memberships = list(TrustMembership.objects.filter(user=user).select_related("trust"))
    targets = []
    if trust_memberships:
        targets.append({"key": "trust", "label": "Trust console", "current": school is None})
    for s in schools_for(user):
        targets.append(
            {"key": s.slug, "label": s.name, "current": school is not None and s.pk == school.pk}
        )
    shell["switch_targets"] = targets
    if school is not None:
        shell["school"] = school
        shell["role_label"] = access.role_label if access else ""
        role = access.school_role if access else None

        def allowed(item: NavItem) -> bool:
            if not item.school_roles:
                return True
            if role:
                return role in item.school_roles
            # trust staff admitted to the school see what the headteacher sees
            return SchoolRole.HEADTEACHER in item.school_roles

        items = _nav(request, SCHOOL_NAV, allowed)
        shell["nav"] = [i for i in items if i["order"] < SCHOOL_MORE_FROM_ORDER]
        shell["nav_more"] = [i for i in items if i["order"] >= SCHOOL_MORE_FROM_ORDER]
        shell["nav_more_current"] = any(i["current"] for i in shell["nav_more"])
    else:
        membership = trust_memberships[0] if trust_memberships else None
        shell["trust"] = membership.trust if membership else None
        shell["role_label"] = (
            TrustRole(membership.role).label
            if membership
            else ("Platform operator" if user.is_staff else "")
        )
        trust_role = membership.role if membership else None

        def allowed(item: NavItem) -> bool:
            return not item.trust_roles or trust_role in item.trust_roles

        shell["nav"] = _nav(request, TRUST_NAV, allowed) if membership else []
    return shell


def shell(request: HttpRequest) -> dict[str, Any]:
    return {"shell": SimpleLazyObject(lambda: _build_shell(request))}
