"""The page shell in a real browser against gunicorn: sign-in, landmarks, skip link, switcher."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import sign_in_browser

pytestmark = pytest.mark.e2e
SHOTS = Path(__file__).resolve().parents[2] / "test-results"


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_sign_in_and_accessible_shell(page, web_server, harness):
    school = harness["school_a"]
    page.goto(web_server.url(school, "/"))
    assert "/accounts/sign-in/" in page.url
    shot(page, "sign-in")
    sign_in_browser(page, web_server, school, "senco_a@example.test")
    assert page.url == web_server.url(school, "/")
    assert page.get_by_role("banner").count() == 1
    assert page.get_by_role("main").count() == 1
    assert page.get_by_role("navigation", name="Main").count() == 1
    assert page.get_by_test_id("current-role").inner_text() == "SENCo"
    assert "Alpha Primary" in page.title()
    # The first Tab lands on the skip link, which moves focus to the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    shot(page, "school-home")


def test_wrong_password_shows_the_error_summary(page, web_server, harness):
    sign_in_browser(
        page, web_server, harness["school_a"], "senco_a@example.test", "not-my-password"
    )
    assert "/accounts/sign-in/" in page.url
    expect(page.get_by_text("Enter a correct email address and password").first).to_be_visible()


def test_switcher_moves_between_schools_signed_in(page, web_server, harness, committed):
    from tenants.models import SchoolMembership
    from tenants.services import school_membership_set

    user, school_a, school_b = harness["teacher_a"], harness["school_a"], harness["school_b"]
    membership = school_membership_set(acting_user=None, user=user, school=school_b, role="teacher")
    committed.cleanup(SchoolMembership.objects.filter(pk=membership.pk).delete)

    sign_in_browser(page, web_server, school_a, "teacher_a@example.test")
    page.get_by_label("School", exact=True).select_option(label="Beta Primary")
    page.get_by_role("button", name="Go").click()
    page.wait_for_url(web_server.url(school_b, "/"))
    assert "Beta Primary" in page.title()
    assert page.get_by_test_id("current-role").inner_text() == "Teacher"
    shot(page, "after-switch")


def test_non_member_sees_a_clear_403(page, web_server, harness):
    sign_in_browser(page, web_server, harness["school_b"], "senco_a@example.test")
    expect(page.get_by_role("heading", level=1).first).to_be_visible()
    expect(page.get_by_text("You do not have access to Beta Primary")).to_be_visible()
