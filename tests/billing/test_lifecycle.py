"""The whole life of a subscription against the fake Stripe, through the webhook and the real
Celery worker: trial, checkout, paid invoice, failed payment, grace period, read-only, recovery,
cancellation — with duplicated and reordered events and bad signatures on the way."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.billing.models import BillingAccount, Invoice, StripeEvent, SubscriptionStatus
from tenants.gates import read_only_reason
from tests.billing.conftest import deliver, wait_until
from tests.support import host_for, signed_in_client

pytestmark = pytest.mark.celery


def _account(school) -> BillingAccount:
    return BillingAccount.objects.get(school=school)


def _settled(*event_ids: str):
    """All these events have been dealt with by the worker."""

    def check():
        done = StripeEvent.objects.filter(event_id__in=event_ids).exclude(
            outcome=StripeEvent.Outcome.PENDING
        )
        return done.count() == len(event_ids)

    return check


def test_the_whole_life_of_a_subscription(fake, committed, celery_worker, harness):
    school = committed.school(
        trust=harness["trust_a"],
        name="Gamma Primary",
        urn="100031",
        subdomain="gamma",
        phase="primary",
        local_authority_name="Kirklees",
        local_authority_code="382",
        number_on_roll=240,
    )
    webhook = Client(HTTP_HOST=host_for(None))
    admin = signed_in_client(harness["trust_trust_admin_a"])
    staff = harness["senco_a"]
    from tenants.services import school_membership_set

    school_membership_set(acting_user=None, user=staff, school=school, role="senco")
    school_client = signed_in_client(staff, school)

    # 1. Provisioned: a free trial, with full access.
    account = wait_until(
        lambda: BillingAccount.objects.filter(school=school).first(), message="trial account"
    )
    assert account.status == SubscriptionStatus.TRIAL
    assert read_only_reason(school) is None

    # 2. The trust admin starts Checkout; the payer completes it at Stripe.
    response = admin.post(f"/billing/schools/{school.pk}/checkout/")
    assert response.status_code == 302
    session_id = response["Location"].rsplit("/", 1)[1]
    fake.complete_checkout(session_id)
    completed, created = fake.take_events()
    assert (completed["type"], created["type"]) == (
        "checkout.session.completed",
        "customer.subscription.created",
    )

    # A forged copy is refused and stores nothing.
    before = StripeEvent.objects.count()
    assert deliver(webhook, fake, created, secret="whsec_forged").status_code == 400
    assert StripeEvent.objects.count() == before

    # Delivered out of order, and one twice.
    assert deliver(webhook, fake, created).status_code == 200
    assert deliver(webhook, fake, completed).status_code == 200
    assert deliver(webhook, fake, created).json()["duplicate"] is True
    wait_until(_settled(completed["id"], created["id"]), message="checkout events")
    account = _account(school)
    assert account.status == SubscriptionStatus.TRIALING
    assert account.stripe_subscription_id and account.quantity == 240
    subscription_id = account.stripe_subscription_id
    assert StripeEvent.objects.get(event_id=created["id"]).deliveries == 2

    # 3. The trial ends and the first annual invoice is paid by card.
    fake.end_trial(subscription_id)
    events = fake.take_events()
    for event in events:
        assert deliver(webhook, fake, event).status_code == 200
    wait_until(_settled(*[e["id"] for e in events]), message="trial end events")
    account = _account(school)
    assert account.status == SubscriptionStatus.ACTIVE
    assert Invoice.objects.filter(account=account, status="paid").count() == 1
    assert (
        StripeEvent.objects.get(
            event_id=next(e["id"] for e in events if e["type"] == "invoice.finalized")
        ).outcome
        == StripeEvent.Outcome.IGNORED
    )
    page = admin.get(f"/billing/schools/{school.pk}/").content.decode()
    assert "£720.00" in page and "Paid" in page  # 240 pupils at the fake's £3

    # 4. The renewal payment fails: past due, banner, grace period.
    fake.fail_payment(subscription_id)
    failed, updated_past_due = fake.take_events()[-2:]
    assert failed["type"] == "invoice.payment_failed"
    deliver(webhook, fake, failed)  # the subscription.updated is "late": not delivered yet
    wait_until(lambda: _account(school).status == SubscriptionStatus.PAST_DUE, message="past due")
    assert read_only_reason(school) is None
    assert 'data-testid="billing-banner"' in school_client.get("/").content.decode()
    assert "Payment overdue" in admin.get("/billing/").content.decode()

    # 5. The grace period runs out: read-only, but nothing is deleted and reading still works.
    BillingAccount.objects.filter(pk=account.pk).update(
        past_due_since=timezone.now() - timedelta(days=15)
    )
    assert "overdue" in read_only_reason(school)
    assert school_client.get("/").status_code == 200
    assert school_client.post("/switch/", {"to": school.slug}).status_code == 403

    # 6. Recovery: the invoice is paid. The late past-due snapshot arrives afterwards and
    #    must not undo it (we re-read Stripe); the failed-payment event is replayed too.
    fake.pay_open_invoices(subscription_id)
    events = fake.take_events()
    for event in events:
        deliver(webhook, fake, event)
    wait_until(_settled(*[e["id"] for e in events]), message="recovery events")
    deliver(webhook, fake, updated_past_due)
    deliver(webhook, fake, failed)
    wait_until(_settled(updated_past_due["id"]), message="late event")
    account = _account(school)
    assert account.status == SubscriptionStatus.ACTIVE
    assert account.past_due_since is None
    assert read_only_reason(school) is None
    assert school_client.post("/switch/", {"to": school.slug}).status_code != 403
    assert StripeEvent.objects.get(event_id=failed["id"]).deliveries == 2

    # 7. Cancellation: read-only; the school, its records and its invoices are all kept.
    fake.cancel(subscription_id)
    (deleted,) = fake.take_events()
    assert deliver(webhook, fake, deleted).status_code == 200
    wait_until(_settled(deleted["id"]), message="cancellation")
    account = _account(school)
    assert account.status == SubscriptionStatus.CANCELED
    assert "cancelled" in read_only_reason(school)
    assert Invoice.objects.filter(account=account).count() == 2
    assert type(school).objects.filter(pk=school.pk).exists()
    assert (
        "Pay by card" in admin.get(f"/billing/schools/{school.pk}/").content.decode()
    )  # can subscribe again


def test_an_unknown_customer_is_flagged_by_the_worker(fake, committed, celery_worker):
    event = fake.event(
        "invoice.paid", {"id": "in_x", "object": "invoice", "customer": "cus_stranger"}
    )
    response = deliver(Client(HTTP_HOST=host_for(None)), fake, event)
    committed.cleanup(lambda: StripeEvent.objects.filter(event_id=event["id"]).delete())
    assert response.status_code == 200
    stored = wait_until(
        lambda: StripeEvent.objects.filter(event_id=event["id"]).exclude(outcome="pending").first(),
        message="processing",
    )
    assert stored.outcome == StripeEvent.Outcome.UNKNOWN_CUSTOMER and stored.needs_attention


def test_pay_by_invoice_then_overdue_then_paid(fake, committed, celery_worker, harness):
    school = committed.school(
        trust=harness["trust_a"],
        name="Delta Academy",
        urn="100032",
        subdomain="delta",
        phase="secondary",
        local_authority_name="Leeds",
        local_authority_code="383",
        number_on_roll=900,
    )
    webhook = Client(HTTP_HOST=host_for(None))
    finance = signed_in_client(harness["trust_finance_a"])
    wait_until(
        lambda: BillingAccount.objects.filter(school=school).exists(), message="trial account"
    )
    finance.post(
        f"/billing/schools/{school.pk}/contact/",
        {
            "contact_kind": "trust_finance",
            "contact_name": "Finance",
            "contact_email": "finance@alpha.example",
        },
    )
    BillingAccount.objects.filter(school=school).update(trial_ends_at=timezone.now())  # trial over
    assert finance.post(f"/billing/schools/{school.pk}/invoice-subscription/").status_code == 302
    account = _account(school)
    assert (
        account.collection_method == "send_invoice" and account.status == SubscriptionStatus.ACTIVE
    )
    for event in fake.take_events():
        deliver(webhook, fake, event)
    fake.invoice_overdue(account.stripe_subscription_id)
    events = fake.take_events()
    assert events[0]["type"] == "invoice.overdue"
    deliver(webhook, fake, events[0])
    wait_until(lambda: _account(school).status == SubscriptionStatus.PAST_DUE, message="overdue")
    assert Invoice.objects.get(account=account).due_date is not None
    fake.pay_open_invoices(account.stripe_subscription_id)
    paid = [e for e in fake.take_events() if e["type"] == "invoice.paid"]
    deliver(webhook, fake, paid[0])
    wait_until(lambda: _account(school).status == SubscriptionStatus.ACTIVE, message="paid")
    assert Invoice.objects.get(account=account).status == "paid"


def test_an_event_that_keeps_failing_is_flagged_and_explained(
    fake, committed, celery_worker, harness
):
    from apps.billing import services

    school = committed.school(
        trust=harness["trust_a"],
        name="Eta Primary",
        urn="100033",
        subdomain="eta",
        phase="primary",
        local_authority_name="Kirklees",
        local_authority_code="382",
        number_on_roll=90,
    )
    account = services.billing_account_for(school)
    services.billing_customer_ensure(account)
    account.refresh_from_db()
    # Stripe refuses to list this customer's subscriptions: a permanent error, not retried.
    fake.fail_next(
        "GET",
        "/v1/subscriptions",
        status=400,
        type_="invalid_request_error",
        message="Nope.",
        times=1,
    )
    event = fake.event(
        "invoice.paid", {"id": "in_y", "object": "invoice", "customer": account.stripe_customer_id}
    )
    webhook = Client(HTTP_HOST=host_for(None))
    assert deliver(webhook, fake, event).status_code == 200
    stored = wait_until(
        lambda: StripeEvent.objects.filter(event_id=event["id"], outcome="failed").first(),
        message="failure",
    )
    assert stored.needs_attention and stored.note.startswith("Stripe refused the change")
    assert _account(school).last_error.startswith("Stripe refused the change")

    # Stripe delivers it again later; this time it goes through and the problem is cleared.
    assert deliver(webhook, fake, event).json()["duplicate"] is True
    wait_until(
        lambda: StripeEvent.objects.filter(event_id=event["id"], outcome="processed").exists(),
        message="reprocessing",
    )
    assert _account(school).last_error == ""
