"""Support plans, reviews, assessments, observations and intervention places travel with the
pupil on a transfer between trust schools (apps.trust.transfers), inside the console's single
transaction.

Plans keep their versions (and which earlier version each followed), outcomes and ratings;
reviews are re-linked to the copied plans. Intervention *places* cannot move (the group is the
sending school's), so the provision the pupil had is carried as a plain-text summary on the
current plan, with each intervention's name and its annual cost: the receiving SENCo sees what
the pupil received without the sending school's catalogue moving with it."""

from __future__ import annotations

from typing import Any

from django.forms.models import model_to_dict

from apps.trust.transfers import TransferContext, register_transfer_part

from .models import Assessment, Observation, Outcome, Review, SupportPlan

PLAN_FIELDS = (
    "version",
    "status",
    "strategies",
    "pupil_views",
    "parent_views",
    "lead_name",
    "starts_on",
    "review_due",
    "written_by_name",
    "created_at",
    "updated_at",
)
OUTCOME_FIELDS = ("position", "description", "measure", "target_date", "rating")
REVIEW_FIELDS = (
    "held_on",
    "attendees",
    "pupil_contribution",
    "parent_contribution",
    "next_steps",
    "recorded_by_name",
    "created_at",
)


def export_plans(ctx: TransferContext) -> dict[str, Any]:
    from apps.provision.selectors import place_cost

    plans = []
    for plan in (
        SupportPlan.objects.filter(pupil_id=ctx.source_pupil_id)
        .prefetch_related("outcomes", "provision__intervention")
        .order_by("version")
    ):
        provision = [
            f"{g.intervention.name} ({g.intervention.sessions_per_week} x "
            f"{g.intervention.session_minutes} min a week, £{place_cost(g.intervention)} a year)"
            for g in plan.provision.all()
        ]
        plans.append(
            {
                "id": plan.pk,
                "previous_id": plan.previous_id,
                **{f: getattr(plan, f) for f in PLAN_FIELDS},
                "provision_summary": provision,
                "outcomes": [
                    {"id": o.pk, "carried_from_id": o.carried_from_id}
                    | {f: getattr(o, f) for f in OUTCOME_FIELDS}
                    for o in plan.outcomes.all()
                ],
            }
        )
    reviews = [
        {"plan_id": r.plan_id, "next_plan_id": r.next_plan_id}
        | {f: getattr(r, f) for f in REVIEW_FIELDS}
        for r in Review.objects.filter(pupil_id=ctx.source_pupil_id)
    ]
    return {"plans": plans, "reviews": reviews}


def import_plans(payload: Any, ctx: TransferContext) -> int:
    pupil_id = ctx.received_pupil_id
    assert pupil_id is not None, "the pupil part runs first"
    plan_ids: dict[int, int] = {}
    outcome_ids: dict[int, int] = {}
    copied = 0
    for row in payload["plans"]:
        strategies = row["strategies"]
        if row["provision_summary"] and row["status"] == SupportPlan.Status.CURRENT:
            strategies = (
                strategies
                + "\n\nProvision at the previous school: "
                + "; ".join(row["provision_summary"])
            ).strip()
        plan = SupportPlan.objects.create(
            pupil_id=pupil_id,
            previous_id=plan_ids.get(row["previous_id"]) if row["previous_id"] else None,
            **{f: row[f] for f in PLAN_FIELDS if f != "strategies"},
            strategies=strategies,
        )
        plan_ids[row["id"]] = plan.pk
        for o in row["outcomes"]:
            outcome = Outcome.objects.create(
                plan=plan,
                carried_from_id=outcome_ids.get(o["carried_from_id"])
                if o["carried_from_id"]
                else None,
                **{f: o[f] for f in OUTCOME_FIELDS},
            )
            outcome_ids[o["id"]] = outcome.pk
        copied += 1 + len(row["outcomes"])
    for r in payload["reviews"]:
        Review.objects.create(
            pupil_id=pupil_id,
            plan_id=plan_ids[r["plan_id"]],
            next_plan_id=plan_ids[r["next_plan_id"]],
            **{f: r[f] for f in REVIEW_FIELDS},
        )
        copied += 1
    ctx.id_maps["support_plans"] = plan_ids
    return copied


def _rows(queryset: Any, exclude: tuple[str, ...]) -> list[dict[str, Any]]:
    return [
        {k: v for k, v in model_to_dict(row).items() if k not in exclude}
        | {"created_at": row.created_at}
        for row in queryset
    ]


def export_assessments(ctx: TransferContext) -> dict[str, list[dict[str, Any]]]:
    observations = Observation.objects.filter(pupil_id=ctx.source_pupil_id).order_by("id")
    return {
        "assessments": _rows(
            Assessment.objects.filter(pupil_id=ctx.source_pupil_id).order_by("id"),
            ("id", "pupil", "assessed_by_user_id"),
        ),
        "observations": [
            row | {"plan_id": obs.plan_id}
            for row, obs in zip(
                _rows(observations, ("id", "pupil", "plan", "observed_by_user_id")),
                observations,
                strict=True,
            )
        ],
    }


def import_assessments(payload: Any, ctx: TransferContext) -> int:
    pupil_id = ctx.received_pupil_id
    assert pupil_id is not None, "the pupil part runs first"
    plans = ctx.id_maps.get("support_plans", {})
    Assessment.objects.bulk_create(
        Assessment(pupil_id=pupil_id, **row) for row in payload["assessments"]
    )
    observations = []
    for row in payload["observations"]:
        fields = dict(row)
        plan_id = fields.pop("plan_id")
        observations.append(
            Observation(
                pupil_id=pupil_id,
                plan_id=plans.get(plan_id) if plan_id else None,
                **fields,
            )
        )
    Observation.objects.bulk_create(observations)
    return len(payload["assessments"]) + len(payload["observations"])


register_transfer_part(
    "support_plans",
    label="Support plans (every version), reviews and provision received",
    export=export_plans,
    import_=import_plans,
    order=50,
)
register_transfer_part(
    "support_assessments",
    label="Assessments and staff observations",
    export=export_assessments,
    import_=import_assessments,
    order=55,
)
