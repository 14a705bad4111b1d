"""Who sees and does what with the provision map.

- SENCo: keeps the catalogue, sets up groups, logs sessions, sets the threshold and budget.
- Headteacher, trust SEND lead (as headteacher): read the whole map, costs and impact.
- Teacher / TA: see the groups they run (and their pupils); log sessions for those groups.
- Office and governors: figures only: the catalogue, costs by year group and area, impact.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from apps.core.access import (
    GOVERNOR,
    HEAD,
    OFFICE,
    SENCO,
    TA,
    TEACHER,
    Rights,
    effective_role,
    read,
    write,
)

RIGHTS = Rights(
    "the provision map",
    {
        "see_catalogue": read(SENCO, HEAD, TEACHER, TA, OFFICE, GOVERNOR),
        "see_figures": read(SENCO, HEAD, OFFICE, GOVERNOR),
        "see_map": read(SENCO, HEAD),
        "see_groups": read(SENCO, HEAD, TEACHER, TA),
        "manage_catalogue": write(SENCO),
        "manage_groups": write(SENCO),
        "log_session": write(SENCO, TEACHER, TA),
        "set_costs": write(SENCO, HEAD),
        "export_map": read(SENCO, HEAD, school_staff_only=True),
    },
)

WHOLE_MAP_ROLES = frozenset({SENCO, HEAD})


def visible_groups(access: Any, user: Any) -> QuerySet[Any]:
    """Groups this person may see: all for the SENCo and headteacher, the ones they run for
    teachers and teaching assistants."""
    from .models import InterventionGroup

    if not RIGHTS.can(access, "see_groups"):
        return InterventionGroup.objects.none()
    if effective_role(access) in WHOLE_MAP_ROLES:
        return InterventionGroup.objects.all()
    return InterventionGroup.objects.filter(staff_user_ids__contains=[user.pk])


def get_group_for(access: Any, user: Any, group_id: int) -> Any:
    group = visible_groups(access, user).select_related("intervention").filter(pk=group_id).first()
    if group is None:
        raise Http404("No such group.")
    return group


def get_group_for_write(access: Any, user: Any, group_id: int) -> Any:
    RIGHTS.require(access, "manage_groups")
    return get_group_for(access, user, group_id)


def get_intervention_for(access: Any, user: Any, intervention_id: int) -> Any:
    from .models import Intervention

    if not RIGHTS.can(access, "see_catalogue"):
        raise Http404("No such intervention.")
    found = Intervention.objects.filter(pk=intervention_id).first()
    if found is None:
        raise Http404("No such intervention.")
    return found


def get_intervention_for_write(access: Any, user: Any, intervention_id: int) -> Any:
    RIGHTS.require(access, "manage_catalogue")
    return get_intervention_for(access, user, intervention_id)
