"""The one-page profile and the pupil's voice."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.audit.services import record

from ..actions import PupilAction
from ..models import Pupil, PupilProfile, PupilVoice
from ._common import PROFILE_FIELDS, _name, _raise, _today, _uid, authorise


@transaction.atomic
def profile_update(*, acting_user, pupil: Pupil, request=None, **fields: str) -> PupilProfile:
    """Change the one-page profile and communication preferences."""
    authorise(acting_user, "edit_profile", pupil, request=request)
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError(
            {f: ["This field is not part of the profile."] for f in sorted(unknown)}
        )
    profile, _ = PupilProfile.objects.select_for_update().get_or_create(pupil=pupil)
    changed = [f for f, v in fields.items() if (v or "").strip() != getattr(profile, f)]
    if not changed:
        return profile
    for field in changed:
        setattr(profile, field, (fields[field] or "").strip())
    profile.updated_at = timezone.now()
    profile.updated_by_user_id = _uid(acting_user)
    profile.updated_by_name = _name(acting_user)
    profile.save()
    labels = ", ".join(
        str(getattr(PupilProfile._meta.get_field(f), "verbose_name", f)).lower() for f in changed
    )
    record(
        user=acting_user,
        action=PupilAction.PROFILE_UPDATED,
        pupil=pupil,
        summary=f"Changed: {labels}"[:300],
        request=request,
        extra={"fields": changed},
    )
    return profile


@transaction.atomic
def voice_add(
    *,
    acting_user,
    pupil: Pupil,
    what_they_said: str,
    how_gathered: str = "",
    recorded_on: dt.date | None = None,
    request=None,
) -> PupilVoice:
    authorise(acting_user, "add_voice", pupil, request=request)
    recorded_on = recorded_on or _today()
    errors: dict[str, list[str]] = {}
    if not (what_they_said or "").strip():
        errors["what_they_said"] = ["Write down what the pupil said."]
    if recorded_on > _today():
        errors["recorded_on"] = ["The date cannot be in the future."]
    elif recorded_on < pupil.date_of_birth:
        errors["recorded_on"] = ["The date cannot be before the date of birth."]
    _raise(errors)
    entry = PupilVoice.objects.create(
        pupil=pupil,
        what_they_said=what_they_said.strip(),
        how_gathered=(how_gathered or "").strip()[:120],
        recorded_on=recorded_on,
        recorded_by_user_id=_uid(acting_user),
        recorded_by_name=_name(acting_user),
    )
    record(
        user=acting_user,
        action=PupilAction.VOICE_ADDED,
        pupil=pupil,
        summary="Recorded the pupil's views",
        request=request,
        extra={"voice_id": entry.pk},
    )
    return entry
