"""Pure rules about meetings with parents and consent (no database)."""

from __future__ import annotations

import datetime as dt

# "Schools should meet parents at least three times each year" (Code of Practice 6.65).
MEETINGS_EXPECTED_A_YEAR = 3


def school_year_start(today: dt.date) -> dt.date:
    """1 September of the school year containing ``today``."""
    year = today.year if today.month >= 9 else today.year - 1
    return dt.date(year, 9, 1)


def meeting_date_errors(
    *, held_on: dt.date | None, held: bool, admission_date: dt.date | None, today: dt.date
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if held_on is None:
        return {"held_on": ["Enter the date of the meeting."]}
    if held and held_on > today:
        errors["held_on"] = ["A meeting marked held cannot be in the future: record it as planned."]
    elif admission_date is not None and held_on < admission_date:
        errors["held_on"] = [
            f"The pupil joined the school on {admission_date:%-d %B %Y}: "
            "the meeting cannot be before that."
        ]
    return errors


def consent_is_current(
    *,
    decision: str,
    withdrawn_on: dt.date | None,
    expires_on: dt.date | None,
    on: dt.date,
) -> bool:
    """Given, not withdrawn (on or before ``on``) and not expired."""
    if decision != "given":
        return False
    if withdrawn_on is not None and withdrawn_on <= on:
        return False
    return not (expires_on is not None and expires_on < on)


def below_expectation(meetings_held: int) -> bool:
    return meetings_held < MEETINGS_EXPECTED_A_YEAR
