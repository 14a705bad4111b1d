"""Family pages: a pupil's parents and carers, meetings with them and consent; the school's view
of who was met too rarely this year. Thin: parse, authorise (access.py), call a service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from apps.agencies.models import Agency
from apps.audit.reads import audited_page
from apps.audit.services import record
from apps.core.forms import add_service_errors, form_page
from tenants.typing import SchoolPageRequest

from . import selectors, services
from .access import (
    RIGHTS,
    get_consent_for_write,
    get_contact_for_write,
    get_meeting_for_write,
    get_pupil_for,
)
from .actions import FamilyAction
from .forms import ConsentForm, ContactForm, MeetingForm, WithdrawForm
from .models import AgreedAction, Consent, Meeting
from .rules import MEETINGS_EXPECTED_A_YEAR, school_year_start


def _can(request: SchoolPageRequest) -> dict[str, bool]:
    return {name: RIGHTS.can(request.school_access, name) for name in RIGHTS.table}


def pupil_family(request: SchoolPageRequest, pupil_id: int) -> HttpResponse:
    """One pupil's parents and carers, meetings and consent (what the role may see)."""
    RIGHTS.require(request.school_access, "see_contacts")
    pupil = get_pupil_for(request.school_access, request.user, pupil_id)
    can = _can(request)
    today = timezone.localdate()
    meetings = (
        list(pupil.family_meetings.prefetch_related("actions")) if can["see_meetings"] else []
    )
    consents = list(pupil.consents.select_related("agency")) if can["see_consents"] else []
    start = school_year_start(today)
    held_this_year = sum(
        1 for m in meetings if m.status == Meeting.Status.HELD and start <= m.held_on <= today
    )
    record(
        user=request.user,
        action=FamilyAction.CONTACTS_VIEWED,
        pupil=pupil,
        request=request,
        summary="Viewed the pupil's parents and carers"
        + (", meetings and consent" if can["see_meetings"] else ""),
    )
    return render(
        request,
        "family/pupil.html",
        {
            "pupil": pupil,
            "contacts": list(pupil.family_contacts.all()),
            "meetings": meetings,
            "consents": [(c, c.is_current(today)) for c in consents],
            "held_this_year": held_this_year,
            "expected": MEETINGS_EXPECTED_A_YEAR,
            "year_start": start,
            "can": can,
            "today": today,
            "page_title": "Parents and carers",
        },
    )


def overview(request: SchoolPageRequest) -> HttpResponse:
    """Pupils on the register met fewer than three times this school year; overdue actions."""
    RIGHTS.require(request.school_access, "see_meetings")
    today = timezone.localdate()
    pupils = list(selectors.pupils_met_too_rarely(request.school_access, request.user, today))
    actions = list(selectors.overdue_actions(request.school_access, request.user, today)[:100])
    record(
        user=request.user,
        action=FamilyAction.MEETINGS_LISTED,
        request=request,
        summary=f"Viewed {len(pupils)} pupils met fewer than three times this year",
        extra={"pupil_ids": [p.pk for p in pupils[:50]]},
    )
    return render(
        request,
        "family/overview.html",
        {
            "pupils": pupils,
            "actions": actions,
            "expected": MEETINGS_EXPECTED_A_YEAR,
            "year_start": school_year_start(today),
            "page_title": "Meetings with parents",
        },
    )


def _form_page(
    request: SchoolPageRequest,
    pupil: Any,
    form: Any,
    save: Callable[[dict[str, Any]], Any],
    *,
    success: str,
    heading: str,
    submit: str,
    on_error: Callable[[Any, ValidationError], None] = add_service_errors,
) -> HttpResponse:
    """apps.core.forms.form_page, always back to the pupil's family page."""

    def save_then_back(data: dict[str, Any]) -> None:
        save(data)

    return form_page(
        request,
        form,
        save_then_back,
        template="family/form_page.html",
        success=success,
        heading=heading,
        submit=submit,
        back=reverse("family:pupil", args=[pupil.pk]),
        on_error=on_error,
        pupil=pupil,
    )


@audited_page("a new parent or carer")
@require_http_methods(["GET", "POST"])
def contact_add(request: SchoolPageRequest, pupil_id: int) -> HttpResponse:
    RIGHTS.require(request.school_access, "write_contacts")
    pupil = get_pupil_for(request.school_access, request.user, pupil_id)
    form = ContactForm(request.POST or None, initial={"lives_with_pupil": True})
    return _form_page(
        request,
        pupil,
        form,
        lambda d: services.contact_add(acting_user=request.user, pupil=pupil, request=request, **d),
        success="Contact added.",
        heading="Add a parent or carer",
        submit="Add contact",
    )


@require_http_methods(["GET", "POST"])
def contact_edit(request: SchoolPageRequest, contact_id: int) -> HttpResponse:
    contact = get_contact_for_write(request.school_access, request.user, contact_id)
    initial = {f: getattr(contact, f) for f in services.CONTACT_FIELDS}
    form = ContactForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        contact.pupil,
        form,
        lambda d: services.contact_update(
            acting_user=request.user, contact=contact, request=request, **d
        ),
        success="Contact updated.",
        heading=f"Change {contact.name}'s details",
        submit="Save",
    )


def _meeting_errors(form: Any, exc: ValidationError) -> None:
    """actions.<n>.<field> from the service -> the form's action_<row>_<field>."""
    rows = [a["form_row"] for a in form.actions()]
    if hasattr(exc, "error_dict"):
        mapped: dict[str, list[str]] = {}
        for key, msgs in exc.message_dict.items():
            if key.startswith("actions."):
                _, index, field = key.split(".", 2)
                key = f"action_{rows[int(index)]}_{field}"
            mapped[key] = msgs
        exc = ValidationError(mapped)
    add_service_errors(form, exc)


@audited_page("a new meeting with parents")
@require_http_methods(["GET", "POST"])
def meeting_add(request: SchoolPageRequest, pupil_id: int) -> HttpResponse:
    RIGHTS.require(request.school_access, "write_meetings")
    pupil = get_pupil_for(request.school_access, request.user, pupil_id)
    form = MeetingForm(request.POST or None, initial={"held_on": timezone.localdate()})

    def save(_: dict[str, Any]) -> Meeting:
        actions = [{k: v for k, v in a.items() if k != "form_row"} for a in form.actions()]
        return services.meeting_record(
            acting_user=request.user,
            pupil=pupil,
            request=request,
            actions=actions,
            **form.meeting_data(),
        )

    return _form_page(
        request,
        pupil,
        form,
        save,
        success="Meeting recorded.",
        heading="Record a meeting with parents",
        submit="Save meeting",
        on_error=_meeting_errors,
    )


@require_POST
def action_done(request: SchoolPageRequest, action_id: int) -> HttpResponse:
    action = get_object_or_404(AgreedAction.objects.select_related("meeting"), pk=action_id)
    meeting = get_meeting_for_write(request.school_access, request.user, action.meeting_id)
    action.meeting = meeting
    try:
        services.action_complete(acting_user=request.user, action=action, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Action marked done.")
    return redirect("family:pupil", pupil_id=meeting.pupil_id)


def _agency_choices() -> list[tuple[int, str]]:
    return [
        (a.pk, f"{a.name} ({a.get_kind_display()})")
        for a in Agency.objects.filter(is_active=True).order_by("kind", "name")
    ]


@audited_page("a new consent record")
@require_http_methods(["GET", "POST"])
def consent_add(request: SchoolPageRequest, pupil_id: int) -> HttpResponse:
    RIGHTS.require(request.school_access, "write_consents")
    pupil = get_pupil_for(request.school_access, request.user, pupil_id)
    first = pupil.family_contacts.filter(parental_responsibility=True).first()
    form = ConsentForm(
        request.POST or None,
        agencies=_agency_choices(),
        initial={"given_by_name": first.name if first else "", "decision": "given"},
    )

    def save(d: dict[str, Any]) -> Consent:
        agency = Agency.objects.filter(pk=d.pop("agency")).first() if d.get("agency") else None
        return services.consent_record(
            acting_user=request.user, pupil=pupil, request=request, agency=agency, **d
        )

    return _form_page(
        request,
        pupil,
        form,
        save,
        success="Consent recorded.",
        heading="Record consent",
        submit="Save",
    )


@require_http_methods(["GET", "POST"])
def consent_withdraw(request: SchoolPageRequest, consent_id: int) -> HttpResponse:
    consent = get_consent_for_write(request.school_access, request.user, consent_id)
    form = WithdrawForm(request.POST or None)

    def save(d: dict[str, Any]) -> int:
        stopped = services.consent_withdraw(
            acting_user=request.user,
            consent=consent,
            withdrawn_on=d["withdrawn_on"],
            reason=d["withdrawn_reason"],
            request=request,
        )
        if stopped:
            messages.warning(
                request, f"{stopped} referral{'s' if stopped != 1 else ''} stopped with it."
            )
        return stopped

    return _form_page(
        request,
        consent.pupil,
        form,
        save,
        success="Consent withdrawn.",
        heading=f"Withdraw consent: {consent.get_purpose_display().lower()} ({consent.party})",
        submit="Record withdrawal",
    )


# -- plug-ins ---------------------------------------------------------------------------------


def home_panel(request: SchoolPageRequest) -> dict[str, Any] | None:
    access = getattr(request, "school_access", None)
    # The SENCo's panel (the headteacher and trust SEND lead read it too): roles that see both
    # meetings and the whole school's families.
    if not (RIGHTS.can(access, "see_meetings") and RIGHTS.can(access, "see_contact_details")):
        return None
    today = timezone.localdate()
    below = selectors.pupils_met_too_rarely(access, request.user, today)
    shown = list(below[:8])
    total = len(shown) if len(shown) < 8 else below.count()
    overdue = selectors.overdue_actions(access, request.user, today).count()
    return {
        "template": "family/_home_panel.html",
        "context": {
            "pupils": shown,
            "total": total,
            "overdue": overdue,
            "expected": MEETINGS_EXPECTED_A_YEAR,
        },
    }


def pupil_page_link(request: SchoolPageRequest, pupil: Any) -> dict[str, str] | None:
    if not RIGHTS.can(getattr(request, "school_access", None), "see_contacts"):
        return None
    return {
        "label": "Parents, carers, meetings and consent",
        "url": reverse("family:pupil", args=[pupil.pk]),
        "description": "Who to contact and how, meetings with parents and agreed actions, consent.",
    }
