"""Who sees and does what with pupil records (DESIGN.md section 1), in one place.

Reads
- SENCo, headteacher: every pupil and every part of the record.
- Trust SEND lead admitted to the school: what a headteacher sees (read only; audited).
- Teacher: pupils in the classes they teach. TA: pupils assigned to them. Both see the register
  entry, profile, voice, strategies and concerns of those pupils.
- Office / data manager: every pupil's details and census codes (they run imports, exports and
  the census) but not the SEND detail — profile, voice, strategies, concerns, access logs.
- Governor: no pupil-level data at all (aggregate reports only).

Writes (never by trust staff)
- SENCo: everything, including the register entry and concern triage.
- Office: adds pupils and changes their details (MIS data), not the register entry.
- Teacher: profile, strategies (adding; retiring one is the SENCo's), voice and concerns for
  pupils they teach.
- TA: voice and concerns for pupils assigned to them. Headteacher: raises concerns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.db.models import Exists, OuterRef, QuerySet

from apps.core.access import (
    GOVERNOR,
    HEAD,
    OFFICE,
    PUPIL_ROLES,
    SENCO,
    SEND_DETAIL_ROLES,
    TA,
    TEACHER,
    WHOLE_SCHOOL_ROLES,
    Rights,
    effective_role,
    read,
    write,
)
from apps.core.field_rights import FieldRights

if TYPE_CHECKING:
    from .models import PupilQuerySet

__all__ = [
    "GOVERNOR",
    "HEAD",
    "OFFICE",
    "PUPIL_ROLES",
    "RIGHTS",
    "SEN_HISTORY_FIELDS",
    "SENCO",
    "SEND_DETAIL_ROLES",
    "TA",
    "TEACHER",
    "WHOLE_SCHOOL_ROLES",
    "can",
    "can_see_pupil",
    "effective_role",
    "scope_pupils",
    "visible_pupils",
]

RIGHTS = Rights(
    "pupil records",
    denied_message="Your role does not give you access to this.",
    table={
        "see_pupils": read(PUPIL_ROLES),
        "see_send_detail": read(SEND_DETAIL_ROLES),
        "see_access_log": read(SENCO),
        "see_school_audit": read(SENCO, HEAD),
        "see_all_concerns": read(SENCO, HEAD),
        "create_pupil": write(SENCO, OFFICE),
        "edit_pupil_details": write(SENCO, OFFICE),
        "change_register": write(SENCO),
        "edit_profile": write(SENCO, TEACHER),
        "add_strategy": write(SENCO, TEACHER),
        "retire_strategy": write(SENCO),  # teachers suggest; the SENCo decides what stops
        "add_voice": write(SENCO, TEACHER, TA),
        "raise_concern": write(SENCO, HEAD, TEACHER, TA),
        "triage_concern": write(SENCO),
        "manage_classes": write(SENCO, OFFICE),
        "assign_ta": write(SENCO),
    },
)
# Fields of a record that only some of its readers see; the pages ask the same capabilities
# (pupil_detail.html shows "Why" only with see_send_detail) and the API serializers drop them.
SEN_HISTORY_FIELDS = FieldRights(RIGHTS, {"reason": "see_send_detail"})

# capability -> roles (kept for callers that list roles, e.g. API allowed_roles).
CAPABILITIES: dict[str, frozenset[str]] = {name: cap.roles for name, cap in RIGHTS.table.items()}


def can(access, capability: str) -> bool:
    return RIGHTS.can(access, capability)


def scope_pupils(queryset: QuerySet, access, user) -> QuerySet:
    """Narrow a Pupil queryset to the pupils this person may see. The one place the rule lives:
    pages, services and the API base classes all come through here."""
    from .models import TAAssignment, TeachingGroupStaff

    role = effective_role(access)
    if role in WHOLE_SCHOOL_ROLES:
        return queryset
    if role == TEACHER:
        teaches = TeachingGroupStaff.objects.filter(user_id=user.pk, group__pupils=OuterRef("pk"))
        return queryset.filter(Exists(teaches))
    if role == TA:
        assigned = TAAssignment.objects.filter(user_id=user.pk, pupil=OuterRef("pk"))
        return queryset.filter(Exists(assigned))
    return queryset.none()


def visible_pupils(access: Any, user: Any) -> PupilQuerySet:
    """Every pupil this person may see in the current school (an unevaluated queryset)."""
    from .models import Pupil

    return cast("PupilQuerySet", scope_pupils(Pupil.objects.all(), access, user))


def can_see_pupil(access, user, pupil_id: int) -> bool:
    return visible_pupils(access, user).filter(pk=pupil_id).exists()
