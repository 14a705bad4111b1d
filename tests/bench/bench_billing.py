"""Stripe webhooks against the local fake: receiving (signature check on the raw body, store once,
queue) and processing (re-read the subscription and invoices from Stripe over HTTP), per event;
and the cost of the billing read-only check every school request pays."""

from __future__ import annotations

import logging
import time

EVENTS = 400


def run(report) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from apps.billing import services
    from apps.billing.models import StripeEvent
    from apps.billing.selectors import billing_read_only_reason
    from infra.stripe_fake import FakeStripe
    from sencohub.celery import app
    from tenants.models import Trust, User
    from tenants.services import school_provision
    from tests.support import host_for

    logging.getLogger("stripe").setLevel(logging.WARNING)
    fake = FakeStripe().start()
    settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE = "sk_test_bench", fake.url
    settings.STRIPE_PRICE_ID, settings.STRIPE_WEBHOOK_SECRET = fake.price_id, fake.webhook_secret
    queue = "bench-billing"
    previous_queue, app.conf.task_default_queue = app.conf.task_default_queue, queue
    try:
        trust = Trust.objects.create(name="Bench Billing Trust")
        school = school_provision(
            acting_user=None,
            trust=trust,
            name="Bench Billing Primary",
            urn="199911",
            subdomain="benchbilling",
            phase="primary",
            local_authority_name="Kirklees",
            local_authority_code="382",
            number_on_roll=420,
        )
        account = services.billing_account_for(school)
        payer = User.objects.create_user(
            email="bench.billing@example.test",
            password="bench-password-1",
            full_name="Bench Finance",
        )
        url = services.checkout_session_start(
            acting_user=payer, school=school, success_url="http://x/", cancel_url="http://x/"
        )
        subscription = fake.complete_checkout(url.rsplit("/", 1)[1])
        fake.take_events()
        events = [fake.event("customer.subscription.updated", subscription) for _ in range(EVENTS)]
        signed = [fake.webhook_request(e) for e in events]

        client = Client(HTTP_HOST=host_for(None))
        started = time.perf_counter()
        for payload, header in signed:
            response = client.post(
                "/billing/stripe/webhook/",
                data=payload,
                content_type="application/json",
                HTTP_STRIPE_SIGNATURE=header,
            )
            assert response.status_code == 200
        received = time.perf_counter() - started
        report(f"webhook receive (verify, store, queue) x {EVENTS}", EVENTS / received, "events/s")
        report("webhook receive, per event", received / EVENTS * 1000, "ms")

        started = time.perf_counter()
        for payload, header in signed[:100]:
            client.post(
                "/billing/stripe/webhook/",
                data=payload,
                content_type="application/json",
                HTTP_STRIPE_SIGNATURE=header,
            )
        report(
            "replayed webhook (already stored), per event",
            (time.perf_counter() - started) / 100 * 1000,
            "ms",
        )

        pks = list(
            StripeEvent.objects.filter(event_id__in=[e["id"] for e in events]).values_list(
                "pk", flat=True
            )
        )
        started = time.perf_counter()
        for pk in pks:
            services.stripe_event_process(event_pk=pk)
        processed = time.perf_counter() - started
        report(
            f"event processing (re-read Stripe over HTTP) x {len(pks)}",
            len(pks) / processed,
            "events/s",
        )
        account.refresh_from_db()
        assert account.status == "trialing"

        extra = fake.event("customer.subscription.updated", subscription)
        payload, header = fake.webhook_request(extra)
        with CaptureQueriesContext(connection) as receive_queries:
            client.post(
                "/billing/stripe/webhook/",
                data=payload,
                content_type="application/json",
                HTTP_STRIPE_SIGNATURE=header,
            )
        with CaptureQueriesContext(connection) as process_queries:
            services.stripe_event_process(event_pk=StripeEvent.objects.get(event_id=extra["id"]).pk)
        report(
            "database queries: receive one webhook / process one event",
            f"{len(receive_queries)}/{len(process_queries)}",
        )

        started = time.perf_counter()
        for _ in range(1000):
            billing_read_only_reason(school)
        report(
            "billing read-only check (every school request)",
            (time.perf_counter() - started),
            "ms/call",
        )
    finally:
        app.conf.task_default_queue = previous_queue
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(queue)
        fake.stop()
