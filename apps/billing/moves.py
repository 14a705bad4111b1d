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
    return notes
