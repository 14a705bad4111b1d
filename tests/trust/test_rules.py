"""Shared SENCo checks, one table per rule. Source: SEND Code of Practice 0-25 (2015) paras
6.84-6.94, and the trust's own thresholds."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest

from apps.trust import rules

TODAY = date(2026, 11, 23)
THRESHOLDS = rules.Thresholds(
    significant_teaching_hours=D(5),
    min_minutes_per_pupil_on_roll=D(5),
    min_minutes_per_pupil_on_register=D(30),
)
QUALIFIED = rules.Qualification(
    appointed_on=date(2020, 9, 1), has_qts=True, holds_award=True, award_label="NPQ for SENCOs held"
)


def facts(**changes) -> rules.ArrangementFacts:
    base = rules.ArrangementFacts(
        senco_name="Helen Carter",
        teaching_hours_per_week=D(0),
        schools=[
            rules.SchoolTime("Oakfield", D(15), 200, 20),
            rules.SchoolTime("Birchwood", D(15), 100, 10),
        ],
        headteacher_at=[],
        qualification=QUALIFIED,
        next_review_due=date(2027, 1, 1),
        thresholds=THRESHOLDS,
        today=TODAY,
    )
    return replace(base, **changes)


def result(check, **changes) -> rules.CheckResult:
    return check(facts(**changes))


def test_a_compliant_arrangement_passes_every_check():
    assert [c.status for c in rules.run_checks(facts())] == ["pass"] * 7


@pytest.mark.parametrize(("headteacher_at", "status"), [([], "pass"), (["Birchwood"], "fail")])
def test_headteacher_check(headteacher_at, status):
    r = result(rules.check_headteacher, headteacher_at=headteacher_at)
    assert r.status == status
    if status == "fail":
        assert (
            r.reason
            == "Helen Carter is the headteacher at Birchwood. A shared SENCo must not be a headteacher at one of the schools."
        )


@pytest.mark.parametrize(
    ("hours", "status"), [(D(0), "pass"), (D(5), "pass"), (D("5.5"), "fail"), (D(20), "fail")]
)
def test_teaching_commitment_is_significant_above_the_trusts_threshold(hours, status):
    r = result(rules.check_teaching, teaching_hours_per_week=hours)
    assert r.status == status
    if status == "fail":
        assert "more than the trust's limit of 5 hours" in r.reason


@pytest.mark.parametrize(
    ("hours", "rolls", "status", "per_pupil"),
    [
        ((D(10), D(10)), (200, 100), "fail", "4"),  # 1200 minutes / 300 pupils
        ((D(13), D(12)), (200, 100), "pass", "5"),  # exactly the minimum passes
        ((D(20), D(10)), (200, 100), "pass", "6"),
        ((D(6), D(4)), (196, 186), "fail", "1.6"),
    ],
)
def test_time_per_pupil_on_roll(hours, rolls, status, per_pupil):
    schools = [
        rules.SchoolTime("A", hours[0], rolls[0], 1),
        rules.SchoolTime("B", hours[1], rolls[1], 1),
    ]
    r = result(rules.check_time_per_pupil_on_roll, schools=schools)
    assert r.status == status
    assert f"{per_pupil} minutes a week per pupil" in r.reason


def test_time_per_pupil_on_roll_reason_names_the_figures():
    schools = [
        rules.SchoolTime("Oakfield", D(6), 196, 10),
        rules.SchoolTime("Birchwood", D(4), 104, 5),
        rules.SchoolTime("Cedar", D(3), 82, 5),
    ]
    r = result(rules.check_time_per_pupil_on_roll, schools=schools)
    assert r.status == "fail"
    assert r.reason.startswith(
        "Helen Carter has 13 hours a week across 382 pupils on roll in 3 schools: 2.0 minutes a week per pupil, below the trust's minimum of 5 minutes."
    )


def test_time_per_pupil_on_roll_is_unknown_without_a_roll():
    r = result(rules.check_time_per_pupil_on_roll, schools=[rules.SchoolTime("A", D(5), 0, 0)])
    assert r.status == "unknown"


@pytest.mark.parametrize(
    ("on_register", "status"),
    [((20, 10), "pass"), ((30, 10), "pass"), ((31, 10), "fail"), ((0, 0), "pass")],
)
def test_time_per_pupil_on_the_register(on_register, status):
    # 20 hours = 1200 minutes: 40 pupils get exactly the minimum of 30 minutes each; 41 fall below.
    schools = [
        rules.SchoolTime("A", D(10), 200, on_register[0]),
        rules.SchoolTime("B", D(10), 100, on_register[1]),
    ]
    r = result(rules.check_time_per_pupil_on_register, schools=schools)
    assert r.status == status


def test_time_per_pupil_on_the_register_waits_for_figures():
    r = result(
        rules.check_time_per_pupil_on_register,
        schools=[rules.SchoolTime("A", D(10), 200, None), rules.SchoolTime("B", D(10), 100, 3)],
    )
    assert r.status == "unknown"
    assert "no register figures yet for A" in r.reason


@pytest.mark.parametrize(("has_qts", "status"), [(True, "pass"), (False, "fail")])
def test_the_senco_must_be_a_qualified_teacher(has_qts, status):
    r = result(rules.check_qts, qualification=replace(QUALIFIED, has_qts=has_qts))
    assert r.status == status
    if not has_qts:
        assert (
            r.reason
            == "Helen Carter does not hold qualified teacher status. The SENCo must be a qualified teacher."
        )


def test_missing_qualification_record_is_unknown_not_a_pass():
    assert result(rules.check_qts, qualification=None).status == "unknown"
    assert result(rules.check_award, qualification=None).status == "unknown"


@pytest.mark.parametrize(
    ("appointed_on", "holds", "status", "snippet"),
    [
        (date(2020, 9, 1), True, "pass", "holds the NPQ for SENCOs"),
        (date(2023, 1, 1), False, "fail", "deadline was 1 January 2026, 326 days ago"),
        (
            date(2023, 11, 23),
            False,
            "fail",
            "deadline was 23 November 2026, 0 days ago",
        ),  # deadline is the last day
        (date(2024, 1, 1), False, "warning", "by 1 January 2027: 39 days left"),
        (date(2025, 9, 1), False, "pass", "by 1 September 2028: 648 days left"),
    ],
)
def test_mandatory_qualification_within_three_years(appointed_on, holds, status, snippet):
    q = rules.Qualification(
        appointed_on=appointed_on,
        has_qts=True,
        holds_award=holds,
        award_label="NPQ for SENCOs held" if holds else "NPQ for SENCOs in progress",
    )
    r = result(rules.check_award, qualification=q)
    if appointed_on == date(2023, 11, 23):
        # On the deadline day itself the SENCo still has the day: not failed yet.
        assert r.status == "warning" and "0 days left" in r.reason
        return
    assert r.status == status
    assert snippet in r.reason


def test_qualification_deadline_handles_29_february():
    assert rules.qualification_deadline(date(2024, 2, 29)) == date(2027, 2, 28)


@pytest.mark.parametrize(
    ("due", "status"),
    [(date(2026, 11, 23), "pass"), (date(2026, 11, 22), "fail"), (date(2026, 1, 1), "fail")],
)
def test_review_overdue(due, status):
    r = result(rules.check_review, next_review_due=due)
    assert r.status == status
    if due == date(2026, 11, 22):
        assert r.reason.startswith(
            "The effectiveness review was due on 22 November 2026 and is 1 day overdue."
        )


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 11, 23), 12, date(2027, 11, 23)),
        (date(2026, 10, 15), 6, date(2027, 4, 15)),
    ],
)
def test_add_months_for_the_next_review(day, months, expected):
    assert rules.add_months(day, months) == expected


def test_a_small_register_total_is_not_shown_in_the_reason():
    r = result(
        rules.check_time_per_pupil_on_register,
        schools=[rules.SchoolTime("A", D(1), 200, 2), rules.SchoolTime("B", D(1), 100, 1)],
    )
    assert "their number is not shown" in r.reason and " 3 pupils" not in r.reason
    # Nor the minutes per pupil: 2 hours / 40 minutes a pupil would give 3 back.
    assert "minutes a week per pupil" not in r.reason and "40" not in r.reason


def test_a_register_total_the_trust_hides_is_not_shown_in_the_reason():
    r = result(
        rules.check_time_per_pupil_on_register,
        schools=[rules.SchoolTime("A", D(1), 200, 20), rules.SchoolTime("B", D(1), 100, 10)],
        extra={"register_total_suppressed": True},
    )
    assert "their number is not shown" in r.reason and "30 pupils" not in r.reason
    assert "15 hours" not in r.reason  # the hours that would pass give the count back
    assert "minutes a week per pupil" not in r.reason
