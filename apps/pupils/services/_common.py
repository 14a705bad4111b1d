"""What every pupil service shares: the authorisation check, the acting user's name for the
record, and small helpers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from apps.core.acting import authorise as core_authorise
from tenants.models import SchoolMembership

from .. import access as rights
from ..models import Pupil

# Details anyone allowed to edit pupil details may change (register fields go through
# register_set_status, so every change of provision or need is in the history).
DETAIL_FIELDS = (
    "upn",
    "first_name",
    "last_name",
    "preferred_first_name",
    "preferred_last_name",
    "date_of_birth",
    "gender",
    "year_group",
    "form",
    "admission_date",
    "leaving_date",
    "eal",
    "pupil_premium",
    "free_school_meals",
    "looked_after",
    "designated_teacher_user_id",
    "medical_needs",
)
REGISTER_FIELDS = (
    "sen_provision",
    "primary_need",
    "secondary_need",
    "sen_identified_on",
    "sen_lead_user_id",
)
PROFILE_FIELDS = (
    "like_and_admire",
    "important_to_me",
    "how_to_support",
    "communication_preferences",
)
_KEEP = object()


def authorise(
    acting_user: Any, capability: str, pupil: Pupil | None = None, *, request: Any = None
) -> Any:
    """Refuse unless acting_user may use `capability` (on `pupil`, if given). None = system.
    The acting user's access is the request's (computed once by the gate) when there is one."""
    access = core_authorise(rights.RIGHTS, acting_user, capability, request=request)
    if access is None:
        return None
    if pupil is not None and not rights.can_see_pupil(access, acting_user, pupil.pk):
        raise PermissionDenied("You can only work with pupils you teach or support.")
    return access


def _name(user) -> str:
    return getattr(user, "full_name", "") or "System" if user is not None else "System"


def _uid(user) -> int | None:
    return getattr(user, "pk", None) if user is not None else None


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _not_staff(user_id: int | None) -> bool:
    """True when user_id is given but is not a member of staff of the current school."""
    if not user_id:
        return False
    school = getattr(connection, "tenant", None)
    if school is None:
        return True
    return not SchoolMembership.objects.filter(school_id=school.pk, user_id=user_id).exists()


def _today() -> dt.date:
    return timezone.localdate()


def _clean_text(value: Any) -> str:
    return " ".join(str(value or "").split())
