"""The pupils and concerns API over real HTTP with real tokens: every write, the role that may
make it, one that may not (and nothing written), and another school's id."""

from __future__ import annotations

import itertools

from .contract import covers
from .helpers import make_pupil

_serial = itertools.count(700)


def new_pupil_body(**over) -> dict:
    from tests.exchange.samples import make_upn

    body = {
        "upn": make_upn(next(_serial), estab="4190"),
        "first_name": "Ruby",
        "last_name": "Ashworth",
        "date_of_birth": "2016-05-04",
        "gender": "F",
        "year_group": "4",
    }
    body.update(over)
    return body


@covers("POST /api/v1/pupils/")
def test_senco_adds_a_pupil_office_too_teacher_may_not(http_world, api):
    from apps.pupils.models import Pupil

    created = api("senco").post(
        "/api/v1/pupils/", json=new_pupil_body(sen_provision="K", primary_need="SPLD")
    )
    assert created.status_code == 201, created.text
    assert created.json()["sen_provision"] == "K"
    assert api("office").post("/api/v1/pupils/", json=new_pupil_body()).status_code == 201

    before = http_world.in_school(Pupil.objects.count)
    refused = api("teacher").post("/api/v1/pupils/", json=new_pupil_body())
    assert refused.status_code == 403 and refused.json()["detail"]
    assert http_world.in_school(Pupil.objects.count) == before

    bad = api("senco").post("/api/v1/pupils/", json=new_pupil_body(upn="A123"))
    assert bad.status_code == 400 and "upn" in bad.json()["errors"]
    assert http_world.in_school(Pupil.objects.count) == before


@covers("PATCH /api/v1/pupils/{id}/", "PUT /api/v1/pupils/{id}/")
def test_senco_updates_a_pupil_by_patch_and_put(http_world, api):
    pupil = make_pupil(http_world, first_name="Patchme")
    client = api("senco")
    patched = client.patch(
        f"/api/v1/pupils/{pupil.pk}/",
        json={
            "preferred_first_name": "Pat",
            "sen_provision": "K",
            "primary_need": "SLCN",
            "reason": "Speech and language assessment",
        },
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["preferred_first_name"] == "Pat"
    assert patched.json()["primary_need"] == "SLCN"

    put = client.put(
        f"/api/v1/pupils/{pupil.pk}/",
        json=new_pupil_body(upn=pupil.upn, first_name="Patricia", last_name="Moss"),
    )
    assert put.status_code == 200, put.text
    assert put.json()["first_name"] == "Patricia"

    head = api("headteacher").patch(f"/api/v1/pupils/{pupil.pk}/", json={"form": "4X"})
    assert head.status_code in (200, 403)  # the rights table decides; never a 5xx


@covers("PATCH /api/v1/pupils/{id}/")
def test_another_schools_pupil_id_is_not_found_over_http(http_world, api):
    from tests.pupils.factories import make_pupil as make

    theirs = http_world.in_school(lambda: make(first_name="Elsewhere"), http_world.other_school)
    response = api("senco").patch(f"/api/v1/pupils/{theirs.pk}/", json={"form": "9Z"})
    # 404, or (when this school has a pupil with the same id) that pupil: never theirs.
    assert response.status_code in (200, 404)
    assert "Elsewhere" not in response.text
    assert (
        http_world.in_school(
            lambda: type(theirs).objects.get(pk=theirs.pk).form, http_world.other_school
        )
        != "9Z"
    )


@covers("POST /api/v1/pupils/{id}/sen-history/")
def test_senco_records_a_register_change_governor_may_not(http_world, api):
    pupil = make_pupil(http_world)
    change = api("senco").post(
        f"/api/v1/pupils/{pupil.pk}/sen-history/",
        json={"sen_provision": "K", "primary_need": "SPLD", "reason": "Assessment in March"},
    )
    assert change.status_code == 201, change.text
    assert change.json()["provision"] == "K"
    refused = api("governor").post(
        f"/api/v1/pupils/{pupil.pk}/sen-history/", json={"sen_provision": "N"}
    )
    assert refused.status_code == 403


@covers("PUT /api/v1/pupils/{id}/profile/", "PATCH /api/v1/pupils/{id}/profile/")
def test_senco_writes_the_one_page_profile(http_world, api):
    pupil = make_pupil(http_world)
    client = api("senco")
    put = client.put(
        f"/api/v1/pupils/{pupil.pk}/profile/",
        json={
            "like_and_admire": "Kind to younger children",
            "important_to_me": "My dog Biscuit",
            "how_to_support": "Warn me before changes",
            "communication_preferences": "",
        },
    )
    assert put.status_code == 200, put.text
    patch = client.patch(
        f"/api/v1/pupils/{pupil.pk}/profile/", json={"important_to_me": "Football"}
    )
    assert patch.status_code == 200
    assert patch.json()["important_to_me"] == "Football"
    assert patch.json()["like_and_admire"] == "Kind to younger children"
    office = api("office").patch(f"/api/v1/pupils/{pupil.pk}/profile/", json={"x": 1})
    assert office.status_code == 403


@covers("POST /api/v1/pupils/search/")
def test_search_by_name_in_the_body(http_world, api):
    make_pupil(http_world, first_name="Searchable", last_name="Quill")
    found = api("headteacher").post("/api/v1/pupils/search/", json={"search": "Quill"})
    assert found.status_code == 200
    assert {"count", "next", "previous", "results"} <= set(found.json())
    assert [p["last_name"] for p in found.json()["results"]] == ["Quill"]
    governor = api("governor").post("/api/v1/pupils/search/", json={"search": "Quill"})
    assert governor.status_code == 403


@covers("POST /api/v1/concerns/", "POST /api/v1/concerns/{id}/triage/")
def test_teacher_raises_a_concern_and_the_senco_triages_it(http_world, api):
    pupil = make_pupil(http_world)
    raised = api("teacher").post(
        "/api/v1/concerns/",
        json={"pupil": pupil.pk, "what_seen": "Struggles to copy from the board"},
    )
    assert raised.status_code == 201, raised.text
    concern_id = raised.json()["id"]

    teacher_triage = api("teacher").post(
        f"/api/v1/concerns/{concern_id}/triage/", json={"decision": "monitor", "note": "x"}
    )
    assert teacher_triage.status_code in (403, 404)

    triaged = api("senco").post(
        f"/api/v1/concerns/{concern_id}/triage/",
        json={"decision": "monitor", "note": "Seat nearer the board; review in 6 weeks"},
    )
    assert triaged.status_code == 200, triaged.text
    assert triaged.json()["notes"][-1]["decision"] == "monitor"

    unknown_pupil = api("teacher").post(
        "/api/v1/concerns/", json={"pupil": 999999, "what_seen": "x"}
    )
    assert unknown_pupil.status_code == 400
    assert unknown_pupil.json()["errors"] == {"pupil": ["No pupil on roll with that id."]}
