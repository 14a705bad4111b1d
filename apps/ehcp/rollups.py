"""Statutory compliance for the trust dashboard (apps.trust.rollups): per school, plans
maintained, annual reviews held on time in the last 12 months, requests open and overdue
deadlines. Computed in the school's own schema; only counts and percentages leave it, and the
console suppresses counts from 1 to 4 (and the percentage when its base is that small)."""

from __future__ import annotations

from datetime import date
from typing import Any

from apps.trust.rollups import Figure, MetricSpec, register_metric_provider

from . import rules, selectors
from .models import AnnualReview, AssessmentRequest, EhcPlan


def compliance_figures(school: Any, today: date) -> list[Figure]:
    plans = EhcPlan.objects.filter(status=EhcPlan.Status.ACTIVE).filter(
        selectors._on_roll("pupil__", today)
    )
    since = rules.add_months(today, -12)
    held = list(
        AnnualReview.objects.filter(meeting_held=True, meeting_on__gt=since, meeting_on__lte=today)
        .order_by()
        .values_list("meeting_on", "review_due_by")
    )
    on_time = sum(1 for meeting_on, due_by in held if meeting_on <= due_by)
    requests_open = sum(1 for r in AssessmentRequest.objects.all() if r.is_open)
    # The whole school's deadlines, as the system sees them (no user: the SENCo's view).
    deadlines = selectors.school_deadlines(_SchoolView(), None, today=today, school=school)
    overdue = [d for d in deadlines if d.status == rules.OVERDUE]
    figures = [
        Figure("ehc_plans", plans.count()),
        Figure("ehc_reviews_held", len(held)),
        Figure("ehc_requests_open", requests_open),
        Figure("ehc_overdue", len(overdue), category="all"),
        Figure("ehc_overdue", sum(1 for d in overdue if d.by_school), category="school"),
        Figure("ehc_overdue", sum(1 for d in overdue if not d.by_school), category="la"),
    ]
    if held:
        figures.append(Figure("ehc_reviews_on_time_percent", 100 * on_time / len(held)))
    return figures


class _SchoolView:
    """Access as the SENCo has it, for figures computed by the system."""

    school_role = "senco"
    trust_role = None
    via_trust = False


register_metric_provider(
    "ehcp",
    compliance_figures,
    order=30,
    metrics=[
        # Pupils with an EHC plan are the register's provision E: a reader takes the two for
        # equal, so they are suppressed as one (E hidden beside K would otherwise be read here).
        MetricSpec(
            "ehc_plans",
            "EHC plans maintained",
            group="Statutory compliance",
            order=200,
            parts=(("", "provision", ("E",)),),
        ),
        MetricSpec(
            "ehc_reviews_on_time_percent",
            "Annual reviews held on time (last 12 months)",
            kind="percent",
            group="Statutory compliance",
            order=210,
            suppress_with=("ehc_reviews_held", ""),
        ),
        MetricSpec(
            "ehc_reviews_held",
            "Annual reviews held (last 12 months)",
            group="Statutory compliance",
            chart="",
            order=215,
        ),
        MetricSpec(
            "ehc_requests_open",
            "EHC needs assessment requests open",
            group="Statutory compliance",
            order=220,
        ),
        MetricSpec(
            "ehc_overdue",
            "Statutory deadlines overdue",
            group="Statutory compliance",
            order=230,
            parts=(("all", "ehc_overdue", ("school", "la")),),
            categories=(
                ("all", "All"),
                ("school", "School's steps"),
                ("la", "Local authority's steps"),
            ),
        ),
    ],
)
