"""Billing follows a school that moves trust; the old trust's finance team stops receiving its
invoices, at Stripe too (the fake Stripe of infra/stripe_fake.py)."""

from __future__ import annotations

from apps.billing.models import BillingAccount
from tenants.moving import school_move_trust


def test_the_old_trusts_invoice_contact_is_taken_off_stripe_too(
    fake, school_a, trust_b, django_capture_on_commit_callbacks
):
    customer = fake._customer_create(
        {"name": school_a.name, "email": "finance@alpha.example", "metadata": {}}
    )
    account = BillingAccount.objects.filter(school=school_a).first() or BillingAccount(
        school=school_a
    )
    account.contact_kind = BillingAccount.ContactKind.TRUST_FINANCE
    account.contact_name, account.contact_email = "Alpha Finance", "finance@alpha.example"
    account.stripe_customer_id = customer["id"]
    account.save()

    with django_capture_on_commit_callbacks(execute=True):
        school_move_trust(acting_user=None, school=school_a, to_trust=trust_b)

    account.refresh_from_db()
    assert account.school.trust_id == trust_b.pk
    assert account.stripe_customer_id == customer["id"]  # the subscription stays the school's
    assert account.contact_kind == BillingAccount.ContactKind.SCHOOL
    assert fake.customers[customer["id"]]["email"] in ("", None)
    assert fake.customers[customer["id"]]["name"] == school_a.name
