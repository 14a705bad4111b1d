"""The webhook's bad input: signatures, JSON, unknown types, replays, unknown customers."""

import json
import time

import pytest

from apps.billing import services
from apps.billing.models import StripeEvent
from tests.billing.conftest import WEBHOOK, deliver

pytestmark = pytest.mark.django_db


def _event(fake, type_="customer.subscription.updated", customer="cus_nobody"):
    return fake.event(
        type_, {"id": "sub_x", "object": "subscription", "customer": customer, "status": "active"}
    )


def test_it_rejects_a_webhook_without_a_signature(fake, webhook_client):
    payload, _ = fake.webhook_request(_event(fake))
    response = webhook_client.post(WEBHOOK, data=payload, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "Missing Stripe-Signature header."
    assert not StripeEvent.objects.exists()


def test_it_rejects_a_webhook_signed_with_another_secret(fake, webhook_client):
    response = deliver(webhook_client, fake, _event(fake), secret="whsec_someone_else")
    assert response.status_code == 400
    assert "Invalid signature" in response.json()["detail"]
    assert not StripeEvent.objects.exists()


def test_it_rejects_a_stale_signature(fake, webhook_client):
    response = deliver(webhook_client, fake, _event(fake), timestamp=int(time.time()) - 3600)
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_it_rejects_a_body_changed_after_signing(fake, webhook_client):
    payload, header = fake.webhook_request(_event(fake))
    tampered = payload.replace(b'"active"', b'"canceled"')
    response = webhook_client.post(
        WEBHOOK, data=tampered, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_it_rejects_malformed_json_even_when_signed(fake, webhook_client):
    from infra.stripe_fake import sign

    payload = b'{"id": "evt_1", "type": '
    response = webhook_client.post(
        WEBHOOK,
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload, fake.webhook_secret),
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "The body is not valid JSON."
    assert not StripeEvent.objects.exists()


def test_it_rejects_signed_json_that_is_not_an_event(fake, webhook_client):
    from infra.stripe_fake import sign

    payload = json.dumps({"hello": "world"}).encode()
    response = webhook_client.post(
        WEBHOOK,
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload, fake.webhook_secret),
    )
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_it_refuses_webhooks_when_billing_is_not_configured(fake, webhook_client, settings):
    settings.STRIPE_WEBHOOK_SECRET = ""
    response = deliver(webhook_client, fake, _event(fake))
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_it_only_answers_on_the_platform_host(fake, school_a):
    from django.test import Client

    from tests.support import host_for

    payload, header = fake.webhook_request(_event(fake))
    response = Client(HTTP_HOST=host_for(school_a)).post(
        WEBHOOK, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )
    assert response.status_code == 404
    assert not StripeEvent.objects.exists()


def test_it_records_an_unknown_event_type_and_ignores_it(fake, webhook_client):
    event = fake.event(
        "customer.discount.created", {"id": "di_1", "object": "discount", "customer": "cus_x"}
    )
    response = deliver(webhook_client, fake, event)
    assert response.status_code == 200
    stored = StripeEvent.objects.get(event_id=event["id"])
    assert stored.type == "customer.discount.created"
    assert services.stripe_event_process(event_pk=stored.pk) == StripeEvent.Outcome.IGNORED
    stored.refresh_from_db()
    assert stored.outcome == StripeEvent.Outcome.IGNORED and not stored.needs_attention


def test_a_replayed_event_is_stored_once(fake, webhook_client):
    event = _event(fake)
    first = deliver(webhook_client, fake, event)
    second = deliver(webhook_client, fake, event)
    assert first.status_code == second.status_code == 200
    assert first.json()["duplicate"] is False and second.json()["duplicate"] is True
    stored = StripeEvent.objects.get()
    assert stored.deliveries == 2


def test_a_replayed_event_already_processed_is_not_processed_again(
    fake, webhook_client, django_capture_on_commit_callbacks
):
    event = _event(fake)
    with django_capture_on_commit_callbacks() as first:
        deliver(webhook_client, fake, event)
    stored = StripeEvent.objects.get()
    services.stripe_event_process(event_pk=stored.pk)
    with django_capture_on_commit_callbacks() as replay:
        deliver(webhook_client, fake, event)
    assert len(first) == 1  # processing queued after commit
    assert len(replay) == 0  # nothing queued for a replay of a finished event


def test_an_event_for_an_unknown_customer_is_flagged_for_the_operator(fake, webhook_client):
    event = _event(fake, customer="cus_not_ours")
    deliver(webhook_client, fake, event)
    stored = StripeEvent.objects.get()
    assert services.stripe_event_process(event_pk=stored.pk) == StripeEvent.Outcome.UNKNOWN_CUSTOMER
    stored.refresh_from_db()
    assert stored.needs_attention
    assert "cus_not_ours" in stored.note
    assert fake.requests == []  # nothing asked of Stripe about a customer that is not ours


def test_flagged_events_are_listed_for_the_operator_in_admin(
    fake, webhook_client, client_for, django_user_model
):
    deliver(webhook_client, fake, _event(fake, customer="cus_not_ours"))
    services.stripe_event_process(event_pk=StripeEvent.objects.get().pk)
    operator = django_user_model.objects.create_superuser(
        email="operator@example.test", password="x" * 12, full_name="Op"
    )
    response = client_for(operator).get("/admin/billing/stripeevent/?needs_attention__exact=1")
    assert response.status_code == 200
    assert StripeEvent.objects.get().event_id in response.content.decode()
