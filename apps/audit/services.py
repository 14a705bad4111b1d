"""Writing the audit log. Every read of a pupil's SEND record and every change, export and
download calls `record()`.

    record(user=request.user, action="pupil.viewed", pupil=pupil, request=request)

Rules for callers: `summary` says what happened in words a headteacher understands, without the
pupil's name or UPN (refer to the pupil through `pupil=`); `extra` carries ids and codes, never
free text about the child.
"""

from __future__ import annotations

from typing import Any

from .models import AuditEvent

# Actions used across the product. Free strings are accepted (new features add their own), but
# these read well in the log.
ACTION_LABELS: dict[str, str] = {
    "pupil.viewed": "Viewed pupil record",
    "pupil.created": "Added pupil",
    "pupil.updated": "Changed pupil details",
    "register.changed": "Changed SEN register entry",
    "register.viewed": "Viewed the SEN register",
    "register.searched": "Searched the SEN register",
    "profile.updated": "Changed one-page profile",
    "voice.added": "Recorded pupil voice",
    "strategy.added": "Added a strategy",
    "strategy.retired": "Retired a strategy",
    "concern.raised": "Raised a concern",
    "concern.triaged": "Triaged a concern",
    "concern.viewed": "Viewed a concern",
    "class.changed": "Changed a class",
    "ta.assigned": "Assigned a teaching assistant",
    "ta.unassigned": "Removed a teaching assistant",
    "access_log.viewed": "Viewed a pupil's access log",
    "audit_log.viewed": "Viewed the school's audit log",
    "api.pupil.listed": "Listed pupils through the API",
    "document.downloaded": "Downloaded a document",
    "document.uploaded": "Uploaded a document",
    "document.removed": "Removed a document",
    "documents.listed": "Listed a pupil's documents",
    "export.included": "Included in an export",
    "export.downloaded": "Downloaded an export",
    "import.previewed": "Uploaded an import for preview",
    "import.confirmed": "Confirmed an import",
    "import.rejected": "Import refused",
    "import.discarded": "Discarded an import",
}


def action_label(action: str) -> str:
    from .actions import known_action_labels

    label = ACTION_LABELS.get(action) or known_action_labels().get(action)
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
    action: str,
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
    action: str,
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
