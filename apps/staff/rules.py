"""Pure rules for staff deployment, exam access arrangements and transitions (no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

# Deployment against contract: warn above 100%, refuse above 110% (a little overtime is real
# life; more is a plan that cannot happen).
DEPLOYMENT_WARN_PERCENT = Decimal("100")
DEPLOYMENT_REFUSE_PERCENT = Decimal("110")

SECONDARY_YEARS = ("7", "8", "9", "10", "11", "12", "13")


def deployment_percent(hours: Decimal, contracted: Decimal) -> Decimal:
    if contracted <= 0:
        return Decimal("999")
    return (hours * 100 / contracted).quantize(Decimal("1"))


def deployment_level(hours: Decimal, contracted: Decimal) -> str:
    """ "ok", "warn" (over contract) or "refuse" (over 110% of contract)."""
    percent = hours * 100 / contracted if contracted > 0 else Decimal("999")
    if percent > DEPLOYMENT_REFUSE_PERCENT:
        return "refuse"
    if percent > DEPLOYMENT_WARN_PERCENT:
        return "warn"
    return "ok"


# JCQ: extra time, a reader and a scribe need an assessment (Form 8: assessor, date, history of
# need); every arrangement must be the candidate's normal way of working.
NEEDS_ASSESSMENT = ("extra_time", "reader", "scribe")


def missing_evidence(
    *,
    kind: str,
    assessor: str,
    assessed_on: dt.date | None,
    history_of_need: str,
    normal_way_of_working: str,
) -> list[str]:
    missing = []
    if kind in NEEDS_ASSESSMENT:
        if not assessor.strip():
            missing.append("assessor")
        if assessed_on is None:
            missing.append("assessment date")
        if not history_of_need.strip():
            missing.append("history of need")
    if not normal_way_of_working.strip():
        missing.append("normal way of working")
    return missing


def extra_time_errors(kind: str, percent: int | None) -> dict[str, list[str]]:
    if kind == "extra_time":
        if percent is None:
            return {"extra_time_percent": ["Enter the extra time as a percentage (e.g. 25)."]}
        if not 0 < percent <= 100:
            return {"extra_time_percent": ["Extra time must be more than 0% and at most 100%."]}
    elif percent is not None:
        return {"extra_time_percent": ["Only extra time has a percentage."]}
    return {}


def next_exam_series(today: dt.date) -> tuple[str, dt.date, dt.date]:
    """The next (or current) exam series: (name, first day, last day). Summer series May-June,
    November series (GCSE English and maths resits) in November."""
    summer = (f"Summer {today.year}", dt.date(today.year, 5, 1), dt.date(today.year, 6, 30))
    november = (
        f"November {today.year}",
        dt.date(today.year, 11, 1),
        dt.date(today.year, 11, 30),
    )
    if today <= summer[2]:
        return summer
    if today <= november[2]:
        return november
    year = today.year + 1
    return (f"Summer {year}", dt.date(year, 5, 1), dt.date(year, 6, 30))


def expires_before_series(expires_on: dt.date | None, series_end: dt.date) -> bool:
    return expires_on is not None and expires_on < series_end


def is_secondary(year_group: str) -> bool:
    return year_group in SECONDARY_YEARS


# The checklist a new transition starts with; the SENCo adds, removes and dates items.
TRANSITION_CHECKLIST = (
    "Meet the next setting's SENCo",
    "Parents' and pupil's views gathered",
    "Key information shared (one-page profile, strategies, plan)",
    "Extra visits to the new setting arranged",
    "EHC plan reviewed and amended for the phase transfer (if the pupil has one)",
    "Records handed over (in-trust transfer or leaver CTF)",
)
