"""Counted to-dos for the SENCo's worklist (no names)."""

from __future__ import annotations

from apps.core.extensions import WorklistContext, WorklistItem

from . import selectors
from .access import RIGHTS


def staff_worklist(ctx: WorklistContext) -> list[WorklistItem]:
    items = []
    if RIGHTS.can(ctx.access, "write_staff"):
        warnings = len(selectors.skills_warnings(ctx.today))
        if warnings:
            items.append(
                WorklistItem("Work run without the training it needs", warnings, "/staff/")
            )
    if RIGHTS.can(ctx.access, "write_arrangements"):
        _, rows = selectors.exams_list(ctx.access, ctx.user, ctx.today)
        flagged = sum(1 for r in rows if r.missing or r.expires_before_series)
        if flagged:
            items.append(
                WorklistItem(
                    "Exam access arrangements lacking evidence or expiring",
                    flagged,
                    "/exams/",
                    "soon",
                )
            )
    return items
