"""Concerns raised by staff and the SENCo's decisions on them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.audit.services import record

from ..actions import PupilAction
from ..models import Concern, ConcernNote, Pupil
from ._common import _name, _raise, _uid, authorise


@transaction.atomic
def concern_raise(
    *, acting_user, pupil: Pupil, what_seen: str, what_tried: str = "", request=None
) -> Concern:
    """Any member of staff with the right raises a concern about any pupil on roll (the Code of
    Practice expects every teacher to flag a need they notice, taught or not). Raising one shows
    them nothing more about the pupil: the concern goes to the SENCo."""
    authorise(acting_user, "raise_concern", request=request)
    if pupil.leaving_date is not None and pupil.leaving_date <= timezone.localdate():
        raise ValidationError({"pupil": ["This pupil has left the school."]})
    if not (what_seen or "").strip():
        raise ValidationError({"what_seen": ["Describe what you have noticed."]})
    concern = Concern.objects.create(
        pupil=pupil,
        what_seen=what_seen.strip(),
        what_tried=(what_tried or "").strip(),
        raised_by_user_id=_uid(acting_user),
        raised_by_name=_name(acting_user),
    )
    record(
        user=acting_user,
        action=PupilAction.CONCERN_RAISED,
        pupil=pupil,
        summary="Raised a concern",
        request=request,
        extra={"concern_id": concern.pk},
    )
    return concern


@transaction.atomic
def concern_triage(
    *, acting_user, concern: Concern, decision: str, note: str = "", request=None
) -> ConcernNote:
    """The SENCo's decision on a concern — monitor, assess, add to the register or no further
    action — with a dated note. Adding to the register is then done on the register itself."""
    authorise(acting_user, "triage_concern", concern.pupil, request=request)
    errors: dict[str, list[str]] = {}
    if decision not in Concern.DECISIONS:
        errors["decision"] = ["Choose monitor, assess, add to the register or no further action."]
    if not (note or "").strip():
        errors["note"] = ["Add a note saying why (it is kept with the concern, dated)."]
    _raise(errors)
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    entry = ConcernNote.objects.create(
        concern=concern,
        decision=decision,
        note=note.strip(),
        written_by_user_id=_uid(acting_user),
        written_by_name=_name(acting_user),
    )
    before = concern.status
    concern.status = decision
    concern.updated_at = timezone.now()
    concern.save(update_fields=["status", "updated_at"])
    record(
        user=acting_user,
        action=PupilAction.CONCERN_TRIAGED,
        pupil=concern.pupil,
        summary=f"Concern {Concern.Status(before).label.lower()} → {Concern.Status(decision).label.lower()}",
        request=request,
        extra={"concern_id": concern.pk, "decision": decision},
    )
    return entry
