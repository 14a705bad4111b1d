from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tenants.access import schools_for

from .selectors import trust_schools, trusts_for


def home(request: HttpRequest) -> HttpResponse:
    memberships = trusts_for(request.user)
    if not memberships:
        # School staff who land on the platform domain: their schools.
        return render(request, "trust/my_schools.html", {"schools": schools_for(request.user), "page_title": "Your schools"})
    trust, role = memberships[0]
    schools = list(trust_schools(trust))
    return render(
        request,
        "trust/home.html",
        {"trust": trust, "role": role, "schools": schools, "page_title": "Trust overview",
         "total_roll": sum(s.number_on_roll for s in schools)},
    )
