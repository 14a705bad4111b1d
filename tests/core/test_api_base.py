"""The API base: tokens, sessions per host, JSON errors, scoping contract, OpenAPI schema."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from rest_framework.test import APIClient

from apps.security import mfa
from tests.conftest import PASSWORD
from tests.support import host_for, in_school, mfa_code, signed_in_client


def token_for(host: str, email: str, password: str = PASSWORD):
    from tenants.models import User

    user = User.objects.filter(email__iexact=email).first()
    otp = mfa_code(user) if user is not None and mfa.has_mfa(user) else ""
    return APIClient(HTTP_HOST=host).post(
        "/api/v1/auth/token/", {"email": email, "password": password, "otp": otp}, format="json"
    )


@pytest.mark.parametrize("where", ["platform", "school"])
def test_token_is_issued_on_every_host(people, school_a, where):
    response = token_for(host_for(school_a if where == "school" else None), "senco_a@example.test")
    assert response.status_code == 200
    assert set(response.json()) == {"token", "name", "expiry"}
    assert response.json()["token"].startswith("sh_") and len(response.json()["token"]) == 67


def test_token_request_errors_are_precise(people, school_a):
    client = APIClient(HTTP_HOST=host_for(school_a))
    missing = client.post("/api/v1/auth/token/", {"email": "senco_a@example.test"}, format="json")
    assert missing.status_code == 400
    assert missing.json() == {
        "detail": "password: This field is required.",
        "errors": {"password": ["This field is required."]},
    }
    bad_email = client.post(
        "/api/v1/auth/token/", {"email": "not-an-email", "password": "x"}, format="json"
    )
    assert bad_email.status_code == 400 and bad_email.json()["errors"]["email"] == [
        "Enter a valid email address."
    ]
    wrong = token_for(host_for(school_a), "senco_a@example.test", "nope")
    assert wrong.status_code in (401, 403)
    assert wrong.json() == {"detail": "The email address or password is not correct."}
    malformed = client.post("/api/v1/auth/token/", "{not json", content_type="application/json")
    assert malformed.status_code == 400 and "JSON parse error" in malformed.json()["detail"]


def test_token_works_on_every_host_the_user_may_access(people, school_a, school_b):
    token = token_for(host_for(None), "senco_a@example.test").json()["token"]
    mine = APIClient(HTTP_HOST=host_for(school_a), HTTP_AUTHORIZATION=f"Token {token}").get(
        "/api/v1/me/"
    )
    assert mine.status_code == 200
    assert mine.json()["school"] == "Alpha Primary" and mine.json()["role"] == "senco"
    theirs = APIClient(HTTP_HOST=host_for(school_b), HTTP_AUTHORIZATION=f"Token {token}").get(
        "/api/v1/me/"
    )
    assert theirs.status_code == 403 and theirs.json() == {
        "detail": "You do not have access to Beta Primary."
    }


def test_bad_token_is_401_json(school_a):
    response = APIClient(HTTP_HOST=host_for(school_a), HTTP_AUTHORIZATION="Token deadbeef").get(
        "/api/v1/me/"
    )
    assert response.status_code == 401 and response.json() == {
        "detail": "Invalid or expired token."
    }


def test_no_credentials_is_401_json(school_a):
    response = APIClient(HTTP_HOST=host_for(school_a)).get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_session_from_another_host_is_not_accepted_by_the_api(people, school_a, school_b):
    client = signed_in_client(people["senco_b"], school_b, api=True)
    assert client.get("/api/v1/me/").status_code == 200
    replay = client.get("/api/v1/me/", HTTP_HOST=host_for(school_a))
    assert replay.status_code == 401


def test_platform_me_for_trust_staff(api_for, people):
    response = api_for(people["trust_trust_admin_a"]).get("/api/v1/me/")
    assert response.status_code == 200 and response.json()["school"] is None


@pytest.mark.parametrize("where", ["platform", "school"])
def test_openapi_schema_and_docs(people, school_a, where):
    school = school_a if where == "school" else None
    client = APIClient(HTTP_HOST=host_for(school))
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    doc = schema.json()
    assert doc["openapi"].startswith("3.") and "/api/v1/auth/token/" in doc["paths"]
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()


@pytest.fixture
def probe(settings):
    settings.ROOT_URLCONF = "tests.core.api_probe_urls"


def test_base_viewset_reads_only_the_current_schema(probe, api_for, people, school_a, school_b):
    with in_school(school_b):
        ContentType.objects.create(app_label="only_in_b", model="thing")
    rows = api_for(people["senco_a"], school_a).get("/api/v1/probe/").json()["results"]
    assert rows and "only_in_b" not in {r["app_label"] for r in rows}
    b_rows = api_for(people["senco_b"], school_b).get("/api/v1/probe/").json()["results"]
    assert "only_in_b" in {r["app_label"] for r in b_rows}


def test_base_viewset_applies_the_user_scope(probe, api_for, people, school_a):
    teacher_rows = api_for(people["teacher_a"], school_a).get("/api/v1/probe/").json()["results"]
    assert teacher_rows and {r["app_label"] for r in teacher_rows} == {"tenants"}
    hidden = ContentType.objects.exclude(app_label="tenants").first()
    assert api_for(people["teacher_a"], school_a).get(f"/api/v1/probe/{hidden.pk}/").json() == {
        "detail": "Not found."
    }


def test_base_viewset_role_checks(probe, api_for, people, school_a):
    assert api_for(people["teaching_assistant_a"], school_a).get("/api/v1/probe/").json() == {
        "detail": "Your role cannot see this."
    }
    denied = api_for(people["teacher_a"], school_a).post(
        "/api/v1/probe/", {"app_label": "x", "model": "y"}, format="json"
    )
    assert denied.status_code == 403 and denied.json() == {
        "detail": "Your role cannot change this."
    }
    bad = api_for(people["senco_a"], school_a).post(
        "/api/v1/probe/", {"app_label": "x"}, format="json"
    )
    assert bad.status_code == 400 and bad.json()["errors"] == {"model": ["This field is required."]}


def test_trust_staff_admitted_to_a_school_cannot_write(probe, api_for, people, school_a):
    client = api_for(people["trust_send_lead_a"], school_a)
    assert client.get("/api/v1/probe/").status_code == 200
    denied = client.post("/api/v1/probe/", {"app_label": "x", "model": "y"}, format="json")
    assert denied.json() == {
        "detail": "Trust staff can read a school's records but not change them."
    }


def test_forgetting_the_user_scope_fails_loudly(probe, api_for, people, school_a):
    with pytest.raises(NotImplementedError, match="scope_queryset_for_user"):
        api_for(people["senco_a"], school_a).get("/api/v1/forgetful/")


def test_school_endpoint_refused_on_the_platform_host(probe, api_for, people):
    # The probe routes exist only in the school URLconf; on the platform host they are 404.
    assert api_for(people["trust_trust_admin_a"]).get("/api/v1/probe/").status_code == 404
