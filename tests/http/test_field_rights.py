"""Field-level rights over real HTTP with real tokens (issue #11, finding 6): office staff get a
pupil's register history without the reasons (the page hides them from the office too), and a
register change naming a reason, which they could not read back, is refused with nothing
written. Another school's SENCo, with the same pupil id, gets nothing."""

from __future__ import annotations

from .contract import covers
from .helpers import make_pupil

REASON = "Educational psychologist: working memory well below age"


@covers("GET /api/v1/pupils/{id}/sen-history/", "POST /api/v1/pupils/{id}/sen-history/")
def test_office_gets_the_register_history_without_the_reasons(http_world, api):
    from apps.pupils.models import SenHistory

    pupil = make_pupil(http_world, first_name="Tobias", last_name="Marlow")
    change = api("senco").post(
        f"/api/v1/pupils/{pupil.pk}/sen-history/",
        json={"sen_provision": "K", "primary_need": "SPLD", "reason": REASON},
    )
    assert change.status_code == 201, change.text

    full = api("senco").get(f"/api/v1/pupils/{pupil.pk}/sen-history/")
    assert full.status_code == 200
    assert REASON in [row.get("reason") for row in full.json()["results"]]

    reduced = api("office").get(f"/api/v1/pupils/{pupil.pk}/sen-history/")
    assert reduced.status_code == 200
    rows = reduced.json()["results"]
    assert rows and all("reason" not in row for row in rows), rows
    assert REASON not in reduced.text
    assert {row["provision"] for row in rows} == {"K"}  # the rest of the record is there

    def count() -> int:
        return SenHistory.objects.filter(pupil_id=pupil.pk).count()

    before = http_world.in_school(count)
    refused = api("office").post(
        f"/api/v1/pupils/{pupil.pk}/sen-history/",
        json={"sen_provision": "N", "reason": "No longer needed"},
    )
    assert refused.status_code == 403, refused.text
    assert "reason" in refused.json()["detail"]
    assert http_world.in_school(count) == before

    # The same id on another school's host, with that school's SENCo: not this pupil's history.
    elsewhere = api(token=None, role=None, school=http_world.other_school)
    assert elsewhere.get(f"/api/v1/pupils/{pupil.pk}/sen-history/").status_code in (401, 403)
    other = api("senco", school=http_world.other_school)
    answer = other.get(f"/api/v1/pupils/{pupil.pk}/sen-history/")
    assert answer.status_code in (401, 403, 404) and REASON not in answer.text
