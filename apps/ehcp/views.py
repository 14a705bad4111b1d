"""HTML pages: the statutory calendar, a pupil's EHC record, plans, reviews, the report
exports and the personal calendar feed. Thin: parse, authorise (access.py), call a service or a
selector, render."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from apps.audit.reads import audited_page, no_pupil_data
from apps.audit.services import record
from apps.core.forms import add_service_errors, form_page
from apps.pupils.codes import Provision
from apps.pupils.selectors import pupil_for
from tenants.typing import SchoolPageRequest, SchoolRequest

from . import access, exports, rules, selectors, services
from .access import RIGHTS
from .actions import EhcpAction
from .forms import (
    AdviceForm,
    InviteeForm,
    PlanForm,
    ReportForm,
    RequestForm,
    ReviewStepsForm,
    ScheduleReviewForm,
    SendInvitationsForm,
)
from .models import (
    AnnualReview,
    CalendarFeed,
    EhcPlan,
    ReviewAdvice,
)
from .services.plans import NOT_AT_E
from .services.reviews import REPORT_FIELDS, plan_next_review_due


def _today() -> Any:
    return timezone.localdate()


# Every form page of this package: apps.core.forms.form_page with its template.
_form_page = partial(form_page, template="ehcp/form_page.html")


# -- the statutory calendar --------------------------------------------------------------------

_ROW = (
    '<tr class="govuk-table__row" data-testid="deadline">'
    '<td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell"><a class="govuk-link" href="{}">{}</a><br>'
    '<span class="govuk-body-s hub-mono">{}</span></td>'
    '<td class="govuk-table__cell"><a class="govuk-link" href="{}">{}</a></td>'
    '<td class="govuk-table__cell govuk-body-s hub-hide-narrow">{}</td></tr>'
)


def deadline_rows_html(rows: list[selectors.Deadline], names: dict[int, str]) -> str:
    """The calendar's rows, built in Python (as the register's are): a school's calendar runs to
    hundreds of rows and the template engine costs about a third of a millisecond per row.
    Every value is escaped by format_html."""
    pattern = {
        name: reverse(f"ehcp:{name}", args=[987654321]).replace("987654321", "{}")
        for name in ("review", "plan", "pupil")
    }
    out = []
    for d in rows:
        if d.review_id:
            target = pattern["review"].format(d.review_id)
        elif d.plan_id:
            target = pattern["plan"].format(d.plan_id)
        else:
            target = pattern["pupil"].format(d.pupil_id)
        out.append(
            format_html(
                _ROW,
                d.due.strftime("%a %-d %b %Y"),
                target,
                d.label,
                d.reference,
                pattern["pupil"].format(d.pupil_id),
                names.get(d.pupil_id, d.initials),
                "School" if d.by_school else "Local authority",
            )
        )
    return mark_safe("".join(out))  # noqa: S308 - each row built by format_html


def calendar(request: SchoolPageRequest) -> HttpResponse:
    RIGHTS.require(request.school_access, "see_calendar")
    today = _today()
    deadlines = selectors.school_deadlines(
        request.school_access, request.user, today=today, school=request.school
    )
    buckets = selectors.calendar_buckets(deadlines, today)
    shown = [d for rows in buckets.values() for d in rows]
    names = selectors.pupil_names(d.pupil_id for d in shown)
    record(
        user=request.user,
        action=EhcpAction.CALENDAR_VIEWED,
        request=request,
        summary=f"Viewed the statutory calendar ({len(shown)} open deadlines)",
        extra={"pupil_ids": sorted({d.pupil_id for d in shown})[:200]},
    )
    sections = [
        {
            "key": key,
            "label": rules.BUCKET_LABELS[key],
            "rag": rules.RAG[key],
            "rows": rows,
            "rows_html": deadline_rows_html(rows, names),
        }
        for key, rows in buckets.items()
    ]
    return render(
        request,
        "ehcp/calendar.html",
        {
            "page_title": "Statutory calendar",
            "sections": sections,
            "today": today,
            "school": request.school,
            "can_set_sixth_form": access.can(request.school_access, "set_sixth_form"),
            "can_have_feed": access.can(request.school_access, "have_calendar_feed"),
            "can_write": access.can(request.school_access, "write_ehcp"),
            "has_feed": CalendarFeed.objects.filter(
                user_id=request.user.pk, revoked_at__isnull=True
            ).exists(),
        },
    )


@require_POST
def sixth_form(request: SchoolPageRequest) -> HttpResponse:
    services.school_set_sixth_form(
        acting_user=request.user,
        has_sixth_form=request.POST.get("has_sixth_form") == "yes",
        request=request,
    )
    messages.success(
        request, "Saved: phase transfer deadlines follow the school's sixth form setting."
    )
    return redirect("ehcp:calendar")


# -- a pupil's EHC record ----------------------------------------------------------------------


def pupil_ehc(request: SchoolPageRequest, pupil_id: int) -> HttpResponse:
    RIGHTS.require(request.school_access, "see_plans")
    pupil = pupil_for(request.school_access, request.user, pupil_id)
    plans = list(
        access.plans_for(request.school_access, request.user)
        .filter(pupil=pupil)
        .prefetch_related("outcomes", "provision", "reviews")
    )
    requests = list(access.requests_for(request.school_access, request.user).filter(pupil=pupil))
    today = _today()
    deadlines = selectors.school_deadlines(
        request.school_access, request.user, today=today, school=request.school, pupil_id=pupil.pk
    )
    record(
        user=request.user,
        action=EhcpAction.PLAN_VIEWED,
        pupil=pupil,
        request=request,
        summary="Viewed the pupil's EHC plans and requests",
    )
    return render(
        request,
        "ehcp/pupil.html",
        {
            "page_title": "EHC plan and statutory dates",
            "pupil": pupil,
            "plans": plans,
            "requests": requests,
            "open_deadlines": [(d, d.rag(today)) for d in selectors.open_deadlines(deadlines)],
            "can_write": access.can(request.school_access, "write_ehcp"),
            "today": today,
        },
    )


@audited_page("a new EHC needs assessment request")
def request_create(request: SchoolPageRequest, pupil_id: int) -> HttpResponse:
    RIGHTS.require(request.school_access, "write_ehcp")
    pupil = pupil_for(request.school_access, request.user, pupil_id)
    form = RequestForm(
        request.POST or None,
        initial={"local_authority": request.school.local_authority_name, "requested_by": "school"},
    )

    def save(data: dict[str, Any]) -> str:
        services.request_create(acting_user=request.user, pupil=pupil, request=request, **data)
        return reverse("ehcp:pupil", args=[pupil.pk])

    return _form_page(
        request,
        form,
        save,
        pupil=pupil,
        back=reverse("ehcp:pupil", args=[pupil.pk]),
        heading="Record an EHC needs assessment request",
        submit="Save the request",
        success="Request saved: its statutory dates are on the pupil's EHC page.",
    )


def request_edit(request: SchoolPageRequest, request_id: int) -> HttpResponse:
    row = access.get_request_for_write(request.school_access, request.user, request_id)
    initial = {f: getattr(row, f) for f in services.requests.REQUEST_FIELDS}
    form = RequestForm(request.POST or None, initial=initial)

    def save(data: dict[str, Any]) -> str:
        services.request_update(
            acting_user=request.user, assessment_request=row, request=request, **data
        )
        return reverse("ehcp:pupil", args=[row.pupil_id])

    return _form_page(
        request,
        form,
        save,
        pupil=row.pupil,
        back=reverse("ehcp:pupil", args=[row.pupil_id]),
        heading="Update the assessment request",
        submit="Save",
        success="Request updated.",
        computed=[
            ("Decision due", row.decision_due),
            ("No-plan notice due", row.refusal_notice_due),
            ("Final plan due", row.final_plan_due),
        ],
    )


@audited_page("a new EHC plan for a pupil")
def plan_create(request: SchoolPageRequest, pupil_id: int) -> HttpResponse:
    RIGHTS.require(request.school_access, "write_ehcp")
    pupil = pupil_for(request.school_access, request.user, pupil_id)
    offer = pupil.sen_provision != Provision.EHC_PLAN
    form = PlanForm(
        request.POST or None,
        offer_register_update=offer,
        initial={
            "local_authority": request.school.local_authority_name,
            "placement": request.school.name,
        },
    )

    def save(data: dict[str, Any]) -> str:
        values = form.plan_values()
        try:
            plan = services.plan_create(
                acting_user=request.user, pupil=pupil, request=request, **values
            )
        except ValidationError as exc:
            codes = (
                [e.code for e in exc.error_dict.get("pupil", [])]
                if hasattr(exc, "error_dict")
                else []
            )
            if NOT_AT_E in codes and "update_register" in form.fields:
                form.add_error(
                    "update_register",
                    "Tick this to change the register entry to E in the same step.",
                )
            raise
        return reverse("ehcp:plan", args=[plan.pk])

    return _form_page(
        request,
        form,
        save,
        pupil=pupil,
        back=reverse("ehcp:pupil", args=[pupil.pk]),
        heading="Record an EHC plan",
        submit="Save the plan",
        success="Plan saved: the next annual review date is worked out from the issue date.",
        not_at_e=offer,
        provision_label=pupil.get_sen_provision_display(),
    )


def _plan_context(request: SchoolPageRequest, plan: EhcPlan) -> dict[str, Any]:
    today = _today()
    return {
        "plan": plan,
        "pupil": plan.pupil,
        "next_review_due": plan_next_review_due(plan)
        if plan.status == EhcPlan.Status.ACTIVE
        else None,
        "amend_by": rules.amend_by(
            phase=request.school.phase,
            has_sixth_form=request.school.has_sixth_form,
            year_group=plan.pupil.year_group,
            today=today,
        ),
        "reviews": list(plan.reviews.all()),
        "today": today,
    }


def plan_detail(request: SchoolPageRequest, plan_id: int) -> HttpResponse:
    plan = access.get_plan_for(request.school_access, request.user, plan_id)
    record(
        user=request.user,
        action=EhcpAction.PLAN_VIEWED,
        pupil=plan.pupil,
        request=request,
        summary="Viewed an EHC plan",
        extra={"plan_id": plan.pk},
    )
    return render(
        request,
        "ehcp/plan.html",
        {
            **_plan_context(request, plan),
            "page_title": "EHC plan",
            "can_write": access.can(request.school_access, "write_ehcp"),
            "schedule_form": ScheduleReviewForm(),
        },
    )


def plan_edit(request: SchoolPageRequest, plan_id: int) -> HttpResponse:
    plan = access.get_plan_for_write(request.school_access, request.user, plan_id)
    form = PlanForm(request.POST or None, initial=PlanForm.initial_from(plan))

    def save(data: dict[str, Any]) -> str:
        values = form.plan_values()
        values.pop("update_register", None)
        services.plan_update(acting_user=request.user, plan=plan, request=request, **values)
        return reverse("ehcp:plan", args=[plan.pk])

    return _form_page(
        request,
        form,
        save,
        pupil=plan.pupil,
        back=reverse("ehcp:plan", args=[plan.pk]),
        heading="Change the EHC plan",
        submit="Save",
        success="Plan updated.",
    )


def review_schedule(request: SchoolPageRequest, plan_id: int) -> HttpResponse:
    plan = access.get_plan_for_write(request.school_access, request.user, plan_id)
    form = ScheduleReviewForm(
        request.POST or None, initial={"meeting_on": plan_next_review_due(plan)}
    )

    def save(data: dict[str, Any]) -> str:
        review = services.review_schedule(
            acting_user=request.user, plan=plan, request=request, meeting_on=data["meeting_on"]
        )
        return reverse("ehcp:review", args=[review.pk])

    return _form_page(
        request,
        form,
        save,
        pupil=plan.pupil,
        back=reverse("ehcp:plan", args=[plan.pk]),
        heading="Schedule the annual review",
        submit="Schedule the review",
        success="Review scheduled: invitations must go out two weeks before the meeting.",
        computed=[("Next review due", plan_next_review_due(plan))],
    )


# -- an annual review --------------------------------------------------------------------------


def _review(request: SchoolPageRequest, review_id: int, *, write: bool = False) -> AnnualReview:
    get = access.get_review_for_write if write else access.get_review_for
    return get(request.school_access, request.user, review_id)


def review_detail(request: SchoolPageRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id)
    record(
        user=request.user,
        action=EhcpAction.REVIEW_VIEWED,
        pupil=review.plan.pupil,
        request=request,
        summary="Viewed an annual review",
        extra={"review_id": review.pk},
    )
    today = _today()
    invitations = list(review.invitations.all())
    advice = list(review.advice.all())
    sent_dates = [i.sent_on for i in invitations if i.sent_on]
    invitations_done = (
        max(sent_dates) if invitations and len(sent_dates) == len(invitations) else None
    )
    steps = [
        ("Invitations and advice out", review.invitations_by, invitations_done),
        ("Meeting", review.meeting_on, review.meeting_on if review.meeting_held else None),
        ("Report to the LA and attendees", review.report_due, review.report_sent_on),
        ("LA decision (maintain, amend or cease)", review.la_decision_due, review.la_decision_on),
    ]
    if review.amended_plan_due:
        steps.append(("Amended plan", review.amended_plan_due, review.amended_plan_issued_on))
    rows = [
        (label, due, done, rules.deadline_status(due=due, done_on=done, today=today))
        for label, due, done in steps
    ]
    return render(
        request,
        "ehcp/review.html",
        {
            "page_title": "Annual review",
            "review": review,
            "plan": review.plan,
            "pupil": review.plan.pupil,
            "steps": rows,
            "invitations": invitations,
            "advice": advice,
            "can_write": access.can(request.school_access, "write_ehcp"),
            "steps_form": ReviewStepsForm(
                initial={f: getattr(review, f) for f in ReviewStepsForm.base_fields}
            ),
            "invitee_form": InviteeForm(),
            "send_form": SendInvitationsForm(initial={"sent_on": today}),
            "advice_form": AdviceForm(initial={"requested_on": today}),
            "today": today,
            "report_fields": [
                (ReportForm.base_fields[f].label, getattr(review, f)) for f in REPORT_FIELDS
            ],
        },
    )


def _back_to_review(
    request: SchoolPageRequest,
    review: AnnualReview,
    form: Any,
    message: str,
    save: Callable[[dict[str, Any]], Any],
) -> HttpResponse:
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, message)
            return redirect("ehcp:review", review_id=review.pk)
    for field, errors in form.errors.items():
        for error in errors:
            messages.error(
                request, f"{form.fields[field].label}: {error}" if field in form.fields else error
            )
    return redirect("ehcp:review", review_id=review.pk)


@require_POST
def review_steps(request: SchoolPageRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id, write=True)
    form = ReviewStepsForm(request.POST)
    return _back_to_review(
        request,
        review,
        form,
        "Review updated: the statutory dates below follow.",
        lambda data: services.review_update(
            acting_user=request.user, review=review, request=request, **data
        ),
    )


@require_POST
def review_invitee_add(request: SchoolPageRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id, write=True)
    return _back_to_review(
        request,
        review,
        InviteeForm(request.POST),
        "Added to the invitation list.",
        lambda data: services.invitation_add(
            acting_user=request.user, review=review, request=request, **data
        ),
    )


@require_POST
def review_invitations_send(request: SchoolPageRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id, write=True)
    return _back_to_review(
        request,
        review,
        SendInvitationsForm(request.POST),
        "Invitations recorded as sent.",
        lambda data: services.invitations_send(
            acting_user=request.user, review=review, request=request, sent_on=data["sent_on"]
        ),
    )


@require_POST
def review_advice_add(request: SchoolPageRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id, write=True)
    return _back_to_review(
        request,
        review,
        AdviceForm(request.POST),
        "Advice request recorded.",
        lambda data: services.advice_request(
            acting_user=request.user, review=review, request=request, **data
        ),
    )


@require_POST
def review_advice_received(
    request: SchoolPageRequest, review_id: int, advice_id: int
) -> HttpResponse:
    review = _review(request, review_id, write=True)
    advice = ReviewAdvice.objects.filter(review=review, pk=advice_id).first()
    if advice is None:
        raise PermissionDenied("No such advice on this review.")
    try:
        services.advice_receive(
            acting_user=request.user, advice=advice, received_on=_today(), request=request
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Advice recorded as received today.")
    return redirect("ehcp:review", review_id=review.pk)


def review_report(request: SchoolPageRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id, write=True)
    if request.method == "POST" and request.POST.get("refill") == "1":
        form = ReportForm(initial=services.review_report_prefill(review))
        messages.info(request, "Filled in again from the plan: check and save.")
        return _form_page(
            request,
            form,
            lambda d: "",
            pupil=review.plan.pupil,
            back=reverse("ehcp:review", args=[review.pk]),
            heading="The review report",
            submit="Save the report",
            success="",
            refill_url=True,
        )
    form = ReportForm(request.POST or None, initial={f: getattr(review, f) for f in REPORT_FIELDS})

    def save(data: dict[str, Any]) -> str:
        services.review_update(acting_user=request.user, review=review, request=request, **data)
        return reverse("ehcp:review", args=[review.pk])

    return _form_page(
        request,
        form,
        save,
        pupil=review.plan.pupil,
        back=reverse("ehcp:review", args=[review.pk]),
        heading="The review report",
        submit="Save the report",
        success="Report saved.",
        refill_url=True,
    )


def review_report_download(
    request: SchoolPageRequest, review_id: int, file_format: str
) -> HttpResponse:
    review = _review(request, review_id)
    record(
        user=request.user,
        action=EhcpAction.REPORT_EXPORTED,
        pupil=review.plan.pupil,
        request=request,
        summary=f"Downloaded an annual review report ({file_format.upper()})",
        extra={"review_id": review.pk},
    )
    if file_format == "pdf":
        return exports.report_pdf_response(review, school=request.school)
    return exports.report_docx_response(review, school=request.school)


# -- plans list, feeds ---------------------------------------------------------------------------


def plans_list(request: SchoolPageRequest) -> HttpResponse:
    RIGHTS.require(request.school_access, "see_plans")
    today = _today()
    plans = list(
        access.plans_for(request.school_access, request.user)
        .filter(status=EhcPlan.Status.ACTIVE)
        .select_related("pupil")
        .order_by("pupil__last_name", "pupil__first_name")
    )
    requests = list(
        access.requests_for(request.school_access, request.user)
        .select_related("pupil")
        .order_by("-requested_on")
    )
    deadlines = selectors.school_deadlines(
        request.school_access, request.user, today=today, school=request.school
    )
    next_review = {
        d.plan_id: d.due for d in deadlines if d.kind == "annual_review" and d.done_on is None
    }
    record(
        user=request.user,
        action=EhcpAction.LISTED,
        request=request,
        summary=f"Listed {len(plans)} EHC plans and {len(requests)} requests",
        extra={"pupil_ids": sorted({p.pupil_id for p in plans})[:200]},
    )
    return render(
        request,
        "ehcp/plans.html",
        {
            "page_title": "EHC plans",
            "plans": [(p, next_review.get(p.pk)) for p in plans],
            "requests": [r for r in requests if r.is_open],
            "today": today,
        },
    )


@no_pupil_data
def calendar_feed(request: SchoolPageRequest) -> HttpResponse:
    RIGHTS.require(request.school_access, "have_calendar_feed")
    url = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_feed_revoke(acting_user=request.user, request=request)
            messages.success(
                request, "Your calendar feed is switched off: calendars using it stop updating."
            )
            return redirect("ehcp:feed")
        _, token = services.calendar_feed_create(acting_user=request.user, request=request)
        url = request.build_absolute_uri(reverse("ehcp-feed", args=[token]))
    active = CalendarFeed.objects.filter(user_id=request.user.pk, revoked_at__isnull=True).first()
    return render(
        request,
        "ehcp/feed.html",
        {"page_title": "Your calendar feed", "feed_url": url, "active": active},
    )


def feed_ics(request: SchoolRequest, token: str) -> HttpResponse:
    """The iCalendar feed itself: no session (calendar clients have none); the secret in the
    path is the key, and the user behind it must still have the right to a feed here."""
    from tenants.access import school_access_for
    from tenants.models import User

    not_found = HttpResponse("Not found.", status=404, content_type="text/plain")
    school = getattr(request, "school", None)
    feed = services.feed_for_token(token) if school is not None else None
    if feed is None or school is None:
        return not_found
    user = User.objects.filter(pk=feed.user_id, is_active=True).first()
    school_access = school_access_for(user, school) if user is not None else None
    if school_access is None or not access.can(school_access, "have_calendar_feed"):
        return not_found
    today = _today()
    deadlines = selectors.school_deadlines(school_access, user, today=today, school=school)
    body = exports.deadlines_ics(deadlines, school=school, today=today)
    CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=timezone.now())
    record(
        user=user,
        action=EhcpAction.FEED_FETCHED,
        request=request,
        summary=f"Calendar feed fetched ({len(deadlines)} deadlines, initials only)",
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="statutory-deadlines.ics"'
    return response


# -- plug-ins: home panel, worklist, pupil page link ----------------------------------------------


def home_panel(request: SchoolPageRequest) -> dict[str, Any] | None:
    school_access = getattr(request, "school_access", None)
    if not access.can(school_access, "see_calendar"):
        return None
    today = _today()
    deadlines = selectors.school_deadlines(
        school_access, request.user, today=today, school=request.school
    )
    urgent = selectors.urgent(deadlines, today)
    transfers = [
        d
        for d in deadlines
        if d.kind == "phase_transfer"
        and d.done_on is None
        and today >= rules.phase_transfer_shows_from(d.due)
    ]
    if not urgent and not transfers:
        return {
            "template": "ehcp/_home_panel.html",
            "context": {"urgent": [], "transfers": [], "total": 0},
        }
    names = selectors.pupil_names(d.pupil_id for d in [*urgent, *transfers])
    return {
        "template": "ehcp/_home_panel.html",
        "context": {
            "urgent": [(d, names.get(d.pupil_id, d.initials), d.rag(today)) for d in urgent[:8]],
            "total": len(urgent),
            "transfers": [(d, names.get(d.pupil_id, d.initials)) for d in transfers[:8]],
            "transfer_total": len(transfers),
        },
    }


def pupil_page_link(request: SchoolPageRequest, pupil: Any) -> dict[str, Any] | None:
    if not access.can(getattr(request, "school_access", None), "see_plans"):
        return None
    if pupil.sen_provision != Provision.EHC_PLAN and not access.can(
        request.school_access, "write_ehcp"
    ):
        return None
    return {
        "label": "EHC plan and statutory dates",
        "url": reverse("ehcp:pupil", args=[pupil.pk]),
        "description": "Assessment requests, the plan (sections A to K), annual reviews and deadlines.",
        # The register entry points here for a pupil with a plan: that is where its details are.
        "plan_details": pupil.sen_provision == Provision.EHC_PLAN,
    }
