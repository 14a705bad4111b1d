"""Family records through the API and the pages: what each role sees (contact details only for
the SENCo, headteacher and office), refusals that write nothing, and isolation between schools
with equal ids."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.family import services
from apps.family.models import Consent, Meeting
from tests.pupils.factories import make_pupil
from tests.support import in_school

YESTERDAY = dt.date.today() - dt.timedelta(days=1)


@pytest.fixture
def family(cast, school_a):
    with in_school(school_a):
        contact = services.contact_add(
            acting_user=None,
            pupil=cast["taught"],
            name="Sarah Taughtson",
            relationship="mother",
            parental_responsibility=True,
            phone="07700 900123",
            email="sarah@example.com",
            language="Polish",
            needs_interpreter=True,
        )
        meeting = services.meeting_record(
            acting_user=None,
            pupil=cast["taught"],
            kind="sen_support_review",
            held_on=YESTERDAY,
            attendees="Sarah; SENCo",
            parents_views="Wants more phonics at home",
            actions=[{"what": "Send phonics cards", "owner_name": "SENCo", "due_on": YESTERDAY}],
        )
        consent = services.consent_record(
            acting_user=None,
            pupil=cast["taught"],
            purpose="photographs",
            decision="given",
            given_by=contact,
            decided_on=YESTERDAY,
            evidence="Admission form",
        )
        other_contact = services.contact_add(
            acting_user=None,
            pupil=cast["other"],
            name="Omar Otherby",
            relationship="father",
            phone="07700 900999",
        )
    return {"contact": contact, "meeting": meeting, "consent": consent, "other": other_contact}


@pytest.mark.parametrize(
    "who, sees_ids, sees_details",
    [
        ("senco_a", {"taught", "other"}, True),
        ("headteacher_a", {"taught", "other"}, True),
        ("trust_send_lead_a", {"taught", "other"}, True),
        ("office_a", {"taught", "other"}, True),
        ("teacher_a", {"taught"}, False),
        ("teaching_assistant_a", set(), False),
    ],
)
def test_contacts_list_shows_each_role_what_it_may_see(
    family, cast, api_for, people, school_a, who, sees_ids, sees_details
):
    response = api_for(people[who], school_a).get("/api/v1/contacts/")
    assert response.status_code == 200, response.content
    rows = response.json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    by_pupil = {cast[k].pk: k for k in ("taught", "other")}
    assert {by_pupil[r["pupil"]] for r in rows} == sees_ids
    for row in rows:
        assert ("phone" in row) is sees_details
        assert ("email" in row) is sees_details
        assert "language" in row and "needs_interpreter" in row


@pytest.mark.parametrize("who", ["governor_a", "outsider", "senco_b", "trust_viewer_a"])
def test_no_family_data_for_roles_without_pupil_access(family, api_for, people, school_a, who):
    for path in ("/api/v1/contacts/", "/api/v1/meetings/", "/api/v1/consents/"):
        assert api_for(people[who], school_a).get(path).status_code == 403


def test_office_sees_contacts_but_not_meetings_or_consent(family, api_for, people, school_a):
    client = api_for(people["office_a"], school_a)
    assert client.get("/api/v1/contacts/").status_code == 200
    assert client.get("/api/v1/meetings/").status_code == 403
    assert client.get("/api/v1/consents/").status_code == 403


def test_teacher_reads_meetings_of_pupils_they_teach_only(family, cast, api_for, people, school_a):
    client = api_for(people["teacher_a"], school_a)
    rows = client.get("/api/v1/meetings/").json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert [r["id"] for r in rows] == [family["meeting"].pk]
    assert rows[0]["actions"][0]["owner_name"] == "SENCo"
    assert client.get(f"/api/v1/contacts/{family['other'].pk}/").status_code == 404


def test_senco_creates_a_meeting_with_actions_over_the_api(cast, api_for, people, school_a):
    client = api_for(people["senco_a"], school_a)
    response = client.post(
        "/api/v1/meetings/",
        {
            "pupil": cast["other"].pk,
            "kind": "informal",
            "held_on": YESTERDAY.isoformat(),
            "attendees": "Dad",
            "actions": [{"what": "Call back", "owner_name": "SENCo", "due_on": "2030-01-01"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["actions"][0]["what"] == "Call back"


def test_an_action_without_an_owner_is_a_field_keyed_400_and_nothing_written(
    cast, api_for, people, school_a
):
    client = api_for(people["senco_a"], school_a)
    response = client.post(
        "/api/v1/meetings/",
        {
            "pupil": cast["other"].pk,
            "kind": "informal",
            "held_on": YESTERDAY.isoformat(),
            "attendees": "Dad",
            "actions": [{"what": "Call back", "due_on": "2030-01-01"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "actions.0.owner_name" in response.json()["errors"]
    with in_school(school_a):
        assert not Meeting.objects.exists()


@pytest.mark.parametrize("who", ["teacher_a", "headteacher_a", "trust_send_lead_a", "office_a"])
def test_only_the_senco_writes_meetings_and_consent(family, cast, api_for, people, school_a, who):
    client = api_for(people[who], school_a)
    meeting = client.post(
        "/api/v1/meetings/",
        {"pupil": cast["taught"].pk, "kind": "informal", "held_on": YESTERDAY.isoformat()},
        format="json",
    )
    consent = client.patch(
        f"/api/v1/consents/{family['consent'].pk}/",
        {"withdrawn_on": YESTERDAY.isoformat(), "withdrawn_reason": "x"},
        format="json",
    )
    assert meeting.status_code == 403
    assert consent.status_code in (403, 404)
    with in_school(school_a):
        assert Meeting.objects.count() == 1
        assert Consent.objects.get().withdrawn_on is None


def test_consent_withdrawn_through_the_api(family, api_for, people, school_a):
    response = api_for(people["senco_a"], school_a).patch(
        f"/api/v1/consents/{family['consent'].pk}/",
        {"withdrawn_on": YESTERDAY.isoformat(), "withdrawn_reason": "Mum emailed"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["is_current"] is False


def test_a_consent_record_cannot_be_rewritten(family, api_for, people, school_a):
    response = api_for(people["senco_a"], school_a).patch(
        f"/api/v1/consents/{family['consent'].pk}/", {"decision": "refused"}, format="json"
    )
    assert response.status_code == 400
    assert "decision" in response.json()["errors"]


# -- isolation ----------------------------------------------------------------------------------


@pytest.fixture
def twins(twin_rows):
    """A contact, a meeting and a consent with the same ids in schools A and B."""

    def pupil(school):
        return make_pupil(
            first_name="Twin", last_name=school.slug.title(), provision="K", primary_need="MLD"
        )

    pupils = twin_rows(pupil)

    def contact(school):
        p = pupils[0] if school.slug == "alpha" else pupils[1]
        return services.contact_add(
            acting_user=None,
            pupil=p,
            name=f"Parent {school.slug}",
            relationship="mother",
            phone="07700 900000",
        )

    def meeting(school):
        p = pupils[0] if school.slug == "alpha" else pupils[1]
        return services.meeting_record(
            acting_user=None,
            pupil=p,
            kind="informal",
            held_on=YESTERDAY,
            attendees=f"Parent {school.slug}",
        )

    def consent(school):
        p = pupils[0] if school.slug == "alpha" else pupils[1]
        return services.consent_record(
            acting_user=None,
            pupil=p,
            purpose="photographs",
            decision="given",
            given_by_name=f"Parent {school.slug}",
            decided_on=YESTERDAY,
            evidence="form",
        )

    return {
        "pupils": pupils,
        "contacts": twin_rows(contact),
        "meetings": twin_rows(meeting),
        "consents": twin_rows(consent),
    }


@pytest.mark.parametrize("kind", ["contacts", "meetings", "consents"])
def test_school_a_never_sees_school_b_rows_by_id_or_list(
    twins, api_for, client_for, people, school_a, kind
):
    client = api_for(people["senco_a"], school_a)
    a_row, _ = twins[kind]
    by_id = client.get(f"/api/v1/{kind}/{a_row.pk}/")
    assert by_id.status_code == 200
    assert "beta" not in by_id.content.decode()
    listing = client.get(f"/api/v1/{kind}/").content.decode()
    assert "Parent alpha" in listing and "beta" not in listing
    b_pupil = twins["pupils"][1]
    page = client_for(people["senco_a"], school_a).get(f"/family/pupils/{b_pupil.pk}/")
    assert page.status_code == 200  # same id: school A's own twin pupil
    assert "Parent beta" not in page.content.decode()


def test_senco_of_school_b_cannot_reach_school_a(twins, api_for, client_for, people, school_a):
    assert api_for(people["senco_b"], school_a).get("/api/v1/contacts/").status_code == 403
    assert client_for(people["senco_b"], school_a).get("/family/").status_code == 403


# -- pages ----------------------------------------------------------------------------------


def test_pupil_family_page_hides_contact_details_from_teachers(
    family, cast, client_for, people, school_a
):
    url = f"/family/pupils/{cast['taught'].pk}/"
    senco = client_for(people["senco_a"], school_a).get(url).content.decode()
    teacher = client_for(people["teacher_a"], school_a).get(url).content.decode()
    assert "07700 900123" in senco and "sarah@example.com" in senco
    assert "Sarah Taughtson" in teacher and "needs an interpreter" in teacher
    assert "07700 900123" not in teacher and "sarah@example.com" not in teacher
    assert "Wants more phonics at home" in teacher


def test_meeting_form_shows_the_owner_error_on_its_row(cast, client_for, people, school_a):
    response = client_for(people["senco_a"], school_a).post(
        f"/family/pupils/{cast['taught'].pk}/meetings/new/",
        {
            "kind": "informal",
            "held_on": YESTERDAY.isoformat(),
            "status": "held",
            "attendees": "Mum",
            "action_2_what": "Ring the OT",
            "action_2_due_on": YESTERDAY.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "Every agreed action needs an owner" in response.content.decode()
    # The error's id is the one Django's aria-describedby names (<auto_id>_error).
    assert 'id="id_action_2_owner_name_error"' in response.content.decode()
    with in_school(school_a):
        assert not Meeting.objects.exists()


def test_home_panel_lists_pupils_met_too_rarely_for_the_senco(
    family, cast, client_for, people, school_a
):
    senco = client_for(people["senco_a"], school_a).get("/").content.decode()
    assert 'data-testid="home-family"' in senco
    assert "Otto Otherby" in senco
    teacher = client_for(people["teacher_a"], school_a).get("/").content.decode()
    assert 'data-testid="home-family"' not in teacher


def test_subject_access_export_includes_family_records(family, cast, people, school_a):
    import io
    import json
    import zipfile

    from apps.exchange.exports import subject_access_export

    with in_school(school_a):
        export = subject_access_export(acting_user=people["senco_a"], pupil=cast["taught"])
    archive = zipfile.ZipFile(io.BytesIO(export.data))
    record = json.loads(archive.read("record.json"))
    text = json.dumps(record)
    for key in ("family.contact", "family.meeting", "family.consent", "family.agreedaction"):
        assert key in text
    assert "Wants more phonics at home" in text
