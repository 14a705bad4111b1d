"""Pupil pickers that scale: the roll is never in the page; a POST search offers up to 20
matches (name, year, form); without JavaScript a typed name is resolved when only one pupil
matches."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.pupils.models import Concern
from tests.pupils.factories import make_pupil
from tests.support import in_school


@pytest.fixture
def roll(school_a):
    with in_school(school_a):
        return {
            "evelyn": make_pupil(
                first_name="Evelyn", last_name="Picker", form="4B", year_group="4"
            ),
            "eve": make_pupil(first_name="Eve", last_name="Pickering", year_group="5"),
            "left": make_pupil(
                first_name="Evelyn", last_name="Gone", leaving_date=dt.date(2020, 7, 20)
            ),
        }


def test_pick_searches_the_roll_by_post(client_for, people, school_a, roll):
    client = client_for(people["teacher_a"], school_a)
    matches = client.post("/pupils/pick/", {"q": "evel"}).json()["matches"]
    assert matches == [{"id": roll["evelyn"].pk, "label": "Evelyn Picker (Year 4, 4B)"}]
    assert client.get("/pupils/pick/?q=evel").status_code == 405  # never by GET: names in URLs


def test_pick_offers_leavers_only_to_whole_school_roles_for_exports(
    client_for, people, school_a, roll
):
    office = client_for(people["office_a"], school_a)
    ids = [
        m["id"]
        for m in office.post("/pupils/pick/", {"q": "evelyn", "scope": "all"}).json()["matches"]
    ]
    assert set(ids) == {roll["evelyn"].pk, roll["left"].pk}
    teacher = client_for(people["teacher_a"], school_a)
    ids = [
        m["id"]
        for m in teacher.post("/pupils/pick/", {"q": "evelyn", "scope": "all"}).json()["matches"]
    ]
    assert ids == [roll["evelyn"].pk]


def test_pick_caps_the_list_and_says_there_are_more(client_for, people, school_a):
    with in_school(school_a):
        for n in range(25):
            make_pupil(first_name="Many", last_name=f"Match{n:02d}")
    data = client_for(people["senco_a"], school_a).post("/pupils/pick/", {"q": "many"}).json()
    assert len(data["matches"]) == 20 and data["more"] is True


def test_pick_is_isolated_between_schools(client_for, people, school_a, school_b, roll):
    with in_school(school_b):
        make_pupil(first_name="Evelyn", last_name="Betaschool")
    labels = [
        m["label"]
        for m in client_for(people["senco_a"], school_a)
        .post("/pupils/pick/", {"q": "evelyn"})
        .json()["matches"]
    ]
    assert not any("Betaschool" in label for label in labels)
    assert (
        client_for(people["senco_a"], school_b).post("/pupils/pick/", {"q": "x"}).status_code == 403
    )


def test_governors_get_no_matches(client_for, people, school_a, roll):
    response = client_for(people["governor_a"], school_a).post("/pupils/pick/", {"q": "evelyn"})
    assert response.json()["matches"] == []


def test_concern_page_carries_no_roll_and_a_combobox(client_for, people, school_a, roll):
    html = client_for(people["teacher_a"], school_a).get("/concerns/new/").content.decode()
    assert "Picker" not in html and "Pickering" not in html
    assert 'role="combobox"' in html and 'aria-controls="id_pupil-listbox"' in html


def test_without_javascript_a_unique_name_is_enough(client_for, people, school_a, roll):
    client = client_for(people["teacher_a"], school_a)
    response = client.post(
        "/concerns/new/", {"pupil_text": "Eve Pickering", "what_seen": "Rubs her eyes"}
    )
    assert response.status_code == 302
    with in_school(school_a):
        assert Concern.objects.get(what_seen="Rubs her eyes").pupil_id == roll["eve"].pk


def test_without_javascript_an_ambiguous_name_says_how_many_match(
    client_for, people, school_a, roll
):
    response = client_for(people["teacher_a"], school_a).post(
        "/concerns/new/", {"pupil_text": "Picker", "what_seen": "Rubs her eyes"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 pupils match “Picker”" in html
    assert 'value="Picker"' in html  # what they typed is kept
    with in_school(school_a):
        assert not Concern.objects.filter(what_seen="Rubs her eyes").exists()


def test_a_leaver_cannot_be_the_subject_of_a_concern(client_for, people, school_a, roll):
    response = client_for(people["teacher_a"], school_a).post(
        "/concerns/new/", {"pupil": roll["left"].pk, "what_seen": "Gone"}
    )
    assert response.status_code == 200
    with in_school(school_a):
        assert not Concern.objects.filter(what_seen="Gone").exists()


def test_exports_page_uses_the_picker(client_for, people, school_a, roll):
    html = client_for(people["senco_a"], school_a).get("/exports/").content.decode()
    assert "Pickering" not in html and html.count('role="combobox"') == 2
