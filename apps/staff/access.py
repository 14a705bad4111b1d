"""Who sees and does what with staff records, training, exam access arrangements and
transitions, in one table.

- Staff records, deployment, training and the skills matrix (HR-like data): SENCo and
  headteacher (and the trust SEND lead) read; the SENCo writes.
- Access arrangements: SENCo, headteacher; office (the exams officer) sees every pupil's and
  prints the exams list; teachers and TAs see those of pupils they teach or support (they must
  know the normal way of working). The SENCo writes.
- Transitions: SENCo, headteacher; teachers and TAs for their pupils. The SENCo writes.
- Governors: none of it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from apps.core.access import HEAD, OFFICE, SENCO, TA, TEACHER, Access, Rights, read, write
from apps.core.field_rights import FieldRights
from apps.family.access import scope_by_pupil

from .models import AccessArrangement, StaffMember, Training, Transition

RIGHTS = Rights(
    "staff, exam arrangements and transitions",
    {
        "see_staff": read(SENCO, HEAD),
        "write_staff": write(SENCO),
        "see_arrangements": read(SENCO, HEAD, OFFICE, TEACHER, TA),
        "write_arrangements": write(SENCO),
        "export_exams_list": read(SENCO, HEAD, OFFICE, school_staff_only=True),
        "see_transitions": read(SENCO, HEAD, TEACHER, TA),
        "write_transitions": write(SENCO),
        # The evidence behind an arrangement (history of need, normal way of working): on the
        # SENCo's edit page only; the exams list shows the arrangement, assessor and dates.
        "see_arrangement_evidence": read(SENCO),
    },
)
ARRANGEMENT_FIELDS = FieldRights(
    RIGHTS,
    {
        "history_of_need": "see_arrangement_evidence",
        "normal_way_of_working": "see_arrangement_evidence",
    },
)


def arrangements_for(access: Access | None, user: Any) -> QuerySet[AccessArrangement]:
    if not RIGHTS.can(access, "see_arrangements"):
        return AccessArrangement.objects.none()
    return scope_by_pupil(AccessArrangement.objects.all(), access, user)


def transitions_for(access: Access | None, user: Any) -> QuerySet[Transition]:
    if not RIGHTS.can(access, "see_transitions"):
        return Transition.objects.none()
    return scope_by_pupil(Transition.objects.all(), access, user)


def get_staff_for(access: Access | None, staff_id: int) -> StaffMember:
    RIGHTS.require(access, "see_staff")
    member = StaffMember.objects.filter(pk=staff_id).first()
    if member is None:
        raise Http404("No member of staff with that id.")
    return member


def get_staff_for_write(access: Access | None, staff_id: int) -> StaffMember:
    RIGHTS.require(access, "write_staff")
    return get_staff_for(access, staff_id)


def get_training_for(access: Access | None, training_id: int) -> Training:
    RIGHTS.require(access, "see_staff")
    training = Training.objects.filter(pk=training_id).first()
    if training is None:
        raise Http404("No training with that id.")
    return training


def get_arrangement_for(access: Access | None, user: Any, arrangement_id: int) -> AccessArrangement:
    RIGHTS.require(access, "see_arrangements")
    row = arrangements_for(access, user).select_related("pupil").filter(pk=arrangement_id).first()
    if row is None:
        raise Http404("No access arrangement with that id that you can see.")
    return row


def get_arrangement_for_write(
    access: Access | None, user: Any, arrangement_id: int
) -> AccessArrangement:
    RIGHTS.require(access, "write_arrangements")
    return get_arrangement_for(access, user, arrangement_id)


def get_transition_for(access: Access | None, user: Any, transition_id: int) -> Transition:
    RIGHTS.require(access, "see_transitions")
    row = transitions_for(access, user).select_related("pupil").filter(pk=transition_id).first()
    if row is None:
        raise Http404("No transition with that id that you can see.")
    return row


def get_transition_for_write(access: Access | None, user: Any, transition_id: int) -> Transition:
    RIGHTS.require(access, "write_transitions")
    return get_transition_for(access, user, transition_id)
