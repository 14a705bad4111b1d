"""What a billing status means for a school, as pure code: dates and a status in, access out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .models import SubscriptionStatus

FULL = "full"
WARNING = "warning"  # full access, with a banner: payment overdue or trial over, grace period
READ_ONLY = "read_only"

_BLOCKED: dict[str, str] = {
    SubscriptionStatus.UNPAID: "is unpaid",
    SubscriptionStatus.CANCELED: "has been cancelled",
    SubscriptionStatus.INCOMPLETE_EXPIRED: "was never paid for",
    SubscriptionStatus.PAUSED: "is paused",
}


@dataclass(frozen=True)
class BillingAccess:
    level: str
    message: str = ""
    grace_ends_at: datetime | None = None

    @property
    def read_only(self) -> bool:
        return self.level == READ_ONLY

    @property
    def warning(self) -> bool:
        return self.level == WARNING


def _day(moment: datetime) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%-d %B %Y")


READ_ONLY_TAIL = (
    "so SENCo Hub is read-only for this school: staff can read and export everything, but nobody "
    "can change anything until it is paid. Nothing has been deleted."
)


def billing_access(
    *,
    school_name: str,
    status: str,
    trial_ends_at: datetime | None,
    past_due_since: datetime | None,
    now: datetime,
    grace_days: int,
) -> BillingAccess:
    grace = timedelta(days=grace_days)
    if status in (SubscriptionStatus.ACTIVE, SubscriptionStatus.TRIALING):
        return BillingAccess(FULL)
    if status == SubscriptionStatus.TRIAL:
        if trial_ends_at is None or trial_ends_at > now:
            return BillingAccess(FULL)
        grace_ends = trial_ends_at + grace
        if now < grace_ends:
            return BillingAccess(
                WARNING,
                f"{school_name}'s free trial of SENCo Hub ended on {_day(trial_ends_at)}. Unless a "
                f"subscription is started by {_day(grace_ends)}, SENCo Hub will become read-only for "
                "this school. Nothing will be deleted.",
                grace_ends,
            )
        return BillingAccess(
            READ_ONLY,
            f"{school_name}'s free trial has ended and no subscription was started, {READ_ONLY_TAIL}",
            grace_ends,
        )
    if status in (SubscriptionStatus.PAST_DUE, SubscriptionStatus.INCOMPLETE):
        grace_ends = (past_due_since or now) + grace
        if now < grace_ends:
            return BillingAccess(
                WARNING,
                f"Payment for {school_name}'s SENCo Hub subscription is overdue. Unless it is paid by "
                f"{_day(grace_ends)}, SENCo Hub will become read-only for this school. Nothing will be deleted.",
                grace_ends,
            )
        return BillingAccess(
            READ_ONLY,
            f"Payment for {school_name}'s SENCo Hub subscription is overdue, {READ_ONLY_TAIL}",
            grace_ends,
        )
    if status in _BLOCKED:
        return BillingAccess(
            READ_ONLY,
            f"{school_name}'s SENCo Hub subscription {_BLOCKED[status]}, {READ_ONLY_TAIL}",
        )
    return BillingAccess(FULL)


# Trust finance is warned this many days before a school's free trial ends.
TRIAL_WARNING_DAYS = 14

_TRIAL_STATUSES = (SubscriptionStatus.TRIAL, SubscriptionStatus.TRIALING)


def trial_ends_soon(*, status: str, trial_ends_at: datetime | None, now: datetime) -> bool:
    """The trial ends within the warning window (and has not ended yet)."""
    if status not in _TRIAL_STATUSES or trial_ends_at is None:
        return False
    return now < trial_ends_at <= now + timedelta(days=TRIAL_WARNING_DAYS)


def trial_warning_due(
    *,
    status: str,
    trial_ends_at: datetime | None,
    warned_for: datetime | None,
    now: datetime,
) -> bool:
    """Email trust finance now: the trial ends soon and nobody was told about this trial end
    (a moved trial end is a new one)."""
    return trial_ends_soon(status=status, trial_ends_at=trial_ends_at, now=now) and (
        warned_for != trial_ends_at
    )
