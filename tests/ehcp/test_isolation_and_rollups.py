"""Isolation of every EHC route by id (twin rows with equal ids), the trust rollup figures and the
worklist."""

from __future__ import annotations

import pytest
from django.utils import timezone

from apps.core.extensions import WorklistContext
from apps.ehcp.rollups import compliance_figures
from apps.ehcp.services import request_create
from apps.ehcp.worklist import statutory_deadlines
from tenants.access import school_access_for
from tests.ehcp.factories import days, make_plan, make_review
from tests.pupils.factories import make_pupil
from tests.support import in_school


@pytest.fixture
def twins(twin_rows):
    def make(school):
        pupil = make_pupil(
            provision="E", primary_need="ASD", first_name="Twin" + school.name.split()[0]
        )
        plan = make_plan(pupil, issued_on=days(-380), case_officer=f"Officer {school.name}")
        return make_review(plan, days(-3), held=True)

    return twin_rows(make)


def test_reviews_and_their_reports_are_isolated_by_id(client_for, api_for, people, school_a, twins):
    review_a, review_b = twins
    assert review_a.pk == review_b.pk
    page = (
        client_for(people["senco_a"], school_a)
        .get(f"/ehcp/reviews/{review_b.pk}/")
        .content.decode()
    )
    assert "TwinAlpha" in page and "TwinBeta" not in page
    pdf = client_for(people["senco_a"], school_a).get(f"/ehcp/reviews/{review_b.pk}/report.docx")
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(pdf.content)) as z:
        body = z.read("word/document.xml").decode()
    assert "TwinAlpha" in body and "TwinBeta" not in body
    r = api_for(people["senco_a"], school_a).get(f"/api/v1/ehcp/reviews/{review_b.pk}/")
    assert r.json()["pupil"] == review_a.plan.pupil_id
    r = api_for(people["senco_a"], school_a).get(f"/api/v1/ehcp/plans/{review_a.plan_id}/reviews/")
    assert [x["id"] for x in r.json()["results"]] == [review_a.pk]


def test_requests_are_isolated_by_id(api_for, people, school_a, twin_rows):
    def make(school):
        pupil = make_pupil(provision="K", primary_need="SLCN")
        return request_create(
            acting_user=None,
            pupil=pupil,
            requested_by="school",
            requested_on=days(-10),
            local_authority=f"LA {school.name}",
        )

    req_a, req_b = twin_rows(make)
    api = api_for(people["senco_a"], school_a)
    assert (
        api.get(f"/api/v1/ehcp/assessment-requests/{req_b.pk}/").json()["local_authority"]
        == "LA Alpha Primary"
    )
    listed = api.get("/api/v1/ehcp/assessment-requests/").json()["results"]
    assert {r["local_authority"] for r in listed} == {"LA Alpha Primary"}
    r = api.patch(
        f"/api/v1/ehcp/assessment-requests/{req_b.pk}/", {"notes": "from A"}, format="json"
    )
    assert r.status_code == 200
    with in_school(people["school_b"]):
        req_b.refresh_from_db()
        assert req_b.notes == ""


def test_rollup_figures_are_aggregates(school_a, people):
    with in_school(school_a):
        late = make_plan(issued_on=days(-400))
        make_review(late, days(-31), held=True)  # due 35 days ago: held 4 days late
        make_plan(issued_on=days(-100))
        figures = {
            (f.metric, f.category): f.value
            for f in compliance_figures(school_a, timezone.localdate())
        }
    assert figures[("ehc_plans", "")] == 2
    assert figures[("ehc_reviews_held", "")] == 1
    assert figures[("ehc_reviews_on_time_percent", "")] == 0
    assert figures[("ehc_overdue", "all")] >= 2  # invitations, and the LA's decision
    assert figures[("ehc_overdue", "la")] >= 1
    assert all(isinstance(v, (int, float)) for v in figures.values())


def test_worklist_counts_urgent_deadlines_for_the_senco(school_a, people):
    with in_school(school_a):
        make_review(make_plan(issued_on=days(-380)), days(3))
        items = statutory_deadlines(
            WorklistContext(
                school=school_a,
                user=people["senco_a"],
                access=school_access_for(people["senco_a"], school_a),
                today=timezone.localdate(),
            )
        )
        teacher_items = statutory_deadlines(
            WorklistContext(
                school=school_a,
                user=people["teacher_a"],
                access=school_access_for(people["teacher_a"], school_a),
                today=timezone.localdate(),
            )
        )
    labels = {i.label: i.count for i in items}
    assert labels["Statutory deadlines overdue"] == 2  # the review itself and the invitations
    assert labels["Statutory deadlines this week"] == 1  # the meeting
    assert teacher_items == []
