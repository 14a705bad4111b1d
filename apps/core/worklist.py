"""The worklist: counted to-do items from every domain package (``WORKLIST`` in
``apps.core.extensions``), shown on a school's home page and, for a SENCo of several schools, on
the platform host's "My schools" page.

Each school's items are computed inside that school's own schema, with the user's rights in that
school (the access the gate would give them there), so a provider written for the home page is
correct on "My schools" without knowing it. Items carry counts and a path, never a pupil's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast
from urllib.parse import urlencode

from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.access import SchoolAccess, school_access_for
from tenants.models import School, User
from tenants.roles import SchoolRole

from .extensions import WORKLIST, WorklistContext, WorklistItem

URGENCY_ORDER = {"overdue": 0, "soon": 1, "normal": 2}


def worklist_items(context: WorklistContext) -> list[WorklistItem]:
    """Every provider's items for one school, most urgent first. Call inside the school's schema."""
    items: list[WorklistItem] = []
    for provider in WORKLIST:
        items.extend(provider(context))
    return sorted(items, key=lambda item: URGENCY_ORDER.get(item.urgency, 2))


def worklist_for_request(request: Any) -> list[WorklistItem]:
    """The current school's worklist for the signed-in user (school host)."""
    return worklist_items(
        WorklistContext(
            school=request.school,
            user=request.user,
            access=request.school_access,
            today=timezone.localdate(),
        )
    )


@dataclass(frozen=True)
class SchoolWorklist:
    school: School
    access: SchoolAccess
    items: list[WorklistItem]

    @property
    def total(self) -> int:
        return sum(item.count for item in self.items)


def hop_link(school: School, path: str = "/") -> str:
    """A link on the platform host that hops the signed-in user into `school`, landing on `path`
    (the hop link itself is made when followed: it is valid for 60 seconds only)."""
    url = reverse("switch-school-to", args=[school.slug])
    return f"{url}?{urlencode({'to': path})}" if path != "/" else url


def senco_schools(user: User) -> QuerySet[School]:
    """Schools (not archived) where the user holds the SENCo role, by name."""
    schools = (
        School.objects.filter(memberships__user=user, memberships__role=SchoolRole.SENCO)
        .exclude(status=School.Status.ARCHIVED)
        .distinct()
        .order_by("name")
    )
    return cast("QuerySet[School]", schools)


def my_schools_worklists(user: User, *, today: date | None = None) -> list[SchoolWorklist]:
    """For every school where `user` is SENCo: that school's worklist, computed in its own schema
    with the user's rights there."""
    today = today or timezone.localdate()
    out: list[SchoolWorklist] = []
    try:
        for school in senco_schools(user):
            access = school_access_for(user, school)
            if access is None:
                continue
            with tenant_context(school):
                items = worklist_items(
                    WorklistContext(school=school, user=user, access=access, today=today)
                )
            out.append(SchoolWorklist(school=school, access=access, items=items))
    finally:
        cast(Any, connection).set_schema_to_public()
    return out
