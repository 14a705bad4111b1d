"""Shared SENCo checks and the SENCo qualification deadline: pure code, dates and numbers in,
results with plain-English reasons out.

Sources: SEND Code of Practice 0-25 (2015) paras 6.84-6.94 (the SENCo must be a qualified teacher
working at the school; a SENCo new to the role must gain the mandatory qualification within three
years of appointment - the NPQ for SENCOs from 1 September 2024, National Award holders exempt;
smaller primaries may share a SENCo where that secures enough time and administrative support for
the total registered pupil population, the SENCo should not normally have a significant class
teaching commitment, must not be a headteacher at one of the schools, and the arrangement should be
reviewed regularly).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

PASS = "pass"
FAIL = "fail"
WARN = "warning"
UNKNOWN = "unknown"

QUALIFICATION_YEARS = 3


@dataclass(frozen=True)
class CheckResult:
    key: str
    title: str
    status: str
    reason: str

    @property
    def failed(self) -> bool:
        return self.status == FAIL


@dataclass(frozen=True)
class SchoolTime:
    school_name: str
    hours_per_week: Decimal
    number_on_roll: int
    on_register: int | None  # pupils with SEN support or an EHC plan; None: no figures yet


@dataclass(frozen=True)
class Qualification:
    appointed_on: date
    has_qts: bool
    holds_award: bool
    award_label: str


@dataclass(frozen=True)
class Thresholds:
    significant_teaching_hours: Decimal
    min_minutes_per_pupil_on_roll: Decimal
    min_minutes_per_pupil_on_register: Decimal


@dataclass(frozen=True)
class ArrangementFacts:
    senco_name: str
    teaching_hours_per_week: Decimal
    schools: list[SchoolTime]
    headteacher_at: list[str]
    qualification: Qualification | None
    next_review_due: date
    thresholds: Thresholds
    today: date
    extra: dict = field(default_factory=dict)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def qualification_deadline(appointed_on: date) -> date:
    return add_years(appointed_on, QUALIFICATION_YEARS)


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def _fmt(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _num(value: Decimal | float) -> str:
    value = float(value)
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def check_headteacher(f: ArrangementFacts) -> CheckResult:
    title = "Not a headteacher at one of the schools"
    if f.headteacher_at:
        return CheckResult(
            "headteacher",
            title,
            FAIL,
            f"{f.senco_name} is the headteacher at {', '.join(f.headteacher_at)}. "
            "A shared SENCo must not be a headteacher at one of the schools.",
        )
    return CheckResult(
        "headteacher", title, PASS, f"{f.senco_name} is not a headteacher at any of the schools."
    )


def check_teaching(f: ArrangementFacts) -> CheckResult:
    title = "No significant class teaching commitment"
    limit = f.thresholds.significant_teaching_hours
    if f.teaching_hours_per_week > limit:
        return CheckResult(
            "teaching",
            title,
            FAIL,
            f"{f.senco_name} teaches classes for {_num(f.teaching_hours_per_week)} hours a week, more than the "
            f"trust's limit of {_num(limit)} hours. A shared SENCo should not normally have a significant "
            "class teaching commitment.",
        )
    return CheckResult(
        "teaching",
        title,
        PASS,
        f"{f.senco_name} teaches classes for {_num(f.teaching_hours_per_week)} hours a week "
        f"(the trust's limit is {_num(limit)}).",
    )


def _total_hours(f: ArrangementFacts) -> Decimal:
    return sum((s.hours_per_week for s in f.schools), Decimal(0))


def hours_needed(minutes_per_pupil: Decimal, pupils: int) -> Decimal:
    """The weekly hours that give `pupils` pupils `minutes_per_pupil` minutes each, rounded UP to
    the form's tenths of an hour (rounding down would still fail the check)."""
    exact = Decimal(minutes_per_pupil) * pupils / 60
    return (exact * 10).to_integral_value(rounding="ROUND_CEILING") / 10


def what_would_pass(hours: Decimal, minimum: Decimal, pupils: int, who: str) -> str:
    """The sentence a failed time check ends with: the hours that would pass, and how many more
    that is, so the trust knows what to change rather than only that it fails."""
    needed = hours_needed(minimum, pupils)
    exact = Decimal(minimum) * pupils / 60
    return (
        f"It would pass with at least {_num(needed)} hours a week across the schools "
        f"({_num(minimum)} minutes for each of {pupils} {who} is about {_num(exact)} hours), "
        f"{_num(needed - hours)} more than now."
    )


def check_time_per_pupil_on_roll(f: ArrangementFacts) -> CheckResult:
    title = "Enough time for the pupils on roll"
    hours = _total_hours(f)
    roll = sum(s.number_on_roll for s in f.schools)
    minimum = f.thresholds.min_minutes_per_pupil_on_roll
    if roll == 0:
        return CheckResult(
            "time_roll",
            title,
            UNKNOWN,
            "The schools have no pupils on roll recorded, so time per pupil cannot be checked.",
        )
    per_pupil = hours * 60 / roll
    detail = (
        f"{f.senco_name} has {_num(hours)} hours a week across {roll} pupils on roll in "
        f"{len(f.schools)} schools: {_num(per_pupil)} minutes a week per pupil"
    )
    if per_pupil < minimum:
        return CheckResult(
            "time_roll",
            title,
            FAIL,
            f"{detail}, below the trust's minimum of {_num(minimum)} minutes. The arrangement must secure "
            "enough time for the total registered pupil population across the schools. "
            + what_would_pass(hours, minimum, roll, "pupils on roll"),
        )
    return CheckResult(
        "time_roll", title, PASS, f"{detail} (the trust's minimum is {_num(minimum)})."
    )


def check_time_per_pupil_on_register(f: ArrangementFacts) -> CheckResult:
    title = "Enough time for the pupils on the SEN register"
    missing = [s.school_name for s in f.schools if s.on_register is None]
    if missing:
        return CheckResult(
            "time_register",
            title,
            UNKNOWN,
            f"There are no register figures yet for {', '.join(missing)}; refresh the trust's figures to check this.",
        )
    hours = _total_hours(f)
    on_register = sum(s.on_register or 0 for s in f.schools)
    minimum = f.thresholds.min_minutes_per_pupil_on_register
    if on_register == 0:
        return CheckResult(
            "time_register", title, PASS, "No pupils are on the SEN register in these schools."
        )
    per_pupil = hours * 60 / on_register
    # Never broken down per school here; a total from 1 to 4 is not shown at all, nor one the
    # trust's suppression hides (with the schools' other figures it would give a small one
    # away), nor then the minutes per pupil (hours / minutes would give it back).
    not_shown = on_register < 5 or bool(f.extra.get("register_total_suppressed"))
    if not_shown:
        detail = (
            f"{f.senco_name} has {_num(hours)} hours a week for the pupils on the SEN register "
            "across the schools (their number is not shown: it could identify a child)"
        )
    else:
        detail = (
            f"{f.senco_name} has {_num(hours)} hours a week for {on_register} pupils on the SEN "
            f"register across the schools: {_num(per_pupil)} minutes a week per pupil"
        )
    if per_pupil < minimum:
        return CheckResult(
            "time_register",
            title,
            FAIL,
            f"{detail}, below the trust's minimum of {_num(minimum)} minutes."
            # A count not shown is not shown through the hours that would pass either.
            + (
                ""
                if not_shown
                else " " + what_would_pass(hours, minimum, on_register, "pupils on the register")
            ),
        )
    return CheckResult(
        "time_register", title, PASS, f"{detail} (the trust's minimum is {_num(minimum)})."
    )


def check_qts(f: ArrangementFacts) -> CheckResult:
    title = "A qualified teacher"
    q = f.qualification
    if q is None:
        return CheckResult(
            "qts",
            title,
            UNKNOWN,
            f"No qualification record for {f.senco_name}: record their QTS and SENCo qualification.",
        )
    if not q.has_qts:
        return CheckResult(
            "qts",
            title,
            FAIL,
            f"{f.senco_name} does not hold qualified teacher status. The SENCo must be a qualified teacher.",
        )
    return CheckResult("qts", title, PASS, f"{f.senco_name} holds qualified teacher status.")


def qualification_status(q: Qualification, *, today: date, name: str) -> CheckResult:
    title = "Mandatory SENCo qualification within 3 years"
    deadline = qualification_deadline(q.appointed_on)
    if q.holds_award:
        return CheckResult(
            "award",
            title,
            PASS,
            f"{name} holds the {q.award_label.replace(' held', '').replace(' (exempt)', '')}.",
        )
    left = (deadline - today).days
    if left < 0:
        return CheckResult(
            "award",
            title,
            FAIL,
            f"{name} was appointed on {_fmt(q.appointed_on)} and has not gained the NPQ for SENCOs within "
            f"3 years: the deadline was {_fmt(deadline)}, {_days(-left)} ago.",
        )
    return CheckResult(
        "award",
        title,
        WARN if left <= 365 else PASS,
        f"{name} must gain the NPQ for SENCOs by {_fmt(deadline)}: {_days(left)} left "
        f"(currently: {q.award_label}).",
    )


def check_award(f: ArrangementFacts) -> CheckResult:
    if f.qualification is None:
        return CheckResult(
            "award",
            "Mandatory SENCo qualification within 3 years",
            UNKNOWN,
            f"No qualification record for {f.senco_name}: record their appointment date and qualification.",
        )
    return qualification_status(f.qualification, today=f.today, name=f.senco_name)


def check_review(f: ArrangementFacts) -> CheckResult:
    title = "Reviewed on time"
    late = (f.today - f.next_review_due).days
    if late > 0:
        return CheckResult(
            "review",
            title,
            FAIL,
            f"The effectiveness review was due on {_fmt(f.next_review_due)} and is {_days(late)} overdue. "
            "Shared arrangements must be reviewed regularly and ended where they harm provision.",
        )
    return CheckResult(
        "review", title, PASS, f"The next effectiveness review is due on {_fmt(f.next_review_due)}."
    )


CHECKS = (
    check_headteacher,
    check_teaching,
    check_time_per_pupil_on_roll,
    check_time_per_pupil_on_register,
    check_qts,
    check_award,
    check_review,
)


def run_checks(facts: ArrangementFacts) -> list[CheckResult]:
    return [check(facts) for check in CHECKS]
