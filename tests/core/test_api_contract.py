"""What every endpoint promises a script: one list shape, ETags on reads, idempotent creates,
a rate limit per token with Retry-After, CSRF for browser sessions only."""

from __future__ import annotations

import uuid

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from apps.pupils.models import Concern
from tests.pupils.factories import make_pupil
from tests.support import host_for, signed_in_client


@pytest.fixture
def pupil(school_a, school_context):
    with school_context(school_a):
        return make_pupil(first_name="Etag", last_name="Pupil")


def test_pupil_reads_carry_an_etag_and_answer_304_when_unchanged(people, school_a, api_for, pupil):
    client = api_for(people["senco_a"], school_a)
    first = client.get(f"/api/v1/pupils/{pupil.pk}/")
    etag = first["ETag"]
    assert first.status_code == 200 and etag.startswith('"')

    same = client.get(f"/api/v1/pupils/{pupil.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert same.status_code == 304 and same.content == b"" and same["ETag"] == etag

    client.patch(f"/api/v1/pupils/{pupil.pk}/", {"form": "5Q"}, format="json")
    changed = client.get(f"/api/v1/pupils/{pupil.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert changed.json()["form"] == "5Q"


def test_idempotency_key_makes_a_retried_create_create_nothing_twice(
    people, school_a, api_for, pupil, school_context
):
    client = api_for(people["teacher_a"], school_a)
    key = str(uuid.uuid4())
    body = {"pupil": pupil.pk, "what_seen": "Avoids reading aloud"}
    first = client.post("/api/v1/concerns/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    retry = client.post("/api/v1/concerns/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json() and retry["Idempotent-Replayed"] == "true"
    with school_context(school_a):
        assert Concern.objects.filter(what_seen="Avoids reading aloud").count() == 1

    reused = client.post(
        "/api/v1/concerns/",
        {**body, "what_seen": "Something else"},
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )
    assert reused.status_code == 422 and "different request" in reused.json()["detail"]

    # Another person's identical key is theirs alone.
    other = api_for(people["senco_a"], school_a).post(
        "/api/v1/concerns/", body, format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]


def test_a_failed_create_is_not_kept_so_the_retry_runs(people, school_a, api_for, pupil):
    client = api_for(people["teacher_a"], school_a)
    key = str(uuid.uuid4())
    bad = client.post(
        "/api/v1/concerns/", {"pupil": pupil.pk}, format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    assert bad.status_code == 400
    good = client.post(
        "/api/v1/concerns/",
        {"pupil": pupil.pk, "what_seen": "Fixed body"},
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )
    assert good.status_code == 201


def test_a_refused_request_never_claims_or_replays_a_key(people, school_a, api_for, pupil):
    key = str(uuid.uuid4())
    body = {"pupil": pupil.pk, "what_seen": "Refused first"}
    refused = api_for(people["governor_a"], school_a).post(
        "/api/v1/concerns/", body, format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    assert refused.status_code == 403


def test_an_unusable_idempotency_key_is_400(people, school_a, api_for, pupil):
    response = api_for(people["teacher_a"], school_a).post(
        "/api/v1/concerns/",
        {"pupil": pupil.pk, "what_seen": "x"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k" * 300,
    )
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["errors"]


def test_beyond_the_rate_limit_a_token_gets_429_with_retry_after(people, school_a, api_for):
    with override_settings(API_RATE_LIMIT="3/min"):
        client = api_for(people["senco_a"], school_a)
        statuses = [client.get("/api/v1/me/").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        limited = client.get("/api/v1/me/")
        assert limited.status_code == 429
        assert 1 <= int(limited["Retry-After"]) <= 60
        assert limited.json()["detail"].startswith("Request was throttled")
        # Each token has its own budget.
        assert api_for(people["senco_a"], school_a).get("/api/v1/me/").status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/api/v1/pupils/", "/api/v1/concerns/", "/api/v1/imports/"],
)
def test_every_list_has_the_same_shape(people, school_a, api_for, path):
    body = api_for(people["senco_a"], school_a).get(path).json()
    assert set(body) == {"count", "next", "previous", "results"}


def test_page_size_is_honoured_and_bounded(people, school_a, api_for, school_context):
    with school_context(school_a):
        for n in range(3):
            make_pupil(first_name=f"Paged{n}")
    client = api_for(people["senco_a"], school_a)
    first = client.get("/api/v1/pupils/?page_size=2").json()
    assert len(first["results"]) == 2 and first["next"] and first["previous"] is None
    huge = client.get("/api/v1/pupils/?page_size=100000").json()
    assert len(huge["results"]) <= 200


def test_a_browser_session_write_needs_the_csrf_token(people, school_a, pupil, school_context):
    client = signed_in_client(people["senco_a"], school_a, api=True)
    client.handler.enforce_csrf_checks = True
    refused = client.post(
        "/api/v1/concerns/", {"pupil": pupil.pk, "what_seen": "no csrf"}, format="json"
    )
    assert refused.status_code == 403 and refused.json()["detail"].startswith("CSRF check failed")
    with school_context(school_a):
        assert not Concern.objects.filter(what_seen="no csrf").exists()


def test_a_token_write_ignores_csrf_even_with_a_session_cookie(people, school_a, api_for, pupil):
    from apps.api_access.services import api_token_issue

    _, token = api_token_issue(user=people["teacher_a"], name="t")
    client = signed_in_client(people["governor_a"], school_a, api=True)
    client.handler.enforce_csrf_checks = True
    response = client.post(
        "/api/v1/concerns/",
        {"pupil": pupil.pk, "what_seen": "token write"},
        format="json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert response.status_code == 201
    assert response.json()["raised_by_name"] == people["teacher_a"].full_name


def test_host_for_is_the_school_host(school_a):
    assert APIClient(HTTP_HOST=host_for(school_a)).get("/api/v1/me/").status_code == 401
