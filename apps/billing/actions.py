"""Audit actions of billing (apps.audit.actions.AuditAction), written to the trust's audit log.
Stripe's own events are kept as StripeEvent rows; these are what people did."""

from __future__ import annotations

from apps.audit.actions import AuditAction


class BillingAction(AuditAction):
    CONTACT_CHANGED = "billing_contact_changed", "Changed a school's billing contact"
    CHECKOUT_STARTED = "billing_checkout_started", "Started paying by card"
    INVOICE_SUBSCRIPTION_STARTED = "billing_invoice_started", "Started paying by invoice"
    PORTAL_OPENED = "billing_portal_opened", "Opened the billing portal"
    TRIAL_WARNING_SENT = "billing_trial_warning_sent", "Warned trust finance that a trial ends soon"
