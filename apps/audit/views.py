"""The school's audit log page and its CSV export (SENCo, headteacher, and trust SEND leads who
read as a headteacher)."""

from __future__ import annotations

import csv
import io

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from apps.pupils.access import can
from tenants.typing import SchoolPageRequest

from .actions import AuditLogAction, known_action_labels
from .selectors import LogFilters, log_people, school_audit_log
from .services import action_label, record

PAGE_SIZE = 100
COLUMNS = (
    "occurred_at",
    "actor_name",
    "actor_role",
    "via_trust",
    "action",
    "summary",
    "ip_address",
    "extra",
    "pupil__id",
    "pupil__first_name",
    "pupil__last_name",
    "pupil__preferred_first_name",
    "pupil__preferred_last_name",
)


def _allowed(request: SchoolPageRequest) -> None:
    if not can(request.school_access, "see_school_audit"):
        raise PermissionDenied("Only the SENCo and the headteacher can see the school's audit log.")


def _actions() -> dict[str, str]:
    return known_action_labels()


def school_log(request: SchoolPageRequest) -> HttpResponse:
    _allowed(request)
    actions = _actions()
    filters = LogFilters.from_query(request.GET, known_actions=actions)
    page = Paginator(
        school_audit_log(filters=filters).select_related("pupil").only(*COLUMNS), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.action_label = action_label(event.action)
        event.pupil_count = len(event.extra.get("pupil_ids") or []) if event.extra else 0
    record(
        user=request.user,
        action=AuditLogAction.VIEWED,
        summary="Viewed the school's audit log",
        request=request,
    )
    pupil = None
    if filters.pupil_id:
        from apps.pupils.models import Pupil

        pupil = Pupil.objects.filter(pk=filters.pupil_id).first()
    return render(
        request,
        "audit/school_log.html",
        {
            "page": page,
            "filters": filters,
            "filter_query": filters.query_string(),
            "filter_pupil": pupil,
            "action": filters.action,
            "actions": sorted(actions.items(), key=lambda kv: kv[1]),
            "people": log_people(),
            "page_title": "Audit log",
        },
    )


def school_log_csv(request: SchoolPageRequest) -> HttpResponse:
    """The log as filtered, as CSV. Exporting it is itself recorded."""
    _allowed(request)
    filters = LogFilters.from_query(request.GET, known_actions=_actions())
    events = school_audit_log(filters=filters).only(
        "occurred_at",
        "actor_name",
        "actor_role",
        "via_trust",
        "action",
        "summary",
        "ip_address",
        "pupil_id",
        "extra",
    )
    record(
        user=request.user,
        action=AuditLogAction.EXPORTED,
        summary="Exported the school's audit log as CSV",
        request=request,
        extra={"filters": filters.query_string()},
    )
    # Written in full inside the request, while the school's schema is the connection's.
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["When", "Who", "Role", "Via trust", "Action", "What", "Pupil id", "Pupil ids", "Address"]
    )
    for e in events.iterator(chunk_size=2000):
        ids = (e.extra or {}).get("pupil_ids") or []
        writer.writerow(
            [
                timezone.localtime(e.occurred_at).strftime("%Y-%m-%d %H:%M:%S"),
                e.actor_name,
                e.actor_role,
                "yes" if e.via_trust else "",
                action_label(e.action),
                e.summary,
                e.pupil_id or "",
                " ".join(str(i) for i in ids),
                e.ip_address or "",
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response
