"""The support and provision API through a real HTTP server (gunicorn), with a real token from
/api/v1/auth/token/ and an ordinary HTTP client: every unsafe route of issue #12, the CSRF rule
for cookie sessions, and another school's host refusing the token holder."""

from __future__ import annotations

import datetime as dt
from http.cookiejar import DefaultCookiePolicy
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

from tests.conftest import PASSWORD
from tests.http.contract import covers
from tests.support import in_school, otp_for


@pytest.fixture
def http_cast(harness, committed):
    from apps.audit.models import AuditEvent
    from apps.provision.models import Intervention, InterventionGroup
    from apps.pupils.models import Pupil
    from apps.support.models import SupportPlan
    from tests.pupils.factories import make_pupil

    school = harness["school_a"]
    with in_school(school):
        last_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        pupils = [
            make_pupil(first_name="Http", last_name=f"Pupil{n}", provision="K", primary_need="MLD")
            for n in range(2)
        ]

    def cleanup() -> None:
        with in_school(school):
            SupportPlan.objects.filter(pupil__in=pupils).update(previous=None)
            from apps.support.models import Review

            Review.objects.filter(pupil__in=pupils).delete()
            SupportPlan.objects.filter(pupil__in=pupils).delete()
            InterventionGroup.objects.all().delete()
            Intervention.objects.all().delete()
            AuditEvent.objects.filter(id__gt=last_event).delete()
            Pupil.objects.filter(pk__in=[p.pk for p in pupils]).delete()

    committed.cleanup(cleanup)
    return {"school": school, "pupils": pupils}


class HostSession(requests.Session):
    """An ordinary HTTP client that connects to 127.0.0.1 and names the school in the Host
    header (the system resolver may not know *.localhost names; browsers do)."""

    def request(self, method, url, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        parts = urlsplit(url)
        kwargs["headers"] = {**(kwargs.get("headers") or {}), "Host": parts.netloc}
        local = urlunsplit(parts._replace(netloc=f"127.0.0.1:{parts.port}"))
        return super().request(method, local, *args, **kwargs)


def _token_session(web_server, school, email: str) -> HostSession:
    """A client holding a real token and no cookies (a token request carries none; with one,
    CSRF would apply, as it should)."""
    session = HostSession()
    session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    session.headers["Authorization"] = f"Token {_token(web_server, school, email)}"
    return session


def _token(web_server, school, email: str) -> str:
    response = HostSession().post(
        web_server.url(school, "/api/v1/auth/token/"),
        json={"email": email, "password": PASSWORD, "otp": otp_for(email)},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()["token"]


@covers(
    "POST /api/v1/interventions/",
    "PATCH /api/v1/interventions/{id}/",
    "POST /api/v1/intervention-groups/",
    "POST /api/v1/intervention-groups/{id}/sessions/",
    "POST /api/v1/plans/",
    "PUT /api/v1/plans/{id}/",
    "PATCH /api/v1/plans/{id}/",
    "POST /api/v1/plans/{id}/reviews/",
    "POST /api/v1/assessments/",
)
def test_every_unsafe_route_over_real_http_with_a_token(web_server, harness, http_cast):
    school = http_cast["school"]
    pupil, second = http_cast["pupils"]
    today = dt.date.today()
    senco = _token_session(web_server, school, "senco_a@example.test")

    def url(path: str) -> str:
        return web_server.url(school, path)

    lexia = senco.post(
        url("/api/v1/interventions/"),
        json={
            "name": "Lexia",
            "area_of_need": "cognition_learning",
            "group_size": 4,
            "sessions_per_week": 3,
            "session_minutes": 20,
            "hourly_staff_cost": "15",
        },
        timeout=30,
    )
    assert lexia.status_code == 201, lexia.text
    changed = senco.patch(
        url(f"/api/v1/interventions/{lexia.json()['id']}/"),
        json={"resource_cost": "30"},
        timeout=30,
    )
    assert changed.status_code == 200 and changed.json()["resource_cost"] == "30.00"
    ta_id = harness["teaching_assistant_a"].pk
    group = senco.post(
        url("/api/v1/intervention-groups/"),
        json={
            "intervention": lexia.json()["id"],
            "name": "Lexia Tue",
            "staff_user_ids": [ta_id],
            "starts_on": str(today - dt.timedelta(days=7)),
            "pupils": [pupil.pk, second.pk],
        },
        timeout=30,
    )
    assert group.status_code == 201, group.text
    plan = senco.post(
        url("/api/v1/plans/"),
        json={
            "pupil": pupil.pk,
            "outcomes": [
                {
                    "description": "Read 50 words",
                    "measure": "Word list",
                    "target_date": str(today + dt.timedelta(days=60)),
                }
            ],
            "provision": [group.json()["id"]],
        },
        timeout=30,
    )
    assert plan.status_code == 201, plan.text
    plan_id = plan.json()["id"]
    assert (
        senco.put(
            url(f"/api/v1/plans/{plan_id}/"), json={"strategies": "Word mat"}, timeout=30
        ).status_code
        == 200
    )
    assert (
        senco.patch(
            url(f"/api/v1/plans/{plan_id}/"), json={"parent_views": "Happy"}, timeout=30
        ).status_code
        == 200
    )
    written = senco.get(url(f"/api/v1/plans/{plan_id}/"), timeout=30).json()
    assert (written["strategies"], written["parent_views"]) == ("Word mat", "Happy"), written
    outcome_id = plan.json()["outcomes"][0]["id"]
    review = senco.post(
        url(f"/api/v1/plans/{plan_id}/reviews/"),
        json={"held_on": str(today), "ratings": {str(outcome_id): "partly_met"}},
        timeout=30,
    )
    assert review.status_code == 201 and review.json()["version"] == 2, review.text
    assessment = senco.post(
        url("/api/v1/assessments/"),
        json={
            "pupil": pupil.pk,
            "kind": "reading_age",
            "measure": "Salford",
            "value": "7y",
            "numeric_value": "84",
            "assessed_on": str(today),
        },
        timeout=30,
    )
    assert assessment.status_code == 201, assessment.text

    ta = _token_session(web_server, school, "teaching_assistant_a@example.test")
    session = ta.post(
        url(f"/api/v1/intervention-groups/{group.json()['id']}/sessions/"),
        json={
            "held_on": str(today - dt.timedelta(days=1)),
            "starts_at": "09:15",
            "attendance": {str(pupil.pk): True, str(second.pk): True},
        },
        timeout=30,
    )
    assert session.status_code == 201, session.text
    from apps.provision.models import InterventionSession
    from apps.support.models import Assessment, SupportPlan

    with in_school(school):
        held = InterventionSession.objects.get(pk=session.json()["id"])
        assert held.group_id == group.json()["id"]
        assert Assessment.objects.get(pk=assessment.json()["id"]).value == "7y"
        assert SupportPlan.objects.filter(pupil=pupil).count() == 2  # reviewed: version 2
    # The TA cannot write plans; a cookie session without a CSRF token cannot write at all.
    assert (
        ta.post(
            url("/api/v1/plans/"), json={"pupil": second.pk, "outcomes": []}, timeout=30
        ).status_code
        == 403
    )
    with in_school(school):
        assert not SupportPlan.objects.filter(pupil=second).exists()
    # The TA does not run Lexia's budget either: the intervention is unchanged.
    refused = ta.patch(
        url(f"/api/v1/interventions/{lexia.json()['id']}/"), json={"resource_cost": "1"}, timeout=30
    )
    assert refused.status_code in (403, 404), refused.text
    assert (
        senco.get(url(f"/api/v1/interventions/{lexia.json()['id']}/"), timeout=30).json()[
            "resource_cost"
        ]
        == "30.00"
    )
    browser = HostSession()
    browser.get(url("/accounts/sign-in/?checked=1"), timeout=30)  # the form itself
    signed_in = browser.post(
        url("/accounts/sign-in/"),
        data={
            "username": "teaching_assistant_a@example.test",
            "password": PASSWORD,
            "csrfmiddlewaretoken": browser.cookies.get("csrftoken", ""),
        },
        headers={"Referer": url("/accounts/sign-in/")},
        timeout=30,
        # Signing in on a school's host passes once through the platform host (another host
        # this session cannot follow); the school's session exists already.
        allow_redirects=False,
    )
    assert signed_in.status_code == 302
    assert browser.get(url("/api/v1/me/"), timeout=30).status_code == 200  # signed in by cookie
    # The TA runs the group, so only the missing CSRF token can refuse this cookie request.
    refused = browser.post(
        url(f"/api/v1/intervention-groups/{group.json()['id']}/sessions/"),
        json={
            "held_on": str(today - dt.timedelta(days=2)),
            "starts_at": "09:15",
            "attendance": {str(pupil.pk): True},
        },
        timeout=30,
    )
    assert refused.status_code == 403 and "CSRF" in refused.text
    # The token does not open another school's API.
    other = HostSession().get(
        web_server.url(harness["school_b"], "/api/v1/plans/"),
        headers={"Authorization": senco.headers["Authorization"]},
        timeout=30,
    )
    assert other.status_code in (401, 403)
    impact = senco.get(url("/api/v1/provision-map/impact/"), timeout=30)
    assert impact.status_code == 200 and impact.json()["results"][0]["name"] == "Lexia"
    provision = senco.get(url(f"/api/v1/provision-map/?pupil={pupil.pk}"), timeout=30).json()
    assert (
        provision["pupils"][0]["annual_cost"] == "172.50"
    )  # 3 x 20 min x 38 weeks = 38 h x £15 / 4 + £30
