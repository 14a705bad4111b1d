"""Item 11: two-step sign-in (TOTP and recovery codes).

Required for SENCos, headteachers and every trust role; optional for others unless their trust
requires it for all staff; remembered per browser for 30 days; API tokens only with a code."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from apps.security.models import TrustSecurityPolicy
from tenants.models import User
from tenants.roles import SchoolRole
from tenants.services import school_membership_set
from tests.conftest import PASSWORD, sign_in_browser
from tests.support import host_for, mfa_code, sign_in_two_steps


def password_only(client: Client, email: str):
    return client.post("/accounts/sign-in/", {"username": email, "password": PASSWORD})


def new_staff(school, role: str, email: str) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, full_name="New Person")
    school_membership_set(acting_user=None, user=user, school=school, role=role)
    return user


def test_a_senco_with_an_authenticator_must_enter_a_code(people, school_a):
    client = Client(HTTP_HOST=host_for(school_a))
    password_only(client, people["senco_a"].email)
    response = client.get("/pupils/")
    assert response.status_code == 302 and "/accounts/two-step/" in response["Location"]
    assert client.get("/api/v1/pupils/").status_code == 403
    wrong = client.post("/accounts/two-step/", {"code": "000000"})
    assert wrong.status_code == 400 and "not right" in wrong.content.decode()
    assert client.get("/pupils/").status_code == 302
    right = client.post("/accounts/two-step/", {"code": mfa_code(people["senco_a"])})
    assert right.status_code == 302
    assert client.get("/pupils/").status_code == 200


@pytest.mark.parametrize("role", [SchoolRole.SENCO, SchoolRole.HEADTEACHER])
def test_a_required_role_without_an_authenticator_must_set_one_up(school_a, role):
    user = new_staff(school_a, role, f"new-{role}@example.test")
    client = Client(HTTP_HOST=host_for(school_a))
    password_only(client, user.email)
    response = client.get("/pupils/")
    assert response.status_code == 302 and "/accounts/two-step/set-up/" in response["Location"]
    page = client.get("/accounts/two-step/set-up/")
    assert page.status_code == 200 and "data:image/svg+xml" in page.content.decode()
    secret = re.search(r'data-testid="mfa-secret">([A-Z2-7 ]+)<', page.content.decode()).group(1)
    done = client.post("/accounts/two-step/set-up/", {"code": mfa_code(key=secret)})
    codes = re.findall(r"<li><code>(\w+)</code></li>", done.content.decode())
    assert len(codes) == 10
    assert client.get("/pupils/").status_code == 200
    # A recovery code works once, on another browser.
    other = Client(HTTP_HOST=host_for(school_a))
    password_only(other, user.email)
    assert other.post("/accounts/two-step/", {"code": codes[0]}).status_code == 302
    assert other.get("/pupils/").status_code == 200
    third = Client(HTTP_HOST=host_for(school_a))
    password_only(third, user.email)
    assert third.post("/accounts/two-step/", {"code": codes[0]}).status_code == 400


def test_trust_staff_need_it_too(people):
    client = Client(HTTP_HOST=host_for(None))
    password_only(client, people["trust_viewer_a"].email)
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/two-step/" in response["Location"]


def test_a_teacher_may_go_without(school_a):
    user = new_staff(school_a, SchoolRole.TEACHER, "plain-teacher@example.test")
    client = Client(HTTP_HOST=host_for(school_a))
    password_only(client, user.email)
    assert client.get("/").status_code == 200


def test_a_trust_admin_can_require_it_for_every_member_of_staff(
    people, school_a, trust_a, client_for
):
    user = new_staff(school_a, SchoolRole.TEACHER, "policy-teacher@example.test")
    admin = client_for(people["trust_trust_admin_a"])
    assert admin.get("/security/trust/").status_code == 200
    admin.post("/security/trust/", {"require_mfa_for_all_staff": "on"})
    assert TrustSecurityPolicy.objects.get(trust=trust_a).require_mfa_for_all_staff
    client = Client(HTTP_HOST=host_for(school_a))
    password_only(client, user.email)
    response = client.get("/")
    assert response.status_code == 302 and "/set-up/" in response["Location"]
    # Only a trust admin sets it.
    assert client_for(people["trust_viewer_a"]).get("/security/trust/").status_code == 404


def test_a_remembered_browser_skips_the_code_for_30_days_until_the_password_changes(
    people, school_a
):
    user = people["headteacher_a"]
    client = Client(HTTP_HOST=host_for(school_a))
    sign_in_two_steps(client, user.email, PASSWORD, remember=True)
    assert client.get("/").status_code == 200
    cookie = client.cookies["sencohub_mfa_device"]
    assert int(cookie["max-age"]) == 30 * 24 * 3600 and cookie["httponly"]
    client.post("/accounts/sign-out/")
    password_only(client, user.email)
    assert client.get("/").status_code == 200  # no code asked
    fresh = User.objects.get(pk=user.pk)
    fresh.set_password("another-long-passphrase")
    fresh.save()
    client.post("/accounts/sign-out/")
    client.post(
        "/accounts/sign-in/", {"username": user.email, "password": "another-long-passphrase"}
    )
    assert client.get("/").status_code == 302  # the remembered browser is forgotten


def test_an_api_token_needs_the_code_where_two_step_is_required(people, school_a):
    client = Client(HTTP_HOST=host_for(school_a))
    body = {"email": people["senco_a"].email, "password": PASSWORD}
    without = client.post("/api/v1/auth/token/", body, content_type="application/json")
    assert without.status_code in (401, 403)
    assert "two-step" in without.json()["detail"].lower()
    assert "token" not in without.json()
    wrong = client.post(
        "/api/v1/auth/token/", {**body, "otp": "000000"}, content_type="application/json"
    )
    assert wrong.status_code in (401, 403)
    right = client.post(
        "/api/v1/auth/token/",
        {**body, "otp": mfa_code(people["senco_a"])},
        content_type="application/json",
    )
    assert right.status_code == 200 and right.json()["token"]


def test_a_hop_from_a_session_that_passed_carries_it(people, school_a, client_for):
    platform = client_for(people["trust_send_lead_a"])  # passed two-step on the platform
    response = platform.get(f"/switch/{school_a.slug}/")
    hop = response["Location"].split(host_for(school_a))[-1].lstrip(":0123456789")
    school = Client(HTTP_HOST=host_for(school_a))
    assert school.get(hop).status_code == 302
    assert school.get("/pupils/").status_code == 200


@pytest.mark.e2e
def test_a_senco_signs_in_with_a_code_in_the_browser(page, web_server, harness, committed):
    school = harness["school_a"]
    page.goto(web_server.url(school, "/accounts/sign-in/"))
    page.get_by_label("Email address").fill("senco_a@example.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/two-step/**")
    page.get_by_label("Code", exact=True).fill("123456")
    page.get_by_role("button", name="Continue").click()
    assert "not right" in page.content()
    page.get_by_label("Code", exact=True).fill(mfa_code(harness["senco_a"]))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert "/accounts/two-step/" not in page.url
    page.goto(web_server.url(school, "/pupils/"))
    assert "/pupils/" in page.url and page.get_by_role("heading", level=1).count() >= 1


@pytest.mark.e2e
def test_the_browser_sign_in_helper_sets_up_a_new_head(page, web_server, harness, committed):
    school = harness["school_a"]
    user = new_staff(school, SchoolRole.HEADTEACHER, "browser-head@example.test")
    committed.cleanup(user.delete)
    sign_in_browser(page, web_server, school, user.email)
    page.goto(web_server.url(school, "/pupils/"))
    assert "/pupils/" in page.url
