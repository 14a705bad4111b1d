"""The school's audit log page (headteacher, and trust SEND leads who read as one)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.pupils.access import can

from .actions import AuditLogAction, known_action_labels
from .selectors import school_audit_log
from .services import action_label, record


def school_log(request: HttpRequest) -> HttpResponse:
    if not can(request.school_access, "see_school_audit"):
        raise PermissionDenied("Only the headteacher can see the school's audit log.")
    action = request.GET.get("action") or None
    if action not in known_action_labels():
        action = None
    page = Paginator(
        school_audit_log(action=action)
        .select_related("pupil")
        .only(
            "occurred_at",
            "actor_name",
            "actor_role",
            "via_trust",
            "action",
            "summary",
            "ip_address",
            "pupil__id",
            "pupil__first_name",
            "pupil__last_name",
            "pupil__preferred_first_name",
            "pupil__preferred_last_name",
        ),
        100,
    ).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.action_label = action_label(event.action)
    record(
        user=request.user,
        action=AuditLogAction.VIEWED,
        summary="Viewed the school's audit log",
        request=request,
    )
    return render(
        request,
        "audit/school_log.html",
        {
            "page": page,
            "action": action,
            "actions": sorted(known_action_labels().items(), key=lambda kv: kv[1]),
            "page_title": "Audit log",
        },
    )
