"""Support plan pages: thin. Parse, authorise (access.py), call a service or selector, render.
Every read of a pupil's plan is audited; names never go in URLs."""

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
from django.views.decorators.http import require_http_methods

from apps.audit.reads import audited_page
from apps.audit.services import record
from apps.core.acting import record_reads
from apps.core.forms import add_service_errors
from apps.pupils.selectors import school_staff

from . import selectors, services
from .access import RIGHTS, get_plan_for, get_pupil_for, visible_plans
from .actions import SupportAction
from .forms import AssessmentForm, ObservationForm, PlanForm, ReviewForm

View = Callable[..., HttpResponse]


def requires(capability: str) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            RIGHTS.require(request.school_access, capability)  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _choices(request: HttpRequest) -> dict[str, list[tuple[int, str]]]:
    from apps.provision.models import Intervention, InterventionGroup

    return {
        "staff_choices": school_staff(request.school),  # type: ignore[attr-defined]
        "group_choices": [
            (g.pk, f"{g.intervention.name}: {g.name}")
            for g in InterventionGroup.objects.select_related("intervention")
        ],
        "intervention_choices": list(
            Intervention.objects.filter(is_active=True).values_list("pk", "name")
        ),
    }


def _form_page(request: HttpRequest, template: str, **context: Any) -> HttpResponse:
    return render(request, template, context)


# -- lists ---------------------------------------------------------------------------------


@requires("see_plans")
def plan_list(request: HttpRequest) -> HttpResponse:
    access, user = request.school_access, request.user  # type: ignore[attr-defined]
    due = request.GET.get("due", "")
    today = timezone.localdate()
    plans = visible_plans(access, user)
    if due in ("overdue", "soon"):
        rows = [
            p
            for p in selectors.reviews_due(today, plans)
            if (p.due_status == "overdue") == (due == "overdue")  # type: ignore[attr-defined]
        ]
    else:
        rows = list(selectors.plans_list(plans, status="current"))
    record(
        user=user,
        action=SupportAction.PLANS_LISTED,
        summary=f"Listed {len(rows)} support plans",
        request=request,
    )
    from apps.school.rules import review_status

    for plan in rows:
        plan.due_status = review_status(plan.review_due, today)  # type: ignore[attr-defined]
    return render(
        request,
        "support/plan_list.html",
        {
            "plans": rows,
            "due": due,
            "counts": selectors.review_counts(today, plans),
            "can_write": RIGHTS.can(access, "write_plan"),
            "page_title": "Support plans",
        },
    )


@requires("see_plans")
def pupil_support(request: HttpRequest, pupil_id: int) -> HttpResponse:
    """A pupil's graduated approach: every plan version side by side, reviews, assessments and
    observations."""
    access, user = request.school_access, request.user  # type: ignore[attr-defined]
    pupil = get_pupil_for(access, user, pupil_id)
    versions = selectors.plan_versions(pupil.pk)
    from apps.provision.selectors import provision_for_pupil

    record(
        user=user,
        action=SupportAction.PLAN_VIEWED,
        pupil=pupil,
        summary="Opened the pupil's support plans",
        request=request,
    )
    return render(
        request,
        "support/pupil_support.html",
        {
            "pupil": pupil,
            "versions": list(reversed(versions)),
            "current": next((v for v in versions if v.is_current), None),
            "assessments": list(pupil.assessments.all()[:50]),
            "observations": list(pupil.support_observations.all()[:50]),
            "provision": provision_for_pupil(pupil.pk),
            "can": {
                cap: RIGHTS.can(access, cap)
                for cap in (
                    "write_plan",
                    "record_review",
                    "record_assessment",
                    "add_observation",
                    "download_plan",
                )
            },
            "page_title": f"Support: {pupil.display_name}",
        },
    )


# -- plans ---------------------------------------------------------------------------------


@audited_page("a new support plan for a pupil")
@requires("write_plan")
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest, pupil_id: int) -> HttpResponse:
    access, user = request.school_access, request.user  # type: ignore[attr-defined]
    pupil = get_pupil_for(access, user, pupil_id)
    form = PlanForm(request.POST or None, **_choices(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_create(
                acting_user=user,
                pupil_id=pupil.pk,
                outcomes=form.outcomes(),
                strategies=form.cleaned_data["strategies"],
                pupil_views=form.cleaned_data["pupil_views"],
                parent_views=form.cleaned_data["parent_views"],
                lead_user_id=form.cleaned_data["lead_user_id"],
                review_due=form.cleaned_data["review_due"],
                provision_group_ids=form.cleaned_data["provision"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, _outcome_keys(exc))
        else:
            messages.success(request, "Support plan saved.")
            return redirect("support:pupil", pupil_id=pupil.pk)
    return render(
        request,
        "support/plan_form.html",
        {
            "form": form,
            "pupil": pupil,
            "heading": "Write a support plan",
            "page_title": "Write a support plan",
        },
    )


def _outcome_keys(exc: ValidationError) -> ValidationError:
    """Service keys "outcomes.0.measure" become the form's "outcome_0_measure"."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {
            key.replace("next_outcomes.", "outcome_")
            .replace("outcomes.", "outcome_")
            .replace(".", "_")
            if key.startswith(("outcomes.", "next_outcomes."))
            else key: messages_
            for key, messages_ in exc.message_dict.items()
        }
    )


@requires("write_plan")
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    access, user = request.school_access, request.user  # type: ignore[attr-defined]
    plan = get_plan_for(access, user, plan_id)
    initial: dict[str, Any] = {
        "strategies": plan.strategies,
        "pupil_views": plan.pupil_views,
        "parent_views": plan.parent_views,
        "lead_user_id": plan.lead_user_id,
        "review_due": plan.review_due,
        "provision": list(plan.provision.values_list("pk", flat=True)),
    }
    for n, o in enumerate(plan.outcomes.all()):
        initial |= {
            f"outcome_{n}_description": o.description,
            f"outcome_{n}_measure": o.measure,
            f"outcome_{n}_target_date": o.target_date,
            f"outcome_{n}_intervention_id": o.intervention_id,
        }
    form = PlanForm(request.POST or None, initial=initial, **_choices(request))
    if request.method == "POST" and form.is_valid():
        changes = {
            k: form.cleaned_data[k]
            for k in ("strategies", "pupil_views", "parent_views", "lead_user_id")
        }
        changes["outcomes"] = form.outcomes()
        changes["provision"] = form.cleaned_data["provision"]
        if form.cleaned_data["review_due"]:
            changes["review_due"] = form.cleaned_data["review_due"]
        try:
            services.plan_update(
                acting_user=user, plan_id=plan.pk, changes=changes, request=request
            )
        except ValidationError as exc:
            add_service_errors(form, _outcome_keys(exc))
        else:
            messages.success(request, "Support plan saved.")
            return redirect("support:pupil", pupil_id=plan.pupil_id)
    return render(
        request,
        "support/plan_form.html",
        {
            "form": form,
            "pupil": plan.pupil,
            "heading": f"Change support plan version {plan.version}",
            "page_title": "Change a support plan",
        },
    )


@requires("record_review")
@require_http_methods(["GET", "POST"])
def plan_review(request: HttpRequest, plan_id: int) -> HttpResponse:
    access, user = request.school_access, request.user  # type: ignore[attr-defined]
    plan = get_plan_for(access, user, plan_id)
    outcomes = list(plan.outcomes.all())
    form = ReviewForm(
        request.POST or None, outcomes=outcomes, initial={"held_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = services.review_record(
                acting_user=user,
                plan_id=plan.pk,
                held_on=data["held_on"],
                ratings=form.ratings(),
                attendees=data["attendees"],
                pupil_contribution=data["pupil_contribution"],
                parent_contribution=data["parent_contribution"],
                next_steps=data["next_steps"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, _rating_keys(exc))
        else:
            messages.success(
                request,
                f"Review recorded. Version {review.next_plan.version} of the plan is now current: "
                "check its outcomes.",
            )
            return redirect("support:plan-edit", plan_id=review.next_plan_id)
    observations = list(plan.observations.all()) if plan.is_current else []
    return render(
        request,
        "support/review_form.html",
        {
            "form": form,
            "plan": plan,
            "pupil": plan.pupil,
            "observations": observations,
            "page_title": "Review a support plan",
        },
    )


def _rating_keys(exc: ValidationError) -> ValidationError:
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {key.replace("ratings.", "rating_"): msgs for key, msgs in exc.message_dict.items()}
    )


@requires("download_plan")
def plan_pdf(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan in plain language for the family, as a PDF."""
    from apps.core.pdf import pdf_response

    access, user = request.school_access, request.user  # type: ignore[attr-defined]
    plan = get_plan_for(access, user, plan_id)
    record(
        user=user,
        action=SupportAction.PLAN_DOWNLOADED,
        pupil=plan.pupil,
        summary=f"Downloaded support plan version {plan.version} for the family",
        request=request,
        extra={"plan_id": plan.pk},
    )
    from apps.provision.selectors import provision_for_pupil

    return pdf_response(
        request,
        "support/plan_pdf.html",
        {
            "plan": plan,
            "pupil": plan.pupil,
            "outcomes": list(plan.outcomes.all()),
            "provision": [
                p
                for p in provision_for_pupil(plan.pupil_id)
                if p.group_id in set(plan.provision.values_list("pk", flat=True))
            ],
            "school": request.school,  # type: ignore[attr-defined]
        },
        filename=f"support-plan-{plan.pk}-v{plan.version}.pdf",
    )


# -- assessments and observations ----------------------------------------------------------


@audited_page("a new assessment for a pupil")
@requires("record_assessment")
@require_http_methods(["GET", "POST"])
def assessment_add(request: HttpRequest, pupil_id: int) -> HttpResponse:
    access, user = request.school_access, request.user  # type: ignore[attr-defined]
    pupil = get_pupil_for(access, user, pupil_id)
    form = AssessmentForm(request.POST or None, initial={"assessed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_record(
                acting_user=user, pupil_id=pupil.pk, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Assessment recorded.")
            return redirect("support:pupil", pupil_id=pupil.pk)
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "pupil": pupil,
            "heading": "Record an assessment",
            "submit": "Save assessment",
            "back": reverse("support:pupil", args=[pupil.pk]),
            "page_title": "Record an assessment",
        },
    )


@audited_page("a new observation of a pupil")
@requires("add_observation")
@require_http_methods(["GET", "POST"])
def observation_add(request: HttpRequest, pupil_id: int) -> HttpResponse:
    access, user = request.school_access, request.user  # type: ignore[attr-defined]
    pupil = get_pupil_for(access, user, pupil_id)
    form = ObservationForm(request.POST or None, initial={"observed_on": timezone.localdate()})
    back = request.GET.get("back") == "class"
    if request.method == "POST" and form.is_valid():
        try:
            services.observation_add(
                acting_user=user, pupil_id=pupil.pk, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Observation saved for the next review.")
            if back:
                return redirect("support:class")
            return redirect("support:pupil", pupil_id=pupil.pk)
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "pupil": pupil,
            "heading": "Add an observation",
            "submit": "Save observation",
            "back": reverse("support:class") if back else reverse("support:pupil", args=[pupil.pk]),
            "page_title": "Add an observation",
        },
    )


# -- teachers' class view ------------------------------------------------------------------


@requires("see_class_view")
def class_view(request: HttpRequest) -> HttpResponse:
    access, user = request.school_access, request.user  # type: ignore[attr-defined]
    rows = selectors.class_view(access, user)
    record_reads(
        user=user,
        action=SupportAction.CLASS_VIEWED,
        pupil_ids=[r["pupil"].pk for r in rows],
        summary="Saw the pupil on the class support page",
        request=request,
    )
    return render(
        request,
        "support/class_view.html",
        {
            "rows": rows,
            "can_observe": RIGHTS.can(access, "add_observation"),
            "page_title": "My classes: support",
        },
    )


# -- home panel, pupil page link, worklist -------------------------------------------------


def home_panel(request: HttpRequest) -> dict[str, Any] | None:
    access = getattr(request, "school_access", None)
    today = timezone.localdate()
    if RIGHTS.can(access, "write_plan") or (
        RIGHTS.can(access, "see_plans") and RIGHTS.can(access, "see_review_figures")
    ):
        plans = visible_plans(access, request.user)
        due = selectors.reviews_due(today, plans)
        return {
            "template": "support/_home_panel.html",
            "context": {
                "due": due[:8],
                "total": len(due),
                "counts": selectors.review_counts(today, plans),
            },
        }
    if RIGHTS.can(access, "see_review_figures"):
        from .models import SupportPlan

        return {
            "template": "support/_home_figures.html",
            "context": {"counts": selectors.review_counts(today, SupportPlan.objects.all())},
        }
    return None


def pupil_page_link(request: HttpRequest, pupil: Any) -> dict[str, str] | None:
    if not RIGHTS.can(getattr(request, "school_access", None), "see_plans"):
        return None
    return {
        "label": "Support plan, reviews and assessments",
        "url": reverse("support:pupil", args=[pupil.pk]),
        "description": "Assess, plan, do, review: every version of the plan.",
    }


def worklist(ctx: Any) -> list[Any]:
    from apps.core.extensions import WorklistItem

    if not RIGHTS.can(ctx.access, "write_plan"):
        return []
    counts = selectors.review_counts(ctx.today, visible_plans(ctx.access, ctx.user))
    items = []
    if counts.overdue:
        items.append(
            WorklistItem(
                "Support plan reviews overdue", counts.overdue, "/support/?due=overdue", "overdue"
            )
        )
    if counts.due_soon:
        items.append(
            WorklistItem(
                "Support plan reviews due in two weeks",
                counts.due_soon,
                "/support/?due=soon",
                "soon",
            )
        )
    return items
