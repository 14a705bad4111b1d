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
- Teacher: profile, strategies, voice and concerns for pupils they teach.
- TA: voice and concerns for pupils assigned to them. Headteacher: raises concerns.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from tenants.roles import SchoolRole, TrustRole

SENCO, HEAD, TEACHER, TA, OFFICE, GOVERNOR = (
    SchoolRole.SENCO,
    SchoolRole.HEADTEACHER,
    SchoolRole.TEACHER,
    SchoolRole.TEACHING_ASSISTANT,
    SchoolRole.OFFICE,
    SchoolRole.GOVERNOR,
)

WHOLE_SCHOOL_ROLES = frozenset({SENCO, HEAD, OFFICE})
PUPIL_ROLES = frozenset({SENCO, HEAD, TEACHER, TA, OFFICE})
SEND_DETAIL_ROLES = frozenset({SENCO, HEAD, TEACHER, TA})

# capability -> roles. Names ending in "see_" are reads; everything else is a write.
CAPABILITIES: dict[str, frozenset[str]] = {
    "see_pupils": PUPIL_ROLES,
    "see_send_detail": SEND_DETAIL_ROLES,
    "see_access_log": frozenset({SENCO}),
    "see_school_audit": frozenset({HEAD}),
    "see_all_concerns": frozenset({SENCO, HEAD}),
    "create_pupil": frozenset({SENCO, OFFICE}),
    "edit_pupil_details": frozenset({SENCO, OFFICE}),
    "change_register": frozenset({SENCO}),
    "edit_profile": frozenset({SENCO, TEACHER}),
    "add_strategy": frozenset({SENCO, TEACHER}),
    "add_voice": frozenset({SENCO, TEACHER, TA}),
    "raise_concern": frozenset({SENCO, HEAD, TEACHER, TA}),
    "triage_concern": frozenset({SENCO}),
    "manage_classes": frozenset({SENCO, OFFICE}),
    "assign_ta": frozenset({SENCO}),
}


def effective_role(access) -> str | None:
    """The school role whose rights apply: trust SEND leads read as a headteacher."""
    if access is None:
        return None
    if access.school_role:
        return access.school_role
    if access.trust_role == TrustRole.SEND_LEAD:
        return HEAD
    return None


def can(access, capability: str) -> bool:
    role = effective_role(access)
    if role is None:
        return False
    if not capability.startswith("see_") and access.via_trust:
        return False
    return role in CAPABILITIES[capability]


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


def visible_pupils(access, user) -> QuerySet:
    """Every pupil this person may see in the current school (an unevaluated queryset)."""
    from .models import Pupil

    return scope_pupils(Pupil.objects.all(), access, user)


def can_see_pupil(access, user, pupil_id: int) -> bool:
    return visible_pupils(access, user).filter(pk=pupil_id).exists()
