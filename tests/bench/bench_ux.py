"""Issue #15's additions on hot paths: Stripe's upcoming invoice preview that a school's billing
page now asks for on every view (over HTTP to the local fake), the daily trial-warning fan-out's
selection over many schools, and the school page shell's navigation split (More)."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

PREVIEWS = 200
ACCOUNTS = 1000


def run(report) -> None:
    from django.conf import settings
    from django.utils import timezone

    from apps.billing import services
    from apps.billing.models import BillingAccount
    from apps.billing.selectors import next_invoice_preview
    from apps.billing.tasks import warn_trials_ending
    from infra.stripe_fake import FakeStripe
    from tenants.models import School, Trust, TrustMembership, User
    from tenants.services import school_provision

    logging.getLogger("stripe").setLevel(logging.WARNING)
    fake = FakeStripe().start()
    settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE = "sk_test_bench", fake.url
    settings.STRIPE_PRICE_ID, settings.STRIPE_WEBHOOK_SECRET = fake.price_id, fake.webhook_secret
    try:
        trust = Trust.objects.create(name="Bench UX Trust")
        school = school_provision(
            acting_user=None,
            trust=trust,
            name="Bench UX Primary",
            urn="199921",
            subdomain="benchux",
            phase="primary",
            local_authority_name="Kirklees",
            local_authority_code="382",
            number_on_roll=420,
        )
        account = services.billing_account_for(school)
        payer = User.objects.create_user(
            email="bench.ux@example.test", password="bench-password-1", full_name="Bench UX"
        )
        TrustMembership.objects.create(user=payer, trust=trust, role="finance")
        url = services.checkout_session_start(
            acting_user=payer, school=school, success_url="http://x/", cancel_url="http://x/"
        )
        subscription = fake.complete_checkout(url.rsplit("/", 1)[1])
        BillingAccount.objects.filter(pk=account.pk).update(
            stripe_subscription_id=subscription["id"], status="trialing"
        )
        account.refresh_from_db()
        started = time.perf_counter()
        for _ in range(PREVIEWS):
            preview = next_invoice_preview(account)
            assert preview is not None and not preview.problem
        elapsed = time.perf_counter() - started
        report(
            f"next invoice preview (Stripe create_preview) x {PREVIEWS}",
            elapsed / PREVIEWS * 1000,
            "ms each",
        )

        # The daily selection over many accounts (rows only: no schemas are needed for it).
        ending = timezone.now() + timedelta(days=10)
        schools = School.objects.bulk_create(
            [
                School(
                    schema_name=f"benchux_{i}",
                    name=f"Bench UX {i}",
                    urn=f"3{i:05d}",
                    phase="primary",
                    local_authority_name="Kirklees",
                    local_authority_code="382",
                    trust=trust,
                )
                for i in range(ACCOUNTS)
            ]
        )
        BillingAccount.objects.bulk_create(
            [
                BillingAccount(
                    school=s,
                    trial_ends_at=ending if i % 4 == 0 else ending + timedelta(days=40),
                )
                for i, s in enumerate(schools)
            ]
        )
        from unittest import mock

        # Only the selection is measured: the per-school tasks are not queued.
        with mock.patch("apps.billing.tasks.send_trial_ending_warning.delay"):
            started = time.perf_counter()
            due = warn_trials_ending.run()
            elapsed = time.perf_counter() - started
        report(f"trial warnings: select due accounts among {ACCOUNTS + 1}", elapsed * 1000, "ms")
        report("trial warnings: accounts due (1 in 4 ends within 14 days)", due, "")
    finally:
        fake.stop()
