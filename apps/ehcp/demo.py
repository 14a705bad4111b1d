"""Demo EHC records (synthetic): a plan for every demo pupil at E, reviews in every state (some
overdue), an assessment request with a late LA decision, and a phase transfer in the last year
group (Year 6 at a primary, Year 11 at Riverside)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from apps.pupils.models import Pupil, SenHistory

from . import rules
from .models import (
    AnnualReview,
    AssessmentRequest,
    EhcPlan,
    PlanOutcome,
    PlanProvision,
    ReviewAdvice,
    ReviewInvitation,
)

OUTCOMES = {
    "ASD": [
        ("Manages changes to the school day with a visual timetable and a warning", "July"),
        ("Joins a small-group activity with peers for 20 minutes", "December"),
    ],
    "SLCN": [
        ("Uses sentences of five or more words to explain what they need", "July"),
        ("Follows two-step instructions given to the whole class", "March"),
    ],
    "SEMH": [
        ("Uses a calm-down plan to return to learning within 10 minutes", "July"),
        ("Names two trusted adults and goes to them when worried", "December"),
    ],
}
DEFAULT_OUTCOMES = [
    ("Reads a book matched to their phonics stage with 90% accuracy", "July"),
    ("Records ideas independently using a word bank or scribe software", "July"),
]
PROVISION = [
    "Small-group literacy intervention, 3 x 30 minutes a week, delivered by a trained TA",
    "Speech and language therapy programme, 1 x 30 minutes a week, set by the NHS SLT",
    "Adult support in class for 15 hours a week to access learning",
    "Access arrangements: extra time and a quiet room for assessments",
]
STATES = (
    "review_overdue",
    "amended_plan_overdue",
    "la_decision_overdue",
    "report_due",
    "invitations_due",
    "scheduled_later",
    "complete",
)


def _final_year(school: Any) -> str | None:
    return rules.final_year_group(school.phase, school.has_sixth_form)


def _on_roll(today: dt.date) -> Any:
    return Pupil.objects.on_roll(today)


def _ensure_transfer_pupil(school: Any, today: dt.date, rng: random.Random, senco: Any) -> None:
    """Make sure a pupil in the phase's last year group has an EHC plan (demo transfer)."""
    final = _final_year(school)
    if final is None or _on_roll(today).filter(year_group=final, sen_provision="E").exists():
        return
    pupil = (
        _on_roll(today)
        .filter(year_group=final, sen_provision="K")
        .exclude(primary_need="NSA")
        .first()
    )
    if pupil is None:
        return
    issued = today - dt.timedelta(days=400 + rng.randrange(200))
    issued = max(issued, pupil.sen_identified_on or issued)
    if issued >= today:
        issued = today - dt.timedelta(days=30)
    pupil.sen_provision = "E"
    pupil.save(update_fields=["sen_provision"])
    SenHistory.objects.create(
        pupil=pupil,
        effective_date=min(issued, today),
        provision="E",
        primary_need=pupil.primary_need,
        secondary_need=pupil.secondary_need,
        reason="Final EHC plan issued by the local authority.",
        changed_by_user_id=getattr(senco, "pk", None),
        changed_by_name=getattr(senco, "full_name", "SENCo Hub"),
    )


def _held(
    plan: EhcPlan, meeting_on: dt.date, due_by: dt.date, *, complete: bool, senco_id: Any
) -> AnnualReview:
    dates = rules.review_dates(meeting_on=meeting_on)
    review = AnnualReview.objects.create(
        plan=plan,
        meeting_on=meeting_on,
        review_due_by=due_by,
        meeting_held=True,
        report_sent_on=meeting_on + dt.timedelta(days=11) if complete else None,
        la_decision=AnnualReview.LaDecision.MAINTAIN if complete else "",
        la_decision_on=meeting_on + dt.timedelta(days=24) if complete else None,
        report_views=plan.section_a,
        report_progress="Good progress towards most outcomes; see the attached reports.",
        report_provision="\n".join(f"- {p.description}" for p in plan.provision.all()),
        report_attendance="Attendance this year: 94%.",
        report_recommendation="Maintain the plan.",
        created_by_user_id=senco_id,
    )
    _invite(review, dates.invitations_by - dt.timedelta(days=2), all_sent=True)
    return review


def _invite(review: AnnualReview, sent_on: dt.date | None, *, all_sent: bool) -> None:
    kinds = [
        ReviewInvitation.Invitee.PARENT,
        ReviewInvitation.Invitee.PUPIL,
        ReviewInvitation.Invitee.LOCAL_AUTHORITY,
        ReviewInvitation.Invitee.HEALTH,
    ]
    ReviewInvitation.objects.bulk_create(
        ReviewInvitation(review=review, invitee=k, sent_on=sent_on if (all_sent or i < 2) else None)
        for i, k in enumerate(kinds)
    )


def seed_ehcp(demo: Any, rng: random.Random) -> None:
    school = demo.school
    senco = demo.staff.get("senco")
    senco_id = getattr(senco, "pk", None)
    today = timezone.localdate()
    _ensure_transfer_pupil(school, today, rng, senco)
    pupils = list(_on_roll(today).filter(sen_provision="E").order_by("id"))
    issue_dates = dict(
        SenHistory.objects.filter(pupil__in=pupils, provision="E")
        .order_by("pupil_id", "-effective_date")
        .distinct("pupil_id")
        .values_list("pupil_id", "effective_date")
    )
    # Oldest plans first: the states that need a long history (an overdue review, an amendment
    # after a review) go to the plans that have one.
    pupils.sort(key=lambda p: (issue_dates.get(p.pk) or p.sen_identified_on or today, p.pk))
    for n, pupil in enumerate(pupils):
        issued = (
            issue_dates.get(pupil.pk) or pupil.sen_identified_on or today - dt.timedelta(days=300)
        )
        issued = min(issued, today - dt.timedelta(days=60))
        outcomes = OUTCOMES.get(pupil.primary_need, DEFAULT_OUTCOMES)
        plan = EhcPlan.objects.create(
            pupil=pupil,
            issued_on=issued,
            local_authority=school.local_authority_name,
            case_officer=rng.choice(["Priya Shah", "Tom Grady", "Alison Reed"]),
            section_a="Enjoys drawing and football; wants to have more friends and to read on their own.",
            section_b=f"Primary need: {pupil.primary_need_label or 'see the assessment'}.",
            section_c="No health needs related to SEN beyond those in the medical record.",
            section_d="None identified.",
            section_g="Community paediatrician reviews yearly.",
            placement=school.name,
            section_k="Educational psychologist report; speech and language therapy report.",
            created_by_user_id=senco_id,
        )
        PlanOutcome.objects.bulk_create(
            PlanOutcome(plan=plan, position=i, text=t, by_when=w)
            for i, (t, w) in enumerate(outcomes)
        )
        PlanProvision.objects.bulk_create(
            PlanProvision(plan=plan, position=i, description=d)
            for i, d in enumerate(rng.sample(PROVISION, 2))
        )
        # Held reviews: a yearly cycle up to the last couple of months, one in six late.
        state = STATES[n % len(STATES)]
        start = issued
        due = rules.next_review_due(
            issued_on=issued, last_review_meeting_on=None, date_of_birth=pupil.date_of_birth
        )
        # An overdue plan misses its latest review: stop holding reviews a cycle earlier.
        margin = 100 if state != "review_overdue" else 0
        while due < today - dt.timedelta(days=margin):
            late = rng.random() < 1 / 6
            meeting = (
                due + dt.timedelta(days=rng.randrange(5, 30))
                if late
                else due - dt.timedelta(days=rng.randrange(0, 20))
            )
            meeting = max(meeting, start + dt.timedelta(days=1))
            after = rules.next_review_due(
                issued_on=issued, last_review_meeting_on=meeting, date_of_birth=pupil.date_of_birth
            )
            if state == "review_overdue" and after >= today:
                break
            _held(plan, meeting, due, complete=True, senco_id=senco_id)
            start, due = meeting, after
        _current_state(plan, state, start, due, today, rng, senco_id)
    _late_request(today, rng, school, senco_id)


def _current_state(
    plan: EhcPlan,
    state: str,
    start: dt.date,
    due: dt.date,
    today: dt.date,
    rng: random.Random,
    senco_id: Any,
) -> None:
    def meeting(days: int) -> dt.date | None:
        day = today + dt.timedelta(days=days)
        return day if day > start else None

    if state == "review_overdue":
        return  # nothing scheduled: overdue once `due` has passed
    if state in ("invitations_due", "scheduled_later"):
        day = meeting(5 if state == "invitations_due" else 21)
        if day is None:
            return
        review = AnnualReview.objects.create(
            plan=plan,
            meeting_on=day,
            review_due_by=due,
            created_by_user_id=senco_id,
            report_views=plan.section_a,
        )
        if state == "scheduled_later":
            _invite(review, today - dt.timedelta(days=1), all_sent=False)
            ReviewAdvice.objects.create(
                review=review,
                source="Educational psychologist",
                requested_on=today - dt.timedelta(days=20),
                received_on=today - dt.timedelta(days=3),
            )
            ReviewAdvice.objects.create(
                review=review,
                source="Speech and language therapist",
                requested_on=today - dt.timedelta(days=20),
            )
        else:
            _invite(review, None, all_sent=False)
        return
    offsets = {
        "report_due": 10,
        "la_decision_overdue": 35,
        "amended_plan_overdue": 90,
        "complete": 60,
    }
    day = meeting(-offsets[state])
    if day is None:
        return
    review = _held(plan, day, due, complete=state == "complete", senco_id=senco_id)
    if state == "la_decision_overdue":
        review.report_sent_on = day + dt.timedelta(days=12)
        review.save(update_fields=["report_sent_on"])
    elif state == "amended_plan_overdue":
        review.report_sent_on = day + dt.timedelta(days=13)
        review.la_decision = AnnualReview.LaDecision.AMEND
        review.la_decision_on = day + dt.timedelta(days=25)
        review.amendment_notice_on = day + dt.timedelta(days=27)
        review.save(
            update_fields=["report_sent_on", "la_decision", "la_decision_on", "amendment_notice_on"]
        )


def _late_request(today: dt.date, rng: random.Random, school: Any, senco_id: Any) -> None:
    """A request in progress whose LA decision came two weeks late."""
    pupil = (
        _on_roll(today)
        .filter(sen_provision="K")
        .exclude(primary_need="NSA")
        .filter(date_of_birth__lt=today - dt.timedelta(days=6 * 365))
        .order_by("id")
        .first()
    )
    if pupil is None:
        return
    requested = today - dt.timedelta(weeks=10)
    AssessmentRequest.objects.create(
        pupil=pupil,
        requested_by=AssessmentRequest.RequestedBy.SCHOOL,
        requested_on=requested,
        local_authority=school.local_authority_name,
        case_officer="Priya Shah",
        decision=AssessmentRequest.Decision.ASSESS,
        decision_on=requested + dt.timedelta(weeks=8),
        notes="Decision letter arrived two weeks after the 6-week deadline.",
        created_by_user_id=senco_id,
    )
