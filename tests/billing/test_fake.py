"""The fake Stripe behaves like Stripe where the product relies on it."""

import stripe

from infra.stripe_fake import sign


def test_its_signatures_verify_with_the_real_library(stripe_server):
    event = stripe_server.event(
        "invoice.paid", {"id": "in_1", "object": "invoice", "customer": "cus_1"}
    )
    payload, header = stripe_server.webhook_request(event)
    assert header.startswith("t=") and ",v1=" in header
    assert (
        stripe.Webhook.construct_event(payload, header, stripe_server.webhook_secret).id
        == event["id"]
    )


def test_signatures_are_hmac_sha256_of_timestamp_dot_payload():
    import hashlib
    import hmac

    header = sign(b"{}", "whsec_x", timestamp=1700000000)
    expected = hmac.new(b"whsec_x", b"1700000000.{}", hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"


def test_idempotency_keys_replay_and_refuse_different_parameters(stripe_server):
    stripe_server.reset()
    client = stripe.StripeClient(
        "sk_test_x", base_addresses={"api": stripe_server.url}, max_network_retries=0
    )
    first = client.v1.customers.create(params={"name": "A"}, options={"idempotency_key": "k"})
    again = client.v1.customers.create(params={"name": "A"}, options={"idempotency_key": "k"})
    assert first.id == again.id and len(stripe_server.customers) == 1
    try:
        client.v1.customers.create(params={"name": "B"}, options={"idempotency_key": "k"})
    except stripe.IdempotencyError:
        pass
    else:
        raise AssertionError("a reused key with different parameters must be refused")
