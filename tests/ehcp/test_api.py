"""The EHC API: computed dates returned at once, field-keyed errors, roles, isolation."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.audit.models import AuditEvent
from apps.ehcp.models import AnnualReview, AssessmentRequest, EhcPlan
from apps.pupils.models import Pupil
from tests.ehcp.factories import days, make_plan, make_review
from tests.pupils.factories import make_class, make_pupil
from tests.support import in_school


@pytest.fixture
def senco_api(api_for, people, school_a):
    return api_for(people["senco_a"], school_a)


def _iso(d: dt.date) -> str:
    return d.isoformat()


def test_a_request_created_through_the_api_carries_its_dates(senco_api, school_a, school_context):
    with school_context(school_a):
        pupil = make_pupil(provision="K", primary_need="SLCN")
    r = senco_api.post(
        "/api/v1/ehcp/assessment-requests/",
        {
            "pupil": pupil.pk,
            "requested_by": "parent",
            "requested_on": "2026-01-31",
            "local_authority": "Kirklees",
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    body = r.json()
    assert (body["decision_due"], body["refusal_notice_due"], body["final_plan_due"]) == (
        "2026-03-14",
        "2026-05-23",
        "2026-06-20",
    )
    assert body["decision_late"] is True  # no decision and its date has passed
    r = senco_api.patch(
        f"/api/v1/ehcp/assessment-requests/{body['id']}/",
        {"decision": "assess", "decision_on": "2026-03-20"},
        format="json",
    )
    assert r.status_code == 200 and r.json()["decision_late"] is True
    r = senco_api.patch(
        f"/api/v1/ehcp/assessment-requests/{body['id']}/",
        {"decision_on": "2026-03-10"},
        format="json",
    )
    assert r.json()["decision_late"] is False


@pytest.mark.parametrize(
    "body, field",
    [
        ({"requested_on": "2026-02-30"}, "requested_on"),  # an impossible date
        (
            {"requested_on": "2026-01-05", "decision": "assess", "decision_on": "2026-01-04"},
            "decision_on",
        ),
        (
            {"requested_on": "2026-01-05", "decision": "assess", "decision_on": "2099-01-04"},
            "decision_on",
        ),
        (
            {
                "requested_on": "2026-01-05",
                "decision": "assess",
                "decision_on": "2026-02-01",
                "draft_plan_on": "2026-04-01",
                "final_plan_on": "2026-03-01",
            },
            "final_plan_on",
        ),
        ({"requested_on": "2026-01-05", "pupil": 999999}, "pupil"),
    ],
)
def test_bad_requests_through_the_api(senco_api, school_a, school_context, body, field):
    with school_context(school_a):
        pupil = make_pupil(provision="K", primary_need="SLCN")
    data = {"pupil": pupil.pk, "requested_by": "school", "local_authority": "Kirklees", **body}
    r = senco_api.post("/api/v1/ehcp/assessment-requests/", data, format="json")
    assert r.status_code == 400
    assert field in r.json()["errors"], r.json()
    with school_context(school_a):
        assert AssessmentRequest.objects.count() == 0


def test_plan_for_a_pupil_not_at_e_then_with_the_register_updated(
    senco_api, school_a, school_context
):
    with school_context(school_a):
        pupil = make_pupil(
            provision="K", primary_need="ASD", date_of_birth=dt.date(2022, 6, 1), year_group="N1"
        )
    data = {
        "pupil": pupil.pk,
        "issued_on": "2026-02-10",
        "local_authority": "Kirklees",
        "outcomes": [{"text": "Says two-word phrases", "by_when": "July"}],
        "provision": [{"description": "Speech therapy weekly"}],
    }
    r = senco_api.post("/api/v1/ehcp/plans/", data, format="json")
    assert r.status_code == 400
    assert "update_register" in r.json()["errors"]["pupil"][0]
    with school_context(school_a):
        assert not EhcPlan.objects.exists()
    r = senco_api.post("/api/v1/ehcp/plans/", {**data, "update_register": True}, format="json")
    assert r.status_code == 201, r.json()
    body = r.json()
    # under 5 on the issue date (3 years old): reviewed within 6 months (Code 9.178)
    assert body["next_review_due"] == "2026-08-10"
    assert body["amend_by"] is None
    assert body["outcomes"] == [{"text": "Says two-word phrases", "by_when": "July"}]
    with school_context(school_a):
        assert Pupil.objects.get(pk=pupil.pk).sen_provision == "E"


def test_reviews_through_the_api_return_their_dates_at_once(senco_api, school_a, school_context):
    with school_context(school_a):
        plan = make_plan(issued_on=dt.date(2024, 2, 29))
    r = senco_api.get(f"/api/v1/ehcp/plans/{plan.pk}/")
    assert r.json()["next_review_due"] == "2025-02-28"  # 29 February + 12 months
    r = senco_api.post(
        f"/api/v1/ehcp/plans/{plan.pk}/reviews/", {"meeting_on": "2025-02-28"}, format="json"
    )
    assert r.status_code == 201, r.json()
    review_id = r.json()["id"]
    body = r.json()
    assert (
        body["invitations_by"],
        body["report_due"],
        body["la_decision_due"],
        body["amended_plan_due"],
    ) == (
        "2025-02-14",
        "2025-03-14",
        "2025-03-28",
        None,
    )
    r = senco_api.patch(
        f"/api/v1/ehcp/reviews/{review_id}/",
        {
            "invitations_sent_on": "2025-02-13",
            "meeting_held": True,
            "la_decision_on": "2025-03-20",
            "la_decision": "amend",
            "amendment_notice_on": "2025-03-21",
        },
        format="json",
    )
    assert r.status_code == 200, r.json()
    assert r.json()["amended_plan_due"] == "2025-05-16"
    assert all(i["sent_on"] == "2025-02-13" for i in r.json()["invitations"])
    r = senco_api.get(f"/api/v1/ehcp/plans/{plan.pk}/")
    assert r.json()["next_review_due"] == "2026-02-28"  # 12 months after the meeting
    r = senco_api.get(f"/api/v1/ehcp/plans/{plan.pk}/reviews/")
    assert [x["id"] for x in r.json()["results"]] == [review_id]


def test_a_review_before_the_plan_through_the_api(senco_api, school_a, school_context):
    with school_context(school_a):
        plan = make_plan(issued_on=days(-30))
    r = senco_api.post(
        f"/api/v1/ehcp/plans/{plan.pk}/reviews/", {"meeting_on": _iso(days(-31))}, format="json"
    )
    assert r.status_code == 400 and "meeting_on" in r.json()["errors"]
    with school_context(school_a):
        assert not AnnualReview.objects.exists()


def test_deadlines_endpoint(senco_api, school_a, school_context):
    with school_context(school_a):
        plan = make_plan(issued_on=days(-380))
        make_review(plan, days(-40), held=True)
    r = senco_api.get(f"/api/v1/deadlines/?from={_iso(days(-60))}&to={_iso(days(400))}")
    assert r.status_code == 200
    assert r.json()["count"] == len(r.json()["results"])  # paginated like every list
    rows = r.json()["results"]
    kinds = {(x["kind"], x["status"]) for x in rows}
    assert ("review_invitations", "overdue") in kinds  # none sent
    assert ("review_meeting", "done") in kinds
    assert ("annual_review", "upcoming") in kinds
    assert ("la_decision", "overdue") in kinds
    assert all(set(x) >= {"kind", "due", "status", "pupil"} for x in rows)
    assert {x["pupil"] for x in rows} == {plan.pupil_id}
    assert all(_iso(days(-60)) <= x["due"] <= _iso(days(400)) for x in rows)
    r = senco_api.get("/api/v1/deadlines/?from=2026-13-01")
    assert r.status_code == 400 and "from" in r.json()["errors"]
    r = senco_api.get("/api/v1/deadlines/?from=2026-03-01&to=2026-02-01")
    assert r.status_code == 400 and "to" in r.json()["errors"]


def test_roles_on_the_api(api_for, people, school_a, school_context):
    with school_context(school_a):
        taught = make_pupil(provision="E", primary_need="ASD")
        other = make_pupil(provision="E", primary_need="SLCN")
        make_class("3T", staff=[people["teacher_a"]], pupils=[taught])
        plans = [make_plan(taught), make_plan(other)]
    teacher = api_for(people["teacher_a"], school_a)
    assert [p["id"] for p in teacher.get("/api/v1/ehcp/plans/").json()["results"]] == [plans[0].pk]
    assert teacher.get(f"/api/v1/ehcp/plans/{plans[1].pk}/").status_code == 404
    assert {d["pupil"] for d in teacher.get("/api/v1/deadlines/").json()["results"]} == {taught.pk}
    assert teacher.post("/api/v1/ehcp/plans/", {}, format="json").status_code == 403
    for who in ("office_a", "governor_a"):
        client = api_for(people[who], school_a)
        assert client.get("/api/v1/ehcp/plans/").status_code == 403
        assert client.get("/api/v1/deadlines/").status_code == 403
    lead = api_for(people["trust_send_lead_a"], school_a)
    assert lead.get("/api/v1/ehcp/plans/").json()["count"] == 2
    r = lead.patch(f"/api/v1/ehcp/plans/{plans[0].pk}/", {"section_a": "x"}, format="json")
    assert r.status_code == 403
    with school_context(school_a):
        assert EhcPlan.objects.get(pk=plans[0].pk).section_a == ""
        assert AuditEvent.objects.filter(
            action="ehcp.listed", user_id=people["trust_send_lead_a"].pk
        ).exists()


def test_isolation_by_id_and_list(api_for, people, school_a, school_b, twin_rows):
    def make(school):
        pupil = make_pupil(provision="E", primary_need="ASD", first_name=school.name.split()[0])
        return make_plan(pupil, local_authority=f"LA of {school.name}")

    plan_a, plan_b = twin_rows(make)
    senco_a = api_for(people["senco_a"], school_a)
    r = senco_a.get(f"/api/v1/ehcp/plans/{plan_b.pk}/")
    assert r.json()["local_authority"] == "LA of Alpha Primary"
    assert {p["local_authority"] for p in senco_a.get("/api/v1/ehcp/plans/").json()["results"]} == {
        "LA of Alpha Primary"
    }
    with in_school(school_a):
        pupils_a = set(Pupil.objects.values_list("pk", flat=True))
    deadlines, url = [], "/api/v1/deadlines/?page_size=200"
    while url:  # every page
        page = senco_a.get(url).json()
        deadlines, url = deadlines + page["results"], page["next"]
    assert plan_a.pupil_id in {d["pupil"] for d in deadlines}
    assert {d["pupil"] for d in deadlines} <= pupils_a
    # School B's SENCo cannot reach school A's API at all.
    assert api_for(people["senco_b"], school_a).get("/api/v1/ehcp/plans/").status_code == 403
    senco_b = api_for(people["senco_b"], school_b)
    r = senco_b.patch(f"/api/v1/ehcp/plans/{plan_a.pk}/", {"section_a": "from B"}, format="json")
    assert r.status_code == 200 and r.json()["local_authority"] == "LA of Beta Primary"
    assert senco_a.get(f"/api/v1/ehcp/plans/{plan_a.pk}/").json()["section_a"] == ""
