"""Every billing write: trials, billing contacts, Checkout, invoices, the portal, webhook events,
and mirroring Stripe's view of a subscription into our rows.

Stripe is the truth about a subscription. We never trust the order or the content of webhook
events: an event only tells us *which* customer to look at again, and we re-read that customer's
subscriptions and invoices from Stripe. Duplicated, delayed and reordered events are harmless.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import stripe
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from apps.core.tasks import queue_after_commit
from apps.trust.services import trust_audit
from tenants.models import School, User

from .access import RIGHTS
from .actions import BillingAction
from .models import BillingAccount, Invoice, StripeEvent, SubscriptionStatus
from .stripe_api import billing_configured, stripe_client

logger = logging.getLogger(__name__)

# Events we act on; every other type is recorded and ignored.
HANDLED_EVENT_TYPES = frozenset(
    {
        "checkout.session.completed",
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
        "invoice.paid",
        "invoice.payment_failed",
        "invoice.overdue",
    }
)
# A subscription in one of these is over; any other is the school's current one.
ENDED_STATUSES = {"canceled", "incomplete_expired"}
_GOOD_STANDING = {SubscriptionStatus.ACTIVE, SubscriptionStatus.TRIALING}
_OVERDUE = {SubscriptionStatus.PAST_DUE, SubscriptionStatus.INCOMPLETE}


class BillingNotConfigured(Exception):
    pass


class WebhookRejected(Exception):
    """A webhook we refuse: bad or missing signature, or not a Stripe event. Nothing is stored."""


def _ts(value: int | None) -> datetime | None:
    return datetime.fromtimestamp(value, tz=UTC) if value else None


# --- Trial and contact ---------------------------------------------------------------------


def billing_trial_start(*, school: School) -> BillingAccount:
    """Give a newly provisioned school its free trial (idempotent: an existing account is kept)."""
    account, _ = BillingAccount.objects.get_or_create(
        school=school,
        defaults={
            "status": SubscriptionStatus.TRIAL,
            "trial_ends_at": timezone.now() + timedelta(days=settings.BILLING_TRIAL_DAYS),
        },
    )
    return account


def billing_account_for(school: School) -> BillingAccount:
    """The school's account; schools that predate billing start their trial the first time."""
    # Always from the database: a School instance may hold a stale cached relation.
    account = BillingAccount.objects.select_related("school").filter(school_id=school.pk).first()
    return account or billing_trial_start(school=school)


def _audit(
    *, acting_user: User | None, school: School, action: BillingAction, summary: str
) -> None:
    # Billing's people-actions go to the trust's audit log (public schema, like billing itself).
    trust_audit(
        trust=school.trust, actor=acting_user, action=action, school=school, summary=summary
    )


def billing_contact_set(
    *, acting_user: User, account: BillingAccount, kind: str, name: str, email: str
) -> BillingAccount:
    RIGHTS.require(acting_user, account.school.trust_id, "manage_billing")
    if kind not in BillingAccount.ContactKind.values:
        raise ValidationError({"contact_kind": "Choose who receives the invoices."})
    if not email.strip():
        raise ValidationError({"contact_email": "Enter the billing contact's email address."})
    account.contact_kind = kind
    account.contact_name = name.strip()
    account.contact_email = email.strip().lower()
    account.save(update_fields=["contact_kind", "contact_name", "contact_email", "updated_at"])
    _audit(
        acting_user=acting_user,
        school=account.school,
        action=BillingAction.CONTACT_CHANGED,
        summary=f"Changed {account.school.name}'s billing contact",
    )
    if account.stripe_customer_id and billing_configured():
        # Keep Stripe's copy of the contact in step; a failure here is shown, not fatal.
        try:
            stripe_client().v1.customers.update(
                account.stripe_customer_id, params=customer_fields(account)
            )
        except stripe.StripeError as error:
            _record_error(account, error)
    return account


# --- What goes to Stripe -------------------------------------------------------------------


def customer_fields(account: BillingAccount) -> dict:
    """Everything SENCo Hub ever tells Stripe about a school. Keep it to these fields: the
    school's name and URN, its number on roll, and its billing contact. Never pupil data."""
    school = account.school
    fields: dict = {
        "name": school.name,
        "metadata": {
            "school_id": str(school.pk),
            "urn": school.urn,
            "number_on_roll": str(school.number_on_roll),
            "billing_contact_name": account.contact_name,
        },
    }
    if account.contact_email:
        fields["email"] = account.contact_email
    return fields


def _subscription_metadata(account: BillingAccount) -> dict:
    return {"school_id": str(account.school_id), "urn": account.school.urn}


def _quantity(school: School) -> int:
    # Stripe needs at least one unit; a school with no roll yet pays the minimum tier.
    return max(school.number_on_roll, 1)


def _require_configured() -> None:
    if not billing_configured():
        raise BillingNotConfigured("Billing is not configured on this SENCo Hub installation.")


def _refuse_unless_subscribable(account: BillingAccount) -> None:
    school = account.school
    if school.status == School.Status.ARCHIVED:
        raise ValidationError(
            f"{school.name} has been archived, so it cannot start a subscription."
        )
    if account.stripe_subscription_id and account.status not in ENDED_STATUSES:
        raise ValidationError(
            f"{school.name} already has a subscription. Use “Manage payment details and invoices” to change it."
        )


def billing_customer_ensure(account: BillingAccount) -> str:
    if account.stripe_customer_id:
        return account.stripe_customer_id
    customer = stripe_client().v1.customers.create(
        params=customer_fields(account),
        options={"idempotency_key": f"sencohub-customer-school-{account.school_id}"},
    )
    account.stripe_customer_id = customer.id
    account.save(update_fields=["stripe_customer_id", "updated_at"])
    return customer.id


def _trial_end_for_new_subscription(account: BillingAccount) -> int | None:
    # A school that subscribes during its free trial is not charged until the trial ends. Stripe
    # wants a trial end at least two days ahead.
    if account.trial_ends_at and account.trial_ends_at > timezone.now() + timedelta(days=2):
        return int(account.trial_ends_at.timestamp())
    return None


def checkout_session_start(
    *, acting_user: User, school: School, success_url: str, cancel_url: str
) -> str:
    """Start paying by card: a Stripe Checkout session for the school's annual subscription.
    Returns the Checkout page's address."""
    RIGHTS.require(acting_user, school.trust_id, "manage_billing")
    _require_configured()
    account = billing_account_for(school)
    _refuse_unless_subscribable(account)
    customer = billing_customer_ensure(account)
    subscription_data: dict = {"metadata": _subscription_metadata(account)}
    trial_end = _trial_end_for_new_subscription(account)
    if trial_end:
        subscription_data["trial_end"] = trial_end
    session = stripe_client().v1.checkout.sessions.create(
        params={
            "mode": "subscription",
            "customer": customer,
            "client_reference_id": str(school.pk),
            "line_items": [{"price": settings.STRIPE_PRICE_ID, "quantity": _quantity(school)}],
            "subscription_data": subscription_data,
            "metadata": _subscription_metadata(account),
            "success_url": success_url,
            "cancel_url": cancel_url,
        }
    )
    logger.info(
        "billing: checkout session started for school %s by user %s", school.pk, acting_user.pk
    )
    _audit(
        acting_user=acting_user,
        school=school,
        action=BillingAction.CHECKOUT_STARTED,
        summary=f"Started paying by card for {school.name}",
    )
    return session.url


def subscription_start_by_invoice(*, acting_user: User, school: School) -> BillingAccount:
    """Start paying by invoice (bank transfer): Stripe emails an invoice due in 30 days."""
    RIGHTS.require(acting_user, school.trust_id, "manage_billing")
    _require_configured()
    account = billing_account_for(school)
    _refuse_unless_subscribable(account)
    customer = billing_customer_ensure(account)
    if not account.contact_email:
        raise ValidationError(
            "Add a billing contact's email address first: that is where the invoices go."
        )
    params: dict = {
        "customer": customer,
        "items": [{"price": settings.STRIPE_PRICE_ID, "quantity": _quantity(school)}],
        "collection_method": "send_invoice",
        "days_until_due": settings.BILLING_INVOICE_DAYS_UNTIL_DUE,
        "metadata": _subscription_metadata(account),
    }
    trial_end = _trial_end_for_new_subscription(account)
    if trial_end:
        params["trial_end"] = trial_end
    # One key per attempt to subscribe: a double click makes one subscription, and subscribing
    # again after a cancellation makes a new one.
    key = f"sencohub-subscribe-school-{school.pk}-after-{account.stripe_subscription_id or 'none'}"
    subscription = (
        stripe_client()
        .v1.subscriptions.create(params=params, options={"idempotency_key": key})
        .to_dict()
    )
    logger.info(
        "billing: invoice subscription started for school %s by user %s", school.pk, acting_user.pk
    )
    with transaction.atomic():
        account = BillingAccount.objects.select_for_update().get(pk=account.pk)
        _apply_subscription(account, subscription)
        account.save()
        _audit(
            acting_user=acting_user,
            school=school,
            action=BillingAction.INVOICE_SUBSCRIPTION_STARTED,
            summary=f"Started paying by invoice for {school.name}",
        )
    return account


def portal_session_create(*, acting_user: User, school: School, return_url: str) -> str:
    """The Stripe Billing Portal, where the payer changes card details and downloads invoices."""
    RIGHTS.require(acting_user, school.trust_id, "manage_billing")
    _require_configured()
    account = billing_account_for(school)
    if not account.stripe_customer_id:
        raise ValidationError(
            f"{school.name} has no payment details yet: start a subscription first."
        )
    session = stripe_client().v1.billing_portal.sessions.create(
        params={"customer": account.stripe_customer_id, "return_url": return_url}
    )
    logger.info("billing: portal opened for school %s by user %s", school.pk, acting_user.pk)
    _audit(
        acting_user=acting_user,
        school=school,
        action=BillingAction.PORTAL_OPENED,
        summary=f"Opened the billing portal for {school.name}",
    )
    return session.url


# --- Mirroring Stripe ----------------------------------------------------------------------


def _status_from_stripe(value: str) -> str:
    return value if value in SubscriptionStatus.values else SubscriptionStatus.ACTIVE


def _pick_current(subscriptions: list[dict]) -> dict | None:
    """The school's current subscription: the newest that is not over, else the newest."""
    if not subscriptions:
        return None
    ordered = sorted(subscriptions, key=lambda s: s["created"], reverse=True)
    live = [s for s in ordered if s["status"] not in ENDED_STATUSES]
    return (live or ordered)[0]


def _apply_subscription(account: BillingAccount, subscription: dict) -> None:
    status = _status_from_stripe(subscription["status"])
    items = (subscription.get("items") or {}).get("data") or []
    item = items[0] if items else None
    account.stripe_subscription_id = subscription["id"]
    account.collection_method = subscription.get("collection_method") or ""
    account.quantity = item.get("quantity") if item else None
    period_end = (item.get("current_period_end") if item else None) or subscription.get(
        "current_period_end"
    )
    account.current_period_end = _ts(period_end)
    account.cancel_at_period_end = bool(subscription.get("cancel_at_period_end"))
    if subscription.get("trial_end"):
        account.trial_ends_at = _ts(subscription["trial_end"])
    if status in _OVERDUE:
        account.past_due_since = account.past_due_since or timezone.now()
    else:
        account.past_due_since = None
    account.status = status
    account.synced_at = timezone.now()


def _apply_invoice(account: BillingAccount, invoice: dict) -> None:
    Invoice.objects.update_or_create(
        stripe_invoice_id=invoice["id"],
        defaults={
            "account": account,
            "number": invoice.get("number") or "",
            "status": invoice.get("status") or "",
            "currency": invoice.get("currency") or "gbp",
            "amount_due": invoice.get("amount_due") or 0,
            "amount_paid": invoice.get("amount_paid") or 0,
            "created": _ts(invoice["created"]),
            "due_date": _ts(invoice.get("due_date")),
            "hosted_invoice_url": invoice.get("hosted_invoice_url") or "",
            "invoice_pdf": invoice.get("invoice_pdf") or "",
        },
    )


def billing_account_refresh(*, account_id: int) -> BillingAccount:
    """Re-read the school's subscriptions and invoices from Stripe and mirror them."""
    client = stripe_client()
    with transaction.atomic():
        # Stripe is read while the row is locked: when two events for one school are processed
        # at once, the one that writes last has also read last.
        account = (
            BillingAccount.objects.select_for_update().select_related("school").get(pk=account_id)
        )
        customer = account.stripe_customer_id
        subscriptions = client.v1.subscriptions.list(
            params={"customer": customer, "status": "all", "limit": 20}
        ).to_dict()["data"]
        invoices = client.v1.invoices.list(params={"customer": customer, "limit": 24}).to_dict()[
            "data"
        ]
        current = _pick_current(subscriptions)
        if current is not None:
            _apply_subscription(account, current)
        account.last_error, account.last_error_at = "", None
        account.save()
        for invoice in invoices:
            _apply_invoice(account, invoice)
    return account


def _record_error(account: BillingAccount, error: Exception) -> None:
    from .stripe_api import plain_english

    BillingAccount.objects.filter(pk=account.pk).update(
        last_error=plain_english(error), last_error_at=timezone.now()
    )
    logger.warning(
        "billing: Stripe error for school %s: %s", account.school_id, type(error).__name__
    )


def billing_error_record(*, account_id: int, error: Exception) -> None:
    account = BillingAccount.objects.get(pk=account_id)
    _record_error(account, error)


def subscription_quantity_sync(*, account_id: int) -> bool:
    """Bring the subscription's quantity to the school's number on roll. True when it changed.

    The idempotency key is derived from the school, the billing period and the target roll, so
    a retried night (or two workers) cannot apply the change twice, and a second change of roll
    in the same period is still sent."""
    account = BillingAccount.objects.select_related("school").get(pk=account_id)
    if not account.stripe_subscription_id or account.status in ENDED_STATUSES:
        return False
    client = stripe_client()
    subscription = client.v1.subscriptions.retrieve(account.stripe_subscription_id).to_dict()
    item = subscription["items"]["data"][0]
    wanted = _quantity(account.school)
    changed = False
    if item["quantity"] != wanted:
        period_end = item.get("current_period_end") or subscription.get("current_period_end")
        subscription = client.v1.subscriptions.update(
            subscription["id"],
            params={
                "items": [{"id": item["id"], "quantity": wanted}],
                "proration_behavior": "none",
            },
            options={
                "idempotency_key": f"sencohub-roll-school-{account.school_id}-period-{period_end}-roll-{wanted}"
            },
        ).to_dict()
        changed = True
    with transaction.atomic():
        account = BillingAccount.objects.select_for_update().get(pk=account_id)
        _apply_subscription(account, subscription)
        account.last_error, account.last_error_at = "", None
        account.save()
    return changed


# --- Webhook events ------------------------------------------------------------------------


def stripe_event_receive(*, payload: bytes, signature: str | None) -> tuple[StripeEvent, bool]:
    """Verify a webhook's signature on the raw body, then store the event once by its id and
    queue its processing after commit. Returns (event, first_time)."""
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise WebhookRejected("Billing is not configured: no webhook secret is set.")
    if not signature:
        raise WebhookRejected("Missing Stripe-Signature header.")
    try:
        event = stripe.Webhook.construct_event(payload, signature, secret)
    except stripe.SignatureVerificationError as error:
        raise WebhookRejected(
            f"Invalid signature: {error.user_message or 'it does not match'}."
        ) from error
    except ValueError as error:
        raise WebhookRejected("The body is not valid JSON.") from error
    data = event.to_dict(for_json=True)
    if (
        data.get("object") != "event"
        or not data.get("id")
        or not data.get("type")
        or "data" not in data
    ):
        raise WebhookRejected("The body is not a Stripe event.")

    with transaction.atomic():
        try:
            with transaction.atomic():
                stored = StripeEvent.objects.create(
                    event_id=data["id"],
                    type=data["type"],
                    created=_ts(data.get("created")) or timezone.now(),
                    livemode=bool(data.get("livemode")),
                    payload=data,
                )
            first_time = True
        except IntegrityError:
            StripeEvent.objects.filter(event_id=data["id"]).update(deliveries=F("deliveries") + 1)
            stored = StripeEvent.objects.get(event_id=data["id"])
            first_time = False
        # A redelivery of an event we have not finished (or that failed) is processed again;
        # processing is idempotent, so that is safe.
        if first_time or stored.outcome in (
            StripeEvent.Outcome.PENDING,
            StripeEvent.Outcome.FAILED,
        ):
            queue_after_commit("apps.billing.tasks.process_stripe_event", stored.pk)
    return stored, first_time


def _account_for_event(event_type: str, obj: dict) -> BillingAccount | None:
    customer = obj.get("customer")
    if isinstance(customer, dict):
        customer = customer.get("id")
    if customer:
        account = BillingAccount.objects.filter(stripe_customer_id=customer).first()
        if account is not None:
            return account
    if event_type == "checkout.session.completed" and obj.get("client_reference_id"):
        # A Checkout we started for a school whose customer id we did not keep (should not
        # happen): adopt the customer only if the school has none yet.
        account = BillingAccount.objects.filter(
            school_id=obj["client_reference_id"], stripe_customer_id__isnull=True
        ).first()
        if account is not None and customer:
            account.stripe_customer_id = customer
            account.save(update_fields=["stripe_customer_id", "updated_at"])
            return account
    return None


def stripe_event_account_id(*, event_pk: int) -> int | None:
    """The school account a stored Stripe event is about (None if no school's): what a failed
    event's error is recorded against."""
    event = StripeEvent.objects.get(pk=event_pk)
    account = _account_for_event(event.type, (event.payload.get("data") or {}).get("object") or {})
    return account.pk if account else None


def _refresh(event: StripeEvent, account: BillingAccount) -> None:
    billing_account_refresh(account_id=account.pk)


# Dispatch by event type (Saleor style). Every handled event means "look at this customer
# again"; the table is where a type would get its own extra handling.
EVENT_HANDLERS = {event_type: _refresh for event_type in HANDLED_EVENT_TYPES}


def stripe_event_process(*, event_pk: int) -> str:
    """Act on a stored event. Idempotent: an event already dealt with is left alone."""
    event = StripeEvent.objects.get(pk=event_pk)
    if event.outcome not in (StripeEvent.Outcome.PENDING, StripeEvent.Outcome.FAILED):
        return event.outcome
    handler = EVENT_HANDLERS.get(event.type)
    if handler is None:
        _finish(event, StripeEvent.Outcome.IGNORED)
        return event.outcome
    obj = (event.payload.get("data") or {}).get("object") or {}
    account = _account_for_event(event.type, obj)
    if account is None:
        _finish(
            event,
            StripeEvent.Outcome.UNKNOWN_CUSTOMER,
            needs_attention=True,
            note=f"No school has the Stripe customer {obj.get('customer') or '(none)'}.",
        )
        logger.warning(
            "billing: event %s for an unknown customer flagged for the operator", event.event_id
        )
        return event.outcome
    handler(event, account)
    _finish(event, StripeEvent.Outcome.PROCESSED, account=account)
    return event.outcome


def stripe_event_failed(*, event_pk: int, error: Exception) -> None:
    from .stripe_api import plain_english

    event = StripeEvent.objects.get(pk=event_pk)
    _finish(event, StripeEvent.Outcome.FAILED, needs_attention=True, note=plain_english(error))


def _finish(
    event: StripeEvent,
    outcome: str,
    *,
    account: BillingAccount | None = None,
    needs_attention: bool = False,
    note: str = "",
) -> None:
    event.outcome = outcome
    event.processed_at = timezone.now()
    event.needs_attention = needs_attention
    event.note = note
    if account is not None:
        event.account = account
    event.save(update_fields=["outcome", "processed_at", "needs_attention", "note", "account"])


def trial_warning_recipients(school: School) -> list[str]:
    """Who hears that a trial ends soon: the trust's finance team, else its trust admins."""
    from tenants.models import TrustMembership
    from tenants.roles import TrustRole

    for role in (TrustRole.FINANCE, TrustRole.TRUST_ADMIN):
        emails = sorted(
            TrustMembership.objects.filter(
                trust_id=school.trust_id, role=role, user__is_active=True
            ).values_list("user__email", flat=True)
        )
        if emails:
            return emails
    return []


def trial_ending_warning_send(*, account_id: int) -> str:
    """Email trust finance, once per trial end, that a school's free trial ends within 14 days
    (rules.TRIAL_WARNING_DAYS). Idempotent: the account row is locked and remembers the trial end
    it warned about, so a retried or doubled task sends one email. The email names the school
    and the date only (no pupil data); it is sent after commit."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse

    from tenants.hosts import platform_url

    from .rules import trial_warning_due

    with transaction.atomic():
        account = (
            BillingAccount.objects.select_for_update()
            .select_related("school", "school__trust")
            .filter(pk=account_id)
            .first()
        )
        if account is None or not trial_warning_due(
            status=account.status,
            trial_ends_at=account.trial_ends_at,
            warned_for=account.trial_warning_sent_for,
            now=timezone.now(),
        ):
            return "skipped"
        school = account.school
        recipients = trial_warning_recipients(school)
        if not recipients:
            return "no-one-to-tell"
        account.trial_warning_sent_for = account.trial_ends_at
        account.save(update_fields=["trial_warning_sent_for", "updated_at"])
        ends = timezone.localtime(account.trial_ends_at).strftime("%-d %B %Y")
        _audit(
            acting_user=None,
            school=school,
            action=BillingAction.TRIAL_WARNING_SENT,
            summary=f"Told trust finance that {school.name}'s free trial ends on {ends}",
        )
        body = render_to_string(
            "billing/trial_ending_email.txt",
            {
                "school": school,
                "ends": ends,
                # The billing pages live on the platform host (its URLconf, not a school's).
                "link": platform_url(
                    reverse(
                        "billing-school",
                        kwargs={"school_id": school.pk},
                        urlconf=settings.PUBLIC_SCHEMA_URLCONF,
                    )
                ),
            },
        )
        transaction.on_commit(
            lambda: send_mail(
                subject=f"{school.name}'s free trial of SENCo Hub ends on {ends}",
                message=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=recipients,
            )
        )
    return "sent"
