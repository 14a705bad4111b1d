"""Billing fixtures: a fake Stripe (infra/stripe_fake.py) that the real `stripe` library talks to,
in this process and in the Celery worker, and helpers to deliver signed webhooks."""

from __future__ import annotations

import time

import pytest

from infra.stripe_fake import DEFAULT_PRICE, DEFAULT_SECRET, FakeStripe
from tests.support import STRIPE_FAKE_PORT as FAKE_PORT
from tests.support import STRIPE_TEST_ENV as STRIPE_ENV

# The Celery worker and the web server are other processes, started once per session by
# whichever test needs them first: tests.support.child_env gives them the fake's address.

WEBHOOK = "/billing/stripe/webhook/"


@pytest.fixture(scope="session")
def stripe_server():
    fake = FakeStripe(webhook_secret=DEFAULT_SECRET, price_id=DEFAULT_PRICE).start(port=FAKE_PORT)
    yield fake
    fake.stop()


@pytest.fixture
def fake(stripe_server, settings):
    """The fake Stripe, emptied, with this process's settings pointing at it."""
    settings.STRIPE_SECRET_KEY = STRIPE_ENV["STRIPE_SECRET_KEY"]
    settings.STRIPE_API_BASE = STRIPE_ENV["STRIPE_API_BASE"]
    settings.STRIPE_PRICE_ID = STRIPE_ENV["STRIPE_PRICE_ID"]
    settings.STRIPE_WEBHOOK_SECRET = STRIPE_ENV["STRIPE_WEBHOOK_SECRET"]
    settings.BILLING_RETRY_BACKOFF_SECONDS = 1
    stripe_server.reset()
    return stripe_server


def deliver(client, fake: FakeStripe, event: dict, **kwargs):
    """POST one event to the webhook, signed like Stripe signs it."""
    payload, header = fake.webhook_request(event, **kwargs)
    return client.post(
        WEBHOOK, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )


def wait_until(check, timeout: float = 30, message: str = "condition"):
    """Poll (the worker commits in another process) until check() is truthy; return its value."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {message}")


@pytest.fixture
def webhook_client():
    from django.test import Client

    from tests.support import host_for

    return Client(HTTP_HOST=host_for(None))
