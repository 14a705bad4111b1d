"""Billing when a school leaves its trust (tenants.moving): the account, subscription and invoices
are the school's and follow it; an invoice contact that was the old trust's finance team does
not, so invoices go to the school until the new trust sets its own contact."""

from __future__ import annotations

from tenants.models import School, Trust, User

from .models import BillingAccount


def school_leaving_trust(
    sender,
    *,
    school: School,
    from_trust: Trust,
    to_trust: Trust | None,
    acting_user: User | None,
    **kwargs,
) -> list[str]:
    account = BillingAccount.objects.filter(school=school).first()
    if account is None:
        return []
    notes = ["The school's billing account and subscription stay with it."]
    if account.contact_kind == BillingAccount.ContactKind.TRUST_FINANCE:
        account.contact_kind = BillingAccount.ContactKind.SCHOOL
        account.contact_name = ""
        account.contact_email = ""
        account.save(update_fields=["contact_kind", "contact_name", "contact_email", "updated_at"])
        notes.append(
            f"Invoices no longer go to {from_trust.name}'s finance team: set a billing contact."
        )
        if account.stripe_customer_id:
            from django.db import transaction

            transaction.on_commit(lambda: _clear_stripe_contact(account.pk))
    return notes


def _clear_stripe_contact(account_id: int) -> None:
    """Stripe emails invoices to the customer's address: take the old trust's off it (an empty
    value unsets a Stripe field). A failure is shown to trust admins, not fatal."""
    import stripe

    from .services import _record_error, customer_fields
    from .stripe_api import billing_configured, stripe_client

    account = BillingAccount.objects.select_related("school").get(pk=account_id)
    customer_id = account.stripe_customer_id
    if not customer_id or not billing_configured():
        return
    try:
        stripe_client().v1.customers.update(
            customer_id, params={**customer_fields(account), "email": ""}
        )
    except stripe.StripeError as error:
        _record_error(account, error)
