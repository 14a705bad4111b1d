"""Exam access arrangements move with a pupil on an in-trust transfer (the evidence is the
candidate's, and the new centre must see it)."""

from __future__ import annotations

from typing import Any

from apps.trust.transfers import TransferContext, register_transfer_part

from .models import AccessArrangement

FIELDS = (
    "kind",
    "extra_time_percent",
    "assessor",
    "assessed_on",
    "history_of_need",
    "normal_way_of_working",
    "expires_on",
    "is_active",
)


def export_arrangements(ctx: TransferContext) -> list[dict[str, Any]]:
    return [
        {f: getattr(a, f) for f in FIELDS}
        for a in AccessArrangement.objects.filter(pupil_id=ctx.source_pupil_id)
    ]


def import_arrangements(rows: Any, ctx: TransferContext) -> int:
    for row in rows:
        AccessArrangement.objects.create(pupil_id=ctx.new_pupil_id, **row)
    return len(rows)


register_transfer_part(
    "access_arrangements",
    label="Exam access arrangements",
    export=export_arrangements,
    import_=import_arrangements,
    order=60,
)
