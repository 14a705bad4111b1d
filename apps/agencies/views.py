"""Agency pages: the directory, referrals (draft, send with consent, progress, report and its
recommendations turned into strategies in one step), bought time. Thin views over services."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from apps.audit.reads import audited_page, no_pupil_data
from apps.audit.services import record
from apps.core.forms import form_page
from apps.family.access import get_pupil_for
from tenants.typing import SchoolPageRequest

from . import selectors, services
from .access import (
    RIGHTS,
    get_agency_for_write,
    get_bought_time_for_write,
    get_referral_for,
    get_referral_for_write,
)
from .actions import AgencyAction
from .forms import AdoptForm, AgencyForm, BoughtTimeForm, ProgressForm, ReferralForm, TimeUseForm
from .models import Agency, AgencyKind, Referral


def _can(request: SchoolPageRequest) -> dict[str, bool]:
    return {name: RIGHTS.can(request.school_access, name) for name in RIGHTS.table}


def _agency_choices() -> list[tuple[int, str]]:
    return [
        (a.pk, f"{a.name} ({a.get_kind_display()})")
        for a in Agency.objects.filter(is_active=True).order_by("kind", "name")
    ]


# Every form page of this package: apps.core.forms.form_page with its template.
_form = partial(form_page, template="agencies/form_page.html")


@no_pupil_data
def directory(request: SchoolPageRequest) -> HttpResponse:
    RIGHTS.require(request.school_access, "see_directory")
    agencies = list(Agency.objects.prefetch_related("contacts").order_by("kind", "name"))
    can = _can(request)
    return render(
        request,
        "agencies/directory.html",
        {
            "agencies": agencies,
            "kinds": AgencyKind.choices,
            "bought": selectors.bought_time_summary() if can["see_bought_time"] else [],
            "can": can,
            "page_title": "Agencies",
        },
    )


@no_pupil_data
@require_http_methods(["GET", "POST"])
def agency_add(request: SchoolPageRequest) -> HttpResponse:
    RIGHTS.require(request.school_access, "write_directory")
    form = AgencyForm(request.POST or None)

    def save(_: dict[str, Any]) -> str:
        fields, contacts = form.split()
        services.agency_add(acting_user=request.user, contacts=contacts, request=request, **fields)
        return reverse("agencies:directory")

    return _form(
        request,
        form,
        save,
        success="Agency added to the directory.",
        heading="Add an agency",
        submit="Add agency",
        back=reverse("agencies:directory"),
    )


@require_http_methods(["GET", "POST"])
def agency_edit(request: SchoolPageRequest, agency_id: int) -> HttpResponse:
    agency = get_agency_for_write(request.school_access, agency_id)
    first = agency.contacts.first()
    initial = {f: getattr(agency, f) for f in services.AGENCY_FIELDS}
    if first:
        initial.update(
            contact_name=first.name,
            contact_job_title=first.job_title,
            contact_phone=first.phone,
            contact_email=first.email,
        )
    form = AgencyForm(request.POST or None, initial=initial)

    def save(_: dict[str, Any]) -> str:
        fields, contacts = form.split()
        services.agency_update(
            acting_user=request.user, agency=agency, contacts=contacts, request=request, **fields
        )
        return reverse("agencies:directory")

    return _form(
        request,
        form,
        save,
        success="Agency updated.",
        heading=f"Change {agency.name}",
        submit="Save",
        back=reverse("agencies:directory"),
    )


def referral_list(request: SchoolPageRequest) -> HttpResponse:
    RIGHTS.require(request.school_access, "see_referrals")
    today = timezone.localdate()
    referrals = list(selectors.referral_list(request.school_access, request.user)[:500])
    record(
        user=request.user,
        action=AgencyAction.REFERRALS_LISTED,
        request=request,
        summary=f"Viewed {len(referrals)} referrals",
        extra={"referral_ids": [r.pk for r in referrals[:50]]},
    )
    return render(
        request,
        "agencies/referrals.html",
        {
            "rows": [(r, r.waiting_days(today)) for r in referrals],
            "can": _can(request),
            "page_title": "Referrals",
        },
    )


@audited_page("a new referral for a pupil")
@require_http_methods(["GET", "POST"])
def referral_new(request: SchoolPageRequest, pupil_id: int) -> HttpResponse:
    RIGHTS.require(request.school_access, "write_referrals")
    pupil = get_pupil_for(request.school_access, request.user, pupil_id)
    documents = [(d.pk, d.title) for d in pupil.documents.all().order_by("-id")]
    form = ReferralForm(request.POST or None, agencies=_agency_choices(), documents=documents)

    def save(d: dict[str, Any]) -> str:
        referral = services.referral_draft(
            acting_user=request.user,
            pupil=pupil,
            agency=Agency.objects.filter(pk=d["agency"]).first(),
            reason=d["reason"],
            evidence_ids=d["evidence"],
            request=request,
        )
        return reverse("agencies:referral", args=[referral.pk])

    return _form(
        request,
        form,
        save,
        success="Referral drafted. Send it when the parents' consent is recorded.",
        heading="Refer to an agency",
        submit="Draft referral",
        back=reverse("pupils:detail", args=[pupil.pk]),
        caption=f"{pupil.display_name} · {pupil.get_year_group_display()}",
    )


def referral_detail(request: SchoolPageRequest, referral_id: int) -> HttpResponse:
    referral = get_referral_for(request.school_access, request.user, referral_id)
    can = _can(request)
    recommendations = list(referral.recommendations.select_related("strategy"))
    pending = [(r.pk, r.text) for r in recommendations if r.outcome == "pending"]
    record(
        user=request.user,
        action=AgencyAction.REFERRAL_VIEWED,
        pupil=referral.pupil,
        request=request,
        summary="Viewed a referral",
        extra={"referral_id": referral.pk},
    )
    return render(
        request,
        "agencies/referral.html",
        {
            "referral": referral,
            "pupil": referral.pupil,
            "evidence": list(referral.evidence.all()),
            "recommendations": recommendations,
            "waiting_days": referral.waiting_days(),
            "progress_form": ProgressForm() if can["write_referrals"] else None,
            "adopt_form": AdoptForm(pending=pending)
            if pending and can["write_referrals"]
            else None,
            "can": can,
            "page_title": "Referral",
        },
    )


def _back_to(referral: Referral) -> HttpResponse:
    return redirect("agencies:referral", referral_id=referral.pk)


@require_POST
def referral_progress(request: SchoolPageRequest, referral_id: int) -> HttpResponse:
    referral = get_referral_for_write(request.school_access, request.user, referral_id)
    form = ProgressForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return _back_to(referral)
    d = form.cleaned_data
    step = d["status"]
    field = {
        "sent": "sent_on",
        "accepted": "accepted_on",
        "appointment": "appointment_on",
        "report_received": "report_received_on",
    }.get(step)
    changes: dict[str, Any] = {field: d["on"]} if field else {}
    if step == "report_received":
        changes["report_summary"] = d["report_summary"]
        changes["recommendations"] = [
            line.strip(" -•\t") for line in d["recommendations"].splitlines() if line.strip()
        ]
    try:
        services.referral_update(
            acting_user=request.user, referral=referral, status=step, request=request, **changes
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Referral: {dict(ProgressForm.STEPS)[step].lower()}.")
    return _back_to(referral)


@require_POST
def recommendations_adopt(request: SchoolPageRequest, referral_id: int) -> HttpResponse:
    referral = get_referral_for_write(request.school_access, request.user, referral_id)
    pending = [(r.pk, r.text) for r in referral.recommendations.filter(outcome="pending")]
    form = AdoptForm(request.POST, pending=pending)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return _back_to(referral)
    try:
        done = services.recommendations_adopt(
            acting_user=request.user,
            referral=referral,
            recommendation_ids=form.cleaned_data["recommendation_ids"],
            outcome=form.cleaned_data["outcome"],
            review_on=form.cleaned_data["review_on"],
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"{len(done)} recommendation{'s' if len(done) != 1 else ''} "
            f"{'added to the strategies that work' if form.cleaned_data['outcome'] == 'strategy' else 'recorded as not adopted'}.",
        )
    return _back_to(referral)


@no_pupil_data
@require_http_methods(["GET", "POST"])
def bought_time_add(request: SchoolPageRequest) -> HttpResponse:
    RIGHTS.require(request.school_access, "write_bought_time")
    form = BoughtTimeForm(request.POST or None, agencies=_agency_choices())

    def save(d: dict[str, Any]) -> str:
        services.time_buy(
            acting_user=request.user,
            agency=Agency.objects.get(pk=d.pop("agency")),
            request=request,
            **d,
        )
        return reverse("agencies:directory")

    return _form(
        request,
        form,
        save,
        success="Bought time recorded.",
        heading="Record bought time",
        submit="Save",
        back=reverse("agencies:directory"),
    )


@require_http_methods(["GET", "POST"])
def time_use(request: SchoolPageRequest, bought_id: int) -> HttpResponse:
    bought = get_bought_time_for_write(request.school_access, bought_id)
    form = TimeUseForm(request.POST or None)

    def save(d: dict[str, Any]) -> str:
        services.time_use(acting_user=request.user, bought=bought, request=request, **d)
        return reverse("agencies:directory")

    return _form(
        request,
        form,
        save,
        success="Time used recorded.",
        heading=f"Record time used: {bought.agency.name}",
        submit="Save",
        back=reverse("agencies:directory"),
    )


# -- plug-ins -------------------------------------------------------------------------------


def pupil_page_link(request: SchoolPageRequest, pupil: Any) -> dict[str, str] | None:
    access = getattr(request, "school_access", None)
    if not RIGHTS.can(access, "write_referrals"):
        return None
    return {
        "label": "Refer to an agency",
        "url": reverse("agencies:referral-new", args=[pupil.pk]),
        "description": "Speech and language, educational psychology, OT, CAMHS and more.",
    }


def home_panel(request: SchoolPageRequest) -> dict[str, Any] | None:
    access = getattr(request, "school_access", None)
    if not (RIGHTS.can(access, "see_referrals") and RIGHTS.can(access, "see_bought_time")):
        return None
    return {
        "template": "agencies/_home_panel.html",
        "context": {"counts": selectors.open_referral_counts(access, request.user)},
    }
