"""The EHC API over real HTTP (gunicorn, an ordinary client, a real token): every unsafe route,
the computed dates in the responses, errors, and a cookie session without CSRF refused."""

from __future__ import annotations

import datetime as dt

import requests

from apps.ehcp.models import AssessmentRequest, EhcPlan
from apps.pupils.models import Pupil
from tests.conftest import PASSWORD
from tests.http.contract import covers
from tests.pupils.factories import make_pupil
from tests.support import host_for, in_school, otp_for

TODAY = dt.date.today()


def iso(days: int) -> str:
    return (TODAY + dt.timedelta(days=days)).isoformat()


@covers(
    "POST /api/v1/ehcp/assessment-requests/",
    "PUT /api/v1/ehcp/assessment-requests/{id}/",
    "PATCH /api/v1/ehcp/assessment-requests/{id}/",
    "POST /api/v1/ehcp/plans/",
    "PATCH /api/v1/ehcp/plans/{id}/",
    "PUT /api/v1/ehcp/plans/{id}/",
    "POST /api/v1/ehcp/plans/{id}/reviews/",
    "PATCH /api/v1/ehcp/reviews/{id}/",
    "PUT /api/v1/ehcp/reviews/{id}/",
)
def test_the_ehcp_api_over_real_http(web_server, harness, committed):
    school = harness["school_a"]
    with in_school(school):
        pupil = make_pupil(
            provision="K", primary_need="SLCN", first_name="Hettie", last_name="Httpson"
        )

    def cleanup() -> None:
        with in_school(school):
            EhcPlan.objects.filter(pupil_id=pupil.pk).delete()
            AssessmentRequest.objects.filter(pupil_id=pupil.pk).delete()
            Pupil.objects.filter(pk=pupil.pk).delete()

    committed.cleanup(cleanup)
    # The system resolver may not know *.localhost: talk to the loopback with the school's Host.
    root = f"http://127.0.0.1:{web_server.port}"
    base = f"{root}/api/v1"
    host = {"Host": host_for(school)}
    token = requests.post(
        f"{base}/auth/token/",
        headers=host,
        json={
            "email": "senco_a@example.test",
            "password": PASSWORD,
            "otp": otp_for("senco_a@example.test"),
        },
        timeout=30,
    ).json()["token"]
    http = requests.Session()
    http.headers.update({"Authorization": f"Token {token}", **host})

    r = http.post(
        f"{base}/ehcp/assessment-requests/",
        json={
            "pupil": pupil.pk,
            "requested_by": "school",
            "requested_on": iso(-60),
            "local_authority": "Kirklees",
        },
        timeout=30,
    )
    assert r.status_code == 201, r.text
    assert r.json()["decision_due"] == iso(-18) and r.json()["decision_late"] is True
    r = http.put(
        f"{base}/ehcp/assessment-requests/{r.json()['id']}/",
        json={
            "pupil": pupil.pk,
            "requested_by": "school",
            "requested_on": iso(-60),
            "local_authority": "Kirklees",
            "decision": "assess",
            "decision_on": iso(-20),
        },
        timeout=30,
    )
    assert r.status_code == 200 and r.json()["decision_late"] is False
    request_id = r.json()["id"]
    r = http.patch(
        f"{base}/ehcp/assessment-requests/{request_id}/",
        json={"local_authority": "Calderdale"},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    r = http.get(f"{base}/ehcp/assessment-requests/{request_id}/", timeout=30)
    assert (r.json()["local_authority"], r.json()["decision"]) == ("Calderdale", "assess")

    plan_body = {"pupil": pupil.pk, "issued_on": iso(-5), "local_authority": "Kirklees"}
    r = http.post(f"{base}/ehcp/plans/", json=plan_body, timeout=30)
    assert r.status_code == 400 and "pupil" in r.json()["errors"]
    r = http.post(f"{base}/ehcp/plans/", json={**plan_body, "update_register": True}, timeout=30)
    assert r.status_code == 201, r.text
    plan = r.json()
    assert plan["next_review_due"]
    r = http.patch(
        f"{base}/ehcp/plans/{plan['id']}/", json={"section_a": "Loves trains"}, timeout=30
    )
    assert r.status_code == 200 and r.json()["section_a"] == "Loves trains"
    r = http.put(
        f"{base}/ehcp/plans/{plan['id']}/", json={**plan_body, "case_officer": "P Shah"}, timeout=30
    )
    assert r.status_code == 200 and r.json()["case_officer"] == "P Shah"

    r = http.post(
        f"{base}/ehcp/plans/{plan['id']}/reviews/", json={"meeting_on": iso(-1)}, timeout=30
    )
    assert r.status_code == 201, r.text
    review = r.json()
    assert review["report_due"] == iso(13) and review["la_decision_due"] == iso(27)
    r = http.patch(
        f"{base}/ehcp/reviews/{review['id']}/",
        json={
            "meeting_held": True,
            "la_decision": "amend",
            "la_decision_on": iso(0),
            "amendment_notice_on": iso(0),
        },
        timeout=30,
    )
    assert r.status_code == 200, r.text
    assert r.json()["amended_plan_due"] == iso(56)
    r = http.put(
        f"{base}/ehcp/reviews/{review['id']}/", json={"report_sent_on": iso(0)}, timeout=30
    )
    assert r.status_code == 200 and r.json()["report_sent_on"] == iso(0)
    r = http.patch(
        f"{base}/ehcp/reviews/{review['id']}/", json={"report_sent_on": "2026-02-30"}, timeout=30
    )
    assert r.status_code == 400 and "report_sent_on" in r.json()["errors"]

    r = http.get(f"{base}/deadlines/", params={"from": iso(-90), "to": iso(90)}, timeout=30)
    mine = [d for d in r.json()["results"] if d["pupil"] == pupil.pk]
    assert {(d["kind"], d["status"]) for d in mine} >= {
        ("amended_plan", "upcoming"),
        ("review_report", "done"),
    }

    # No token: 401. A signed-in browser session without a CSRF token cannot write.
    assert requests.get(f"{base}/ehcp/plans/", headers=host, timeout=30).status_code == 401
    browser = requests.Session()
    browser.headers.update(host)
    browser.get(f"{root}/accounts/sign-in/?checked=1", timeout=30)  # the form itself
    browser.post(
        f"{root}/accounts/sign-in/",
        data={
            "username": "senco_a@example.test",
            "password": PASSWORD,
            "csrfmiddlewaretoken": browser.cookies.get("csrftoken", ""),
        },
        timeout=30,
    )
    if otp_for("senco_a@example.test"):  # the second step of the sign-in, through its form
        browser.get(f"{root}/accounts/two-step/", timeout=30)
        # Not followed: the answer passes through the platform host, which this client (one
        # fixed Host header) cannot reach; the school session is set by this response.
        second = browser.post(
            f"{root}/accounts/two-step/",
            data={
                "code": otp_for("senco_a@example.test"),
                "csrfmiddlewaretoken": browser.cookies.get("csrftoken", ""),
            },
            timeout=30,
            allow_redirects=False,
        )
        assert second.status_code == 302, second.text[:500]
    assert browser.get(f"{base}/ehcp/plans/", timeout=30).status_code == 200
    r = browser.patch(f"{base}/ehcp/plans/{plan['id']}/", json={"section_a": "forged"}, timeout=30)
    assert r.status_code == 403
    with in_school(school):
        assert EhcPlan.objects.get(pk=plan["id"]).section_a == "Loves trains"

    # Read back what the token wrote.
    r = http.get(f"{base}/ehcp/plans/{plan['id']}/", timeout=30)
    assert (r.json()["section_a"], r.json()["case_officer"]) == ("Loves trains", "P Shah")
    r = http.get(f"{base}/ehcp/reviews/{review['id']}/", timeout=30)
    assert r.json()["report_sent_on"] == iso(0)

    # A teacher's token cannot write EHC plans; the SENCo's token opens no other school; nothing
    # is written by either.
    teacher = requests.post(
        f"{base}/auth/token/",
        headers=host,
        json={
            "email": "teacher_a@example.test",
            "password": PASSWORD,
            "otp": otp_for("teacher_a@example.test"),
        },
        timeout=30,
    ).json()["token"]
    r = requests.patch(
        f"{base}/ehcp/plans/{plan['id']}/",
        json={"section_a": "forged"},
        headers={"Authorization": f"Token {teacher}", **host},
        timeout=30,
    )
    assert r.status_code in (403, 404), r.text
    r = requests.post(
        f"{base}/ehcp/plans/{plan['id']}/reviews/",
        json={"meeting_on": iso(-2)},
        headers={"Authorization": f"Token {teacher}", **host},
        timeout=30,
    )
    assert r.status_code in (403, 404), r.text
    r = requests.patch(
        f"{base}/ehcp/plans/{plan['id']}/",
        json={"section_a": "forged"},
        headers={"Authorization": f"Token {token}", "Host": host_for(harness["school_b"])},
        timeout=30,
    )
    assert r.status_code in (401, 403), r.text
    with in_school(school):
        assert EhcPlan.objects.get(pk=plan["id"]).section_a == "Loves trains"
        assert EhcPlan.objects.get(pk=plan["id"]).reviews.count() == 1
    with in_school(harness["school_b"]):
        assert not EhcPlan.objects.filter(section_a="forged").exists()
