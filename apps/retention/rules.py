"""Retention of SEN records (IRMS Information Management Toolkit for Schools): SEN files,
reviews and EHC plans are kept until the pupil's date of birth + 31 years. Pure functions."""

from __future__ import annotations

from datetime import date

RETENTION_YEARS = 31


def retain_until(date_of_birth: date) -> date:
    """The last day the record is kept. A 29 February birthday keeps it to 1 March: when in
    doubt, keep a record a day longer, never shorter."""
    year = date_of_birth.year + RETENTION_YEARS
    try:
        return date_of_birth.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


def past_retention(date_of_birth: date, today: date) -> bool:
    return today > retain_until(date_of_birth)


def latest_birth_date_past_retention(today: date) -> date:
    """Anyone born on or before this date is past retention today (for one indexed query)."""
    try:
        cutoff = today.replace(year=today.year - RETENTION_YEARS)
    except ValueError:  # today is 29 February
        cutoff = date(today.year - RETENTION_YEARS, 2, 28)
    # born on `cutoff` -> kept until today inclusive; the day before is past.
    return date.fromordinal(cutoff.toordinal() - 1)
