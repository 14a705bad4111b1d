"""Provision map pages: thin. Parse, authorise (access.py), call a service or selector, render."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from apps.audit.reads import audited_page, no_pupil_data
from apps.audit.services import record
from apps.core.acting import record_reads
from apps.core.forms import add_service_errors
from apps.pupils.access import visible_pupils
from apps.pupils.codes import YEAR_GROUP_CHOICES, BroadArea, year_group_choices_for_phase
from apps.pupils.models import Pupil
from apps.pupils.selectors import school_staff

from . import selectors, services
from .access import RIGHTS, get_group_for, get_intervention_for, visible_groups
from .actions import ProvisionAction
from .forms import FinishForm, GroupForm, InterventionForm, SessionForm, SettingsForm
from .models import GroupPlace, Intervention

View = Callable[..., HttpResponse]


def requires(capability: str) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            RIGHTS.require(request.school_access, capability)  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _filters(request: HttpRequest) -> tuple[str, str]:
    year = request.GET.get("year", "")
    area = request.GET.get("area", "")
    return (
        year if year in dict(YEAR_GROUP_CHOICES) else "",
        area if area in BroadArea.values else "",
    )


# -- the map -------------------------------------------------------------------------------


_MAP_ROW = (
    '<tr class="govuk-table__row">'
    '<th scope="row" class="govuk-table__header"><a class="govuk-link" href="{}">{}</a>'
    '<br><span class="govuk-body-s">Year {}</span></th>'
    '<td class="govuk-table__cell govuk-body-s">{}</td>'
    '<td class="govuk-table__cell govuk-table__cell--numeric">£{}{}</td>'
    "</tr>"
)
_OVER = mark_safe(' <strong class="govuk-tag govuk-tag--red">Over threshold</strong>')


def _pounds(value: Any) -> str:
    return f"{value:,.0f}"


def map_rows_html(rows: list[Any]) -> str:
    """The map's rows, built in Python: a school's map runs to hundreds of rows and the template
    engine costs about a third of a millisecond per row. Every value is escaped by format_html."""
    url = reverse("support:pupil", args=[987654321]).replace("987654321", "{}")
    out = []
    for row in rows:
        places = format_html_join(
            mark_safe("<br>"),
            "{} (£{})",
            ((p.group.intervention.name, _pounds(p.annual_cost)) for p in row.places),
        )
        out.append(
            format_html(
                _MAP_ROW,
                url.format(row.pupil.pk),
                row.pupil.display_name,
                row.pupil.year_group,
                places,
                _pounds(row.annual_cost),
                _OVER if row.over_threshold else "",
            )
        )
    return mark_safe("".join(out))  # noqa: S308 - each row built by format_html


@requires("see_figures")
def provision_map(request: HttpRequest) -> HttpResponse:
    """The SENCo and headteacher see every pupil's provision and cost; office and governors see
    the same figures without pupils."""
    access, user = request.school_access, request.user  # type: ignore[attr-defined]
    year, area = _filters(request)
    pupil_level = RIGHTS.can(access, "see_map")
    result = selectors.provision_map(
        visible_pupils(access, user) if pupil_level else Pupil.objects.all(),
        year_group=year,
        area=area,
    )
    if pupil_level:
        record(
            user=user,
            action=ProvisionAction.MAP_VIEWED,
            summary=f"Viewed the provision map ({len(result.rows)} pupils)",
            request=request,
        )
    return render(
        request,
        "provision/map.html",
        {
            "result": result,
            "rows_html": map_rows_html(result.rows) if pupil_level else "",
            "pupil_level": pupil_level,
            "year": year,
            "area": area,
            "years": year_group_choices_for_phase(request.school.phase, keep=year),  # type: ignore[attr-defined]
            "areas": BroadArea.choices,
            "flagged": len(result.flagged),
            "pupils": len(result.rows),
            "can": {
                c: RIGHTS.can(access, c)
                for c in ("export_map", "set_costs", "manage_catalogue", "manage_groups")
            },
            "page_title": "Provision map",
        },
    )


@requires("export_map")
def provision_map_excel(request: HttpRequest) -> HttpResponse:
    from .excel import provision_map_workbook

    access, user = request.school_access, request.user  # type: ignore[attr-defined]
    result = selectors.provision_map(visible_pupils(access, user))
    record_reads(
        user=user,
        action=ProvisionAction.MAP_EXPORTED,
        pupil_ids=[r.pupil.pk for r in result.rows],
        summary="Included in the provision map download",
        request=request,
    )
    response = HttpResponse(
        provision_map_workbook(result, selectors.impact()),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="provision-map-{timezone.localdate():%Y-%m-%d}.xlsx"'
    )
    response["Cache-Control"] = "no-store"
    return response


@audited_page("the impact of interventions")
@requires("see_figures")
def impact(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "provision/impact.html",
        {"rows": selectors.impact(), "page_title": "Impact of interventions"},
    )


@no_pupil_data
@requires("set_costs")
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    current = selectors.provision_settings()
    form = SettingsForm(
        request.POST or None,
        initial={
            "threshold": current.threshold,
            "notional_sen_budget": current.notional_sen_budget,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.provision_settings_set(
                acting_user=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Threshold and budget saved.")
            return redirect("provision:map")
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "heading": "Threshold and notional SEN budget",
            "submit": "Save",
            "back": reverse("provision:map"),
            "page_title": "Provision settings",
        },
    )


# -- catalogue -----------------------------------------------------------------------------


@no_pupil_data
@requires("see_catalogue")
def intervention_list(request: HttpRequest) -> HttpResponse:
    interventions = list(Intervention.objects.all())
    for i in interventions:
        i.cost_per_pupil = selectors.place_cost(i)  # type: ignore[attr-defined]
    return render(
        request,
        "provision/intervention_list.html",
        {
            "interventions": interventions,
            "can_manage": RIGHTS.can(request.school_access, "manage_catalogue"),  # type: ignore[attr-defined]
            "page_title": "Interventions",
        },
    )


@no_pupil_data
@requires("manage_catalogue")
@require_http_methods(["GET", "POST"])
def intervention_edit(request: HttpRequest, intervention_id: int | None = None) -> HttpResponse:
    access = request.school_access  # type: ignore[attr-defined]
    existing = (
        get_intervention_for(access, request.user, intervention_id) if intervention_id else None
    )
    initial = {f: getattr(existing, f) for f in services.INTERVENTION_FIELDS} if existing else {}
    form = InterventionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.intervention_save(
                acting_user=request.user,
                fields=form.cleaned_data,
                intervention_id=existing.pk if existing else None,
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Intervention saved.")
            return redirect("provision:interventions")
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "heading": f"Change {existing.name}" if existing else "Add an intervention",
            "submit": "Save intervention",
            "back": reverse("provision:interventions"),
            "page_title": "Intervention",
        },
    )


# -- groups --------------------------------------------------------------------------------


@audited_page("the intervention groups")
@requires("see_groups")
def group_list(request: HttpRequest) -> HttpResponse:
    access, user = request.school_access, request.user  # type: ignore[attr-defined]
    groups = list(
        visible_groups(access, user).select_related("intervention").prefetch_related("places")
    )
    from apps.pupils.selectors import staff_names

    names = staff_names({uid for g in groups for uid in g.staff_user_ids})
    today = timezone.localdate()
    for g in groups:
        g.staff_names = [names.get(uid, "Former member of staff") for uid in g.staff_user_ids]
        g.pupil_count = sum(1 for p in g.places.all() if p.left_on is None or p.left_on >= today)
    return render(
        request,
        "provision/group_list.html",
        {
            "groups": groups,
            "can_manage": RIGHTS.can(access, "manage_groups"),
            "page_title": "Intervention groups",
        },
    )


def _group_form(request: HttpRequest, initial: dict[str, Any] | None = None) -> GroupForm:
    pupils = [
        (p.pk, f"{p.display_name} (Year {p.year_group})")
        for p in Pupil.objects.on_roll().on_register().order_by("year_group", "last_name")
    ]
    return GroupForm(
        request.POST or None,
        initial=initial or {"starts_on": timezone.localdate()},
        interventions=list(Intervention.objects.filter(is_active=True).values_list("pk", "name")),
        staff=school_staff(request.school),  # type: ignore[attr-defined]
        pupils=pupils,
    )


@audited_page("an intervention group's form")
@requires("manage_groups")
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, group_id: int | None = None) -> HttpResponse:
    access, user = request.school_access, request.user  # type: ignore[attr-defined]
    group = get_group_for(access, user, group_id) if group_id else None
    initial = None
    if group is not None:
        initial = {
            "intervention_id": group.intervention_id,
            "name": group.name,
            "staff_user_ids": group.staff_user_ids,
            "starts_on": group.starts_on,
            "ends_on": group.ends_on,
            "measure": group.measure,
            "pupil_ids": list(
                group.places.filter(left_on__isnull=True).values_list("pupil_id", flat=True)
            ),
        }
    form = _group_form(request, initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.group_save(
                acting_user=user,
                group_id=group.pk if group else None,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Group saved.")
            return redirect("provision:group", group_id=saved.pk)
    return render(
        request,
        "provision/group_form.html",
        {
            "form": form,
            "heading": "Change the group" if group else "Set up an intervention group",
            "back": reverse("provision:groups"),
            "page_title": "Intervention group",
        },
    )


@requires("see_groups")
@require_http_methods(["GET", "POST"])
def group_detail(request: HttpRequest, group_id: int) -> HttpResponse:
    """A group: its pupils with entry and exit measures, its sessions, and the form to log one."""
    access, user = request.school_access, request.user  # type: ignore[attr-defined]
    group = get_group_for(access, user, group_id)
    today = timezone.localdate()
    places = list(group.places.select_related("pupil").order_by("pupil__last_name"))
    current = [p for p in places if p.left_on is None or p.left_on >= today]
    # Sessions are logged by whoever ran them: the form is for the group's own staff.
    can_log = RIGHTS.can(access, "log_session") and user.pk in group.staff_user_ids
    form = SessionForm(
        request.POST or None,
        pupils=[(p.pupil_id, p.pupil.display_name) for p in current],
        initial={"held_on": today, "minutes": group.intervention.session_minutes},
    )
    if request.method == "POST":
        RIGHTS.require(access, "log_session")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.session_log(
                    acting_user=user,
                    group_id=group.pk,
                    held_on=data["held_on"],
                    starts_at=data["starts_at"],
                    minutes=data["minutes"],
                    notes=data["notes"],
                    attendance=form.attendance(),
                    request=request,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Session logged.")
                return redirect("provision:group", group_id=group.pk)
    sessions = list(group.sessions.prefetch_related("attendance")[:40])
    pupil_names = {p.pupil_id: p.pupil.display_name for p in places}
    for s in sessions:
        s.present_count = sum(1 for a in s.attendance.all() if a.present)
        # The register as taken: the API gives each pupil's attendance, so the page names who
        # was absent rather than only counting.
        s.absent_names = sorted(
            pupil_names.get(a.pupil_id, "A pupil no longer in the group")
            for a in s.attendance.all()
            if not a.present
        )
    record_reads(
        user=user,
        action=ProvisionAction.GROUP_VIEWED,
        pupil_ids=[p.pupil_id for p in places],
        summary=f"Viewed intervention group {group.pk}",
        request=request,
    )
    from apps.pupils.selectors import staff_names

    names = staff_names(group.staff_user_ids)
    return render(
        request,
        "provision/group_detail.html",
        {
            "group": group,
            "places": places,
            "sessions": sessions,
            "form": form,
            "can_log": can_log,
            "can_manage": RIGHTS.can(access, "manage_groups"),
            "staff": [names.get(uid, "Former member of staff") for uid in group.staff_user_ids],
            "cost": selectors.place_cost(group.intervention),
            "page_title": f"{group.intervention.name}: {group.name}",
        },
    )


@requires("manage_groups")
@require_http_methods(["GET", "POST"])
def place_finish(request: HttpRequest, group_id: int, place_id: int) -> HttpResponse:
    access, user = request.school_access, request.user  # type: ignore[attr-defined]
    group = get_group_for(access, user, group_id)
    place = GroupPlace.objects.select_related("pupil").filter(pk=place_id, group=group).first()
    if place is None:
        from django.http import Http404

        raise Http404("No such place.")
    form = FinishForm(request.POST or None, initial={"finished_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.place_finish(
                acting_user=user, place_id=place.pk, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Exit measure recorded.")
            return redirect("provision:group", group_id=group.pk)
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "heading": f"{place.pupil.display_name} finished {group.intervention.name}",
            "submit": "Save",
            "back": reverse("provision:group", args=[group.pk]),
            "page_title": "Finish an intervention",
        },
    )
