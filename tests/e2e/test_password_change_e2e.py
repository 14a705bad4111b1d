"""#11 item 12 in a real browser: two browsers signed in as the same person (each on a school's
host and, through the sign-in's pass-through, on the platform host); the person changes their
password in one, from the account bar; the other is signed out on its next request, on both
hosts; a copy of the changing browser's own cookie taken before the change is worth nothing;
the notice email goes out through the real worker (1366 px)."""

from __future__ import annotations

import time

import httpx
import pytest
from playwright.sync_api import expect

from tests.conftest import DESKTOP, PASSWORD, sign_in_browser
from tests.support import in_school

pytestmark = pytest.mark.e2e

NEW = "Tulip-Kettle-Orbit-93"


@pytest.fixture
def changer(harness, committed):
    from apps.audit.models import AuditEvent
    from tenants.models import User
    from tenants.roles import SchoolRole
    from tenants.services import school_membership_set

    school = harness["school_a"]
    with in_school(school):
        last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    user = User.objects.create_user(
        email="e2e-pat@example.test", password=PASSWORD, full_name="Pat Changer"
    )
    school_membership_set(acting_user=None, user=user, school=school, role=SchoolRole.TEACHER)

    def cleanup():
        with in_school(school):
            AuditEvent.objects.filter(id__gt=last).delete()
        user.delete()

    committed.cleanup(cleanup)
    return user


def _signed_out(tab) -> bool:
    tab.wait_for_load_state()
    return "/accounts/sign-in/" in tab.url and tab.get_by_label("Password").is_visible()


def _notice_for(mail_dir, email: str, old: set, timeout: float = 30) -> str | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in set(mail_dir.glob("*.log")) - old:
            text = path.read_text()
            if email in text and "Your SENCo Hub password was changed" in text:
                return text
        time.sleep(0.5)
    return None


@pytest.mark.parametrize("where", ["platform", "school"])
def test_a_password_change_signs_out_the_other_browser_on_every_host(
    page, browser, web_server, harness, changer, celery_worker, where
):
    school = harness["school_a"]
    host = school if where == "school" else None
    mail_before = set(celery_worker["mail_dir"].glob("*.log"))
    # The other browser: signed in on the school's host, and so on the platform host too.
    other_context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    other = other_context.new_page()
    try:
        sign_in_browser(other, web_server, school, changer.email)
        other.goto(web_server.url(school, "/"))
        assert not _signed_out(other)
        other.goto(web_server.url(None, "/security/"))
        expect(other.get_by_role("heading", name="Security", exact=True)).to_be_visible()

        # This browser: signs in, finds the page from the account bar.
        sign_in_browser(page, web_server, host, changer.email)
        page.goto(web_server.url(host, "/"))
        page.get_by_role("region", name="Your account").get_by_role(
            "link", name="Change password"
        ).click()
        page.wait_for_url(web_server.url(host, "/security/password/"))
        # An attacker's copy of this browser's session cookie, taken before the change.
        copied = {c["name"]: c["value"] for c in page.context.cookies(web_server.url(host, "/"))}

        page.get_by_label("Current password").fill("not-my-password")
        page.get_by_label("New password", exact=True).fill(NEW)
        page.get_by_label("Type the new password again").fill(NEW)
        page.get_by_role("button", name="Change password").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Your current password is not right"
        )
        page.get_by_label("Current password").fill(PASSWORD)
        page.get_by_label("New password", exact=True).fill("password123")
        page.get_by_label("Type the new password again").fill("password123")
        page.get_by_role("button", name="Change password").click()
        expect(page.locator("#id_new_password2_error")).to_contain_text("too common")

        page.get_by_label("Current password").fill(PASSWORD)
        page.get_by_label("New password", exact=True).fill(NEW)
        page.get_by_label("Type the new password again").fill(NEW)
        page.get_by_role("button", name="Change password").click()
        page.wait_for_url(web_server.url(host, "/security/"))
        expect(page.get_by_role("alert")).to_contain_text("Your password is changed")
        expect(page.get_by_test_id("my-security-events")).to_contain_text("Password changed")
        # This browser stays signed in where it changed it.
        page.goto(web_server.url(host, "/"))
        assert not _signed_out(page)

        # The other browser is signed out on its next request, on the school's host and on the
        # platform host.
        other.goto(web_server.url(school, "/"))
        assert _signed_out(other)
        other.goto(web_server.url(None, "/security/"))
        assert _signed_out(other)

        # The copied cookie: signed out too (the changing session got a new key).
        replay = httpx.get(
            f"http://127.0.0.1:{web_server.port}/security/",
            headers={"Host": web_server.url(host, "/").split("/")[2]},
            cookies={"sencohub_session": copied["sencohub_session"]},
        )
        assert replay.status_code == 302 and "/accounts/sign-in/" in replay.headers["location"]

        # Signing in with the new password works; the old one does not.
        other.goto(web_server.url(school, "/accounts/sign-in/?checked=1"))
        other.get_by_label("Email address").fill(changer.email)
        other.get_by_label("Password").fill(PASSWORD)
        other.get_by_role("button", name="Sign in").click()
        expect(other.locator(".govuk-error-summary")).to_be_visible()
        other.get_by_label("Password").fill(NEW)
        other.get_by_role("button", name="Sign in").click()
        other.wait_for_load_state()
        other.goto(web_server.url(school, "/"))
        assert not _signed_out(other)
    finally:
        other_context.close()

    notice = _notice_for(celery_worker["mail_dir"], changer.email, mail_before)
    assert notice is not None, "the worker sent no notice of the change"
    assert "If this was not you" in notice
