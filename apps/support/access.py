"""Who sees and does what with support plans, assessments, reviews and observations.

Same rules as the register (apps/pupils/access.py):
- SENCo: writes plans, records reviews and assessments; reads everything.
- Headteacher, trust SEND lead (as headteacher): read every plan; change nothing.
- Teacher / TA: read the plans of the pupils they teach / are assigned, add observations.
- Office and governors: figures only (how many plans, reviews due), never a pupil's plan.
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
    SEND_DETAIL_ROLES,
    TA,
    TEACHER,
    Rights,
    read,
    write,
)
from apps.pupils.access import visible_pupils

RIGHTS = Rights(
    "support plans",
    {
        "see_plans": read(SEND_DETAIL_ROLES),
        "see_review_figures": read(SENCO, HEAD, OFFICE, GOVERNOR),
        "see_class_view": read(SENCO, HEAD, TEACHER, TA),
        "write_plan": write(SENCO),
        "record_review": write(SENCO),
        "record_assessment": write(SENCO),
        "add_observation": write(SENCO, TEACHER, TA),
        # A plan as a PDF for the family: a document leaving the school, the school's own act.
        "download_plan": read(SENCO, HEAD, school_staff_only=True),
    },
)


def visible_plans(access: Any, user: Any) -> QuerySet[Any]:
    """Plans of the pupils this person may see, if their role reads plans at all."""
    from .models import SupportPlan

    if not RIGHTS.can(access, "see_plans"):
        return SupportPlan.objects.none()
    return SupportPlan.objects.filter(pupil__in=visible_pupils(access, user))


def visible_assessments(access: Any, user: Any) -> QuerySet[Any]:
    from .models import Assessment

    if not RIGHTS.can(access, "see_plans"):
        return Assessment.objects.none()
    return Assessment.objects.filter(pupil__in=visible_pupils(access, user))


def get_plan_for(access: Any, user: Any, plan_id: int) -> Any:
    """One plan this person may read, or 404 (the same for "missing" and "not yours")."""
    plan = visible_plans(access, user).select_related("pupil").filter(pk=plan_id).first()
    if plan is None:
        raise Http404("No such support plan.")
    return plan


def get_plan_for_write(access: Any, user: Any, plan_id: int) -> Any:
    RIGHTS.require(access, "write_plan")
    return get_plan_for(access, user, plan_id)


def get_pupil_for(access: Any, user: Any, pupil_id: int) -> Any:
    """A pupil whose support this person may read, or 404."""
    if not RIGHTS.can(access, "see_plans"):
        raise Http404("No such pupil.")
    pupil = visible_pupils(access, user).filter(pk=pupil_id).first()
    if pupil is None:
        raise Http404("No such pupil.")
    return pupil
