"""The deadline engine, table by table. Each row cites its rule: SEND Regulations 2014
(SI 2014/1530, "reg.") or the SEND Code of Practice 0-25 (2015, "Code")."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.ehcp import rules

D = date


# -- EHC needs assessment ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "requested_on, decision_due, refusal_notice_due, final_plan_due, why",
    [
        (D(2026, 1, 5), D(2026, 2, 16), D(2026, 4, 27), D(2026, 5, 25), "reg. 5(1), 10(1), 13(2)"),
        # year boundary: 6 weeks from mid-December lands in January
        (D(2025, 12, 1), D(2026, 1, 12), D(2026, 3, 23), D(2026, 4, 20), "across the new year"),
        # leap year: 29 February counted as a day
        (D(2028, 2, 1), D(2028, 3, 14), D(2028, 5, 23), D(2028, 6, 20), "leap February 2028"),
        (D(2027, 2, 1), D(2027, 3, 15), D(2027, 5, 24), D(2027, 6, 21), "common February 2027"),
        # month end
        (D(2026, 1, 31), D(2026, 3, 14), D(2026, 5, 23), D(2026, 6, 20), "from a month's end"),
        # holidays do not stop the clock (weeks are calendar weeks, Code 9.14)
        (D(2026, 7, 20), D(2026, 8, 31), D(2026, 11, 9), D(2026, 12, 7), "over the summer"),
    ],
)
def test_assessment_dates(requested_on, decision_due, refusal_notice_due, final_plan_due, why):
    dates = rules.assessment_dates(requested_on)
    assert (dates.decision_due, dates.refusal_notice_due, dates.final_plan_due) == (
        decision_due,
        refusal_notice_due,
        final_plan_due,
    ), why


# -- months ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "start, months, expected, why",
    [
        (D(2024, 2, 29), 12, D(2025, 2, 28), "29 February + 12 months = 28 February (issue #13)"),
        (D(2027, 2, 28), 12, D(2028, 2, 28), "28 February stays 28 February in a leap year"),
        (D(2028, 2, 29), 48, D(2032, 2, 29), "leap to leap"),
        (D(2026, 8, 31), 6, D(2027, 2, 28), "31 August + 6 months = end of February"),
        (D(2027, 8, 31), 6, D(2028, 2, 29), "... = 29 February in a leap year"),
        (D(2026, 12, 15), 12, D(2027, 12, 15), "year boundary"),
        (D(2026, 10, 31), 6, D(2027, 4, 30), "30-day month"),
        (D(2026, 3, 31), -1, D(2026, 2, 28), "backwards"),
    ],
)
def test_add_months(start, months, expected, why):
    assert rules.add_months(start, months) == expected, why


# -- annual review due (CFA 2014 s.44(1); Code 9.166, 9.178) -----------------------------------
@pytest.mark.parametrize(
    "issued_on, last_meeting, dob, expected, why",
    [
        (
            D(2026, 3, 10),
            None,
            D(2015, 5, 1),
            D(2027, 3, 10),
            "12 months after issue (s.44, Code 9.166)",
        ),
        (
            D(2025, 3, 10),
            D(2026, 2, 20),
            D(2015, 5, 1),
            D(2027, 2, 20),
            "12 months after last review",
        ),
        (D(2024, 2, 29), None, D(2012, 1, 1), D(2025, 2, 28), "issued 29 Feb: due 28 Feb"),
        (
            D(2026, 1, 15),
            None,
            D(2022, 6, 1),
            D(2026, 7, 15),
            "under 5 at issue: 6 months (Code 9.178)",
        ),
        # the child's age on the date the period starts decides
        (D(2026, 5, 31), None, D(2021, 6, 1), D(2026, 11, 30), "4 the day before the 5th birthday"),
        (D(2026, 6, 1), None, D(2021, 6, 1), D(2027, 6, 1), "5 on the birthday: 12 months"),
        (
            D(2025, 1, 10),
            D(2026, 1, 9),
            D(2021, 1, 10),
            D(2026, 7, 9),
            "under 5 at the last review",
        ),
        (D(2025, 1, 10), D(2026, 1, 10), D(2021, 1, 10), D(2027, 1, 10), "5 at the last review"),
        # born 29 February: turns 5 on 1 March in a common year
        (D(2029, 2, 28), None, D(2024, 2, 29), D(2029, 8, 28), "leapling not yet 5 on 28 Feb 2029"),
        (D(2029, 3, 1), None, D(2024, 2, 29), D(2030, 3, 1), "leapling 5 on 1 March 2029"),
        (D(2026, 8, 31), None, D(2023, 1, 1), D(2027, 2, 28), "under 5, month end"),
    ],
)
def test_next_review_due(issued_on, last_meeting, dob, expected, why):
    due = rules.next_review_due(
        issued_on=issued_on, last_review_meeting_on=last_meeting, date_of_birth=dob
    )
    assert due == expected, why


# -- review meeting steps (reg. 20, 22; Code 9.176, 9.194) -------------------------------------
@pytest.mark.parametrize(
    "meeting_on, notice_on, invitations_by, report_due, la_decision_due, amended_plan_due",
    [
        (D(2026, 3, 10), None, D(2026, 2, 24), D(2026, 3, 24), D(2026, 4, 7), None),
        (
            D(2026, 1, 8),
            D(2026, 1, 30),
            D(2025, 12, 25),
            D(2026, 1, 22),
            D(2026, 2, 5),
            D(2026, 3, 27),
        ),
        (
            D(2028, 3, 7),
            D(2028, 3, 28),
            D(2028, 2, 22),
            D(2028, 3, 21),
            D(2028, 4, 4),
            D(2028, 5, 23),
        ),
        (
            D(2026, 12, 22),
            D(2026, 12, 31),
            D(2026, 12, 8),
            D(2027, 1, 5),
            D(2027, 1, 19),
            D(2027, 2, 25),
        ),
    ],
)
def test_review_dates(
    meeting_on, notice_on, invitations_by, report_due, la_decision_due, amended_plan_due
):
    dates = rules.review_dates(meeting_on=meeting_on, amendment_notice_on=notice_on)
    # reg. 20(3)-(4) two weeks before; 20(7) report within two weeks; 20(10) LA within four
    # weeks; reg. 22(5) amended plan within 8 weeks of the amendment notice
    assert dates == rules.ReviewDates(invitations_by, report_due, la_decision_due, amended_plan_due)


# -- phase transfers (reg. 18; Code 9.179) -----------------------------------------------------
@pytest.mark.parametrize(
    "phase, sixth, year, today, expected, why",
    [
        (
            "primary",
            False,
            "6",
            D(2026, 11, 27),
            D(2027, 2, 15),
            "Y6 to secondary: 15 Feb (reg. 18(1)(a))",
        ),
        (
            "primary",
            False,
            "6",
            D(2027, 2, 16),
            D(2027, 2, 15),
            "same academic year, after the date",
        ),
        ("primary", False, "6", D(2027, 9, 1), D(2028, 2, 15), "new academic year, new cohort"),
        ("primary", False, "6", D(2027, 8, 31), D(2027, 2, 15), "31 August is still last year"),
        ("primary", False, "5", D(2026, 11, 27), None, "not the final year: null"),
        (
            "secondary",
            False,
            "11",
            D(2026, 11, 27),
            D(2027, 3, 31),
            "Y11, no sixth form: 31 March (reg. 18(1)(b))",
        ),
        ("secondary", True, "11", D(2026, 11, 27), None, "Y11 staying in the sixth form"),
        ("secondary", True, "13", D(2026, 11, 27), D(2027, 3, 31), "Y13 leaving the sixth form"),
        (
            "all_through",
            False,
            "11",
            D(2026, 9, 1),
            D(2027, 3, 31),
            "all-through without sixth form",
        ),
        ("nursery", False, "N2", D(2026, 10, 1), D(2027, 2, 15), "nursery into school: 15 Feb"),
        ("middle", False, "8", D(2026, 10, 1), D(2027, 2, 15), "middle to upper school"),
        ("alternative_provision", False, "11", D(2026, 10, 1), None, "no planned phase"),
    ],
)
def test_amend_by(phase, sixth, year, today, expected, why):
    assert (
        rules.amend_by(phase=phase, has_sixth_form=sixth, year_group=year, today=today) == expected
    ), why


def test_phase_transfer_shows_from_the_autumn_term():
    assert rules.phase_transfer_shows_from(D(2027, 2, 15)) == D(2026, 9, 1)


# -- status and the calendar -------------------------------------------------------------------
TODAY = D(2026, 11, 27)


@pytest.mark.parametrize(
    "due, done_on, status",
    [
        (D(2026, 11, 20), D(2026, 11, 20), "done"),  # on the day is on time
        (D(2026, 11, 20), D(2026, 11, 21), "done_late"),  # a day late, by anyone
        (D(2026, 11, 26), None, "overdue"),
        (D(2026, 11, 27), None, "upcoming"),  # due today is not yet overdue
        (D(2026, 12, 27), D(2026, 11, 1), "done"),  # done early
    ],
)
def test_deadline_status(due, done_on, status):
    assert rules.deadline_status(due=due, done_on=done_on, today=TODAY) == status


@pytest.mark.parametrize(
    "due, bucket, rag",
    [
        (D(2026, 11, 26), "overdue", "red"),
        (D(2026, 11, 27), "this_week", "red"),
        (D(2026, 12, 3), "this_week", "red"),
        (D(2026, 12, 4), "next_four_weeks", "amber"),
        (D(2026, 12, 24), "next_four_weeks", "amber"),
        (D(2026, 12, 25), "later", "green"),
    ],
)
def test_calendar_buckets(due, bucket, rag):
    assert rules.bucket(due=due, today=TODAY) == bucket
    assert rules.rag(due=due, today=TODAY) == rag
    assert rules.within_digest(due=due, today=TODAY) == (bucket != "later")


def test_step_dates_refuse_the_future_and_the_wrong_order():
    errors = rules.step_date_errors(
        [
            ("decision_on", D(2026, 12, 1), "The LA's decision", D(2026, 10, 1), "the request"),
            ("final_plan_on", D(2026, 9, 1), "The final plan", D(2026, 10, 1), "the draft plan"),
            ("draft_plan_on", None, "The draft", D(2026, 10, 1), "x"),
        ],
        today=TODAY,
    )
    assert set(errors) == {"decision_on", "final_plan_on"}
    assert "future" in errors["decision_on"][0]
    assert "before the draft plan (1 October 2026)" in errors["final_plan_on"][0]


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2090, 12, 31)), st.integers(-240, 240))
def test_add_months_properties(start, months):
    result = rules.add_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    assert result.day == start.day or (
        result.day < start.day and (result + __import__("datetime").timedelta(days=1)).day == 1
    )


@given(
    st.dates(min_value=D(2000, 1, 1), max_value=D(2080, 12, 31)),
    st.dates(min_value=D(1995, 1, 1), max_value=D(2080, 1, 1)),
)
def test_review_is_due_six_or_twelve_months_on(issued_on, dob):
    due = rules.next_review_due(issued_on=issued_on, last_review_meeting_on=None, date_of_birth=dob)
    months = 6 if rules.age_on(dob, issued_on) < 5 else 12
    assert due == rules.add_months(issued_on, months)
    assert due > issued_on
