"""EHC records travel on an in-trust transfer (apps.trust.transfers): assessment requests,
plans with sections E and F, and annual reviews with their invitations and advice. Exported from
the sender's schema, imported into the receiver's under the pupil the register part created,
inside the console's one transaction. Plan documents stay with the documents part (links to
them are not copied: the receiving school's documents have new ids)."""

from __future__ import annotations

from typing import Any

from django.forms.models import model_to_dict

from apps.trust.transfers import TransferContext, register_transfer_part

from .models import (
    AnnualReview,
    AssessmentRequest,
    EhcPlan,
    PlanOutcome,
    PlanProvision,
    ReviewAdvice,
    ReviewInvitation,
)


def _row(obj: Any, *exclude: str) -> dict[str, Any]:
    data = model_to_dict(obj, exclude=["id", *exclude])
    for f in obj._meta.concrete_fields:
        if not f.editable and f.name != "id":
            data[f.name] = getattr(obj, f.name)
    return data


def export_ehcp(ctx: TransferContext) -> dict[str, Any]:
    pupil_id = ctx.source_pupil_id
    requests = [
        {"id": r.pk, **_row(r, "pupil")}
        for r in AssessmentRequest.objects.filter(pupil_id=pupil_id).order_by("id")
    ]
    plans = []
    for plan in (
        EhcPlan.objects.filter(pupil_id=pupil_id)
        .prefetch_related("outcomes", "provision", "reviews__invitations", "reviews__advice")
        .order_by("id")
    ):
        plans.append(
            {
                "plan": _row(plan, "pupil", "documents", "assessment_request"),
                "assessment_request_id": plan.assessment_request_id,
                "outcomes": [_row(o, "plan") for o in plan.outcomes.all()],
                "provision": [_row(p, "plan", "intervention") for p in plan.provision.all()],
                "reviews": [
                    {
                        "review": _row(r, "plan"),
                        "invitations": [_row(i, "review") for i in r.invitations.all()],
                        "advice": [_row(a, "review") for a in r.advice.all()],
                    }
                    for r in plan.reviews.all()
                ],
            }
        )
    return {"requests": requests, "plans": plans}


def import_ehcp(payload: dict[str, Any], ctx: TransferContext) -> int:
    pupil_id = ctx.new_pupil_id
    copied = 0
    request_ids: dict[int, int] = {}
    for data in payload["requests"]:
        data = dict(data)
        old_id = data.pop("id")
        request_ids[old_id] = AssessmentRequest.objects.create(pupil_id=pupil_id, **data).pk
        copied += 1
    for item in payload["plans"]:
        plan = EhcPlan.objects.create(
            pupil_id=pupil_id,
            assessment_request_id=request_ids.get(item["assessment_request_id"]),
            **item["plan"],
        )
        PlanOutcome.objects.bulk_create(PlanOutcome(plan=plan, **o) for o in item["outcomes"])
        PlanProvision.objects.bulk_create(PlanProvision(plan=plan, **p) for p in item["provision"])
        copied += 1 + len(item["outcomes"]) + len(item["provision"])
        for r in item["reviews"]:
            review = AnnualReview.objects.create(plan=plan, **r["review"])
            ReviewInvitation.objects.bulk_create(
                ReviewInvitation(review=review, **i) for i in r["invitations"]
            )
            ReviewAdvice.objects.bulk_create(ReviewAdvice(review=review, **a) for a in r["advice"])
            copied += 1 + len(r["invitations"]) + len(r["advice"])
    ctx.id_maps["ehcp_requests"] = request_ids
    return copied


register_transfer_part(
    "ehcp",
    label="EHC plans, annual reviews and assessment requests",
    export=export_ehcp,
    import_=import_ehcp,
    order=40,
)
