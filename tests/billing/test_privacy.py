"""Only the school's name, URN, number on roll and billing contact ever go to Stripe."""

import pytest

from apps.billing import services
from apps.billing.models import BillingAccount
from infra.stripe_fake import flatten

pytestmark = pytest.mark.django_db

# Every parameter the product may send, with where its value may come from.
ALLOWED_FIELDS = {
    "name",
    "email",
    "metadata[school_id]",
    "metadata[urn]",
    "metadata[number_on_roll]",
    "metadata[billing_contact_name]",
    "customer",
    "mode",
    "client_reference_id",
    "success_url",
    "cancel_url",
    "return_url",
    "line_items[][price]",
    "line_items[][quantity]",
    "subscription_data[metadata][school_id]",
    "subscription_data[metadata][urn]",
    "subscription_data[trial_end]",
    "items[][price]",
    "items[][quantity]",
    "items[][id]",
    "collection_method",
    "days_until_due",
    "trial_end",
    "proration_behavior",
    "status",
    "limit",
}


def test_no_request_to_stripe_carries_anything_but_allowed_school_fields(
    fake, people, client_for, school_a
):
    account = services.billing_account_for(school_a)
    services.billing_contact_set(
        acting_user=people["trust_finance_a"],
        account=account,
        kind=BillingAccount.ContactKind.SCHOOL,
        name="Office",
        email="office@alpha.example",
    )
    client = client_for(people["trust_finance_a"])
    client.post(f"/billing/schools/{school_a.pk}/checkout/")
    client.post(f"/billing/schools/{school_a.pk}/portal/")
    session = next(iter(fake.checkout_sessions))
    fake.complete_checkout(session)
    services.billing_account_refresh(account_id=account.pk)
    type(school_a).objects.filter(pk=school_a.pk).update(number_on_roll=321)
    services.subscription_quantity_sync(account_id=account.pk)
    client.post(
        f"/billing/schools/{school_a.pk}/contact/",
        {
            "contact_kind": "school",
            "contact_name": "Bursar",
            "contact_email": "bursar@alpha.example",
        },
    )

    paths = {(r["method"], r["path"].split("/")[2]) for r in fake.requests}
    assert {
        ("POST", "customers"),
        ("POST", "checkout"),
        ("POST", "billing_portal"),
        ("GET", "subscriptions"),
        ("GET", "invoices"),
        ("POST", "subscriptions"),
    } <= paths  # every kind of call was exercised
    school_values = {
        school_a.name,
        school_a.urn,
        str(school_a.pk),
        "200",
        "321",
        "Office",
        "Bursar",
        "office@alpha.example",
        "bursar@alpha.example",
    }
    for request in fake.requests:
        fields = flatten(request["params"])
        assert set(fields) <= ALLOWED_FIELDS, (
            f"{request['path']} sent {set(fields) - ALLOWED_FIELDS}"
        )
        for key in (
            "name",
            "email",
            "metadata[urn]",
            "metadata[number_on_roll]",
            "metadata[billing_contact_name]",
        ):
            if key in fields and fields[key]:
                assert fields[key] in school_values, f"{key}={fields[key]!r} is not a school field"
