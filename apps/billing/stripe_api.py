"""The Stripe client, configured from settings, and plain-English descriptions of its errors.

Only these fields about a school ever go to Stripe: its name, URN, number on roll and billing
contact (see `customer_fields`). Never pupil data.
"""

from __future__ import annotations

import functools

import stripe
from django.conf import settings


def billing_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_PRICE_ID)


def stripe_client(*, max_network_retries: int = 0) -> stripe.StripeClient:
    """The client for the current settings (kept, so its HTTP connections are reused).
    Retries are Celery's job (with backoff), so the client itself does not retry by default."""
    return _client(settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE, max_network_retries)


@functools.lru_cache(maxsize=8)
def _client(api_key: str, api_base: str, max_network_retries: int) -> stripe.StripeClient:
    return stripe.StripeClient(
        api_key,
        base_addresses={"api": api_base} if api_base else None,  # type: ignore[arg-type]
        max_network_retries=max_network_retries,
    )


def plain_english(error: Exception) -> str:
    """What went wrong, for a trust admin who has never heard of an API."""
    if isinstance(error, stripe.AuthenticationError | stripe.PermissionError):
        return "Stripe did not accept SENCo Hub's account key. The platform operator needs to check the Stripe settings."
    if isinstance(error, stripe.APIConnectionError):
        return "SENCo Hub could not reach Stripe, our payment provider. It will try again automatically."
    if isinstance(error, stripe.RateLimitError):
        return "Stripe asked SENCo Hub to slow down. It will try again automatically."
    if isinstance(error, stripe.CardError):
        return f"The card was declined: {error.user_message or 'ask the card holder to check it'}."
    if isinstance(error, stripe.IdempotencyError):
        return "Stripe saw two different changes for the same billing period. The platform operator has been told."
    if isinstance(error, stripe.InvalidRequestError):
        detail = error.user_message or "the request did not make sense to Stripe"
        return f"Stripe refused the change ({detail}). The platform operator has been told."
    if isinstance(error, stripe.StripeError):
        return "Stripe, our payment provider, had a problem on its side. SENCo Hub will try again automatically."
    return "Something went wrong while talking to Stripe. SENCo Hub will try again automatically."


def is_temporary(error: Exception) -> bool:
    """Worth retrying: network trouble, rate limits and Stripe's own 5xx errors."""
    if isinstance(error, stripe.APIConnectionError | stripe.RateLimitError):
        return True
    if isinstance(error, stripe.APIError):
        return True
    if isinstance(error, stripe.StripeError):
        return (error.http_status or 0) >= 500
    return False
