"""#11 item 3 in a real browser: a school's network address is paused after 20 failed sign-ins;
the trust admin finds it on Sign-in security and lifts it (1366 px); the same pages fit a phone
(390 px). axe-core checks every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import sign_in_browser

pytestmark = pytest.mark.e2e

NAT = "203.0.113.99"


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"{page.url} scrolls sideways: {width}px in a {viewport}px window"


@pytest.fixture
def paused_school_network(harness, committed):
    from apps.security.models import SecurityEvent
    from apps.trust.models import TrustAuditEvent
    from tenants import lockout

    trust = harness["trust_a"]
    for n in range(20):
        lockout.sign_in_failed(email=f"guess-{n}@example.test", address=NAT, trust_ids=[trust.pk])

    def cleanup():
        lockout.address_unlock(NAT)
        SecurityEvent.objects.filter(address=NAT).delete()
        TrustAuditEvent.objects.filter(trust=trust, action="address_lockout_lifted").delete()

    committed.cleanup(cleanup)
    return trust


def test_the_trust_admin_lifts_a_paused_network_address(
    page, web_server, harness, paused_school_network
):
    from tenants import lockout

    sign_in_browser(page, web_server, None, "trust_trust_admin_a@example.test")
    page.goto(web_server.url(None, "/security/"))
    page.get_by_role("link", name="Sign-in security for").click()
    listed = page.get_by_test_id("address-lockouts")
    expect(listed).to_contain_text(NAT)
    listed.get_by_role("button", name="Let this address sign in now").click()
    expect(page.get_by_role("alert")).to_contain_text(f"Everyone at {NAT} can sign in again now")
    expect(page.get_by_test_id("address-lockouts")).to_contain_text("No network address is paused")
    expect(page.get_by_test_id("security-events")).to_contain_text(
        f"Lockout of an address lifted by a trust admin – {NAT}"
    )
    assert lockout.address_lock(NAT) is None


@pytest.mark.phone
def test_phone_security_pages_fit(page, web_server, harness, paused_school_network):
    sign_in_browser(page, web_server, None, "trust_trust_admin_a@example.test")
    for path in ("/security/", "/security/password/", "/security/trust/"):
        page.goto(web_server.url(None, path))
        _no_sideways_scroll(page)
    expect(page.get_by_test_id("address-lockouts")).to_contain_text(NAT)
