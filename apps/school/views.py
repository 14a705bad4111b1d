from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.core.extensions import HOME_PANELS
from tenants.models import SchoolMembership
from tenants.roles import SchoolRole


def home(request: HttpRequest) -> HttpResponse:
    school = request.school
    sencos = (
        SchoolMembership.objects.filter(school=school, role=SchoolRole.SENCO)
        .select_related("user")
        .order_by("user__full_name")
    )
    panels = [p for p in (panel(request) for panel in HOME_PANELS) if p]
    return render(
        request,
        "school/home.html",
        {
            "school": school,
            "sencos": sencos,
            "access": request.school_access,
            "panels": panels,
            "page_title": "Home",
        },
    )
