"""The SEN register entry: provision and ranked needs, with the history of every change."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.audit.services import record

from ..actions import PupilAction
from ..codes import Provision
from ..models import Pupil, SenHistory
from ..rules import change_date_errors, pupil_date_errors, register_errors
from ._common import _KEEP, _name, _not_staff, _raise, _today, _uid, authorise


@transaction.atomic
def register_set_status(
    *,
    acting_user,
    pupil: Pupil,
    provision: str,
    primary_need: str = "",
    secondary_need: str = "",
    reason: str = "",
    effective_date: dt.date | None = None,
    identified_on: dt.date | None = None,
    lead_user_id: Any = _KEEP,
    request=None,
    source: str = SenHistory.Source.MANUAL,
) -> SenHistory | None:
    """Set the pupil's SEN provision and ranked needs from `effective_date` (default today),
    keeping the change in the history with who and why. Returns the history row, or None when
    nothing changed (so repeating an import writes nothing).

    Moving onto the register sets the date identified (default: the change date); moving off
    (N) clears the needs and the date identified. `lead_user_id` (a staff user id) is kept
    unless given."""
    authorise(acting_user, "change_register", pupil, request=request)
    provision = (provision or "").strip().upper()
    primary_need = (primary_need or "").strip().upper()
    secondary_need = (secondary_need or "").strip().upper()
    pupil = Pupil.objects.select_for_update().get(pk=pupil.pk)
    errors = register_errors(provision, primary_need, secondary_need)
    effective_date = effective_date or _today()
    last_change = (
        pupil.sen_history.order_by("-effective_date")
        .values_list("effective_date", flat=True)
        .first()
    )
    for field, messages in change_date_errors(
        effective_date=effective_date,
        date_of_birth=pupil.date_of_birth,
        last_change=last_change,
        today=_today(),
    ).items():
        errors.setdefault(field, []).extend(messages)
    if identified_on:
        for field, messages in pupil_date_errors(
            date_of_birth=pupil.date_of_birth, sen_identified_on=identified_on, today=_today()
        ).items():
            errors.setdefault(field, []).extend(messages)
    if lead_user_id is not _KEEP and _not_staff(lead_user_id):
        errors.setdefault("sen_lead_user_id", []).append(
            "The lead must be a member of staff at this school."
        )
    reason = (reason or "").strip()
    if source == SenHistory.Source.MANUAL and not reason:
        errors.setdefault("reason", []).append(
            "Say why the register entry is changing (it stays in the pupil's history)."
        )
    _raise(errors)

    same_codes = (pupil.sen_provision, pupil.primary_need, pupil.secondary_need) == (
        provision,
        primary_need,
        secondary_need,
    )
    lead_changes = lead_user_id is not _KEEP and lead_user_id != pupil.sen_lead_user_id
    if (
        same_codes
        and not lead_changes
        and not (identified_on and identified_on != pupil.sen_identified_on)
    ):
        return None
    was_on_register = pupil.on_register
    previous = {
        "provision": pupil.sen_provision,
        "primary_need": pupil.primary_need,
        "secondary_need": pupil.secondary_need,
    }
    pupil.sen_provision, pupil.primary_need, pupil.secondary_need = (
        provision,
        primary_need,
        secondary_need,
    )
    if provision == Provision.NONE:
        pupil.sen_identified_on = None
    elif identified_on:
        pupil.sen_identified_on = identified_on
    elif not was_on_register or pupil.sen_identified_on is None:
        pupil.sen_identified_on = effective_date
    if lead_user_id is not _KEEP:
        pupil.sen_lead_user_id = lead_user_id
    pupil.updated_at = timezone.now()
    pupil.save(
        update_fields=[
            "sen_provision",
            "primary_need",
            "secondary_need",
            "sen_identified_on",
            "sen_lead_user_id",
            "updated_at",
        ]
    )
    entry = None
    if not same_codes:
        entry = SenHistory.objects.create(
            pupil=pupil,
            effective_date=effective_date,
            provision=provision,
            primary_need=primary_need,
            secondary_need=secondary_need,
            reason=reason,
            source=source,
            changed_by_user_id=_uid(acting_user),
            changed_by_name=_name(acting_user),
        )
    codes = "/".join(c for c in (primary_need, secondary_need) if c)
    record(
        user=acting_user,
        action=PupilAction.REGISTER_CHANGED,
        pupil=pupil,
        summary=f"Register entry {previous['provision']} → {provision}"
        + (f" ({codes})" if codes else ""),
        request=request,
        extra={
            "before": previous,
            "after": {
                "provision": provision,
                "primary_need": primary_need,
                "secondary_need": secondary_need,
            },
            "effective_date": effective_date.isoformat(),
            "source": source,
        },
    )
    return entry
