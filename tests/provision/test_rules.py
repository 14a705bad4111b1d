"""Provision arithmetic (issue #12): annual cost = staff time x hourly cost / group size +
resources over 38 teaching weeks; overlaps; impact figures."""

from datetime import time
from decimal import Decimal

import pytest

from apps.provision import rules


@pytest.mark.parametrize(
    "per_week, minutes, hourly, size, resources, expected",
    [
        (3, 20, "15.00", 1, "0", "570.00"),  # 1:1, 1 hour a week: 38 h x £15
        (3, 20, "15.00", 3, "0", "190.00"),  # shared by a group of 3
        (2, 30, "14.50", 6, "25.00", "116.83"),  # 38 h x 14.50 / 6 + 25
        (5, 60, "20.00", 1, "100.00", "3900.00"),  # 190 h x £20 + £100
    ],
)
def test_annual_cost_per_pupil(per_week, minutes, hourly, size, resources, expected):
    cost = rules.annual_cost_per_pupil(
        sessions_per_week=per_week,
        session_minutes=minutes,
        hourly_staff_cost=Decimal(hourly),
        group_size=size,
        resource_cost=Decimal(resources),
    )
    assert cost == Decimal(expected)


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"hourly_staff_cost": "-1"}, "hourly_staff_cost", "cannot be negative"),
        ({"resource_cost": "-0.01"}, "resource_cost", "cannot be negative"),
        ({"resource_cost": "lots"}, "resource_cost", "amount in pounds"),
        ({"group_size": 0}, "group_size", "between 1 and 40"),
        ({"sessions_per_week": "x"}, "sessions_per_week", "whole number"),
        ({"name": "  "}, "name", "Give the intervention a name"),
    ],
)
def test_intervention_errors(fields, field, message):
    good = dict(
        name="Lexia",
        hourly_staff_cost="14",
        resource_cost="0",
        group_size=4,
        sessions_per_week=3,
        session_minutes=20,
    )
    errors = rules.intervention_errors(good | fields)
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert rules.intervention_errors(good) == {}


@pytest.mark.parametrize(
    "a, am, b, bm, expected",
    [
        (time(9, 0), 30, time(9, 30), 30, False),  # back to back
        (time(9, 0), 31, time(9, 30), 30, True),
        (time(10, 0), 20, time(9, 50), 15, True),
        (time(13, 0), 60, time(9, 0), 60, False),
    ],
)
def test_overlaps(a, am, b, bm, expected):
    assert rules.overlaps(a, am, b, bm) is expected


def test_impact_figures():
    result = rules.impact(
        changes=[Decimal(6), Decimal(9), Decimal(3)],
        outcomes_linked=4,
        outcomes_met=3,
        cost_per_pupil=Decimal("300"),
    )
    assert result.finished == 3
    assert result.average_change == Decimal("6.00")
    assert result.share_met == Decimal("75.0")
    assert result.cost_per_unit_progress == Decimal("50.00")
    none = rules.impact(changes=[], outcomes_linked=0, outcomes_met=0, cost_per_pupil=Decimal(1))
    assert none.average_change is None and none.cost_per_unit_progress is None
    assert none.share_met is None
