"""Transition plans with a checklist; the hand-over (in-trust transfer or leaver CTF)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction

from apps.audit.services import record
from apps.core.acting import authorise
from apps.pupils.models import Pupil
from tenants.typing import tenant_db

from ..access import RIGHTS
from ..actions import StaffAction
from ..models import Transition, TransitionStep
from ..rules import TRANSITION_CHECKLIST
from ._common import raise_errors, text, today

TRANSITION_FIELDS = (
    "kind",
    "destination",
    "destination_urn",
    "destination_school_id",
    "moves_on",
    "responsible_name",
    "responsible_user_id",
    "key_information",
)


def trust_school(school_id: int | None) -> Any:
    """The destination, if it is another active school of this school's trust."""
    from tenants.models import School

    here = getattr(connection, "tenant", None)
    if not school_id or here is None:
        return None
    return (
        School.objects.filter(pk=school_id, trust_id=here.trust_id, status=School.Status.ACTIVE)
        .exclude(pk=here.pk)
        .first()
    )


def _errors(row: Transition) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if row.kind not in Transition.Kind.values:
        errors["kind"] = ["Choose the kind of transition."]
    if not row.destination and not row.destination_school_id:
        errors["destination"] = ["Name the next setting."]
    if row.destination_urn and not (
        row.destination_urn.isdigit() and len(row.destination_urn) == 6
    ):
        errors["destination_urn"] = ["A URN has 6 digits."]
    if row.destination_school_id and trust_school(row.destination_school_id) is None:
        errors["destination_school_id"] = ["Choose another active school of your trust."]
    if row.moves_on is None:
        errors["moves_on"] = ["Enter the date the pupil moves on."]
    if not row.responsible_name:
        errors["responsible_name"] = ["Say who is responsible for the transition."]
    return errors


@transaction.atomic
def transition_plan(
    *,
    acting_user: Any,
    pupil: Pupil,
    request: Any = None,
    checklist: list[str] | None = None,
    **fields: Any,
) -> Transition:
    """A transition plan, starting from the standard checklist (or the one given)."""
    authorise(RIGHTS, acting_user, "write_transitions", pupil_id=pupil.pk)
    values = {k: v for k, v in fields.items() if k in TRANSITION_FIELDS}
    for key in ("destination", "destination_urn", "responsible_name", "key_information"):
        values[key] = text(values.get(key))
    values["destination_school_id"] = values.get("destination_school_id") or None
    row = Transition(pupil=pupil, **values)
    if row.destination_school_id and not row.destination:
        school = trust_school(row.destination_school_id)
        row.destination = school.name if school else ""
        row.destination_urn = row.destination_urn or (school.urn if school else "")
    raise_errors(_errors(row))
    row.save()
    for position, what in enumerate(checklist if checklist is not None else TRANSITION_CHECKLIST):
        TransitionStep.objects.create(transition=row, what=what, position=position)
    record(
        user=acting_user,
        action=StaffAction.TRANSITION_PLANNED,
        pupil=pupil,
        request=request,
        summary="Planned a transition",
        extra={"transition_id": row.pk},
    )
    return row


@transaction.atomic
def transition_update(
    *, acting_user: Any, transition: Transition, request: Any = None, **changes: Any
) -> Transition:
    authorise(RIGHTS, acting_user, "write_transitions", pupil_id=transition.pupil_id)
    for key, value in changes.items():
        if key in TRANSITION_FIELDS:
            setattr(transition, key, value)
    raise_errors(_errors(transition))
    transition.save()
    record(
        user=acting_user,
        action=StaffAction.TRANSITION_CHANGED,
        pupil=transition.pupil,
        request=request,
        summary="Changed a transition plan",
        extra={"transition_id": transition.pk},
    )
    return transition


@transaction.atomic
def transition_step_add(
    *,
    acting_user: Any,
    transition: Transition,
    what: str,
    due_on: dt.date | None = None,
    request: Any = None,
) -> TransitionStep:
    authorise(RIGHTS, acting_user, "write_transitions", pupil_id=transition.pupil_id)
    if not text(what):
        raise ValidationError({"what": ["Say what needs doing (for example, a visit)."]})
    step = TransitionStep.objects.create(
        transition=transition,
        what=text(what)[:200],
        due_on=due_on,
        position=transition.steps.count(),
    )
    record(
        user=acting_user,
        action=StaffAction.TRANSITION_CHANGED,
        pupil=transition.pupil,
        request=request,
        summary="Added a step to a transition plan",
        extra={"transition_id": transition.pk, "step_id": step.pk},
    )
    return step


@transaction.atomic
def transition_step_done(
    *,
    acting_user: Any,
    step: TransitionStep,
    done_on: dt.date | None = None,
    request: Any = None,
) -> TransitionStep:
    transition = step.transition
    authorise(RIGHTS, acting_user, "write_transitions", pupil_id=transition.pupil_id)
    done_on = done_on or today()
    if done_on > today():
        raise ValidationError({"done_on": ["A step cannot be done on a date still to come."]})
    step.done_on = done_on
    step.save(update_fields=["done_on"])
    record(
        user=acting_user,
        action=StaffAction.TRANSITION_STEP_DONE,
        pupil=transition.pupil,
        request=request,
        summary="Ticked off a transition step",
        extra={"transition_id": transition.pk, "step_id": step.pk},
    )
    return step


@transaction.atomic
def transition_update_with_steps(
    *,
    acting_user: Any,
    transition: Transition,
    steps_done: list[int],
    request: Any = None,
    **changes: Any,
) -> Transition:
    """Change a plan and tick off some of its steps (by id) in one step: all or nothing (the
    API's PATCH with steps_done)."""
    if changes:
        transition_update(
            acting_user=acting_user, transition=transition, request=request, **changes
        )
    steps = {s.pk: s for s in transition.steps.all()}
    for step_id in steps_done:
        if step_id not in steps:
            raise ValidationError({"steps_done": [f"No step {step_id} in this plan."]})
        if steps[step_id].done_on is None:
            transition_step_done(acting_user=acting_user, step=steps[step_id], request=request)
    return transition


def transition_hand_over(
    *, acting_user: Any, transition: Transition, request: Any = None
) -> Transition:
    """Hand the pupil's SEND file over. To a school of the trust: start the existing in-trust
    transfer (the receiving SENCo accepts it). Elsewhere: the leaver CTF is downloaded from the
    exports page and sent; this records that it was handed over."""
    authorise(RIGHTS, acting_user, "write_transitions", pupil_id=transition.pupil_id)
    if transition.status == Transition.Status.HANDED_OVER:
        raise ValidationError({"status": ["This transition has already been handed over."]})
    school = tenant_db.tenant
    if transition.destination_school_id:
        to_school = trust_school(transition.destination_school_id)
        if to_school is None:
            raise ValidationError(
                {
                    "destination_school_id": [
                        "The receiving school is no longer active in the trust."
                    ]
                }
            )
        from apps.trust.services import transfer_start

        reason = (
            "Transfer to secondary"
            if transition.pupil.year_group == "6" and transition.kind == Transition.Kind.PHASE
            else "Phase transfer"
            if transition.kind == Transition.Kind.PHASE
            else "In-year move"
        )
        try:
            transfer = transfer_start(
                acting_user=acting_user,
                from_school=school,
                to_school=to_school,
                source_pupil_id=transition.pupil_id,
                reason=reason,
            )
        finally:
            tenant_db.set_tenant(school)
        transition.handover_transfer_id = transfer.pk
    with transaction.atomic():
        transition.status = Transition.Status.HANDED_OVER
        transition.handed_over_on = today()
        transition.save(update_fields=["status", "handed_over_on", "handover_transfer_id"])
        record(
            user=acting_user,
            action=StaffAction.TRANSITION_HANDED_OVER,
            pupil=transition.pupil,
            request=request,
            summary="Handed over: in-trust transfer started"
            if transition.handover_transfer_id
            else "Handed over: leaver CTF for the receiving school",
            extra={
                "transition_id": transition.pk,
                "transfer_id": transition.handover_transfer_id,
            },
        )
    return transition
