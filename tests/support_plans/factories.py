"""Making plans, interventions and groups for tests, through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from apps.provision import services as provision
from apps.provision.models import Intervention, InterventionGroup
from apps.support import services as support
from apps.support.models import SupportPlan

TODAY = dt.date.today()


def outcome(n: int = 1, **overrides: Any) -> dict[str, Any]:
    return {
        "description": f"Reads {n * 10} high-frequency words fluently",
        "measure": "Read aloud from the Year 2 word list, timed",
        "target_date": TODAY + dt.timedelta(days=60),
    } | overrides


def make_plan(pupil, *, outcomes: int = 2, **overrides: Any) -> SupportPlan:
    values: dict[str, Any] = dict(
        pupil_id=pupil.pk,
        outcomes=[outcome(n + 1) for n in range(outcomes)],
        strategies="Pre-teach key vocabulary. Visual timetable.",
        pupil_views="I like working with Mrs Shah.",
        parent_views="Reading at home is getting easier.",
        starts_on=TODAY - dt.timedelta(days=30),
    )
    values.update(overrides)
    return support.plan_create(acting_user=None, **values)


def make_intervention(**overrides: Any) -> Intervention:
    fields: dict[str, Any] = dict(
        name="Lexia Core5",
        area_of_need="cognition_learning",
        description="Adaptive reading programme",
        evidence_base="EEF-reviewed",
        group_size=4,
        sessions_per_week=3,
        session_minutes=20,
        staff_role="Teaching assistant",
        hourly_staff_cost=Decimal("15.00"),
        resource_cost=Decimal("30.00"),
        required_training="Lexia training",
    )
    fields.update(overrides)
    return provision.intervention_save(acting_user=None, fields=fields)


def make_group(intervention, *, staff, pupils=(), **overrides: Any) -> InterventionGroup:
    values: dict[str, Any] = dict(
        intervention_id=intervention.pk,
        name=f"{intervention.name} group",
        staff_user_ids=[u.pk for u in staff],
        starts_on=TODAY - dt.timedelta(days=60),
        measure="Reading age (months)",
        pupil_ids=[p.pk for p in pupils],
    )
    values.update(overrides)
    return provision.group_save(acting_user=None, **values)
