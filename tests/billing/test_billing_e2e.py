"""Billing in a real browser against gunicorn, the Celery worker and the fake Stripe, which
delivers its own signed webhooks: a trust admin pays by card through Checkout and sees the
subscription; the school's headteacher sees the status on the school's home page."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, sign_in_browser

pytestmark = [pytest.mark.e2e, pytest.mark.celery]
SHOTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture(scope="module")
def billing_web_server(celery_worker, tmp_path_factory):
    """gunicorn queueing its tasks where the test worker listens (the shared web_server does
    not queue to the worker's queue)."""
    from tests.support import free_port, host_for, start_web_server, stop_process

    port = free_port()
    proc = start_web_server(
        port,
        tmp_path_factory.mktemp("billing-web") / "gunicorn.log",
        CELERY_QUEUE=celery_worker["queue"],
    )

    class Server:
        def url(self, school=None, path="/"):
            return f"http://{host_for(school)}:{port}{path}"

    try:
        yield Server()
    finally:
        stop_process(proc)


def test_trust_admin_pays_by_card_through_checkout(
    page, billing_web_server, fake, committed, harness
):
    web_server = billing_web_server
    from tenants.models import User
    from tenants.services import school_membership_set

    school = committed.school(
        trust=harness["trust_a"],
        name="Zeta Primary",
        urn="100051",
        subdomain="zeta",
        phase="primary",
        local_authority_name="Kirklees",
        local_authority_code="382",
        number_on_roll=310,
    )
    head = User.objects.create_user(
        email="head.zeta@example.test", password=PASSWORD, full_name="Zeta Head"
    )
    committed.cleanup(head.delete)
    school_membership_set(acting_user=None, user=head, school=school, role="headteacher")
    fake.webhook_url = web_server.url(None, "/billing/stripe/webhook/")
    committed.cleanup(setattr, fake, "webhook_url", None)

    sign_in_browser(page, web_server, None, "trust_trust_admin_a@example.test")
    page.goto(web_server.url(None, "/billing/"))
    expect(
        page.get_by_role("table", name="Alpha Learning Trust: subscriptions by school")
    ).to_be_visible()
    row = page.get_by_test_id("billing-row-zeta")
    assert row.get_by_test_id("billing-status").inner_text() == "Free trial"
    row.get_by_role("link", name="Zeta Primary billing").click()

    page.get_by_role("button", name="Pay by card").click()
    assert page.url.startswith(fake.url + "/pay/")
    assert (
        "310 pupils" in page.content()
    )  # the number on roll, nothing else about the school's pupils
    page.get_by_role("button", name="Pay with test card 4242 4242 4242 4242").click()
    page.wait_for_url("**/billing/schools/*/?checkout=done")

    deadline = time.time() + 30
    while page.get_by_test_id("billing-status").inner_text() != "Subscribed, in free trial":
        assert time.time() < deadline, "the webhook never made it through the worker"
        time.sleep(0.5)
        page.reload()
    expect(page.get_by_text("Card", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Manage payment details and invoices")).to_be_visible()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "billing-school-subscribed.png"), full_page=True)

    page.get_by_role("button", name="Manage payment details and invoices").click()
    assert page.url.startswith(fake.url + "/portal/")

    head_page = page.context.new_page()
    sign_in_browser(head_page, web_server, school, "head.zeta@example.test")
    panel = head_page.get_by_test_id("billing-panel")
    assert panel.get_by_test_id("billing-status").inner_text() == "Subscribed, in free trial"
