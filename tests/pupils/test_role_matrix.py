"""Every pupil page, opened (GET) by every role: 200 allowed, 403 role refused, 404 a pupil the
person may not see. `taught` is in teacher_a's class; `assisted` is assigned to the TA."""

from __future__ import annotations

import pytest

from tests.pupils.conftest import NO_ACCESS

ALL = {"senco_a", "headteacher_a", "office_a", "trust_send_lead_a"}
WHOLE = {"senco_a": 200, "headteacher_a": 200, "office_a": 200, "trust_send_lead_a": 200}

# page -> {role: status}; roles not listed get 403.
PAGES = {
    "/pupils/": {**WHOLE, "teacher_a": 200, "teaching_assistant_a": 200},
    "/pupils/new/": {"senco_a": 200, "office_a": 200},
    "/pupils/{taught}/": {**WHOLE, "teacher_a": 200, "teaching_assistant_a": 404},
    "/pupils/{assisted}/": {**WHOLE, "teacher_a": 404, "teaching_assistant_a": 200},
    "/pupils/{taught}/edit/": {"senco_a": 200, "office_a": 200},
    "/pupils/{taught}/register/": {"senco_a": 200},
    "/pupils/{taught}/profile/": {"senco_a": 200, "teacher_a": 200},
    "/pupils/{assisted}/profile/": {"senco_a": 200, "teacher_a": 404},
    "/pupils/{taught}/voice/": {"senco_a": 200, "teacher_a": 200, "teaching_assistant_a": 404},
    "/pupils/{assisted}/voice/": {"senco_a": 200, "teacher_a": 404, "teaching_assistant_a": 200},
    "/pupils/{taught}/strategies/": {"senco_a": 200, "teacher_a": 200},
    "/pupils/{taught}/concerns/new/": {
        "senco_a": 200,
        "headteacher_a": 200,
        "teacher_a": 200,
        "teaching_assistant_a": 404,
    },
    "/concerns/": {
        "senco_a": 200,
        "headteacher_a": 200,
        "trust_send_lead_a": 200,
        "teacher_a": 200,
        "teaching_assistant_a": 200,
    },
    "/concerns/new/": {
        "senco_a": 200,
        "headteacher_a": 200,
        "teacher_a": 200,
        "teaching_assistant_a": 200,
    },
    "/concerns/{concern}/": {
        "senco_a": 200,
        "headteacher_a": 200,
        "trust_send_lead_a": 200,
        "teacher_a": 404,
        "teaching_assistant_a": 404,
    },
    "/audit/": {"senco_a": 200, "headteacher_a": 200, "trust_send_lead_a": 200},
}
# What an allowed role must see on the page (so a page that answered 200 with nothing, or with
# the wrong pupil, fails); the register lists only the pupils each role may see.
SHOWS = {
    "/pupils/{taught}/": ["Taughtson"],
    "/pupils/{assisted}/": ["Assistwell"],
    "/pupils/{taught}/edit/": ["Taughtson"],
    "/pupils/{taught}/register/": ["Taughtson"],
    "/pupils/{taught}/profile/": ["Taughtson", "Give me time to answer"],
    "/pupils/{assisted}/profile/": ["Assistwell"],
    "/pupils/{taught}/voice/": ["Taughtson"],
    "/pupils/{assisted}/voice/": ["Assistwell"],
    "/pupils/{taught}/strategies/": ["Taughtson"],
    "/pupils/{taught}/concerns/new/": ["Taughtson"],
    "/concerns/{concern}/": ["Struggles with phonics"],
}
REGISTER_SHOWS = {
    "teacher_a": ({"Taughtson"}, {"Assistwell", "Otherby"}),
    "teaching_assistant_a": ({"Assistwell"}, {"Taughtson", "Otherby"}),
}
ROLES = [
    "senco_a",
    "headteacher_a",
    "teacher_a",
    "teaching_assistant_a",
    "office_a",
    "governor_a",
    "trust_send_lead_a",
    *NO_ACCESS,
]


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_every_page_for_every_role(client_for, people, school_a, cast, page, role):
    url = page.format(
        taught=cast["taught"].pk, assisted=cast["assisted"].pk, concern=cast["concern"].pk
    )
    expected = PAGES[page].get(role, 403)
    response = client_for(people[role], school_a).get(url)
    assert response.status_code == expected, (role, url)
    body = response.content.decode()
    if expected == 200:
        for text in SHOWS.get(page, []):
            assert text in body, (role, url, text)
        if page == "/pupils/" and role in REGISTER_SHOWS:
            shown, hidden = REGISTER_SHOWS[role]
            assert all(name in body for name in shown), (role, shown)
            assert not any(name in body for name in hidden), (role, hidden)
    else:
        # A refusal shows nothing of the pupil.
        assert "Taughtson" not in body and "Assistwell" not in body, (role, url)


@pytest.mark.parametrize(
    "path",
    [
        "/pupils/{id}/",
        "/pupils/{id}/edit/",
        "/pupils/{id}/register/",
        "/pupils/{id}/profile/",
        "/pupils/{id}/voice/",
        "/pupils/{id}/strategies/",
        "/pupils/{id}/concerns/new/",
    ],
)
def test_pupil_pages_never_reach_another_schools_pupil(
    client_for, people, school_a, school_b, twin_rows, path
):
    from tests.pupils.factories import make_pupil

    a, b = twin_rows(lambda school: make_pupil(last_name=f"Page{school.slug.title()}"))
    # the same id on school A's host is school A's pupil; on B's host, B's; B's SENCo is refused on A
    body = client_for(people["senco_a"], school_a).get(path.format(id=a.pk)).content.decode()
    assert "PageBeta" not in body
    assert client_for(people["senco_b"], school_a).get(path.format(id=a.pk)).status_code == 403
    assert (
        "PageAlpha"
        not in client_for(people["senco_b"], school_b).get(path.format(id=b.pk)).content.decode()
    )


def test_sen_history_and_profile_api_isolation(api_for, people, school_a, school_b, twin_rows):
    from apps.pupils import services
    from tests.pupils.factories import make_pupil
    from tests.support import in_school

    def make(school):
        pupil = make_pupil(provision="K", primary_need="MLD")
        services.profile_update(
            acting_user=None, pupil=pupil, important_to_me=f"Profile in {school.slug}"
        )
        return pupil

    a, b = twin_rows(make)
    client = api_for(people["senco_a"], school_a)
    assert (
        client.get(f"/api/v1/pupils/{a.pk}/profile/").json()["important_to_me"]
        == "Profile in alpha"
    )
    history = client.get(f"/api/v1/pupils/{a.pk}/sen-history/").json()["results"]
    with in_school(school_a):
        assert {h["id"] for h in history} == set(a.sen_history.values_list("id", flat=True))
    client.patch(f"/api/v1/pupils/{a.pk}/profile/", {"important_to_me": "changed"}, format="json")
    with in_school(school_b):
        from apps.pupils.models import PupilProfile

        assert PupilProfile.objects.get(pupil_id=b.pk).important_to_me == "Profile in beta"


def test_lead_and_designated_teacher_must_be_staff_here(api_for, people, school_a, cast):
    client = api_for(people["senco_a"], school_a)
    bad_lead = client.post(
        f"/api/v1/pupils/{cast['other'].pk}/sen-history/",
        {"sen_provision": "K", "primary_need": "MLD", "reason": "x"},
        format="json",
    )
    assert bad_lead.status_code == 201  # no lead given: fine
    response = client.patch(
        f"/api/v1/pupils/{cast['other'].pk}/",
        {"looked_after": True, "designated_teacher_user_id": people["senco_b"].pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "designated_teacher_user_id": [
            "The designated teacher must be a member of staff at this school."
        ]
    }
    response = client.patch(
        f"/api/v1/pupils/{cast['other'].pk}/",
        {
            "sen_lead_user_id": people["outsider"].pk,
            "sen_provision": "K",
            "primary_need": "MLD",
            "reason": "new lead",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "sen_lead_user_id": ["The lead must be a member of staff at this school."]
    }
