"""Who sees and does what with EHC plans, assessment requests and annual reviews.

The register's rules (apps/pupils/access.py), applied to statutory records:
- SENCo: reads and writes everything.
- Headteacher, and the trust SEND lead admitted to the school (as a headteacher, read only,
  audited): read everything, including the statutory calendar.
- Teacher / teaching assistant: read the plans and reviews of pupils they teach / are assigned
  (what they need to deliver sections E and F); no calendar of the whole school.
- Office and governors: figures only (plans are SEND detail, not MIS data).
- Personal calendar feeds are for the school's own SENCos and headteachers: a feed is a standing
  copy of pupil initials in an outside calendar, so trust staff do not get one.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from apps.core.access import HEAD, SENCO, SEND_DETAIL_ROLES, Access, Rights, one_or_404, read, write
from apps.core.field_rights import FieldRights
from apps.pupils.access import visible_pupils

from .models import AnnualReview, AssessmentRequest, EhcPlan

RIGHTS = Rights(
    "EHC plans",
    {
        "see_plans": read(SEND_DETAIL_ROLES),
        "see_calendar": read(SENCO, HEAD),
        "have_calendar_feed": read(SENCO, HEAD, school_staff_only=True),
        "write_ehcp": write(SENCO),
        "set_sixth_form": write(SENCO, HEAD),
        # The LA's case officer and the SENCo's notes on a request: shown on the SENCo's pages only.
        "see_request_case_notes": read(SENCO),
    },
)
# Fields of a record only some of its readers see (pages and API alike; apps/core/field_rights).
ASSESSMENT_REQUEST_FIELDS = FieldRights(
    RIGHTS, {"case_officer": "see_request_case_notes", "notes": "see_request_case_notes"}
)


def can(access: Access | None, capability: str) -> bool:
    return RIGHTS.can(access, capability)


def scope_to_pupils(
    queryset: QuerySet[Any], access: Access | None, user: Any, path: str
) -> QuerySet[Any]:
    """Narrow any EHC queryset to rows about pupils this person may see (`path` leads from the
    row to its pupil id, e.g. "pupil_id" or "plan__pupil_id")."""
    if not can(access, "see_plans"):
        return queryset.none()
    if can(access, "see_calendar"):
        return queryset  # SENCo and headteacher: the whole school
    return queryset.filter(**{f"{path}__in": visible_pupils(access, user).values("pk")})


def requests_for(access: Access | None, user: Any) -> QuerySet[AssessmentRequest]:
    return scope_to_pupils(AssessmentRequest.objects.all(), access, user, "pupil_id")


def plans_for(access: Access | None, user: Any) -> QuerySet[EhcPlan]:
    return scope_to_pupils(EhcPlan.objects.all(), access, user, "pupil_id")


def reviews_for(access: Access | None, user: Any) -> QuerySet[AnnualReview]:
    return scope_to_pupils(AnnualReview.objects.all(), access, user, "plan__pupil_id")


def get_request_for(access: Access | None, user: Any, request_id: int) -> AssessmentRequest:
    RIGHTS.require(access, "see_plans")
    return one_or_404(
        requests_for(access, user).select_related("pupil"), request_id, "assessment request"
    )


def get_request_for_write(access: Access | None, user: Any, request_id: int) -> AssessmentRequest:
    RIGHTS.require(access, "write_ehcp")
    return get_request_for(access, user, request_id)


def get_plan_for(access: Access | None, user: Any, plan_id: int) -> EhcPlan:
    RIGHTS.require(access, "see_plans")
    return one_or_404(plans_for(access, user).select_related("pupil"), plan_id, "EHC plan")


def get_plan_for_write(access: Access | None, user: Any, plan_id: int) -> EhcPlan:
    RIGHTS.require(access, "write_ehcp")
    return get_plan_for(access, user, plan_id)


def get_review_for(access: Access | None, user: Any, review_id: int) -> AnnualReview:
    RIGHTS.require(access, "see_plans")
    return one_or_404(
        reviews_for(access, user).select_related("plan", "plan__pupil"), review_id, "annual review"
    )


def get_review_for_write(access: Access | None, user: Any, review_id: int) -> AnnualReview:
    RIGHTS.require(access, "write_ehcp")
    return get_review_for(access, user, review_id)
