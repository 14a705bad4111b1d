"""The register's figures for the trust dashboard (apps.trust.rollups). Computed in the school's
own schema; only counts, percentages and days leave it."""

from __future__ import annotations

import statistics
from datetime import date

from django.db.models import Count
from django.utils import timezone

from apps.trust.rollups import (
    NATIONAL_EHC_PLAN_PERCENT,
    NATIONAL_SEN_SUPPORT_PERCENT,
    Figure,
    MetricSpec,
    register_metric_provider,
    term_of,
)

from .codes import NEED_TYPES, YEAR_GROUP_CHOICES, BroadArea, Provision, need_area
from .models import Concern, Pupil, SenHistory

ON_REGISTER = (Provision.SEN_SUPPORT, Provision.EHC_PLAN)
HISTORIC_ON_REGISTER = ("K", "E", "A", "P", "S")


def _on_roll(today: date):
    return Pupil.objects.on_roll(today).order_by()


def register_figures(school, today: date) -> list[Figure]:
    on_roll = _on_roll(today)
    figures: list[Figure] = []
    by_provision = dict(on_roll.values_list("sen_provision").annotate(n=Count("id")))
    roll = sum(by_provision.values())
    figures.append(Figure("pupils_on_roll", roll))
    for code in (Provision.SEN_SUPPORT, Provision.EHC_PLAN):
        figures.append(Figure("provision", by_provision.get(code, 0), category=code))
    if roll:
        figures.append(
            Figure(
                "provision_percent",
                100 * by_provision.get(Provision.SEN_SUPPORT, 0) / roll,
                category="K",
            )
        )
        figures.append(
            Figure(
                "provision_percent",
                100 * by_provision.get(Provision.EHC_PLAN, 0) / roll,
                category="E",
            )
        )

    register = on_roll.filter(sen_provision__in=ON_REGISTER)
    by_need = dict(register.values_list("primary_need").annotate(n=Count("id")))
    areas: dict[str, int] = {}
    for code, n in by_need.items():
        figures.append(Figure("primary_need", n, category=code or "none"))
        area = need_area(code) if code else None
        areas[area or "other"] = areas.get(area or "other", 0) + n
    for area, n in areas.items():
        figures.append(Figure("area_of_need", n, category=area))
    for year, n in register.values_list("year_group").annotate(n=Count("id")):
        figures.append(Figure("register_by_year", n, category=year))

    now = timezone.now()
    waits = [
        (now - raised).days
        for raised in Concern.objects.filter(status__in=Concern.OPEN_STATUSES).values_list(
            "raised_at", flat=True
        )
    ]
    figures.append(Figure("open_concerns", len(waits)))
    if waits:
        figures.append(Figure("concern_wait_days", statistics.median(waits), category="median"))
        figures.append(Figure("concern_wait_days", max(waits), category="longest"))

    _, _, term_start = term_of(today)
    changed = set(
        SenHistory.objects.filter(
            effective_date__gte=term_start, effective_date__lte=today
        ).values_list("pupil_id", flat=True)
    )
    before = {
        pid
        for pid, provision in SenHistory.objects.filter(
            effective_date__lt=term_start, pupil_id__in=changed
        )
        .order_by("pupil_id", "-effective_date", "-recorded_at", "-id")
        .distinct("pupil_id")
        .values_list("pupil_id", "provision")
        if provision in HISTORIC_ON_REGISTER
    }
    now_on = set(register.filter(pk__in=changed).values_list("pk", flat=True))
    figures.append(Figure("register_changes", len(now_on - before), category="added"))
    figures.append(Figure("register_changes", len((changed & before) - now_on), category="removed"))
    return figures


_NEEDS = tuple((n.code, n.label) for n in NEED_TYPES) + (("none", "Not recorded"),)
_AREAS = tuple((a.value, a.label) for a in BroadArea) + (("other", "Other, not in a broad area"),)
# Each broad area is the sum of its primary needs (published with them: apps/trust/suppression.py).
_AREA_PARTS = tuple(
    (
        area,
        "primary_need",
        tuple(
            code
            for code, _ in _NEEDS
            if ((need_area(code) if code != "none" else None) or "other") == area
        ),
    )
    for area, _ in _AREAS
)
# The SEN register's total per school, the same pupils counted by each of these metrics.
REGISTER_TOTAL = "register"

register_metric_provider(
    "register",
    register_figures,
    order=10,
    metrics=[
        MetricSpec(
            "pupils_on_roll",
            "Pupils on roll (recorded in SENCo Hub)",
            group="Register",
            chart="",
            per_roll=False,
            order=5,
        ),
        MetricSpec(
            "provision",
            "Pupils on the SEN register by provision",
            row_total=REGISTER_TOTAL,
            group="Register",
            chart="stacked",
            order=10,
            categories=(("K", "SEN support"), ("E", "EHC plan")),
        ),
        MetricSpec(
            "provision_percent",
            "Percentage of pupils on SEN support and with an EHC plan",
            kind="percent",
            group="Compliance",
            order=20,
            categories=(("K", "SEN support"), ("E", "EHC plan")),
            suppress_with=("provision", None),
            national={"K": NATIONAL_SEN_SUPPORT_PERCENT, "E": NATIONAL_EHC_PLAN_PERCENT},
        ),
        MetricSpec(
            "primary_need",
            "Pupils on the register by primary need",
            row_total=REGISTER_TOTAL,
            group="Need mix",
            chart="stacked",
            order=30,
            categories=_NEEDS,
        ),
        MetricSpec(
            "area_of_need",
            "Pupils on the register by broad area of need",
            row_total=REGISTER_TOTAL,
            parts=_AREA_PARTS,
            group="Need mix",
            chart="stacked",
            order=40,
            categories=_AREAS,
        ),
        MetricSpec(
            "register_by_year",
            "Pupils on the register by year group",
            row_total=REGISTER_TOTAL,
            group="Need mix",
            chart="stacked",
            order=50,
            categories=tuple(YEAR_GROUP_CHOICES),
        ),
        MetricSpec(
            "open_concerns",
            "Open concerns awaiting a decision",
            group="Compliance",
            chart="bar",
            order=60,
        ),
        MetricSpec(
            "concern_wait_days",
            "How long open concerns have waited",
            kind="days",
            group="Compliance",
            order=70,
            categories=(("median", "Median wait"), ("longest", "Longest wait")),
            suppress_with=("open_concerns", ""),
        ),
        MetricSpec(
            "register_changes",
            "Pupils added to and removed from the register this term",
            group="Register",
            order=80,
            categories=(("added", "Added"), ("removed", "Removed")),
        ),
    ],
)
