"""Writing the audit log. Every read of a pupil's SEND record and every change, export and
download calls `record()`.

    record(user=request.user, action=PupilAction.VIEWED, pupil=pupil, request=request)

Rules for callers: `summary` says what happened in words a headteacher understands, without the
pupil's name or UPN (refer to the pupil through `pupil=`); `extra` carries ids and codes, never
free text about the child.
"""

from __future__ import annotations

from typing import Any

from .actions import AuditAction, known_action_labels
from .models import AuditEvent


def action_label(action: str) -> str:
    label = known_action_labels().get(action)
    return label or action.replace(".", " ").replace("_", " ").capitalize()


def client_ip(request) -> str | None:
    """The caller's address. REMOTE_ADDR is what the web server saw; behind a proxy, the proxy
    must set it (gunicorn's forwarded-allow-ips), so a client cannot forge it with a header."""
    if request is None:
        return None
    django_request = getattr(request, "_request", request)
    address = django_request.META.get("REMOTE_ADDR") or None
    return address


def record(
    *,
    user,
    action: AuditAction,
    pupil=None,
    summary: str = "",
    request=None,
    extra: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit row in the current school's schema and return it."""
    django_request = getattr(request, "_request", request) if request is not None else None
    if django_request is not None:
        # This request's read is accounted for (apps.audit.reads adds no generic row).
        django_request._sencohub_audited = True
    access = getattr(django_request, "school_access", None) if django_request is not None else None
    role = access.role_label if access is not None else ""
    via_trust = bool(access and access.via_trust)
    user_id = (
        getattr(user, "pk", None)
        if user is not None and getattr(user, "is_authenticated", False)
        else None
    )
    return AuditEvent.objects.create(
        user_id=user_id,
        actor_name=(getattr(user, "full_name", "") or "") if user_id else "System",
        actor_role=role,
        via_trust=via_trust,
        action=str(action)[:64],
        pupil=pupil,
        summary=summary[:300],
        ip_address=client_ip(django_request),
        extra=extra or {},
    )


def record_many(
    *,
    user,
    action: AuditAction,
    pupil_ids: list[int],
    summary: str = "",
    request=None,
    extra: dict[str, Any] | None = None,
) -> int:
    """One row per pupil in one query (bulk exports and imports)."""
    django_request = getattr(request, "_request", request) if request is not None else None
    if django_request is not None:
        django_request._sencohub_audited = True
    access = getattr(django_request, "school_access", None) if django_request is not None else None
    user_id = (
        getattr(user, "pk", None)
        if user is not None and getattr(user, "is_authenticated", False)
        else None
    )
    base = dict(
        user_id=user_id,
        actor_name=(getattr(user, "full_name", "") or "") if user_id else "System",
        actor_role=access.role_label if access is not None else "",
        via_trust=bool(access and access.via_trust),
        action=str(action)[:64],
        summary=summary[:300],
        ip_address=client_ip(django_request),
        extra=extra or {},
    )
    rows = AuditEvent.objects.bulk_create([AuditEvent(pupil_id=pid, **base) for pid in pupil_ids])
    return len(rows)
