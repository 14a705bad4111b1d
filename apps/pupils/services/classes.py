"""Classes (who teaches which pupils) and teaching assistants assigned to pupils."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import connection, transaction

from apps.audit.services import record
from tenants.models import SchoolMembership
from tenants.roles import SchoolRole

from ..actions import PupilAction
from ..codes import YEAR_GROUPS
from ..models import Pupil, TAAssignment, TeachingGroup, TeachingGroupStaff
from ._common import _clean_text, _not_staff, authorise


@transaction.atomic
def teaching_group_create(
    *,
    acting_user,
    name: str,
    year_group: str = "",
    subject: str = "",
    staff_user_ids: Sequence[int] = (),
    pupil_ids: Sequence[int] = (),
    request=None,
) -> TeachingGroup:
    authorise(acting_user, "manage_classes", request=request)
    name = _clean_text(name)
    if not name:
        raise ValidationError({"name": ["Give the class a name."]})
    if TeachingGroup.objects.filter(name=name).exists():
        raise ValidationError({"name": [f"There is already a class called {name}."]})
    if year_group and year_group not in YEAR_GROUPS:
        raise ValidationError(
            {"year_group": [f"{year_group} is not a year group. Use N1, N2, R or 1 to 13."]}
        )
    strangers = [uid for uid in staff_user_ids if _not_staff(uid)]
    if strangers:
        raise ValidationError({"staff_user_ids": ["Choose members of staff at this school."]})
    group = TeachingGroup.objects.create(name=name, year_group=year_group, subject=subject)
    TeachingGroupStaff.objects.bulk_create(
        [TeachingGroupStaff(group=group, user_id=uid) for uid in dict.fromkeys(staff_user_ids)]
    )
    group.pupils.add(*pupil_ids)
    record(
        user=acting_user,
        action=PupilAction.CLASS_CHANGED,
        summary=f"Created class {name}",
        request=request,
        extra={"group_id": group.pk},
    )
    return group


@transaction.atomic
def teaching_group_set_staff(
    *, acting_user, group: TeachingGroup, staff_user_ids: list[int], request=None
) -> TeachingGroup:
    """Who teaches a class (teachers then see its pupils)."""
    authorise(acting_user, "manage_classes", request=request)
    wanted = set(staff_user_ids)
    if any(_not_staff(uid) for uid in wanted):
        raise ValidationError({"staff_user_ids": ["Choose members of staff at this school."]})
    current = set(group.staff.values_list("user_id", flat=True))
    if wanted == current:
        return group
    group.staff.filter(user_id__in=current - wanted).delete()
    TeachingGroupStaff.objects.bulk_create(
        [TeachingGroupStaff(group=group, user_id=uid) for uid in wanted - current]
    )
    record(
        user=acting_user,
        action=PupilAction.CLASS_CHANGED,
        summary=f"Changed who teaches {group.name}",
        request=request,
        extra={"group_id": group.pk, "staff": sorted(wanted)},
    )
    return group


@transaction.atomic
def ta_assign(*, acting_user, pupil: Pupil, user_id: int, request=None) -> TAAssignment:
    """Assign a teaching assistant to work with a pupil (they then see the pupil's record)."""
    authorise(acting_user, "assign_ta", pupil, request=request)
    school = getattr(connection, "tenant", None)
    if (
        school is None
        or not SchoolMembership.objects.filter(
            school_id=school.pk, user_id=user_id, role=SchoolRole.TEACHING_ASSISTANT
        ).exists()
    ):
        raise ValidationError({"user_id": ["Choose a teaching assistant at this school."]})
    assignment, created = TAAssignment.objects.get_or_create(pupil=pupil, user_id=user_id)
    if created:
        record(
            user=acting_user,
            action=PupilAction.TA_ASSIGNED,
            pupil=pupil,
            summary="Assigned a teaching assistant",
            request=request,
            extra={"ta_user_id": user_id},
        )
    return assignment


@transaction.atomic
def ta_unassign(*, acting_user, pupil: Pupil, user_id: int, request=None) -> bool:
    authorise(acting_user, "assign_ta", pupil, request=request)
    deleted, _ = TAAssignment.objects.filter(pupil=pupil, user_id=user_id).delete()
    if deleted:
        record(
            user=acting_user,
            action=PupilAction.TA_UNASSIGNED,
            pupil=pupil,
            summary="Removed a teaching assistant",
            request=request,
            extra={"ta_user_id": user_id},
        )
    return bool(deleted)
