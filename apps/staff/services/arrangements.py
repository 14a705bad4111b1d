"""Exam access arrangements for secondary pupils, with their evidence."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from apps.audit.services import record
from apps.core.acting import authorise
from apps.core.changes import apply_changes
from apps.pupils.models import Pupil

from ..access import RIGHTS
from ..actions import StaffAction
from ..models import AccessArrangement
from ..rules import extra_time_errors, is_secondary
from ._common import raise_errors, text, today

ARRANGEMENT_FIELDS = (
    "kind",
    "extra_time_percent",
    "assessor",
    "assessed_on",
    "history_of_need",
    "normal_way_of_working",
    "expires_on",
    "is_active",
)


def _errors(row: AccessArrangement, pupil: Pupil) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not is_secondary(pupil.year_group):
        errors["pupil"] = [
            "Exam access arrangements are for secondary pupils (Year 7 to 13); this pupil is in "
            f"{pupil.get_year_group_display()}."
        ]
    if row.kind not in AccessArrangement.Kind.values:
        errors["kind"] = ["Choose the arrangement."]
    errors.update(extra_time_errors(row.kind, row.extra_time_percent))
    if row.assessed_on and row.assessed_on > today():
        errors["assessed_on"] = ["The assessment date cannot be in the future."]
    if row.expires_on and row.assessed_on and row.expires_on <= row.assessed_on:
        errors["expires_on"] = ["The expiry date must be after the assessment."]
    return errors


@transaction.atomic
def arrangement_add(
    *, acting_user: Any, pupil: Pupil, request: Any = None, **fields: Any
) -> AccessArrangement:
    authorise(RIGHTS, acting_user, "write_arrangements", pupil_id=pupil.pk)
    values = {k: v for k, v in fields.items() if k in ARRANGEMENT_FIELDS}
    for key in ("assessor", "history_of_need", "normal_way_of_working"):
        values[key] = text(values.get(key))
    row = AccessArrangement(pupil=pupil, **values)
    raise_errors(_errors(row, pupil))
    row.save()
    record(
        user=acting_user,
        action=StaffAction.ARRANGEMENT_ADDED,
        pupil=pupil,
        request=request,
        summary=f"Added an exam access arrangement ({row.get_kind_display().lower()})",
        extra={"arrangement_id": row.pk},
    )
    return row


@transaction.atomic
def arrangement_update(
    *, acting_user: Any, arrangement: AccessArrangement, request: Any = None, **changes: Any
) -> AccessArrangement:
    authorise(RIGHTS, acting_user, "write_arrangements", pupil_id=arrangement.pupil_id)
    changed = apply_changes(arrangement, changes, ARRANGEMENT_FIELDS)
    raise_errors(_errors(arrangement, arrangement.pupil))
    arrangement.save()
    record(
        user=acting_user,
        action=StaffAction.ARRANGEMENT_CHANGED,
        pupil=arrangement.pupil,
        request=request,
        summary="Changed an exam access arrangement",
        extra={"arrangement_id": arrangement.pk, "fields": changed},
    )
    return arrangement
