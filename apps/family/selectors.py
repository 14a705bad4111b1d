"""Reads of family records shared by pages, the API and the home panel."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet

from apps.core.access import Access
from apps.pupils.access import visible_pupils

from .models import AgreedAction
from .rules import MEETINGS_EXPECTED_A_YEAR, school_year_start


def pupils_met_too_rarely(access: Access | None, user: Any, today: dt.date) -> QuerySet[Any]:
    """Pupils on the register (on roll) whose parents were met fewer than three times this
    school year, fewest first, each with ``meetings_held``. One query."""
    start = school_year_start(today)
    held = Count(
        "family_meetings",
        filter=Q(
            family_meetings__status="held",
            family_meetings__held_on__gte=start,
            family_meetings__held_on__lte=today,
        ),
    )
    return (
        visible_pupils(access, user)
        .on_roll(today)
        .on_register()
        .annotate(meetings_held=held)
        .filter(meetings_held__lt=MEETINGS_EXPECTED_A_YEAR)
        .order_by("meetings_held", "last_name", "first_name", "id")
    )


def overdue_actions(access: Access | None, user: Any, today: dt.date) -> QuerySet[AgreedAction]:
    return (
        AgreedAction.objects.filter(
            done_on__isnull=True,
            due_on__lt=today,
            meeting__pupil__in=visible_pupils(access, user),
        )
        .select_related("meeting__pupil")
        .order_by("due_on", "id")
    )
