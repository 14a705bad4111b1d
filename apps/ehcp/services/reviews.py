"""Annual reviews: scheduling, invitations, advice, the meeting, the report and the LA's steps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.audit.services import record

from .. import rules
from ..actions import EhcpAction
from ..models import AnnualReview, EhcPlan, ReviewAdvice, ReviewInvitation
from .common import Errors, add, authorise, check_choice, clean_text, merge, raise_if, today, uid

DEFAULT_INVITEES = (
    ReviewInvitation.Invitee.PARENT,
    ReviewInvitation.Invitee.PUPIL,
    ReviewInvitation.Invitee.LOCAL_AUTHORITY,
)
REPORT_FIELDS = (
    "report_views",
    "report_progress",
    "report_provision",
    "report_support_reviews",
    "report_attendance",
    "report_recommendation",
)
REVIEW_FIELDS = (
    "meeting_on",
    "meeting_held",
    "report_sent_on",
    "la_decision",
    "la_decision_on",
    "amendment_notice_on",
    "amended_plan_issued_on",
    *REPORT_FIELDS,
)


def last_held_meeting(plan: EhcPlan, *, exclude: int | None = None) -> dt.date | None:
    qs = plan.reviews.filter(meeting_held=True)
    if exclude:
        qs = qs.exclude(pk=exclude)
    return qs.order_by("-meeting_on").values_list("meeting_on", flat=True).first()


def plan_next_review_due(plan: EhcPlan) -> dt.date:
    return rules.next_review_due(
        issued_on=plan.issued_on,
        last_review_meeting_on=last_held_meeting(plan),
        date_of_birth=plan.pupil.date_of_birth,
    )


def review_report_prefill(review: AnnualReview) -> dict[str, str]:
    """The review report's starting text: the plan's sections, the latest support plan reviews
    (when the support plans package is installed) and attendance (when recorded)."""
    plan = review.plan
    outcomes = "\n".join(
        f"- {o.text}" + (f" (by {o.by_when})" if o.by_when else "") + "\n  Progress: "
        for o in plan.outcomes.all()
    )
    provision = "\n".join(
        f"- {p.description}"
        + (f" (provision map: {p.intervention.name})" if p.intervention else "")
        for p in plan.provision.select_related("intervention")
    )
    return {
        "report_views": plan.section_a,
        "report_progress": outcomes,
        "report_provision": provision,
        "report_support_reviews": _latest_support_reviews(plan.pupil_id),
        "report_attendance": _attendance(plan.pupil_id),
        "report_recommendation": "",
    }


def _latest_support_reviews(pupil_id: int) -> str:
    from apps.support.selectors import latest_reviews_for_pupil

    lines = []
    for review in latest_reviews_for_pupil(pupil_id):
        line = f"- {review.held_on:%-d %B %Y}"
        if review.next_steps:
            line += f": {review.next_steps}"
        lines.append(line)
    return "\n".join(lines) or "No SEN support plan reviews recorded in SENCo Hub."


def _attendance(pupil_id: int) -> str:
    """Attendance at the interventions in the provision map this academic year (whole-school
    attendance is not held in SENCo Hub: the SENCo adds it from the MIS)."""
    from django.db.models import Count, Q

    from apps.provision.models import SessionAttendance
    from apps.provision.selectors import provision_for_pupil

    since = rules.academic_year_start(today())
    counts = SessionAttendance.objects.filter(
        pupil_id=pupil_id, session__held_on__gte=since
    ).aggregate(sessions=Count("id"), present=Count("id", filter=Q(present=True)))
    places = provision_for_pupil(pupil_id)
    lines = [f"- {p.group.intervention.name} since {p.joined_on:%-d %B %Y}" for p in places]
    text = "Whole-school attendance this year: (add from the MIS)."
    if counts["sessions"]:
        text += (
            f"\nIntervention sessions attended this year: {counts['present']} of "
            f"{counts['sessions']} ({100 * counts['present'] // counts['sessions']}%)."
        )
    if lines:
        text += "\nCurrent interventions:\n" + "\n".join(lines)
    return text


def _check_plan_active(plan: EhcPlan, errors: Errors) -> None:
    if plan.status != EhcPlan.Status.ACTIVE:
        add(errors, "plan", "This plan has ceased: it has no more reviews.")


@transaction.atomic
def review_schedule(
    *,
    acting_user: Any,
    plan: EhcPlan,
    meeting_on: dt.date,
    invitees: list[Any] | None = None,
    request: Any = None,
) -> AnnualReview:
    """Schedule an annual review meeting; the invitation list starts with the parents, the
    pupil and the LA unless `invitees` (list of {"invitee", "name"}) is given."""
    plan = EhcPlan.objects.select_for_update().select_related("pupil").get(pk=plan.pk)
    authorise(acting_user, "write_ehcp", plan.pupil)
    errors: Errors = {}
    _check_plan_active(plan, errors)
    if meeting_on is None:
        add(errors, "meeting_on", "Enter the date of the review meeting.")
    elif meeting_on < plan.issued_on:
        add(
            errors,
            "meeting_on",
            f"The review meeting cannot be before the plan was issued ({plan.issued_on:%-d %B %Y}).",
        )
    pending = plan.reviews.filter(meeting_held=False).first()
    if pending is not None:
        add(
            errors,
            "meeting_on",
            f"A review is already scheduled for {pending.meeting_on:%-d %B %Y}: change that one.",
        )
    rows = []
    for i, item in enumerate(invitees if invitees is not None else DEFAULT_INVITEES):
        kind = clean_text(item.get("invitee") if isinstance(item, dict) else item)
        name = clean_text(item.get("name", "")) if isinstance(item, dict) else ""
        if kind not in ReviewInvitation.Invitee.values:
            add(
                errors,
                "invitees",
                f"Invitee {i + 1}: use one of {', '.join(ReviewInvitation.Invitee.values)}.",
            )
        if len(name) > 150:
            add(errors, "invitees", f"Invitee {i + 1}: a name uses at most 150 characters.")
        rows.append(ReviewInvitation(invitee=kind, name=name))
    raise_if(errors)
    review = AnnualReview(
        plan=plan,
        meeting_on=meeting_on,
        review_due_by=plan_next_review_due(plan),
        created_by_user_id=uid(acting_user),
    )
    review.save()
    for row in rows:
        row.review = review
    ReviewInvitation.objects.bulk_create(rows)
    for field, text in review_report_prefill(review).items():
        setattr(review, field, text)
    review.save(update_fields=list(REPORT_FIELDS))
    record(
        user=acting_user,
        action=EhcpAction.REVIEW_SCHEDULED,
        pupil=plan.pupil,
        summary=f"Scheduled an annual review meeting for {meeting_on:%-d %B %Y}",
        request=request,
        extra={"plan_id": plan.pk, "review_id": review.pk},
    )
    return review


def review_errors(review: AnnualReview) -> Errors:
    errors: Errors = {}
    plan = review.plan
    now = today()
    if review.meeting_on < plan.issued_on:
        add(
            errors,
            "meeting_on",
            f"The review meeting cannot be before the plan was issued ({plan.issued_on:%-d %B %Y}).",
        )
    if review.meeting_held and review.meeting_on > now:
        add(errors, "meeting_held", "The meeting is in the future: record it once it has happened.")
    check_choice(
        errors, "la_decision", review.la_decision, AnnualReview.LaDecision, allow_blank=True
    )
    if review.la_decision and not review.la_decision_on:
        add(errors, "la_decision_on", "Enter the date of the local authority's decision.")
    if review.la_decision_on and not review.la_decision:
        add(errors, "la_decision", "Say what the local authority decided.")
    if review.amendment_notice_on and review.la_decision not in ("", AnnualReview.LaDecision.AMEND):
        add(errors, "amendment_notice_on", "The local authority decided not to amend the plan.")
    if review.amended_plan_issued_on and not review.amendment_notice_on:
        add(errors, "amended_plan_issued_on", "Record the amendment notice first.")
    for field in ("report_sent_on", "la_decision_on", "amendment_notice_on"):
        if getattr(review, field) and not review.meeting_held:
            add(errors, field, "Record that the meeting was held first.")
    merge(
        errors,
        rules.step_date_errors(
            [
                (
                    "report_sent_on",
                    review.report_sent_on,
                    "The report",
                    review.meeting_on,
                    "the meeting",
                ),
                (
                    "la_decision_on",
                    review.la_decision_on,
                    "The LA's decision",
                    review.meeting_on,
                    "the meeting",
                ),
                (
                    "amendment_notice_on",
                    review.amendment_notice_on,
                    "The amendment notice",
                    review.meeting_on,
                    "the meeting",
                ),
                (
                    "amended_plan_issued_on",
                    review.amended_plan_issued_on,
                    "The amended plan",
                    review.amendment_notice_on,
                    "the amendment notice",
                ),
            ],
            today=now,
        ),
    )
    return errors


@transaction.atomic
def review_update(
    *, acting_user: Any, review: AnnualReview, request: Any = None, **changes: Any
) -> AnnualReview:
    review = (
        AnnualReview.objects.select_for_update()
        .select_related("plan", "plan__pupil")
        .get(pk=review.pk)
    )
    authorise(acting_user, "write_ehcp", review.plan.pupil)
    unknown = set(changes) - set(REVIEW_FIELDS)
    if unknown:
        raise ValidationError({f: ["This field cannot be changed."] for f in sorted(unknown)})
    for field in (*REPORT_FIELDS, "la_decision"):
        if field in changes:
            changes[field] = clean_text(changes[field])
    changed = [f for f, v in changes.items() if getattr(review, f) != v]
    if not changed:
        return review
    errors: Errors = {}
    if "meeting_on" in changed and review.meeting_held:
        add(errors, "meeting_on", "The meeting was held: its date cannot move.")
    for field in changed:
        setattr(review, field, changes[field])
    if review.amendment_notice_on and not review.la_decision:
        review.la_decision = AnnualReview.LaDecision.AMEND
        changed.append("la_decision")
    if not review.meeting_held:
        later = review.plan.reviews.filter(meeting_held=True, meeting_on__gt=review.meeting_on)
        if "meeting_held" in changed and later.exclude(pk=review.pk).exists():
            add(errors, "meeting_held", "A later review meeting has already been recorded.")
    merge(errors, review_errors(review))
    raise_if(errors)
    review.updated_at = timezone.now()
    review.save(update_fields=[*set(changed), "updated_at"])
    record(
        user=acting_user,
        action=EhcpAction.REVIEW_UPDATED,
        pupil=review.plan.pupil,
        summary="Recorded the review meeting"
        if "meeting_held" in changed
        else "Updated an annual review",
        request=request,
        extra={"plan_id": review.plan_id, "review_id": review.pk, "fields": sorted(set(changed))},
    )
    return review


@transaction.atomic
def invitation_add(
    *, acting_user: Any, review: AnnualReview, invitee: str, name: str = "", request: Any = None
) -> ReviewInvitation:
    review = AnnualReview.objects.select_related("plan__pupil").get(pk=review.pk)
    authorise(acting_user, "write_ehcp", review.plan.pupil)
    errors: Errors = {}
    check_choice(errors, "invitee", clean_text(invitee), ReviewInvitation.Invitee)
    if len(clean_text(name)) > 150:
        add(errors, "name", "Use at most 150 characters.")
    raise_if(errors)
    row = ReviewInvitation.objects.create(
        review=review, invitee=clean_text(invitee), name=clean_text(name)
    )
    record(
        user=acting_user,
        action=EhcpAction.REVIEW_UPDATED,
        pupil=review.plan.pupil,
        summary="Added someone to an annual review's invitation list",
        request=request,
        extra={"review_id": review.pk, "invitee": row.invitee},
    )
    return row


@transaction.atomic
def invitations_send(
    *,
    acting_user: Any,
    review: AnnualReview,
    sent_on: dt.date | None = None,
    invitation_ids: list[int] | None = None,
    request: Any = None,
) -> int:
    """Record that invitations (all not yet sent, or those given) went out on `sent_on`."""
    review = AnnualReview.objects.select_related("plan__pupil").get(pk=review.pk)
    authorise(acting_user, "write_ehcp", review.plan.pupil)
    sent_on = sent_on or today()
    errors: Errors = {}
    if sent_on > today():
        add(errors, "sent_on", "Invitations cannot be sent in the future: record them once sent.")
    if sent_on < review.plan.issued_on:
        add(errors, "sent_on", "This is before the plan was issued.")
    rows = review.invitations.filter(sent_on__isnull=True)
    if invitation_ids is not None:
        rows = rows.filter(pk__in=invitation_ids)
    if not rows.exists():
        add(errors, "invitations", "Every invitation on the list has already been sent.")
    raise_if(errors)
    count = rows.update(sent_on=sent_on)
    late = sent_on > review.invitations_by
    record(
        user=acting_user,
        action=EhcpAction.INVITATIONS_SENT,
        pupil=review.plan.pupil,
        summary=f"Sent {count} annual review invitations" + (" (late)" if late else ""),
        request=request,
        extra={"review_id": review.pk, "count": count, "late": late},
    )
    return count


@transaction.atomic
def advice_request(
    *,
    acting_user: Any,
    review: AnnualReview,
    source: str,
    requested_on: dt.date,
    request: Any = None,
) -> ReviewAdvice:
    review = AnnualReview.objects.select_related("plan__pupil").get(pk=review.pk)
    authorise(acting_user, "write_ehcp", review.plan.pupil)
    errors: Errors = {}
    source = clean_text(source)
    if not source:
        add(errors, "source", "Say whose advice was requested (e.g. educational psychologist).")
    if len(source) > 150:
        add(errors, "source", "Use at most 150 characters.")
    merge(
        errors,
        rules.step_date_errors(
            [
                (
                    "requested_on",
                    requested_on,
                    "The request for advice",
                    review.plan.issued_on,
                    "the plan's issue date",
                )
            ],
            today=today(),
        ),
    )
    raise_if(errors)
    advice = ReviewAdvice.objects.create(review=review, source=source, requested_on=requested_on)
    record(
        user=acting_user,
        action=EhcpAction.ADVICE_RECORDED,
        pupil=review.plan.pupil,
        summary="Requested advice for an annual review",
        request=request,
        extra={"review_id": review.pk, "advice_id": advice.pk},
    )
    return advice


@transaction.atomic
def advice_receive(
    *, acting_user: Any, advice: ReviewAdvice, received_on: dt.date, request: Any = None
) -> ReviewAdvice:
    advice = ReviewAdvice.objects.select_related("review__plan__pupil").get(pk=advice.pk)
    authorise(acting_user, "write_ehcp", advice.review.plan.pupil)
    raise_if(
        rules.step_date_errors(
            [("received_on", received_on, "The advice", advice.requested_on, "it was requested")],
            today=today(),
        )
    )
    advice.received_on = received_on
    advice.save(update_fields=["received_on"])
    record(
        user=acting_user,
        action=EhcpAction.ADVICE_RECORDED,
        pupil=advice.review.plan.pupil,
        summary="Recorded advice received for an annual review",
        request=request,
        extra={"review_id": advice.review_id, "advice_id": advice.pk},
    )
    return advice
