"""Every write to the agency directory, referrals, report recommendations and bought time.

Atomic, authorised (acting_user None: the system), audited; bad input raises ValidationError
keyed by field and writes nothing. A referral is sent only with current consent for that agency;
withdrawing the consent stops the referral (registered as a consent dependant in apps.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from apps.audit.services import record
from apps.core.acting import actor_id, actor_name, authorise
from apps.family.dependants import current_consent
from apps.pupils.models import Pupil

from .access import RIGHTS
from .actions import AgencyAction
from .models import Agency, AgencyContact, AgencyKind, BoughtTime, Recommendation, Referral, TimeUse
from .rules import referral_date_errors

AGENCY_FIELDS = ("kind", "name", "phone", "email", "address", "website", "how_to_refer")


def _today() -> dt.date:
    return timezone.localdate()


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _text(value: Any) -> str:
    return str(value or "").strip()


# -- directory -------------------------------------------------------------------------------


def _agency_errors(agency: Agency) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if agency.kind not in AgencyKind.values:
        errors["kind"] = ["Choose the kind of agency."]
    if not agency.name:
        errors["name"] = ["Enter the agency's name."]
    if agency.email:
        try:
            validate_email(agency.email)
        except ValidationError:
            errors["email"] = ["Enter an email address like referrals@example.org."]
    if agency.website:
        try:
            URLValidator(schemes=["https", "http"])(agency.website)
        except ValidationError:
            errors["website"] = ["Enter a web address starting https://."]
    return errors


def _contact_errors(contacts: list[dict[str, Any]]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for i, c in enumerate(contacts):
        if not _text(c.get("name")):
            errors[f"contacts.{i}.name"] = ["Enter the contact's name."]
        email = _text(c.get("email"))
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors[f"contacts.{i}.email"] = ["Enter an email address like name@example.org."]
    return errors


@transaction.atomic
def agency_add(
    *,
    acting_user: Any,
    contacts: list[dict[str, Any]] | None = None,
    from_trust_library_item: int | None = None,
    request: Any = None,
    **fields: Any,
) -> Agency:
    authorise(RIGHTS, acting_user, "write_directory")
    agency = Agency(
        **{k: _text(v) for k, v in fields.items() if k in AGENCY_FIELDS},
        from_trust_library_item=from_trust_library_item,
    )
    errors = _agency_errors(agency)
    errors.update(_contact_errors(contacts or []))
    _raise(errors)
    agency.save()
    for c in contacts or []:
        AgencyContact.objects.create(
            agency=agency,
            name=_text(c.get("name")),
            job_title=_text(c.get("job_title")),
            phone=_text(c.get("phone")),
            email=_text(c.get("email")),
        )
    record(
        user=acting_user,
        action=AgencyAction.AGENCY_ADDED,
        request=request,
        summary=f"Added {agency.name} to the directory",
        extra={"agency_id": agency.pk},
    )
    return agency


@transaction.atomic
def agency_update(
    *,
    acting_user: Any,
    agency: Agency,
    contacts: list[dict[str, Any]] | None = None,
    request: Any = None,
    **changes: Any,
) -> Agency:
    """Change an agency's details; ``contacts`` (when given) replaces its list of contacts."""
    authorise(RIGHTS, acting_user, "write_directory")
    for key, value in changes.items():
        if key in AGENCY_FIELDS:
            setattr(agency, key, _text(value))
        elif key == "is_active":
            agency.is_active = bool(value)
    errors = _agency_errors(agency)
    errors.update(_contact_errors(contacts or []))
    _raise(errors)
    agency.save()
    if contacts is not None:
        agency.contacts.all().delete()
        for c in contacts:
            AgencyContact.objects.create(
                agency=agency,
                name=_text(c.get("name")),
                job_title=_text(c.get("job_title")),
                phone=_text(c.get("phone")),
                email=_text(c.get("email")),
            )
    record(
        user=acting_user,
        action=AgencyAction.AGENCY_CHANGED,
        request=request,
        summary=f"Changed {agency.name} in the directory",
        extra={"agency_id": agency.pk},
    )
    return agency


# -- referrals -------------------------------------------------------------------------------


def _evidence(pupil: Pupil, document_ids: list[int]) -> list[Any]:
    from apps.documents.models import PupilDocument

    docs = list(PupilDocument.objects.filter(pupil=pupil, pk__in=document_ids))
    if len(docs) != len(set(document_ids)):
        raise ValidationError(
            {"evidence": ["Evidence must be documents already on this pupil's record."]}
        )
    return docs


@transaction.atomic
def referral_draft(
    *,
    acting_user: Any,
    pupil: Pupil,
    agency: Agency | None,
    reason: str,
    evidence_ids: list[int] | None = None,
    drafted_on: dt.date | None = None,
    request: Any = None,
) -> Referral:
    authorise(RIGHTS, acting_user, "write_referrals", pupil_id=pupil.pk)
    errors: dict[str, list[str]] = {}
    if agency is None:
        errors["agency"] = ["Choose the agency to refer to."]
    elif not agency.is_active:
        errors["agency"] = ["That agency is no longer in use: choose another."]
    if not _text(reason):
        errors["reason"] = ["Say why you are referring the pupil."]
    drafted_on = drafted_on or _today()
    errors.update(referral_date_errors({"drafted_on": drafted_on}, _today()))
    _raise(errors)
    docs = _evidence(pupil, evidence_ids or [])
    referral = Referral.objects.create(
        pupil=pupil,
        agency=cast(Agency, agency),  # a missing agency was refused above
        reason=_text(reason),
        drafted_on=drafted_on,
        made_by_user_id=actor_id(acting_user),
        made_by_name=actor_name(acting_user),
    )
    referral.evidence.set(docs)
    record(
        user=acting_user,
        action=AgencyAction.REFERRAL_DRAFTED,
        pupil=pupil,
        request=request,
        summary="Drafted a referral",
        extra={"referral_id": referral.pk, "agency_id": agency.pk if agency else None},
    )
    return referral


def _stopped_error(referral: Referral) -> dict[str, list[str]]:
    return {
        "status": [
            "This referral was stopped because consent was withdrawn: record new consent and "
            "draft a new referral."
        ]
    }


@transaction.atomic
@transaction.atomic
def referral_make(
    *,
    acting_user: Any,
    pupil: Pupil,
    agency: Agency | None,
    reason: str,
    evidence_ids: list[int] | None = None,
    send: bool = False,
    sent_on: dt.date | None = None,
    request: Any = None,
) -> Referral:
    """Draft a referral and, with ``send``, mark it sent: both or neither (the API's create)."""
    referral = referral_draft(
        acting_user=acting_user,
        pupil=pupil,
        agency=agency,
        reason=reason,
        evidence_ids=evidence_ids,
        request=request,
    )
    if send:
        referral_send(acting_user=acting_user, referral=referral, sent_on=sent_on, request=request)
    return referral


def referral_send(
    *, acting_user: Any, referral: Referral, sent_on: dt.date | None = None, request: Any = None
) -> Referral:
    """Mark a referral sent: only with current consent for this pupil and this agency."""
    authorise(RIGHTS, acting_user, "write_referrals", pupil_id=referral.pupil_id)
    if referral.status == Referral.Status.STOPPED:
        raise ValidationError(_stopped_error(referral))
    if referral.status != Referral.Status.DRAFT:
        raise ValidationError({"status": ["This referral has already been sent."]})
    consent = current_consent(
        pupil_id=referral.pupil_id, purpose="referral", agency_id=referral.agency_id
    )
    if consent is None:
        raise ValidationError(
            {
                "consent": [
                    f"There is no current consent to refer this pupil to {referral.agency.name}: "
                    "record the parents' consent first."
                ]
            }
        )
    sent_on = sent_on or _today()
    _raise(referral_date_errors({"drafted_on": referral.drafted_on, "sent_on": sent_on}, _today()))
    referral.consent = consent
    referral.sent_on = sent_on
    referral.status = Referral.Status.SENT
    referral.save(update_fields=["consent", "sent_on", "status"])
    record(
        user=acting_user,
        action=AgencyAction.REFERRAL_SENT,
        pupil=referral.pupil,
        request=request,
        summary="Sent a referral",
        extra={"referral_id": referral.pk, "consent_id": consent.pk},
    )
    return referral


PROGRESS_FIELDS = (
    "accepted_on",
    "appointment_on",
    "report_received_on",
    "report_summary",
    "reason",
)
NEXT_STATUS = {
    Referral.Status.SENT: {Referral.Status.ACCEPTED, Referral.Status.DECLINED},
    Referral.Status.ACCEPTED: {Referral.Status.APPOINTMENT, Referral.Status.REPORT_RECEIVED},
    Referral.Status.APPOINTMENT: {Referral.Status.REPORT_RECEIVED},
    Referral.Status.REPORT_RECEIVED: {Referral.Status.CLOSED},
    Referral.Status.DECLINED: {Referral.Status.CLOSED},
}


@transaction.atomic
def referral_update(
    *,
    acting_user: Any,
    referral: Referral,
    status: str | None = None,
    recommendations: list[str] | None = None,
    request: Any = None,
    **changes: Any,
) -> Referral:
    """Move a referral on (accepted, appointment, report received, closed) with its dates; a
    report's recommendations are recorded with it. Sending goes through referral_send."""
    authorise(RIGHTS, acting_user, "write_referrals", pupil_id=referral.pupil_id)
    if status == Referral.Status.SENT and referral.status == Referral.Status.DRAFT:
        referral = referral_send(
            acting_user=acting_user,
            referral=referral,
            sent_on=changes.pop("sent_on", None),
            request=request,
        )
        status = None
    if referral.status == Referral.Status.STOPPED:
        raise ValidationError(_stopped_error(referral))
    if referral.consent_id is not None and not referral.consent.is_current():  # type: ignore[union-attr]
        raise ValidationError(
            {"consent": ["Consent for this referral is no longer current: it cannot go on."]}
        )
    errors: dict[str, list[str]] = {}
    if status and status != referral.status:
        if status not in NEXT_STATUS.get(referral.status, set()):  # type: ignore[call-overload]
            allowed = ", ".join(sorted(NEXT_STATUS.get(referral.status, set()))) or "none"  # type: ignore[call-overload]
            errors["status"] = [
                f"A referral that is {referral.get_status_display().lower()} cannot become "
                f"{status.replace('_', ' ')} (next: {allowed})."
            ]
    changed = []
    for key, value in changes.items():
        if key in PROGRESS_FIELDS and getattr(referral, key) != value:
            setattr(referral, key, _text(value) if key in ("report_summary", "reason") else value)
            changed.append(key)
    if referral.status == Referral.Status.DRAFT and changed and set(changed) - {"reason"}:
        errors.setdefault("status", []).append("Send the referral before recording its progress.")
    if status and not errors:
        referral.status = status
        field = {"accepted": "accepted_on", "appointment": "appointment_on"}.get(status)
        if status == Referral.Status.REPORT_RECEIVED:
            field = "report_received_on"
        if field and getattr(referral, field) is None:
            errors[field] = ["Enter the date for this step."]
        changed.append("status")
    if recommendations and referral.status != Referral.Status.REPORT_RECEIVED:
        errors["recommendations"] = ["Recommendations come with the report: log the report first."]
    errors.update(
        referral_date_errors(
            {
                name: getattr(referral, name)
                for name in (
                    "drafted_on",
                    "sent_on",
                    "accepted_on",
                    "appointment_on",
                    "report_received_on",
                )
            },
            _today(),
        )
    )
    _raise(errors)
    referral.save()
    for text in recommendations or []:
        if _text(text):
            Recommendation.objects.create(referral=referral, text=_text(text))
    record(
        user=acting_user,
        action=AgencyAction.REPORT_LOGGED
        if "report_received_on" in changed
        else AgencyAction.REFERRAL_CHANGED,
        pupil=referral.pupil,
        request=request,
        summary="Updated a referral",
        extra={"referral_id": referral.pk, "fields": changed},
    )
    return referral


def stop_referrals_for_withdrawn_consent(consent: Any, acting_user: Any, request: Any) -> int:
    """Consent dependant: referrals that relied on this consent and have not finished stop."""
    stopped = 0
    for referral in Referral.objects.filter(
        consent=consent, status__in=Referral.OPEN_STATUSES
    ).select_related("pupil"):
        referral.status = Referral.Status.STOPPED
        referral.stopped_reason = f"Consent withdrawn on {consent.withdrawn_on:%-d %B %Y}"
        referral.save(update_fields=["status", "stopped_reason"])
        record(
            user=acting_user,
            action=AgencyAction.REFERRAL_STOPPED,
            pupil=referral.pupil,
            request=request,
            summary="Stopped a referral because consent was withdrawn",
            extra={"referral_id": referral.pk, "consent_id": consent.pk},
        )
        stopped += 1
    return stopped


# -- recommendations -------------------------------------------------------------------------


@transaction.atomic
def recommendations_adopt(
    *,
    acting_user: Any,
    referral: Referral,
    recommendation_ids: list[int],
    outcome: str,
    review_on: dt.date | None = None,
    request: Any = None,
) -> list[Recommendation]:
    """In one step, turn a report's chosen recommendations into strategies that work (through
    the pupils' own service) or mark them not adopted; each gets a date to review it."""
    authorise(RIGHTS, acting_user, "write_referrals", pupil_id=referral.pupil_id)
    errors: dict[str, list[str]] = {}
    chosen = list(
        referral.recommendations.filter(pk__in=recommendation_ids, outcome="pending").order_by("id")
    )
    if not chosen:
        errors["recommendation_ids"] = ["Choose at least one recommendation still to decide."]
    plan = None
    if outcome == Recommendation.Outcome.PLAN_ACTION:
        from apps.support.selectors import current_plan_for_pupil

        plan = current_plan_for_pupil(referral.pupil_id)
        if plan is None:
            errors["outcome"] = [
                "This pupil has no current support plan: write one first, or make the "
                "recommendations strategies that work."
            ]
    elif outcome not in (Recommendation.Outcome.STRATEGY, Recommendation.Outcome.NOT_ADOPTED):
        errors["outcome"] = ["Choose what to do with the recommendations."]
    if review_on is not None and review_on <= _today():
        errors["review_on"] = ["The review date must be in the future."]
    _raise(errors)
    from apps.pupils.services import strategy_add

    if plan is not None:
        # Support plan actions: added to the current plan's strategies, through its service.
        from apps.support.services import plan_update

        added = "\n".join(f"- {rec.text} ({referral.agency.name})" for rec in chosen)
        plan_update(
            acting_user=acting_user,
            plan_id=plan.pk,
            changes={"strategies": f"{plan.strategies}\n{added}".strip()},
            request=request,
        )
    for rec in chosen:
        if outcome == Recommendation.Outcome.STRATEGY:
            rec.strategy = strategy_add(
                acting_user=acting_user, pupil=referral.pupil, text=rec.text, request=request
            )
        rec.outcome = outcome
        rec.review_on = review_on
        rec.save(update_fields=["strategy", "outcome", "review_on"])
    record(
        user=acting_user,
        action=AgencyAction.RECOMMENDATION_ADOPTED,
        pupil=referral.pupil,
        request=request,
        summary=f"{len(chosen)} recommendation(s): {Recommendation.Outcome(outcome).label.lower()}",
        extra={"referral_id": referral.pk, "recommendation_ids": [r.pk for r in chosen]},
    )
    return chosen


@transaction.atomic
def recommendation_review(
    *,
    acting_user: Any,
    recommendation: Recommendation,
    note: str,
    reviewed_on: dt.date | None = None,
    request: Any = None,
) -> Recommendation:
    referral = recommendation.referral
    authorise(RIGHTS, acting_user, "write_referrals", pupil_id=referral.pupil_id)
    if not _text(note):
        raise ValidationError({"review_note": ["Say how the recommendation is working."]})
    recommendation.reviewed_on = reviewed_on or _today()
    recommendation.review_note = _text(note)
    recommendation.save(update_fields=["reviewed_on", "review_note"])
    record(
        user=acting_user,
        action=AgencyAction.RECOMMENDATION_REVIEWED,
        pupil=referral.pupil,
        request=request,
        summary="Reviewed a recommendation",
        extra={"recommendation_id": recommendation.pk},
    )
    return recommendation


# -- bought time -----------------------------------------------------------------------------


@transaction.atomic
def time_buy(
    *,
    acting_user: Any,
    agency: Agency,
    hours_bought: Decimal,
    starts_on: dt.date,
    ends_on: dt.date,
    note: str = "",
    request: Any = None,
) -> BoughtTime:
    authorise(RIGHTS, acting_user, "write_bought_time")
    errors: dict[str, list[str]] = {}
    if hours_bought is None or hours_bought <= 0:
        errors["hours_bought"] = ["Enter the hours bought (more than 0)."]
    if starts_on and ends_on and ends_on <= starts_on:
        errors["ends_on"] = ["The end date must be after the start date."]
    _raise(errors)
    bought = BoughtTime.objects.create(
        agency=agency, hours_bought=hours_bought, starts_on=starts_on, ends_on=ends_on, note=note
    )
    record(
        user=acting_user,
        action=AgencyAction.TIME_BOUGHT,
        request=request,
        summary=f"Recorded {hours_bought} hours bought from {agency.name}",
        extra={"bought_time_id": bought.pk},
    )
    return bought


@transaction.atomic
def time_use(
    *,
    acting_user: Any,
    bought: BoughtTime,
    used_on: dt.date,
    hours: Decimal,
    what: str,
    pupil: Pupil | None = None,
    request: Any = None,
) -> TimeUse:
    authorise(RIGHTS, acting_user, "write_bought_time")
    bought = BoughtTime.objects.select_for_update().get(pk=bought.pk)
    used = bought.uses.aggregate(total=Sum("hours"))["total"] or Decimal("0")
    remaining = bought.hours_bought - used
    errors: dict[str, list[str]] = {}
    if hours is None or hours <= 0:
        errors["hours"] = ["Enter the hours used (more than 0)."]
    elif hours > remaining:
        errors["hours"] = [f"Only {remaining} of the {bought.hours_bought} hours bought remain."]
    if not _text(what):
        errors["what"] = ["Say what the time was used for (e.g. assessment, consultation)."]
    if used_on is None or not (bought.starts_on <= used_on <= bought.ends_on):
        errors["used_on"] = [
            f"The date must fall within the time bought ({bought.starts_on:%-d %b %Y} to "
            f"{bought.ends_on:%-d %b %Y})."
        ]
    _raise(errors)
    use = TimeUse.objects.create(
        bought=bought, used_on=used_on, hours=hours, what=_text(what), pupil=pupil
    )
    record(
        user=acting_user,
        action=AgencyAction.TIME_USED,
        pupil=pupil,
        request=request,
        summary=f"Recorded {hours} hours of {bought.agency.name}'s time used",
        extra={"bought_time_id": bought.pk, "time_use_id": use.pk},
    )
    return use
