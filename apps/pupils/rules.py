"""Pure checks on register entries and dates (no database). Each returns {field: [messages]};
an empty dict means the input is acceptable."""

from __future__ import annotations

import datetime as dt

from .codes import HISTORIC_PROVISIONS, NEEDS_BY_CODE, Provision

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
