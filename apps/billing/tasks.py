"""Billing tasks. They take ids only, re-read everything from the database and Stripe, and are
safe to run twice. Temporary Stripe trouble is retried with exponential backoff; every failure is
recorded in plain English for the trust's billing page (and the operator's admin)."""

from __future__ import annotations

import stripe
from django.conf import settings

from apps.core.tasks import PublicTask
from sencohub.celery import app

from .models import BillingAccount, StripeEvent
from .services import (
    ENDED_STATUSES,
    billing_error_record,
    stripe_event_account_id,
    stripe_event_failed,
    stripe_event_process,
    subscription_quantity_sync,
    trial_ending_warning_send,
)
from .stripe_api import is_temporary

MAX_TRIES = 6


def _backoff(retries: int) -> int:
    return settings.BILLING_RETRY_BACKOFF_SECONDS * (2**retries)


@app.task(base=PublicTask, bind=True, max_retries=MAX_TRIES)
def process_stripe_event(self, event_pk: int) -> str:

    try:
        return stripe_event_process(event_pk=event_pk)
    except stripe.StripeError as error:
        account_id = (
            StripeEvent.objects.filter(pk=event_pk).values_list("account_id", flat=True).first()
        )
        if account_id is None:
            account_id = stripe_event_account_id(event_pk=event_pk)
        if account_id:
            billing_error_record(account_id=account_id, error=error)
        if is_temporary(error) and self.request.retries < self.max_retries:
            raise self.retry(exc=error, countdown=_backoff(self.request.retries)) from error
        stripe_event_failed(event_pk=event_pk, error=error)
        return "failed"


@app.task(base=PublicTask)
def sync_all_subscription_quantities() -> int:
    """Nightly: one task per school with a subscription."""

    ids = list(
        BillingAccount.objects.exclude(stripe_subscription_id="")
        .exclude(status__in=list(ENDED_STATUSES))
        .values_list("pk", flat=True)
    )
    for account_id in ids:
        sync_subscription_quantity.delay(account_id)
    return len(ids)


@app.task(base=PublicTask, bind=True, max_retries=MAX_TRIES)
def sync_subscription_quantity(self, account_id: int) -> str:

    try:
        return "changed" if subscription_quantity_sync(account_id=account_id) else "unchanged"
    except stripe.StripeError as error:
        billing_error_record(account_id=account_id, error=error)
        if is_temporary(error) and self.request.retries < self.max_retries:
            raise self.retry(exc=error, countdown=_backoff(self.request.retries)) from error
        return "failed"


@app.task(base=PublicTask)
def warn_trials_ending() -> int:
    """Daily: one task per school whose free trial ends within 14 days and whose trust finance
    team has not been told about this trial end yet. Ids only."""
    from datetime import timedelta

    from django.db.models import F, Q
    from django.utils import timezone

    from .models import SubscriptionStatus
    from .rules import TRIAL_WARNING_DAYS

    now = timezone.now()
    ids = list(
        BillingAccount.objects.filter(
            status__in=[SubscriptionStatus.TRIAL, SubscriptionStatus.TRIALING],
            trial_ends_at__gt=now,
            trial_ends_at__lte=now + timedelta(days=TRIAL_WARNING_DAYS),
        )
        .filter(
            Q(trial_warning_sent_for__isnull=True) | ~Q(trial_warning_sent_for=F("trial_ends_at"))
        )
        .values_list("pk", flat=True)
    )
    for account_id in ids:
        send_trial_ending_warning.delay(account_id)
    return len(ids)


@app.task(base=PublicTask)
def send_trial_ending_warning(account_id: int) -> str:
    return trial_ending_warning_send(account_id=account_id)
