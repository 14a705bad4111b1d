"""Reads of referrals and bought time used by pages, the API and the rollup."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django.db.models import Count, Q, QuerySet, Sum

from apps.core.access import Access

from .access import referrals_for
from .models import BoughtTime, Referral


def referral_list(access: Access | None, user: Any) -> QuerySet[Referral]:
    """Referrals the person may see with pupil and agency joined (no query per row)."""
    return (
        referrals_for(access, user)
        .select_related("pupil", "agency")
        .prefetch_related("evidence")
        .order_by("-drafted_on", "-id")
    )


def bought_time_summary() -> list[dict[str, Any]]:
    """Each block of bought time with hours used and remaining (one query)."""
    rows = (
        BoughtTime.objects.select_related("agency")
        .annotate(used=Sum("uses__hours"))
        .order_by("-starts_on", "-id")
    )
    out = []
    for b in rows:
        used = b.used or Decimal("0")
        out.append({"bought": b, "used": used, "remaining": b.hours_bought - used})
    return out


def waiting_by_agency_kind(today: dt.date) -> dict[str, dict[str, Any]]:
    """For the trust rollup: per agency kind, referrals still waiting and the waits (days) of
    referrals sent in the last year (to appointment/report, or to today while waiting)."""
    since = today - dt.timedelta(days=365)
    out: dict[str, dict[str, Any]] = {}
    rows = Referral.objects.filter(sent_on__isnull=False, sent_on__gte=since).values_list(
        "agency__kind", "sent_on", "appointment_on", "report_received_on", "status"
    )
    for kind, sent_on, appointment_on, report_on, status in rows:
        entry = out.setdefault(kind, {"waits": [], "waiting": 0})
        seen = appointment_on or report_on
        if status == Referral.Status.STOPPED and seen is None:
            continue
        entry["waits"].append(((seen or today) - cast(dt.date, sent_on)).days)  # filtered: sent
        if seen is None and status in Referral.WAITING_STATUSES:
            entry["waiting"] += 1
    return out


def open_referral_counts(access: Access | None, user: Any) -> dict[str, int]:
    return referrals_for(access, user).aggregate(
        drafts=Count("id", filter=Q(status=Referral.Status.DRAFT)),
        waiting=Count("id", filter=Q(status__in=Referral.WAITING_STATUSES)),
        reports=Count(
            "id",
            filter=Q(status=Referral.Status.REPORT_RECEIVED, recommendations__outcome="pending"),
            distinct=True,
        ),
    )
