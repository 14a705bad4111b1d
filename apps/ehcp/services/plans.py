"""EHC plans: the plan's sections, outcomes (E) and provision (F); the "pupil at E" rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.audit.services import record
from apps.provision.models import Intervention
from apps.pupils.codes import Provision
from apps.pupils.models import Pupil

from .. import rules
from ..actions import EhcpAction
from ..models import AssessmentRequest, EhcPlan, PlanOutcome, PlanProvision
from .common import (
    Errors,
    add,
    authorise,
    check_not_before_birth,
    clean_text,
    merge,
    raise_if,
    today,
    uid,
)

SECTION_FIELDS = (
    "section_a",
    "section_b",
    "section_c",
    "section_d",
    "section_g",
    "section_h1",
    "section_h2",
    "section_k",
    "placement",
    "personal_budget_details",
)
PLAN_FIELDS = (
    *SECTION_FIELDS,
    "issued_on",
    "local_authority",
    "case_officer",
    "personal_budget_amount",
    "phase_transfer_amended_on",
    "status",
    "ceased_on",
)
NOT_AT_E = "not_at_e"


def not_at_e_message(pupil: Pupil) -> str:
    return (
        f"This pupil's register entry is {pupil.sen_provision} "
        f"({pupil.get_sen_provision_display()}), not E (EHC plan). Choose to update the register "
        "to E in the same step (update_register), or change the register entry first."
    )


def _outcome_rows(items: list[Any] | None, errors: Errors) -> list[PlanOutcome]:
    rows = []
    for i, item in enumerate(items or []):
        text = clean_text(item.get("text") if isinstance(item, dict) else item)
        by_when = clean_text(item.get("by_when", "")) if isinstance(item, dict) else ""
        if not text:
            add(errors, "outcomes", f"Outcome {i + 1} is empty: write the outcome or remove it.")
        if len(by_when) > 100:
            add(errors, "outcomes", f"Outcome {i + 1}: 'by when' uses at most 100 characters.")
        rows.append(PlanOutcome(position=i, text=text, by_when=by_when))
    return rows


def _provision_rows(
    items: list[Any] | None, errors: Errors, keep: dict[str, int | None] | None = None
) -> list[PlanProvision]:
    """Section F rows. An item without an `intervention` keeps the provision map link of an
    existing row with the same wording (the HTML form edits wording only)."""
    rows = []
    for i, item in enumerate(items or []):
        text = clean_text(item.get("description") if isinstance(item, dict) else item)
        has_link = isinstance(item, dict) and "intervention" in item
        link = item.get("intervention") if has_link else (keep or {}).get(text)
        link = getattr(link, "pk", link)
        if not text:
            add(errors, "provision", f"Provision {i + 1} is empty: describe it or remove it.")
        if link is not None and not Intervention.objects.filter(pk=link).exists():
            add(
                errors,
                "provision",
                f"Provision {i + 1}: no intervention {link} in the provision map.",
            )
            link = None
        rows.append(PlanProvision(position=i, description=text, intervention_id=link))
    return rows


def _coerce(values: dict[str, Any], errors: Errors) -> dict[str, Any]:
    out = dict(values)
    for field in (*SECTION_FIELDS, "local_authority", "case_officer", "status"):
        if field in out:
            out[field] = clean_text(out[field])
    if out.get("personal_budget_amount") in ("", None):
        if "personal_budget_amount" in out:
            out["personal_budget_amount"] = None
    elif "personal_budget_amount" in out:
        try:
            amount = Decimal(str(out["personal_budget_amount"]))
        except InvalidOperation:
            add(errors, "personal_budget_amount", "Enter an amount in pounds, e.g. 1200.00.")
            out.pop("personal_budget_amount")
        else:
            if amount < 0 or amount >= Decimal("10000000"):
                add(errors, "personal_budget_amount", "Enter an amount from 0 to 9,999,999.99.")
            out["personal_budget_amount"] = amount
    return out


def plan_errors(plan: EhcPlan, pupil: Pupil, *, first_meeting: dt.date | None = None) -> Errors:
    errors: Errors = {}
    if plan.issued_on is None:
        add(errors, "issued_on", "Enter the date the final plan was issued.")
    else:
        check_not_before_birth(errors, "issued_on", plan.issued_on, pupil)
        if plan.issued_on > today():
            add(errors, "issued_on", "The issue date cannot be in the future.")
        if first_meeting and first_meeting < plan.issued_on:
            add(
                errors,
                "issued_on",
                f"A review meeting was held on {first_meeting:%-d %B %Y}, before this date.",
            )
    if not plan.local_authority:
        add(errors, "local_authority", "Enter the local authority that maintains the plan.")
    for field in ("local_authority", "case_officer", "placement"):
        limit = EhcPlan._meta.get_field(field).max_length  # type: ignore[union-attr]
        if limit is not None and len(getattr(plan, field)) > limit:
            add(errors, field, f"Use at most {limit} characters.")
    if plan.status not in EhcPlan.Status.values:
        add(errors, "status", "Use active or ceased.")
    if plan.status == EhcPlan.Status.CEASED and plan.ceased_on is None:
        add(errors, "ceased_on", "Enter the date the plan ceased.")
    merge(
        errors,
        rules.step_date_errors(
            [
                (
                    "ceased_on",
                    plan.ceased_on,
                    "The date the plan ceased",
                    plan.issued_on,
                    "the issue date",
                ),
                (
                    "phase_transfer_amended_on",
                    plan.phase_transfer_amended_on,
                    "The phase transfer amendment",
                    plan.issued_on,
                    "the issue date",
                ),
            ],
            today=today(),
        ),
    )
    return errors


@transaction.atomic
def plan_create(
    *,
    acting_user: Any,
    pupil: Pupil,
    issued_on: dt.date,
    local_authority: str,
    outcomes: list[Any] | None = None,
    provision: list[Any] | None = None,
    assessment_request: AssessmentRequest | None = None,
    update_register: bool = False,
    request: Any = None,
    **fields: Any,
) -> EhcPlan:
    """Record an EHC plan. The pupil must be on the register at E; with update_register=True
    the register entry is changed to E in the same transaction (through the register's own
    service, so the history says who and why)."""
    authorise(acting_user, "write_ehcp", pupil)
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ValidationError({f: ["This field is not part of a plan."] for f in sorted(unknown)})
    errors: Errors = {}
    values = _coerce({"issued_on": issued_on, "local_authority": local_authority, **fields}, errors)
    plan = EhcPlan(
        pupil=pupil,
        assessment_request=assessment_request,
        created_by_user_id=uid(acting_user),
        **values,
    )
    merge(errors, plan_errors(plan, pupil))
    outcome_rows = _outcome_rows(outcomes, errors)
    provision_rows = _provision_rows(provision, errors)
    if assessment_request is not None and assessment_request.pupil_id != pupil.pk:
        add(errors, "assessment_request", "That request is about another pupil.")
    if EhcPlan.objects.filter(pupil=pupil, status=EhcPlan.Status.ACTIVE).exists():
        add(errors, "pupil", "This pupil already has a maintained EHC plan: update that one.")
    pupil = Pupil.objects.select_for_update().get(pk=pupil.pk)
    if pupil.sen_provision != Provision.EHC_PLAN and not update_register:
        errors.setdefault("pupil", []).append(not_at_e_message(pupil))
        raise ValidationError(
            {
                field: [
                    ValidationError(m, code=NOT_AT_E if field == "pupil" else None) for m in msgs
                ]
                for field, msgs in errors.items()
            }
        )
    raise_if(errors)
    if pupil.sen_provision != Provision.EHC_PLAN:
        from apps.pupils.services import register_set_status

        # From the issue date, unless the register changed since (then from today): the
        # register's history cannot be rewritten backwards.
        last_change = (
            pupil.sen_history.order_by("-effective_date")
            .values_list("effective_date", flat=True)
            .first()
        )
        effective = min(plan.issued_on, today())
        if last_change is not None and effective < last_change:
            effective = today()
        try:
            register_set_status(
                acting_user=acting_user,
                pupil=pupil,
                provision=Provision.EHC_PLAN,
                primary_need=pupil.primary_need,
                secondary_need=pupil.secondary_need,
                reason="EHC plan issued",
                effective_date=effective,
                request=request,
            )
        except ValidationError as exc:
            # The register's own rules (a primary need, a date after its last change) speak for
            # themselves, under "update_register" so the form shows them beside the choice.
            raise ValidationError(
                {
                    "update_register": [
                        f"The register could not be updated: {m}" for m in exc.messages
                    ]
                }
            ) from exc
        pupil.refresh_from_db()
    plan.pupil = pupil
    plan.save()
    for row in outcome_rows:
        row.plan = plan
    for prow in provision_rows:
        prow.plan = plan
    PlanOutcome.objects.bulk_create(outcome_rows)
    PlanProvision.objects.bulk_create(provision_rows)
    record(
        user=acting_user,
        action=EhcpAction.PLAN_RECORDED,
        pupil=pupil,
        summary=f"Recorded an EHC plan issued on {plan.issued_on:%-d %B %Y}",
        request=request,
        extra={"plan_id": plan.pk, "register_updated": bool(update_register)},
    )
    return plan


@transaction.atomic
def plan_update(
    *,
    acting_user: Any,
    plan: EhcPlan,
    outcomes: list[Any] | None = None,
    provision: list[Any] | None = None,
    request: Any = None,
    **changes: Any,
) -> EhcPlan:
    """Change a plan's sections or dates; `outcomes` / `provision`, when given, replace the
    lists of section E / F."""
    plan = EhcPlan.objects.select_for_update().select_related("pupil").get(pk=plan.pk)
    authorise(acting_user, "write_ehcp", plan.pupil)
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise ValidationError({f: ["This field cannot be changed."] for f in sorted(unknown)})
    errors: Errors = {}
    changes = _coerce(changes, errors)
    changed = [f for f, v in changes.items() if getattr(plan, f) != v]
    for field in changed:
        setattr(plan, field, changes[field])
    first_meeting = (
        plan.reviews.filter(meeting_held=True)
        .order_by("meeting_on")
        .values_list("meeting_on", flat=True)
        .first()
    )
    merge(errors, plan_errors(plan, plan.pupil, first_meeting=first_meeting))
    outcome_rows = _outcome_rows(outcomes, errors) if outcomes is not None else None
    previous = {p.description: p.intervention_id for p in plan.provision.all()}
    provision_rows = _provision_rows(provision, errors, previous) if provision is not None else None
    raise_if(errors)
    if not changed and outcome_rows is None and provision_rows is None:
        return plan
    plan.updated_at = timezone.now()
    plan.save(update_fields=[*changed, "updated_at"])
    if outcome_rows is not None:
        plan.outcomes.all().delete()
        for row in outcome_rows:
            row.plan = plan
        PlanOutcome.objects.bulk_create(outcome_rows)
        changed.append("outcomes")
    if provision_rows is not None:
        plan.provision.all().delete()
        for prow in provision_rows:
            prow.plan = plan
        PlanProvision.objects.bulk_create(provision_rows)
        changed.append("provision")
    record(
        user=acting_user,
        action=EhcpAction.PLAN_UPDATED,
        pupil=plan.pupil,
        summary="Updated an EHC plan",
        request=request,
        extra={"plan_id": plan.pk, "fields": changed},
    )
    return plan
