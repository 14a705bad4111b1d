"""School calendar arithmetic: pure functions, dates in and dates out.

A school's terms are the ones it set (``Term`` rows); when it set none, they are derived from the
month as the trust dashboard does (autumn from September, spring from January, summer from April;
August is holiday). Support plan reviews are termly by default (SEND Code of Practice 6.52: "at
least three times a year"), or every N weeks where the school chose a cadence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

# Reviews are not set for a term's last weeks: a plan written then is reviewed next term.
MIN_WEEKS_BEFORE_TERMLY_REVIEW = 4
MAX_INTERVAL_WEEKS = 26


@dataclass(frozen=True)
class TermDates:
    name: str
    starts_on: date
    ends_on: date

    def contains(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


def derived_terms(academic_year: int) -> list[TermDates]:
    """The month-derived terms of the academic year starting in September ``academic_year``."""
    y = academic_year
    return [
        TermDates(f"Autumn {y}", date(y, 9, 1), date(y, 12, 31)),
        TermDates(f"Spring {y + 1}", date(y + 1, 1, 1), date(y + 1, 3, 31)),
        TermDates(f"Summer {y + 1}", date(y + 1, 4, 1), date(y + 1, 7, 31)),
    ]


def _derived_around(day: date) -> list[TermDates]:
    year = day.year if day.month >= 9 else day.year - 1
    return derived_terms(year - 1) + derived_terms(year) + derived_terms(year + 1)


def _usable(terms: Sequence[TermDates], day: date) -> list[TermDates]:
    """The school's terms, if they say anything about ``day`` and after; else derived ones."""
    ordered = sorted(terms, key=lambda t: t.starts_on)
    if ordered and ordered[-1].ends_on >= day:
        return ordered
    return _derived_around(day)


def current_term(day: date, terms: Sequence[TermDates] = ()) -> TermDates:
    """The term ``day`` falls in; in a holiday, the next term to start."""
    usable = _usable(terms, day)
    for term in usable:
        if term.contains(day) or term.starts_on > day:
            return term
    return usable[-1]  # pragma: no cover - _usable guarantees a term ending on/after day


def next_term(day: date, terms: Sequence[TermDates] = ()) -> TermDates:
    """The term after the one ``day`` falls in (or after the holiday's next term)."""
    this = current_term(day, terms)
    later = [
        t for t in _usable(terms, this.ends_on + timedelta(days=1)) if t.starts_on > this.ends_on
    ]
    if later:
        return later[0]
    return current_term(this.ends_on + timedelta(days=1))  # the school's list stops: derived


def next_review_date(
    day: date, terms: Sequence[TermDates] = (), *, interval_weeks: int | None = None
) -> date:
    """When a plan written (or reviewed) on ``day`` is next reviewed.

    Every ``interval_weeks`` weeks when the school set a cadence; otherwise termly: the end of the
    current term, unless fewer than four weeks of it remain, then the end of the next term."""
    if interval_weeks:
        return day + timedelta(weeks=interval_weeks)
    term = current_term(day, terms)
    if term.starts_on > day or term.ends_on - day >= timedelta(
        weeks=MIN_WEEKS_BEFORE_TERMLY_REVIEW
    ):
        return term.ends_on
    return next_term(day, terms).ends_on


def term_errors(terms: Sequence[TermDates]) -> dict[str, list[str]]:
    """Problems with a school's list of terms: each must end after it starts, none may overlap."""
    errors: dict[str, list[str]] = {}
    ordered = sorted(terms, key=lambda t: t.starts_on)
    for term in ordered:
        if not term.name.strip():
            errors.setdefault("name", []).append("Give every term a name, e.g. Autumn 2026.")
        if term.ends_on < term.starts_on:
            errors.setdefault("ends_on", []).append(
                f"{term.name or 'A term'} ends before it starts."
            )
        if (term.ends_on - term.starts_on).days > 200:
            errors.setdefault("ends_on", []).append(f"{term.name} is longer than a school term.")
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if later.starts_on <= earlier.ends_on:
            errors.setdefault("starts_on", []).append(
                f"{later.name} starts before {earlier.name} ends."
            )
    return errors


def review_status(review_due: date | None, today: date) -> str:
    """ "overdue", "due" (within two weeks) or "later"; "" when no date is set."""
    if review_due is None:
        return ""
    if review_due < today:
        return "overdue"
    if review_due <= today + timedelta(weeks=2):
        return "due"
    return "later"
