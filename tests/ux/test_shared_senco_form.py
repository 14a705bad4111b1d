"""Issue #15 item 17: a failed time check says what would pass, computed from the rule (minutes
per pupil x pupils / 60, rounded up to the form's tenths), never hard-coded."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from apps.trust import rules

THRESHOLDS = rules.Thresholds(D(5), D(5), D(30))


def facts(schools: list[rules.SchoolTime]) -> rules.ArrangementFacts:
    return rules.ArrangementFacts(
        senco_name="Helen Carter",
        teaching_hours_per_week=D(0),
        schools=schools,
        headteacher_at=[],
        qualification=None,
        next_review_due=date(2026, 9, 1),
        thresholds=THRESHOLDS,
        today=date(2026, 1, 10),
    )


def test_oakfield_birchwood_and_cedar_would_pass_with_about_31_8_hours():
    # 382 pupils on roll x 5 minutes = 1,910 minutes = 31.83 hours: 31.8 would still fail.
    result = rules.check_time_per_pupil_on_roll(
        facts(
            [
                rules.SchoolTime("Oakfield", D(6), 196, 10),
                rules.SchoolTime("Birchwood", D(4), 104, 5),
                rules.SchoolTime("Cedar", D(3), 82, 5),
            ]
        )
    )
    assert result.status == "fail"
    assert result.reason.endswith(
        "It would pass with at least 31.9 hours a week across the schools (5 minutes for each of "
        "382 pupils on roll is about 31.8 hours), 18.9 more than now."
    )
    passing = rules.check_time_per_pupil_on_roll(
        facts(
            [
                rules.SchoolTime("Oakfield", D("14.9"), 196, 10),
                rules.SchoolTime("Birchwood", D(10), 104, 5),
                rules.SchoolTime("Cedar", D(7), 82, 5),
            ]
        )
    )
    assert passing.status == "pass"  # 31.9 hours: exactly what the failure asked for


@pytest.mark.parametrize(
    ("minutes", "pupils", "needed"),
    [(D(5), 382, D("31.9")), (D(5), 120, D(10)), (D(30), 25, D("12.5")), (D(30), 7, D("3.5"))],
)
def test_hours_needed_rounds_up_to_tenths(minutes, pupils, needed):
    assert rules.hours_needed(minutes, pupils) == needed
    assert needed * 60 / pupils >= minutes


def test_a_failed_register_check_says_what_would_pass_but_never_for_fewer_than_5():
    many = rules.check_time_per_pupil_on_register(
        facts([rules.SchoolTime("A", D(3), 100, 10), rules.SchoolTime("B", D(2), 100, 10)])
    )
    assert many.status == "fail"
    assert "It would pass with at least 10 hours a week" in many.reason  # 20 x 30 min
    few = rules.check_time_per_pupil_on_register(
        facts([rules.SchoolTime("A", D("0.5"), 100, 2), rules.SchoolTime("B", D("0.5"), 100, 2)])
    )
    assert few.status == "fail"
    assert "would pass" not in few.reason and "their number is not shown" in few.reason
