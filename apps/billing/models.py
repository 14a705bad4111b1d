"""Billing rows, all in the public schema. Nothing here holds pupil data: a school's billing
account knows its name, URN and number on roll (on tenants.School), a billing contact, and the
Stripe ids and state we mirror from Stripe."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from tenants.models import School


class SubscriptionStatus(models.TextChoices):
    # Stripe's own subscription statuses, plus "trial" for the free trial we give on provisioning
    # before the school has a Stripe subscription at all.
    TRIAL = "trial", "Free trial"
    TRIALING = "trialing", "Subscribed, in free trial"
    ACTIVE = "active", "Active"
    INCOMPLETE = "incomplete", "Awaiting first payment"
    INCOMPLETE_EXPIRED = "incomplete_expired", "First payment failed"
    PAST_DUE = "past_due", "Payment overdue"
    UNPAID = "unpaid", "Unpaid"
    CANCELED = "canceled", "Cancelled"
    PAUSED = "paused", "Paused"


class BillingAccount(models.Model):
    """One school's billing: its plan, status, trial and the Stripe customer and subscription."""

    class ContactKind(models.TextChoices):
        SCHOOL = "school", "The school"
        TRUST_FINANCE = "trust_finance", "The trust's central finance team"

    class CollectionMethod(models.TextChoices):
        CARD = "charge_automatically", "Card"
        INVOICE = "send_invoice", "Invoice (bank transfer)"

    # CASCADE only so that test and operator clean-ups can drop a school; billing never deletes.
    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="billing_account")
    status = models.CharField(
        max_length=24, choices=SubscriptionStatus.choices, default=SubscriptionStatus.TRIAL
    )
    trial_ends_at = models.DateTimeField(null=True, blank=True)
    contact_kind = models.CharField(
        max_length=16, choices=ContactKind.choices, default=ContactKind.SCHOOL
    )
    contact_name = models.CharField(max_length=150, blank=True)
    contact_email = models.EmailField(blank=True)

    stripe_customer_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    stripe_subscription_id = models.CharField(max_length=64, blank=True)
    collection_method = models.CharField(
        max_length=24, choices=CollectionMethod.choices, blank=True
    )
    quantity = models.PositiveIntegerField(null=True, blank=True)
    current_period_end = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    # When the subscription first went past due this time (cleared on recovery): the grace
    # period runs from here.
    past_due_since = models.DateTimeField(null=True, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)

    # The last thing that went wrong talking to Stripe, in plain English, for trust admins.
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    # The trial end the trust's finance team was last emailed about (14 days before it): once per
    # trial, and again if the trial is moved.
    trial_warning_sent_for = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["school__name"]

    def __str__(self) -> str:
        return f"Billing for {self.school}"


class Invoice(models.Model):
    """A Stripe invoice mirrored for the billing pages (amounts in pence)."""

    account = models.ForeignKey(BillingAccount, on_delete=models.CASCADE, related_name="invoices")
    stripe_invoice_id = models.CharField(max_length=64, unique=True)
    number = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=24)
    currency = models.CharField(max_length=3, default="gbp")
    amount_due = models.BigIntegerField(default=0)
    amount_paid = models.BigIntegerField(default=0)
    created = models.DateTimeField()
    due_date = models.DateTimeField(null=True, blank=True)
    hosted_invoice_url = models.URLField(max_length=500, blank=True)
    invoice_pdf = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.number or self.stripe_invoice_id


class StripeEvent(models.Model):
    """Each webhook event, stored once by its Stripe id before it is processed."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "Waiting to be processed"
        PROCESSED = "processed", "Processed"
        IGNORED = "ignored", "Recorded (not an event we act on)"
        UNKNOWN_CUSTOMER = "unknown_customer", "Unknown customer"
        FAILED = "failed", "Failed"

    event_id = models.CharField(max_length=64, unique=True)
    type = models.CharField(max_length=64)
    created = models.DateTimeField()
    livemode = models.BooleanField(default=False)
    payload = models.JSONField()
    received_at = models.DateTimeField(default=timezone.now)
    deliveries = models.PositiveIntegerField(default=1)
    processed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=24, choices=Outcome.choices, default=Outcome.PENDING)
    account = models.ForeignKey(
        BillingAccount, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    # Flagged for the platform operator (Django admin): an event we could not match or process.
    needs_attention = models.BooleanField(default=False)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"
