"""What a billing status means for access (issue: "What status means")."""

from datetime import UTC, datetime, timedelta

import pytest

from apps.billing.models import SubscriptionStatus as S
from apps.billing.rules import FULL, READ_ONLY, WARNING, billing_access

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.mark.parametrize(
    "status, trial_ends_at, past_due_since, expected",
    [
        (S.TRIAL, NOW + 10 * DAY, None, FULL),  # free trial running
        (S.TRIAL, NOW - 1 * DAY, None, WARNING),  # trial over, within grace
        (S.TRIAL, NOW - 14 * DAY, None, READ_ONLY),  # trial over, grace over
        (S.TRIALING, NOW + 10 * DAY, None, FULL),
        (S.ACTIVE, None, None, FULL),
        (S.PAST_DUE, None, NOW - 13 * DAY, WARNING),  # day 13 of 14 days' grace
        (S.PAST_DUE, None, NOW - 14 * DAY, READ_ONLY),  # grace over
        (S.PAST_DUE, None, None, WARNING),  # just found out
        (S.INCOMPLETE, None, NOW - 1 * DAY, WARNING),
        (S.UNPAID, None, None, READ_ONLY),
        (S.CANCELED, None, None, READ_ONLY),
        (S.INCOMPLETE_EXPIRED, None, None, READ_ONLY),
        (S.PAUSED, None, None, READ_ONLY),
    ],
)
def test_access_follows_status_and_grace_period(status, trial_ends_at, past_due_since, expected):
    access = billing_access(
        school_name="Alpha Primary",
        status=status,
        trial_ends_at=trial_ends_at,
        past_due_since=past_due_since,
        now=NOW,
        grace_days=14,
    )
    assert access.level == expected
    if expected != FULL:
        assert "Alpha Primary" in access.message
        assert "deleted" in access.message  # always says nothing is (or will be) deleted


def test_the_grace_period_is_a_setting():
    access = billing_access(
        school_name="A",
        status=S.PAST_DUE,
        trial_ends_at=None,
        past_due_since=NOW - 3 * DAY,
        now=NOW,
        grace_days=2,
    )
    assert access.read_only
    assert access.grace_ends_at == NOW - DAY


def test_read_only_message_says_staff_can_still_read_and_export():
    access = billing_access(
        school_name="A",
        status=S.UNPAID,
        trial_ends_at=None,
        past_due_since=None,
        now=NOW,
        grace_days=14,
    )
    assert "read and export everything" in access.message
