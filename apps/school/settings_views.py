"""The school's term dates and review cadence page (SENCo and headteacher)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from apps.audit.reads import no_pupil_data
from apps.core.forms import add_service_errors

from . import selectors, services
from .access import RIGHTS
from .forms import TermsForm
from .models import Term


@no_pupil_data
@require_http_methods(["GET", "POST"])
def term_dates(request: HttpRequest) -> HttpResponse:
    access = request.school_access  # type: ignore[attr-defined]
    RIGHTS.require(access, "see_terms")
    can_set = RIGHTS.can(access, "set_terms")
    initial: dict[str, Any] = {
        "review_interval_weeks": selectors.school_settings().review_interval_weeks or ""
    }
    for n, term in enumerate(Term.objects.order_by("starts_on")[:6]):
        initial |= {
            f"term_{n}_name": term.name,
            f"term_{n}_starts_on": term.starts_on,
            f"term_{n}_ends_on": term.ends_on,
        }
    form = TermsForm(request.POST or None, initial=initial)
    if request.method == "POST":
        RIGHTS.require(access, "set_terms")
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.terms_set(acting_user=request.user, terms=form.terms())
                    services.review_cadence_set(
                        acting_user=request.user,
                        interval_weeks=form.cleaned_data["review_interval_weeks"],
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Term dates and review cadence saved.")
                return redirect("school-terms")
    return render(
        request,
        "school/term_dates.html",
        {
            "form": form,
            "can_set": can_set,
            "current": selectors.current_term(),
            "next_review": selectors.next_review_date(),
            "uses_own_terms": Term.objects.exists(),
            "page_title": "Term dates",
        },
    )
