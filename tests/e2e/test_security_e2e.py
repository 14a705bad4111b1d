"""Item 11 in a real browser: a head who lost their phone signs in with a recovery code, is
offered a new authenticator straight away, sets it up, and finds the Security page by clicking
(1366 px)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.support import give_mfa_device, in_school, mfa_code

pytestmark = pytest.mark.e2e


@pytest.fixture
def head_who_lost_their_phone(harness, committed):
    from apps.audit.models import AuditEvent
    from apps.security import mfa
    from tenants.models import User
    from tenants.roles import SchoolRole
    from tenants.services import school_membership_set

    school = harness["school_a"]
    with in_school(school):
        last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    user = User.objects.create_user(
        email="lost-phone-head@example.test", password=PASSWORD, full_name="Lorna Lostphone"
    )
    school_membership_set(acting_user=None, user=user, school=school, role=SchoolRole.HEADTEACHER)
    old_device = give_mfa_device(user)
    codes = mfa.recovery_codes_renew(acting_user=user)

    def cleanup():
        with in_school(school):
            AuditEvent.objects.filter(id__gt=last).delete()
        user.delete()

    committed.cleanup(cleanup)
    return {"school": school, "user": user, "codes": codes, "old_device": old_device}


def test_sign_in_with_a_recovery_code_then_set_up_a_new_authenticator(
    page, web_server, harness, head_who_lost_their_phone
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from apps.security.models import SecurityEvent

    school = head_who_lost_their_phone["school"]
    user = head_who_lost_their_phone["user"]
    page.goto(web_server.url(school, "/accounts/sign-in/"))
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/two-step/**")
    page.get_by_label("Code", exact=True).fill(head_who_lost_their_phone["codes"][0])
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/accounts/two-step/recovery-used/**")
    expect(page.get_by_test_id("codes-left")).to_contain_text("9 recovery codes left")
    page.get_by_role("link", name="Set up a new authenticator app").click()
    page.wait_for_url("**/accounts/two-step/set-up/**")
    secret = page.get_by_test_id("mfa-secret").inner_text()
    page.get_by_label("Code from the app").fill(mfa_code(key=secret))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    page.get_by_role("link", name="Continue").click()
    page.wait_for_load_state()
    # The old authenticator is gone; the new one is the only one.
    devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    assert [d.pk for d in devices] != [head_who_lost_their_phone["old_device"].pk]
    assert len(devices) == 1
    # The Security page is one click away, and shows what happened.
    page.get_by_role("region", name="Your account").get_by_role("link", name="Security").click()
    page.wait_for_url(web_server.url(school, "/security/"))
    expect(page.get_by_test_id("two-step-status")).to_contain_text("on")
    events = page.get_by_test_id("my-security-events")
    expect(events).to_contain_text("Signed in with a recovery code")
    expect(events).to_contain_text("Set up two-step sign-in")
    assert set(SecurityEvent.objects.filter(user=user).values_list("kind", flat=True)) >= {
        "recovery_code_used",
        "two_step_set_up",
    }
    # Signing in again needs the NEW app's code.
    page.get_by_role("button", name="Sign out").click()
    # The form itself: without ?checked=1 the page first asks the platform host, where this
    # browser is still signed in (the two-step page passed through it) and would offer
    # "Continue as".
    page.goto(web_server.url(school, "/accounts/sign-in/?checked=1"))
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/two-step/**")
    page.get_by_label("Code", exact=True).fill(mfa_code(user))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert "/accounts/two-step/" not in page.url
