"""Billing reads shared by pages, the API, the banner and the read-only gate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.http import Http404
from django.utils import timezone

from tenants.gates import per_request
from tenants.models import School, Trust, TrustMembership, User
from tenants.roles import TRUST_ROLES_WITH_BILLING

from .models import BillingAccount, SubscriptionStatus
from .rules import FULL, BillingAccess, billing_access, trial_ends_soon


def access_for_account(account: BillingAccount | None, school: School) -> BillingAccess:
    if account is None:
        return BillingAccess(FULL)
    return billing_access(
        school_name=school.name,
        status=account.status,
        trial_ends_at=account.trial_ends_at,
        past_due_since=account.past_due_since,
        now=timezone.now(),
        grace_days=settings.BILLING_GRACE_DAYS,
    )


def billing_access_for_school(school: School) -> BillingAccess:
    # One indexed lookup (no ordering join), once per request: the read-only gate and the banner
    # both ask.
    def compute() -> BillingAccess:
        account = BillingAccount.objects.filter(school_id=school.pk).order_by().first()
        return access_for_account(account, school)

    return per_request(school, "billing_access", compute)


def billing_read_only_reason(school: School) -> str | None:
    """Registered with tenants.gates: a school is read-only once billing says so."""
    access = billing_access_for_school(school)
    return access.message if access.read_only else None


def billing_trusts_for(user: User) -> list[Trust]:
    """Trusts whose billing this user may see and manage (trust admins and finance)."""
    if not user.is_authenticated:
        return []
    return [
        m.trust
        for m in TrustMembership.objects.filter(
            user=user, role__in=list(TRUST_ROLES_WITH_BILLING)
        ).select_related("trust")
    ]


@dataclass
class SchoolBilling:
    school: School
    account: BillingAccount | None
    access: BillingAccess

    @property
    def status_label(self) -> str:
        if self.account is None:
            return "Not set up"
        if (
            self.account.status == SubscriptionStatus.TRIAL
            and self.account.trial_ends_at
            and self.account.trial_ends_at <= timezone.now()
        ):
            return "Trial ended"
        return self.account.get_status_display()

    @property
    def tag_colour(self) -> str:
        if self.access.read_only:
            return "red"
        if self.access.warning:
            return "orange"
        if self.account and self.account.status == SubscriptionStatus.ACTIVE:
            return "green"
        return "blue"

    @property
    def plan(self) -> str:
        return settings.BILLING_PLAN_NAME

    @property
    def next_invoice_on(self) -> datetime | None:
        account = self.account
        if account is None or account.status in (
            SubscriptionStatus.CANCELED,
            SubscriptionStatus.INCOMPLETE_EXPIRED,
        ):
            return None
        if account.status == SubscriptionStatus.TRIAL:
            return None  # no subscription yet, so nothing will be invoiced
        if account.cancel_at_period_end:
            return None
        return account.current_period_end

    @property
    def trial_ends_soon(self) -> bool:
        """The free trial ends within TRIAL_WARNING_DAYS: trust finance is warned."""
        account = self.account
        return account is not None and trial_ends_soon(
            status=account.status, trial_ends_at=account.trial_ends_at, now=timezone.now()
        )

    @property
    def plan_summary(self) -> str:
        """ "Annual, 196 pupils, by card" – what the school is (or would be) billed for."""
        account = self.account
        pupils = (
            account.quantity if account and account.quantity else None
        ) or self.school.number_on_roll
        summary = f"Annual, {pupils} pupil{'s' if pupils != 1 else ''}"
        if account and account.collection_method:
            summary += (
                ", by card"
                if account.collection_method == BillingAccount.CollectionMethod.CARD
                else ", by invoice"
            )
        return summary

    @property
    def contact(self) -> str:
        account = self.account
        if account is None:
            return ""
        who = account.get_contact_kind_display()
        details = ", ".join(x for x in (account.contact_name, account.contact_email) if x)
        return f"{who}: {details}" if details else who


def trust_billing(trust: Trust) -> list[SchoolBilling]:
    schools = School.objects.filter(trust=trust).select_related("billing_account").order_by("name")
    rows = []
    for school in schools:
        account = school.billing_account if _has_account(school) else None
        rows.append(
            SchoolBilling(
                school=school, account=account, access=access_for_account(account, school)
            )
        )
    return rows


def _has_account(school: School) -> bool:
    try:
        school.billing_account  # noqa: B018 - select_related already fetched it
    except BillingAccount.DoesNotExist:
        return False
    return True


def school_billing_for(
    user: User, school_id: int, trust_ids: list[int] | None = None
) -> SchoolBilling:
    """One school's billing, if the user has billing rights over its trust; else 404 (the
    school's existence is not revealed to other trusts)."""
    if trust_ids is None:
        trust_ids = [t.pk for t in billing_trusts_for(user)]
    school = (
        School.objects.filter(pk=school_id, trust_id__in=trust_ids)
        .select_related("billing_account")
        .first()
    )
    if school is None:
        raise Http404("No such school in your trust.")
    account = school.billing_account if _has_account(school) else None
    return SchoolBilling(school=school, account=account, access=access_for_account(account, school))


def schools_needing_attention(user: User) -> list[SchoolBilling]:
    """For the trust banner: schools of the user's trusts whose payment is overdue or read-only."""
    rows: list[SchoolBilling] = []
    for trust in billing_trusts_for(user):
        rows.extend(r for r in trust_billing(trust) if r.access.level != FULL)
    return rows


def trials_ending_soon(trust: Trust) -> list[SchoolBilling]:
    """The trust's schools whose free trial ends within the warning window, soonest first."""
    rows = [row for row in trust_billing(trust) if row.trial_ends_soon]
    return sorted(rows, key=trial_end_order)


def trial_end_order(row: SchoolBilling) -> datetime:
    """Sort key: when the school's trial ends (rows with no trial end last)."""
    ends = row.account.trial_ends_at if row.account is not None else None
    return ends or datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True)
class NextInvoice:
    """Stripe's preview of the subscription's next invoice (what the school will be charged)."""

    amount_pence: int
    currency: str
    on: datetime | None
    problem: str = ""  # plain English, when Stripe could not say

    @property
    def amount(self) -> str:
        pounds, pence = divmod(self.amount_pence, 100)
        symbol = "£" if self.currency.lower() == "gbp" else f"{self.currency.upper()} "
        return f"{symbol}{pounds:,}.{pence:02d}"


def next_invoice_preview(account: BillingAccount | None) -> NextInvoice | None:
    """Ask Stripe for the upcoming invoice (its invoice preview endpoint): the amount the school
    will next be charged, at its current quantity. None when there is no subscription to
    invoice; a NextInvoice with `problem` set when Stripe could not be asked."""
    import stripe

    from .stripe_api import billing_configured, plain_english, stripe_client

    if (
        account is None
        or not account.stripe_subscription_id
        or not billing_configured()
        or account.cancel_at_period_end
        or account.status in (SubscriptionStatus.CANCELED, SubscriptionStatus.INCOMPLETE_EXPIRED)
    ):
        return None
    try:
        preview = (
            stripe_client()
            .v1.invoices.create_preview(
                params={
                    "customer": account.stripe_customer_id or "",
                    "subscription": account.stripe_subscription_id,
                }
            )
            .to_dict()
        )
    except stripe.StripeError as error:
        return NextInvoice(0, "gbp", None, problem=plain_english(error))
    when = preview.get("next_payment_attempt") or preview.get("period_end")
    return NextInvoice(
        amount_pence=int(preview.get("amount_due") or 0),
        currency=str(preview.get("currency") or "gbp"),
        on=datetime.fromtimestamp(when, tz=UTC) if when else None,
    )
