"""EHC needs assessment requests: who asked, when, the LA and each step's actual date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.audit.services import record
from apps.pupils.models import Pupil

from .. import rules
from ..actions import EhcpAction
from ..models import AssessmentRequest
from .common import (
    Errors,
    add,
    authorise,
    check_choice,
    check_not_before_birth,
    clean_text,
    merge,
    raise_if,
    today,
    uid,
)

REQUEST_FIELDS = (
    "requested_by",
    "requested_on",
    "local_authority",
    "case_officer",
    "decision",
    "decision_on",
    "draft_plan_on",
    "final_plan_on",
    "refused_on",
    "notes",
)
TEXT_FIELDS = ("requested_by", "local_authority", "case_officer", "decision", "notes")


def request_errors(req: AssessmentRequest, pupil: Pupil) -> Errors:
    """Every problem with a request's values, keyed by field."""
    errors: Errors = {}
    check_choice(errors, "requested_by", req.requested_by, AssessmentRequest.RequestedBy)
    check_choice(errors, "decision", req.decision, AssessmentRequest.Decision, allow_blank=True)
    if not req.local_authority:
        add(errors, "local_authority", "Enter the local authority the request went to.")
    if len(req.local_authority) > 100:
        add(errors, "local_authority", "Use at most 100 characters.")
    if len(req.case_officer) > 150:
        add(errors, "case_officer", "Use at most 150 characters.")
    if req.requested_on is None:
        add(errors, "requested_on", "Enter the date of the request.")
        return errors
    check_not_before_birth(errors, "requested_on", req.requested_on, pupil)
    merge(
        errors,
        rules.step_date_errors(
            [
                ("requested_on", req.requested_on, "The request date", None, ""),
                (
                    "decision_on",
                    req.decision_on,
                    "The LA's decision",
                    req.requested_on,
                    "the request",
                ),
                (
                    "draft_plan_on",
                    req.draft_plan_on,
                    "The draft plan",
                    req.decision_on or req.requested_on,
                    "the decision to assess" if req.decision_on else "the request",
                ),
                (
                    "final_plan_on",
                    req.final_plan_on,
                    "The final plan",
                    req.draft_plan_on or req.requested_on,
                    "the draft plan" if req.draft_plan_on else "the request",
                ),
                (
                    "refused_on",
                    req.refused_on,
                    "The notice that no plan will be issued",
                    req.decision_on or req.requested_on,
                    "the decision to assess" if req.decision_on else "the request",
                ),
            ],
            today=today(),
        ),
    )
    if req.decision_on and not req.decision:
        add(errors, "decision", "Say what the local authority decided on that date.")
    if req.decision and not req.decision_on:
        add(errors, "decision_on", "Enter the date of the local authority's decision.")
    if req.decision == AssessmentRequest.Decision.NOT_ASSESS:
        for field in ("draft_plan_on", "final_plan_on", "refused_on"):
            if getattr(req, field):
                add(errors, field, "The local authority refused to assess: there is no later step.")
    elif req.decision != AssessmentRequest.Decision.ASSESS:
        for field in ("draft_plan_on", "final_plan_on", "refused_on"):
            if getattr(req, field):
                add(errors, field, "Record the decision to assess first.")
    if req.final_plan_on and req.refused_on:
        add(errors, "refused_on", "A final plan was issued: the LA cannot also have refused one.")
    return errors


def _coerce(values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    for field in TEXT_FIELDS:
        if field in out:
            out[field] = clean_text(out[field])
    return out


@transaction.atomic
def request_create(
    *,
    acting_user: Any,
    pupil: Pupil,
    requested_by: str,
    requested_on: dt.date,
    local_authority: str,
    request: Any = None,
    **optional: Any,
) -> AssessmentRequest:
    authorise(acting_user, "write_ehcp", pupil)
    unknown = set(optional) - set(REQUEST_FIELDS)
    if unknown:
        raise ValidationError(
            {f: ["This field is not part of a request."] for f in sorted(unknown)}
        )
    values = _coerce(
        {
            "requested_by": requested_by,
            "requested_on": requested_on,
            "local_authority": local_authority,
            **optional,
        }
    )
    req = AssessmentRequest(pupil=pupil, created_by_user_id=uid(acting_user), **values)
    raise_if(request_errors(req, pupil))
    req.save()
    record(
        user=acting_user,
        action=EhcpAction.REQUEST_RECORDED,
        pupil=pupil,
        summary=f"Recorded an EHC needs assessment request ({req.get_requested_by_display()})",
        request=request,
        extra={"assessment_request_id": req.pk},
    )
    return req


@transaction.atomic
def request_update(
    *, acting_user: Any, assessment_request: AssessmentRequest, request: Any = None, **changes: Any
) -> AssessmentRequest:
    req = (
        AssessmentRequest.objects.select_for_update()
        .select_related("pupil")
        .get(pk=assessment_request.pk)
    )
    authorise(acting_user, "write_ehcp", req.pupil)
    unknown = set(changes) - set(REQUEST_FIELDS)
    if unknown:
        raise ValidationError({f: ["This field cannot be changed."] for f in sorted(unknown)})
    changes = _coerce(changes)
    changed = [f for f, v in changes.items() if getattr(req, f) != v]
    if not changed:
        return req
    for field in changed:
        setattr(req, field, changes[field])
    raise_if(request_errors(req, req.pupil))
    req.updated_at = timezone.now()
    req.save(update_fields=[*changed, "updated_at"])
    late = [
        step
        for step, due, done in (
            ("decision", req.decision_due, req.decision_on),
            ("refusal", req.refusal_notice_due, req.refused_on),
            ("final_plan", req.final_plan_due, req.final_plan_on),
        )
        if done and done > due
    ]
    record(
        user=acting_user,
        action=EhcpAction.REQUEST_UPDATED,
        pupil=req.pupil,
        summary="Updated an EHC needs assessment request" + (" (a step was late)" if late else ""),
        request=request,
        extra={"assessment_request_id": req.pk, "fields": changed, "late_steps": late},
    )
    return req
