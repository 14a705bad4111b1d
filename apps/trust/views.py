"""Trust console pages (platform host). Thin: parse, authorise by trust role, call a service or
selector, render."""

from __future__ import annotations

import csv
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.forms import add_service_errors
from tenants.hop import school_hop_url
from tenants.models import Invitation, School, TrustMembership, User
from tenants.roles import TRUST_ROLES_WITH_BILLING, TrustRole
from tenants.services import invitation_resend, invitation_revoke

from . import selectors, services
from .access import RIGHTS, get_arrangement_for
from .actions import TrustAction
from .dashboard import dashboard_body
from .forms import (
    ArrangementForm,
    InviteTrustUserForm,
    OnboardSchoolForm,
    PublishForm,
    QualificationForm,
    ReviewForm,
    TrustSettingsForm,
)
from .library import item_types
from .models import (
    LibraryItem,
)
from .rules import add_months


def trust_page(
    capability: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Admit only trust staff whose role has `capability` (access.RIGHTS); sets request.trust
    and request.trust_role (views see a tenants.typing.TrustRequest)."""
    roles = RIGHTS.roles(capability)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
            membership = (
                TrustMembership.objects.filter(user=request.user, role__in=list(roles))
                .select_related("trust")
                .order_by("id")
                .first()
            )
            if membership is None:
                raise PermissionDenied(RIGHTS.denied_message)
            request.trust = membership.trust
            request.trust_role = membership.role
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _trust_school(request: HttpRequest, school_id: int) -> School:
    # Another trust's school is "not found", never "forbidden": ids reveal nothing.
    return get_object_or_404(School, pk=school_id, trust=request.trust)


# --- Overview, schools, people ------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    memberships = selectors.trusts_for(request.user)
    if not memberships:
        # School staff who land on the platform domain: their schools, and a shared SENCo's
        # worklist across them.
        from apps.core.views import my_schools

        return my_schools(request)
    return overview(request)


@trust_page("see_console")
def overview(request: HttpRequest) -> HttpResponse:
    trust = request.trust
    schools = list(selectors.trust_schools(trust))
    context = {
        "trust": trust,
        "role": request.trust_role,
        "schools": schools,
        "page_title": "Trust overview",
        "total_roll": sum(s.number_on_roll for s in schools if s.status != School.Status.ARCHIVED),
    }
    if request.trust_role in TRUST_ROLES_WITH_BILLING:
        # Trust finance (and admins) are warned on their home page 14 days before a trial ends.
        from apps.billing.selectors import trials_ending_soon

        context["trials_ending"] = trials_ending_soon(trust)
    if request.trust_role in RIGHTS.roles("manage_shared_sencos"):
        checks = selectors.arrangements_with_checks(trust)
        context["failing_arrangements"] = [
            (a, [c for c in cs if c.failed]) for a, cs in checks if any(c.failed for c in cs)
        ]
    return render(request, "trust/home.html", context)


@trust_page("see_dashboards")
def schools(request: HttpRequest) -> HttpResponse:
    schools_list = list(selectors.trust_schools(request.trust))
    invited: dict[int, list] = {}
    for invitation in selectors.pending_invitations(request.trust):
        if invitation.school_id:
            invited.setdefault(invitation.school_id, []).append(invitation)
    for school in schools_list:
        # Who was invited to the school and has not joined yet (the SENCo and headteacher a
        # new school starts with, or anyone invited since).
        school.pending_invitations = invited.get(school.pk, [])
    return render(
        request,
        "trust/schools.html",
        {
            "schools": schools_list,
            "page_title": "Schools",
            "can_manage": request.trust_role in RIGHTS.roles("manage_schools"),
            "can_drill_down": request.trust_role == TrustRole.SEND_LEAD,
            "can_invite": request.trust_role in RIGHTS.roles("manage_people"),
        },
    )


def _pending_school_invitation(request: HttpRequest, invitation_id: int) -> Invitation:
    # Another trust's invitation, a trust-level one or an accepted one is "not found".
    return get_object_or_404(
        Invitation,
        pk=invitation_id,
        school__trust=request.trust,
        accepted_at__isnull=True,
    )


@trust_page("manage_people")
@require_POST
def school_invitation_resend(request: HttpRequest, invitation_id: int) -> HttpResponse:
    """A fresh one-time link by email (the tenancy service checks the role and audits it)."""
    invitation = _pending_school_invitation(request, invitation_id)
    try:
        invitation_resend(acting_user=cast(User, request.user), invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"{invitation.full_name} has been emailed a new link to join {invitation.school}.",
        )
    return redirect("trust-schools")


@trust_page("manage_people")
@require_http_methods(["GET", "POST"])
def school_invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    """GET asks first, POST withdraws the invitation (its link stops working at once)."""
    invitation = _pending_school_invitation(request, invitation_id)
    if request.method == "GET":
        return render(
            request,
            "core/confirm.html",
            {
                "page_title": f"Withdraw {invitation.full_name}'s invitation to {invitation.school}?",
                "consequence": "The link in their email stops working at once. You can invite "
                "them again later. The withdrawal is recorded in the trust's audit log.",
                "button": "Withdraw the invitation",
                "warning": True,
                "cancel_url": reverse("trust-schools"),
            },
        )
    try:
        invitation_revoke(acting_user=cast(User, request.user), invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{invitation.full_name}'s invitation has been withdrawn.")
    return redirect("trust-schools")


@trust_page("manage_schools")
def school_onboard(request: HttpRequest) -> HttpResponse:
    form = OnboardSchoolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            school = services.school_onboard(
                acting_user=request.user, trust=request.trust, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"{school.name} is set up. Its SENCo and headteacher have been emailed a one-time link to join.",
            )
            return redirect("trust-schools")
    return render(
        request,
        "trust/form_page.html",
        {
            "form": form,
            "page_title": "Onboard a school",
            "submit": "Onboard school",
            "intro": "This creates the school's own secure space in SENCo Hub and emails its SENCo and headteacher a one-time link to set their password.",
        },
    )


@trust_page("manage_schools")
@require_http_methods(["GET", "POST"])
def school_status(request: HttpRequest, school_id: int) -> HttpResponse:
    """GET asks, saying what will happen (?action=suspend|archive|reactivate); POST does it."""
    school = _trust_school(request, school_id)
    action = (
        request.POST.get("action", "")
        if request.method == "POST"
        else request.GET.get("action", "")
    )
    if request.method == "GET":
        if action not in STATUS_QUESTIONS:
            raise Http404
        question, consequence, button = STATUS_QUESTIONS[action]
        return render(
            request,
            "core/confirm.html",
            {
                "page_title": question.format(name=school.name),
                "consequence": consequence.format(name=school.name),
                "button": button,
                "warning": action != "reactivate",
                "hidden": {"action": action},
                "cancel_url": reverse("trust-schools"),
            },
        )
    try:
        services.school_change_status(acting_user=request.user, school=school, action=action)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{school.name} is now {school.get_status_display().lower()}.")
    return redirect("trust-schools")


# Dangerous buttons ask first, saying what happens.
STATUS_QUESTIONS = {
    "suspend": (
        "Suspend {name}?",
        "{name} becomes read-only at once: its staff can still sign in, read and export, but "
        "nobody can add or change a record until you reactivate it. Nothing is deleted.",
        "Suspend the school",
    ),
    "archive": (
        "Archive {name}?",
        "{name} closes to its staff: nobody can sign in to it, and it leaves the trust's "
        "dashboards. Its records are kept, never deleted, and you can reactivate it later.",
        "Archive the school",
    ),
    "reactivate": (
        "Reactivate {name}?",
        "{name} opens again for its staff to read and change records.",
        "Reactivate the school",
    ),
}


@require_POST
@trust_page("drill_down")
def school_drill_down(request: HttpRequest, school_id: int) -> HttpResponse:
    school = _trust_school(request, school_id)
    if school.status == School.Status.ARCHIVED:
        raise Http404
    services.trust_drill_down(acting_user=request.user, school=school, request=request)
    # Land on the SEN register: the drill-down is into the school's pupil-level pages.
    return HttpResponseRedirect(
        school_hop_url(user_id=request.user.pk, slug=school.slug, landing="/pupils/")
    )


@trust_page("manage_people")
def people(request: HttpRequest) -> HttpResponse:
    form = InviteTrustUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.trust_user_invite(
                acting_user=request.user, trust=request.trust, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"{form.cleaned_data['full_name']} has been emailed a one-time link to join the trust.",
            )
            return redirect("trust-people")
    pending = selectors.pending_invitations(request.trust)
    return render(
        request,
        "trust/people.html",
        {
            **selectors.trust_people(request.trust),
            "form": form,
            "pending": pending,
            "page_title": "People",
        },
    )


@trust_page("see_trust_audit")
def audit(request: HttpRequest) -> HttpResponse:
    events = selectors.trust_audit_events(request.trust)
    return render(request, "trust/audit.html", {"events": events, "page_title": "Trust audit log"})


@trust_page("change_settings")
def trust_settings(request: HttpRequest) -> HttpResponse:
    row = services.trust_settings_for(request.trust)
    form = TrustSettingsForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        services.trust_settings_update(
            acting_user=request.user, trust=request.trust, **form.cleaned_data
        )
        messages.success(
            request, "Thresholds saved. Every shared SENCo arrangement is checked against them."
        )
        return redirect("trust-settings")
    return render(
        request,
        "trust/form_page.html",
        {
            "form": form,
            "page_title": "Shared SENCo thresholds",
            "submit": "Save thresholds",
            "intro": "The trust sets these limits; the shared SENCo checks use them.",
        },
    )


# --- Dashboard --------------------------------------------------------------------------------------


@trust_page("see_dashboards")
def dashboard(request: HttpRequest) -> HttpResponse:
    trust = request.trust
    freshness = selectors.dashboard_freshness(trust)
    body = dashboard_body(trust, freshness["version"])
    return render(
        request,
        "trust/dashboard.html",
        {
            **freshness,
            "body": mark_safe(body),
            "page_title": "SEND across the trust",  # noqa: S308 - our own rendered template
            "can_refresh": request.trust_role in RIGHTS.roles("refresh_figures"),
            "now": timezone.now(),
        },
    )


@trust_page("see_dashboards")
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    data = selectors.dashboard(request.trust)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="trust-send-figures.csv"'
    writer = csv.writer(response)
    writer.writerow(["metric", "category", "school", "value", "figures computed at"])
    for table in data["tables"]:
        for row in table.rows:
            run = (
                getattr(row["school"], "rollup_run", None)
                if hasattr(row["school"], "rollup_run")
                else None
            )
            for (_code, label), cell in zip(table.categories, row["cells"], strict=True):
                writer.writerow(
                    [
                        table.spec.label,
                        label,
                        row["school"].name,
                        cell,
                        run.computed_at.isoformat() if run else "",
                    ]
                )
        for (_code, label), cell in zip(table.categories, table.total_cells, strict=False):
            writer.writerow([table.spec.label, label, "All schools", cell, ""])
    services.trust_audit(
        trust=request.trust,
        actor=request.user,
        action=TrustAction.DASHBOARD_EXPORTED,
        summary="Downloaded the trust's SEND figures (CSV)",
    )
    return response


@require_POST
@trust_page("refresh_figures")
def dashboard_refresh(request: HttpRequest) -> HttpResponse:
    services.rollups_refresh(acting_user=request.user, trust=request.trust)
    messages.success(
        request,
        "Each school is recalculating its figures. Reload this page in a minute to see them.",
    )
    return redirect("trust-dashboard")


@trust_page("see_dashboards")
def trends(request: HttpRequest, metric: str) -> HttpResponse:
    data = selectors.trends(request.trust, metric)
    if data["spec"] is None:
        raise Http404
    return render(
        request,
        "trust/trends.html",
        {
            **data,
            "page_title": f"Trend: {data['spec'].label}",
            "chart_json": {
                "trend-chart": {
                    **data["chart"],
                    "line": True,
                    "unit": "percent_of_roll" if data["per_roll"] else data["spec"].kind,
                }
            },
        },
    )


# --- Shared SENCos and qualifications ---------------------------------------------------------------


@trust_page("manage_shared_sencos")
def shared_sencos(request: HttpRequest) -> HttpResponse:
    rows = [
        (a, checks, [c for c in checks if c.failed])
        for a, checks in selectors.arrangements_with_checks(request.trust)
    ]
    return render(
        request, "trust/shared_sencos.html", {"rows": rows, "page_title": "Shared SENCos"}
    )


@trust_page("manage_shared_sencos")
def arrangement_edit(request: HttpRequest, arrangement_id: int | None = None) -> HttpResponse:
    arrangement = get_arrangement_for(request.trust, arrangement_id) if arrangement_id else None
    school_list = selectors.open_schools(request.trust)
    sencos = selectors.senco_users(request.trust)
    initial = {}
    if arrangement:
        initial = {
            "senco": str(arrangement.senco_id),
            "teaching_hours_per_week": arrangement.teaching_hours_per_week,
            "admin_support_hours_per_week": arrangement.admin_support_hours_per_week,
            "started_on": arrangement.started_on,
            "next_review_due": arrangement.next_review_due,
        }
        initial |= {
            f"hours_{t.school_id}": t.hours_per_week for t in arrangement.school_times.all()
        }
    form = ArrangementForm(
        request.POST or None, initial=initial, sencos=sencos, schools=school_list
    )
    if request.method == "POST" and form.is_valid():
        senco = next(u for u in sencos if str(u.pk) == form.cleaned_data["senco"])
        try:
            arrangement = services.arrangement_save(
                acting_user=request.user,
                trust=request.trust,
                senco=senco,
                arrangement=arrangement,
                teaching_hours_per_week=form.cleaned_data["teaching_hours_per_week"],
                admin_support_hours_per_week=form.cleaned_data["admin_support_hours_per_week"],
                started_on=form.cleaned_data["started_on"],
                next_review_due=form.cleaned_data["next_review_due"],
                school_hours=form.school_hours(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Arrangement saved and checked.")
            return redirect("trust-arrangement", arrangement_id=arrangement.pk)
    return render(
        request,
        "trust/form_page.html",
        {
            "form": form,
            "page_title": "Shared SENCo arrangement",
            "submit": "Save arrangement",
            "intro": "Record the time the SENCo gives each school, their teaching commitment and admin support.",
            "cancel_url": reverse("trust-arrangement", args=[arrangement.pk])
            if arrangement
            else reverse("trust-shared-sencos"),
        },
    )


@trust_page("manage_shared_sencos")
def arrangement_detail(request: HttpRequest, arrangement_id: int) -> HttpResponse:
    arrangement = get_arrangement_for(request.trust, arrangement_id)
    interval = services.trust_settings_for(request.trust).review_interval_months
    today = timezone.localdate()
    form = ReviewForm(
        request.POST or None,
        initial={"reviewed_on": today, "next_review_due": add_months(today, interval)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.review_record(
                acting_user=request.user, arrangement=arrangement, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Review recorded.")
            return redirect("trust-arrangement", arrangement_id=arrangement.pk)
    checks = selectors.arrangement_checks(arrangement)
    times = list(arrangement.school_times.select_related("school"))
    return render(
        request,
        "trust/arrangement.html",
        {
            "arrangement": arrangement,
            "checks": checks,
            "times": times,
            "form": form,
            "total_hours": sum(t.hours_per_week for t in times),
            "total_roll": sum(t.school.number_on_roll for t in times),
            "reviews": arrangement.reviews.select_related("reviewed_by"),
            "failed": [c for c in checks if c.failed],
            "page_title": f"Shared SENCo: {arrangement.senco.full_name}",
        },
    )


@trust_page("manage_shared_sencos")
def qualifications(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "trust/qualifications.html",
        {
            "sencos": selectors.trust_sencos(request.trust),
            "page_title": "SENCo qualifications",
        },
    )


@trust_page("manage_shared_sencos")
def qualification_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    senco = next((u for u in selectors.senco_users(request.trust) if u.pk == user_id), None)
    if senco is None:
        raise Http404
    instance = selectors.senco_qualification(request.trust, senco)
    form = QualificationForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.qualification_save(
                acting_user=request.user, trust=request.trust, senco=senco, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{senco.full_name}'s qualifications saved.")
            return redirect("trust-qualifications")
    return render(
        request,
        "trust/form_page.html",
        {
            "form": form,
            "page_title": f"Qualifications: {senco.full_name}",
            "submit": "Save",
            "intro": "A SENCo new to the role must gain the NPQ for SENCOs within 3 years of appointment (National Award holders are exempt).",
        },
    )


# --- Library ----------------------------------------------------------------------------------------


@trust_page("see_library")
def library(request: HttpRequest) -> HttpResponse:
    items = list(selectors.library_items(request.trust))
    types = item_types()
    rows = [
        {"item": i, "type": types.get(i.item_type), "usage": selectors.library_usage(i)}
        for i in items
    ]
    return render(
        request,
        "trust/library.html",
        {
            "rows": rows,
            "page_title": "Shared practice library",
            "can_publish": request.trust_role in RIGHTS.roles("publish_to_library"),
        },
    )


@trust_page("see_library")
def library_item(request: HttpRequest, item_id: int) -> HttpResponse:
    item = get_object_or_404(selectors.library_items(request.trust), pk=item_id)
    usage = selectors.library_usage(item)
    using = {item.source_school_id} | {a.school_id for a in item.adoptions.all()}
    adoptable = [s for s in selectors.active_schools(request.trust) if s.pk not in using]
    return render(
        request,
        "trust/library_item.html",
        {
            "item": item,
            "usage": usage,
            "type": item_types().get(item.item_type),
            "publisher": selectors.publisher_of(item),
            "adoptable": adoptable,
            "can_adopt": request.trust_role in RIGHTS.roles("adopt_from_library"),
            "page_title": item.title,
        },
    )


@trust_page("publish_to_library")
def library_publish(request: HttpRequest) -> HttpResponse:
    """The console writes its own guidance and templates. What a school shares (strategies,
    interventions, agency entries) its SENCo chooses on the school's host: trust staff are never
    shown a school's unpublished texts."""
    school_list = selectors.active_schools(request.trust)
    types = {key: kind for key, kind in item_types().items() if kind.snapshot is None}
    form = PublishForm(request.POST or None, schools=school_list, types=types)
    if request.method == "POST" and form.is_valid():
        chosen_school = next(s for s in school_list if str(s.pk) == form.cleaned_data["school"])
        try:
            item = services.library_publish(
                acting_user=cast(User, request.user),
                trust=request.trust,
                school=chosen_school,
                item_type_key=form.cleaned_data["item_type"],
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"“{item.title}” is in the trust library.")
            return redirect("trust-library-item", item_id=item.pk)
    return render(
        request,
        "trust/library_publish.html",
        {
            "form": form,
            "school_types": [k for k in item_types().values() if k.snapshot is not None],
            "page_title": "Publish to the library",
        },
    )


@require_POST
@trust_page("adopt_from_library")
def library_adopt(request: HttpRequest, item_id: int) -> HttpResponse:
    item = get_object_or_404(LibraryItem, pk=item_id, trust=request.trust)
    school = _trust_school(request, int(request.POST.get("school") or 0))
    try:
        services.library_adopt(acting_user=request.user, item=item, school=school)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{school.name} has adopted “{item.title}”.")
    return redirect("trust-library-item", item_id=item.pk)


@require_POST
@trust_page("publish_to_library")
def library_withdraw(request: HttpRequest, item_id: int) -> HttpResponse:
    trust = getattr(request, "trust")  # noqa: B009  (set by trust_page)
    item = get_object_or_404(LibraryItem, pk=item_id, trust=trust)
    services.library_withdraw(acting_user=cast(User, request.user), item=item)
    messages.success(request, f"“{item.title}” has been withdrawn from the library.")
    return redirect("trust-library")


# --- Transfers (trust view: no pupil details) ------------------------------------------------------


@trust_page("see_transfers")
def transfers(request: HttpRequest) -> HttpResponse:
    rows = selectors.trust_transfers(request.trust)
    return render(
        request,
        "trust/transfers.html",
        {"transfers": rows, "page_title": "Transfers between schools"},
    )
