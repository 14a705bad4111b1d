"""Staff, training, access arrangements and transitions through the API and pages: role
matrix, isolation with equal ids, the exams officer's list as PDF and Excel."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from apps.staff import services
from apps.staff.models import AccessArrangement, StaffMember
from tests.pupils.factories import make_pupil
from tests.support import in_school

TODAY = dt.date.today()


@pytest.fixture
def arrangements(candidates, school_a):
    with in_school(school_a):
        rows = {
            key: services.arrangement_add(
                acting_user=None,
                pupil=candidates[key],
                kind="extra_time",
                extra_time_percent=25,
                normal_way_of_working="Uses it in class",
            )
            for key in ("taught", "other")
        }
        services.staff_add(
            acting_user=None, name="Karen Walsh", role="teaching_assistant", contracted_hours=20
        )
    return rows


def _rows(response):
    data = response.json()
    return data["results"] if isinstance(data, dict) else data


@pytest.mark.parametrize(
    "who, sees",
    [
        ("senco_a", {"taught", "other"}),
        ("headteacher_a", {"taught", "other"}),
        ("office_a", {"taught", "other"}),
        ("trust_send_lead_a", {"taught", "other"}),
        ("teacher_a", {"taught"}),
        ("teaching_assistant_a", set()),
    ],
)
def test_access_arrangements_each_role_sees(arrangements, api_for, people, school_a, who, sees):
    response = api_for(people[who], school_a).get("/api/v1/access-arrangements/")
    assert response.status_code == 200
    assert {r["id"] for r in _rows(response)} == {arrangements[k].pk for k in sees}


@pytest.mark.parametrize(
    "who, status",
    [
        ("senco_a", 200),
        ("headteacher_a", 200),
        ("trust_send_lead_a", 200),
        ("teacher_a", 403),
        ("teaching_assistant_a", 403),
        ("office_a", 403),
        ("governor_a", 403),
        ("senco_b", 403),
    ],
)
def test_staff_and_training_are_for_the_senco_and_head(
    arrangements, api_for, people, school_a, who, status
):
    client = api_for(people[who], school_a)
    staff = client.get("/api/v1/staff/")
    training = client.get("/api/v1/training/")
    assert (staff.status_code, training.status_code) == (status, status)
    if status == 200:  # the allowed roles see the school's staff list, not an empty page
        assert staff.json()["count"] >= 1 and "results" in training.json()
    else:
        assert "results" not in staff.json() and "results" not in training.json()


def test_extra_time_out_of_range_over_the_api_is_a_field_keyed_400(
    candidates, api_for, people, school_a
):
    response = api_for(people["senco_a"], school_a).post(
        "/api/v1/access-arrangements/",
        {"pupil": candidates["taught"].pk, "kind": "extra_time", "extra_time_percent": 125},
        format="json",
    )
    assert response.status_code == 400
    assert "extra_time_percent" in response.json()["errors"]
    with in_school(school_a):
        assert not AccessArrangement.objects.exists()


def test_deployment_refused_over_110_percent_through_the_page(
    arrangements, client_for, people, school_a
):
    with in_school(school_a):
        member = StaffMember.objects.get()
    client = client_for(people["senco_a"], school_a)
    warned = client.post(
        f"/staff/{member.pk}/deploy/", {"group_name": "Reading", "hours_a_week": "21"}, follow=True
    )
    assert "105% of their 20.0 contracted hours" in warned.content.decode()
    refused = client.post(
        f"/staff/{member.pk}/deploy/", {"group_name": "More", "hours_a_week": "2"}
    )
    assert refused.status_code == 200
    assert "more than 110% is refused" in refused.content.decode()


def test_exams_officer_downloads_the_list_as_pdf_and_excel(
    arrangements, client_for, people, school_a
):
    from openpyxl import load_workbook

    client = client_for(people["office_a"], school_a)
    pdf = client.get("/exams/access-arrangements.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get("/exams/access-arrangements.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert {v[2] for v in values} == {"Senior", "Older"}
    # No assessor or history: flagged in the "missing evidence" column.
    assert all("assessor" in v[9] for v in values)
    assert (
        client_for(people["teacher_a"], school_a).get("/exams/access-arrangements.pdf").status_code
        == 403
    )
    assert (
        client_for(people["trust_send_lead_a"], school_a)
        .get("/exams/access-arrangements.xlsx")
        .status_code
        == 403
    )  # a file of pupil data leaving the school is the school's own act


def test_arrangements_and_transitions_isolated_between_schools(
    twin_rows, api_for, client_for, people, school_a
):
    def arrangement(school):
        p = make_pupil(first_name="Twin", last_name=school.slug.title(), year_group="11")
        return services.arrangement_add(
            acting_user=None, pupil=p, kind="reader", assessor=f"Assessor {school.slug}"
        )

    a_row, _ = twin_rows(arrangement)

    def transition(school):
        p = make_pupil(first_name="Mover", last_name=school.slug.title(), year_group="6")
        return services.transition_plan(
            acting_user=None,
            pupil=p,
            kind="phase",
            destination=f"High {school.slug}",
            moves_on=TODAY,
            responsible_name="SENCo",
        )

    t_row, _ = twin_rows(transition)
    client = api_for(people["senco_a"], school_a)
    for path in (
        f"/api/v1/access-arrangements/{a_row.pk}/",
        "/api/v1/access-arrangements/",
        f"/api/v1/transitions/{t_row.pk}/",
        "/api/v1/transitions/",
    ):
        body = client.get(path).content.decode()
        assert "beta" not in body.lower(), path
    page = client_for(people["senco_a"], school_a)
    for path in ("/exams/", f"/transitions/{t_row.pk}/", "/transitions/"):
        assert "Beta" not in page.get(path).content.decode(), path
    xlsx = page.get("/exams/access-arrangements.xlsx").content
    assert b"Beta" not in xlsx


def test_transition_checklist_ticked_over_the_api(cast, api_for, people, school_a):
    client = api_for(people["senco_a"], school_a)
    made = client.post(
        "/api/v1/transitions/",
        {
            "pupil": cast["taught"].pk,
            "kind": "phase",
            "destination": "Riverside Academy",
            "moves_on": TODAY.isoformat(),
            "responsible_name": "SENCo",
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    step = made.json()["steps"][0]["id"]
    ticked = client.patch(
        f"/api/v1/transitions/{made.json()['id']}/", {"steps_done": [step]}, format="json"
    )
    assert ticked.status_code == 200
    assert ticked.json()["steps"][0]["done_on"] == TODAY.isoformat()


def test_skills_matrix_warning_on_the_staff_page(cast, client_for, people, school_a):
    with in_school(school_a):
        member = services.staff_add(
            acting_user=None, name="Imran Hussain", role="teaching_assistant", contracted_hours=25
        )
        services.deployment_add(
            acting_user=None,
            member=member,
            group_name="Lego therapy",
            hours_a_week=2,
            needs_skill="social_skills",
        )
    body = client_for(people["senco_a"], school_a).get("/staff/").content.decode()
    assert 'data-testid="skills-warning"' in body
    assert "Imran Hussain runs Lego therapy without Social skills groups training" in body
