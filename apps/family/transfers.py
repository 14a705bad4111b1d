"""Parents and carers, and meetings with them (with agreed actions), move with a pupil on an
in-trust transfer. Consent does not: it names the sending school's agencies and was given to
that school."""

from __future__ import annotations

from typing import Any

from apps.trust.transfers import TransferContext, register_transfer_part

from .models import AgreedAction, Contact, Meeting
from .services import CONTACT_FIELDS, MEETING_FIELDS

ACTION_FIELDS = ("what", "owner_name", "due_on", "done_on", "done_note")


def export_family(ctx: TransferContext) -> dict[str, Any]:
    contacts = [
        {f: getattr(c, f) for f in CONTACT_FIELDS}
        for c in Contact.objects.filter(pupil_id=ctx.source_pupil_id)
    ]
    meetings = [
        {
            **{f: getattr(m, f) for f in MEETING_FIELDS},
            "recorded_by_name": m.recorded_by_name,
            "actions": [{f: getattr(a, f) for f in ACTION_FIELDS} for a in m.actions.all()],
        }
        for m in Meeting.objects.filter(pupil_id=ctx.source_pupil_id).prefetch_related("actions")
    ]
    return {"contacts": contacts, "meetings": meetings}


def import_family(data: Any, ctx: TransferContext) -> int:
    copied = 0
    for row in data["contacts"]:
        Contact.objects.create(pupil_id=ctx.new_pupil_id, **row)
        copied += 1
    for row in data["meetings"]:
        row = dict(row)
        actions = row.pop("actions")
        meeting = Meeting.objects.create(pupil_id=ctx.new_pupil_id, **row)
        for action in actions:
            AgreedAction.objects.create(meeting=meeting, **action)
        copied += 1
    return copied


register_transfer_part(
    "family",
    label="Parents and carers, and meetings with them",
    export=export_family,
    import_=import_family,
    order=50,
)
