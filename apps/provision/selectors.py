"""Reads of the provision map, each in a constant number of queries.

For other packages:
- ``provision_for_pupil(pupil_id)``: the pupil's current places (group, intervention, staff) with
  each place's annual cost (EHC plan section F links here);
- ``provision_map(pupils)``: per-pupil provision and annual cost, flagged over the threshold;
- ``impact()``: per intervention, finished pupils, average change, share of linked outcomes met,
  cost per pupil and per unit of progress.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from apps.pupils.codes import BroadArea

from . import rules
from .models import DEFAULT_THRESHOLD, GroupPlace, Intervention, ProvisionSettings


def provision_settings() -> ProvisionSettings:
    return ProvisionSettings.objects.order_by("id").first() or ProvisionSettings(
        threshold=DEFAULT_THRESHOLD
    )


def place_cost(intervention: Intervention) -> Decimal:
    return rules.annual_cost_per_pupil(
        sessions_per_week=intervention.sessions_per_week,
        session_minutes=intervention.session_minutes,
        hourly_staff_cost=intervention.hourly_staff_cost,
        group_size=intervention.group_size,
        resource_cost=intervention.resource_cost,
    )


def current_places(today: date | None = None) -> QuerySet[Any]:
    """Places in groups running on ``today`` that the pupil has not left."""
    today = today or timezone.localdate()
    return (
        GroupPlace.objects.filter(
            Q(left_on__isnull=True) | Q(left_on__gte=today),
            group__starts_on__lte=today,
        )
        .filter(Q(group__ends_on__isnull=True) | Q(group__ends_on__gte=today))
        .select_related("group__intervention")
    )


@dataclass
class PupilProvision:
    pupil: Any
    places: list[GroupPlace] = field(default_factory=list)
    annual_cost: Decimal = Decimal("0.00")
    over_threshold: bool = False


@dataclass
class ProvisionMap:
    rows: list[PupilProvision]
    threshold: Decimal
    notional_sen_budget: Decimal | None
    total_cost: Decimal
    by_year_group: dict[str, Decimal]
    by_area: dict[str, Decimal]

    @property
    def flagged(self) -> list[PupilProvision]:
        return [r for r in self.rows if r.over_threshold]

    @property
    def budget_left(self) -> Decimal | None:
        if self.notional_sen_budget is None:
            return None
        return self.notional_sen_budget - self.total_cost


def provision_for_pupil(pupil_id: int, today: date | None = None) -> list[GroupPlace]:
    places = list(current_places(today).filter(pupil_id=pupil_id))
    for place in places:
        place.annual_cost = place_cost(place.group.intervention)
    return places


def provision_map(
    pupils: QuerySet[Any], *, today: date | None = None, year_group: str = "", area: str = ""
) -> ProvisionMap:
    """Per-pupil provision for the pupils given (already scoped to what the person may see).
    Two queries whatever the size of the school, plus one for the settings."""
    settings_row = provision_settings()
    places = current_places(today).filter(pupil__in=pupils)
    if year_group:
        places = places.filter(pupil__year_group=year_group)
    if area:
        places = places.filter(group__intervention__area_of_need=area)
    by_pupil: dict[int, PupilProvision] = {}
    pupil_rows = pupils.filter(pk__in=places.values("pupil_id")).order_by(
        "year_group", "last_name", "first_name", "id"
    )
    for pupil in pupil_rows:
        by_pupil[pupil.pk] = PupilProvision(pupil=pupil)
    by_year: dict[str, Decimal] = defaultdict(Decimal)
    by_area: dict[str, Decimal] = defaultdict(Decimal)
    cost_cache: dict[int, Decimal] = {}
    for place in places.order_by("group__intervention__name", "id"):
        row = by_pupil.get(place.pupil_id)
        if row is None:
            continue
        intervention = place.group.intervention
        if intervention.pk not in cost_cache:
            cost_cache[intervention.pk] = place_cost(intervention)
        cost = cost_cache[intervention.pk]
        place.annual_cost = cost
        row.places.append(place)
        row.annual_cost += cost
        by_year[row.pupil.year_group] += cost
        by_area[BroadArea(intervention.area_of_need).label] += cost
    for row in by_pupil.values():
        row.over_threshold = row.annual_cost > settings_row.threshold
    rows = list(by_pupil.values())
    return ProvisionMap(
        rows=rows,
        threshold=settings_row.threshold,
        notional_sen_budget=settings_row.notional_sen_budget,
        total_cost=sum((r.annual_cost for r in rows), Decimal("0.00")),
        by_year_group=dict(sorted(by_year.items())),
        by_area=dict(sorted(by_area.items())),
    )


@dataclass
class InterventionImpact:
    intervention: Intervention
    impact: rules.Impact
    pupils_now: int


def impact(intervention_ids: list[int] | None = None) -> list[InterventionImpact]:
    """Impact of every intervention (or those given), in three queries."""
    from apps.support.models import Outcome

    interventions = Intervention.objects.all().order_by("name", "id")
    if intervention_ids is not None:
        interventions = interventions.filter(pk__in=intervention_ids)
    today = timezone.localdate()
    changes: dict[int, list[Decimal]] = defaultdict(list)
    now: dict[int, int] = defaultdict(int)
    for iid, completed, entry, exit_, left_on in GroupPlace.objects.filter(
        group__intervention__in=interventions
    ).values_list("group__intervention_id", "completed", "entry_value", "exit_value", "left_on"):
        if completed and entry is not None and exit_ is not None:
            changes[iid].append(exit_ - entry)
        elif left_on is None or left_on >= today:
            now[iid] += 1
    outcome_counts = {
        row["intervention_id"]: row
        for row in Outcome.objects.filter(intervention__in=interventions)
        .exclude(rating="")
        .values("intervention_id")
        .annotate(
            linked=Count("id"),
            met=Count("id", filter=Q(rating__in=("met", "exceeded"))),
        )
    }
    out = []
    for intervention in interventions:
        counts = outcome_counts.get(intervention.pk, {"linked": 0, "met": 0})
        out.append(
            InterventionImpact(
                intervention=intervention,
                impact=rules.impact(
                    changes=changes.get(intervention.pk, []),
                    outcomes_linked=counts["linked"],
                    outcomes_met=counts["met"],
                    cost_per_pupil=place_cost(intervention),
                ),
                pupils_now=now.get(intervention.pk, 0),
            )
        )
    return out
