"""Agencies and referrals through the API and pages: role matrix, consent refusals with nothing
written, isolation with equal ids, the one-step adoption of recommendations in a page."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.agencies import services
from apps.agencies.models import Referral
from apps.family import services as family
from apps.pupils.models import Strategy
from tests.pupils.factories import make_pupil
from tests.support import in_school

TODAY = dt.date.today()
AGO = TODAY - dt.timedelta(days=20)


@pytest.fixture
def referrals(cast, school_a):
    with in_school(school_a):
        salt = services.agency_add(acting_user=None, kind="speech_and_language", name="SALT")
        out = {"salt": salt}
        for key in ("taught", "other"):
            family.consent_record(
                acting_user=None,
                pupil=cast[key],
                purpose="referral",
                agency=salt,
                decision="given",
                given_by_name="Parent",
                decided_on=AGO,
                evidence="form",
            )
            referral = services.referral_draft(
                acting_user=None, pupil=cast[key], agency=salt, reason="Speech", drafted_on=AGO
            )
            out[key] = services.referral_send(acting_user=None, referral=referral, sent_on=AGO)
    return out


def _rows(response):
    data = response.json()
    return data["results"] if isinstance(data, dict) else data


@pytest.mark.parametrize(
    "who, sees",
    [
        ("senco_a", {"taught", "other"}),
        ("headteacher_a", {"taught", "other"}),
        ("trust_send_lead_a", {"taught", "other"}),
        ("teacher_a", {"taught"}),
        ("teaching_assistant_a", set()),
    ],
)
def test_referrals_each_role_sees(referrals, cast, api_for, people, school_a, who, sees):
    response = api_for(people[who], school_a).get("/api/v1/referrals/")
    assert response.status_code == 200
    ids = {r["id"] for r in _rows(response)}
    assert ids == {referrals[k].pk for k in sees}
    for row in _rows(response):
        assert row["waiting_days"] == 20


@pytest.mark.parametrize("who", ["office_a", "governor_a", "outsider", "senco_b"])
def test_referrals_refused_for_other_roles(referrals, api_for, people, school_a, who):
    response = api_for(people[who], school_a).get("/api/v1/referrals/")
    assert response.status_code == 403 and "results" not in response.json()


def test_directory_is_readable_by_staff_and_written_by_the_senco(
    referrals, api_for, people, school_a
):
    assert api_for(people["office_a"], school_a).get("/api/v1/agencies/").status_code == 200
    assert api_for(people["governor_a"], school_a).get("/api/v1/agencies/").status_code == 403
    body = {"kind": "camhs", "name": "CAMHS SPA", "contacts": [{"name": "Intake"}]}
    refused = api_for(people["teacher_a"], school_a).post("/api/v1/agencies/", body, format="json")
    assert refused.status_code == 403
    made = api_for(people["senco_a"], school_a).post("/api/v1/agencies/", body, format="json")
    assert made.status_code == 201, made.content
    assert made.json()["contacts"][0]["name"] == "Intake"


def test_sending_without_consent_is_a_400_keyed_consent_and_nothing_is_sent(
    cast, api_for, people, school_a
):
    with in_school(school_a):
        ot = services.agency_add(acting_user=None, kind="occupational_therapy", name="OT")
    response = api_for(people["senco_a"], school_a).post(
        "/api/v1/referrals/",
        {"pupil": cast["taught"].pk, "agency": ot.pk, "reason": "Handwriting", "status": "sent"},
        format="json",
    )
    assert response.status_code == 400
    assert "consent" in response.json()["errors"]
    with in_school(school_a):
        assert not Referral.objects.filter(agency=ot).exists()  # the draft rolled back too


def test_report_logged_over_the_api(referrals, api_for, people, school_a):
    client = api_for(people["senco_a"], school_a)
    url = f"/api/v1/referrals/{referrals['taught'].pk}/"
    assert (
        client.patch(url, {"status": "accepted", "accepted_on": AGO.isoformat()}, format="json")
    ).status_code == 200
    response = client.patch(
        url,
        {
            "status": "report_received",
            "report_received_on": TODAY.isoformat(),
            "recommendations": ["Visual prompts", "Extra time to answer"],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    assert [r["text"] for r in response.json()["recommendations"]] == [
        "Visual prompts",
        "Extra time to answer",
    ]


def test_teacher_cannot_change_a_referral(referrals, api_for, people, school_a):
    response = api_for(people["teacher_a"], school_a).patch(
        f"/api/v1/referrals/{referrals['taught'].pk}/", {"status": "accepted"}, format="json"
    )
    assert response.status_code == 403
    with in_school(school_a):
        assert Referral.objects.get(pk=referrals["taught"].pk).status == "sent"


def test_referrals_isolated_between_schools_with_equal_ids(
    twin_rows, api_for, client_for, people, school_a
):
    def agency(school):
        return services.agency_add(acting_user=None, kind="camhs", name=f"CAMHS {school.slug}")

    agencies = twin_rows(agency)

    def referral(school):
        p = make_pupil(first_name="Twin", last_name=school.slug, provision="K", primary_need="MLD")
        a = agencies[0] if school.slug == "alpha" else agencies[1]
        return services.referral_draft(
            acting_user=None, pupil=p, agency=a, reason=f"Reason {school.slug}"
        )

    a_row, _ = twin_rows(referral)
    client = api_for(people["senco_a"], school_a)
    one = client.get(f"/api/v1/referrals/{a_row.pk}/").content.decode()
    assert "Reason alpha" in one and "beta" not in one
    listing = client.get("/api/v1/referrals/").content.decode()
    assert "beta" not in listing
    agencies_list = client.get("/api/v1/agencies/").content.decode()
    assert "CAMHS alpha" in agencies_list and "CAMHS beta" not in agencies_list
    page = client_for(people["senco_a"], school_a).get(f"/agencies/referrals/{a_row.pk}/")
    assert "Reason alpha" in page.content.decode() and "Reason beta" not in page.content.decode()
    assert client_for(people["senco_b"], school_a).get("/agencies/referrals/").status_code == 403


def test_adopting_recommendations_in_the_page_makes_strategies(
    referrals, client_for, people, school_a, cast
):
    with in_school(school_a):
        referral = referrals["taught"]
        services.referral_update(
            acting_user=None, referral=referral, status="accepted", accepted_on=AGO
        )
        services.referral_update(
            acting_user=None,
            referral=referral,
            status="report_received",
            report_received_on=TODAY,
            recommendations=["Chunk instructions"],
        )
        rec = referral.recommendations.get()
    client = client_for(people["senco_a"], school_a)
    page = client.get(f"/agencies/referrals/{referral.pk}/").content.decode()
    assert "Act on the recommendations" in page
    response = client.post(
        f"/agencies/referrals/{referral.pk}/adopt/",
        {"recommendation_ids": [rec.pk], "outcome": "strategy"},
    )
    assert response.status_code == 302
    with in_school(school_a):
        assert Strategy.objects.get(pupil=cast["taught"]).text == "Chunk instructions"
