"""Reads of support plans and reviews.

For other packages (EHC plans' annual review report, transfers, the trust):
- ``current_plan_for_pupil(pupil_id)``: the pupil's current plan with its outcomes, or None;
- ``latest_reviews_for_pupil(pupil_id, limit=3)``: the pupil's most recent reviews, newest first,
  each with the plan it reviewed (and that plan's rated outcomes) and the version it produced;
- ``plan_versions(pupil_id)``: every version, oldest first.
Callers have already decided the person may see the pupil (see access.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from apps.school.rules import review_status

from .models import Outcome, Review, SupportPlan


def current_plan_for_pupil(pupil_id: int) -> SupportPlan | None:
    return (
        SupportPlan.objects.filter(pupil_id=pupil_id, status=SupportPlan.Status.CURRENT)
        .prefetch_related(
            Prefetch("outcomes", queryset=Outcome.objects.select_related("intervention"))
        )
        .first()
    )


def latest_reviews_for_pupil(pupil_id: int, limit: int = 3) -> list[Review]:
    return list(
        Review.objects.filter(pupil_id=pupil_id)
        .select_related("plan", "next_plan")
        .prefetch_related("plan__outcomes")
        .order_by("-held_on", "-id")[:limit]
    )


def plan_versions(pupil_id: int) -> list[SupportPlan]:
    return list(
        SupportPlan.objects.filter(pupil_id=pupil_id)
        .select_related("review")
        .prefetch_related(
            Prefetch("outcomes", queryset=Outcome.objects.select_related("intervention")),
            "provision__intervention",
        )
        .order_by("version")
    )


@dataclass(frozen=True)
class DueCounts:
    overdue: int
    due_soon: int  # within two weeks

    @property
    def total(self) -> int:
        return self.overdue + self.due_soon


def review_counts(today: date, plans: QuerySet[Any] | None = None) -> DueCounts:
    """How many current plans' reviews are overdue and due in the next two weeks (figures)."""
    qs = plans if plans is not None else SupportPlan.objects.all()
    soon = today + timedelta(weeks=2)
    row = qs.filter(status=SupportPlan.Status.CURRENT).aggregate(
        overdue=Count("id", filter=Q(review_due__lt=today)),
        due_soon=Count("id", filter=Q(review_due__gte=today, review_due__lte=soon)),
    )
    return DueCounts(overdue=row["overdue"], due_soon=row["due_soon"])


def reviews_due(today: date, plans: QuerySet[Any] | None = None) -> list[SupportPlan]:
    """Current plans due for review within two weeks or overdue, soonest first, with pupils."""
    qs = plans if plans is not None else SupportPlan.objects.all()
    rows = list(
        qs.filter(status=SupportPlan.Status.CURRENT, review_due__lte=today + timedelta(weeks=2))
        .select_related("pupil")
        .order_by("review_due", "pupil__last_name", "id")
    )
    for plan in rows:
        plan.due_status = review_status(plan.review_due, today)
    return rows


def plans_list(plans: QuerySet[Any], *, status: str | None = None) -> QuerySet[Any]:
    qs = plans.select_related("pupil").prefetch_related("outcomes")
    if status in SupportPlan.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("pupil__last_name", "pupil__first_name", "pupil_id", "-version")


def class_view(access: Any, user: Any) -> list[dict[str, Any]]:
    """For a teacher or TA: each pupil with SEN they teach or support, with strategies (from the
    pupil record and the current plan) and the current plan's outcomes."""
    from apps.pupils.access import visible_pupils
    from apps.pupils.models import Strategy

    pupils = list(
        visible_pupils(access, user)
        .on_roll()
        .on_register()
        .prefetch_related(
            Prefetch("strategies", queryset=Strategy.objects.filter(is_active=True)),
            Prefetch(
                "support_plans",
                queryset=SupportPlan.objects.filter(
                    status=SupportPlan.Status.CURRENT
                ).prefetch_related("outcomes"),
                to_attr="current_plans",
            ),
        )
        .order_by("year_group", "last_name", "first_name")
    )
    rows = []
    for p in pupils:
        current: list[SupportPlan] = getattr(p, "current_plans", [])  # the prefetch's to_attr
        rows.append(
            {
                "pupil": p,
                "strategies": list(p.strategies.all()),
                "plan": current[0] if current else None,
            }
        )
    return rows
