"""A read-only school (suspended, or unpaid) still lets staff read, search and export."""

from __future__ import annotations

from apps.pupils.models import Pupil, PupilProfile
from tenants.services import school_suspend
from tests.support import in_school


def test_search_and_exports_still_work_when_read_only(cast, client_for, api_for, people, school_a):
    school_suspend(acting_user=None, school=school_a)
    page = client_for(people["senco_a"], school_a)
    searched = page.post("/pupils/", {"search": "Otherby"})
    assert searched.status_code == 200 and b"Otherby" in searched.content
    assert b"read-only" in searched.content
    census = page.post("/exports/", {"export": "census"})
    assert census.status_code == 200 and census["Content-Type"].startswith("text/csv")
    api = api_for(people["senco_a"], school_a)
    found = api.post("/api/v1/pupils/search/", {"search": "Otherby"}, format="json")
    assert found.status_code == 200 and [p["last_name"] for p in found.json()["results"]] == [
        "Otherby"
    ]


def _state(pupil_id: int) -> tuple[object, str]:
    pupil = Pupil.objects.get(pk=pupil_id)
    profile = PupilProfile.objects.filter(pupil=pupil).first()
    return pupil.updated_at, profile.how_to_support if profile else ""


def test_changes_are_still_refused_when_read_only(cast, client_for, api_for, people, school_a):
    with in_school(school_a):
        before = _state(cast["other"].pk)
    school_suspend(acting_user=None, school=school_a)
    api = api_for(people["senco_a"], school_a)
    response = api.patch(
        f"/api/v1/pupils/{cast['other'].pk}/", {"preferred_name": "Ot"}, format="json"
    )
    assert response.status_code == 403 and "read-only" in response.json()["detail"]
    page = client_for(people["senco_a"], school_a)
    refused = page.post(f"/pupils/{cast['other'].pk}/profile/", {"how_to_support": "x"})
    assert refused.status_code == 403
    with in_school(school_a):  # neither change was written
        assert _state(cast["other"].pk) == before
