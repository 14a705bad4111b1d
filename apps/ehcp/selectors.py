"""Reads of EHC records, always through what the person may see (access.py).

`school_deadlines` builds every statutory deadline of the school (or of the pupils a teacher
sees) from four queries, whatever the number of plans and years of history: the calendar page,
the home panel, the worklist, the API, the digest and the iCalendar feed all read it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from apps.core.access import Access
from tenants.typing import tenant_db

from . import access as rights
from . import rules
from .models import AnnualReview, AssessmentRequest, EhcPlan

KIND_LABELS = {
    "assessment_decision": "LA decision whether to assess",
    "refusal_notice": "LA notice that no plan will be issued",
    "final_plan": "Final EHC plan due",
    "annual_review": "Annual review due",
    "phase_transfer": "Phase transfer: plan amended",
    "review_invitations": "Review invitations and advice out",
    "review_meeting": "Annual review meeting",
    "review_report": "Review report to the LA",
    "la_decision": "LA decision after review",
    "amended_plan": "Amended plan due",
}
# Who must act: the SENCo's own steps, and the LA's (lateness is evidence either way).
SCHOOL_KINDS = frozenset(
    {"annual_review", "review_invitations", "review_meeting", "review_report", "phase_transfer"}
)


@dataclass(frozen=True)
class Deadline:
    kind: str
    due: date
    done_on: date | None
    status: str
    pupil_id: int
    initials: str
    reference: str  # internal reference: EHCP-12 / REQ-4 / REV-31
    request_id: int | None = None
    plan_id: int | None = None
    review_id: int | None = None

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def is_open(self) -> bool:
        return self.done_on is None

    @property
    def by_school(self) -> bool:
        return self.kind in SCHOOL_KINDS

    def bucket(self, today: date) -> str:
        return rules.bucket(due=self.due, today=today)

    def rag(self, today: date) -> str:
        return rules.rag(due=self.due, today=today)

    @property
    def uid(self) -> str:
        return f"{self.reference}-{self.kind}"


def initials(first: str, preferred: str, last: str) -> str:
    f = (preferred or first or "?")[:1].upper()
    lname = (last or "?").replace("-", " ").split()
    return f + "".join(part[:1].upper() for part in lname)


def _on_roll(path: str, today: date) -> Q:
    return Q(**{f"{path}leaving_date__isnull": True}) | Q(**{f"{path}leaving_date__gt": today})


PUPIL_FIELDS = ("first_name", "preferred_first_name", "last_name", "date_of_birth", "year_group")


def _pupil_values(prefix: str) -> list[str]:
    return [f"{prefix}id", *(f"{prefix}{f}" for f in PUPIL_FIELDS)]


def school_deadlines(
    access: Access | None,
    user: Any,
    *,
    today: date | None = None,
    school: Any = None,
    pupil_id: int | None = None,
) -> list[Deadline]:
    """Every deadline this person may see, open and done, sorted by due date. Pupils who have
    left do not bring open deadlines (their plans moved on with them)."""
    today = today or timezone.localdate()
    if school is None:
        school = tenant_db.tenant
    requests = rights.requests_for(access, user)
    plans = rights.plans_for(access, user)
    reviews = rights.reviews_for(access, user)
    if pupil_id is not None:
        requests = requests.filter(pupil_id=pupil_id)
        plans = plans.filter(pupil_id=pupil_id)
        reviews = reviews.filter(plan__pupil_id=pupil_id)
    return sorted(
        [
            *_request_deadlines(requests, today),
            *_plan_deadlines(plans, today, school),
            *_review_deadlines(reviews, today),
        ],
        key=lambda d: (d.due, d.reference, d.kind),
    )


def _deadline(
    kind: str,
    due: date,
    done_on: date | None,
    today: date,
    row: dict[str, Any],
    prefix: str,
    **ids: Any,
) -> Deadline:
    return Deadline(
        kind=kind,
        due=due,
        done_on=done_on,
        status=rules.deadline_status(due=due, done_on=done_on, today=today),
        pupil_id=row[f"{prefix}id"],
        initials=initials(
            row[f"{prefix}first_name"],
            row[f"{prefix}preferred_first_name"],
            row[f"{prefix}last_name"],
        ),
        **ids,
    )


def _request_deadlines(qs: QuerySet[AssessmentRequest], today: date) -> Iterable[Deadline]:
    rows = qs.order_by().values(
        "id",
        "requested_on",
        "decision",
        "decision_on",
        "final_plan_on",
        "refused_on",
        "pupil__leaving_date",
        *_pupil_values("pupil__"),
    )
    for r in rows:
        dates = rules.assessment_dates(r["requested_on"])
        left = r["pupil__leaving_date"] is not None and r["pupil__leaving_date"] <= today
        ref = {"reference": f"REQ-{r['id']}", "request_id": r["id"]}
        steps = [("assessment_decision", dates.decision_due, r["decision_on"])]
        if r["decision"] != AssessmentRequest.Decision.NOT_ASSESS:
            if r["refused_on"]:
                steps.append(("refusal_notice", dates.refusal_notice_due, r["refused_on"]))
            else:
                steps.append(("final_plan", dates.final_plan_due, r["final_plan_on"]))
        for kind, due, done in steps:
            if done is None and left:
                continue
            yield _deadline(kind, due, done, today, r, "pupil__", **ref)


def _plan_deadlines(qs: QuerySet[EhcPlan], today: date, school: Any) -> Iterable[Deadline]:
    rows = (
        qs.filter(status=EhcPlan.Status.ACTIVE)
        .filter(_on_roll("pupil__", today))
        .order_by()
        .annotate(last_held=Max("reviews__meeting_on", filter=Q(reviews__meeting_held=True)))
        .values(
            "id", "issued_on", "phase_transfer_amended_on", "last_held", *_pupil_values("pupil__")
        )
    )
    phase = getattr(school, "phase", "")
    sixth = bool(getattr(school, "has_sixth_form", False))
    year_start = rules.academic_year_start(today)
    for r in rows:
        ref = {"reference": f"EHCP-{r['id']}", "plan_id": r["id"]}
        due = rules.next_review_due(
            issued_on=r["issued_on"],
            last_review_meeting_on=r["last_held"],
            date_of_birth=r["pupil__date_of_birth"],
        )
        yield _deadline("annual_review", due, None, today, r, "pupil__", **ref)
        amend_by = rules.amend_by(
            phase=phase, has_sixth_form=sixth, year_group=r["pupil__year_group"], today=today
        )
        if amend_by is not None:
            done = r["phase_transfer_amended_on"]
            done = done if done is not None and done >= year_start else None
            yield _deadline("phase_transfer", amend_by, done, today, r, "pupil__", **ref)


def _review_deadlines(qs: QuerySet[AnnualReview], today: date) -> Iterable[Deadline]:
    rows = (
        qs.order_by()
        .annotate(
            invited=Count("invitations"),
            unsent=Count("invitations", filter=Q(invitations__sent_on__isnull=True)),
            last_sent=Max("invitations__sent_on"),
        )
        .values(
            "id",
            "plan_id",
            "plan__status",
            "meeting_on",
            "review_due_by",
            "meeting_held",
            "report_sent_on",
            "la_decision_on",
            "amendment_notice_on",
            "amended_plan_issued_on",
            "invited",
            "unsent",
            "last_sent",
            "plan__pupil__leaving_date",
            *_pupil_values("plan__pupil__"),
        )
    )
    for r in rows:
        dates = rules.review_dates(
            meeting_on=r["meeting_on"], amendment_notice_on=r["amendment_notice_on"]
        )
        ref = {"reference": f"REV-{r['id']}", "plan_id": r["plan_id"], "review_id": r["id"]}
        gone = r["plan__status"] != EhcPlan.Status.ACTIVE or (
            r["plan__pupil__leaving_date"] is not None and r["plan__pupil__leaving_date"] <= today
        )
        held = r["meeting_held"]
        invitations_done = r["last_sent"] if r["invited"] and not r["unsent"] else None
        steps: list[tuple[str, date, date | None]] = [
            ("review_invitations", dates.invitations_by, invitations_done),
            ("review_meeting", r["meeting_on"], r["meeting_on"] if held else None),
        ]
        if held:
            # The review that was due: held on time or late (the evidence behind the rollup).
            steps.append(("annual_review", r["review_due_by"], r["meeting_on"]))
        steps += [
            ("review_report", dates.report_due, r["report_sent_on"]),
            ("la_decision", dates.la_decision_due, r["la_decision_on"]),
        ]
        if dates.amended_plan_due is not None:
            steps.append(("amended_plan", dates.amended_plan_due, r["amended_plan_issued_on"]))
        for kind, due, done in steps:
            if done is None and gone:
                continue
            yield _deadline(kind, due, done, today, r, "plan__pupil__", **ref)


def open_deadlines(deadlines: Iterable[Deadline]) -> list[Deadline]:
    return [d for d in deadlines if d.done_on is None]


def calendar_buckets(deadlines: Iterable[Deadline], today: date) -> dict[str, list[Deadline]]:
    out: dict[str, list[Deadline]] = {b: [] for b in rules.BUCKETS}
    for d in open_deadlines(deadlines):
        out[d.bucket(today)].append(d)
    return out


def urgent(deadlines: Iterable[Deadline], today: date) -> list[Deadline]:
    """Overdue or due this week: the home panel's list."""
    return [
        d
        for d in open_deadlines(deadlines)
        if d.bucket(today) in (rules.OVERDUE_BUCKET, rules.THIS_WEEK)
    ]


def pupil_names(pupil_ids: Iterable[int]) -> dict[int, str]:
    from apps.pupils.models import Pupil

    return {
        p.pk: p.display_name
        for p in Pupil.objects.filter(pk__in=set(pupil_ids)).only(
            "first_name", "preferred_first_name", "last_name", "preferred_last_name"
        )
    }
