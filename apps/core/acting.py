"""Authorising a service call made on behalf of a user, in the current school's schema.

Services take ``acting_user`` (None = the system itself: demo seeding, a task) and ask the
domain's ``Rights`` table through :func:`authorise`, so a write refused on the page is refused on
the API and in a script too. ``pupil_id`` also checks the user may work with that pupil (the
register's rule), and :func:`actor_id` / :func:`actor_name` are what rows record as their
author. Given the request, the access the gate worked out for it is used (computed once per
request); otherwise it is worked out here."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from apps.audit.actions import AuditAction

from .access import Rights, access_for

__all__ = ["access_for", "actor_id", "actor_name", "authorise"]


def authorise(
    rights: Rights,
    acting_user: Any,
    capability: str,
    *,
    pupil_id: int | None = None,
    request: Any = None,
) -> Any:
    """Refuse unless ``acting_user`` may use ``capability`` (and, given ``pupil_id``, work with
    that pupil); returns their access (None for the system)."""
    if acting_user is None:
        return None
    access = rights.access_for(acting_user, request)
    rights.require(access, capability)
    if pupil_id is not None:
        # apps.pupils builds on apps.core, so its rule is looked up when needed.
        from apps.pupils.access import can_see_pupil

        if not can_see_pupil(access, acting_user, pupil_id):
            raise PermissionDenied("You can only work with pupils you teach or support.")
    return access


def actor_id(user: Any) -> int | None:
    return getattr(user, "pk", None) if user is not None else None


def actor_name(user: Any) -> str:
    if user is None:
        return "System"
    return getattr(user, "full_name", "") or getattr(user, "email", "") or "Unknown"


def record_reads(
    *,
    user: Any,
    action: AuditAction,
    pupil_ids: list[int],
    summary: str,
    request: Any = None,
) -> None:
    """Audit a read that listed pupils: one row per pupil, or one row saying nothing was listed
    (a read is always on the record, even an empty one)."""
    from apps.audit.services import record, record_many

    if pupil_ids:
        record_many(user=user, action=action, pupil_ids=pupil_ids, summary=summary, request=request)
    else:
        record(user=user, action=action, summary=f"{summary} (no pupils)", request=request)
