"""Pure checks on a pupil's details, register entries and dates (no database). Each returns
{field: [messages]}; an empty dict means the input is acceptable.

These are THE pupil field rules: the pupil services (pages and the API) and the importer
(apps/exchange/validation.py) both call them, so a rule broken anywhere reads the same."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from .codes import HISTORIC_PROVISIONS, NEEDS_BY_CODE, YEAR_GROUPS, Provision

Errors = dict[str, list[str]]


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def register_errors(
    provision: str,
    primary_need: str = "",
    secondary_need: str = "",
    *,
    allow_historic: bool = False,
) -> Errors:
    """Census rules for one register entry: provision N/K/E, ranked needs, NSA only with K."""
    errors: Errors = {}
    provision = (provision or "").strip().upper()
    primary_need = (primary_need or "").strip().upper()
    secondary_need = (secondary_need or "").strip().upper()
    if provision in HISTORIC_PROVISIONS and not allow_historic:
        _add(
            errors,
            "sen_provision",
            f"{provision} ({HISTORIC_PROVISIONS[provision]}) is a historic code: it can arrive in a transfer file but cannot be assigned. Use N, K or E.",
        )
        return errors
    if provision not in Provision.values and provision not in HISTORIC_PROVISIONS:
        _add(
            errors,
            "sen_provision",
            f"{provision or 'An empty value'} is not an SEN provision code. Use N (no SEN), K (SEN support) or E (EHC plan).",
        )
        return errors
    for field, code in (("primary_need", primary_need), ("secondary_need", secondary_need)):
        if code and code not in NEEDS_BY_CODE:
            _add(
                errors,
                field,
                f"{code} is not a census type-of-need code. Use one of: {', '.join(NEEDS_BY_CODE)}.",
            )
    if errors:
        return errors
    if provision == Provision.NONE:
        if primary_need or secondary_need:
            _add(
                errors,
                "primary_need" if primary_need else "secondary_need",
                "A pupil with no SEN (N) has no type of need: clear the needs or choose K or E.",
            )
        return errors
    if not primary_need:
        if secondary_need:
            _add(
                errors,
                "primary_need",
                "Give the primary need (rank 1) before a secondary need (rank 2).",
            )
        elif provision in Provision.values:
            _add(
                errors,
                "primary_need",
                "Choose the primary need (rank 1). Use NSA if there has been no specialist assessment (SEN support only).",
            )
        return errors
    for field, code in (("primary_need", primary_need), ("secondary_need", secondary_need)):
        need = NEEDS_BY_CODE.get(code)
        if need and need.support_only and provision != Provision.SEN_SUPPORT:
            _add(
                errors,
                field,
                f"{code} (no specialist assessment) is valid only with SEN support (K), not with provision {provision}.",
            )
    if errors:
        return errors
    if secondary_need and secondary_need == primary_need:
        _add(errors, "secondary_need", "The secondary need must differ from the primary need.")
    elif secondary_need and (
        NEEDS_BY_CODE[primary_need].support_only or NEEDS_BY_CODE[secondary_need].support_only
    ):
        _add(
            errors,
            "secondary_need",
            "NSA (no specialist assessment) cannot be combined with another need.",
        )
    return errors


def pupil_date_errors(
    *,
    date_of_birth: dt.date | None,
    admission_date: dt.date | None = None,
    leaving_date: dt.date | None = None,
    sen_identified_on: dt.date | None = None,
    today: dt.date,
) -> Errors:
    errors: Errors = {}
    if date_of_birth is None:
        _add(errors, "date_of_birth", "Enter the date of birth.")
        return errors
    if date_of_birth > today:
        _add(errors, "date_of_birth", "The date of birth cannot be in the future.")
        return errors
    if (today - date_of_birth).days > 26 * 366:
        _add(
            errors, "date_of_birth", "The date of birth is more than 25 years ago: check the year."
        )
    if admission_date and admission_date < date_of_birth:
        _add(errors, "admission_date", "The admission date cannot be before the date of birth.")
    if leaving_date and leaving_date < date_of_birth:
        _add(errors, "leaving_date", "The leaving date cannot be before the date of birth.")
    elif leaving_date and admission_date and leaving_date < admission_date:
        _add(errors, "leaving_date", "The leaving date cannot be before the admission date.")
    if sen_identified_on:
        if sen_identified_on > today:
            _add(errors, "sen_identified_on", "The date identified cannot be in the future.")
        elif sen_identified_on < date_of_birth:
            _add(
                errors,
                "sen_identified_on",
                "The date identified cannot be before the date of birth.",
            )
    return errors


def change_date_errors(
    *, effective_date: dt.date, date_of_birth: dt.date, last_change: dt.date | None, today: dt.date
) -> Errors:
    errors: Errors = {}
    if effective_date > today:
        _add(errors, "effective_date", "The date of the change cannot be in the future.")
    elif effective_date < date_of_birth:
        _add(errors, "effective_date", "The date of the change cannot be before the date of birth.")
    elif last_change and effective_date < last_change:
        _add(
            errors,
            "effective_date",
            f"The date of the change cannot be before the last recorded change ({last_change:%d %B %Y}).",
        )
    return errors


# What a person calls each detail (the model's verbose names), for "Enter the ..." messages.
DETAIL_LABELS = {
    "upn": "UPN",
    "first_name": "legal first name",
    "last_name": "legal last name",
    "date_of_birth": "date of birth",
    "gender": "gender",
    "year_group": "year group",
}
TEXT_LIMITS = {
    "first_name": 100,
    "last_name": 100,
    "preferred_first_name": 100,
    "preferred_last_name": 100,
    "form": 20,
    "medical_needs": 2000,
}
GENDERS = ("F", "M")


def pupil_detail_errors(
    details: Mapping[str, object], *, required: Iterable[str], today: dt.date
) -> Errors:
    """Problems with a pupil's details (names, gender, year group, lengths, dates), for the
    fields present in `details`; those in `required` must also be filled in."""
    errors: Errors = {}
    for field in required:
        if details.get(field) in (None, ""):
            _add(errors, field, f"Enter the {DETAIL_LABELS.get(field, field.replace('_', ' '))}.")
    if "gender" in details and details["gender"] not in GENDERS and "gender" not in errors:
        _add(errors, "gender", "Gender must be F or M (as in the school census).")
    year = details.get("year_group")
    if "year_group" in details and year not in YEAR_GROUPS and "year_group" not in errors:
        _add(
            errors,
            "year_group",
            f"{year or 'An empty value'} is not a year group. Use N1, N2, R or 1 to 13.",
        )
    for field, limit in TEXT_LIMITS.items():
        if len(str(details.get(field) or "")) > limit:
            _add(errors, field, f"Use at most {limit} characters.")
    dates = {
        key: value
        for key in ("admission_date", "leaving_date", "sen_identified_on")
        if isinstance(value := details.get(key), dt.date)
    }
    dob = details.get("date_of_birth")
    if isinstance(dob, dt.date):
        for field, messages in pupil_date_errors(date_of_birth=dob, today=today, **dates).items():
            errors.setdefault(field, []).extend(messages)
    elif "date_of_birth" in details and "date_of_birth" not in errors:
        _add(errors, "date_of_birth", "Enter the date of birth.")
    return errors


def term_start(today: dt.date) -> dt.date:
    """The first day of the school term `today` falls in, by the usual English pattern: autumn
    from 1 September, spring from 1 January, summer from 1 April (Easter moves; until a school
    records its own term dates this is the boundary "this term" figures use)."""
    if today.month >= 9:
        return dt.date(today.year, 9, 1)
    if today.month >= 4:
        return dt.date(today.year, 4, 1)
    return dt.date(today.year, 1, 1)
