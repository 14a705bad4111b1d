"""Every write to support plans, reviews, assessments and observations.

Each function is atomic, asks access.RIGHTS (acting_user None = the system: demo seeding, a
transfer), writes the audit row, and raises ValidationError with field-keyed messages having
written nothing. Pages, the API and the demo all come through here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from apps.audit.services import record
from apps.core.acting import authorise
from apps.pupils.access import can_see_pupil
from apps.pupils.models import Pupil

from . import rules
from .access import RIGHTS
from .actions import SupportAction
from .models import Assessment, Observation, Outcome, Review, SupportPlan

PLAN_TEXT_FIELDS = ("strategies", "pupil_views", "parent_views")


def _name(user: Any) -> str:
    return (getattr(user, "full_name", "") or "System") if user is not None else "System"


def _uid(user: Any) -> int | None:
    return getattr(user, "pk", None) if user is not None else None


def _raise(errors: Mapping[str, list[str]]) -> None:
    if errors:
        raise ValidationError(dict(errors))


def _check_pupil(acting_user: Any, access: Any, pupil: Pupil) -> None:
    if acting_user is not None and not can_see_pupil(access, acting_user, pupil.pk):
        raise PermissionDenied("You can only work with pupils you teach or support.")


def _pupil(pupil_id: Any, *, field: str = "pupil") -> Pupil:
    try:
        pupil = Pupil.objects.filter(pk=int(pupil_id)).first()
    except (TypeError, ValueError):
        pupil = None
    if pupil is None:
        raise ValidationError({field: ["No such pupil in this school."]})
    return pupil


def _staff_name(user_id: int | None) -> str:
    if not user_id:
        return ""
    from apps.pupils.selectors import staff_names

    return staff_names([user_id]).get(user_id, "")


def _lead_errors(lead_user_id: int | None) -> dict[str, list[str]]:
    if not lead_user_id:
        return {}
    from django.db import connection

    from tenants.models import SchoolMembership

    school = getattr(connection, "tenant", None)
    if (
        school is None
        or not SchoolMembership.objects.filter(school_id=school.pk, user_id=lead_user_id).exists()
    ):
        return {"lead_user_id": ["The lead must be a member of staff at this school."]}
    return {}


def _clean_outcomes(outcomes: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    cleaned = []
    for outcome in outcomes:
        target = outcome.get("target_date")
        if isinstance(target, str) and target:
            try:
                target = date.fromisoformat(target)
            except ValueError:
                target = None
        cleaned.append(
            {
                "description": str(outcome.get("description") or "").strip(),
                "measure": str(outcome.get("measure") or "").strip(),
                "target_date": target,
                "intervention_id": outcome.get("intervention_id") or None,
                "carried_from_id": outcome.get("carried_from_id") or None,
            }
        )
    return cleaned


def _intervention_errors(outcomes: list[dict[str, Any]]) -> dict[str, list[str]]:
    from apps.provision.models import Intervention

    wanted = {o["intervention_id"] for o in outcomes if o["intervention_id"]}
    if not wanted:
        return {}
    known = set(Intervention.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    return {
        f"outcomes.{n}.intervention_id": ["No such intervention in the catalogue."]
        for n, o in enumerate(outcomes)
        if o["intervention_id"] and o["intervention_id"] not in known
    }


def _provision_errors(group_ids: Iterable[int]) -> dict[str, list[str]]:
    from apps.provision.models import InterventionGroup

    wanted = {int(g) for g in group_ids}
    known = set(InterventionGroup.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    if wanted - known:
        return {"provision": ["No such intervention group in this school."]}
    return {}


def _write_outcomes(plan: SupportPlan, outcomes: list[dict[str, Any]]) -> list[Outcome]:
    return Outcome.objects.bulk_create(
        Outcome(
            plan=plan,
            position=n,
            description=o["description"],
            measure=o["measure"],
            target_date=o["target_date"],
            intervention_id=o["intervention_id"],
            carried_from_id=o["carried_from_id"],
        )
        for n, o in enumerate(outcomes)
    )


def _default_review_due(starts_on: date) -> date:
    from apps.school.selectors import next_review_date

    return next_review_date(starts_on)


# -- plans ---------------------------------------------------------------------------------


def plan_create(
    *,
    acting_user: Any,
    pupil_id: int,
    outcomes: Sequence[Mapping[str, Any]],
    strategies: str = "",
    pupil_views: str = "",
    parent_views: str = "",
    lead_user_id: int | None = None,
    starts_on: date | None = None,
    review_due: date | None = None,
    provision_group_ids: Iterable[int] = (),
    request: Any = None,
) -> SupportPlan:
    """Write a pupil's first support plan (version 1)."""
    access = authorise(RIGHTS, acting_user, "write_plan")
    pupil = _pupil(pupil_id)
    _check_pupil(acting_user, access, pupil)
    starts_on = starts_on or timezone.localdate()
    cleaned = _clean_outcomes(outcomes)
    group_ids = list(provision_group_ids)
    errors: dict[str, list[str]] = {}
    if not pupil.on_register:
        errors["pupil"] = ["This pupil is not on the SEN register: add them to it first."]
    elif SupportPlan.objects.filter(pupil=pupil, status=SupportPlan.Status.CURRENT).exists():
        errors["pupil"] = ["This pupil already has a current plan: review it to make the next one."]
    errors |= rules.outcome_errors(cleaned, starts_on=starts_on)
    errors |= _intervention_errors(cleaned)
    errors |= _provision_errors(group_ids)
    errors |= _lead_errors(lead_user_id)
    if review_due is not None and review_due <= starts_on:
        errors["review_due"] = ["The review date must be after the plan starts."]
    _raise(errors)
    with transaction.atomic():
        plan = SupportPlan.objects.create(
            pupil=pupil,
            version=1,
            strategies=strategies.strip(),
            pupil_views=pupil_views.strip(),
            parent_views=parent_views.strip(),
            lead_user_id=lead_user_id,
            lead_name=_staff_name(lead_user_id),
            starts_on=starts_on,
            review_due=review_due or _default_review_due(starts_on),
            written_by_user_id=_uid(acting_user),
            written_by_name=_name(acting_user),
        )
        _write_outcomes(plan, cleaned)
        if group_ids:
            plan.provision.set(group_ids)
        record(
            user=acting_user,
            action=SupportAction.PLAN_WRITTEN,
            pupil=pupil,
            summary="Wrote support plan version 1",
            request=request,
            extra={"plan_id": plan.pk, "version": 1},
        )
    return plan


def plan_update(
    *,
    acting_user: Any,
    plan_id: int,
    changes: Mapping[str, Any],
    request: Any = None,
) -> SupportPlan:
    """Change a current plan: its text, lead, review date, provision or outcomes (outcomes are
    replaced as a whole). A superseded plan is history and cannot change."""
    access = authorise(RIGHTS, acting_user, "write_plan")
    plan = SupportPlan.objects.select_related("pupil").filter(pk=plan_id).first()
    if plan is None:
        raise ValidationError({"plan": ["No such support plan."]})
    _check_pupil(acting_user, access, plan.pupil)
    errors: dict[str, list[str]] = {}
    if not plan.is_current:
        errors["plan"] = [
            f"Version {plan.version} has been superseded by a review: change the current version."
        ]
        _raise(errors)
    cleaned = None
    if "outcomes" in changes:
        cleaned = _clean_outcomes(changes["outcomes"] or [])
        errors |= rules.outcome_errors(cleaned, starts_on=plan.starts_on)
        errors |= _intervention_errors(cleaned)
    if "lead_user_id" in changes:
        errors |= _lead_errors(changes["lead_user_id"])
    if "review_due" in changes and (
        not isinstance(changes["review_due"], date) or changes["review_due"] <= plan.starts_on
    ):
        errors["review_due"] = ["The review date must be after the plan starts."]
    if "provision" in changes:
        errors |= _provision_errors(changes["provision"] or [])
    _raise(errors)
    with transaction.atomic():
        for field in PLAN_TEXT_FIELDS:
            if field in changes:
                setattr(plan, field, str(changes[field] or "").strip())
        if "lead_user_id" in changes:
            plan.lead_user_id = changes["lead_user_id"] or None
            plan.lead_name = _staff_name(plan.lead_user_id)
        if "review_due" in changes:
            plan.review_due = changes["review_due"]
        plan.updated_at = timezone.now()
        plan.save()
        if cleaned is not None:
            plan.outcomes.all().delete()
            _write_outcomes(plan, cleaned)
        if "provision" in changes:
            plan.provision.set([int(g) for g in changes["provision"] or []])
        record(
            user=acting_user,
            action=SupportAction.PLAN_CHANGED,
            pupil=plan.pupil,
            summary=f"Changed support plan version {plan.version}",
            request=request,
            extra={"plan_id": plan.pk, "fields": sorted(changes)},
        )
    return plan


# -- reviews -------------------------------------------------------------------------------


@transaction.atomic  # the plan row is locked (select_for_update) from the first read
def review_record(
    *,
    acting_user: Any,
    plan_id: int,
    held_on: date,
    ratings: Mapping[int, str],
    attendees: str = "",
    pupil_contribution: str = "",
    parent_contribution: str = "",
    next_steps: str = "",
    next_outcomes: Sequence[Mapping[str, Any]] | None = None,
    review_due: date | None = None,
    request: Any = None,
) -> Review:
    """Review the current plan: rate every outcome, record who came and what the pupil and parents
    said, and roll the plan to its next version in one step.

    The next version keeps the strategies, views, lead and provision; its outcomes are
    ``next_outcomes`` when given, otherwise every outcome not yet met carries on (target date
    moved to the next review)."""
    access = authorise(RIGHTS, acting_user, "record_review")
    plan = (
        SupportPlan.objects.select_for_update(of=("self",))
        .select_related("pupil")
        .filter(pk=plan_id)
        .first()
    )
    if plan is None:
        raise ValidationError({"plan": ["No such support plan."]})
    _check_pupil(acting_user, access, plan.pupil)
    errors: dict[str, list[str]] = {}
    if not plan.is_current:
        errors["plan"] = [
            f"Version {plan.version} has already been reviewed: review the current version."
        ]
        _raise(errors)
    if not plan.pupil.on_register:
        errors["pupil"] = [
            "This pupil is no longer on the SEN register: a review cannot be recorded."
        ]
    if not isinstance(held_on, date):
        errors["held_on"] = ["Give the date of the review meeting."]
    elif held_on > timezone.localdate():
        errors["held_on"] = ["The review date cannot be in the future."]
    elif held_on < plan.starts_on:
        errors["held_on"] = ["The review cannot be before the plan started."]
    outcomes = list(plan.outcomes.all())
    try:
        int_ratings = {int(k): str(v) for k, v in ratings.items()}
    except (TypeError, ValueError):
        int_ratings = {}
        errors["ratings"] = ["Ratings are keyed by outcome id."]
    errors |= rules.rating_errors([o.pk for o in outcomes], int_ratings)
    starts_on = held_on if isinstance(held_on, date) else timezone.localdate()
    due = review_due or _default_review_due(starts_on)
    if due <= starts_on:
        errors["review_due"] = ["The next review must be after this one."]
    if next_outcomes is not None:
        cleaned = _clean_outcomes(next_outcomes)
        for key, messages in rules.outcome_errors(cleaned, starts_on=starts_on).items():
            errors[key.replace("outcomes", "next_outcomes", 1)] = messages
        for key, messages in _intervention_errors(cleaned).items():
            errors[key.replace("outcomes", "next_outcomes", 1)] = messages
    else:
        cleaned = [
            {
                "description": o.description,
                "measure": o.measure,
                "target_date": max(o.target_date, due),
                "intervention_id": o.intervention_id,
                "carried_from_id": o.pk,
            }
            for o in outcomes
            if int_ratings.get(o.pk) in ("not_met", "partly_met")
        ]
    _raise(errors)
    now = timezone.now()
    with transaction.atomic():
        for outcome in outcomes:
            outcome.rating = int_ratings[outcome.pk]
        Outcome.objects.bulk_update(outcomes, ["rating"])
        plan.status = SupportPlan.Status.SUPERSEDED
        plan.updated_at = now
        plan.save(update_fields=["status", "updated_at"])
        next_plan = SupportPlan.objects.create(
            pupil=plan.pupil,
            version=plan.version + 1,
            previous=plan,
            strategies=plan.strategies,
            pupil_views=pupil_contribution.strip() or plan.pupil_views,
            parent_views=parent_contribution.strip() or plan.parent_views,
            lead_user_id=plan.lead_user_id,
            lead_name=plan.lead_name,
            starts_on=starts_on,
            review_due=due,
            written_by_user_id=_uid(acting_user),
            written_by_name=_name(acting_user),
        )
        _write_outcomes(next_plan, cleaned)
        group_ids = list(plan.provision.values_list("pk", flat=True))
        if group_ids:
            next_plan.provision.set(group_ids)
        review = Review.objects.create(
            plan=plan,
            pupil=plan.pupil,
            held_on=held_on,
            attendees=attendees.strip(),
            pupil_contribution=pupil_contribution.strip(),
            parent_contribution=parent_contribution.strip(),
            next_steps=next_steps.strip(),
            next_plan=next_plan,
            recorded_by_user_id=_uid(acting_user),
            recorded_by_name=_name(acting_user),
        )
        record(
            user=acting_user,
            action=SupportAction.REVIEW_RECORDED,
            pupil=plan.pupil,
            summary=f"Reviewed support plan version {plan.version}; wrote version {next_plan.version}",
            request=request,
            extra={"plan_id": plan.pk, "next_plan_id": next_plan.pk, "review_id": review.pk},
        )
    return review


# -- assessments and observations ----------------------------------------------------------


def assessment_record(
    *,
    acting_user: Any,
    pupil_id: int,
    kind: str,
    measure: str,
    value: str,
    assessed_on: date,
    numeric_value: Any = None,
    notes: str = "",
    assessed_by_user_id: int | None = None,
    request: Any = None,
) -> Assessment:
    access = authorise(RIGHTS, acting_user, "record_assessment")
    pupil = _pupil(pupil_id)
    _check_pupil(acting_user, access, pupil)
    errors: dict[str, list[str]] = {}
    if kind not in Assessment.Kind.values:
        errors["kind"] = [
            "Choose a kind: " + ", ".join(str(label) for label in Assessment.Kind.labels) + "."
        ]
    if not str(measure or "").strip():
        errors["measure"] = ["Say what was measured, e.g. NGRT standardised score."]
    if not str(value or "").strip():
        errors["value"] = ["Give the result."]
    if not isinstance(assessed_on, date):
        errors["assessed_on"] = ["Give the date of the assessment."]
    elif assessed_on > timezone.localdate():
        errors["assessed_on"] = ["The assessment date cannot be in the future."]
    number: Decimal | None = None
    if numeric_value not in (None, ""):
        try:
            number = Decimal(str(numeric_value))
        except InvalidOperation:
            errors["numeric_value"] = [
                "Give the result as a number (ages in months), or leave it out."
            ]
    errors |= _lead_errors(assessed_by_user_id) and {
        "assessed_by_user_id": ["Who assessed must be a member of staff at this school."]
    }
    _raise(errors)
    by_id = assessed_by_user_id or _uid(acting_user)
    with transaction.atomic():
        assessment = Assessment.objects.create(
            pupil=pupil,
            kind=kind,
            measure=measure.strip(),
            value=str(value).strip(),
            numeric_value=number,
            assessed_on=assessed_on,
            assessed_by_user_id=by_id,
            assessed_by_name=_staff_name(by_id) if assessed_by_user_id else _name(acting_user),
            notes=notes.strip(),
        )
        record(
            user=acting_user,
            action=SupportAction.ASSESSMENT_RECORDED,
            pupil=pupil,
            summary=f"Recorded an assessment ({assessment.get_kind_display()})",
            request=request,
            extra={"assessment_id": assessment.pk},
        )
    return assessment


def observation_add(
    *,
    acting_user: Any,
    pupil_id: int,
    text: str,
    observed_on: date | None = None,
    request: Any = None,
) -> Observation:
    """A teacher's or TA's observation, attached to the pupil's current plan for its review."""
    access = authorise(RIGHTS, acting_user, "add_observation")
    pupil = _pupil(pupil_id)
    _check_pupil(acting_user, access, pupil)
    observed_on = observed_on or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if not str(text or "").strip():
        errors["text"] = ["Write what you observed."]
    if observed_on > timezone.localdate():
        errors["observed_on"] = ["The date cannot be in the future."]
    _raise(errors)
    current = SupportPlan.objects.filter(pupil=pupil, status=SupportPlan.Status.CURRENT).first()
    with transaction.atomic():
        observation = Observation.objects.create(
            pupil=pupil,
            plan=current,
            observed_on=observed_on,
            text=text.strip(),
            observed_by_user_id=_uid(acting_user),
            observed_by_name=_name(acting_user),
        )
        record(
            user=acting_user,
            action=SupportAction.OBSERVATION_ADDED,
            pupil=pupil,
            summary="Added an observation for the next review",
            request=request,
            extra={"observation_id": observation.pk},
        )
    return observation


def plan_actions_add(
    *,
    acting_user: Any,
    pupil_id: int,
    strategies: Sequence[str] = (),
    outcomes: Sequence[Mapping[str, Any]] = (),
    source: str = "",
    request: Any = None,
) -> SupportPlan:
    """Add actions to a pupil's current plan in one step: strategies appended to the plan's
    strategies and outcomes appended to its outcomes (e.g. an agency report's recommendations,
    issue #14). ``source`` says where they came from ("Educational psychology report, 3 Nov")
    and is kept in the audit summary, never pupil data."""
    access = authorise(RIGHTS, acting_user, "write_plan")
    pupil = _pupil(pupil_id)
    _check_pupil(acting_user, access, pupil)
    plan = (
        SupportPlan.objects.select_related("pupil")
        .filter(pupil=pupil, status=SupportPlan.Status.CURRENT)
        .first()
    )
    errors: dict[str, list[str]] = {}
    if plan is None:
        errors["pupil"] = ["This pupil has no current support plan: write one first."]
        _raise(errors)
    assert plan is not None
    texts = [" ".join(str(s).split()) for s in strategies if str(s).strip()]
    cleaned = _clean_outcomes(outcomes)
    if not texts and not cleaned:
        errors["strategies"] = ["Choose at least one recommendation to add."]
    if cleaned:
        errors |= rules.outcome_errors(cleaned, starts_on=plan.starts_on)
        errors |= _intervention_errors(cleaned)
    _raise(errors)
    with transaction.atomic():
        if texts:
            plan.strategies = "\n".join([plan.strategies.strip(), *texts]).strip()
        plan.updated_at = timezone.now()
        plan.save(update_fields=["strategies", "updated_at"])
        start = plan.outcomes.count()
        Outcome.objects.bulk_create(
            Outcome(
                plan=plan,
                position=start + n,
                description=o["description"],
                measure=o["measure"],
                target_date=o["target_date"],
                intervention_id=o["intervention_id"],
            )
            for n, o in enumerate(cleaned)
        )
        record(
            user=acting_user,
            action=SupportAction.PLAN_CHANGED,
            pupil=pupil,
            summary=(
                f"Added {len(texts)} strategies and {len(cleaned)} outcomes to support plan "
                f"version {plan.version}" + (f" from {source[:80]}" if source else "")
            ),
            request=request,
            extra={"plan_id": plan.pk},
        )
    return plan
