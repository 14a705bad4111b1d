"""Billing pages: the trust console (platform host), the school home panel, and the Stripe
webhook. Views parse, authorise and call a service or selector."""

from __future__ import annotations

import stripe
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tenants.access import signed_in_user
from tenants.hosts import platform_url
from tenants.roles import SchoolRole
from tenants.typing import SchoolPageRequest

from . import services
from .access import (
    billing_trusts_for_request,
    get_school_billing_for,
    get_school_billing_for_write,
)
from .forms import BillingContactForm
from .selectors import (
    billing_access_for_school,
    next_invoice_preview,
    trial_end_order,
    trust_billing,
)
from .stripe_api import billing_configured, plain_english


def overview(request: HttpRequest) -> HttpResponse:
    trusts = billing_trusts_for_request(request)
    sections = []
    for trust in trusts:
        rows = trust_billing(trust)
        ending = sorted(
            (row for row in rows if row.trial_ends_soon),
            key=trial_end_order,
        )
        sections.append({"trust": trust, "rows": rows, "ending": ending})
    return render(
        request,
        "billing/overview.html",
        {
            "sections": sections,
            "configured": billing_configured(),
            "page_title": "Billing",
        },
    )


def school_detail(
    request: HttpRequest, school_id: int, form: BillingContactForm | None = None
) -> HttpResponse:
    billing_trusts_for_request(request)
    row = get_school_billing_for(request.user, school_id)
    account = row.account
    if form is None:
        initial = {}
        if account is not None:
            initial = {
                "contact_kind": account.contact_kind,
                "contact_name": account.contact_name,
                "contact_email": account.contact_email,
            }
        form = BillingContactForm(initial=initial)
    invoices = list(account.invoices.all()[:24]) if account else []
    return render(
        request,
        "billing/school.html",
        {
            "row": row,
            "account": account,
            "school": row.school,
            "invoices": invoices,
            "next_invoice": next_invoice_preview(account),
            "form": form,
            "configured": billing_configured(),
            "page_title": f"Billing – {row.school.name}",
            "checkout_done": request.GET.get("checkout") == "done"
            and account is not None
            and not account.stripe_subscription_id,
        },
        status=400 if form.errors else 200,
    )


def _back(school_id: int) -> HttpResponseRedirect:
    return redirect("billing-school", school_id=school_id)


def _absolute(path: str) -> str:
    return platform_url(path)


@require_POST
def contact_update(request: HttpRequest, school_id: int) -> HttpResponse:
    billing_trusts_for_request(request)
    row = get_school_billing_for_write(request.user, school_id)
    form = BillingContactForm(request.POST)
    if not form.is_valid():
        return school_detail(request, school_id, form=form)
    account = row.account or services.billing_account_for(row.school)
    services.billing_contact_set(
        acting_user=signed_in_user(request),
        account=account,
        kind=form.cleaned_data["contact_kind"],
        name=form.cleaned_data["contact_name"],
        email=form.cleaned_data["contact_email"],
    )
    messages.success(request, f"Billing contact for {row.school.name} saved.")
    return _back(school_id)


def _stripe_action(request: HttpRequest, school_id: int, action) -> HttpResponse:
    billing_trusts_for_request(request)
    row = get_school_billing_for_write(request.user, school_id)
    try:
        return action(row.school)
    except services.BillingNotConfigured as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except stripe.StripeError as error:
        messages.error(request, plain_english(error))
    return _back(school_id)


@require_POST
def checkout_start(request: HttpRequest, school_id: int) -> HttpResponse:
    def action(school):
        here = reverse("billing-school", kwargs={"school_id": school.pk})
        url = services.checkout_session_start(
            acting_user=request.user,
            school=school,
            success_url=_absolute(f"{here}?checkout=done"),
            cancel_url=_absolute(here),
        )
        return HttpResponseRedirect(url)

    return _stripe_action(request, school_id, action)


@require_POST
def invoice_subscription_start(request: HttpRequest, school_id: int) -> HttpResponse:
    def action(school):
        services.subscription_start_by_invoice(acting_user=request.user, school=school)
        messages.success(
            request,
            f"{school.name} is subscribed. Stripe will email invoices to the billing contact, due in 30 days.",
        )
        return _back(school.pk)

    return _stripe_action(request, school_id, action)


@require_POST
def portal_open(request: HttpRequest, school_id: int) -> HttpResponse:
    def action(school):
        here = reverse("billing-school", kwargs={"school_id": school.pk})
        return HttpResponseRedirect(
            services.portal_session_create(
                acting_user=request.user, school=school, return_url=_absolute(here)
            )
        )

    return _stripe_action(request, school_id, action)


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """Stripe calls this. The signature is checked on the raw body before anything else."""
    try:
        event, first_time = services.stripe_event_receive(
            payload=request.body, signature=request.META.get("HTTP_STRIPE_SIGNATURE")
        )
    except services.WebhookRejected as error:
        return JsonResponse({"detail": str(error)}, status=400)
    return JsonResponse({"received": event.event_id, "duplicate": not first_time})


def billing_home_panel(request: SchoolPageRequest) -> dict | None:
    """The school's billing status on its home page, for its headteacher."""
    access = request.school_access
    if access is None or access.school_role != SchoolRole.HEADTEACHER:
        return None
    from .models import BillingAccount
    from .selectors import SchoolBilling

    account = BillingAccount.objects.filter(school_id=request.school.pk).first()
    row = SchoolBilling(
        school=request.school, account=account, access=billing_access_for_school(request.school)
    )
    return {"template": "billing/_home_panel.html", "context": {"row": row}}
