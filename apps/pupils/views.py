"""HTML pages of the SEN register and the pupil record. Thin: parse, authorise, call a service
or a selector, render. Names and UPNs never travel in a URL: search is a POST (htmx or plain)."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from apps.audit.reads import audited_page
from apps.audit.selectors import pupil_access_log
from apps.audit.services import record
from apps.core.extensions import PUPIL_PAGE_LINKS
from apps.core.forms import add_service_errors
from tenants.gates import reads_only
from tenants.roles import SchoolRole

from . import selectors, services
from .access import RIGHTS, WHOLE_SCHOOL_ROLES, can, can_see_pupil, effective_role
from .actions import PupilAction
from .codes import NEED_CHOICES, BroadArea, Provision, need_label, year_group_choices_for_phase
from .forms import (
    ClassForm,
    ConcernForm,
    ConcernPickPupilForm,
    ProfileForm,
    PupilForm,
    RegisterForm,
    StrategyForm,
    TriageForm,
    VoiceForm,
)
from .models import Concern, Strategy, TeachingGroup

REGISTER_PAGE_SIZE = 200
REGISTER_COLUMNS = (
    "id",
    "upn",
    "first_name",
    "last_name",
    "preferred_first_name",
    "preferred_last_name",
    "year_group",
    "form",
    "sen_provision",
    "primary_need",
    "secondary_need",
    "eal",
    "pupil_premium",
    "free_school_meals",
    "looked_after",
    "medical_needs",
)


def requires(capability: str):
    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            RIGHTS.require(request.school_access, capability)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _pupil(request: HttpRequest, pupil_id: int):
    return selectors.pupil_for(request.school_access, request.user, pupil_id)


_PROVISION_TAGS = {
    "E": mark_safe('<strong class="govuk-tag govuk-tag--purple">EHC plan</strong>'),
    "K": mark_safe('<strong class="govuk-tag govuk-tag--blue">SEN support</strong>'),
    "N": mark_safe('<strong class="govuk-tag govuk-tag--grey">No SEN</strong>'),
}
_ROW = (
    '<tr class="govuk-table__row">'
    '<th scope="row" class="govuk-table__header"><a class="govuk-link" href="{}">{}</a><br><span class="govuk-body-s hub-mono">{}</span></th>'
    '<td class="govuk-table__cell">{}<br><span class="govuk-body-s">{}</span></td>'
    '<td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell govuk-body-s">{}</td>'
    '<td class="govuk-table__cell govuk-body-s">{}</td>'
    "</tr>"
)


def register_rows_html(pupils) -> str:
    """The register table's rows, built in Python: a register runs to hundreds of rows and the
    template engine costs about a third of a millisecond per row. Every value is escaped by
    format_html."""
    url = reverse("pupils:detail", args=[987654321]).replace("987654321", "{}")
    out = []
    for p in pupils:
        needs = (
            format_html_join(
                ", ",
                '<abbr title="{}">{}</abbr>',
                ((need_label(c), c) for c in (p.primary_need, p.secondary_need) if c),
            )
            or "–"
        )
        flags = " ".join(
            label
            for label, on in (
                ("EAL", p.eal),
                ("PP", p.pupil_premium),
                ("FSM", p.free_school_meals),
                ("LAC", p.looked_after),
                ("Medical", bool(p.medical_needs)),
            )
            if on
        )
        out.append(
            format_html(
                _ROW,
                url.format(p.pk),
                p.display_name,
                p.upn,
                p.year_group,
                p.form,
                _PROVISION_TAGS.get(p.sen_provision, p.sen_provision),
                needs,
                "; ".join(p.broad_areas) or "–",
                flags,
            )
        )
    return mark_safe("".join(out))


def _staff_choices(request: HttpRequest, roles=None):
    return selectors.school_staff(request.school, roles)


def _year_choices(request: HttpRequest, *, keep: str = "") -> list[tuple[str, str]]:
    """The year groups of this school's phase, for every form and filter."""
    return year_group_choices_for_phase(request.school.phase, keep=keep)


# -- the register -------------------------------------------------------------------------------


@reads_only
@requires("see_pupils")
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    access, user = request.school_access, request.user
    data = request.POST if request.method == "POST" else request.GET.copy()
    if request.method == "GET":
        data.pop("search", None)  # identifying search terms are accepted only by POST
    filters = selectors.RegisterFilters.from_data(data)
    qs = selectors.register_queryset(access, user, filters).only(*REGISTER_COLUMNS)
    page = Paginator(qs, REGISTER_PAGE_SIZE).get_page(data.get("page"))
    rows = list(page.object_list)
    record(
        user=user,
        action=PupilAction.REGISTER_SEARCHED if filters.search else PupilAction.REGISTER_VIEWED,
        summary=f"{len(rows)} pupils listed"
        + (f" (page {page.number})" if page.number > 1 else "")
        + (" (search by name or UPN)" if filters.search else ""),
        request=request,
        extra={
            "provision": filters.provision,
            "need": filters.need,
            "area": filters.area,
            "year_group": filters.year_group,
            "group_id": filters.group_id,
            "flags": filters.flags,
            "pupil_ids": [p.pk for p in rows[:50]],
        },
    )
    context = {
        "filters": filters,
        "rows": rows,
        "rows_html": register_rows_html(rows),
        "page": page,
        "page_query": filters.query_string(),
        "page_title": "SEN register",
        "can_create": can(access, "create_pupil"),
        "can_see_detail": can(access, "see_send_detail"),
    }
    if request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request"):
        response = render(request, "pupils/_register_results.html", context)
        if request.method == "GET":
            # The address bar shows the filters (codes only) in their short form, so Back and a
            # bookmark give the same list. A search (POST) leaves the address alone.
            query = filters.query_string()
            if page.number > 1:
                query = f"{query}&page={page.number}" if query else f"page={page.number}"
            response["HX-Push-Url"] = request.path + (f"?{query}" if query else "")
        return response
    context.update(
        counts=selectors.register_counts(access, user),
        # National comparisons mean something for a whole school, not for a teacher's caseload.
        whole_school=effective_role(access) in WHOLE_SCHOOL_ROLES,
        provision_choices=selectors.PROVISION_FILTERS.items(),
        need_choices=NEED_CHOICES,
        area_choices=BroadArea.choices,
        year_choices=_year_choices(request, keep=filters.year_group),
        groups=list(selectors.visible_groups(access, user).values_list("pk", "name")),
        flag_choices=[(k, v[1]) for k, v in selectors.FLAG_FIELDS.items()],
    )
    return render(request, "pupils/register.html", context)


# -- one pupil --------------------------------------------------------------------------------


@requires("see_pupils")
def pupil_detail(request: HttpRequest, pupil_id: int) -> HttpResponse:
    access, user = request.school_access, request.user
    pupil = _pupil(request, pupil_id)
    send_detail = can(access, "see_send_detail")
    context = {
        "pupil": pupil,
        "page_title": pupil.display_name,
        "send_detail": send_detail,
        # Teachers and TAs come for the profile and strategies: those open the page for them.
        "profile_first": effective_role(access)
        in (SchoolRole.TEACHER, SchoolRole.TEACHING_ASSISTANT),
    }
    history = list(pupil.sen_history.all())
    context["history"] = history
    ta_ids = list(pupil.ta_assignments.values_list("user_id", flat=True))
    names = selectors.staff_names(
        [pupil.sen_lead_user_id, pupil.designated_teacher_user_id, *ta_ids]
    )
    context["tas"] = [(uid, names.get(uid, "Former member of staff")) for uid in ta_ids]
    context["lead_name"] = names.get(pupil.sen_lead_user_id, "")
    context["designated_teacher_name"] = names.get(pupil.designated_teacher_user_id, "")
    context["groups"] = list(pupil.teaching_groups.values_list("name", flat=True))
    if send_detail:
        context["profile"] = selectors.profile_of(pupil)
        context["voice"] = list(pupil.voice_entries.all()[:20])
        context["strategies"] = [s for s in pupil.strategies.all() if s.is_active]
        context["concerns"] = list(pupil.concerns.prefetch_related("notes"))
        context["links"] = [
            link for link in (fn(request, pupil) for fn in PUPIL_PAGE_LINKS) if link
        ]
    sees_access_log = can(access, "see_access_log")
    # One row per view of the page (the access log shown on it is part of that view).
    record(
        user=user,
        action=PupilAction.VIEWED,
        pupil=pupil,
        summary="Opened the pupil's record" + (" (with its access log)" if sees_access_log else ""),
        request=request,
    )
    if sees_access_log:
        context["access_log"] = list(pupil_access_log(pupil_id=pupil.pk, limit=50))
    context["can"] = {
        cap: can(access, cap)
        for cap in (
            "edit_pupil_details",
            "change_register",
            "edit_profile",
            "add_strategy",
            "retire_strategy",
            "add_voice",
            "raise_concern",
            "triage_concern",
            "assign_ta",
        )
    }
    if context["can"]["assign_ta"]:
        assigned = set(ta_ids)
        context["ta_choices"] = [
            (uid, label)
            for uid, label in _staff_choices(request, [SchoolRole.TEACHING_ASSISTANT])
            if uid not in assigned
        ]
    return render(request, "pupils/pupil_detail.html", context)


@audited_page("the add-a-pupil form")
@requires("create_pupil")
@require_http_methods(["GET", "POST"])
def pupil_create(request: HttpRequest) -> HttpResponse:
    staff = _staff_choices(request)
    form = PupilForm(request.POST or None, staff_choices=staff, year_choices=_year_choices(request))
    if request.method == "POST" and form.is_valid():
        try:
            pupil = services.pupil_create(
                acting_user=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Pupil added.")
            return redirect("pupils:detail", pupil_id=pupil.pk)
    return render(
        request,
        "pupils/form_page.html",
        {
            "form": form,
            "page_title": "Add a pupil",
            "heading": "Add a pupil",
            "submit": "Add pupil",
        },
    )


def _pupil_form_page(
    request, pupil, form, save, *, success: str, page_title: str, heading: str, submit: str
):
    """The shape every form about one pupil shares: on a valid POST call the service (`save`,
    given the cleaned data; if it returns a string, that is the success message), show the service's field
    errors on the form, or go back to the pupil's record."""
    if request.method == "POST" and form.is_valid():
        try:
            message = save(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, message if isinstance(message, str) else success)
            return redirect("pupils:detail", pupil_id=pupil.pk)
    return render(
        request,
        "pupils/form_page.html",
        {
            "form": form,
            "pupil": pupil,
            "page_title": page_title,
            "heading": heading,
            "submit": submit,
        },
    )


@audited_page("a pupil's details form")
@requires("edit_pupil_details")
@require_http_methods(["GET", "POST"])
def pupil_edit(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil = _pupil(request, pupil_id)
    initial = {f: getattr(pupil, f) for f in services.DETAIL_FIELDS}
    form = PupilForm(
        request.POST or None,
        initial=initial,
        staff_choices=_staff_choices(request),
        year_choices=_year_choices(request, keep=pupil.year_group),
    )
    return _pupil_form_page(
        request,
        pupil,
        form,
        lambda d: services.pupil_update(
            acting_user=request.user, pupil=pupil, request=request, **d
        ),
        success="Pupil details saved.",
        page_title="Change pupil details",
        heading="Change pupil details",
        submit="Save details",
    )


@audited_page("a pupil's register change form")
@requires("change_register")
@require_http_methods(["GET", "POST"])
def register_change(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil = _pupil(request, pupil_id)
    initial = {
        "provision": pupil.sen_provision,
        "primary_need": pupil.primary_need,
        "secondary_need": pupil.secondary_need,
        "effective_date": timezone.localdate(),
        "sen_lead_user_id": pupil.sen_lead_user_id,
    }
    if request.GET.get("provision") in (Provision.SEN_SUPPORT, Provision.EHC_PLAN):
        initial["provision"] = request.GET["provision"]  # e.g. after "added to the register"
    form = RegisterForm(
        request.POST or None, initial=initial, staff_choices=_staff_choices(request)
    )

    def save(d):
        entry = services.register_set_status(
            acting_user=request.user,
            pupil=pupil,
            request=request,
            provision=d["provision"],
            primary_need=d["primary_need"],
            secondary_need=d["secondary_need"],
            effective_date=d["effective_date"],
            reason=d["reason"],
            lead_user_id=d["sen_lead_user_id"],
        )
        return None if entry else "Register entry saved (no change to provision or needs)."

    return _pupil_form_page(
        request,
        pupil,
        form,
        save,
        success="Register entry saved.",
        page_title="Change register entry",
        heading="Change the register entry",
        submit="Save register entry",
    )


@audited_page("a pupil's one-page profile form")
@requires("edit_profile")
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil = _pupil(request, pupil_id)
    profile = selectors.profile_of(pupil)
    initial = {f: getattr(profile, f) for f in services.PROFILE_FIELDS} if profile else {}
    form = ProfileForm(request.POST or None, initial=initial)
    return _pupil_form_page(
        request,
        pupil,
        form,
        lambda d: services.profile_update(
            acting_user=request.user, pupil=pupil, request=request, **d
        ),
        success="One-page profile saved.",
        page_title="One-page profile",
        heading="Edit the one-page profile",
        submit="Save profile",
    )


@audited_page("the pupil's views form")
@requires("add_voice")
@require_http_methods(["GET", "POST"])
def voice_add(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil = _pupil(request, pupil_id)
    form = VoiceForm(request.POST or None, initial={"recorded_on": timezone.localdate()})
    return _pupil_form_page(
        request,
        pupil,
        form,
        lambda d: services.voice_add(acting_user=request.user, pupil=pupil, request=request, **d),
        success="Pupil voice recorded.",
        page_title="Pupil voice",
        heading="Record the pupil's views",
        submit="Save",
    )


@audited_page("a pupil's new strategy form")
@requires("add_strategy")
@require_http_methods(["GET", "POST"])
def strategy_add(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil = _pupil(request, pupil_id)
    form = StrategyForm(request.POST or None)
    return _pupil_form_page(
        request,
        pupil,
        form,
        lambda d: services.strategy_add(
            acting_user=request.user, pupil=pupil, request=request, **d
        ),
        success="Strategy added.",
        page_title="Add a strategy",
        heading="Add a strategy that works",
        submit="Add strategy",
    )


@requires("retire_strategy")
@require_http_methods(["GET", "POST"])
def strategy_retire(request: HttpRequest, pupil_id: int, strategy_id: int) -> HttpResponse:
    """GET asks (naming the strategy), POST retires it."""
    pupil = _pupil(request, pupil_id)
    strategy = get_object_or_404(Strategy, pk=strategy_id, pupil=pupil, is_active=True)
    if request.method == "GET":
        return render(
            request,
            "core/confirm.html",
            {
                "page_title": f"Retire this strategy for {pupil.display_name}?",
                "quoted": strategy.text,
                "consequence": "It will no longer show on the pupil's page, passport or class "
                "strategy sheet. It stays in the record's history.",
                "button": "Retire the strategy",
                "warning": True,
                "cancel_url": reverse("pupils:detail", args=[pupil.pk]) + "#strategies",
            },
        )
    services.strategy_retire(acting_user=request.user, strategy=strategy, request=request)
    messages.success(request, "Strategy retired.")
    return redirect("pupils:detail", pupil_id=pupil.pk)


@requires("assign_ta")
@require_POST
def ta_assign(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil = _pupil(request, pupil_id)
    user_id = request.POST.get("user_id", "")
    try:
        services.ta_assign(
            acting_user=request.user,
            pupil=pupil,
            user_id=int(user_id) if user_id.isdigit() else 0,
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, "Teaching assistant assigned.")
    return redirect(reverse("pupils:detail", args=[pupil.pk]) + "#support-staff")


@requires("assign_ta")
@require_POST
def ta_unassign(request: HttpRequest, pupil_id: int, user_id: int) -> HttpResponse:
    pupil = _pupil(request, pupil_id)
    services.ta_unassign(acting_user=request.user, pupil=pupil, user_id=user_id, request=request)
    messages.success(request, "Teaching assistant removed.")
    return redirect(reverse("pupils:detail", args=[pupil.pk]) + "#support-staff")


# -- classes ----------------------------------------------------------------------------------


@audited_page("classes and their pupils")
@requires("see_pupils")
@require_http_methods(["GET", "POST"])
def classes(request: HttpRequest) -> HttpResponse:
    access, user = request.school_access, request.user
    if not (can(access, "manage_classes") or effective_role(access) in (SchoolRole.HEADTEACHER,)):
        raise PermissionDenied("Your role does not give you access to this.")
    can_manage = can(access, "manage_classes")
    staff_choices = _staff_choices(
        request, [SchoolRole.TEACHER, SchoolRole.TEACHING_ASSISTANT, SchoolRole.SENCO]
    )
    forms_on_roll = selectors.registration_forms_on_roll()
    form = (
        ClassForm(
            request.POST or None,
            forms_on_roll=forms_on_roll,
            staff_choices=staff_choices,
            year_choices=_year_choices(request),
        )
        if can_manage
        else None
    )
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("Only the SENCo and office staff manage classes.")
        if form.is_valid():
            d = form.cleaned_data
            pupil_ids = (
                selectors.pupil_ids_in_form(d["registration_form"])
                if d["registration_form"]
                else []
            )
            try:
                services.teaching_group_create(
                    acting_user=user,
                    request=request,
                    name=d["name"],
                    year_group=d["year_group"],
                    staff_user_ids=d["staff_user_ids"],
                    pupil_ids=pupil_ids,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Class {d['name']} added with {len(pupil_ids)} pupils.")
                return redirect("pupils:classes")
    groups = selectors.classes_with_counts()
    names = selectors.staff_names([s.user_id for g in groups for s in g.staff.all()])
    for g in groups:
        g.staff_ids = [s.user_id for s in g.staff.all()]
        g.staff_names = [names.get(uid, "Former member of staff") for uid in g.staff_ids]
    return render(
        request,
        "pupils/classes.html",
        {
            "groups": groups,
            "form": form,
            "can_manage": can_manage,
            "staff_choices": staff_choices,
            "page_title": "Classes",
        },
    )


@requires("manage_classes")
@require_POST
def class_staff(request: HttpRequest, group_id: int) -> HttpResponse:
    group = get_object_or_404(TeachingGroup, pk=group_id)
    ids = [int(v) for v in request.POST.getlist("staff_user_ids") if v.isdigit()]
    try:
        services.teaching_group_set_staff(
            acting_user=request.user, group=group, staff_user_ids=ids, request=request
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"Saved who teaches {group.name}.")
    return redirect("pupils:classes")


# -- concerns ---------------------------------------------------------------------------------


def _back_url(request: HttpRequest, default: str) -> str:
    """Where the person came from (a page on this host: its path only), else `default`. Kept
    through the form's POST in a hidden field."""
    from urllib.parse import urlsplit

    came_from = urlsplit(request.POST.get("back") or request.META.get("HTTP_REFERER", ""))
    if came_from.netloc and came_from.netloc != request.get_host():
        return default
    path = came_from.path
    if not path.startswith("/") or path.startswith("//") or path == request.path:
        return default
    return path


@audited_page("the raise-a-concern form")
@requires("raise_concern")
@require_http_methods(["GET", "POST"])
def concern_raise(request: HttpRequest, pupil_id: int | None = None) -> HttpResponse:
    access, user = request.school_access, request.user
    pupil = _pupil(request, pupil_id) if pupil_id else None
    if pupil is None:
        # Any pupil on roll may be the subject of a concern: the picker (a search by POST)
        # shows only name, year and form.
        form = ConcernPickPupilForm(request.POST or None)
    else:
        form = ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        target = pupil or form.cleaned_data["pupil"]
        try:
            concern = services.concern_raise(
                acting_user=user,
                pupil=target,
                request=request,
                what_seen=form.cleaned_data["what_seen"],
                what_tried=form.cleaned_data["what_tried"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if can(access, "triage_concern"):
                # The SENCo raising one is the person who triages it.
                messages.success(
                    request, "Concern raised. It is in your list of concerns to triage."
                )
                return redirect("concerns:detail", concern_id=concern.pk)
            if can(access, "see_send_detail") and can_see_pupil(access, user, target.pk):
                messages.success(
                    request, "Concern raised. The SENCo will look at it and record a decision."
                )
                return redirect("pupils:detail", pupil_id=target.pk)
            messages.success(
                request,
                "Concern raised. The SENCo will look at it and record a decision. It is not listed here because the pupil is not one you teach or support.",
            )
            return redirect("concerns:list") if can(access, "see_send_detail") else redirect("home")
    return render(
        request,
        "pupils/form_page.html",
        {
            "form": form,
            "pupil": pupil,
            "page_title": "Raise a concern",
            "heading": "Raise a concern",
            "submit": "Raise concern",
            "back_url": _back_url(
                request,
                reverse("pupils:detail", args=[pupil.pk])
                if pupil
                else reverse("concerns:list" if can(access, "see_send_detail") else "home"),
            ),
        },
    )


@audited_page("the list of concerns")
@requires("see_send_detail")
def concern_list(request: HttpRequest) -> HttpResponse:
    access, user = request.school_access, request.user
    show_closed = request.GET.get("show") == "closed"
    qs = selectors.visible_concerns(access, user)
    qs = (
        qs.exclude(status__in=Concern.OPEN_STATUSES)
        if show_closed
        else qs.filter(status__in=Concern.OPEN_STATUSES)
    )
    concerns = list(qs.order_by("raised_at", "id")[:300])
    return render(
        request,
        "pupils/concern_list.html",
        {
            "concerns": concerns,
            "show_closed": show_closed,
            "page_title": "Concerns",
            "can_raise": can(access, "raise_concern"),
            "can_triage": can(access, "triage_concern"),
        },
    )


@requires("see_send_detail")
@require_http_methods(["GET", "POST"])
def concern_detail(request: HttpRequest, concern_id: int) -> HttpResponse:
    access, user = request.school_access, request.user
    concern = get_object_or_404(
        selectors.visible_concerns(access, user).prefetch_related("notes"), pk=concern_id
    )
    can_triage = can(access, "triage_concern")
    form = TriageForm(request.POST or None) if can_triage else None
    if request.method == "POST":
        if not can_triage:
            raise PermissionDenied("Only the SENCo triages concerns.")
        if form.is_valid():
            try:
                services.concern_triage(
                    acting_user=user, concern=concern, request=request, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Decision recorded.")
                if (
                    form.cleaned_data["decision"] == Concern.Status.ADDED_TO_REGISTER
                    and concern.pupil.sen_provision == Provision.NONE
                ):
                    # The form that follows starts at SEN support (a code, not pupil data).
                    url = reverse("pupils:register-change", args=[concern.pupil_id])
                    return redirect(f"{url}?provision={Provision.SEN_SUPPORT}")
                return redirect("concerns:list")
    else:
        record(
            user=user,
            action=PupilAction.CONCERN_VIEWED,
            pupil=concern.pupil,
            summary="Opened a concern",
            request=request,
            extra={"concern_id": concern.pk},
        )
    return render(
        request,
        "pupils/concern_detail.html",
        {"concern": concern, "form": form, "page_title": "Concern"},
    )


# -- the home page panel ------------------------------------------------------------------------


HOME_CONCERNS_SHOWN = 10


def home_panel(request: HttpRequest) -> dict | None:
    access = getattr(request, "school_access", None)
    if effective_role(access) == SchoolRole.GOVERNOR:
        return {
            "template": "pupils/_home_figures.html",
            "context": {"figures": selectors.school_figures()},
        }
    if not can(access, "see_send_detail"):
        return None
    concerns = list(selectors.open_concerns(access, request.user)[:HOME_CONCERNS_SHOWN])
    total = (
        len(concerns)
        if len(concerns) < HOME_CONCERNS_SHOWN
        else selectors.open_concerns(access, request.user).count()
    )
    return {
        "template": "pupils/_home_panel.html",
        "context": {
            "concerns": concerns,
            "total": total,
            "can_triage": can(access, "triage_concern"),
            "counts": selectors.register_counts(access, request.user),
        },
    }
