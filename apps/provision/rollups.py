"""The provision map's figures for the trust dashboard (apps.trust.rollups): the "Cost" and
"Impact" groups. Computed in the school's own schema; only aggregates leave it, and the console
suppresses any figure resting on fewer than five pupils.

Interventions are compared across schools by name (catalogue content, never pupil data)."""

from __future__ import annotations

from datetime import date
from typing import Any

from apps.pupils.models import Pupil
from apps.trust.rollups import Figure, MetricSpec, register_metric_provider

from . import selectors


def _category(name: str) -> str:
    return " ".join(name.split())[:64]


def provision_figures(school: Any, today: date) -> list[Figure]:
    result = selectors.provision_map(Pupil.objects.on_roll(today), today=today)
    figures = [
        Figure("provision_pupils", len(result.rows)),
        Figure("provision_cost_total", float(result.total_cost)),
        Figure("provision_over_threshold", len(result.flagged)),
    ]
    if result.rows:
        figures.append(
            Figure("provision_cost_per_pupil", float(result.total_cost) / len(result.rows))
        )
    if result.notional_sen_budget:
        figures.append(
            Figure(
                "provision_budget_allocated",
                100 * float(result.total_cost) / float(result.notional_sen_budget),
            )
        )
    seen: set[str] = set()
    for row in selectors.impact():
        category = _category(row.intervention.name)
        if category in seen:  # two catalogue entries with one name: the first counts
            continue
        seen.add(category)
        i = row.impact
        figures.append(Figure("intervention_finished", i.finished, category=category))
        figures.append(
            Figure("intervention_cost_per_pupil", float(i.cost_per_pupil), category=category)
        )
        if i.average_change is not None:
            figures.append(
                Figure("intervention_average_change", float(i.average_change), category=category)
            )
        if i.outcomes_linked:
            figures.append(
                Figure("intervention_outcomes_linked", i.outcomes_linked, category=category)
            )
            figures.append(
                Figure("intervention_outcomes_met", float(i.share_met or 0), category=category)
            )
        if i.cost_per_unit_progress is not None:
            figures.append(
                Figure(
                    "intervention_cost_per_progress",
                    float(i.cost_per_unit_progress),
                    category=category,
                )
            )
    return figures


register_metric_provider(
    "provision",
    provision_figures,
    metrics=[
        MetricSpec(
            "provision_pupils", "Pupils with costed provision", group="Cost", chart="", order=10
        ),
        MetricSpec(
            "provision_cost_total",
            "Allocated provision cost a year",
            kind="money",
            group="Cost",
            suppress_with=("provision_pupils", ""),
            order=20,
        ),
        MetricSpec(
            "provision_cost_per_pupil",
            "Average provision cost per pupil a year",
            kind="money",
            group="Cost",
            suppress_with=("provision_pupils", ""),
            order=30,
        ),
        MetricSpec(
            "provision_over_threshold",
            "Pupils whose support costs more than the threshold (£6,000 by default)",
            group="Cost",
            chart="",
            order=40,
        ),
        MetricSpec(
            "provision_budget_allocated",
            "Notional SEN budget allocated",
            kind="percent",
            group="Cost",
            chart="",
            suppress_with=("provision_pupils", ""),
            order=50,
        ),
        MetricSpec(
            "intervention_finished",
            "Pupils who finished each intervention",
            group="Impact",
            order=10,
        ),
        MetricSpec(
            "intervention_average_change",
            "Average change from entry to exit measure",
            kind="number",
            group="Impact",
            suppress_with=("intervention_finished", None),
            order=20,
        ),
        MetricSpec(
            "intervention_outcomes_linked",
            "Plan outcomes linked to each intervention, reviewed",
            group="Impact",
            on_dashboard=False,
            order=25,
        ),
        MetricSpec(
            "intervention_outcomes_met",
            "Linked plan outcomes met at review",
            kind="percent",
            group="Impact",
            suppress_with=("intervention_outcomes_linked", None),
            order=30,
        ),
        MetricSpec(
            "intervention_cost_per_pupil",
            "Cost per pupil a year",
            kind="money",
            group="Impact",
            chart="",
            order=40,
        ),
        MetricSpec(
            "intervention_cost_per_progress",
            "Cost per unit of progress",
            kind="money",
            group="Impact",
            chart="",
            suppress_with=("intervention_finished", None),
            order=50,
        ),
    ],
    order=60,
)
