"""The statutory clock for EHC needs assessments, plans, annual reviews and phase transfers.

Pure: dates in, dates out, no database. Every rule cites its source: the Special Educational
Needs and Disability Regulations 2014 (SI 2014/1530, "reg.") and the SEND Code of Practice 0-25
(2015, "Code"). Conventions (issue #13, DESIGN.md section 2):

- weeks are calendar weeks (n weeks = 7n days; school holidays do not stop the clock except
  where a regulation says so, which none of these do);
- "12 months" is the same day 12 calendar months later; a day the month lacks becomes the
  month's last day (29 February + 12 months = 28 February);
- "under 5" is the child's age on the date the period starts.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

# -- arithmetic ---------------------------------------------------------------------------------


def add_weeks(start: date, weeks: int) -> date:
    return start + timedelta(weeks=weeks)


def add_months(start: date, months: int) -> date:
    """The same day `months` calendar months later (or earlier); clipped to the month's end."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def age_on(date_of_birth: date, on: date) -> int:
    """Completed years of age on `on` (a child born on 29 February turns a year older on
    1 March in a common year)."""
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def is_under_five(date_of_birth: date | None, on: date) -> bool:
    return date_of_birth is not None and age_on(date_of_birth, on) < 5


def academic_year_start(on: date) -> date:
    """1 September of the academic year containing `on` (English school years run September to
    August)."""
    return date(on.year if on.month >= 9 else on.year - 1, 9, 1)


# -- EHC needs assessment (regs 4-13) ---------------------------------------------------------

DECISION_WEEKS = 6  # reg. 5(1); Code 9.14
REFUSAL_NOTICE_WEEKS = 16  # reg. 10(1); Code 9.56
FINAL_PLAN_WEEKS = 20  # reg. 13(2); Code 9.40


@dataclass(frozen=True)
class AssessmentDates:
    decision_due: date
    refusal_notice_due: date
    final_plan_due: date


def assessment_dates(requested_on: date) -> AssessmentDates:
    return AssessmentDates(
        decision_due=add_weeks(requested_on, DECISION_WEEKS),
        refusal_notice_due=add_weeks(requested_on, REFUSAL_NOTICE_WEEKS),
        final_plan_due=add_weeks(requested_on, FINAL_PLAN_WEEKS),
    )


# -- annual review (Children and Families Act 2014 s.44; regs 18-22) --------------------------

REVIEW_MONTHS = 12  # s.44(1) CFA 2014; Code 9.166
REVIEW_MONTHS_UNDER_FIVE = 6  # Code 9.178: for under-5s consider every 3 to 6 months
INVITATION_WEEKS = 2  # reg. 20(3)-(4); Code 9.176: at least two weeks' notice and advice
REPORT_WEEKS = 2  # reg. 20(7)-(8); Code 9.176: report within two weeks of the meeting
LA_DECISION_WEEKS = 4  # reg. 20(10); Code 9.176: LA decision within four weeks of the meeting
AMENDED_PLAN_WEEKS = 8  # reg. 22(5); Code 9.194: amended plan within 8 weeks of the notice


def next_review_due(
    *, issued_on: date, last_review_meeting_on: date | None, date_of_birth: date | None
) -> date:
    """12 months after the plan was issued or, once reviewed, after the last review meeting; 6
    months for a child under 5 on that start date."""
    start = last_review_meeting_on or issued_on
    months = REVIEW_MONTHS_UNDER_FIVE if is_under_five(date_of_birth, start) else REVIEW_MONTHS
    return add_months(start, months)


@dataclass(frozen=True)
class ReviewDates:
    invitations_by: date
    report_due: date
    la_decision_due: date
    amended_plan_due: date | None


def review_dates(*, meeting_on: date, amendment_notice_on: date | None = None) -> ReviewDates:
    return ReviewDates(
        invitations_by=add_weeks(meeting_on, -INVITATION_WEEKS),
        report_due=add_weeks(meeting_on, REPORT_WEEKS),
        la_decision_due=add_weeks(meeting_on, LA_DECISION_WEEKS),
        amended_plan_due=(
            add_weeks(amendment_notice_on, AMENDED_PLAN_WEEKS) if amendment_notice_on else None
        ),
    )


# -- phase transfers (reg. 18; Code 9.179) ------------------------------------------------------

# The last year group of each phase, and whether its leavers move to post-16 (a further education
# or sixth-form college, reg. 18(1)(b): 31 March) rather than to another school (reg. 18(1)(a):
# 15 February). Secondaries and all-through schools keep their Year 11s when they have a sixth
# form; their leavers are then the Year 13s.
TRANSFER_FEBRUARY_15 = (2, 15)
TRANSFER_MARCH_31 = (3, 31)


def final_year_group(phase: str, has_sixth_form: bool) -> str | None:
    if phase == "nursery":
        return "N2"
    if phase == "primary":
        return "6"
    if phase == "middle":
        return "8"
    if phase in ("secondary", "all_through", "special"):
        return "13" if has_sixth_form else "11"
    return None  # alternative provision, 16 plus: no phase transfer the school plans for


def amend_by(*, phase: str, has_sixth_form: bool, year_group: str, today: date) -> date | None:
    """When a plan must be reviewed and amended for the pupil's move to the next phase: for a
    pupil in the last year group of the school's phase this academic year, 15 February of the
    calendar year of transfer (reg. 18(1)(a)), or 31 March for a move from secondary school to
    post-16 (reg. 18(1)(b)); None for everyone else."""
    final = final_year_group(phase, has_sixth_form)
    if final is None or year_group != final:
        return None
    transfer_year = academic_year_start(today).year + 1
    month, day = TRANSFER_MARCH_31 if final in ("11", "13") else TRANSFER_FEBRUARY_15
    return date(transfer_year, month, day)


def phase_transfer_shows_from(amend_by_date: date) -> date:
    """Transfers show on the SENCo's home page from the start of the autumn term of the transfer
    year (1 September before the deadline)."""
    return date(amend_by_date.year - 1, 9, 1)


# -- deadlines: status and urgency -------------------------------------------------------------

DONE = "done"
DONE_LATE = "done_late"
OVERDUE = "overdue"
UPCOMING = "upcoming"
STATUSES = (DONE, DONE_LATE, OVERDUE, UPCOMING)


def deadline_status(*, due: date, done_on: date | None, today: date) -> str:
    """done / done_late (after the due date, by anyone: the LA's lateness is evidence too) /
    overdue (not done and the due date has passed) / upcoming."""
    if done_on is not None:
        return DONE_LATE if done_on > due else DONE
    return OVERDUE if due < today else UPCOMING


def is_late(*, due: date, done_on: date | None, today: date) -> bool:
    return deadline_status(due=due, done_on=done_on, today=today) in (DONE_LATE, OVERDUE)


OVERDUE_BUCKET = "overdue"
THIS_WEEK = "this_week"
NEXT_FOUR_WEEKS = "next_four_weeks"
LATER = "later"
BUCKETS = (OVERDUE_BUCKET, THIS_WEEK, NEXT_FOUR_WEEKS, LATER)
BUCKET_LABELS = {
    OVERDUE_BUCKET: "Overdue",
    THIS_WEEK: "This week",
    NEXT_FOUR_WEEKS: "Next four weeks",
    LATER: "Later",
}
RAG = {OVERDUE_BUCKET: "red", THIS_WEEK: "red", NEXT_FOUR_WEEKS: "amber", LATER: "green"}
THIS_WEEK_DAYS = 7  # due today or in the next six days
FOUR_WEEKS_DAYS = 28  # "the next four weeks" counts from today, this week included


def bucket(*, due: date, today: date) -> str:
    """Where an open deadline sits on the statutory calendar."""
    days = (due - today).days
    if days < 0:
        return OVERDUE_BUCKET
    if days < THIS_WEEK_DAYS:
        return THIS_WEEK
    if days < FOUR_WEEKS_DAYS:
        return NEXT_FOUR_WEEKS
    return LATER


def rag(*, due: date, today: date) -> str:
    return RAG[bucket(due=due, today=today)]


def within_digest(*, due: date, today: date) -> bool:
    """The weekly digest lists what is overdue and what falls due in the next four weeks."""
    return (due - today).days < FOUR_WEEKS_DAYS


# -- checks on dates a user enters (bad input) --------------------------------------------------


def step_date_errors(
    steps: list[tuple[str, date | None, str, date | None, str]], *, today: date
) -> dict[str, list[str]]:
    """For each (field, value, label, must_not_precede, what_it_follows): a step cannot be done
    in the future nor before the step it follows."""
    errors: dict[str, list[str]] = {}
    for field, value, label, after, after_label in steps:
        if value is None:
            continue
        if value > today:
            errors.setdefault(field, []).append(
                f"{label} cannot be in the future: record a step once it has happened."
            )
        if after is not None and value < after:
            errors.setdefault(field, []).append(
                f"{label} cannot be before {after_label} ({after:%-d %B %Y})."
            )
    return errors
