"""The support and provision API: exactly the issue's paths and JSON names, the role rules, bad
input as field-keyed JSON with nothing written, and twin-row isolation by id, list and filter."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.support.models import SupportPlan
from tests.support import in_school
from tests.support_plans.conftest import NO_ACCESS, SCHOOL_ROLES

TODAY = dt.date.today()
READ_PLANS = {"senco_a", "headteacher_a", "teacher_a", "teaching_assistant_a", "trust_send_lead_a"}


def _outcome(**kw):
    return {
        "description": "Count to 20",
        "measure": "Counting probe",
        "target_date": str(TODAY + dt.timedelta(days=50)),
    } | kw


@pytest.mark.parametrize("role", SCHOOL_ROLES + NO_ACCESS)
def test_plan_list_by_role(api_for, people, school_a, sp, role):
    response = api_for(people[role], school_a).get("/api/v1/plans/")
    if role in NO_ACCESS:
        assert response.status_code == 403
        return
    if role not in READ_PLANS:
        assert response.status_code == 403  # office and governors: figures only
        return
    pupils = {row["pupil"] for row in response.json()["results"]}
    expected = {
        "teacher_a": {sp["taught"].pk},
        "teaching_assistant_a": {sp["assisted"].pk},
    }.get(role, {sp["taught"].pk, sp["assisted"].pk, sp["other"].pk})
    assert pupils == expected


def test_plan_json_carries_the_issue_fields(api_for, people, school_a, sp):
    plan = sp["plans"]["taught"]
    body = api_for(people["senco_a"], school_a).get(f"/api/v1/plans/{plan.pk}/").json()
    assert {"id", "pupil", "version", "status", "review_due", "outcomes"} <= set(body)
    assert body["status"] == "current" and body["version"] == 1 and body["pupil"] == sp["taught"].pk
    assert {"id", "description", "measure", "target_date", "rating"} <= set(body["outcomes"][0])
    assert body["provision"] == [sp["group"].pk]


def test_senco_creates_updates_and_reviews_a_plan_through_the_api(api_for, people, school_a, in_a):
    from tests.pupils.factories import make_pupil

    pupil = make_pupil(provision="K", primary_need="MLD")
    api = api_for(people["senco_a"], school_a)
    created = api.post(
        "/api/v1/plans/",
        {"pupil": pupil.pk, "outcomes": [_outcome(), _outcome(description="Read 50 words")]},
        format="json",
    )
    assert created.status_code == 201, created.json()
    plan = created.json()
    updated = api.patch(f"/api/v1/plans/{plan['id']}/", {"parent_views": "Happier"}, format="json")
    assert updated.status_code == 200 and updated.json()["parent_views"] == "Happier"
    ratings = {str(o["id"]): "met" for o in plan["outcomes"]}
    ratings[str(plan["outcomes"][1]["id"])] = "partly_met"
    review = api.post(
        f"/api/v1/plans/{plan['id']}/reviews/",
        {"held_on": str(TODAY), "ratings": ratings, "attendees": "Mum"},
        format="json",
    )
    assert review.status_code == 201, review.json()
    new = review.json()
    assert new["version"] == 2 and new["status"] == "current" and new["previous"] == plan["id"]
    assert [o["description"] for o in new["outcomes"]] == ["Read 50 words"]
    listed = api.get(f"/api/v1/plans/{plan['id']}/reviews/").json()["results"]
    assert (
        listed[0]["next_plan"] == new["id"]
        and listed[0]["ratings"][str(plan["outcomes"][0]["id"])] == "met"
    )
    old = api.get(f"/api/v1/plans/{plan['id']}/").json()
    assert old["status"] == "superseded"
    # A superseded plan cannot change or be reviewed again.
    again = api.patch(f"/api/v1/plans/{plan['id']}/", {"parent_views": "x"}, format="json")
    assert again.status_code == 400 and "superseded" in again.json()["errors"]["plan"][0]
    twice = api.post(
        f"/api/v1/plans/{plan['id']}/reviews/",
        {"held_on": str(TODAY), "ratings": ratings},
        format="json",
    )
    assert twice.status_code == 400 and "already been reviewed" in twice.json()["errors"]["plan"][0]
    with in_school(school_a):
        assert SupportPlan.objects.filter(pupil=pupil).count() == 2


@pytest.mark.parametrize(
    "body, field",
    [
        ({"outcomes": [_outcome(measure="")]}, "outcomes.0.measure"),
        ({"outcomes": [_outcome(target_date=None)]}, "outcomes.0.target_date"),
        ({"outcomes": []}, "outcomes"),
        ({"outcomes": [_outcome()], "lead_user_id": 987654}, "lead_user_id"),
    ],
)
def test_bad_plans_are_400_field_keyed_and_write_nothing(
    api_for, people, school_a, sp, body, field
):
    with in_school(school_a):
        from tests.pupils.factories import make_pupil

        pupil = make_pupil(provision="K", primary_need="MLD")
        before = SupportPlan.objects.count()
    response = api_for(people["senco_a"], school_a).post(
        "/api/v1/plans/", {"pupil": pupil.pk} | body, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]
    with in_school(school_a):
        assert SupportPlan.objects.count() == before


def test_a_plan_for_a_pupil_not_on_the_register_is_refused(api_for, people, school_a, in_a):
    from tests.pupils.factories import make_pupil

    pupil = make_pupil(provision="N")
    response = api_for(people["senco_a"], school_a).post(
        "/api/v1/plans/", {"pupil": pupil.pk, "outcomes": [_outcome()]}, format="json"
    )
    assert (
        response.status_code == 400
        and "not on the SEN register" in response.json()["errors"]["pupil"][0]
    )


@pytest.mark.parametrize(
    "role", ["headteacher_a", "teacher_a", "teaching_assistant_a", "trust_send_lead_a"]
)
def test_only_the_senco_writes_plans_through_the_api(api_for, people, school_a, sp, role):
    api = api_for(people[role], school_a)
    plan = sp["plans"]["taught"]
    assert (
        api.post(
            "/api/v1/plans/", {"pupil": sp["taught"].pk, "outcomes": [_outcome()]}, format="json"
        ).status_code
        == 403
    )
    assert (
        api.patch(f"/api/v1/plans/{plan.pk}/", {"strategies": "x"}, format="json").status_code
        == 403
    )
    assert (
        api.post(
            f"/api/v1/plans/{plan.pk}/reviews/",
            {"held_on": str(TODAY), "ratings": {}},
            format="json",
        ).status_code
        == 403
    )
    with in_school(school_a):
        plan.refresh_from_db()
        assert plan.strategies != "x" and plan.status == "current"


def test_assessments_api(api_for, people, school_a, sp):
    api = api_for(people["senco_a"], school_a)
    listed = api.get(f"/api/v1/assessments/?pupil={sp['taught'].pk}").json()["results"]
    assert [a["id"] for a in listed] == [sp["assessment"].pk]
    bad = api.post(
        "/api/v1/assessments/",
        {
            "pupil": sp["taught"].pk,
            "kind": "reading_age",
            "measure": "",
            "value": "8y",
            "assessed_on": str(TODAY + dt.timedelta(days=2)),
        },
        format="json",
    )
    assert bad.status_code == 400 and {"measure", "assessed_on"} <= set(bad.json()["errors"])
    good = api.post(
        "/api/v1/assessments/",
        {
            "pupil": sp["taught"].pk,
            "kind": "spelling_age",
            "measure": "Young's spelling",
            "value": "7y 1m",
            "numeric_value": "85",
            "assessed_on": str(TODAY),
        },
        format="json",
    )
    assert good.status_code == 201
    assert (
        api_for(people["teacher_a"], school_a)
        .post(
            "/api/v1/assessments/",
            {
                "pupil": sp["taught"].pk,
                "kind": "screener",
                "measure": "x",
                "value": "y",
                "assessed_on": str(TODAY),
            },
            format="json",
        )
        .status_code
        == 403
    )
    teacher = api_for(people["teacher_a"], school_a).get("/api/v1/assessments/").json()["results"]
    assert {a["pupil"] for a in teacher} == {sp["taught"].pk}


def test_interventions_and_groups_api(api_for, people, school_a, sp):
    api = api_for(people["senco_a"], school_a)
    catalogue = api.get("/api/v1/interventions/").json()["results"]
    assert (
        catalogue[0]["name"] == "Lexia Core5"
        and catalogue[0]["required_training"] == "Lexia training"
    )
    negative = api.post(
        "/api/v1/interventions/",
        {"name": "ELSA", "area_of_need": "semh", "hourly_staff_cost": "-5"},
        format="json",
    )
    assert (
        negative.status_code == 400
        and "cannot be negative" in negative.json()["errors"]["hourly_staff_cost"][0]
    )
    elsa = api.post(
        "/api/v1/interventions/",
        {
            "name": "ELSA",
            "area_of_need": "semh",
            "group_size": 1,
            "sessions_per_week": 1,
            "session_minutes": 45,
            "hourly_staff_cost": "16",
        },
        format="json",
    )
    assert elsa.status_code == 201
    too_big = api.post(
        "/api/v1/intervention-groups/",
        {
            "intervention": elsa.json()["id"],
            "name": "ELSA",
            "staff_user_ids": [people["teaching_assistant_a"].pk],
            "starts_on": str(TODAY),
            "pupils": [sp["taught"].pk, sp["other"].pk],
        },
        format="json",
    )
    assert too_big.status_code == 400 and "at most 1" in too_big.json()["errors"]["pupil_ids"][0]
    groups = api.get("/api/v1/intervention-groups/").json()["results"]
    assert [g["id"] for g in groups] == [sp["group"].pk]
    assert groups[0]["staff_user_ids"] == [people["teaching_assistant_a"].pk]
    assert groups[0]["required_training"] == "Lexia training"
    assert (
        api_for(people["teacher_a"], school_a).get("/api/v1/intervention-groups/").json()["results"]
        == []
    )


def test_the_ta_logs_sessions_through_the_api_once(api_for, people, school_a, sp):
    group = sp["group"]
    url = f"/api/v1/intervention-groups/{group.pk}/sessions/"
    body = {
        "held_on": str(TODAY - dt.timedelta(days=1)),
        "starts_at": "10:00",
        "attendance": {str(sp["taught"].pk): True, str(sp["other"].pk): False},
    }
    ta = api_for(people["teaching_assistant_a"], school_a)
    first = ta.post(url, body, format="json")
    assert first.status_code == 201, first.json()
    assert first.json()["attendance"] == {str(sp["taught"].pk): True, str(sp["other"].pk): False}
    twice = ta.post(url, body, format="json")
    assert (
        twice.status_code == 400 and "already been logged" in twice.json()["errors"]["starts_at"][0]
    )
    # A teacher who does not run the group cannot see it, so cannot log it.
    assert (
        api_for(people["teacher_a"], school_a)
        .post(url, body | {"starts_at": "11:00"}, format="json")
        .status_code
        == 404
    )
    assert ta.get(url).json()["count"] == 1


def test_provision_map_api(api_for, people, school_a, sp):
    api = api_for(people["senco_a"], school_a)
    body = api.get("/api/v1/provision-map/").json()
    rows = {r["pupil"]: r for r in body["pupils"]}
    assert set(rows) == {sp["taught"].pk, sp["other"].pk}
    assert rows[sp["taught"].pk]["annual_cost"] == "172.50"
    assert rows[sp["taught"].pk]["provision"][0]["intervention_name"] == "Lexia Core5"
    assert body["threshold"] == "6000.00"
    one = api.get(f"/api/v1/provision-map/?pupil={sp['other'].pk}").json()["pupils"]
    assert [r["pupil"] for r in one] == [sp["other"].pk]
    assert api.get("/api/v1/provision-map/?pupil=abc").status_code == 400
    for role in ("teacher_a", "teaching_assistant_a", "office_a", "governor_a"):
        assert api_for(people[role], school_a).get("/api/v1/provision-map/").status_code == 403
    impact = api_for(people["governor_a"], school_a).get("/api/v1/provision-map/impact/")
    assert impact.status_code == 200
    first = impact.json()["results"][0]
    assert first["name"] == "Lexia Core5" and "pupil" not in first


def test_api_never_reaches_another_schools_rows(api_for, people, school_a, school_b, twin_rows):
    from tests.pupils.factories import make_pupil
    from tests.support_plans.factories import make_group, make_intervention, make_plan

    pupils = twin_rows(
        lambda s: make_pupil(last_name=f"Api{s.slug}", provision="K", primary_need="MLD")
    )
    plans = twin_rows(
        lambda s: make_plan(
            make_pupil(provision="K", primary_need="MLD"), strategies=f"strategy-{s.slug}"
        )
    )
    interventions = twin_rows(lambda s: make_intervention(name=f"catalogue-{s.slug}"))
    groups = twin_rows(
        lambda s: make_group(
            interventions[0] if s == school_a else interventions[1],
            staff=[people["senco_a"] if s == school_a else people["senco_b"]],
            pupils=[pupils[0] if s == school_a else pupils[1]],
            name=f"group-{s.slug}",
        )
    )
    api_a = api_for(people["senco_a"], school_a)
    pk = plans[0].pk
    assert api_a.get(f"/api/v1/plans/{pk}/").json()["strategies"] == "strategy-alpha"
    assert {p["strategies"] for p in api_a.get("/api/v1/plans/").json()["results"]} == {
        "strategy-alpha"
    }
    assert (
        api_a.get(f"/api/v1/plans/?pupil={plans[0].pupil_id}").json()["results"][0]["strategies"]
        == "strategy-alpha"
    )
    assert api_a.get(f"/api/v1/intervention-groups/{groups[0].pk}/").json()["name"] == "group-alpha"
    assert {i["name"] for i in api_a.get("/api/v1/interventions/").json()["results"]} == {
        "catalogue-alpha"
    }
    assert "alpha" not in str(
        api_for(people["senco_b"], school_b).get("/api/v1/provision-map/").json()
    )
    assert api_for(people["senco_b"], school_a).get(f"/api/v1/plans/{pk}/").status_code == 403
    # Writing through A's host never touches B's plan with the same id.
    api_a.patch(f"/api/v1/plans/{pk}/", {"strategies": "changed"}, format="json")
    with in_school(school_b):
        assert SupportPlan.objects.get(pk=pk).strategies == "strategy-beta"
