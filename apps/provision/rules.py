"""Pure provision arithmetic: costs, checks on an intervention, session overlaps, impact.

Annual cost of a place (issue #12): staff time x hourly cost / group size + resources, over the
38 teaching weeks of a school year.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

SCHOOL_WEEKS_PER_YEAR = 38
PENNY = Decimal("0.01")


def annual_cost_per_pupil(
    *,
    sessions_per_week: int,
    session_minutes: int,
    hourly_staff_cost: Decimal,
    group_size: int,
    resource_cost: Decimal,
    weeks: int = SCHOOL_WEEKS_PER_YEAR,
) -> Decimal:
    staff_hours = Decimal(sessions_per_week * session_minutes * weeks) / Decimal(60)
    staff = staff_hours * Decimal(hourly_staff_cost) / Decimal(max(group_size, 1))
    return (staff + Decimal(resource_cost)).quantize(PENNY, rounding=ROUND_HALF_UP)


def _number(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except Exception:  # noqa: BLE001 - any unparsable value is the same user error
        return None


def intervention_errors(fields: Mapping[str, Any]) -> dict[str, list[str]]:
    """Field-keyed problems with an intervention's catalogue entry."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not str(fields.get("name") or "").strip():
        add("name", "Give the intervention a name.")
    for field, label in (
        ("hourly_staff_cost", "Hourly staff cost"),
        ("resource_cost", "Resource cost"),
    ):
        value = _number(fields.get(field, 0))
        if value is None:
            add(field, f"{label} must be an amount in pounds, e.g. 14.50.")
        elif value < 0:
            add(field, f"{label} cannot be negative.")
        elif value > Decimal("100000"):
            add(field, f"{label} looks too large: check the amount.")
    for field, label, low, high in (
        ("group_size", "Group size", 1, 40),
        ("sessions_per_week", "Sessions per week", 1, 25),
        ("session_minutes", "Session length", 5, 240),
    ):
        raw = fields.get(field)
        try:
            number = int(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            add(field, f"{label} must be a whole number.")
            continue
        if not low <= number <= high:
            add(field, f"{label} must be between {low} and {high}.")
    return errors


def overlaps(a_start: time, a_minutes: int, b_start: time, b_minutes: int) -> bool:
    """Do two sessions on the same day overlap in time?"""
    day = datetime(2000, 1, 1)
    a0 = datetime.combine(day, a_start)
    b0 = datetime.combine(day, b_start)
    return a0 < b0 + timedelta(minutes=b_minutes) and b0 < a0 + timedelta(minutes=a_minutes)


@dataclass(frozen=True)
class Impact:
    finished: int
    average_change: Decimal | None
    outcomes_linked: int
    outcomes_met: int
    cost_per_pupil: Decimal
    cost_per_unit_progress: Decimal | None

    @property
    def share_met(self) -> Decimal | None:
        if not self.outcomes_linked:
            return None
        return (Decimal(100 * self.outcomes_met) / Decimal(self.outcomes_linked)).quantize(
            Decimal("0.1")
        )


def impact(
    *,
    changes: Iterable[Decimal],
    outcomes_linked: int,
    outcomes_met: int,
    cost_per_pupil: Decimal,
) -> Impact:
    """Impact of one intervention from its finished places' entry-to-exit changes."""
    values = list(changes)
    average = (sum(values, Decimal(0)) / Decimal(len(values))).quantize(PENNY) if values else None
    per_unit = (
        (cost_per_pupil / average).quantize(PENNY) if average is not None and average > 0 else None
    )
    return Impact(
        finished=len(values),
        average_change=average,
        outcomes_linked=outcomes_linked,
        outcomes_met=outcomes_met,
        cost_per_pupil=cost_per_pupil,
        cost_per_unit_progress=per_unit,
    )
