from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render

from apps.audit.reads import audited_page
from apps.core.extensions import HOME_PANELS
from apps.core.worklist import worklist_for_request
from apps.pupils.roll import number_on_roll
from tenants.models import SchoolMembership
from tenants.roles import SchoolRole
from tenants.typing import SchoolRequest


@audited_page("the home page")
def home(request: SchoolRequest) -> HttpResponse:
    school = request.school
    if school is None:  # served on a school's host only
        raise Http404
    sencos = (
        SchoolMembership.objects.filter(school=school, role=SchoolRole.SENCO)
        .select_related("user")
        .order_by("user__full_name")
    )
    panels = [p for p in (panel(request) for panel in HOME_PANELS) if p]
    worklist = [{"item": item, "link": item.path} for item in worklist_for_request(request)]
    return render(
        request,
        "school/home.html",
        {
            "school": school,
            "sencos": sencos,
            "access": request.school_access,
            "panels": panels,
            "worklist": worklist,
            "number_on_roll": number_on_roll(school),
            "page_title": "Home",
        },
    )
