"""Term dates and the review cadence: table-driven (SEND Code of Practice 6.52: plans reviewed
"at least three times a year", i.e. termly by default)."""

from datetime import date

import pytest

from apps.school import rules
from apps.school.rules import TermDates

SET_TERMS = [
    TermDates("Autumn 2026", date(2026, 9, 3), date(2026, 12, 18)),
    TermDates("Spring 2027", date(2027, 1, 5), date(2027, 3, 26)),
    TermDates("Summer 2027", date(2027, 4, 12), date(2027, 7, 21)),
]


@pytest.mark.parametrize(
    "day, terms, expected",
    [
        (date(2026, 10, 1), (), "Autumn 2026"),  # derived from the month
        (date(2027, 2, 1), (), "Spring 2027"),
        (date(2027, 5, 1), (), "Summer 2027"),
        (date(2027, 8, 10), (), "Autumn 2027"),  # August is holiday: the next term
        (date(2026, 10, 1), SET_TERMS, "Autumn 2026"),
        (date(2026, 12, 25), SET_TERMS, "Spring 2027"),  # Christmas holiday: next term
        (date(2027, 4, 5), SET_TERMS, "Summer 2027"),  # Easter holiday
        (date(2027, 9, 10), SET_TERMS, "Autumn 2027"),  # past the school's list: derived again
    ],
)
def test_current_term(day, terms, expected):
    assert rules.current_term(day, terms).name == expected


@pytest.mark.parametrize(
    "day, terms, weeks, expected",
    [
        # Termly: the end of this term when at least four weeks remain...
        (date(2026, 9, 20), SET_TERMS, None, date(2026, 12, 18)),
        # ...otherwise the end of the next term.
        (date(2026, 12, 1), SET_TERMS, None, date(2027, 3, 26)),
        # In a holiday: the end of the next term.
        (date(2026, 12, 25), SET_TERMS, None, date(2027, 3, 26)),
        # No term dates set: month-derived terms.
        (date(2026, 10, 1), (), None, date(2026, 12, 31)),
        (date(2027, 7, 10), (), None, date(2027, 12, 31)),
        # A cadence in weeks overrides terms.
        (date(2026, 9, 20), SET_TERMS, 6, date(2026, 11, 1)),
    ],
)
def test_next_review_date(day, terms, weeks, expected):
    assert rules.next_review_date(day, terms, interval_weeks=weeks) == expected


def test_term_errors_name_overlaps_and_backwards_terms():
    errors = rules.term_errors(
        [
            TermDates("Autumn", date(2026, 9, 3), date(2026, 12, 18)),
            TermDates("Spring", date(2026, 12, 10), date(2027, 3, 26)),
            TermDates("", date(2027, 5, 1), date(2027, 4, 1)),
        ]
    )
    assert errors["starts_on"] == ["Spring starts before Autumn ends."]
    assert errors["name"]
    assert errors["ends_on"] == ["A term ends before it starts."]
    assert rules.term_errors(SET_TERMS) == {}


@pytest.mark.parametrize(
    "due, status",
    [
        (None, ""),
        (date(2026, 11, 1), "overdue"),
        (date(2026, 11, 2), "due"),
        (date(2026, 11, 16), "due"),
        (date(2026, 11, 17), "later"),
    ],
)
def test_review_status(due, status):
    assert rules.review_status(due, date(2026, 11, 2)) == status
