"""Pure rules of the graduated approach (SEND Code of Practice 6.44-6.56): what a plan's outcomes
must say, what a review must rate.

An outcome says what the pupil will achieve, by when, and how it will be measured (6.48); a review
evaluates the impact of the support on each outcome (6.54)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

RATINGS = ("not_met", "partly_met", "met", "exceeded")
MAX_OUTCOMES = 12


def outcome_errors(
    outcomes: Sequence[Mapping[str, Any]], *, starts_on: date
) -> dict[str, list[str]]:
    """Field-keyed problems with a plan's outcomes, keyed ``outcomes.<n>.<field>`` (n from 0)."""
    errors: dict[str, list[str]] = {}
    if not outcomes:
        errors["outcomes"] = ["A plan needs at least one outcome."]
        return errors
    if len(outcomes) > MAX_OUTCOMES:
        errors["outcomes"] = [f"A plan can have at most {MAX_OUTCOMES} outcomes: keep it focused."]
    for n, outcome in enumerate(outcomes):
        label = f"Outcome {n + 1}"
        if not str(outcome.get("description") or "").strip():
            errors[f"outcomes.{n}.description"] = [f"{label}: say what the pupil will achieve."]
        if not str(outcome.get("measure") or "").strip():
            errors[f"outcomes.{n}.measure"] = [f"{label}: say how it will be measured."]
        target = outcome.get("target_date")
        if not isinstance(target, date):
            errors[f"outcomes.{n}.target_date"] = [f"{label}: give the date it should be met by."]
        elif target < starts_on:
            errors[f"outcomes.{n}.target_date"] = [
                f"{label}: the target date is before the plan starts."
            ]
    return errors


def rating_errors(outcome_ids: Sequence[int], ratings: Mapping[int, str]) -> dict[str, list[str]]:
    """Every outcome of the reviewed plan rated, with a known rating, and nothing else."""
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(ratings) - set(outcome_ids))
    if unknown:
        errors["ratings"] = [f"Outcome {i} is not part of this plan." for i in unknown]
    for oid in outcome_ids:
        rating = ratings.get(oid)
        if not rating:
            errors[f"ratings.{oid}"] = ["Rate this outcome: not met, partly met, met or exceeded."]
        elif rating not in RATINGS:
            errors[f"ratings.{oid}"] = [
                f"'{rating}' is not a rating: use not_met, partly_met, met or exceeded."
            ]
    return errors
