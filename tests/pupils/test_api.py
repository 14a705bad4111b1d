"""/api/v1/pupils/ and /api/v1/concerns/: roles, isolation, validation, precise JSON errors."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.audit.models import AuditEvent
from apps.pupils.models import Concern, Pupil, SenHistory
from tests.pupils.conftest import NO_ACCESS
from tests.pupils.factories import make_pupil
from tests.support import in_school

SEES = {
    "senco_a": {"taught", "assisted", "other"},
    "headteacher_a": {"taught", "assisted", "other"},
    "office_a": {"taught", "assisted", "other"},
    "trust_send_lead_a": {"taught", "assisted", "other"},
    "teacher_a": {"taught"},
    "teaching_assistant_a": {"assisted"},
}


def _ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("role", list(SEES))
def test_list_is_scoped_per_role(api_for, people, school_a, cast, role):
    response = api_for(people[role], school_a).get("/api/v1/pupils/")
    assert response.status_code == 200
    assert _ids(response) == {cast[k].pk for k in SEES[role]}
    row = next(r for r in response.json()["results"])
    for field in (
        "id",
        "upn",
        "first_name",
        "last_name",
        "date_of_birth",
        "year_group",
        "sen_provision",
        "primary_need",
        "secondary_need",
    ):
        assert field in row


@pytest.mark.parametrize("role", list(SEES))
@pytest.mark.parametrize("key", ["taught", "assisted", "other"])
def test_detail_history_and_profile_per_role(api_for, people, school_a, cast, role, key):
    client = api_for(people[role], school_a)
    pk = cast[key].pk
    expected = 200 if key in SEES[role] else 404
    assert client.get(f"/api/v1/pupils/{pk}/").status_code == expected
    assert client.get(f"/api/v1/pupils/{pk}/sen-history/").status_code == expected
    profile = client.get(f"/api/v1/pupils/{pk}/profile/")
    assert profile.status_code == (403 if role == "office_a" else expected)


def test_governor_gets_no_pupil_level_data(api_for, people, school_a, cast):
    client = api_for(people["governor_a"], school_a)
    for url in (
        "/api/v1/pupils/",
        f"/api/v1/pupils/{cast['other'].pk}/",
        f"/api/v1/pupils/{cast['other'].pk}/sen-history/",
        "/api/v1/concerns/",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert response.json() == {"detail": "Your role cannot see this."}
    assert (
        client.post("/api/v1/pupils/search/", {"search": "Otherby"}, format="json").status_code
        == 403
    )


@pytest.mark.parametrize("who", NO_ACCESS)
def test_no_access_to_school_a(api_for, people, school_a, cast, who):
    client = api_for(people[who], school_a)
    for url in (
        "/api/v1/pupils/",
        f"/api/v1/pupils/{cast['other'].pk}/",
        f"/api/v1/pupils/{cast['other'].pk}/sen-history/",
        f"/api/v1/pupils/{cast['other'].pk}/profile/",
        "/api/v1/concerns/",
        f"/api/v1/concerns/{cast['concern'].pk}/",
    ):
        assert client.get(url).status_code == 403, url
    assert (
        client.post("/api/v1/pupils/search/", {"search": "Otherby"}, format="json").status_code
        == 403
    )


def test_signed_out_gets_401(school_a, cast):
    from rest_framework.test import APIClient

    from tests.support import host_for

    assert APIClient(HTTP_HOST=host_for(school_a)).get("/api/v1/pupils/").status_code == 401


def test_list_filters(api_for, people, school_a, in_a):
    k = make_pupil(provision="K", primary_need="SPLD", year_group="4", pupil_premium=True)
    e = make_pupil(provision="E", primary_need="ASD", secondary_need="SLCN", year_group="6")
    n = make_pupil(year_group="4")
    client = api_for(people["senco_a"], school_a)
    assert _ids(client.get("/api/v1/pupils/")) == {k.pk, e.pk, n.pk}
    assert _ids(client.get("/api/v1/pupils/?provision=register")) == {k.pk, e.pk}
    assert _ids(client.get("/api/v1/pupils/?provision=E")) == {e.pk}
    assert _ids(client.get("/api/v1/pupils/?need=SLCN")) == {e.pk}
    assert _ids(client.get("/api/v1/pupils/?area=cognition_learning")) == {k.pk}
    assert _ids(client.get("/api/v1/pupils/?year_group=4")) == {k.pk, n.pk}
    assert _ids(client.get("/api/v1/pupils/?flags=pupil_premium")) == {k.pk}
    assert _ids(client.get(f"/api/v1/pupils/?search={k.last_name}")) == {
        k.pk,
        e.pk,
        n.pk,
    }  # ignored in a URL
    bad = client.get("/api/v1/pupils/?provision=X")
    assert bad.status_code == 400
    assert bad.json()["errors"] == {"provision": ["Use one of: register, K, E, N, all."]}


def test_search_by_post(api_for, people, school_a, in_a):
    wanted = make_pupil(last_name="Postsearch")
    make_pupil(last_name="Someoneelse")
    client = api_for(people["senco_a"], school_a)
    assert _ids(client.post("/api/v1/pupils/search/", {"search": "postsearch"}, format="json")) == {
        wanted.pk
    }
    assert _ids(client.post("/api/v1/pupils/search/", {"search": wanted.upn}, format="json")) == {
        wanted.pk
    }
    assert client.post("/api/v1/pupils/search/", {}, format="json").json()["errors"] == {
        "search": ["This field is required."]
    }


def test_trust_send_lead_may_search_but_not_write(api_for, people, school_a, cast):
    client = api_for(people["trust_send_lead_a"], school_a)
    assert _ids(client.post("/api/v1/pupils/search/", {"search": "Otherby"}, format="json")) == {
        cast["other"].pk
    }
    response = client.patch(f"/api/v1/pupils/{cast['other'].pk}/", {"form": "9Z"}, format="json")
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Trust staff can read a school's records but not change them."
    }


# -- create and update ------------------------------------------------------------------------

GOOD = {
    "upn": "B801200005001",
    "first_name": "Ruby",
    "last_name": "Apicreate",
    "date_of_birth": "2017-02-03",
    "gender": "F",
    "year_group": "3",
}


@pytest.mark.parametrize(
    "changes, field, message",
    [
        (
            {"upn": "A801200005001"},
            "upn",
            "The check letter does not match: for these digits it should be B. Check for a mistyped character.",
        ),
        (
            {"sen_provision": "K", "primary_need": "BOGUS"},
            "primary_need",
            "BOGUS is not a census type-of-need code.",
        ),
        (
            {"sen_provision": "E", "primary_need": "NSA"},
            "primary_need",
            "NSA (no specialist assessment) is valid only with SEN support (K), not with provision E.",
        ),
        (
            {"date_of_birth": (dt.date.today() + dt.timedelta(days=5)).isoformat()},
            "date_of_birth",
            "The date of birth cannot be in the future.",
        ),
        (
            {"admission_date": "2016-01-01"},
            "admission_date",
            "The admission date cannot be before the date of birth.",
        ),
        ({"date_of_birth": "03/02/2017"}, "date_of_birth", "Date has wrong format."),
    ],
)
def test_create_refuses_bad_input_precisely(
    api_for, people, school_a, in_a, changes, field, message
):
    response = api_for(people["senco_a"], school_a).post(
        "/api/v1/pupils/", {**GOOD, **changes}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert any(m.startswith(message) for m in body["errors"][field]), body
    assert body["detail"].startswith(f"{field}: ")
    with in_school(school_a):
        assert not Pupil.objects.filter(last_name="Apicreate").exists()


def test_create_with_register_entry_and_duplicate(api_for, people, school_a, in_a):
    client = api_for(people["senco_a"], school_a)
    response = client.post(
        "/api/v1/pupils/",
        {**GOOD, "sen_provision": "K", "primary_need": "SLCN", "secondary_need": "SEMH"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["sen_provision"], body["primary_need"], body["secondary_need"]) == (
        "K",
        "SLCN",
        "SEMH",
    )
    history = client.get(f"/api/v1/pupils/{body['id']}/sen-history/").json()["results"]
    assert [(h["provision"], h["primary_need"]) for h in history] == [("K", "SLCN")]
    again = client.post("/api/v1/pupils/", GOOD, format="json")
    assert again.status_code == 400
    assert again.json()["errors"]["upn"] == [
        "Another pupil in this school already has UPN B801200005001."
    ]


@pytest.mark.parametrize(
    "role, status",
    [
        ("senco_a", 201),
        ("office_a", 201),
        ("headteacher_a", 403),
        ("teacher_a", 403),
        ("teaching_assistant_a", 403),
        ("trust_send_lead_a", 403),
    ],
)
def test_create_per_role(api_for, people, school_a, in_a, role, status):
    before = Pupil.objects.count()
    response = api_for(people[role], school_a).post("/api/v1/pupils/", GOOD, format="json")
    assert response.status_code == status
    with in_school(school_a):  # the request left the connection in the public schema
        after = Pupil.objects.count()
        if status == 201:
            created = Pupil.objects.get(pk=response.json()["id"])
            assert created.last_name == GOOD["last_name"] and after == before + 1
        else:  # refused: nothing written
            assert after == before


def test_office_cannot_set_the_register_entry_on_create(api_for, people, school_a, in_a):
    response = api_for(people["office_a"], school_a).post(
        "/api/v1/pupils/", {**GOOD, "sen_provision": "K", "primary_need": "MLD"}, format="json"
    )
    assert response.status_code == 403
    with in_school(school_a):
        assert not Pupil.objects.filter(upn=GOOD["upn"]).exists()


def test_patch_details_and_register_together(api_for, people, school_a, cast):
    client = api_for(people["senco_a"], school_a)
    pk = cast["other"].pk
    no_reason = client.patch(
        f"/api/v1/pupils/{pk}/",
        {"form": "4Q", "sen_provision": "K", "primary_need": "MLD"},
        format="json",
    )
    assert no_reason.status_code == 400
    assert "reason" in no_reason.json()["errors"]
    with in_school(school_a):
        assert Pupil.objects.get(pk=pk).form == "3B"  # nothing half-written
    ok = client.patch(
        f"/api/v1/pupils/{pk}/",
        {"form": "4Q", "sen_provision": "K", "primary_need": "MLD", "reason": "Reading assessment"},
        format="json",
    )
    assert ok.status_code == 200, ok.json()
    assert (ok.json()["form"], ok.json()["sen_provision"]) == ("4Q", "K")


def test_sen_history_post(api_for, people, school_a, cast):
    client = api_for(people["senco_a"], school_a)
    url = f"/api/v1/pupils/{cast['taught'].pk}/sen-history/"
    created = client.post(
        url,
        {"sen_provision": "E", "primary_need": "SLCN", "reason": "EHC plan issued"},
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["changed_by_name"] == people["senco_a"].full_name
    same = client.post(
        url, {"sen_provision": "E", "primary_need": "SLCN", "reason": "again"}, format="json"
    )
    assert same.status_code == 200 and "nothing was recorded" in same.json()["detail"]
    assert (
        api_for(people["teacher_a"], school_a)
        .post(url, {"sen_provision": "K", "primary_need": "SLCN", "reason": "x"}, format="json")
        .status_code
        == 403
    )
    with in_school(school_a):
        assert SenHistory.objects.filter(pupil=cast["taught"]).count() == 2


def test_profile_put_and_patch(api_for, people, school_a, cast):
    teacher = api_for(people["teacher_a"], school_a)
    url = f"/api/v1/pupils/{cast['taught'].pk}/profile/"
    response = teacher.patch(url, {"important_to_me": "My cat"}, format="json")
    assert response.status_code == 200
    assert response.json()["important_to_me"] == "My cat"
    assert response.json()["how_to_support"] == "Give me time to answer"
    assert (
        api_for(people["headteacher_a"], school_a)
        .patch(url, {"important_to_me": "x"}, format="json")
        .status_code
        == 403
    )
    assert (
        api_for(people["teacher_a"], school_a)
        .patch(
            f"/api/v1/pupils/{cast['other'].pk}/profile/", {"important_to_me": "x"}, format="json"
        )
        .status_code
        == 404
    )


# -- concerns ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, sees",
    [
        ("senco_a", True),
        ("headteacher_a", True),
        ("trust_send_lead_a", True),
        ("teacher_a", False),
        ("teaching_assistant_a", False),
    ],
)
def test_concern_list_per_role(api_for, people, school_a, cast, role, sees):
    response = api_for(people[role], school_a).get("/api/v1/concerns/")
    assert response.status_code == 200
    assert (cast["concern"].pk in _ids(response)) == sees
    assert api_for(people[role], school_a).get(
        f"/api/v1/concerns/{cast['concern'].pk}/"
    ).status_code == (200 if sees else 404)


def test_office_cannot_see_concerns(api_for, people, school_a, cast):
    response = api_for(people["office_a"], school_a).get("/api/v1/concerns/")
    assert response.status_code == 403
    assert "Struggles with phonics" not in response.content.decode()


def test_concern_raise_and_triage(api_for, people, school_a, cast):
    teacher = api_for(people["teacher_a"], school_a)
    unknown = teacher.post("/api/v1/concerns/", {"pupil": 999_999, "what_seen": "x"}, format="json")
    assert unknown.status_code == 400
    assert unknown.json()["errors"] == {"pupil": ["No pupil on roll with that id."]}
    # Any pupil on roll, taught or not, can be the subject of a concern; it shows nothing more.
    untaught = teacher.post(
        "/api/v1/concerns/",
        {"pupil": cast["other"].pk, "what_seen": "Squints at the board"},
        format="json",
    )
    assert untaught.status_code == 201
    assert teacher.get(f"/api/v1/pupils/{cast['other'].pk}/").status_code == 404
    created = teacher.post(
        "/api/v1/concerns/",
        {
            "pupil": cast["taught"].pk,
            "what_seen": "Tired every morning",
            "what_tried": "Breakfast club",
        },
        format="json",
    )
    assert created.status_code == 201
    concern_id = created.json()["id"]
    assert created.json()["status"] == "new"
    assert (
        teacher.post(
            f"/api/v1/concerns/{concern_id}/triage/",
            {"decision": "monitor", "note": "x"},
            format="json",
        ).status_code
        == 403
    )
    senco = api_for(people["senco_a"], school_a)
    bad = senco.post(
        f"/api/v1/concerns/{concern_id}/triage/", {"decision": "ignore", "note": "x"}, format="json"
    )
    assert bad.status_code == 400 and "decision" in bad.json()["errors"]
    done = senco.post(
        f"/api/v1/concerns/{concern_id}/triage/",
        {"decision": "monitor", "note": "Review in six weeks"},
        format="json",
    )
    assert done.status_code == 200
    assert done.json()["status"] == "monitor"
    assert done.json()["notes"][0]["note"] == "Review in six weeks"
    assert _ids(senco.get("/api/v1/concerns/?status=open")) >= {concern_id}
    assert senco.get("/api/v1/concerns/?status=bogus").status_code == 400


# -- isolation --------------------------------------------------------------------------------


def test_api_isolation_by_id_list_and_search(api_for, people, school_a, school_b, twin_rows):
    a, b = twin_rows(
        lambda school: make_pupil(
            last_name=f"Api{school.slug.title()}", provision="K", primary_need="MLD"
        )
    )
    client = api_for(people["senco_a"], school_a)
    assert client.get(f"/api/v1/pupils/{a.pk}/").json()["last_name"] == "ApiAlpha"
    assert {r["last_name"] for r in client.get("/api/v1/pupils/").json()["results"]} == {
        "ApiAlpha"
    }  # twin_rows may make two
    assert (
        client.post("/api/v1/pupils/search/", {"search": "ApiBeta"}, format="json").json()[
            "results"
        ]
        == []
    )
    assert (
        client.post("/api/v1/pupils/search/", {"search": b.upn}, format="json").json()["results"]
        == []
    )
    # school B's SENCo cannot reach school A at all, even with a valid token
    assert api_for(people["senco_b"], school_a).get(f"/api/v1/pupils/{a.pk}/").status_code == 403
    assert (
        api_for(people["senco_b"], school_b).get(f"/api/v1/pupils/{b.pk}/").json()["last_name"]
        == "ApiBeta"
    )
    # writes land only in the school of the host
    client.patch(f"/api/v1/pupils/{a.pk}/", {"form": "AA1"}, format="json")
    with in_school(school_b):
        assert Pupil.objects.get(pk=b.pk).form == "3B"


def test_concern_api_isolation(api_for, people, school_a, school_b, twin_rows):
    from apps.pupils import services

    def make(school):
        return services.concern_raise(
            acting_user=None, pupil=make_pupil(), what_seen=f"About {school.slug}"
        )

    a, b = twin_rows(make)
    client = api_for(people["senco_a"], school_a)
    assert client.get(f"/api/v1/concerns/{a.pk}/").json()["what_seen"] == "About alpha"
    assert {c["what_seen"] for c in client.get("/api/v1/concerns/").json()["results"]} == {
        "About alpha"
    }
    client.post(
        f"/api/v1/concerns/{a.pk}/triage/", {"decision": "monitor", "note": "ok"}, format="json"
    )
    with in_school(school_b):
        assert Concern.objects.get(pk=b.pk).status == "new"


def test_api_reads_are_audited(api_for, people, school_a, cast):
    client = api_for(people["headteacher_a"], school_a)
    client.get(f"/api/v1/pupils/{cast['other'].pk}/")
    client.get("/api/v1/pupils/")
    with in_school(school_a):
        viewed = AuditEvent.objects.get(action="pupil.viewed", pupil=cast["other"])
        assert viewed.user_id == people["headteacher_a"].pk and viewed.ip_address == "127.0.0.1"
        listed = AuditEvent.objects.get(action="api.pupil.listed")
        assert set(listed.extra["pupil_ids"]) == {
            cast[k].pk for k in ("taught", "assisted", "other")
        }
