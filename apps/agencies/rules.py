"""Pure rules about referrals and bought time (no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal


def waiting_days(*, sent_on: dt.date | None, seen_on: dt.date | None, today: dt.date) -> int | None:
    """Days from sending the referral to the first appointment or report (or to today, while
    waiting). None for a referral not yet sent."""
    if sent_on is None:
        return None
    end = seen_on or today
    return max((end - sent_on).days, 0)


# Which dates a status needs, in the order a referral goes through them.
STATUS_DATE = {
    "sent": "sent_on",
    "accepted": "accepted_on",
    "appointment": "appointment_on",
    "report_received": "report_received_on",
}
DATE_ORDER = ("drafted_on", "sent_on", "accepted_on", "appointment_on", "report_received_on")


def referral_date_errors(dates: dict[str, dt.date | None], today: dt.date) -> dict[str, list[str]]:
    """Each date after the one before it; sent and accepted not in the future."""
    errors: dict[str, list[str]] = {}
    previous: tuple[str, dt.date] | None = None
    for name in DATE_ORDER:
        value = dates.get(name)
        if value is None:
            continue
        if name in ("drafted_on", "sent_on", "accepted_on", "report_received_on") and value > today:
            errors.setdefault(name, []).append("This date cannot be in the future.")
        if previous is not None and value < previous[1]:
            errors.setdefault(name, []).append(
                f"This date is before the {previous[0].replace('_on', '').replace('_', ' ')} date."
            )
        previous = (name, value)
    return errors


def hours_remaining(bought: Decimal, used: Decimal) -> Decimal:
    return bought - used
