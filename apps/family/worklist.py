"""Counted to-dos for the SENCo's worklist (no names: the same items show across schools)."""

from __future__ import annotations

from apps.core.extensions import WorklistContext, WorklistItem

from . import selectors
from .access import RIGHTS


def family_worklist(ctx: WorklistContext) -> list[WorklistItem]:
    if not RIGHTS.can(ctx.access, "write_meetings"):
        return []
    items = []
    rarely = selectors.pupils_met_too_rarely(ctx.access, ctx.user, ctx.today).count()
    if rarely:
        items.append(
            WorklistItem("Pupils whose parents were met fewer than 3 times", rarely, "/family/")
        )
    overdue = selectors.overdue_actions(ctx.access, ctx.user, ctx.today).count()
    if overdue:
        items.append(
            WorklistItem("Actions agreed with parents overdue", overdue, "/family/", "overdue")
        )
    return items
