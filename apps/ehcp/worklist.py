"""The SENCo's worklist (home page and "My schools"): counts of urgent statutory deadlines."""

from __future__ import annotations

from apps.core.extensions import WorklistContext, WorklistItem

from . import access, rules, selectors


def statutory_deadlines(ctx: WorklistContext) -> list[WorklistItem]:
    if not access.can(ctx.access, "see_calendar"):
        return []
    deadlines = selectors.open_deadlines(
        selectors.school_deadlines(ctx.access, ctx.user, today=ctx.today, school=ctx.school)
    )
    overdue = sum(1 for d in deadlines if d.bucket(ctx.today) == rules.OVERDUE_BUCKET)
    this_week = sum(1 for d in deadlines if d.bucket(ctx.today) == rules.THIS_WEEK)
    items = []
    if overdue:
        items.append(WorklistItem("Statutory deadlines overdue", overdue, "/ehcp/", "overdue"))
    if this_week:
        items.append(WorklistItem("Statutory deadlines this week", this_week, "/ehcp/", "soon"))
    return items
