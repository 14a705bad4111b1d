"""Adding a pupil and changing their details."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.audit.services import record

from ..actions import PupilAction
from ..codes import Provision
from ..models import Pupil
from ..rules import pupil_date_errors, pupil_detail_errors, register_errors
from ..upn import InvalidUPN, validate_upn
from ._common import (
    DETAIL_FIELDS,
    REGISTER_FIELDS,
    _clean_text,
    _not_staff,
    _raise,
    _today,
    authorise,
)
from .register import register_set_status


def pupil_validate(pupil: Pupil, *, check_duplicate: bool = True) -> None:
    """Collect every problem with a pupil's details (not yet saved) and raise them together."""
    errors: dict[str, list[str]] = {}
    try:
        pupil.upn = validate_upn(pupil.upn)
    except InvalidUPN as exc:
        errors.setdefault("upn", []).append(str(exc))
    else:
        if check_duplicate and Pupil.objects.filter(upn=pupil.upn).exclude(pk=pupil.pk).exists():
            errors.setdefault("upn", []).append(
                f"Another pupil in this school already has UPN {pupil.upn}."
            )
    details = {field: getattr(pupil, field) for field in (*DETAIL_FIELDS, "sen_identified_on")}
    details.pop("upn")  # checked above, with the duplicate check
    for field, messages in pupil_detail_errors(
        details, required=("first_name", "last_name"), today=_today()
    ).items():
        errors.setdefault(field, []).extend(messages)
    if pupil.looked_after is False and pupil.designated_teacher_user_id:
        pupil.designated_teacher_user_id = None
    if _not_staff(pupil.designated_teacher_user_id):
        errors.setdefault("designated_teacher_user_id", []).append(
            "The designated teacher must be a member of staff at this school."
        )
    _raise(errors)


def _coerce_details(values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    for field in ("first_name", "last_name", "preferred_first_name", "preferred_last_name", "form"):
        if field in out:
            out[field] = _clean_text(out[field])
    if "year_group" in out:
        out["year_group"] = str(out["year_group"] or "").strip().upper()
    if "gender" in out:
        out["gender"] = str(out["gender"] or "").strip().upper()[:1]
    if "upn" in out:
        out["upn"] = str(out["upn"] or "")
    return out


@transaction.atomic
def pupil_create(
    *,
    acting_user,
    upn: str,
    first_name: str,
    last_name: str,
    date_of_birth: dt.date,
    gender: str,
    year_group: str,
    request=None,
    sen_provision: str = Provision.NONE,
    primary_need: str = "",
    secondary_need: str = "",
    sen_identified_on: dt.date | None = None,
    sen_lead_user_id: int | None = None,
    reason: str = "",
    **details: Any,
) -> Pupil:
    """Add a pupil. Register fields are optional; when given they become the first history row."""
    authorise(acting_user, "create_pupil", request=request)
    if sen_provision not in (None, "", Provision.NONE) or primary_need or secondary_need:
        authorise(acting_user, "change_register", request=request)
    unknown = set(details) - set(DETAIL_FIELDS)
    if unknown:
        raise ValidationError({f: ["This field cannot be set here."] for f in sorted(unknown)})
    values = _coerce_details(
        dict(
            upn=upn,
            first_name=first_name,
            last_name=last_name,
            gender=gender,
            year_group=year_group,
            **details,
        )
    )
    pupil = Pupil(date_of_birth=date_of_birth, **values)
    provision = (sen_provision or Provision.NONE).strip().upper()
    primary_need = (primary_need or "").strip().upper()
    secondary_need = (secondary_need or "").strip().upper()
    errors: dict[str, list[str]] = {}
    try:
        pupil_validate(pupil)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    for field, messages in register_errors(provision, primary_need, secondary_need).items():
        errors.setdefault(field, []).extend(messages)
    if sen_identified_on and pupil.date_of_birth:
        for field, messages in pupil_date_errors(
            date_of_birth=pupil.date_of_birth, sen_identified_on=sen_identified_on, today=_today()
        ).items():
            errors.setdefault(field, []).extend(messages)
    _raise(errors)
    pupil.save()
    record(
        user=acting_user,
        action=PupilAction.CREATED,
        pupil=pupil,
        summary="Added the pupil's record",
        request=request,
    )
    if provision != Provision.NONE:
        register_set_status(
            acting_user=acting_user,
            pupil=pupil,
            provision=provision,
            primary_need=primary_need,
            secondary_need=secondary_need,
            effective_date=sen_identified_on or _today(),
            identified_on=sen_identified_on,
            lead_user_id=sen_lead_user_id,
            reason=reason or "On the register when the pupil's record was added",
            request=request,
        )
        pupil.refresh_from_db()
    return pupil


@transaction.atomic
def pupil_update(*, acting_user, pupil: Pupil, request=None, **changes: Any) -> Pupil:
    """Change a pupil's details (not the register entry: see register_set_status)."""
    authorise(acting_user, "edit_pupil_details", pupil, request=request)
    register = set(changes) & set(REGISTER_FIELDS)
    if register:
        raise ValidationError(
            {
                f: ["Change the register entry through the register (it keeps the history)."]
                for f in sorted(register)
            }
        )
    unknown = set(changes) - set(DETAIL_FIELDS)
    if unknown:
        raise ValidationError({f: ["This field cannot be changed."] for f in sorted(unknown)})
    pupil = Pupil.objects.select_for_update().get(pk=pupil.pk)
    changes = _coerce_details(changes)
    changed = [f for f, v in changes.items() if getattr(pupil, f) != v]
    for field in changed:
        setattr(pupil, field, changes[field])
    if not changed:
        return pupil
    pupil_validate(pupil)
    pupil.updated_at = timezone.now()
    pupil.save(update_fields=[*changed, "updated_at", "designated_teacher_user_id"])
    labels = ", ".join(str(getattr(Pupil._meta.get_field(f), "verbose_name", f)) for f in changed)
    record(
        user=acting_user,
        action=PupilAction.UPDATED,
        pupil=pupil,
        summary=f"Changed: {labels}"[:300],
        request=request,
        extra={"fields": changed},
    )
    return pupil


@transaction.atomic
def pupil_change(
    *,
    acting_user: Any,
    pupil: Pupil,
    details: dict[str, Any],
    register: dict[str, Any],
    request: Any = None,
) -> Pupil:
    """One change to a pupil's record that may touch both their details and their register entry
    (the API's PUT/PATCH): all or nothing. `register` takes the API's names (sen_provision,
    primary_need, secondary_need, sen_identified_on, sen_lead_user_id, reason, effective_date);
    needs not given are kept unless the provision changes."""
    if details:
        pupil = pupil_update(acting_user=acting_user, pupil=pupil, request=request, **details)
    if set(register) - {"reason", "effective_date"}:
        provision_given = "sen_provision" in register
        changes: dict[str, Any] = dict(
            provision=register.get("sen_provision", pupil.sen_provision),
            primary_need=register.get(
                "primary_need", "" if provision_given else pupil.primary_need
            ),
            secondary_need=register.get(
                "secondary_need", "" if provision_given else pupil.secondary_need
            ),
            reason=register.get("reason", ""),
            effective_date=register.get("effective_date"),
            identified_on=register.get("sen_identified_on"),
        )
        if "sen_lead_user_id" in register:
            changes["lead_user_id"] = register["sen_lead_user_id"]
        register_set_status(acting_user=acting_user, pupil=pupil, request=request, **changes)
    pupil.refresh_from_db()
    return pupil
