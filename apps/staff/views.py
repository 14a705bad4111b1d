"""Staff pages (records, deployment, training, the skills matrix), exam access arrangements
with the exams officer's list (PDF, Excel), and transitions. Thin views over services."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from apps.audit.reads import audited_page, no_pupil_data
from apps.audit.services import record
from apps.core.forms import form_page
from apps.family.access import get_pupil_for
from apps.pupils.access import visible_pupils
from tenants.typing import SchoolPageRequest, tenant_db

from . import exports, selectors, services
from .access import (
    RIGHTS,
    get_arrangement_for_write,
    get_staff_for_write,
    get_transition_for,
    get_transition_for_write,
    transitions_for,
)
from .actions import StaffAction
from .forms import (
    ArrangementForm,
    DeploymentForm,
    StaffForm,
    StepForm,
    TrainingForm,
    TransitionForm,
)
from .models import Deployment, StaffMember, Training, TransitionStep
from .rules import is_secondary


def _can(request: SchoolPageRequest) -> dict[str, bool]:
    return {name: RIGHTS.can(request.school_access, name) for name in RIGHTS.table}


# Every form page of this package: apps.core.forms.form_page with its template.
_form = partial(form_page, template="agencies/form_page.html")


# -- staff -----------------------------------------------------------------------------------


@audited_page("staff and their deployments")
def staff_list(request: SchoolPageRequest) -> HttpResponse:
    RIGHTS.require(request.school_access, "see_staff")
    skills, matrix = selectors.skills_matrix()
    return render(
        request,
        "staff/staff.html",
        {
            "rows": selectors.staff_with_load(),
            "warnings": selectors.skills_warnings(),
            "skills": skills,
            "matrix": matrix,
            "training": list(Training.objects.prefetch_related("attendees")[:50]),
            "deployments": list(
                Deployment.objects.select_related("staff", "pupil", "group").order_by(
                    "staff__name", "id"
                )
            ),
            "can": _can(request),
            "page_title": "Staff and training",
        },
    )


def _logins(request: SchoolPageRequest) -> list[tuple[int, str]]:
    from tenants.models import SchoolMembership

    return [
        (m.user_id, f"{m.user.full_name} ({m.user.email})")
        for m in SchoolMembership.objects.filter(school=request.school)
        .select_related("user")
        .order_by("user__full_name")
    ]


@no_pupil_data
@require_http_methods(["GET", "POST"])
def staff_add(request: SchoolPageRequest) -> HttpResponse:
    RIGHTS.require(request.school_access, "write_staff")
    form = StaffForm(request.POST or None, logins=_logins(request))

    def save(d: dict[str, Any]) -> str:
        services.staff_add(acting_user=request.user, request=request, **d)
        return reverse("staff:list")

    return _form(
        request,
        form,
        save,
        success="Member of staff added.",
        heading="Add a member of staff",
        submit="Add",
        back=reverse("staff:list"),
    )


@require_http_methods(["GET", "POST"])
def staff_edit(request: SchoolPageRequest, staff_id: int) -> HttpResponse:
    member = get_staff_for_write(request.school_access, staff_id)
    initial = {f: getattr(member, f) for f in ("name", "role", "contracted_hours", "user_id")}
    form = StaffForm(request.POST or None, logins=_logins(request), initial=initial)

    def save(d: dict[str, Any]) -> str:
        services.staff_update(acting_user=request.user, member=member, request=request, **d)
        return reverse("staff:list")

    return _form(
        request,
        form,
        save,
        success="Staff record updated.",
        heading=f"Change {member.name}'s record",
        submit="Save",
        back=reverse("staff:list"),
    )


@require_http_methods(["GET", "POST"])
def deploy(request: SchoolPageRequest, staff_id: int) -> HttpResponse:
    member = get_staff_for_write(request.school_access, staff_id)
    pupils = visible_pupils(request.school_access, request.user).on_roll().on_register()
    form = DeploymentForm(
        request.POST or None,
        pupils=[(p.pk, f"{p.display_name} (Year {p.year_group})") for p in pupils],
    )

    def save(d: dict[str, Any]) -> str:
        pupil = pupils.filter(pk=d["pupil"]).first() if d["pupil"] else None
        _, warning = services.deployment_add(
            acting_user=request.user,
            member=member,
            pupil=pupil,
            group_name=d["group_name"],
            hours_a_week=d["hours_a_week"],
            needs_skill=d["needs_skill"],
            request=request,
        )
        if warning:
            messages.warning(request, warning)
        return reverse("staff:list")

    return _form(
        request,
        form,
        save,
        success="Deployment recorded.",
        heading=f"Deploy {member.name}",
        submit="Save",
        back=reverse("staff:list"),
        caption=f"Contracted {member.contracted_hours} hours a week",
    )


@require_POST
def deployment_remove(request: SchoolPageRequest, deployment_id: int) -> HttpResponse:
    RIGHTS.require(request.school_access, "write_staff")
    deployment = get_object_or_404(Deployment, pk=deployment_id)
    services.deployment_remove(acting_user=request.user, deployment=deployment, request=request)
    messages.success(request, "Deployment removed.")
    return redirect("staff:list")


@no_pupil_data
@require_http_methods(["GET", "POST"])
def training_add(request: SchoolPageRequest) -> HttpResponse:
    RIGHTS.require(request.school_access, "write_staff")
    staff = [(m.pk, m.name) for m in StaffMember.objects.filter(is_active=True).order_by("name")]
    form = TrainingForm(request.POST or None, staff=staff)

    def save(d: dict[str, Any]) -> str:
        services.training_record(
            acting_user=request.user,
            request=request,
            attendee_ids=d.pop("attendees"),
            **d,
        )
        return reverse("staff:list")

    return _form(
        request,
        form,
        save,
        success="Training recorded.",
        heading="Record training delivered",
        submit="Save",
        back=reverse("staff:list"),
    )


# -- exam access arrangements ----------------------------------------------------------------


def exams(request: SchoolPageRequest) -> HttpResponse:
    RIGHTS.require(request.school_access, "see_arrangements")
    today = timezone.localdate()
    series, rows = selectors.exams_list(request.school_access, request.user, today)
    record(
        user=request.user,
        action=StaffAction.ARRANGEMENTS_LISTED,
        request=request,
        summary=f"Viewed {len(rows)} exam access arrangements",
        extra={"arrangement_ids": [r.arrangement.pk for r in rows[:50]]},
    )
    return render(
        request,
        "staff/exams.html",
        {
            "series": series,
            "rows": rows,
            "flagged": sum(1 for r in rows if r.missing or r.expires_before_series),
            "can": _can(request),
            "page_title": "Exam access arrangements",
        },
    )


def exams_download(request: SchoolPageRequest, file_format: str) -> HttpResponse:
    RIGHTS.require(request.school_access, "export_exams_list")
    today = timezone.localdate()
    series, rows = selectors.exams_list(request.school_access, request.user, today)
    if file_format == "pdf":
        data = exports.exams_list_pdf(series, rows, request.school.name, today)
        content_type = "application/pdf"
    else:
        data = exports.exams_list_xlsx(series, rows)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    record(
        user=request.user,
        action=StaffAction.EXAMS_LIST_EXPORTED,
        request=request,
        summary=f"Downloaded the exams officer's list ({file_format.upper()}, {len(rows)} rows)",
        extra={"pupil_ids": sorted({r.arrangement.pupil_id for r in rows})[:200]},
    )
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="access-arrangements-{today:%Y-%m-%d}.{file_format}"'
    )
    response["Cache-Control"] = "no-store"
    return response


@audited_page("a new exam access arrangement")
@require_http_methods(["GET", "POST"])
def arrangement_add(request: SchoolPageRequest, pupil_id: int) -> HttpResponse:
    RIGHTS.require(request.school_access, "write_arrangements")
    pupil = get_pupil_for(request.school_access, request.user, pupil_id)
    form = ArrangementForm(request.POST or None)

    def save(d: dict[str, Any]) -> str:
        services.arrangement_add(acting_user=request.user, pupil=pupil, request=request, **d)
        return reverse("exams:list")

    return _form(
        request,
        form,
        save,
        success="Access arrangement added.",
        heading="Add an exam access arrangement",
        submit="Save",
        back=reverse("pupils:detail", args=[pupil.pk]),
        caption=f"{pupil.display_name} · {pupil.get_year_group_display()}",
    )


@require_http_methods(["GET", "POST"])
def arrangement_edit(request: SchoolPageRequest, arrangement_id: int) -> HttpResponse:
    row = get_arrangement_for_write(request.school_access, request.user, arrangement_id)
    initial = {f: getattr(row, f) for f in services.ARRANGEMENT_FIELDS}
    form = ArrangementForm(request.POST or None, initial=initial)

    def save(d: dict[str, Any]) -> str:
        services.arrangement_update(acting_user=request.user, arrangement=row, request=request, **d)
        return reverse("exams:list")

    return _form(
        request,
        form,
        save,
        success="Access arrangement updated.",
        heading="Change an exam access arrangement",
        submit="Save",
        back=reverse("exams:list"),
        caption=f"{row.pupil.display_name} · {row.pupil.get_year_group_display()}",
    )


# -- transitions -----------------------------------------------------------------------------


def transitions(request: SchoolPageRequest) -> HttpResponse:
    RIGHTS.require(request.school_access, "see_transitions")
    rows = list(
        transitions_for(request.school_access, request.user)
        .select_related("pupil")
        .prefetch_related("steps")
        .order_by("moves_on", "id")
    )
    record(
        user=request.user,
        action=StaffAction.TRANSITIONS_LISTED,
        request=request,
        summary=f"Viewed {len(rows)} transition plans",
        extra={"transition_ids": [t.pk for t in rows[:50]]},
    )
    return render(
        request,
        "staff/transitions.html",
        {
            "rows": [
                (t, sum(1 for s in t.steps.all() if s.done_on), len(t.steps.all())) for t in rows
            ],
            "page_title": "Transitions",
        },
    )


def _trust_schools(request: SchoolPageRequest) -> list[tuple[int, str]]:
    from tenants.models import School

    return [
        (s.pk, s.name)
        for s in School.objects.filter(trust_id=request.school.trust_id, status="active")
        .exclude(pk=request.school.pk)
        .order_by("name")
    ]


@audited_page("a new transition plan")
@require_http_methods(["GET", "POST"])
def transition_new(request: SchoolPageRequest, pupil_id: int) -> HttpResponse:
    RIGHTS.require(request.school_access, "write_transitions")
    pupil = get_pupil_for(request.school_access, request.user, pupil_id)
    form = TransitionForm(
        request.POST or None,
        schools=_trust_schools(request),
        initial={"responsible_name": request.user.full_name},
    )

    def save(d: dict[str, Any]) -> str:
        row = services.transition_plan(acting_user=request.user, pupil=pupil, request=request, **d)
        return reverse("transitions:detail", args=[row.pk])

    return _form(
        request,
        form,
        save,
        success="Transition plan started with the standard checklist.",
        heading="Plan a transition",
        submit="Save",
        back=reverse("pupils:detail", args=[pupil.pk]),
        caption=f"{pupil.display_name} · {pupil.get_year_group_display()}",
    )


def transition_detail(request: SchoolPageRequest, transition_id: int) -> HttpResponse:
    row = get_transition_for(request.school_access, request.user, transition_id)
    record(
        user=request.user,
        action=StaffAction.TRANSITION_VIEWED,
        pupil=row.pupil,
        request=request,
        summary="Viewed a transition plan",
        extra={"transition_id": row.pk},
    )
    return render(
        request,
        "staff/transition.html",
        {
            "t": row,
            "pupil": row.pupil,
            "steps": list(row.steps.all()),
            "step_form": StepForm()
            if RIGHTS.can(request.school_access, "write_transitions")
            else None,
            "can": _can(request),
            "page_title": "Transition plan",
        },
    )


@require_POST
def transition_step(request: SchoolPageRequest, transition_id: int) -> HttpResponse:
    row = get_transition_for_write(request.school_access, request.user, transition_id)
    try:
        if "step_id" in request.POST:
            step = get_object_or_404(TransitionStep, pk=request.POST["step_id"], transition=row)
            services.transition_step_done(acting_user=request.user, step=step, request=request)
        else:
            form = StepForm(request.POST)
            if not form.is_valid():
                raise ValidationError([e for errs in form.errors.values() for e in errs])
            services.transition_step_add(
                acting_user=request.user, transition=row, request=request, **form.cleaned_data
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("transitions:detail", transition_id=row.pk)


@require_POST
def transition_hand_over(request: SchoolPageRequest, transition_id: int) -> HttpResponse:
    row = get_transition_for_write(request.school_access, request.user, transition_id)
    try:
        services.transition_hand_over(acting_user=request.user, transition=row, request=request)
    except ValidationError as exc:
        tenant_db.set_tenant(request.school)
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            "In-trust transfer started: the receiving SENCo accepts it."
            if row.handover_transfer_id
            else "Handed over. Download the leaver CTF from Exports and send it to the school.",
        )
    return redirect("transitions:detail", transition_id=row.pk)


# -- plug-ins ---------------------------------------------------------------------------------


def pupil_page_links(request: SchoolPageRequest, pupil: Any) -> dict[str, str] | None:
    access = getattr(request, "school_access", None)
    if is_secondary(pupil.year_group) and RIGHTS.can(access, "write_arrangements"):
        return {
            "label": "Add an exam access arrangement",
            "url": reverse("exams:add", args=[pupil.pk]),
            "description": "Extra time, reader, scribe, word processor... with the evidence.",
        }
    return None


def pupil_transition_link(request: SchoolPageRequest, pupil: Any) -> dict[str, str] | None:
    if not RIGHTS.can(getattr(request, "school_access", None), "write_transitions"):
        return None
    return {
        "label": "Plan a transition",
        "url": reverse("transitions:new", args=[pupil.pk]),
        "description": "A move of phase or school, with a checklist and the hand-over.",
    }


def home_panel(request: SchoolPageRequest) -> dict[str, Any] | None:
    access = getattr(request, "school_access", None)
    if not RIGHTS.can(access, "see_staff"):
        return None
    warnings = selectors.skills_warnings()
    over = [r for r in selectors.staff_with_load() if r["level"] != "ok"]
    if not warnings and not over:
        return None
    return {"template": "staff/_home_panel.html", "context": {"warnings": warnings, "over": over}}
