"""Counted to-dos for the SENCo's worklist (no names)."""

from __future__ import annotations

from apps.core.extensions import WorklistContext, WorklistItem

from .access import RIGHTS
from .selectors import open_referral_counts


def agencies_worklist(ctx: WorklistContext) -> list[WorklistItem]:
    if not RIGHTS.can(ctx.access, "write_referrals"):
        return []
    counts = open_referral_counts(ctx.access, ctx.user)
    items = []
    if counts["reports"]:
        items.append(
            WorklistItem(
                "Agency reports with recommendations to act on",
                counts["reports"],
                "/agencies/referrals/",
                "soon",
            )
        )
    if counts["drafts"]:
        items.append(
            WorklistItem("Referrals drafted, not sent", counts["drafts"], "/agencies/referrals/")
        )
    return items
