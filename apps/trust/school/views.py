"""Transfer pages on a school's own host: the sending SENCo starts a transfer, the receiving
SENCo sees the pupil's name (read from the sending school's schema) and accepts or declines."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.audit.reads import audited_page
from apps.core.forms import add_service_errors
from tenants.models import School
from tenants.schemas import in_school_schema

from .. import services
from ..access import get_transfer_for_write, require_school_senco
from ..forms import TransferStartForm
from ..models import PupilTransfer
from ..transfers import transfer_parts


def _describe(school: School, pupil_id: int) -> str:
    describe = next((p.describe for p in transfer_parts() if p.describe), None)
    if describe is None:
        return f"Pupil {pupil_id}"
    with in_school_schema(school):
        name = describe(pupil_id)
    return name or "A pupil no longer on roll"


def _pupil_url(pupil_id: int) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("pupils:detail", args=[pupil_id])
    except NoReverseMatch:
        return None


@audited_page("transfers in and out")
def transfers(request: HttpRequest) -> HttpResponse:
    require_school_senco(request.user, request.school)
    school = request.school
    others = (
        School.objects.filter(trust_id=school.trust_id, status=School.Status.ACTIVE)
        .exclude(pk=school.pk)
        .order_by("name")
    )
    form = TransferStartForm(request.POST or None, schools=others)
    if request.method == "POST" and form.is_valid():
        to_school = others.get(pk=int(form.cleaned_data["to_school"]))
        try:
            services.transfer_start(
                acting_user=request.user,
                from_school=school,
                to_school=to_school,
                source_pupil_id=form.cleaned_data["pupil"].pk,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Transfer started. {to_school.name}'s SENCo must accept it before anything is copied.",
            )
            return redirect("school-transfers")
    incoming = list(
        PupilTransfer.objects.filter(to_school=school).select_related("from_school", "started_by")[
            :100
        ]
    )
    outgoing = list(
        PupilTransfer.objects.filter(from_school=school).select_related("to_school", "decided_by")[
            :100
        ]
    )
    for t in incoming:
        t.pupil_url = None
        if t.status == PupilTransfer.Status.PENDING:
            t.pupil_label = _describe(t.from_school, t.source_pupil_id)
        elif t.status == PupilTransfer.Status.ACCEPTED and t.received_pupil_id:
            # Now this school's own pupil: named from this school's schema.
            t.pupil_label = _describe(school, t.received_pupil_id)
            t.pupil_url = _pupil_url(t.received_pupil_id)
        else:
            t.pupil_label = "–"
    for t in outgoing:
        t.pupil_label = (
            _describe(school, t.source_pupil_id)
            if t.status == PupilTransfer.Status.PENDING
            else "Now a leaver here"
            if t.status == PupilTransfer.Status.ACCEPTED
            else "–"
        )
    return render(
        request,
        "trust/school_transfers.html",
        {
            "form": form,
            "incoming": incoming,
            "outgoing": outgoing,
            "page_title": "Transfers",
            "parts": transfer_parts(),
        },
    )


@require_POST
def transfer_decide(request: HttpRequest, transfer_id: int) -> HttpResponse:
    action = request.POST.get("action")
    transfer = get_transfer_for_write(
        request.user, request.school, transfer_id, sending=action == "cancel"
    )
    try:
        if action == "accept":
            services.transfer_accept(acting_user=request.user, transfer=transfer)
            message = "Transfer accepted: the pupil's SEND file is now in this school."
        elif action in ("decline", "cancel"):
            services.transfer_decline(
                acting_user=request.user, transfer=transfer, cancel=action == "cancel"
            )
            message = (
                "Transfer cancelled."
                if action == "cancel"
                else "Transfer declined. Nothing was copied."
            )
        else:
            raise ValidationError("Choose accept, decline or cancel.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, message)
    return redirect("school-transfers")
