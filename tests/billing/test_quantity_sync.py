"""The nightly task keeps each subscription's quantity at the school's number on roll, with an
idempotency key per school and billing period; Stripe trouble is retried with backoff and shown
to trust admins in plain English."""

from __future__ import annotations

import pytest

from apps.billing import services
from apps.billing.models import BillingAccount
from apps.billing.tasks import sync_all_subscription_quantities, sync_subscription_quantity
from tenants.models import School
from tests.billing.conftest import wait_until
from tests.support import signed_in_client

pytestmark = pytest.mark.celery


@pytest.fixture
def subscribed(fake, committed, harness):
    """A committed school with a card subscription in the fake (trial over, active)."""
    school = committed.school(
        trust=harness["trust_a"],
        name="Epsilon Primary",
        urn="100041",
        subdomain="epsilon",
        phase="primary",
        local_authority_name="Kirklees",
        local_authority_code="382",
        number_on_roll=150,
    )
    account = services.billing_account_for(school)
    url = services.checkout_session_start(
        acting_user=harness["trust_finance_a"],
        school=school,
        success_url="http://x/",
        cancel_url="http://x/",
    )
    subscription = fake.complete_checkout(url.rsplit("/", 1)[1])
    fake.end_trial(subscription["id"])
    services.billing_account_refresh(account_id=account.pk)
    fake.take_events()
    fake.requests.clear()
    return school, BillingAccount.objects.get(pk=account.pk)


def _updates(fake, subscription_id):
    return [
        r
        for r in fake.requests
        if r["method"] == "POST" and r["path"] == f"/v1/subscriptions/{subscription_id}"
    ]


def test_nightly_sync_sets_quantity_to_number_on_roll_once(subscribed, fake, celery_worker):
    school, account = subscribed
    School.objects.filter(pk=school.pk).update(number_on_roll=163)
    sync_all_subscription_quantities.delay().get(timeout=30)
    wait_until(
        lambda: BillingAccount.objects.get(pk=account.pk).quantity == 163, message="quantity 163"
    )
    (update,) = _updates(fake, account.stripe_subscription_id)
    assert update["params"]["items"][0]["quantity"] == "163"
    assert update["params"]["proration_behavior"] == "none"
    period_end = fake.subscriptions[account.stripe_subscription_id]["items"]["data"][0][
        "current_period_end"
    ]
    assert (
        update["idempotency_key"]
        == f"sencohub-roll-school-{school.pk}-period-{period_end}-roll-163"
    )

    # A second night with the same roll changes nothing.
    assert sync_subscription_quantity.delay(account.pk).get(timeout=30) == "unchanged"
    assert len(_updates(fake, account.stripe_subscription_id)) == 1


def test_a_retried_update_is_not_applied_twice(subscribed, fake):
    school, account = subscribed
    School.objects.filter(pk=school.pk).update(number_on_roll=170)
    services.subscription_quantity_sync(account_id=account.pk)
    # The same night again, as if the worker died after Stripe answered: same key, same change.
    fake.subscriptions[account.stripe_subscription_id]["items"]["data"][0]["quantity"] = 150
    services.subscription_quantity_sync(account_id=account.pk)
    first, second = _updates(fake, account.stripe_subscription_id)
    assert first["idempotency_key"] == second["idempotency_key"]
    assert (
        fake.subscriptions[account.stripe_subscription_id]["items"]["data"][0]["quantity"] == 150
    )  # replayed, not re-applied


def test_temporary_stripe_errors_are_retried_with_backoff(subscribed, fake, celery_worker):
    school, account = subscribed
    School.objects.filter(pk=school.pk).update(number_on_roll=181)
    fake.fail_next(
        "GET", f"/v1/subscriptions/{account.stripe_subscription_id}", status=503, times=2
    )
    assert sync_subscription_quantity.delay(account.pk).get(timeout=60) == "changed"
    retrieves = [
        r
        for r in fake.requests
        if r["method"] == "GET"
        and r["path"] == f"/v1/subscriptions/{account.stripe_subscription_id}"
    ]
    assert len(retrieves) == 3
    account.refresh_from_db()
    assert account.quantity == 181 and account.last_error == ""  # cleared on success


def test_a_permanent_error_is_shown_to_trust_admins_in_plain_english(
    subscribed, fake, celery_worker, harness
):
    school, account = subscribed
    School.objects.filter(pk=school.pk).update(number_on_roll=190)
    fake.fail_next(
        "POST",
        f"/v1/subscriptions/{account.stripe_subscription_id}",
        status=400,
        type_="invalid_request_error",
        message="This subscription cannot be changed right now.",
    )
    assert sync_subscription_quantity.delay(account.pk).get(timeout=30) == "failed"
    account.refresh_from_db()
    assert account.last_error.startswith("Stripe refused the change")
    admin = signed_in_client(harness["trust_trust_admin_a"])
    assert account.last_error in admin.get("/billing/").content.decode()
    detail = admin.get(f"/billing/schools/{school.pk}/").content.decode()
    assert "There is a problem with Stripe" in detail
    assert "http" not in account.last_error and "invalid_request_error" not in account.last_error
