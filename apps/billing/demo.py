"""Demo billing: every demo school on a free trial, at different points, with billing contacts.
Local records only, so the billing pages show statuses with or without Stripe keys."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from .models import BillingAccount, SubscriptionStatus
from .services import billing_account_for

# Days of trial left per demo school; one school keeps its own office as the billing contact.
_TRIAL_DAYS_LEFT = {"oakfield": 58, "birchwood": 41, "cedar": 23, "riverside": 6}


def seed_billing(trust, demo_schools, rng) -> None:
    for demo in demo_schools:
        school = demo.school
        account = billing_account_for(school)
        account.status = SubscriptionStatus.TRIAL
        account.trial_ends_at = timezone.now() + timedelta(
            days=_TRIAL_DAYS_LEFT.get(school.slug, 60)
        )
        if school.slug == "riverside":
            account.contact_kind = BillingAccount.ContactKind.SCHOOL
            account.contact_name = "Riverside school office"
            account.contact_email = "office@riverside.northbrook.example"
        else:
            account.contact_kind = BillingAccount.ContactKind.TRUST_FINANCE
            account.contact_name = "Northbrook central finance"
            account.contact_email = "finance@northbrook.example"
        account.save()
