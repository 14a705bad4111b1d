"""Billing pages in the trust console, the school home panel, banners and who sees what."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.billing.models import BillingAccount, SubscriptionStatus
from apps.billing.services import billing_account_for
from tenants.models import School

pytestmark = pytest.mark.django_db


@pytest.fixture
def account_a(school_a):
    return billing_account_for(school_a)


def test_provisioned_schools_start_a_sixty_day_free_trial(school_a, account_a):
    assert account_a.status == SubscriptionStatus.TRIAL
    days = (account_a.trial_ends_at - account_a.created_at).days
    assert 59 <= days <= 60


def test_trust_admin_and_finance_see_their_schools_billing(
    fake, people, client_for, school_a, account_a
):
    for who in ("trust_trust_admin_a", "trust_finance_a"):
        response = client_for(people[who]).get("/billing/")
        assert response.status_code == 200
        page = response.content.decode()
        assert "Alpha Primary" in page
        assert "Free trial" in page
        assert "Beta Primary" not in page


@pytest.mark.parametrize(
    "who", ["trust_send_lead_a", "trust_viewer_a", "senco_a", "headteacher_a", "outsider"]
)
def test_other_roles_cannot_see_billing(fake, people, client_for, who):
    assert client_for(people[who]).get("/billing/").status_code == 403


def test_billing_nav_item_only_for_billing_roles(fake, people, client_for):
    assert 'href="/billing/"' in client_for(people["trust_finance_a"]).get("/").content.decode()
    assert 'href="/billing/"' not in client_for(people["trust_viewer_a"]).get("/").content.decode()


def test_school_page_shows_plan_status_trial_and_contact(
    fake, people, client_for, school_a, account_a
):
    account_a.contact_kind = BillingAccount.ContactKind.TRUST_FINANCE
    account_a.contact_email = "money@alpha.example"
    account_a.save()
    page = (
        client_for(people["trust_finance_a"])
        .get(f"/billing/schools/{school_a.pk}/")
        .content.decode()
    )
    assert "SENCo Hub annual licence" in page
    assert "Free trial" in page
    assert account_a.trial_ends_at.strftime("%B %Y") in page
    assert "money@alpha.example" in page
    assert "Pay by card" in page and "Pay by invoice" in page


# --- isolation: every endpoint, by id, with the other trust's admin ---------------------


@pytest.mark.parametrize(
    "suffix, method",
    [
        ("", "get"),
        ("contact/", "post"),
        ("checkout/", "post"),
        ("invoice-subscription/", "post"),
        ("portal/", "post"),
    ],
)
def test_another_trusts_admin_cannot_reach_a_school_by_id(
    fake, people, client_for, school_a, account_a, suffix, method
):
    client = client_for(people["trust_admin_b"])
    data = (
        {"contact_kind": "school", "contact_email": "thief@example.test"}
        if suffix == "contact/"
        else {}
    )
    response = getattr(client, method)(f"/billing/schools/{school_a.pk}/{suffix}", data)
    assert response.status_code == 404
    account_a.refresh_from_db()
    assert account_a.contact_email != "thief@example.test"
    assert account_a.stripe_customer_id is None
    assert fake.requests == []


def test_another_trusts_overview_does_not_list_our_schools(
    fake, people, client_for, school_a, school_b, account_a
):
    billing_account_for(school_b)
    page = client_for(people["trust_admin_b"]).get("/billing/").content.decode()
    assert "Beta Primary" in page and "Alpha Primary" not in page


def test_billing_pages_are_not_served_on_a_school_host(fake, people, client_for, school_a):
    assert client_for(people["headteacher_a"], school_a).get("/billing/").status_code == 404


# --- actions ---------------------------------------------------------------------------


def test_checkout_redirects_to_stripe_with_the_number_on_roll_and_the_trial(
    fake, people, client_for, school_a, account_a
):
    response = client_for(people["trust_trust_admin_a"]).post(
        f"/billing/schools/{school_a.pk}/checkout/"
    )
    assert response.status_code == 302
    assert response["Location"].startswith(fake.url + "/pay/cs_test_")
    checkout = next(r for r in fake.requests if r["path"] == "/v1/checkout/sessions")
    params = checkout["params"]
    assert params["mode"] == "subscription"
    assert params["line_items"] == [
        {"price": fake.price_id, "quantity": str(school_a.number_on_roll)}
    ]
    assert int(params["subscription_data"]["trial_end"]) == int(account_a.trial_ends_at.timestamp())
    assert params["client_reference_id"] == str(school_a.pk)
    account_a.refresh_from_db()
    assert account_a.stripe_customer_id == params["customer"]


def test_checkout_for_an_archived_school_is_refused(fake, people, client_for, school_a, account_a):
    School.objects.filter(pk=school_a.pk).update(status=School.Status.ARCHIVED)
    response = client_for(people["trust_trust_admin_a"]).post(
        f"/billing/schools/{school_a.pk}/checkout/", follow=True
    )
    assert (
        "Alpha Primary has been archived, so it cannot start a subscription."
        in response.content.decode()
    )
    assert fake.requests == []


def test_pay_by_invoice_creates_a_send_invoice_subscription_due_in_30_days(
    fake, people, client_for, school_a, account_a
):
    account_a.contact_email = "finance@alpha.example"
    account_a.trial_ends_at = timezone.now() - timedelta(days=1)  # trial over: billed now
    account_a.save()
    response = client_for(people["trust_finance_a"]).post(
        f"/billing/schools/{school_a.pk}/invoice-subscription/", follow=True
    )
    assert "Stripe will email invoices" in response.content.decode()
    create = next(
        r for r in fake.requests if r["path"] == "/v1/subscriptions" and r["method"] == "POST"
    )
    assert create["params"]["collection_method"] == "send_invoice"
    assert create["params"]["days_until_due"] == "30"
    assert "trial_end" not in create["params"]
    account_a.refresh_from_db()
    assert account_a.status == SubscriptionStatus.ACTIVE
    assert account_a.collection_method == "send_invoice"
    assert account_a.quantity == school_a.number_on_roll


def test_pay_by_invoice_needs_a_billing_contact_email(
    fake, people, client_for, school_a, account_a
):
    response = client_for(people["trust_finance_a"]).post(
        f"/billing/schools/{school_a.pk}/invoice-subscription/", follow=True
    )
    assert "Add a billing contact" in response.content.decode()
    assert not any(r["path"] == "/v1/subscriptions" for r in fake.requests)


def test_a_second_subscription_is_refused(fake, people, client_for, school_a, account_a):
    account_a.contact_email = "finance@alpha.example"
    account_a.save()
    client = client_for(people["trust_finance_a"])
    client.post(f"/billing/schools/{school_a.pk}/invoice-subscription/")
    response = client.post(f"/billing/schools/{school_a.pk}/checkout/", follow=True)
    assert "already has a subscription" in response.content.decode()
    assert not any(r["path"] == "/v1/checkout/sessions" for r in fake.requests)


def test_portal_link_opens_stripes_billing_portal(fake, people, client_for, school_a, account_a):
    from apps.billing.services import billing_customer_ensure

    billing_customer_ensure(account_a)
    response = client_for(people["trust_finance_a"]).post(f"/billing/schools/{school_a.pk}/portal/")
    assert response.status_code == 302
    assert response["Location"].startswith(fake.url + "/portal/")
    portal = next(r for r in fake.requests if r["path"] == "/v1/billing_portal/sessions")
    assert portal["params"]["return_url"].endswith(f"/billing/schools/{school_a.pk}/")


def test_portal_without_a_customer_explains_why(fake, people, client_for, school_a, account_a):
    response = client_for(people["trust_finance_a"]).post(
        f"/billing/schools/{school_a.pk}/portal/", follow=True
    )
    assert "has no payment details yet" in response.content.decode()


def test_contact_form_shows_field_errors_and_saves_nothing(
    fake, people, client_for, school_a, account_a
):
    response = client_for(people["trust_finance_a"]).post(
        f"/billing/schools/{school_a.pk}/contact/",
        {"contact_kind": "", "contact_email": "not-an-email"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Choose who receives the invoices." in page
    assert "Enter an email address like name@example.org." in page
    account_a.refresh_from_db()
    assert account_a.contact_email == ""


def test_contact_form_saves_and_updates_stripe(fake, people, client_for, school_a, account_a):
    from apps.billing.services import billing_customer_ensure

    billing_customer_ensure(account_a)
    client_for(people["trust_finance_a"]).post(
        f"/billing/schools/{school_a.pk}/contact/",
        {
            "contact_kind": "trust_finance",
            "contact_name": "Central finance",
            "contact_email": "Finance@Alpha.example",
        },
    )
    account_a.refresh_from_db()
    assert (account_a.contact_kind, account_a.contact_email) == (
        "trust_finance",
        "finance@alpha.example",
    )
    update = [
        r for r in fake.requests if r["path"] == f"/v1/customers/{account_a.stripe_customer_id}"
    ]
    assert update and update[-1]["params"]["email"] == "finance@alpha.example"


def test_a_stripe_error_is_shown_in_plain_english(fake, people, client_for, school_a, account_a):
    fake.fail_next("POST", "/v1/customers", status=500)
    response = client_for(people["trust_finance_a"]).post(
        f"/billing/schools/{school_a.pk}/checkout/", follow=True
    )
    assert "Stripe, our payment provider, had a problem on its side." in response.content.decode()


# --- without keys ----------------------------------------------------------------------


def test_without_keys_pages_say_billing_is_not_configured(
    people, client_for, school_a, account_a, settings
):
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_PRICE_ID = ""
    client = client_for(people["trust_finance_a"])
    overview = client.get("/billing/").content.decode()
    assert "Billing is not configured" in overview
    assert "Free trial" in overview  # statuses still come from our own records
    detail = client.get(f"/billing/schools/{school_a.pk}/").content.decode()
    assert "Billing is not configured" in detail and "Pay by card" not in detail
    response = client.post(f"/billing/schools/{school_a.pk}/checkout/", follow=True)
    assert "Billing is not configured" in response.content.decode()


# --- the school's side: panel, banner, read-only ---------------------------------------


def test_headteacher_sees_their_schools_billing_status_on_home(
    fake, people, client_for, school_a, account_a
):
    page = client_for(people["headteacher_a"], school_a).get("/").content.decode()
    assert 'data-testid="billing-panel"' in page and "Free trial until" in page


def test_teachers_do_not_see_the_billing_panel(fake, people, client_for, school_a, account_a):
    page = client_for(people["teacher_a"], school_a).get("/").content.decode()
    assert 'data-testid="billing-panel"' not in page


def test_past_due_shows_a_banner_to_school_and_trust_without_blocking(
    fake, people, client_for, school_a, account_a
):
    account_a.status = SubscriptionStatus.PAST_DUE
    account_a.past_due_since = timezone.now() - timedelta(days=3)
    account_a.save()
    school_page = client_for(people["senco_a"], school_a).get("/").content.decode()
    assert (
        'data-testid="billing-banner"' in school_page and "Payment for Alpha Primary" in school_page
    )
    trust_page = client_for(people["trust_finance_a"]).get("/").content.decode()
    assert 'data-testid="billing-banner"' in trust_page and "Alpha Primary" in trust_page
    from tenants.gates import read_only_reason

    assert read_only_reason(school_a) is None
    other_trust = client_for(people["trust_admin_b"]).get("/").content.decode()
    assert 'data-testid="billing-banner"' not in other_trust


def test_after_the_grace_period_the_school_is_read_only(
    fake, people, client_for, school_a, account_a, settings
):
    account_a.status = SubscriptionStatus.PAST_DUE
    account_a.past_due_since = timezone.now() - timedelta(
        days=settings.BILLING_GRACE_DAYS, minutes=1
    )
    account_a.save()
    client = client_for(people["senco_a"], school_a)
    page = client.get("/")
    assert page.status_code == 200  # reading still works
    assert "read-only" in page.content.decode()
    response = client.post("/switch/", {"to": "alpha"})
    assert response.status_code == 403
    assert "overdue" in response.content.decode()
