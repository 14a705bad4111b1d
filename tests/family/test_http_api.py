"""The nine routes of issue 14 through a real server (gunicorn) with a real token: create, read,
update; a refusal without consent; teachers get contacts without their details."""

from __future__ import annotations

import datetime as dt
from http.cookiejar import DefaultCookiePolicy

import pytest
import requests

from tests.conftest import PASSWORD
from tests.http.contract import covers
from tests.support import in_school, otp_for

TODAY = dt.date.today().isoformat()


@pytest.fixture
def pupils(harness, committed):
    from apps.agencies.models import Agency
    from apps.audit.models import AuditEvent
    from apps.pupils.models import Pupil
    from apps.staff.models import StaffMember, Training
    from tests.pupils.factories import make_class, make_pupil

    school = harness["school_a"]
    with in_school(school):
        last_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        primary = make_pupil(
            first_name="Hattie", last_name="Httpson", provision="K", primary_need="SLCN"
        )
        secondary = make_pupil(first_name="Seb", last_name="Httpson", year_group="11")
        group = make_class("HTTP 3", staff=[harness["teacher_a"]], pupils=[primary])

    def cleanup():
        with in_school(school):
            Pupil.objects.filter(pk__in=[primary.pk, secondary.pk]).delete()
            group.delete()
            Agency.objects.all().delete()
            Training.objects.all().delete()
            StaffMember.objects.all().delete()
            AuditEvent.objects.filter(id__gt=last_event).delete()

    committed.cleanup(cleanup)
    return {"primary": primary, "secondary": secondary}


class Client:
    """Talks to the real server on the loopback address with the school's Host header (Python's
    resolver, unlike Chromium's, does not send *.localhost to this machine)."""

    def __init__(self, web_server, school) -> None:
        from tests.support import host_for

        self.base = f"http://127.0.0.1:{web_server.port}"
        self.session = requests.Session()
        # No cookies: a token request carries none (with one, CSRF would apply, as it should).
        self.session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
        self.session.headers["Host"] = f"{host_for(school)}:{web_server.port}"

    def request(self, method: str, path: str, **kwargs):
        return self.session.request(method, self.base + path, timeout=30, **kwargs)

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs):
        return self.request("POST", path, **kwargs)

    def patch(self, path: str, **kwargs):
        return self.request("PATCH", path, **kwargs)


def _token(web_server, school, email: str) -> Client:
    client = Client(web_server, school)
    response = client.post(
        "/api/v1/auth/token/",
        json={"email": email, "password": PASSWORD, "otp": otp_for(email)},  # two-step sign-in
    )
    assert response.status_code == 200, response.text
    client.session.headers["Authorization"] = f"Token {response.json()['token']}"
    return client


@covers(
    "POST /api/v1/agencies/",
    "PATCH /api/v1/agencies/{id}/",
    "PUT /api/v1/agencies/{id}/",
    "POST /api/v1/contacts/",
    "PATCH /api/v1/contacts/{id}/",
    "PUT /api/v1/contacts/{id}/",
    "POST /api/v1/meetings/",
    "PATCH /api/v1/meetings/{id}/",
    "PUT /api/v1/meetings/{id}/",
    "POST /api/v1/referrals/",
    "PATCH /api/v1/referrals/{id}/",
    "PUT /api/v1/referrals/{id}/",
    "POST /api/v1/consents/",
    "PATCH /api/v1/consents/{id}/",
    "PUT /api/v1/consents/{id}/",
    "POST /api/v1/staff/",
    "PATCH /api/v1/staff/{id}/",
    "PUT /api/v1/staff/{id}/",
    "POST /api/v1/training/",
    "PATCH /api/v1/training/{id}/",
    "PUT /api/v1/training/{id}/",
    "POST /api/v1/access-arrangements/",
    "PATCH /api/v1/access-arrangements/{id}/",
    "PUT /api/v1/access-arrangements/{id}/",
    "POST /api/v1/transitions/",
    "PATCH /api/v1/transitions/{id}/",
    "PUT /api/v1/transitions/{id}/",
)
def test_every_route_over_real_http_with_a_token(web_server, harness, pupils):
    school = harness["school_a"]
    senco = _token(web_server, school, "senco_a@example.test")

    def call(method: str, path: str, body: dict | None = None, expect: int = 200) -> dict:
        response = senco.request(method, path, json=body)
        assert response.status_code == expect, (path, response.text)
        return response.json()

    def read_back(path: str, **expected: object) -> None:
        """The full-replace PUT wrote what it said: read the row again."""
        row = call("GET", path)
        assert {key: row[key] for key in expected} == expected, row

    pupil = pupils["primary"].pk
    agency = call(
        "POST",
        "/api/v1/agencies/",
        {"kind": "speech_and_language", "name": "SALT", "contacts": [{"name": "Rachel"}]},
        201,
    )
    call("PATCH", f"/api/v1/agencies/{agency['id']}/", {"phone": "0113 496 0000"})
    call(
        "PUT",
        f"/api/v1/agencies/{agency['id']}/",
        {"kind": "speech_and_language", "name": "SALT", "phone": "0113 496 0001"},
    )
    read_back(f"/api/v1/agencies/{agency['id']}/", phone="0113 496 0001")
    contact = call(
        "POST",
        "/api/v1/contacts/",
        {"pupil": pupil, "name": "Mum Httpson", "relationship": "mother", "phone": "07700 900555"},
        201,
    )
    call("PATCH", f"/api/v1/contacts/{contact['id']}/", {"language": "Polish"})
    call(
        "PUT",
        f"/api/v1/contacts/{contact['id']}/",
        {
            "name": "Mum Httpson",
            "relationship": "mother",
            "phone": "07700 900556",
            "language": "Polish",
        },
    )
    read_back(f"/api/v1/contacts/{contact['id']}/", phone="07700 900556", language="Polish")
    meeting = call(
        "POST",
        "/api/v1/meetings/",
        {
            "pupil": pupil,
            "kind": "sen_support_review",
            "held_on": TODAY,
            "attendees": "Mum",
            "actions": [{"what": "Send cards", "owner_name": "SENCo", "due_on": TODAY}],
        },
        201,
    )
    call("PATCH", f"/api/v1/meetings/{meeting['id']}/", {"parents_views": "Pleased"})
    call(
        "PUT",
        f"/api/v1/meetings/{meeting['id']}/",
        {
            "kind": "sen_support_review",
            "held_on": TODAY,
            "attendees": "Mum; SENCo",
            "parents_views": "Pleased",
        },
    )
    read_back(f"/api/v1/meetings/{meeting['id']}/", attendees="Mum; SENCo")

    # No consent yet: the referral cannot be sent, and nothing is written.
    refused = senco.post(
        "/api/v1/referrals/",
        json={"pupil": pupil, "agency": agency["id"], "reason": "Speech", "status": "sent"},
    )
    assert refused.status_code == 400 and "consent" in refused.json()["errors"]
    assert (
        call("GET", "/api/v1/referrals/")
        == {"count": 0, "next": None, "previous": None, "results": []}
        or call("GET", "/api/v1/referrals/") == []
    )

    consent = call(
        "POST",
        "/api/v1/consents/",
        {
            "pupil": pupil,
            "purpose": "referral",
            "agency": agency["id"],
            "decision": "given",
            "given_by": contact["id"],
            "decided_on": TODAY,
            "evidence": "Signed form",
        },
        201,
    )
    referral = call(
        "POST",
        "/api/v1/referrals/",
        {"pupil": pupil, "agency": agency["id"], "reason": "Speech", "status": "sent"},
        201,
    )
    assert referral["status"] == "sent" and referral["consent"] == consent["id"]
    call(
        "PATCH",
        f"/api/v1/referrals/{referral['id']}/",
        {"status": "accepted", "accepted_on": TODAY},
    )
    put = call(
        "PUT",
        f"/api/v1/referrals/{referral['id']}/",
        {"status": "appointment", "appointment_on": TODAY},
    )
    assert put["status"] == "appointment"
    read_back(f"/api/v1/referrals/{referral['id']}/", status="appointment", appointment_on=TODAY)
    withdrawn = call(
        "PATCH",
        f"/api/v1/consents/{consent['id']}/",
        {"withdrawn_on": TODAY, "withdrawn_reason": "Mum phoned"},
    )
    assert withdrawn["is_current"] is False
    assert call("GET", f"/api/v1/referrals/{referral['id']}/")["status"] == "stopped"
    photos = call(
        "POST",
        "/api/v1/consents/",
        {
            "pupil": pupil,
            "purpose": "photographs",
            "decision": "given",
            "given_by_name": "Mum Httpson",
            "decided_on": TODAY,
            "evidence": "Admission form",
        },
        201,
    )
    put = call(
        "PUT",
        f"/api/v1/consents/{photos['id']}/",
        {"withdrawn_on": TODAY, "withdrawn_reason": "Emailed the office"},
    )
    assert put["is_current"] is False
    read_back(f"/api/v1/consents/{photos['id']}/", is_current=False, withdrawn_on=TODAY)

    member = call(
        "POST",
        "/api/v1/staff/",
        {"name": "Grace", "role": "teaching_assistant", "contracted_hours": "25.0"},
        201,
    )
    call("PATCH", f"/api/v1/staff/{member['id']}/", {"contracted_hours": "27.5"})
    call(
        "PUT",
        f"/api/v1/staff/{member['id']}/",
        {"name": "Grace Obi", "role": "teaching_assistant", "contracted_hours": "27.5"},
    )
    read_back(f"/api/v1/staff/{member['id']}/", name="Grace Obi")
    training = call(
        "POST",
        "/api/v1/training/",
        {
            "topic": "ELKLAN",
            "skill": "elklan",
            "delivered_on": TODAY,
            "provider": "NHS",
            "attendees": [member["id"]],
        },
        201,
    )
    call("PATCH", f"/api/v1/training/{training['id']}/", {"hours": "20.0"})
    call(
        "PUT",
        f"/api/v1/training/{training['id']}/",
        {
            "topic": "ELKLAN level 3",
            "skill": "elklan",
            "delivered_on": TODAY,
            "provider": "NHS",
            "attendees": [member["id"]],
        },
    )
    read_back(f"/api/v1/training/{training['id']}/", topic="ELKLAN level 3")
    assert call("GET", f"/api/v1/staff/{member['id']}/")["skills"] == ["elklan"]
    arrangement = call(
        "POST",
        "/api/v1/access-arrangements/",
        {"pupil": pupils["secondary"].pk, "kind": "extra_time", "extra_time_percent": 25},
        201,
    )
    bad = senco.patch(
        f"/api/v1/access-arrangements/{arrangement['id']}/",
        json={"extra_time_percent": 0},
    )
    assert bad.status_code == 400 and "extra_time_percent" in bad.json()["errors"]
    call(
        "PATCH",
        f"/api/v1/access-arrangements/{arrangement['id']}/",
        {"normal_way_of_working": "In class"},
    )
    call(
        "PUT",
        f"/api/v1/access-arrangements/{arrangement['id']}/",
        {"kind": "extra_time", "extra_time_percent": 50, "normal_way_of_working": "In class"},
    )
    read_back(f"/api/v1/access-arrangements/{arrangement['id']}/", extra_time_percent=50)
    transition = call(
        "POST",
        "/api/v1/transitions/",
        {
            "pupil": pupil,
            "kind": "phase",
            "destination": "Riverside",
            "moves_on": TODAY,
            "responsible_name": "SENCo",
        },
        201,
    )
    call(
        "PATCH",
        f"/api/v1/transitions/{transition['id']}/",
        {"steps_done": [transition["steps"][0]["id"]]},
    )
    call(
        "PUT",
        f"/api/v1/transitions/{transition['id']}/",
        {
            "kind": "phase",
            "destination": "Riverside Academy",
            "moves_on": TODAY,
            "responsible_name": "SENCo",
        },
    )
    read_back(f"/api/v1/transitions/{transition['id']}/", destination="Riverside Academy")

    # A teacher of the pupil sees who the contacts are, not how to reach them; cannot write.
    teacher = _token(web_server, school, "teacher_a@example.test")
    rows = teacher.get("/api/v1/contacts/").json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert [r["name"] for r in rows] == ["Mum Httpson"] and "phone" not in rows[0]
    denied = teacher.post("/api/v1/meetings/", json={})
    assert denied.status_code == 403
    refused = teacher.request(
        "PUT",
        f"/api/v1/meetings/{meeting['id']}/",
        json={"kind": "sen_support_review", "held_on": TODAY, "attendees": "forged"},
    )
    assert refused.status_code == 403, refused.text
    read_back(f"/api/v1/meetings/{meeting['id']}/", attendees="Mum; SENCo")

    # The SENCo's token on another school's host, with this school's ids: refused, nothing
    # written here or there.
    elsewhere = Client(web_server, harness["school_b"])
    elsewhere.session.headers["Authorization"] = senco.session.headers["Authorization"]
    for path, body in [
        (f"/api/v1/staff/{member['id']}/", {"name": "Forged", "role": "teaching_assistant"}),
        (f"/api/v1/agencies/{agency['id']}/", {"kind": "speech_and_language", "name": "Forged"}),
    ]:
        refused = elsewhere.request("PUT", path, json=body)
        assert refused.status_code in (403, 404), (path, refused.text)
    read_back(f"/api/v1/staff/{member['id']}/", name="Grace Obi")
    read_back(f"/api/v1/agencies/{agency['id']}/", name="SALT")
    from apps.agencies.models import Agency
    from apps.staff.models import StaffMember

    with in_school(harness["school_b"]):
        assert not StaffMember.objects.filter(name="Forged").exists()
        assert not Agency.objects.filter(name="Forged").exists()
