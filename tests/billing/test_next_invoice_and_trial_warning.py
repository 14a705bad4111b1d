"""Issue #15 item 19 (billing half): the next invoice's amount from Stripe's upcoming invoice
preview (the real `stripe` library against infra/stripe_fake.py), and trust finance warned 14
days before a school's free trial ends: on the billing page, on the console home, and by one
email from a daily task in the real worker (ids only in its arguments)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from apps.billing import rules
from apps.billing.models import BillingAccount
from apps.billing.selectors import next_invoice_preview
from apps.billing.services import billing_account_for
from apps.trust.models import TrustAuditEvent
from infra.stripe_fake import UNIT_AMOUNT
from tests.billing.conftest import wait_until

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "days_left", "soon"),
    [
        ("trial", 15, False),
        ("trial", 14, True),
        ("trial", 1, True),
        ("trialing", 3, True),
        ("trial", 0, False),  # ended: the read-only rules take over
        ("trial", -2, False),
        ("active", 3, False),
    ],
)
def test_a_trial_ends_soon_within_14_days(status, days_left, soon):
    ends = NOW + timedelta(days=days_left)
    assert rules.trial_ends_soon(status=status, trial_ends_at=ends, now=NOW) is soon


def test_the_warning_is_due_once_per_trial_end():
    ends = NOW + timedelta(days=10)
    due = dict(status="trial", trial_ends_at=ends, now=NOW)
    assert rules.trial_warning_due(**due, warned_for=None)
    assert not rules.trial_warning_due(**due, warned_for=ends)
    # A moved trial end is a new one: warned again.
    assert rules.trial_warning_due(**due, warned_for=ends - timedelta(days=7))


@pytest.mark.django_db
def test_the_school_page_shows_the_next_invoice_amount_from_stripes_preview(
    fake, people, client_for, school_a
):
    account = billing_account_for(school_a)
    account.contact_email = "finance@alpha.example"
    account.trial_ends_at = timezone.now() - timedelta(days=1)
    account.save()
    finance = client_for(people["trust_finance_a"])
    finance.post(f"/billing/schools/{school_a.pk}/invoice-subscription/")
    account.refresh_from_db()
    fake.requests.clear()
    page = finance.get(f"/billing/schools/{school_a.pk}/").content.decode()
    (preview,) = [r for r in fake.requests if r["path"] == "/v1/invoices/create_preview"]
    assert preview["method"] == "POST"
    assert preview["params"]["subscription"] == account.stripe_subscription_id
    pence = school_a.number_on_roll * UNIT_AMOUNT
    assert f"£{pence // 100:,}.{pence % 100:02d}" in page
    assert "Stripe&#x27;s preview" in page or "Stripe's preview" in page


@pytest.mark.django_db
def test_a_stripe_failure_on_the_preview_is_explained(fake, people, school_a):
    account = billing_account_for(school_a)
    account.stripe_customer_id = "cus_missing"
    account.stripe_subscription_id = "sub_missing"
    account.status = "active"
    account.save()
    preview = next_invoice_preview(account)
    assert preview is not None and preview.problem.startswith("Stripe refused the change")


def test_no_preview_without_a_subscription(settings):
    assert next_invoice_preview(None) is None
    assert next_invoice_preview(BillingAccount(status="trial")) is None


@pytest.fixture
def trial_ending(committed, harness):
    school = committed.school(
        trust=harness["trust_a"],
        name="Zeta Infants",
        urn="100061",
        subdomain="zeta",
        phase="primary",
        local_authority_name="Kirklees",
        local_authority_code="382",
        number_on_roll=90,
    )
    account = billing_account_for(school)
    BillingAccount.objects.filter(pk=account.pk).update(
        trial_ends_at=timezone.now() + timedelta(days=10)
    )
    committed.cleanup(lambda: TrustAuditEvent.objects.filter(school=school).delete())
    return school, account


@pytest.mark.celery
def test_the_daily_task_emails_trust_finance_once(trial_ending, celery_worker, harness):
    from apps.billing.tasks import warn_trials_ending

    school, account = trial_ending
    mail_dir = celery_worker["mail_dir"]

    def mails() -> list[str]:
        texts = [p.read_text() for p in mail_dir.iterdir()]
        return [t for t in texts if "Zeta Infants" in t]

    assert warn_trials_ending.delay().get(timeout=30) >= 1
    (mail,) = wait_until(mails, message="the trial warning email")
    assert "trust_finance_a@example.test" in mail
    assert "Zeta Infants's free trial of SENCo Hub ends on" in mail
    assert f"/billing/schools/{school.pk}/" in mail
    account.refresh_from_db()
    assert account.trial_warning_sent_for == account.trial_ends_at
    assert (
        TrustAuditEvent.objects.filter(school=school, action="billing_trial_warning_sent").count()
        == 1
    )
    # The next day (or a retried task) sends nothing more.
    assert warn_trials_ending.delay().get(timeout=30) == 0
    from apps.billing.tasks import send_trial_ending_warning

    assert send_trial_ending_warning.delay(account.pk).get(timeout=30) == "skipped"
    assert len(mails()) == 1


@pytest.fixture
def subscribed_and_ending(fake, committed, harness, trial_ending):
    """Zeta Infants in its last 10 days of free trial; Eta Primary subscribed by invoice."""
    from apps.billing import services

    school = committed.school(
        trust=harness["trust_a"],
        name="Eta Primary",
        urn="100062",
        subdomain="eta",
        phase="primary",
        local_authority_name="Kirklees",
        local_authority_code="382",
        number_on_roll=205,
    )
    account = billing_account_for(school)
    BillingAccount.objects.filter(pk=account.pk).update(
        contact_email="finance@eta.example", trial_ends_at=timezone.now() - timedelta(days=1)
    )
    services.subscription_start_by_invoice(acting_user=harness["trust_finance_a"], school=school)
    committed.cleanup(lambda: TrustAuditEvent.objects.filter(school=school).delete())
    return trial_ending[0], school


@pytest.mark.e2e
def test_trust_finance_sees_the_warning_and_the_next_invoice_in_the_browser(
    page, web_server, subscribed_and_ending
):
    from playwright.sync_api import expect

    from tests.conftest import sign_in_browser

    ending, subscribed = subscribed_and_ending
    sign_in_browser(page, web_server, None, "trust_finance_a@example.test")
    page.goto(web_server.url(None, "/"))
    home_warning = page.get_by_test_id("trials-ending")
    expect(home_warning).to_contain_text("Zeta Infants: ends")
    expect(home_warning).to_contain_text("no subscription yet")
    home_warning.get_by_role("link", name="Zeta Infants").click()
    expect(page.get_by_test_id("trial-ending")).to_contain_text("The free trial ends on")
    page.goto(web_server.url(None, "/billing/"))
    expect(page.get_by_test_id("trials-ending")).to_contain_text("Zeta Infants")
    expect(page.get_by_test_id("trials-ending")).not_to_contain_text("Eta Primary")
    page.get_by_role("link", name="Eta Primary billing").click()
    pence = 205 * UNIT_AMOUNT
    expect(page.get_by_test_id("next-invoice-amount")).to_contain_text(
        f"£{pence // 100:,}.{pence % 100:02d}"
    )
    page.screenshot(path="test-results/ux-billing-next-invoice.png", full_page=True)
