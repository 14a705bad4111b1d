"""How requests are authenticated, over real HTTP: tokens alone and never CSRF-checked, cookie
sessions always CSRF-checked; the token lifecycle; bad credentials."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from tests.support import otp_for

from .contract import covers
from .helpers import browser_session, make_pupil


@covers("POST /api/v1/auth/token/")
def test_a_token_is_issued_hashed_named_and_expiring(http_world, api):
    response = api(None, school=None).post(
        "/api/v1/auth/token/",
        json={
            "email": http_world.people["senco"].email,
            "password": "correct-horse-battery",
            "name": "MIS sync",
            "otp": otp_for(http_world.people["senco"].email),
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "MIS sync" and body["token"].startswith("sh_")
    expiry = dt.datetime.fromisoformat(body["expiry"])
    days = (expiry - dt.datetime.now(dt.UTC)).total_seconds() / 86400
    assert 29.9 < days <= 30

    from apps.api_access.models import ApiToken

    stored = http_world.db(lambda: list(ApiToken.objects.filter(name="MIS sync").values()))
    assert len(stored) == 1
    assert body["token"] not in str(stored)  # only a hash is kept


@covers("POST /api/v1/auth/token/")
def test_a_wrong_password_gets_401_json_and_no_token(http_world, api):
    from apps.api_access.models import ApiToken

    before = http_world.db(ApiToken.objects.count)
    response = api(None).post(
        "/api/v1/auth/token/",
        json={"email": http_world.people["senco"].email, "password": "wrong"},
    )
    assert response.status_code == 401
    assert response.json() == {"detail": "The email address or password is not correct."}
    assert http_world.db(ApiToken.objects.count) == before


@covers("POST /api/v1/pupils/search/")
def test_a_token_write_is_not_subject_to_csrf(http_world, api):
    """The bug of issue #9: every token write answered 403 "CSRF cookie not set"."""
    make_pupil(http_world, first_name="Tokenwrite", last_name="Pupil")
    response = api("senco").post("/api/v1/pupils/search/", json={"search": "Tokenwrite"})
    assert response.status_code == 200, response.text
    assert [p["first_name"] for p in response.json()["results"]] == ["Tokenwrite"]


@covers("POST /api/v1/concerns/")
def test_a_token_alone_authenticates_a_session_cookie_alongside_is_ignored(http_world, reached):
    pupil = make_pupil(http_world)
    session = browser_session(http_world, "governor", reached=reached)  # may not raise concerns
    token = http_world.token("teacher")
    response = session.post(
        "/api/v1/concerns/",
        json={"pupil": pupil.pk, "what_seen": "Covers ears in assembly"},
        headers={"Authorization": f"Token {token}"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["raised_by_name"] == "HTTP teacher"
    # and the token request did not need the session's CSRF token either


@covers("POST /api/v1/concerns/")
def test_a_session_write_without_csrf_is_refused_and_writes_nothing(http_world, reached):
    from apps.pupils.models import Concern

    pupil = make_pupil(http_world)
    session = browser_session(http_world, "senco", reached=reached)
    before = http_world.in_school(Concern.objects.count)
    response = session.post("/api/v1/concerns/", json={"pupil": pupil.pk, "what_seen": "x"})
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/json"
    assert response.json()["detail"].startswith("CSRF check failed")
    assert "Authorization: Token" in response.json()["detail"]
    assert http_world.in_school(Concern.objects.count) == before

    with_csrf = session.post(
        "/api/v1/concerns/",
        json={"pupil": pupil.pk, "what_seen": "Reads well one to one"},
        headers={
            "X-CSRFToken": session.cookies["csrftoken"],
            "Referer": http_world.url("/pupils/"),
        },
    )
    assert with_csrf.status_code == 201, with_csrf.text
    assert http_world.in_school(Concern.objects.count) == before + 1


def test_a_page_form_without_csrf_is_refused(http_world):
    session = browser_session(http_world, "senco")
    response = session.post("/concerns/new/", data={"what_seen": "x"})
    assert response.status_code == 403


@covers("DELETE /api/v1/auth/token/")
def test_delete_revokes_the_token_that_made_the_request(http_world, api):
    token = http_world.issue_token("senco", name="to revoke")
    other = http_world.issue_token("senco", name="keeps working")
    client = api(token=token)
    assert client.get("/api/v1/me/").status_code == 200
    response = client.delete("/api/v1/auth/token/")
    assert response.status_code == 204 and response.content == b""
    after = client.get("/api/v1/me/")
    assert after.status_code == 401 and after.json() == {"detail": "Invalid or expired token."}
    assert api(token=other).get("/api/v1/me/").status_code == 200


@pytest.mark.parametrize(
    "header",
    ["Token", "Token a b", "Bearer abc", "Basic c2VuY286cGFzcw==", "token sh_abc", ""],
)
def test_a_malformed_authorization_header_is_401_json(http_world, header):
    with httpx.Client(**http_world.client_kwargs()) as client:
        response = client.get("/api/v1/pupils/", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/json"
    assert response.headers["www-authenticate"] == "Token"
    assert "detail" in response.json()


def test_wrong_expired_and_revoked_tokens_are_401_never_a_redirect(http_world):
    from apps.api_access.models import ApiToken

    expired = http_world.issue_token("senco", name="expired")
    http_world.db(
        lambda: ApiToken.objects.filter(name="expired").update(
            expiry=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
        )
    )
    for token in ("sh_" + "0" * 64, expired, "nonsense"):
        with httpx.Client(**http_world.client_kwargs()) as client:
            response = client.get(
                "/api/v1/pupils/",
                headers={"Authorization": f"Token {token}"},
                follow_redirects=False,
            )
        assert response.status_code == 401, token
        assert response.json() == {"detail": "Invalid or expired token."}
    assert not http_world.db(ApiToken.objects.filter(name="expired").exists)


def test_a_token_on_a_school_the_user_cannot_access_is_403(http_world, api):
    response = api("senco", school=http_world.other_school).get("/api/v1/pupils/")
    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have access to Beta Primary."}


def test_tokens_are_not_per_host(http_world, api):
    token = http_world.issue_token("senco", name="any host")
    assert api(token=token).get("/api/v1/me/").json()["role"] == "senco"
    assert api(token=token, school=None).get("/api/v1/me/").json()["school"] is None


def test_a_password_change_revokes_every_token(http_world, api):
    from tenants.models import User

    from ..conftest import PASSWORD

    email = http_world.people["office"].email
    token = http_world.issue_token("office", name="before the change")
    assert api(token=token).get("/api/v1/me/").status_code == 200

    def change(password: str) -> None:
        user = User.objects.get(email=email)
        user.set_password(password)
        user.save()

    http_world.db(lambda: change("a-brand-new-passphrase"))
    try:
        assert api(token=token).get("/api/v1/me/").status_code == 401
    finally:
        http_world.db(lambda: change(PASSWORD))
        http_world.tokens.pop("office", None)


def test_deactivation_and_removal_from_the_school_take_effect_at_once(http_world, api):
    from tenants.models import SchoolMembership, User
    from tenants.roles import SchoolRole
    from tenants.services import school_membership_set

    ta = http_world.people["teaching_assistant"]
    token = http_world.issue_token("teaching_assistant", name="ta script")
    assert api(token=token).get("/api/v1/pupils/").status_code == 200

    http_world.db(lambda: SchoolMembership.objects.filter(user=ta).delete())
    try:
        refused = api(token=token).get("/api/v1/pupils/")
        assert refused.status_code == 403
    finally:
        http_world.db(
            lambda: school_membership_set(
                acting_user=None,
                user=ta,
                school=http_world.school,
                role=SchoolRole.TEACHING_ASSISTANT,
            )
        )
    assert api(token=token).get("/api/v1/pupils/").status_code == 200

    http_world.db(lambda: User.objects.filter(pk=ta.pk).update(is_active=False))
    try:
        assert api(token=token).get("/api/v1/pupils/").status_code == 401
    finally:
        http_world.db(lambda: User.objects.filter(pk=ta.pk).update(is_active=True))
        http_world.tokens.pop("teaching_assistant", None)


def test_malformed_and_oversized_json_bodies_are_400_naming_the_problem(http_world, api):
    client = api("senco")
    malformed = client.post(
        "/api/v1/concerns/", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert malformed.status_code == 400
    assert "JSON parse error" in malformed.json()["detail"]
    huge = b'{"what_seen": "' + b"x" * (3 * 1024 * 1024) + b'"}'
    oversized = client.post(
        "/api/v1/concerns/", content=huge, headers={"Content-Type": "application/json"}
    )
    assert oversized.status_code == 400
    assert oversized.headers["content-type"] == "application/json"
    assert "too large" in oversized.json()["detail"]
