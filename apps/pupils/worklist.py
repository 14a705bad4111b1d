"""This package's worklist items (see apps.core.extensions.WORKLIST): counts and a path, never a
pupil's name. Registered in PupilsConfig.ready()."""

from __future__ import annotations

from django.db.models import Count, Q

from apps.core.extensions import WorklistContext, WorklistItem

from .access import can, visible_pupils
from .models import Concern
from .selectors import added_to_register_since, open_concerns, this_term_start

__all__ = [
    "added_this_term_item",
    "open_concerns_item",
    "added_to_register_since",
    "this_term_start",
]


def open_concerns_item(context: WorklistContext) -> list[WorklistItem]:
    if not can(context.access, "see_send_detail"):
        return []
    concerns = open_concerns(context.access, context.user)
    counts = concerns.aggregate(
        total=Count("id"), new=Count("id", filter=Q(status=Concern.Status.NEW))
    )
    items = [WorklistItem(label="Open concerns", count=counts["total"] or 0, path="/concerns/")]
    if can(context.access, "triage_concern") and counts["new"]:
        items.append(
            WorklistItem(
                label="Concerns awaiting triage",
                count=counts["new"],
                path="/concerns/",
                urgency="soon",
            )
        )
    return items


def added_this_term_item(context: WorklistContext) -> list[WorklistItem]:
    if not can(context.access, "see_pupils"):
        return []
    pupils = visible_pupils(context.access, context.user).on_roll(context.today).on_register()
    count = added_to_register_since(pupils, this_term_start(context.today)).count()
    return [
        WorklistItem(
            label="Pupils added to the register this term",
            count=count,
            path="/pupils/?added=term",
        )
    ]
