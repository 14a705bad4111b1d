from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from apps.audit.reads import audited_page
from tenants.typing import SchoolRequest

from .access import RIGHTS
from .models import RetentionReview
from .services import retention_delete_confirmed


@audited_page("records past their retention date")
@require_http_methods(["GET", "POST"])
def retention(request: SchoolRequest) -> HttpResponse:
    """The SENCo's list of records past their retention date; deletion only when confirmed."""
    access = request.school_access
    if not RIGHTS.can(access, "review_retention"):
        raise PermissionDenied(RIGHTS.denied_message)
    reviews = RetentionReview.objects.select_related("pupil")
    error = ""
    if request.method == "POST":
        chosen = [int(v) for v in request.POST.getlist("pupil") if v.isdigit()]
        if not chosen:
            error = "Tick the records to delete."
        elif request.POST.get("confirm") != "yes":
            error = "Confirm that these records are past retention and should be deleted."
        else:
            deleted = retention_delete_confirmed(
                acting_user=request.user, access=access, pupil_ids=chosen, request=request
            )
            messages.success(
                request,
                f"Deleted {deleted} record{'s' if deleted != 1 else ''} and their documents.",
            )
            return redirect("retention")
    return render(
        request,
        "retention/retention.html",
        {"reviews": reviews, "error": error, "page_title": "Records past retention"},
        status=400 if error else 200,
    )
