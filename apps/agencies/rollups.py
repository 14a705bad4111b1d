"""Waiting times for outside agencies, for the trust dashboard (aggregates only)."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from datetime import date

from apps.trust.rollups import Figure, MetricSpec, register_metric_provider

from .models import AgencyKind
from .selectors import waiting_by_agency_kind


def referral_figures(school: object, today: date) -> Iterable[Figure]:
    figures = []
    for kind, entry in waiting_by_agency_kind(today).items():
        figures.append(Figure("referrals_sent_year", len(entry["waits"]), category=kind))
        figures.append(Figure("referrals_waiting", entry["waiting"], category=kind))
        if entry["waits"]:
            figures.append(
                Figure("referral_wait_days", statistics.median(entry["waits"]), category=kind)
            )
    return figures


register_metric_provider(
    "agencies",
    referral_figures,
    metrics=[
        MetricSpec(
            "referrals_sent_year",
            "Referrals sent in the last year",
            group="Outside agencies",
            categories=tuple(AgencyKind.choices),
            chart="",
            order=400,
        ),
        MetricSpec(
            "referrals_waiting",
            "Referrals waiting for an appointment",
            group="Outside agencies",
            categories=tuple(AgencyKind.choices),
            order=401,
        ),
        MetricSpec(
            "referral_wait_days",
            "Median wait from referral to appointment (days)",
            kind="days",
            group="Outside agencies",
            categories=tuple(AgencyKind.choices),
            suppress_with=("referrals_sent_year", None),
            order=402,
        ),
    ],
    order=400,
)
